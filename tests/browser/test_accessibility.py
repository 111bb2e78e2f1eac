"""axe-core finds no WCAG 2.2 A/AA violation on any page type, on desktop and on a phone."""

import pytest

from tests.browser.axe import axe_violations
from tests.browser.layout import sideways_overflow

# The live server needs committed data; serialized_rollback restores what the migrations
# created (the curators' groups) for the tests that run after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
# WCAG's reflow width: a 1280 px window at 400 % zoom, or the narrowest phones.
NARROWEST = {"width": 320, "height": 640}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE, "320px": NARROWEST}


def page_types(a) -> dict[str, str]:
    return {
        "home": "/",
        "speeches": "/speeches/?sort=oldest",
        "quotes, filtered": f"/quotes/?theme={a.reconfig.slug}&speaker={a.lansley.slug}",
        "quotes, invalid filter": "/quotes/?date_after=notadate&page=abc",
        "speech": a.speech_2012.get_absolute_url(),
        "quote": a.can.get_absolute_url(),
        "speakers": "/speakers/",
        "speaker": a.lansley.get_absolute_url(),
        "offices": "/offices/",
        "office": a.lansley_sos.get_absolute_url(),
        "events": "/events/",
        "event": a.show.get_absolute_url(),
        "themes": "/themes/",
        "theme": a.autonomy.get_absolute_url(),
        "source": a.source.get_absolute_url(),
        "search": "/search/?q=hundreds",
        "not found": "/speakers/nobody/",
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_type_has_no_axe_violations(browser, live_server, sample, settings, viewport):
    settings.ARCHIVE_PAGE_SIZE = 2  # pagination on the lists
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in page_types(sample).items():
        page.goto(live_server.url + path)
        # What a reader opens is checked open (the source's original text scrolls).
        for closed in page.locator("details:not([open]) > summary").all():
            closed.click()
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        if viewport != "desktop":
            # Nothing forces sideways scrolling on a phone, down to 320 px.
            overflow = sideways_overflow(page)
            if overflow > 0:
                problems.setdefault(name, []).append(f"page scrolls sideways by {overflow}px")
    context.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_a_long_unbroken_string_never_makes_a_phone_scroll_sideways(browser, live_server, sample):
    from tests.factories import make_quote

    address = "https://www.example.org/" + "averylongunbrokenpathsegment" * 4
    speech = sample.speech_2012
    speech.text += f" See {address} for details."
    speech.save()
    quote = make_quote(f"See {address} for details.", speech=speech, speaker=sample.lansley)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sideways = {}
    for path in (
        quote.get_absolute_url(),
        speech.get_absolute_url(),
        sample.lansley.get_absolute_url(),
        f"/quotes/?speaker={sample.lansley.slug}",
    ):
        page.goto(live_server.url + path)
        overflow = sideways_overflow(page)
        if overflow > 0:
            sideways[path] = overflow
    context.close()
    assert not sideways
