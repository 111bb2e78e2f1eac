"""Reading the curation file, and its errors naming the file and the entry."""

import datetime as dt

import pytest

from archive.ingest.curation import CurationError, load_curation

MINIMAL = """
[meta]
curated_at = 2026-01-01T00:00:00Z

[[speakers]]
slug = "andrew-lansley"
name = "Andrew Lansley"
aliases = ["Mr Lansley"]

  [[speakers.offices]]
  post = "Secretary of State for Health"
  slug = "secretary-of-state-for-health"
  start = 2010-05-12
  end = 2012-09-04
  is_ministerial = true

[[documents]]
file = "letter.txt"

  [documents.source]
  slug = "letter"
  title = "A letter"
  date = 2012-02-16
  date_precision = "day"

  [documents.speech]
  slug = "letter"
  title = "A letter"
  speaker = "andrew-lansley"
  kind = "letter"
  date = 2012-02-01
  date_precision = "month"
"""


def write(tmp_path, text):
    path = tmp_path / "curation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_is_read_into_values(tmp_path):
    curation = load_curation(write(tmp_path, MINIMAL))
    [speaker] = curation.speakers
    assert speaker.aliases == ("Mr Lansley",)
    assert speaker.offices[0].start == dt.date(2010, 5, 12)
    [document] = curation.documents
    assert document.speech.dated.precision == "month"
    assert document.speech.event is None
    assert document.speech.status == "published"


@pytest.mark.parametrize(
    ("change", "entry", "problem"),
    [
        (
            (
                'date = 2012-02-01\n  date_precision = "month"',
                'date = 2012-02-16\n  date_precision = "month"',
            ),
            "documents[0] (letter.txt).speech",
            "1st of the month",
        ),
        (
            ('date = 2012-02-16\n  date_precision = "day"', 'date_precision = "day"'),
            "documents[0] (letter.txt).source",
            "no date is given",
        ),
        (("end = 2012-09-04", "end = 2009-01-01"), "speakers[0].offices[0]", "ends before"),
        (('kind = "letter"\n', ""), "documents[0] (letter.txt).speech", "missing 'kind'"),
        (("curated_at = 2026-01-01T00:00:00Z", "curated_at = 2026-01-01"), "meta", "datetime"),
    ],
)
def test_an_unusable_entry_is_named(tmp_path, change, entry, problem):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(CurationError) as raised:
        load_curation(write(tmp_path, MINIMAL.replace(old, new)))
    assert raised.value.file == "curation.toml"
    assert raised.value.entry == entry
    assert problem in raised.value.problem


def test_invalid_toml_and_a_missing_file_are_reported(tmp_path):
    with pytest.raises(CurationError, match="not valid TOML"):
        load_curation(write(tmp_path, "[meta\n"))
    with pytest.raises(CurationError, match="missing"):
        load_curation(tmp_path / "nowhere.toml")
