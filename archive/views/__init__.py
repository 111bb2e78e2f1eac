"""Public pages, one module per family; ``archive.urls`` imports them from here."""

from archive.views.errors import bad_request, not_found, server_error
from archive.views.events import event_detail, event_list
from archive.views.home import home
from archive.views.people import office_detail, office_list, speaker_detail, speaker_list
from archive.views.quotes import quote_detail, quote_list
from archive.views.search import search_page
from archive.views.sources import source_detail
from archive.views.speeches import speech_detail, speech_list
from archive.views.themes import theme_detail, theme_list

__all__ = [
    "event_detail",
    "event_list",
    "home",
    "bad_request",
    "not_found",
    "office_detail",
    "office_list",
    "quote_detail",
    "quote_list",
    "search_page",
    "server_error",
    "source_detail",
    "speaker_detail",
    "speaker_list",
    "speech_detail",
    "speech_list",
    "theme_detail",
    "theme_list",
]
