"""Timelines: statements over time with terms of office as bands, as a server-rendered SVG.

``build_timeline`` is a pure function from statements and offices to a ``Timeline``: every
position is computed here, and ``templates/archive/_timeline_chart.html`` only writes it out, so
the chart needs no JavaScript and tests can check it without a browser. ``statements_for``
and ``offices_for`` read what a theme or speaker page charts, in two queries.

A statement is drawn over the whole period its date could mean: a dot for a day, a bar
across the month or year when only that is known. Statements with no known date cannot be
placed; they are listed in the table beneath the chart instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import Exact
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from archive.api.fields import partial_date
from archive.keyset import NoIndex
from archive.models import DatePrecision, Office, Quote, format_date, open_end
from archive.words import quoted

WIDTH = 760
LEFT = 150  # room for the row labels (speakers' names)
RIGHT = 16
TOP = 8
BAND_HEIGHT = 22
ROW_HEIGHT = 34
AXIS_HEIGHT = 28
# Marks that would cover each other (one date, or periods that overlap) go in lanes of a
# speaker's row, this far apart: a mark is 10 high, so each stays whole and can be clicked.
MARK_LANE = 12
MAX_MARK_LANES = 16  # beyond this many a row's marks share lanes (the table lists them all)
ROW_PADDING = 12
MARK_GAP = 2  # the least horizontal space between two marks in one lane
DOT_RADIUS = 5
BAR_HEIGHT = 10
MIN_BAR = 6
MAX_MARKS = 400  # the latest statements charted; the table says when there are more
# A chart that took this long to draw is cached (``cached_summary``'s ``min_ms``), sooner than
# a count: written out it is a few hundred kilobytes, and a popular theme's, drawn in 15 ms,
# fell under the counts' threshold and was drawn again for every view.
KEEP_AFTER_MS = 5


@dataclass(frozen=True)
class Statement:
    """One quotation as a chart sees it."""

    url: str
    text: str
    speaker: str
    speaker_key: str
    date: dt.date | None
    precision: str
    kind: str = "direct"  # or "reported" (``QuoteKind``): not in quotation marks

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.precision)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day the statement could have been made."""
        return period(self.date, self.precision)


@dataclass(frozen=True)
class Term:
    """A term of office to draw as a band."""

    post: str
    holder: str
    url: str
    start: dt.date
    end: dt.date | None
    ended: bool = False  # no end date, but held no longer

    @property
    def label(self) -> str:
        end = self.end.year if self.end else ("?" if self.ended else "present")
        return f"{self.holder}, {self.post}, {self.start.year}–{end}"


@dataclass(frozen=True)
class Mark:
    statement: Statement
    x: float
    y: float
    width: float  # 0: a dot (the day is known)

    @property
    def is_dot(self) -> bool:
        return self.width == 0

    @property
    def cx(self) -> float:
        return round(self.x, 1)

    @property
    def bar_y(self) -> float:
        return round(self.y - BAR_HEIGHT / 2, 1)

    @property
    def iso_date(self) -> str:
        return self.statement.date.isoformat() if self.statement.date else ""


@dataclass(frozen=True)
class Band:
    term: Term
    x: float
    y: float
    width: float
    height: float = BAND_HEIGHT - 4
    show_label: bool = True
    # What the band says: the post on one speaker's chart (every band is theirs), the
    # holder where several speakers' terms are drawn (their rows name them beside).
    text: str = ""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Row:
    label: str
    y: float


@dataclass
class Timeline:
    """Everything the template draws, with positions in SVG user units."""

    chart_id: str
    title: str
    description: str
    start: dt.date
    end: dt.date
    width: int = WIDTH
    height: int = 0
    marks: list[Mark] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    axis_y: float = 0
    statements: list[Statement] = field(default_factory=list)  # every one, for the table
    terms: list[Term] = field(default_factory=list)
    truncated: bool = False

    @property
    def statement_count(self) -> int:
        """How many statements the table lists (the latest ``MAX_MARKS`` when truncated)."""
        return len(self.statements)

    def x_for(self, date: dt.date) -> float:
        """Where ``date`` falls on the horizontal axis."""
        span = (self.end - self.start).days or 1
        return LEFT + (WIDTH - LEFT - RIGHT) * (date - self.start).days / span

    # The marks, the axis and the table rows are built here with plain string formatting
    # rather than in template loops: a chart of several hundred statements took the template
    # engine most of a page's time, and even the axis's few dozen numbers took a millisecond
    # (the template localises each number it prints). Every value is escaped (``_e``). A
    # chart is cached written out (``prerendered``), so they are not rebuilt for every request.

    @cached_property
    def marks_html(self) -> SafeString:
        """The marks as links, for the overlay drawn over the chart."""
        return mark_safe("\n".join(_mark_html(mark) for mark in self.marks))  # noqa: S308

    @cached_property
    def statement_rows_html(self) -> SafeString:
        """The table rows behind the chart: date, speaker, quotation (linked)."""
        return mark_safe("\n".join(_row_html(s) for s in self.statements))  # noqa: S308

    @cached_property
    def bands_html(self) -> SafeString:
        """The terms of office as shaded bands, and the speakers' row labels."""
        parts = [_band_html(band) for band in self.bands]
        parts += [
            f'<text class="timeline__row-label" x="4" y="{int(row.y) + 4}">'
            f"{_e(Truncator(row.label).chars(22))}</text>"
            for row in self.rows
        ]
        return mark_safe("\n".join(parts))  # noqa: S308

    @cached_property
    def axis_html(self) -> SafeString:
        """The horizontal axis: its line, and a tick and year label for each ``Tick``."""
        y = int(self.axis_y)
        parts = [f'<line x1="150" x2="{self.width - 16}" y1="{self.axis_y}" y2="{self.axis_y}"/>']
        parts += [
            f'<line x1="{tick.x}" x2="{tick.x}" y1="{self.axis_y}" y2="{y + 5}"/>'
            f'<text class="timeline__tick" x="{tick.x}" y="{y + 18}" text-anchor="middle">'
            f"{_e(tick.label)}</text>"
            for tick in self.ticks
        ]
        return mark_safe(f'<g class="timeline__axis">{"".join(parts)}</g>')  # noqa: S308

    @cached_property
    def term_rows_html(self) -> SafeString:
        """The table rows of the terms of office drawn as bands."""
        return mark_safe("\n".join(_term_row_html(term) for term in self.terms))  # noqa: S308


@dataclass(frozen=True)
class DrawnTimeline:
    """A ``Timeline`` written out: its section of the page (``_timeline_chart.html``), and
    nothing it was drawn from. A theme's chart is kept in the cache for every page view, and
    the marks and statements behind it are thousands of small objects (4 ms to unpickle at a
    million quotations, and work for the garbage collector after). Written out whole, a page
    view copies one string: rendering the section's few fields took the template engine a
    millisecond of a theme page, most of it joining and copying its 300 KB."""

    html: SafeString


def prerendered(chart: Timeline | None) -> DrawnTimeline | None:
    """``chart`` written out, ready to be cached whole."""
    if chart is None:
        return None
    return DrawnTimeline(render_to_string("archive/_timeline_chart.html", {"t": chart}))


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def _long_date(date: dt.date) -> str:
    return f'<time datetime="{date.isoformat()}">{date.day} {date.strftime("%B %Y")}</time>'


def _band_html(band: Band) -> str:
    term = band.term
    label = (
        f'<text x="{int(band.x) + 4}" y="{int(band.y) + 13}">{_e(band.text)}</text>'
        if band.show_label
        else ""
    )
    return (
        f'<g class="timeline__band" data-post="{_e(term.post)}" data-holder="{_e(term.holder)}" '
        f'data-start="{_iso(term.start)}" data-end="{_iso(term.end)}">'
        f"<title>{_e(term.label)}</title>"
        f'<rect x="{band.x}" y="{band.y}" width="{band.width}" height="{band.height}" rx="3"/>'
        f"{label}</g>"
    )


def _term_row_html(term: Term) -> str:
    end = _long_date(term.end) if term.end else open_end(term.ended)
    return (
        f'<tr><td>{_e(term.holder)}</td><td><a href="{_e(term.url)}">{_e(term.post)}</a></td>'
        f"<td>{_long_date(term.start)}</td><td>{end}</td></tr>"
    )


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _words(text: str, limit: int) -> str:
    """The first ``limit`` words (as the ``truncatewords`` filter cuts them)."""
    words = text.split()
    return " ".join(words[:limit]) + " …" if len(words) > limit else " ".join(words)


def _mark_html(mark: Mark) -> str:
    statement = mark.statement
    if mark.is_dot:
        shape = f'<circle cx="{mark.cx}" cy="{mark.y}" r="5"/>'
    else:
        width = f"{mark.width:.1f}"
        shape = f'<rect x="{mark.cx}" y="{mark.bar_y}" width="{width}" height="10" rx="2"/>'
    return (
        f'<a class="timeline__mark" href="{_e(statement.url)}" tabindex="-1" '
        f'data-date="{mark.iso_date}" data-precision="{_e(statement.precision)}">'
        f"<title>{_e(statement.speaker)}, {_e(statement.date_display)}: "
        f"{_e(quoted(_words(statement.text, 15), statement.kind))}</title>{shape}</a>"
    )


def _row_html(statement: Statement) -> str:
    when = _e(statement.date_display)
    machine = partial_date(statement.date, statement.precision)
    if machine:  # "2012-06" for June 2012: never a day the source does not give
        when = f'<time datetime="{machine}">{when}</time>'
    return (
        f"<tr><td>{when}</td><td>{_e(statement.speaker)}</td>"
        f'<td><a href="{_e(statement.url)}">'
        f"{_e(quoted(_words(statement.text, 20), statement.kind))}</a></td></tr>"
    )


def period(date: dt.date | None, precision: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date known to ``precision`` could mean; None if unknown."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    return date, date


def _mark_lanes(placed: list[tuple[Statement, float, float]]) -> tuple[list[int], dict]:
    """A lane for each (statement, x, width), in its speaker's row, so that marks in one
    lane never cover each other (greedy, in date order), and how many lanes each row
    uses. Past ``MAX_MARK_LANES`` a mark goes in the lane that is free soonest."""
    ends: dict[str, list[float]] = defaultdict(list)
    lanes = []
    for statement, x, width in placed:
        left = x - DOT_RADIUS if width == 0 else x
        right = x + DOT_RADIUS if width == 0 else x + width
        row = ends[statement.speaker_key]
        free = [i for i, end in enumerate(row) if end + MARK_GAP <= left]
        if free:
            lane = free[0]
        elif len(row) < MAX_MARK_LANES:
            row.append(right)
            lane = len(row) - 1
        else:
            lane = min(range(len(row)), key=row.__getitem__)
        row[lane] = max(row[lane], right)
        lanes.append(lane)
    return lanes, {key: max(1, len(row)) for key, row in ends.items()}


def _lanes(terms: list[Term], end: dt.date) -> list[int]:
    """A lane for each term so that bands in one lane never overlap (greedy, by start)."""
    lane_ends: list[dt.date] = []
    lanes = []
    for term in terms:
        finish = term.end or end
        for i, lane_end in enumerate(lane_ends):
            if term.start > lane_end:
                lane_ends[i] = finish
                lanes.append(i)
                break
        else:
            lane_ends.append(finish)
            lanes.append(len(lane_ends) - 1)
    return lanes


def build_timeline(
    statements: Iterable[Statement],
    terms: Iterable[Term],
    *,
    chart_id: str,
    title: str,
    truncated: bool = False,
) -> Timeline | None:
    """The chart of ``statements`` with ``terms`` as bands; None when nothing has a date."""
    statements = list(statements)
    dated = [s for s in statements if s.period]
    if not dated:
        return None
    terms = sorted(terms, key=lambda t: (t.start, t.holder, t.post))
    first = min([s.period[0] for s in dated] + [t.start for t in terms])
    last = max([s.period[1] for s in dated] + [t.end for t in terms if t.end])
    chart = Timeline(
        chart_id=chart_id,
        title=title,
        description="",
        start=dt.date(first.year, 1, 1),
        end=dt.date(last.year, 12, 31),
        statements=sorted(statements, key=_chronological),
        terms=terms,
        truncated=truncated,
    )

    lanes = _lanes(terms, chart.end)
    one_holder = len({term.holder for term in terms}) == 1
    for term, lane in zip(terms, lanes, strict=True):
        text = term.post if one_holder else term.holder
        x = chart.x_for(max(term.start, chart.start))
        x_end = chart.x_for(min(term.end or chart.end, chart.end))
        width = max(x_end - x, 2)
        chart.bands.append(
            Band(
                term,
                round(x, 1),
                TOP + lane * BAND_HEIGHT,
                round(width, 1),
                show_label=width >= 7 * len(text),
                text=text,
            )
        )
    rows_top = TOP + (max(lanes) + 1 if lanes else 0) * BAND_HEIGHT + 8

    # One row per speaker, in order of their first statement.
    order: dict[str, str] = {}
    for statement in sorted(dated, key=_chronological):
        order.setdefault(statement.speaker_key, statement.speaker)
    # Each statement's place on the axis, then its lane in its speaker's row.
    placed = []
    for statement in sorted(dated, key=_chronological):
        start, end = statement.period
        x = chart.x_for(start)
        width = 0.0 if start == end else max(chart.x_for(end) - x, MIN_BAR)
        placed.append((statement, x, width))
    lanes, lane_counts = _mark_lanes(placed)
    row_y: dict[str, float] = {}
    top = rows_top
    for key in order:
        height = max(ROW_HEIGHT, lane_counts[key] * MARK_LANE + ROW_PADDING)
        row_y[key] = top + height / 2
        top += height
    chart.rows = [Row(name, row_y[key]) for key, name in order.items()]
    for (statement, x, width), lane in zip(placed, lanes, strict=True):
        middle = (lane_counts[statement.speaker_key] - 1) / 2
        y = row_y[statement.speaker_key] + (lane - middle) * MARK_LANE
        chart.marks.append(Mark(statement, x, round(y, 1), width))

    chart.axis_y = top + 4
    chart.height = int(chart.axis_y + AXIS_HEIGHT)
    years = range(chart.start.year, chart.end.year + 2)
    step = max(1, len(years) // 8)  # at most about eight labelled years
    chart.ticks = [
        Tick(round(chart.x_for(dt.date(year, 1, 1)), 1), str(year))
        for year in years[::step]
        if dt.date(year, 1, 1) <= chart.end + dt.timedelta(days=1)
    ]
    chart.description = describe(chart, undated=len(statements) - len(dated))
    return chart


def describe(chart: Timeline, *, undated: int) -> str:
    """What the chart shows, in words, for its ``<desc>``."""
    n = len(chart.marks)
    # The years the quotations span, not the axis's, which also spans the terms drawn.
    years = sorted(mark.statement.date.year for mark in chart.marks)
    if not years:
        span = ""
    elif years[0] == years[-1]:
        span = f" from {years[0]}"
    else:
        span = f" from {years[0]} to {years[-1]}"
    text = f"{n} quotation{'s' if n != 1 else ''}{span}, one row per speaker"
    if chart.terms:
        text += f"; {len(chart.terms)} term{'s' if len(chart.terms) != 1 else ''} of office "
        text += "drawn as bands: " + "; ".join(t.label for t in chart.terms)
    text += ". A dot marks a quotation whose day is known; a bar spans the month or year."
    if undated:
        are = "are" if undated != 1 else "is"
        text += f" {undated} quotation{'s' if undated != 1 else ''} without a known date "
        text += f"{are} listed in the table but not drawn."
    if chart.truncated:
        text += f" Only the latest {MAX_MARKS} quotations are charted."
    return text


def _chronological(statement: Statement):
    return (statement.date or dt.date.max, statement.speaker, statement.url)


# -- what a page charts -------------------------------------------------------------------


def statements_for(quotes: QuerySet[Quote]) -> tuple[list[Statement], bool]:
    """The latest ``MAX_MARKS`` published quotations of ``quotes``, in one query, and
    whether there were more."""
    rows = list(
        quotes.published()
        .order_by(F("speech__date").desc(nulls_last=True), "-pk")
        .values_list(
            "slug", "text", "speaker__name", "speaker__slug", "speech__date",
            "speech__date_precision", "kind",
        )[: MAX_MARKS + 1]
    )  # fmt: skip
    # One reverse() for all: a quotation's address is a fixed prefix and its slug.
    address = reverse("archive:quote-detail", kwargs={"slug": "slug"})
    prefix, suffix = address.rsplit("slug", 1)
    statements = [
        Statement(
            url=f"{prefix}{slug}{suffix}",
            text=text,
            speaker=name,
            speaker_key=speaker_slug,
            date=date,
            precision=precision,
            kind=kind,
        )
        for slug, text, name, speaker_slug, date, precision, kind in rows[:MAX_MARKS]
    ]
    return statements, len(rows) > MAX_MARKS


def terms_for(offices: QuerySet[Office]) -> list[Term]:
    """Terms of office with a known start, in one query."""
    rows = offices.filter(start_date__isnull=False).values_list(
        "post", "slug", "speaker__name", "start_date", "end_date", "ended"
    )
    return [
        Term(post, name, reverse("archive:office-detail", kwargs={"slug": slug}), start, end, ended)
        for post, slug, name, start, end, ended in rows
    ]


def theme_timeline(theme, *, walk: bool = False) -> Timeline | None:
    """A theme page's chart: its quotations, and the terms of office of those who spoke.

    ``walk``: the theme is large, so read its latest quotations by walking the date index
    and checking each quotation's themes rather than gathering and sorting the whole theme.
    """
    if walk:
        tagged = Quote.themes.through.objects.filter(quote_id=OuterRef("pk"), theme=theme)
        quotes = Quote.objects.filter(Exists(tagged))
    else:
        quotes = Quote.objects.filter(themes=theme)
    statements, truncated = statements_for(quotes)
    speakers = {s.speaker_key for s in statements}
    terms = terms_for(Office.objects.filter(speaker__slug__in=speakers, is_ministerial=True))
    return build_timeline(
        statements,
        terms,
        chart_id="timeline",
        title=f"Quotations on {theme.name} over time",
        truncated=truncated,
    )


def speaker_timeline(speaker, *, walk: bool = False) -> Timeline | None:
    """A speaker page's chart: their quotations, and every term of office they held.

    ``walk``: the speaker said a great deal, so walk the date index (see ``theme_timeline``).
    """
    if walk:
        quotes = Quote.objects.filter(Exact(NoIndex(F("speaker_id")), speaker.pk))
    else:
        quotes = Quote.objects.filter(speaker=speaker)
    statements, truncated = statements_for(quotes)
    return build_timeline(
        statements,
        terms_for(Office.objects.filter(speaker=speaker)),
        chart_id="timeline",
        title=f"Quotations by {speaker.name} over time",
        truncated=truncated,
    )
