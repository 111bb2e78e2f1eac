"""The database router: reads to the replica when one is configured, writes to the primary."""

from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from archive.middleware import PinToPrimaryMiddleware
from archive.models import Quote, Speech
from archive.routers import ReplicaRouter, primary_only
from tests.factories import make_quote, make_theme

ROUTERS = ["archive.routers.ReplicaRouter"]

# Overriding DATABASES is what this module is about; Django's warning about it is expected.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@contextmanager
def replica_configured():
    """DATABASES and routers as settings build them when DATABASE_REPLICA_URL is set."""
    databases = {
        **django_settings.DATABASES,
        "replica": {**django_settings.DATABASES["default"], "TEST": {"MIRROR": "default"}},
    }
    with override_settings(DATABASES=databases, DATABASE_ROUTERS=ROUTERS):
        yield


def test_reads_go_to_the_replica_and_writes_to_the_primary():
    with replica_configured():
        assert Quote.objects.all().db == "replica"
        assert Speech.objects.filter(slug="x").db == "replica"
        assert ReplicaRouter().db_for_write(Quote) == "default"


def test_pinned_reads_and_session_reads_stay_on_the_primary():
    with replica_configured():
        with primary_only():
            assert Quote.objects.all().db == "default"
        assert Quote.objects.all().db == "replica"
        assert Session.objects.all().db == "default"


def test_without_a_replica_everything_uses_the_primary():
    with override_settings(DATABASE_ROUTERS=ROUTERS):
        assert Quote.objects.all().db == "default"


def test_migrations_only_run_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "archive")
    assert not router.allow_migrate("replica", "archive")


@pytest.mark.django_db
def test_records_from_the_replica_and_the_primary_can_be_linked():
    quote = make_quote(text="Words.")
    theme = make_theme("Commissioning")
    with replica_configured():
        assert ReplicaRouter().allow_relation(quote, theme)


def routed_db_seen_by_view(request) -> str:
    seen = {}

    def view(request):
        seen["db"] = Quote.objects.all().db
        return HttpResponse("ok")

    PinToPrimaryMiddleware(view)(request)
    return seen["db"]


def test_a_write_request_reads_from_the_primary_and_a_reader_from_the_replica():
    factory = RequestFactory()
    with replica_configured():
        reader = factory.get("/quotes/")
        reader.user = AnonymousUser()
        writer = factory.post("/admin/archive/quote/add/")
        writer.user = AnonymousUser()
        assert routed_db_seen_by_view(reader) == "replica"
        assert routed_db_seen_by_view(writer) == "default"
