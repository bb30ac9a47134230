"""Compile the .po catalogues (project and app `locale/` folders) to .mo with polib, so no system
gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_paths() -> list[Path]:
    """Every .po file: LOCALE_PATHS and each gridgov app's own `locale/` folder."""
    roots = [Path(path) for path in settings.LOCALE_PATHS]
    roots += sorted(Path(settings.BASE_DIR, "gridgov").glob("*/locale"))
    return sorted({po for root in roots for po in root.rglob("*.po")})


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into its .mo file."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for po_path in catalogue_paths():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
