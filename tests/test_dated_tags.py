"""DatedTag, each theme tag with its quotation's place in time, follows every way of writing.

The table is kept by database triggers, so it must match the tags joined to their
quotations and speeches after writes through the models, ``QuerySet.update()`` and bulk
loads, in whatever order their rows arrive.
"""

import datetime as dt

import pytest
from django.db import connection, transaction

from archive.bench.bulkload import BulkWriter
from archive.models import DatedTag, DatePrecision, Quote, Speech, Status, Theme
from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "theme_id", "quote_id", "speaker_id", "speech_id", "position", "status", "date")


def kept() -> set[tuple]:
    return set(DatedTag.objects.values_list(*COLUMNS))


def expected() -> set[tuple]:
    tags = Quote.themes.through.objects.values_list(
        "id",
        "theme_id",
        "quote_id",
        "quote__speaker_id",
        "quote__speech_id",
        "quote__position",
        "quote__speech__status",
        "quote__speech__date",
    )
    return set(tags)


@pytest.fixture
def tagged():
    pat = make_speaker("Pat Hewitt")
    alcohol, funding = make_theme("Alcohol"), make_theme("Funding")
    speech = make_speech(speaker=pat, date=dt.date(2010, 5, 1))
    later = make_speech(speaker=pat, date=dt.date(2011, 6, 2))
    first = make_quote("Minimum unit pricing.", speech=speech, themes=[alcohol, funding])
    second = make_quote("Budgets will rise.", speech=speech, themes=[funding])
    return {
        "pat": pat,
        "alcohol": alcohol,
        "funding": funding,
        "speeches": (speech, later),
        "q": (first, second),
    }


def test_tags_added_through_the_models_are_kept_with_their_speech(tagged):
    first, _ = tagged["q"]
    speech, _ = tagged["speeches"]
    assert kept() == expected()
    assert len(kept()) == 3
    assert (
        DatedTag.objects.filter(quote_id=first.pk, theme_id=tagged["alcohol"].pk)
        .values_list("speech_id", "status", "date")
        .get()
    ) == (speech.pk, Status.PUBLISHED, dt.date(2010, 5, 1))


def test_removing_and_setting_tags(tagged):
    first, second = tagged["q"]
    first.themes.remove(tagged["funding"])
    second.themes.set([tagged["alcohol"]])
    assert kept() == expected()
    first.themes.clear()
    assert kept() == expected()
    assert len(kept()) == 1


def test_a_quotation_moved_reordered_or_given_another_speaker_moves_its_rows(tagged):
    first, second = tagged["q"]
    _, later = tagged["speeches"]
    first.speech = later
    first.save()
    assert kept() == expected()
    assert set(DatedTag.objects.filter(quote_id=first.pk).values_list("date", flat=True)) == {
        dt.date(2011, 6, 2)
    }
    Quote.objects.filter(pk=second.pk).update(position=7)
    assert kept() == expected()
    rae = make_speaker("Rae Lansley")
    Quote.objects.filter(pk=second.pk).update(speaker=rae)
    assert kept() == expected()
    assert set(
        DatedTag.objects.filter(quote_id=second.pk).values_list("speaker_id", flat=True)
    ) == {rae.pk}
    first.text = "Minimum unit pricing, now."  # other columns leave the rows alone
    first.save()
    assert kept() == expected()


def test_a_speech_withdrawn_or_redated_rewrites_its_quotations_rows(tagged):
    speech, _ = tagged["speeches"]
    speech.status = Status.DRAFT
    speech.save()
    assert kept() == expected()
    assert set(DatedTag.objects.values_list("status", flat=True)) == {Status.DRAFT}
    Speech.objects.filter(pk=speech.pk).update(
        status=Status.PUBLISHED, date=None, date_precision=DatePrecision.UNKNOWN
    )
    assert kept() == expected()
    assert set(DatedTag.objects.values_list("date", flat=True)) == {None}
    speech.refresh_from_db()
    speech.title = "A new title"  # other columns leave the rows alone
    speech.save()
    assert kept() == expected()


def test_deleting_quotations_speeches_and_themes_removes_their_rows(tagged):
    first, second = tagged["q"]
    first.delete()
    assert kept() == expected()
    Theme.objects.filter(pk=tagged["alcohol"].pk).delete()
    assert kept() == expected()
    tagged["speeches"][0].delete()
    assert kept() == expected() == set()


@pytest.mark.parametrize(
    "order", [("speech", "quote", "tag"), ("tag", "quote", "speech"), ("quote", "tag", "speech")]
)
def test_a_bulk_load_may_write_tags_quotations_and_speeches_in_any_order(tagged, order):
    pat, alcohol = tagged["pat"], tagged["alcohol"]
    speech_id, quote_id, tag_id = 900_001, 900_002, 900_003
    with transaction.atomic():
        # Foreign keys are checked at commit, so a loader may write in any order.
        writer = BulkWriter(connection)
        tables = {
            "speech": writer.table(
                Speech, ["id", "title", "slug", "speaker_id", "kind", "date", "status"]
            ),
            "quote": writer.table(
                Quote,
                ["id", "speech_id", "speaker_id", "slug", "text", "kind", "fingerprint"]
                + ["position"],
            ),
            "tag": writer.table(Quote.themes.through, ["id", "quote_id", "theme_id"]),
        }
        rows = {
            "speech": (speech_id, "Bulk", "bulk", pat.pk, "speech", dt.date(2020, 1, 2))
            + ("published",),
            "quote": (quote_id, speech_id, pat.pk, "bulk-q", "Bulk words.", "direct", "f" * 40, 3),
            "tag": (tag_id, quote_id, alcohol.pk),
        }
        for name in order:
            tables[name].add(*rows[name])
            writer.flush()
    row = (tag_id, alcohol.pk, quote_id, pat.pk, speech_id, 3, "published", dt.date(2020, 1, 2))
    assert row in kept()
    assert kept() == expected()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PL/pgSQL's kept plans")
def test_the_trigger_functions_are_planned_for_the_tables_as_they_are():
    # A plan kept from the start of a load written in one transaction scanned a whole table
    # for every row written (a million quotations' load never finished): each trigger
    # function plans its statements afresh. Timing is not asserted; the setting is.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname LIKE %s",
            ["archive_%tag_from_%"],
        )
        functions = dict(cursor.fetchall())
    assert len(functions) == 3  # one per table watched: tags, quotations, speeches
    assert all(config == ["plan_cache_mode=force_custom_plan"] for config in functions.values())
