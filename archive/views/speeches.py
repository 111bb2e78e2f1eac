"""Speeches: the filterable list and one page per speech."""

from django.shortcuts import render

from archive.cards import speech_items
from archive.filters import SpeechFilter
from archive.models import Speech
from archive.views.listing import statement_listing
from archive.views.marking import marked_paragraphs
from archive.views.reads import published_speech, speech_quotes, speech_themes


def speech_list(request):
    """Published speeches, letters, interviews and statements, filterable."""
    context = statement_listing(
        request, SpeechFilter, Speech.objects.published(), cards=speech_items
    )
    return render(request, "archive/speech_list.html", context)


def speech_detail(request, slug):
    """A speech: its text with the quotations marked, who, where, when, in what capacity."""
    speech = published_speech(slug)
    quotes = speech_quotes(speech)
    for quote in quotes:  # reversed once: the marked text and the list below both link it
        quote.url = quote.get_absolute_url()
    paragraphs, marked = marked_paragraphs(speech.text, quotes)
    context = {
        "speech": speech,
        "office": speech.speaker_office(),
        "quotes": quotes,
        "paragraphs": paragraphs,
        "unmarked_quotes": [q for q in quotes if q.slug not in marked],
        "themes": speech_themes(speech),
        # What search engines and reference managers keep, whatever query string it came with.
        "permalink": request.build_absolute_uri(speech.get_absolute_url()),
    }
    return render(request, "archive/speech_detail.html", context)
