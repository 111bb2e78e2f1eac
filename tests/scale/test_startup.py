"""A serving process puts its start-up objects out of the garbage collector's sight."""

import subprocess
import sys


def test_the_wsgi_module_freezes_what_it_loaded():
    # In a process of its own: freezing the test runner's heap would outlive this test.
    script = "import gc, archive.wsgi; print(gc.get_freeze_count())"
    frozen = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    # Django, the models and the URL patterns: tens of thousands of objects.
    assert int(frozen.stdout.strip()) > 10_000
