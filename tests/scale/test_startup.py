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


def test_the_views_and_the_templates_are_loaded_before_the_freeze():
    # Loaded by the first requests, after the freeze, they were walked by every full pass.
    script = """
import gc, sys, archive.wsgi
from django.template import engines
cache = engines["django"].engine.template_loaders[0].get_template_cache
compiled = [t for key, t in cache.items() if key.startswith("archive/search.html")]
thawed = {id(o) for o in gc.get_objects()}
print("archive.views.search" in sys.modules, len(compiled), id(compiled[0]) in thawed)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["True", "1", "False"]


def test_a_template_that_does_not_compile_is_left_for_its_page(tmp_path, settings, caplog):
    from django.template import engines

    from archive.startup import load_what_requests_load

    (tmp_path / "fine.html").write_text("<p>{{ word }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    load_what_requests_load()
    assert "broken.html was not loaded at startup" in caplog.text
    cache = engines["django"].engine.template_loaders[0].get_template_cache
    assert any(key.startswith("fine.html") for key in cache)
