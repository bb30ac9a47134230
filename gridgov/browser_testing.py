"""Driving Debian's Chromium through Playwright in tests (no browser is downloaded).

The `browser` fixture (conftest.py) skips when Chromium is missing, unless GRIDGOV_REQUIRE_BROWSER
is set (CI sets it, so a missing browser fails there).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches out: this machine's network is closed.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDE = {"width": 1440, "height": 900}  # a county office's desk screen
TIMEOUT_MS = 20_000


def require_browser() -> Any:
    """Playwright's sync_playwright, or skip (fail when GRIDGOV_REQUIRE_BROWSER is set)."""
    required = bool(os.environ.get("GRIDGOV_REQUIRE_BROWSER"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("GRIDGOV_REQUIRE_BROWSER is set but the playwright package is missing")
        pytest.skip("the playwright package is not installed")
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"GRIDGOV_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    return sync_playwright


def collect_errors(message: Any, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


def new_page(browser: Any, viewport: dict[str, int], errors: list[str]) -> Any:
    """A page in a Chinese-speaking browser of the given size, collecting console errors."""
    page = browser.new_context(locale="zh-CN", viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: collect_errors(message, errors))
    return page


def page_width(page: Any) -> int:
    """How wide the page is laid out: wider than the screen means sideways scrolling."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def note_overflow(page: Any, size: dict[str, int], where: str, overflow: list[str]) -> None:
    """Add `where` to `overflow` when the page is wider than the screen it is shown on."""
    width = page_width(page)
    if width > size["width"]:
        overflow.append(f"{where}: {width} px at {size['width']} px")
