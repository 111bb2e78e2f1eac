"""manage.py import_article: the import page's work from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from archive.models import Quote, Source, Speaker, Speech, Status
from tests.admin.conftest import ARTICLE


def _run(*args) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "confederation.txt"
    path.write_text(ARTICLE, "utf-8")
    return path


def test_dry_run_json_lists_each_files_quotations_and_writes_nothing(
    article_file, tmp_path, lansley
):
    letter = tmp_path / "letter.txt"
    letter.write_text("Dr Charles Alessi said: ‘We need to share resources.’\n", "utf-8")
    report = json.loads(_run(str(article_file), str(letter), "--dry-run", "--format", "json"))
    assert [entry["path"] for entry in report] == [str(article_file), str(letter)]
    quotations = report[0]["quotations"]
    assert [(q["attribution"], q["speaker"]) for q in quotations] == [
        ("Mr Lansley", "Andrew Lansley"),
        ("he", "Andrew Lansley"),
        ("Mike Farrar", "Mike Farrar"),
    ]
    assert quotations[0]["text"].startswith("We can’t keep services where they are")
    assert [q["new_speaker"] for q in quotations] == [False, False, True]
    assert report[1]["quotations"][0]["speaker"] == "Charles Alessi"
    assert not Speech.objects.exists()
    assert not Source.objects.exists()
    assert not Speaker.objects.exclude(pk=lansley.pk).exists()


def test_without_dry_run_each_file_becomes_a_draft(article_file, lansley):
    out = _run(str(article_file))
    speech = Speech.objects.get()
    assert speech.status == Status.DRAFT
    assert speech.speaker == lansley
    assert speech.quotes.count() == 3
    assert Speaker.objects.filter(name="Mike Farrar").exists()
    # Each quotation's slug is its speaker's and its first words, as the seed's are.
    for quote in speech.quotes.select_related("speaker"):
        words = slugify(" ".join(quote.text.split()[:2]))
        assert quote.slug.startswith(f"{quote.speaker.slug}-{words}"), quote.slug
    assert [q.position for q in speech.quotes.order_by("position")] == [1, 2, 3]
    assert f"draft speech #{speech.pk}" in out
    # Importing the same article again makes no twin.
    assert "skipped: every quotation is already in the archive" in _run(str(article_file))
    assert Speech.objects.count() == 1
    assert Quote.objects.count() == 3


def test_a_repaired_dash_is_reported_and_becomes_the_drafts_editorial_note(tmp_path, lansley):
    path = tmp_path / "garbled.txt"
    path.write_text(ARTICLE.replace("change.", "change?they must.", 1), "utf-8")
    note = "The source prints a dash as “?” (“change?they”); the archive shows it as a dash."
    [report] = json.loads(_run(str(path), "--dry-run", "--format", "json"))
    assert report["editorial_note"] == note
    _run(str(path))
    assert Speech.objects.get().editorial_note == note
    # An article printed correctly needs none.
    plain = tmp_path / "plain.txt"
    plain.write_text(ARTICLE, "utf-8")
    [report] = json.loads(_run(str(plain), "--dry-run", "--format", "json"))
    assert report["editorial_note"] == ""


def test_an_unreadable_file_stops_the_command_before_anything_is_written(
    db, article_file, tmp_path
):
    broken = tmp_path / "broken.txt"
    broken.write_bytes("Mr Lansley said: ‘".encode()[:-1])
    with pytest.raises(CommandError, match="broken.txt.*cut off"):
        _run(str(article_file), str(broken))
    with pytest.raises(CommandError, match="missing.txt: cannot read it"):
        _run(str(tmp_path / "missing.txt"))
    assert not Speech.objects.exists()


def test_a_text_of_more_quotations_than_an_article_holds_stops_the_command_first(
    db, article_file, tmp_path
):
    # Each quotation's attribution looks at the others: a paste of thousands held the
    # command (and, in the admin, a server thread) for minutes.
    huge = tmp_path / "huge.txt"
    huge.write_text(
        "\n\n".join(f"‘we will back you number {n}’ said Andrew Lansley." for n in range(501))
    )
    with pytest.raises(CommandError, match="huge.txt: The text holds 501 quotations"):
        _run(str(article_file), str(huge))
    assert not Speech.objects.exists()


def test_a_date_after_today_stops_the_command(db, article_file):
    with pytest.raises(CommandError, match="after today"):
        _run(str(article_file), "--date", "2099-03-04", "--date-precision", "day")
    assert not Speech.objects.exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--publisher", "P" * 201, "The publisher is 201 characters long; use at most 200."),
        ("--publisher", "Health\nService Journal", "Remove the line break after “Health”"),
    ],
)
def test_a_value_too_long_for_its_field_stops_the_command(
    db, article_file, lansley, option, value, message
):
    # Saved as given on SQLite, after which every admin save of the record failed on it.
    with pytest.raises(CommandError, match=message):
        _run(str(article_file), option, value)
    assert not Source.objects.exists()
