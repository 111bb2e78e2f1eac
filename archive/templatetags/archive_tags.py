"""Template helpers for the reader pages: dates with their precision, navigation state."""

from functools import partial
from html import escape as _e
from urllib.parse import quote

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from archive.api.fields import partial_date
from archive.cards import QuoteCard, SpeechItem
from archive.filter_form import filter_form_html
from archive.links import page_url, record_url, record_urls, web_url
from archive.models import DatePrecision, Quote, Speech, open_end
from archive.page_links import pagination_html
from archive.search.results import SearchHit
from archive.words import first_words, quoted

register = template.Library()


@register.simple_tag
def address(name: str) -> str:
    """``{% url name %}`` for a page without arguments, worked out once per process
    (``archive.links.page_url``): a page links twenty or so of them, each ``{% url %}`` a
    walk through the resolver."""
    return page_url(name)


@register.simple_tag(takes_context=True)
def filter_form(context) -> SafeString:
    """The list's filter form (``form_fields``), as ``archive.filter_form`` writes it."""
    return filter_form_html(
        context["request"].path,
        context.get("form_fields", ()),
        counts_pending=context.get("counts_pending", False),
        is_filtered=context.get("is_filtered", False),
    )


@register.simple_tag(takes_context=True)
def pagination(context) -> SafeString:
    """The links between the list's pages (``page_obj``), as ``archive.page_links`` writes
    them."""
    return pagination_html(context["request"].GET, context.get("page_obj"))


@register.simple_tag
def record_address(name: str, slug: str) -> str:
    """``{% url name slug=slug %}`` for a record's page, remembered for the process's life
    (``archive.links.record_url``)."""
    return record_url(name, slug)


# The machine-readable form of a date, as precise as it is known (HTML's year, month and
# date strings), so a "July 2012" speech is never given an invented day.
_DATETIME_FORMATS = {
    DatePrecision.DAY: "%Y-%m-%d",
    DatePrecision.MONTH: "%Y-%m",
    DatePrecision.YEAR: "%Y",
}


@register.filter
def grouped(number) -> str:
    """A count with its thousands grouped, as a reader reads it: "1,000,000", "More than
    1,000 results". Anything that is not a whole number is shown as it is."""
    if isinstance(number, bool) or not isinstance(number, int):
        return number
    return f"{number:,}"


@register.filter
def duration_words(span) -> str:
    """A ``timedelta`` as a person says it: "an hour", "2 hours", "30 minutes" (the lockout
    page; Django writes "1:00:00")."""
    try:
        minutes = round(span.total_seconds() / 60)
    except AttributeError:
        return ""
    hours, rest = divmod(minutes, 60)
    if minutes < 60 or rest:
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    return "an hour" if hours == 1 else f"{hours} hours"


@register.filter
def time_tag(record) -> str:
    """``<time datetime="2012-07">July 2012</time>`` for anything with a dated precision."""
    date = getattr(record, "date", None)
    fmt = _DATETIME_FORMATS.get(getattr(record, "date_precision", None))
    if date is None or fmt is None:
        # Mostly within a sentence ("in <cite>…</cite>, date unknown"); capitalised by the
        # stylesheet where it stands alone (a <dd>).
        return mark_safe('<span class="date-unknown">date unknown</span>')
    # Years before 1000 need four digits in HTML; strftime does not pad them everywhere.
    machine = f"{date.year:04d}{date.strftime(fmt)[4:]}"
    return format_html('<time datetime="{}">{}</time>', machine, record.date_display)


@register.filter
def machine_date(date, precision) -> str:
    """A ``<time datetime>`` value as precise as the date is known: "2013-04" for April
    2013, never a day nobody gave (``due_date|machine_date:due_date_precision``)."""
    return partial_date(date, precision) or ""


@register.filter(name="quoted")
def quoted_filter(words, kind) -> str:
    """A quotation's words in “ ” if they are the speaker's own, "Reported: …" if they are
    reported speech (``quote.text|first_words:20|quoted:quote.kind``); escaped on output."""
    return quoted(str(words), str(kind))


@register.filter(name="first_words")
def first_words_filter(text, count) -> str:
    """Django's ``truncatewords`` (the first ``count`` words and " …" if there were more),
    at a fifth of the cost (``archive.words``); escaped on output like any other value."""
    try:
        count = int(count)
    except (TypeError, ValueError):
        return text  # as ``truncatewords`` does with a count it cannot read
    return first_words(str(text), count)


register.filter("web_url", web_url)


@register.simple_tag(takes_context=True)
def nav_marks(context) -> dict[str, SafeString]:
    """The main menu's marks, read once per page (``{{ marks.speech }}``): the current
    family's link gets ``aria-current="page"`` on that list's own page, ``"true"`` on a page
    within it (a speech of the speeches); no link is marked on an error page (a 404 at
    /speakers/nobody/ is no page of the speakers)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None) or ""
    if context.get("error_page") or not name:
        return {}
    # Fixed markup only: nothing of the request goes into it.
    mark = ' aria-current="page"' if name.endswith("-list") else ' aria-current="true"'
    return {name.split("-")[0]: SafeString(mark)}


@register.simple_tag
def term_dates(office) -> SafeString:
    """An office's term as readable dates: "12 May 2010 – 4 September 2012"; "dates
    unknown" for a post over at an unknown time whose start is not known either."""
    if office.start_date is None and office.end_date is None and office.ended:
        return mark_safe("dates unknown")  # noqa: S308 (fixed words)
    start = _day(office.start_date) if office.start_date else "start unknown"
    end = _day(office.end_date) if office.end_date else open_end(office.ended)
    # Dates and fixed words only: nothing to escape.
    return mark_safe(f"{start} – {end}")  # noqa: S308


def _day(date) -> str:
    return f'<time datetime="{date.isoformat()}">{date.day} {date.strftime("%B %Y")}</time>'


@register.simple_tag
def office_holders(holders) -> SafeString:
    """The ``<li>`` items of a post's holders, as its page lists them: each holder's name,
    term, quotations in post (``statement_count``, None if not counted) and public record
    of the term.

    Built here with plain string formatting, as ``quote_card`` is: a post of 370 holders
    took 24 ms in the template language. Every value from the database goes through ``_e``.
    """
    speaker_url = partial(record_urls(), "archive:speaker-detail")
    quote_list = page_url("archive:quote-list")
    items = []
    for holder in holders:
        speaker, count = holder.speaker, holder.statement_count
        query = f"office={quote(holder.slug)}&speaker={quote(speaker.slug)}"
        record = web_url(holder.source_url)
        if record:
            record = f'\n  · <a href="{_e(record)}" rel="external">public record of the term</a>'
        items.append(
            f'<li><a href="{_e(speaker_url(speaker.slug))}">{_e(speaker.name)}</a><br>\n'
            f'  <span class="terms__dates">{term_dates(holder)}</span>\n'
            f'  · <a href="{_e(quote_list)}?{_e(query)}">{_in_post(count)}</a>{record}\n</li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 -- every value escaped above


def _in_post(count: int | None) -> str:
    """ "3 quotations in post", or without a number when it was not counted (None)."""
    if count is None:
        return "Quotations in post"
    return f"{count} quotation{'' if count == 1 else 's'} in post"


NOT_IN_THE_WORDS = (
    "Your words are not in the quotation itself: it was found by its speaker, its "
    "attribution or its themes."
)
_REPORTED_CLASS = ' class="reported"'
_REPORTED_TAG = '<span class="tag tag--plain">Reported speech</span>'


def _where(card: QuoteCard) -> str:
    """How a card's caption introduces the quotation's speech: "in" the speaker's own, or
    "reported alongside" another's (a reaction reported beside it was not said in it)."""
    return "in" if card.own_speech else "reported alongside"


@register.simple_tag
def quote_card(quote: Quote | QuoteCard) -> SafeString:
    """A quotation as a list shows it: its words (the first 70), who said it in what office,
    where and when, its themes and a link to its page. Takes a ``QuoteCard`` (the lists read
    those) or a quotation loaded with its speech, speaker, themes and offices.

    Built here with plain string formatting rather than in a template (or ``format_html``):
    a page of twenty cards cost 10–20 ms in the template language, and 8 ms through
    Django's lazy-aware escaping. Every value from the database goes through ``_e``.
    """
    card = quote if isinstance(quote, QuoteCard) else QuoteCard.of(quote)
    words = _e(first_words(card.text, 70))
    return _quote_html(card, f"<p>{words}</p>")


@register.simple_tag
def speech_item(speech: Speech | SpeechItem) -> SafeString:
    """A speech as a list shows it: its title, kind, speaker and office, date, event and
    summary (the first 50 words). Takes a ``SpeechItem`` or a speech loaded with its
    speaker, offices and event; built as ``quote_card`` is, for the same reason."""
    item = speech if isinstance(speech, SpeechItem) else SpeechItem.of(speech)
    summary = _e(first_words(item.summary, 50)) if item.summary else ""
    return _speech_html(item, _e(item.title), summary)


@register.simple_tag
def search_hit(hit: SearchHit) -> SafeString:
    """A search result: the quotation's card or the speech's item, with the matched words
    marked (``hit.marked_text`` and ``marked_title`` were escaped before ``<mark>`` was
    added, by ``archive.search.highlight``)."""
    if hit.is_quote:
        quotation = linebreaks_filter(hit.marked_text)
        # Matched by what is indexed beside the words (the speaker's name, the attribution,
        # the themes' names): a reader looking for where a word was said must be told, or
        # would take it for a miss of the highlighting.
        note = "" if hit.in_words else f'  <p class="hit__why">{NOT_IN_THE_WORDS}</p>\n'
        return _quote_html(hit.record, quotation, hit=True, note=note)
    marked_text = conditional_escape(hit.marked_text)
    return _speech_html(hit.record, conditional_escape(hit.marked_title), marked_text, hit=True)


def _quote_html(
    card: QuoteCard, quotation: str, *, hit: bool = False, note: str = ""
) -> SafeString:
    """A quotation's card around ``quotation`` (safe HTML: its words, cut or marked), with
    ``note`` (safe HTML) after the quotation and its caption."""
    reported = card.kind == "reported"
    themes = "".join(f'<a class="tag" href="{_e(t.url)}">{_e(t.name)}</a>' for t in card.themes)
    office_html = (
        f', <span class="quotation__office">{_e(card.office)}</span>' if card.office else ""
    )
    opening = (
        '<div class="quote-card search-hit search-hit--quote">\n'
        '  <p class="record__kind"><span class="tag tag--plain">Quotation</span></p>\n'
        if hit
        else '<div class="quote-card">\n'
    )
    hidden = _e(first_words(card.text, 8))
    return mark_safe(  # noqa: S308 -- every value above is escaped or safe HTML
        f"{opening}"
        '  <figure class="quotation quotation--card">\n'
        f"    <blockquote{_REPORTED_CLASS if reported else ''}>{quotation}</blockquote>\n"
        "    <figcaption>\n"
        f'      <a class="quotation__who" href="{_e(card.speaker.url)}">'
        f"{_e(card.speaker.name)}</a>{office_html}\n"
        f'      <span class="quotation__where">{_where(card)} '
        f'<cite><a href="{_e(card.speech.url)}">'
        f"{_e(card.speech.name)}</a></cite>, {time_tag(card.speech)}</span>\n"
        "    </figcaption>\n"
        "  </figure>\n"
        f"{note}"
        '  <p class="quote-card__meta">\n'
        f"    {_REPORTED_TAG if reported else ''}\n"
        f"    {themes}\n"
        f'    <a class="quote-card__link" href="{_e(card.url)}">Quote page'
        f'<span class="visually-hidden">: {hidden}</span></a>\n'
        "  </p>\n"
        "</div>"
    )


def _speech_html(item: SpeechItem, title: str, summary: str, *, hit: bool = False) -> SafeString:
    """A speech's item with ``title`` and ``summary`` (safe HTML; no summary paragraph when
    ``summary`` is empty)."""
    office_html = f", {_e(item.office)}" if item.office else ""
    event = item.event
    event_html = f' · <a href="{_e(event.url)}">{_e(event.name)}</a>' if event else ""
    summary_html = f'<p class="speech-item__summary">{summary}</p>' if summary else ""
    classes = "speech-item search-hit search-hit--speech" if hit else "speech-item"
    return mark_safe(  # noqa: S308 -- every value above is escaped or safe HTML
        f'<article class="{classes}">\n'
        f'  <h3 class="speech-item__title"><a href="{_e(item.url)}">{title}</a></h3>\n'
        '  <p class="speech-item__meta">\n'
        f'    <span class="tag tag--plain">{_e(item.kind_label)}</span>\n'
        f'    <a href="{_e(item.speaker.url)}">{_e(item.speaker.name)}</a>{office_html}\n'
        f"    · {time_tag(item)}{event_html}\n"
        "  </p>\n"
        f"  {summary_html}\n"
        "</article>\n"
    )
