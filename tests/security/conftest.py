"""Fixtures for the security and data-safety tests: the curator roles and signed-in users.

Several of these tests need real commits (two connections, a database that goes away, a
restore), so they run as transactional tests; those flush the database afterwards, taking
the data migration's groups with them. ``roles`` puts the groups back first.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.test import Client

PASSWORD = "a-long-security-test-password-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow by design; these tests log in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def recreate_roles() -> None:
    """Run the roles migration's function again (it is idempotent) on the live app registry.

    The migration marks each app as having models while it creates permissions, then clears
    the mark, as suits the migration's own registry. On the live registry that would leave
    Django believing no app has models, and the next ``flush`` would then recreate no content
    types; so the marks are put back as they were.
    """
    migration = importlib.import_module("archive.migrations.0003_roles")
    marks = {config.label: config.models_module for config in django_apps.get_app_configs()}
    try:
        migration.create_roles(django_apps, schema_editor=None)
    finally:
        for config in django_apps.get_app_configs():
            config.models_module = marks[config.label]


@pytest.fixture
def roles(db):
    """The Curators and Editors groups, as the data migration makes them."""
    recreate_roles()


def make_user(username: str, group: str | None = None, **extra) -> User:
    """A staff user in ``group`` (Curators, Editors) with the tests' password."""
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def curator(roles) -> User:
    return make_user("carol-curator", "Curators")


@pytest.fixture
def second_curator(roles) -> User:
    return make_user("dan-curator", "Curators")


@pytest.fixture
def editor(roles) -> User:
    return make_user("eddie-editor", "Editors")


def signed_in(user: User, **client_options) -> Client:
    """A fresh browser session signed in as ``user``."""
    client = Client(**client_options)
    client.force_login(user)
    return client
