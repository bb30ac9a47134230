"""Figures are grouped by thousands in Chinese as in English: 450,000, not 450000."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def test_thousands_are_grouped_in_chinese_and_english():
    template = Template('{{ people|floatformat:"g" }}')
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert template.render(Context({"people": 450000})) == "450,000", language
