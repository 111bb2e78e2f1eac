"""Faults: the database going away, an import failing halfway, a broken upload.

A database outage gives a 503 "temporarily unavailable" page (JSON under /api/) and the site
recovers by itself once the database answers; an import that fails halfway leaves nothing
behind; a corrupted or truncated upload is refused with a message. The PostgreSQL tests take
the real database away (connections refused, backends terminated); the tests on both
databases make every query fail with the error a lost connection raises.
"""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, close_old_connections, connection
from django.test import Client

from archive.faults import RETRY_AFTER_SECONDS
from archive.models import Quote, Source, Speaker, Speech
from tests.admin.html_forms import form_values
from tests.security.conftest import signed_in

UNAVAILABLE = "The archive is temporarily unavailable"
IMPORT_URL = "/admin/archive/speech/import/"

# One address of every kind a reader or a program visits.
PAGES = [
    "/",
    "/quotes/",
    "/quotes/andrew-lansley-sometimes-improving-outcomes-means-reorganising-services/",
    "/speeches/lansley-commissioning-show-2012/",
    "/speakers/andrew-lansley/",
    "/themes/service-reconfiguration/",
    "/search/?q=commissioning",
    "/quotes/export.csv",
    "/feeds/quotes/",
]
API = ["/api/quotes/", "/api/speakers/andrew-lansley/"]


@contextlib.contextmanager
def every_query_fails(message: str = "server closed the connection unexpectedly"):
    """Every SQL statement on this thread's connection fails as on a lost connection."""

    def fail(execute, sql, params, many, context):
        raise OperationalError(message)

    with connection.execute_wrapper(fail):
        yield


def _assert_unavailable_page(response, url: str) -> None:
    assert response.status_code == 503, url
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"], url  # a CDN must not keep the outage
    html = response.content.decode()
    assert "<h1>The archive is temporarily unavailable</h1>" in html
    assert 'class="site-header"' in html  # in the site's design


def _assert_unavailable_json(response, url: str) -> None:
    assert response.status_code == 503, url
    assert response["Content-Type"] == "application/json"
    assert UNAVAILABLE in response.json()["detail"]


# --- every page: 503 while the database fails, 200 when it answers again ------------------


def test_every_kind_of_page_says_temporarily_unavailable_then_recovers(seed):
    client = Client()
    with every_query_fails():
        for url in PAGES:
            _assert_unavailable_page(client.get(url), url)
        for url in API:
            _assert_unavailable_json(client.get(url), url)
    for url in PAGES + API:
        assert client.get(url).status_code == 200, url


def test_a_signed_in_curator_gets_the_503_too(seed, curator):
    # For a signed-in user the session is read in a middleware, outside any view: that
    # failure reaches Django's error handler, which answers 503 as well.
    client = signed_in(curator, raise_request_exception=False)
    with every_query_fails():
        _assert_unavailable_page(client.get("/admin/archive/speech/"), "admin list")
        _assert_unavailable_page(client.get("/quotes/"), "quotes as curator")
    assert client.get("/admin/archive/speech/").status_code == 200


def test_other_errors_are_still_500s(seed):
    # Only a database outage is "temporarily unavailable"; a bug stays a 500.
    client = Client(raise_request_exception=False)

    def broken(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(broken):
        response = client.get("/quotes/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# --- PostgreSQL: the real database goes away ----------------------------------------------


def _maintenance_connection():
    """A connection to the server's ``postgres`` database, outside Django (autocommit)."""
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


@contextlib.contextmanager
def database_refusing_connections():
    """The test database refuses new connections and its open ones are cut, then returns."""
    from psycopg import sql

    name = connection.settings_dict["NAME"]
    with _maintenance_connection() as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name))
        )
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            yield
        finally:
            admin.execute(
                sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name))
            )
            # This thread's connection was cut too: let Django open a new one.
            connection.close()


def _get(url: str) -> tuple[int, str, dict]:
    """GET from the live server (a real WSGI server in a thread of its own)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (test server)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_database_that_goes_away_gives_503s_and_the_site_recovers(
    vendor, live_server, seed
):
    if vendor != "postgresql":
        pytest.skip("takes a real PostgreSQL database away")
    base = live_server.url
    assert _get(base + "/quotes/")[0] == 200  # the server's connection is open
    with database_refusing_connections():
        for url in PAGES:
            status, body, headers = _get(base + url)
            assert status == 503, url
            assert "<h1>The archive is temporarily unavailable</h1>" in body
            assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        status, body, _ = _get(base + API[0])
        assert status == 503
        assert UNAVAILABLE in body
        # The load balancer's probe says so too, and takes this server out of rotation.
        assert _get(base + "/healthz")[0] == 503
    # The database is back: the next requests open new connections and succeed.
    for url in PAGES + API + ["/healthz"]:
        assert _get(base + url)[0] == 200, url


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_connection_cut_mid_request_gives_503_then_reconnects(vendor, seed):
    if vendor != "postgresql":
        pytest.skip("terminates a real PostgreSQL backend")
    cut = []

    def cut_connection_at_first_quote_query(execute, sql, params, many, context):
        if "archive_quote" in sql and not cut:
            cut.append(context["connection"].connection.info.backend_pid)
            with _maintenance_connection() as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", cut)
        return execute(sql, params, many, context)

    client = Client()
    assert client.get("/quotes/").status_code == 200
    with connection.execute_wrapper(cut_connection_at_first_quote_query):
        _assert_unavailable_page(client.get("/quotes/"), "/quotes/")
    assert cut
    # What Django's WSGI handler does after every request (the test client leaves it out):
    # a connection that failed is closed, so the next request connects afresh.
    close_old_connections()
    response = client.get("/quotes/")
    assert response.status_code == 200
    assert connection.connection.info.backend_pid != cut[0]


# --- an import that fails halfway leaves nothing behind -----------------------------------


def _preview_then_save(client, article: str):
    """Preview an article on the import page, then press "Save draft" on the preview."""
    fields = form_values(client.get(IMPORT_URL).content.decode())
    fields.update({"text": article, "_preview": "Preview"})
    preview = client.post(IMPORT_URL, fields)
    assert 'id="preview"' in preview.content.decode()
    fields = form_values(preview.content.decode())
    fields.pop("_preview", None)
    fields["_save"] = "Save draft"
    return fields


ARTICLE = (
    "Health secretary Andrew Lansley told the conference: ‘We will help.’\n\n"
    "Mike Farrar said: ‘Commissioners need time to settle.’\n\n"
    "Mr Lansley added: ‘I will back you.’\n"
)


def _record_counts() -> dict[str, int]:
    return {
        "speeches": Speech.objects.count(),
        "sources": Source.objects.count(),
        "quotes": Quote.objects.count(),
        "speakers": Speaker.objects.count(),
        "history": Speech.history.count() + Quote.history.count() + Speaker.history.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_an_import_cut_off_by_the_database_halfway_leaves_nothing_behind(curator):
    # Transactional: the import's own transaction is the outermost, so this is a real
    # ROLLBACK of rows already written (source, speech, new speaker, first quote).
    from tests.factories import make_speaker

    make_speaker("Andrew Lansley", aliases=["Mr Lansley", "Andrew Lansley"])
    client = signed_in(curator)
    fields = _preview_then_save(client, ARTICLE)
    before = _record_counts()
    inserts = []

    def fail_at_the_second_quote(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "archive_quote"'):
            inserts.append(sql)
            if len(inserts) == 2:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_at_the_second_quote):
        response = client.post(IMPORT_URL, fields)
    assert len(inserts) == 2  # it did fail halfway, after writing the first quote
    _assert_unavailable_page(response, "import")
    assert _record_counts() == before
    assert not Speaker.objects.filter(name="Mike Farrar").exists()

    # Once the database is back, the same form saves everything.
    saved = client.post(IMPORT_URL, fields)
    assert saved.status_code == 302
    assert Speech.objects.count() == before["speeches"] + 1
    assert Quote.objects.count() == before["quotes"] + 3


# --- a corrupted or truncated upload is refused with a message ----------------------------


def _upload(client, name: str, content: bytes):
    fields = form_values(client.get(IMPORT_URL).content.decode())
    fields.update({"text": "", "_preview": "Preview"})
    fields["upload"] = SimpleUploadedFile(name, content, "text/plain")
    return client.post(IMPORT_URL, fields)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A gzip archive renamed to .txt.
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00", "not "),
        # Cut off in the middle of a three-byte character (the closing quote mark).
        ("Mr Lansley said: ‘We will help.’".encode()[:-2], "looks cut off"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        (b"text\x01\x02\x03\x04\x05\x06\x07\x08 more", "control characters"),
    ],
    ids=["gzip", "truncated", "too-large", "control-characters"],
)
def test_a_corrupted_or_truncated_upload_is_refused_and_nothing_is_saved(curator, content, message):
    client = signed_in(curator)
    before = _record_counts()
    response = _upload(client, "report.txt", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="preview"' not in page
    assert _record_counts() == before


@pytest.mark.parametrize("keep", [30, 0.5, -10], ids=["headers", "half", "all-but-the-end"])
def test_an_upload_cut_off_in_transit_is_not_taken_for_the_whole_file(curator, keep):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    client = signed_in(curator)
    body = encode_multipart(
        BOUNDARY,
        {
            "_preview": "Preview",
            "upload": SimpleUploadedFile("a.txt", "Mr Lansley said: ‘We will help.’".encode()),
        },
    )
    # The connection dropped before the closing boundary: even when every byte of the
    # file arrived, the part is incomplete and is not used.
    cut = int(len(body) * keep) if isinstance(keep, float) else keep % len(body)
    response = client.generic("POST", IMPORT_URL, body[:cut], content_type=MULTIPART_CONTENT)
    assert response.status_code == 200
    assert "Paste the article" in response.content.decode()
    assert 'id="preview"' not in response.content.decode()
    assert not Speech.objects.exists()
