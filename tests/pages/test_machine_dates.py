"""Every ``<time datetime>`` on a page is as precise as the date it marks: "2012-06" for June
2012, "2006" for 2006, a day only where the source gives one (README: never an invented day)."""

import re

import pytest

TIME = re.compile(r'<time datetime="([^"]*)">([^<]*)</time>')
MONTH_YEAR = re.compile(r"[A-Z][a-z]+ \d{4}")
YEAR = re.compile(r"\d{4}")


@pytest.mark.parametrize(
    "url",
    [
        "/speakers/andrew-lansley/",  # the timeline's data table
        "/speakers/patricia-hewitt/",
        "/themes/provider-failure/",
        "/pledges/",  # a pledge due in April 2013
        "/quotes/andrew-lansley-we-are-still-intending-that-you/",
        "/quotes/",
        "/speeches/",
    ],
)
def test_no_machine_date_is_more_precise_than_the_date_shown(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    tags = TIME.findall(response.content.decode())
    assert tags, url
    for machine, shown in tags:
        if YEAR.fullmatch(shown):
            assert machine == shown, (url, machine, shown)
        elif MONTH_YEAR.fullmatch(shown):
            assert re.fullmatch(r"\d{4}-\d{2}", machine), (url, machine, shown)
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", machine), (url, machine, shown)
