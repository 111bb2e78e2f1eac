"""Every process that loads the archive watches its writes, not only those serving pages."""

import subprocess
import sys
from pathlib import Path

PROBE = """
import django
django.setup()
import sys
from django.db.models.signals import post_save
from archive.models import Theme
sync, _ = post_save._live_receivers(Theme)
print(sorted(receiver.__qualname__ for receiver in sync))
print("archive.urls" in sys.modules)
"""


def test_a_command_that_never_loads_the_pages_still_marks_cached_counts_stale():
    # A script or a migration writing records (manage.py shell, a data migration) must
    # leave the stored counts out of date, as a curator's save does.
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parents[1],
        env={"DJANGO_SETTINGS_MODULE": "archive.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    receivers, urls_loaded = result.stdout.splitlines()[-2:]
    assert "bump_version" in receivers
    assert urls_loaded == "False"
