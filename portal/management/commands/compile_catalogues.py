"""Compile the gettext catalogues (.po -> .mo) without GNU gettext, so a fresh machine needs nothing."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po of the project into .mo files."

    def handle(self, *args, **options):
        count = 0
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        for root in roots:
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
