"""Reading what a reader sees: the records listed on a page, the links it offers."""

import re

from html5lib import HTMLParser
from html5lib.constants import namespaces

_QUOTE_LINK = re.compile(r'class="quote-card__link" href="/quotes/([^/"]+)/"')
_SPEECH_LINK = re.compile(r'class="speech-item__title"><a href="/speeches/([^/"]+)/"')
XHTML = namespaces["html"]


def listed_quotes(response) -> list[str]:
    """Slugs of the quotes listed as results on a page, in order."""
    return _QUOTE_LINK.findall(_results(response))


def listed_speeches(response) -> list[str]:
    """Slugs of the speeches listed as results on a page, in order."""
    return _SPEECH_LINK.findall(_results(response))


def _results(response) -> str:
    html = response.content.decode()
    start = html.find('<ol class="results"')
    if start < 0:
        return ""
    return html[start : html.find("</ol>", start)]


def parse(response):
    """The page as an html5lib tree (namespace-qualified tags, e.g. ``{XHTML}a``)."""
    return HTMLParser(namespaceHTMLElements=True).parse(response.content)


def links(response) -> list[str]:
    """Every href on the page."""
    return [a.get("href") for a in parse(response).iter(f"{{{XHTML}}}a") if a.get("href")]


def select_options(response, name: str) -> dict[str, str]:
    """The options of the filter <select name=…>: value -> visible text."""
    tree = parse(response)
    for select in tree.iter(f"{{{XHTML}}}select"):
        if select.get("name") == name:
            return {
                option.get("value"): "".join(option.itertext()).strip()
                for option in select.iter(f"{{{XHTML}}}option")
            }
    raise AssertionError(f"no <select name={name!r}> on the page")


def facts(response) -> dict[str, str]:
    """The record page's facts list: each <dt> label with its <dd> text."""
    result = {}
    for dl in parse(response).iter(f"{{{XHTML}}}dl"):
        label = None
        for element in dl.iter():
            if element.tag == f"{{{XHTML}}}dt":
                label = " ".join("".join(element.itertext()).split())
            elif element.tag == f"{{{XHTML}}}dd" and label:
                result[label] = " ".join("".join(element.itertext()).split())
    return result


def section_links(response, heading_id: str) -> list[str]:
    """The hrefs inside the <section> labelled by the heading with id ``heading_id``."""
    for section in parse(response).iter(f"{{{XHTML}}}section"):
        if section.get("aria-labelledby") == heading_id:
            return [a.get("href") for a in section.iter(f"{{{XHTML}}}a")]
    raise AssertionError(f"no section labelled {heading_id!r}")
