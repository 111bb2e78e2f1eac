"""The server's log: one line for a client's error, the traceback for a server error."""

import io
import logging

import pytest

from archive.log_records import ClientErrorsBrief


@pytest.fixture
def server_log():
    """What the configured console handler writes, while the test runs."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, ClientErrorsBrief) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_an_unknown_page_is_one_line_in_the_log(client, server_log):
    assert client.get("/no-such-page/").status_code == 404
    assert server_log.getvalue() == "Not Found: /no-such-page/\n"


@pytest.mark.django_db
def test_a_host_not_allowed_is_one_line_in_the_log(client, server_log):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    text = server_log.getvalue()
    assert text.startswith("Invalid HTTP_HOST header: 'evil.example'.")
    assert "Traceback" not in text and text.count("\n") == 1


@pytest.mark.django_db
def test_a_curator_refused_is_one_line_in_the_log(client, django_user_model, server_log):
    staff = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/archive/quote/add/").status_code == 403
    assert server_log.getvalue() == "Forbidden (Permission denied): /admin/archive/quote/add/\n"


def test_a_server_error_keeps_its_traceback(server_log):
    try:
        raise ValueError("the database said no")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /", exc_info=True, extra={"status_code": 500}
        )
    text = server_log.getvalue()
    assert "Traceback" in text and "ValueError: the database said no" in text
