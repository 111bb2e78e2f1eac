"""Record and page addresses, remembered.

A list page links each of its twenty cards to a quotation, a speaker, a speech and two or
three themes: about 130 calls to ``reverse()`` a page, each of which walks the resolver's
per-language dictionaries through thread-local lookups. A record's address never changes
while the URL configuration stays the same, so it is worked out once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Enough for every speaker, theme and event, and the quotations and speeches readers are
# actually opening; an address is about 100 bytes with its key.
REMEMBERED = 200_000


@lru_cache(maxsize=REMEMBERED)
def _address(urlconf: str | None, prefix: str, name: str, slug: str) -> str:
    # ``prefix`` is not passed on: reverse() reads the same thread's script prefix. It is in
    # the key so that a site mounted under two prefixes never mixes them up.
    return reverse(name, urlconf=urlconf, kwargs={"slug": slug})


@lru_cache(maxsize=1_000)
def _page(urlconf: str | None, prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


def page_url(name: str) -> str:
    """``reverse(name)`` for a page without arguments (a list, search, the home page),
    remembered for the process's life: the layout alone links a dozen of them."""
    return _page(get_urlconf(), get_script_prefix(), name)


def record_url(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})``, remembered for the process's life."""
    return _address(get_urlconf(), get_script_prefix(), name, slug)


def record_urls() -> Callable[[str, str], str]:
    """``record_url`` for the many links of one request (a list's cards): the URL
    configuration and script prefix, thread-local lookups that were nearly all of each
    call's 4 µs, are looked up once."""
    return partial(_address, get_urlconf(), get_script_prefix())


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    # Tests that swap the URL configuration must not be given the previous one's addresses.
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _address.cache_clear()
        _page.cache_clear()


def web_url(url: str | None) -> str:
    """``url`` if it is a web address (http or https), else "".

    Every address a curator gave (a source's, an office's record, a pledge's outcome) goes
    out through this, to pages, citations, JSON-LD, CSV and the API: a typo, or a fixture or
    script that skips the forms' validation, must never become a ``javascript:`` link.
    """
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""
