"""Fixtures for the curators' admin: users in each role, logged-in clients, an article."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from tests.factories import make_speaker, make_theme

PASSWORD = "a-long-test-password-42"

# A report in the style of the sources: a known speaker under an alias, a respondent who is
# not in the archive yet, a quote with an apostrophe inside, site furniture at the end.
ARTICLE = (Path(__file__).parent / "data" / "confederation_report.txt").read_text("utf-8")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow by design; these tests log in dozens of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, *, group: str | None = None, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def curator(db) -> User:
    return _user("carol-curator", group="Curators")


@pytest.fixture
def editor(db) -> User:
    return _user("eddie-editor", group="Editors")


@pytest.fixture
def superuser(db) -> User:
    return _user("sam-super", superuser=True)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def lansley(db):
    return make_speaker(
        "Andrew Lansley", honorific="Rt Hon", aliases=["Mr Lansley", "Andrew Lansley"]
    )


@pytest.fixture
def reconfiguration(db):
    return make_theme(
        "Service reconfiguration",
        description="Closing, merging or moving hospital services.",
    )


@pytest.fixture
def article() -> str:
    return ARTICLE
