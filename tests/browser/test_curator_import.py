"""A curator imports an article in a real Chromium; an editor publishes it; readers see it.

The whole workflow of issue 5, end to end through the browser: log in, paste, preview,
correct one attribution, save a draft; log out; an editor publishes; the speech and its quotes
are on the public pages and in search; the history shows each step; an earlier version is
restored.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from archive.models import Speech, Status
from tests.browser.axe import axe_violations
from tests.factories import make_speaker, make_theme

# serialized_rollback like the other browser tests: a transactional test without it flushes
# and then recreates content types, which the next serialized test cannot load over.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The respondent is named only by role, as reports often do: the curator knows who it was.
ARTICLE = (
    (Path(__file__).parents[1] / "admin" / "data" / "confederation_report.txt")
    .read_text("utf-8")
    .replace(
        "NHS Confederation chief executive Mike Farrar said",
        "The confederation's chief executive said",
    )
)
PASSWORD = "a-long-browser-password-7"


@pytest.fixture
def roles(transactional_db):
    """The Curators and Editors groups, as the data migration makes them.

    Another transactional test may have flushed the database (and the migration's rows with
    it) before this one, so the migration's own function is run again; it is idempotent.
    """
    roles_migration = importlib.import_module("archive.migrations.0003_roles")
    # The migration clears each app's "has models" mark when done, which on the live
    # registry would stop a later flush from recreating content types: put them back.
    marks = {config.label: config.models_module for config in django_apps.get_app_configs()}
    try:
        roles_migration.create_roles(django_apps, schema_editor=None)
    finally:
        for config in django_apps.get_app_configs():
            config.models_module = marks[config.label]


def _user(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def _log_out(page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.click("#logout-form button")
    expect(page.locator("body")).to_contain_text("Logged out")


def test_a_curator_imports_an_article_and_an_editor_publishes_it(live_server, page, roles):
    base = live_server.url
    make_speaker("Andrew Lansley", aliases=["Mr Lansley", "Andrew Lansley"])
    farrar = make_speaker("Michael Farrar")
    make_theme("Service reconfiguration", description="Closing or moving hospital services.")
    _user("carol", "Curators")
    _user("eddie", "Editors")

    # The curator pastes the article and previews it.
    _log_in(page, base, "carol")
    page.goto(f"{base}/admin/archive/speech/")
    page.click("text=Import an article")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_publisher", "Health Service Journal")
    page.click("input[name=_preview]")
    expect(page.locator("#preview-heading")).to_have_text("Preview: 3 quotations found")
    # Including the autocomplete menus, which static/js/admin-names.js names by their labels.
    assert axe_violations(page) == []
    third = page.locator("#quotation-3")
    expect(third).to_contain_text("chief executive")
    # Whatever the preview guessed, it cannot have been the right person.
    expect(third.locator(".suggested-speaker")).not_to_have_text("Michael Farrar")

    # She corrects the third attribution to the archive's Michael Farrar and saves a draft.
    # The speaker box searches as she types (the archive has thousands of speakers).
    third.locator(".field-speaker .select2-selection").click()
    page.locator(".select2-search__field").fill("Farrar")
    page.locator(".select2-results__option", has_text="Michael Farrar").click()
    page.fill("#id_quotation-2-new_speaker_name", "")
    page.fill("#id_title", "Speech to the NHS Confederation")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("as a draft with 3 quotation(s)")
    speech = Speech.objects.get()
    assert speech.status == Status.DRAFT
    assert speech.quotes.get(position=3).speaker == farrar
    # Curators have no publish button: the status is shown, not offered.
    expect(page.locator("select[name=status]")).to_have_count(0)
    page.goto(f"{base}{speech.get_absolute_url()}")
    assert "Speech to the NHS Confederation" not in page.content()  # a draft is not public
    _log_out(page, base)

    # The editor publishes it from the speech list.
    _log_in(page, base, "eddie")
    page.goto(f"{base}/admin/archive/speech/")
    page.check(f"input[name=_selected_action][value='{speech.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("Published 1 speech")

    # Readers see the speech, its quotes and the corrected speaker, and can search for it.
    page.goto(f"{base}{speech.get_absolute_url()}")
    main = page.locator("main")
    expect(main).to_contain_text("Speech to the NHS Confederation")
    expect(main).to_contain_text("Reconfiguration must be led by clinicians")
    expect(main).to_contain_text("Michael Farrar")
    page.goto(f"{base}/search/?q=clinicians+ministers")
    expect(page.locator("main")).to_contain_text("Reconfiguration must be led by clinicians")

    # The history tells each step, with who did it.
    page.goto(f"{base}/admin/archive/speech/{speech.pk}/history/")
    history = page.locator("#change-history")
    expect(history).to_contain_text("Imported from an article")
    expect(history).to_contain_text("carol")
    expect(history).to_contain_text("Published")
    expect(history).to_contain_text("eddie")

    # A bad edit, then the published version is restored from the history.
    page.goto(f"{base}/admin/archive/speech/{speech.pk}/change/")
    # The change form, with a quotation inline per quote and their autocomplete menus,
    # before and after a theme is chosen (Select2 then redraws the menu's inside).
    assert axe_violations(page) == []
    themes = page.locator("#quotes-0 .field-themes")
    themes.locator(".select2-search__field").fill("reconfig")
    page.locator(".select2-results__option", has_text="Service reconfiguration").click()
    expect(themes.locator(".select2-selection__choice")).to_contain_text("Service reconfiguration")
    assert axe_violations(page) == []
    page.fill("#id_title", "A worse title")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    published = speech.history.filter(history_change_reason="Published").get()
    page.goto(f"{base}/admin/archive/speech/{speech.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("A worse title")
    page.click(f"a[href$='/history/{published.history_id}/']")
    expect(page.locator("#id_title")).to_have_value("Speech to the NHS Confederation")
    page.click("input[value=Revert]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    speech.refresh_from_db()
    assert (speech.title, speech.status) == ("Speech to the NHS Confederation", Status.PUBLISHED)
