"""Timelines on theme and speaker pages: one mark per statement on its date, offices as bands."""

import datetime as dt

import html5lib
import pytest

from archive.insight.timeline import Statement, Term, build_timeline, period, speaker_timeline
from archive.models import Office, Quote, Speaker, Theme

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def chart(html: str):
    """The page's timeline figure (the picture and the layer of links over it), parsed."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    figures = [e for e in document.iter("div") if e.get("class") == "timeline__figure"]
    assert len(figures) == 1
    return figures[0]


def picture(html: str):
    """The timeline's <svg role="img">."""
    svgs = [e for e in chart(html).iter(f"{SVG}svg") if "timeline__chart" in e.get("class", "")]
    assert len(svgs) == 1
    return svgs[0]


def marks(svg) -> list:
    return [a for a in svg.iter(f"{SVG}a") if "timeline__mark" in a.get("class", "")]


def test_theme_chart_has_one_mark_per_dated_statement_on_its_date(client, seed):
    theme = Theme.objects.get(slug="service-reconfiguration")
    response = client.get(theme.get_absolute_url())
    found = {(a.get("href"), a.get("data-date")) for a in marks(chart(response.text))}
    quotes = Quote.objects.filter(themes=theme, speech__date__isnull=False).select_related("speech")
    expected = {(q.get_absolute_url(), q.speech.date.isoformat()) for q in quotes}
    assert found == expected
    assert len(marks(chart(response.text))) == quotes.count()


def test_marks_sit_where_their_date_falls(client, seed):
    speaker = Speaker.objects.get(slug="andrew-lansley")
    response = client.get(speaker.get_absolute_url())
    timeline = speaker_timeline(speaker)  # the page shows it written out, without its scale
    for mark in marks(chart(response.text)):
        shape = next(mark.iter(f"{SVG}circle"), None)
        if shape is None:  # (an element without children is falsy: no `or` here)
            shape = next(mark.iter(f"{SVG}rect"))
        x = float(shape.get("cx") or shape.get("x"))
        start, _ = period(dt.date.fromisoformat(mark.get("data-date")), mark.get("data-precision"))
        assert x == pytest.approx(timeline.x_for(start), abs=0.1)
    # The letter of 16 February 2012 is known to the day: a dot, not a bar.
    letter = [m for m in marks(chart(response.text)) if m.get("data-date") == "2012-02-16"]
    assert letter and all(next(m.iter(f"{SVG}circle"), None) is not None for m in letter)


def test_axis_labels_years_where_they_begin(client, seed):
    speaker = Speaker.objects.get(slug="andrew-lansley")
    timeline = speaker_timeline(speaker)
    axes = [g for g in picture(client.get(speaker.get_absolute_url()).text).iter(f"{SVG}g")]
    axis = [g for g in axes if g.get("class") == "timeline__axis"]
    assert len(axis) == 1
    labels = {int(t.text): float(t.get("x")) for t in axis[0].iter(f"{SVG}text")}
    assert len(labels) >= 2
    for year, x in labels.items():
        assert x == pytest.approx(timeline.x_for(dt.date(year, 1, 1)), abs=0.1)
    # Each label has its tick: a short line below the axis at the same x.
    ticks = [float(line.get("x1")) for line in axis[0].iter(f"{SVG}line")][1:]
    assert sorted(ticks) == sorted(labels.values())
    first_line = next(axis[0].iter(f"{SVG}line"))
    assert first_line.get("y1") == first_line.get("y2")  # the axis itself, horizontal


def test_bands_match_the_speakers_offices(client, seed):
    speaker = Speaker.objects.get(slug="andrew-lansley")
    svg = chart(client.get(speaker.get_absolute_url()).text)
    bands = {
        (g.get("data-post"), g.get("data-start"), g.get("data-end"))
        for g in svg.iter(f"{SVG}g")
        if "timeline__band" in g.get("class", "")
    }
    expected = {
        (o.post, o.start_date.isoformat(), o.end_date.isoformat())
        for o in Office.objects.filter(speaker=speaker)
    }
    assert bands == expected


def test_theme_bands_are_the_ministerial_terms_of_those_who_spoke(client, seed):
    theme = Theme.objects.get(slug="service-reconfiguration")
    svg = chart(client.get(theme.get_absolute_url()).text)
    holders = {
        (g.get("data-holder"), g.get("data-post"))
        for g in svg.iter(f"{SVG}g")
        if "timeline__band" in g.get("class", "")
    }
    assert ("Patricia Hewitt", "Secretary of State for Health") in holders
    assert ("Andrew Lansley", "Secretary of State for Health") in holders
    assert not any(holder == "Duncan Selbie" for holder, _ in holders)  # not a minister


def test_chart_is_accessible_without_seeing_it(client, seed):
    response = client.get("/speakers/andrew-lansley/")
    svg = picture(response.text)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == labelled[0]
    assert svg.find(f"{SVG}desc").get("id") == labelled[1]
    assert "terms of office" in svg.find(f"{SVG}desc").text
    assert "<summary>The data behind this chart</summary>" in response.text
    # Undated statements cannot be drawn but are in the table.
    assert "Date unknown" in response.text.split("The data behind this chart")[1]


def test_partial_dates_span_their_period():
    statements = [
        Statement("/a/", "A", "X", "x", dt.date(2012, 6, 1), "month"),
        Statement("/b/", "B", "X", "x", dt.date(2006, 1, 1), "year"),
        Statement("/c/", "C", "X", "x", None, "unknown"),
    ]
    timeline = build_timeline(statements, [], chart_id="t", title="T")
    assert len(timeline.marks) == 2
    by_url = {m.statement.url: m for m in timeline.marks}
    june = by_url["/a/"]
    assert june.width == pytest.approx(
        timeline.x_for(dt.date(2012, 6, 30)) - timeline.x_for(dt.date(2012, 6, 1))
    )
    assert by_url["/b/"].width > june.width
    assert "1 quotation without a known date is listed" in timeline.description


def _box(mark) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a mark as drawn: a dot of radius 5, a bar 10 high."""
    if mark.is_dot:
        return mark.cx - 5, mark.y - 5, mark.cx + 5, mark.y + 5
    return mark.cx, mark.bar_y, mark.cx + mark.width, mark.bar_y + 10


def test_marks_never_cover_each_other_so_each_can_be_clicked():
    # Nine quotations of one letter's day, a June and a year around them, two in one week,
    # and another speaker's on the same day: the seed's letter and its neighbours.
    statements = [
        Statement(f"/l{n}/", "L", "Lansley", "l", dt.date(2012, 2, 16), "day") for n in range(9)
    ] + [
        Statement("/june/", "J", "Lansley", "l", dt.date(2012, 6, 1), "month"),
        Statement("/year/", "Y", "Lansley", "l", dt.date(2012, 1, 1), "year"),
        Statement("/w1/", "W", "Lansley", "l", dt.date(2012, 6, 12), "day"),
        Statement("/w2/", "W", "Lansley", "l", dt.date(2012, 6, 14), "day"),
        Statement("/h/", "H", "Hewitt", "h", dt.date(2012, 2, 16), "day"),
    ]
    timeline = build_timeline(statements, [], chart_id="t", title="T")
    boxes = [_box(m) for m in timeline.marks]
    assert len(boxes) == len(statements)
    for i, (l1, t1, r1, b1) in enumerate(boxes):
        for l2, t2, r2, b2 in boxes[i + 1 :]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1
    # Every mark is inside the chart, above its axis, and in its speaker's row.
    rows = {row.label: row.y for row in timeline.rows}
    assert rows["Lansley"] < rows["Hewitt"]
    for mark, (_, top, _, bottom) in zip(timeline.marks, boxes, strict=True):
        assert top > 0 and bottom < timeline.axis_y
        assert (mark.y < rows["Hewitt"]) is (mark.statement.speaker == "Lansley")


def test_overlapping_terms_get_separate_lanes():
    terms = [
        Term("Post A", "One", "/o/a/", dt.date(2010, 1, 1), dt.date(2012, 1, 1)),
        Term("Post B", "Two", "/o/b/", dt.date(2011, 1, 1), None),
    ]
    statement = Statement("/a/", "A", "X", "x", dt.date(2011, 6, 1), "day")
    timeline = build_timeline([statement], terms, chart_id="t", title="T")
    assert timeline.bands[0].y != timeline.bands[1].y
    # An open-ended term runs to the end of the chart.
    assert timeline.bands[1].x + timeline.bands[1].width == pytest.approx(
        timeline.x_for(timeline.end), abs=0.2
    )


def test_no_dated_statements_no_chart(client, db):
    from tests.factories import make_quote, make_speaker, make_speech

    speaker = make_speaker("Nobody Dated")
    make_quote("Words.", speech=make_speech(speaker=speaker, date=None, date_precision="unknown"))
    response = client.get(speaker.get_absolute_url())
    assert response.status_code == 200
    assert "timeline__chart" not in response.text


def test_timeline_costs_the_same_queries_however_many_statements(
    client, db, django_assert_max_num_queries
):
    from tests.factories import make_office, make_quote, make_speaker, make_speech

    counts = []
    for n in (1, 12):
        speaker = make_speaker(f"Prolific {n}")
        make_office(speaker=speaker, start_date=dt.date(2010, 1, 1))
        for i in range(n):
            speech = make_speech(speaker=speaker, date=dt.date(2011, 1, 1 + i))
            make_quote(f"Statement {i} by {n}.", speech=speech)
        with django_assert_max_num_queries(60) as captured:
            client.get(speaker.get_absolute_url())
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_description_gives_the_quotations_years_not_the_axis():
    statements = [
        Statement("/a/", "A", "X", "x", dt.date(2012, 6, 1), "day"),
        Statement("/b/", "B", "X", "x", dt.date(2012, 9, 1), "day"),
    ]
    terms = [Term("Secretary of State", "X", "/o/", dt.date(2010, 5, 12), dt.date(2014, 9, 4))]
    timeline = build_timeline(statements, terms, chart_id="t", title="T")
    assert timeline.start.year == 2010  # the axis spans the term
    assert timeline.description.startswith("2 quotations from 2012, one row per speaker")


def _band_texts(svg) -> list[str]:
    return [
        t.text
        for g in svg.iter(f"{SVG}g")
        if "timeline__band" in g.get("class", "")
        for t in g.iter(f"{SVG}text")
    ]


def test_one_speakers_bands_are_named_by_post_several_speakers_by_holder(client, seed):
    # On a speaker's page every band is theirs: their name on each said nothing.
    speaker = Speaker.objects.get(slug="andrew-lansley")
    posts = set(Office.objects.filter(speaker=speaker).values_list("post", flat=True))
    named = _band_texts(picture(client.get(speaker.get_absolute_url()).text))
    assert named and set(named) <= posts
    theme = Theme.objects.get(slug="service-reconfiguration")
    holders = set(_band_texts(picture(client.get(theme.get_absolute_url()).text)))
    assert holders and holders <= {"Patricia Hewitt", "Andrew Lansley", "Alan Johnson"}


def test_the_chart_scrolls_in_a_region_the_keyboard_can_reach(client, seed):
    html = client.get("/speakers/andrew-lansley/").text
    document = html5lib.parse(html, namespaceHTMLElements=False)
    (region,) = [e for e in document.iter("div") if e.get("class") == "timeline__scroll"]
    assert region.get("tabindex") == "0"
    title = picture(html).find(f"{SVG}title")
    assert region.get("aria-labelledby") == title.get("id")
    assert [e.get("class") for e in region] == ["timeline__figure"]
