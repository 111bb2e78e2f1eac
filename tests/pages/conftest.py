"""Fixtures for the reader page tests."""

import pytest

from archive.filters import StatementFilterSet
from tests.factories import make_sample_archive


@pytest.fixture
def archive(db):
    """The small sample archive (see ``make_sample_archive``)."""
    return make_sample_archive()


@pytest.fixture
def walking_built(monkeypatch):
    """The filtersets (by class name) whose set was built to be read by walking the date
    index (``StatementFilterSet.walking``), in order."""
    built = []
    original = StatementFilterSet.walking

    def counted(self):
        built.append(type(self).__name__)
        return original(self)

    monkeypatch.setattr(StatementFilterSet, "walking", counted)
    return built
