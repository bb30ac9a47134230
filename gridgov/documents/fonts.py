"""The CJK font embedded in every PDF.

WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0 or GPL-3.0 with the font exception), a TrueType
collection with glyf outlines, which reportlab embeds as a subset. It comes from a wheel on PyPI
pinned in pyproject.toml, so `make setup` installs it into the virtualenv without root and
without any system font; its SHA-256 is checked here so another file under the same name is
refused rather than embedded. (Noto CJK ships CFF outlines that reportlab cannot embed, and the
npm font packages ship WOFF2 subsets that it cannot read.)
"""

from __future__ import annotations

import hashlib
import importlib.resources
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "GridgovCJK"
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_RESOURCE = "fonts/wqy-microhei.ttc"
FONT_SHA256 = "2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"


class FontMissing(RuntimeError):
    """The pinned font is not installed, or is not the file it should be."""


def font_path() -> Path:
    try:
        resource = importlib.resources.files(FONT_PACKAGE) / FONT_RESOURCE
    except ModuleNotFoundError as error:
        raise FontMissing(f"the CJK font package {FONT_PACKAGE} is not installed") from error
    path = Path(str(resource))
    if not path.is_file():
        raise FontMissing(f"the CJK font file {FONT_RESOURCE} is missing")
    return path


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the CJK font with reportlab once per process; its name for styles."""
    path = font_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != FONT_SHA256:
        raise FontMissing(f"the CJK font file's SHA-256 is {digest}, not the pinned one")
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME
