"""Simplified Chinese formats: Django's, with thousands grouped by commas (450,000 people, not
450000), as the county's reports and statistics write them."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
