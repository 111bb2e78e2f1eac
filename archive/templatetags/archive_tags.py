"""Template helpers for the reader pages: dates with their precision, navigation state."""

from html import escape as _e

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from archive.cards import QuoteCard, SpeechItem
from archive.models import DatePrecision, Quote, Speech, open_end

register = template.Library()

# The machine-readable form of a date, as precise as it is known (HTML's year, month and
# date strings), so a "July 2012" speech is never given an invented day.
_DATETIME_FORMATS = {
    DatePrecision.DAY: "%Y-%m-%d",
    DatePrecision.MONTH: "%Y-%m",
    DatePrecision.YEAR: "%Y",
}


@register.filter
def time_tag(record) -> str:
    """``<time datetime="2012-07">July 2012</time>`` for anything with a dated precision."""
    date = getattr(record, "date", None)
    fmt = _DATETIME_FORMATS.get(getattr(record, "date_precision", None))
    if date is None or fmt is None:
        return mark_safe('<span class="date-unknown">Date unknown</span>')
    # Years before 1000 need four digits in HTML; strftime does not pad them everywhere.
    machine = f"{date.year:04d}{date.strftime(fmt)[4:]}"
    return format_html('<time datetime="{}">{}</time>', machine, record.date_display)


@register.filter
def web_url(url: str) -> str:
    """``url`` if it is a web address, else "".

    Only web links are offered: a curator's typo, or a loaded fixture (which skips model
    validation), must never become a ``javascript:`` link.
    """
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """The family of the current page ("speech", "quote", "speaker" …) for the main menu."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None) or ""
    return name.split("-")[0]


@register.simple_tag
def term_dates(office) -> str:
    """An office's term as readable dates: "12 May 2010 – 4 September 2012"."""
    start = _day(office.start_date) if office.start_date else "start unknown"
    end = _day(office.end_date) if office.end_date else open_end(office.ended)
    return format_html("{} – {}", start, end)


def _day(date):
    return format_html(
        '<time datetime="{}">{} {}</time>', date.isoformat(), date.day, date.strftime("%B %Y")
    )


_REPORTED_CLASS = ' class="reported"'
_REPORTED_TAG = '<span class="tag tag--plain">Reported speech</span>'


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
    reported = card.kind == "reported"
    words = Truncator(card.text)
    themes = "".join(f'<a class="tag" href="{_e(t.url)}">{_e(t.name)}</a>' for t in card.themes)
    office_html = (
        f', <span class="quotation__office">{_e(card.office)}</span>' if card.office else ""
    )
    return mark_safe(  # noqa: S308 -- every value above is escaped
        '<div class="quote-card">\n'
        '  <figure class="quotation quotation--card">\n'
        f"    <blockquote{_REPORTED_CLASS if reported else ''}>"
        f"<p>{_e(words.words(70, truncate=' …'))}</p></blockquote>\n"
        "    <figcaption>\n"
        f'      <a class="quotation__who" href="{_e(card.speaker.url)}">'
        f"{_e(card.speaker.name)}</a>{office_html}\n"
        f'      <span class="quotation__where">in <cite><a href="{_e(card.speech.url)}">'
        f"{_e(card.speech.name)}</a></cite>, {time_tag(card.speech)}</span>\n"
        "    </figcaption>\n"
        "  </figure>\n"
        '  <p class="quote-card__meta">\n'
        f"    {_REPORTED_TAG if reported else ''}\n"
        f"    {themes}\n"
        f'    <a class="quote-card__link" href="{_e(card.url)}">Quote page'
        f'<span class="visually-hidden">: {_e(words.words(8, truncate=" …"))}</span></a>\n'
        "  </p>\n"
        "</div>"
    )


@register.simple_tag
def speech_item(speech: Speech | SpeechItem) -> SafeString:
    """A speech as a list shows it: its title, kind, speaker and office, date, event and
    summary (the first 50 words). Takes a ``SpeechItem`` or a speech loaded with its
    speaker, offices and event; built as ``quote_card`` is, for the same reason."""
    item = speech if isinstance(speech, SpeechItem) else SpeechItem.of(speech)
    office_html = f", {_e(item.office)}" if item.office else ""
    event = item.event
    event_html = f' · <a href="{_e(event.url)}">{_e(event.name)}</a>' if event else ""
    summary = (
        f'<p class="speech-item__summary">'
        f"{_e(Truncator(item.summary).words(50, truncate=' …'))}</p>"
        if item.summary
        else ""
    )
    return mark_safe(  # noqa: S308 -- every value above is escaped
        '<article class="speech-item">\n'
        f'  <h3 class="speech-item__title"><a href="{_e(item.url)}">'
        f"{_e(item.title)}</a></h3>\n"
        '  <p class="speech-item__meta">\n'
        f'    <span class="tag tag--plain">{_e(item.kind_label)}</span>\n'
        f'    <a href="{_e(item.speaker.url)}">{_e(item.speaker.name)}</a>{office_html}\n'
        f"    · {time_tag(item)}{event_html}\n"
        "  </p>\n"
        f"  {summary}\n"
        "</article>\n"
    )
