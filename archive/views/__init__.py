"""Public pages, one module per family; ``archive.urls`` imports them from here."""

from archive.views.pages import *  # noqa: F403
from archive.views.search import search_page  # noqa: F401
