"""Every admin URL sends an anonymous visitor to the login page, and opens for a superuser."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import URLPattern, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from archive.models import Office
from tests.factories import make_event, make_office, make_quote, make_source, make_theme


def _make_one_of_each() -> None:
    """A saved record of every archive model (with history), to fill object URLs with."""
    quote = make_quote(themes=[make_theme()])
    make_office(speaker=quote.speaker)
    make_event()
    make_source()


def _admin_urls() -> list[str]:
    """Every named URL of every registered model's admin, with real ids filled in."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.first()
        pk = obj.pk if obj is not None else 1
        history = getattr(model, "history", None)
        version = history.first().pk if history is not None and history.exists() else 1
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if isinstance(pattern.pattern, RoutePattern):
                kwargs = {name: pk for name in pattern.pattern.converters}
                urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
            elif isinstance(pattern.pattern, RegexPattern):
                groups = pattern.pattern.regex.groups
                urls.append(reverse(f"admin:{pattern.name}", args=[pk, version][:groups]))
    return urls


SKIPPED_SITE_URLS = {None, "login", "logout", "app_list"}


def _site_urls() -> list[str]:
    """The admin site's own pages (index, password, autocomplete, app lists, "view on site"…).

    Only the login page itself is open, and signing out (which goes to the index) is harmless.
    """
    urls = []
    for pattern in admin.site.get_urls():
        # app_list takes an app label, filled in below.
        if not isinstance(pattern, URLPattern) or pattern.name in SKIPPED_SITE_URLS:
            continue
        kwargs = {name: "1" for name in getattr(pattern.pattern, "converters", {})}
        urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    urls += [reverse("admin:app_list", args=[label]) for label in ("archive", "auth", "axes")]
    return urls


@pytest.mark.django_db
def test_every_admin_url_redirects_anonymous_visitors_to_login(client):
    _make_one_of_each()
    urls = _admin_urls()
    # The import page and the deleted-speeches pages are among them.
    assert "/admin/archive/speech/import/" in urls
    assert any(url.endswith("/history/") for url in urls)
    assert len(urls) > 40
    urls += _site_urls()
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (url, response.status_code)
            target = urlsplit(response["Location"])
            assert target.path == reverse("admin:login"), url


@pytest.mark.parametrize(
    "path",
    [
        "quote/{pk}/history/abc/",
        "quote/abc/history/1/",
        "quote/abc/history/",
        "quote/{pk}/history/99999/",
        "speech/999999/history/",
        "speech/999999/history/1/",
    ],
)
def test_a_malformed_or_unknown_history_address_is_not_found(curator_client, path):
    quote = make_quote()
    response = curator_client.get("/admin/archive/" + path.format(pk=quote.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_every_admin_page_opens_for_a_superuser_without_a_server_error(client):
    # Every registered admin, whether it declares its fields or lets Django list them
    # (the offices' did, and its add and change pages recursed until Python gave up).
    _make_one_of_each()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    for url in _admin_urls() + _site_urls():
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    for url in ("/admin/archive/office/add/", "/admin/archive/office/1/change/"):
        response = client.get(url.replace("/1/", f"/{Office.objects.first().pk}/"))
        assert response.status_code == 200, url
        assert response.content.decode().count('name="change_reason"') == 1


@pytest.mark.parametrize(
    "path",
    [
        "speech/?date__year=9999",
        "speech/?date__year=9999&date__month=12",
        "quote/?speech__date__year=9999&speech__date__month=12&speech__date__day=31",
        "event/?date__year=9999",
        "speech/?date__year__gt=10000",
        "speech/?date__year__lt=0",
        "speech/?date__iso_year=9999",
        "speech/?date__year__gte=99999999999999999999",
        "quote/?speech__date__year__gt=10000",
        "office/?end_date__year__lt=0",
        "pledge/?due_date__year__gt=10000",
    ],
)
def test_a_date_past_the_calendars_end_shows_the_list_as_other_bad_dates_do(curator_client, path):
    # Django's own answer to an impossible date in a list's address: the list, flagged.
    response = curator_client.get("/admin/archive/" + path)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    assert curator_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("query", ["text__regex=(", "title__iregex=[", "speaker__name__regex=a"])
def test_pattern_lookups_in_a_lists_address_are_refused_not_taken_for_an_outage(
    curator_client, query
):
    response = curator_client.get(f"/admin/archive/speech/?{query}")
    assert response.status_code == 400
    assert "Retry-After" not in response
