"""Running axe-core (bundled by axe-playwright-python) in a page, for WCAG 2.2 AA."""

from pathlib import Path

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """The WCAG 2.2 A/AA violations axe finds on the current page, one line each."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
    ]
