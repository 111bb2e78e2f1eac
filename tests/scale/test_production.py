"""Production mode: pages render with hashed static files, which whitenoise serves for a year."""

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import make_quote

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def production_static(tmp_path):
    """collectstatic into a temporary STATIC_ROOT with the production storage, DEBUG off."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_MAX_AGE=60,  # production's
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


@pytest.mark.django_db
def test_pages_render_with_hashed_static_files_served_for_a_year(production_static):
    quote = make_quote(text="Sometimes improving outcomes means reorganising services.")
    client = Client()
    for url in ("/", quote.get_absolute_url(), quote.speech.get_absolute_url()):
        response = client.get(url)
        # A template naming a static file that collectstatic did not see fails here, as it
        # would in production.
        assert response.status_code == 200, url
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', response.content.decode())
    assert stylesheet, "the stylesheet link is not a hashed name"
    static = client.get(stylesheet.group(1))
    assert static.status_code == 200
    # Hashed names never change content, so browsers and CDNs may keep them "forever".
    assert "immutable" in static["Cache-Control"]
    assert "public" in static["Cache-Control"]
    # The unhashed copy beside it may change at the next release: a minute, not a year.
    unhashed = client.get(re.sub(r"\.[0-9a-f]{12}\.css$", ".css", stylesheet.group(1)))
    assert unhashed.status_code == 200
    assert "max-age=60" in unhashed["Cache-Control"]
    assert "immutable" not in unhashed["Cache-Control"]
