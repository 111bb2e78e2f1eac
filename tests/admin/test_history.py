"""Every change is kept with who and when, shown as a diff, and can be undone."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from archive.models import Event, Office, Pledge, Quote, Source, Speaker, Speech, Status, Theme
from tests.admin.html_forms import form_values, post_form
from tests.factories import make_quote, make_speech, make_theme


def test_the_history_page_shows_who_changed_what(curator_client, curator):
    speech = make_speech(text="He said: ‘We will help.’ And: ‘We will back you.’")
    quote = make_quote("We will help.", speech=speech)
    change_url = reverse("admin:archive_quote_change", args=[quote.pk])
    response = post_form(curator_client, change_url, text="We will back you.")
    assert response.status_code == 302, form_values(response.content.decode())

    page = curator_client.get(reverse("admin:archive_quote_history", args=[quote.pk]))
    html = page.content.decode()
    assert "carol-curator" in html
    # The diff: the field, its old and its new value.
    assert "<strong>Text:</strong>" in html
    assert "We will help." in html
    assert "We will back you." in html
    # Bookkeeping fields are left out of the diff.
    assert "Updated at:" not in html
    # Who changed it is a name, not a link to the users' admin, which curators may not open.
    assert f"/admin/auth/user/{curator.pk}/" not in html
    assert curator_client.get(f"/admin/auth/user/{curator.pk}/change/").status_code == 403


def test_a_superuser_sees_who_changed_a_record_as_a_link_to_the_user(client, curator):
    quote = make_quote()
    quote.text = quote.text + " More."
    quote._history_user = curator
    quote.save()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    html = client.get(reverse("admin:archive_quote_history", args=[quote.pk])).content.decode()
    assert f'href="/admin/auth/user/{curator.pk}/change/"' in html


def test_an_earlier_version_of_a_quote_is_restored_with_its_themes(curator_client):
    first, second = make_theme("Provider failure"), make_theme("Competition")
    speech = make_speech(text="He said: ‘We will help.’ And: ‘We will back you.’")
    quote = make_quote("We will help.", speech=speech, themes=[first])
    original = quote.history.order_by("-history_date").first()
    quote.text = "We will back you."
    quote.save()
    quote.themes.set([second])

    revert_url = reverse("admin:archive_quote_simple_history", args=[quote.pk, original.pk])
    form = form_values(curator_client.get(revert_url).content.decode())
    assert form["text"] == "We will help."
    assert form["themes"] == [str(first.pk)]
    response = post_form(curator_client, revert_url)
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.text == "We will help."
    assert list(quote.themes.all()) == [first]


def test_an_earlier_version_of_a_speech_is_restored(curator_client):
    speech = make_speech(title="First title", status=Status.DRAFT)
    first = speech.history.first()
    speech.title = "A worse title"
    speech.save()
    url = reverse("admin:archive_speech_simple_history", args=[speech.pk, first.pk])
    assert post_form(curator_client, url).status_code == 302
    speech.refresh_from_db()
    assert speech.title == "First title"
    assert speech.history.count() == 3
    # The history says it was a revert, and to which version (it read as a plain change).
    when = timezone.localtime(first.history_date)
    reason = speech.history.first().history_change_reason
    assert reason == f"Reverted to the version of {when.day} {when:%B %Y, %H:%M}"
    # With a reason typed, both.
    speech.title = "Worse again"
    speech.save()
    assert (
        post_form(curator_client, url, change_reason="Title as the HSJ gives it").status_code == 302
    )
    assert speech.history.first().history_change_reason.endswith(": Title as the HSJ gives it")
    assert speech.history.first().history_change_reason.startswith("Reverted to the version of")


def test_editors_restore_a_deleted_speech_from_the_deleted_page(editor_client):
    speech = make_speech(title="Speech to the Reform think tank", text="He said: ‘Yes.’")
    make_quote("Yes.", speech=speech)
    speech_id = speech.pk
    delete_url = reverse("admin:archive_speech_delete", args=[speech_id])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302

    listing = editor_client.get(reverse("admin:archive_speech_deleted")).content.decode()
    assert "Speech to the Reform think tank" in listing
    restore_url = reverse("admin:archive_speech_restore", args=[speech_id])
    assert f'action="{restore_url}"' in listing
    # The deleted speech's history is still there to read.
    gone = editor_client.get(reverse("admin:archive_speech_history", args=[speech_id]))
    assert gone.status_code == 200
    assert "Deleted" in gone.content.decode()

    assert editor_client.get(restore_url).status_code == 405
    response = editor_client.post(restore_url, follow=True)
    assert "Restored “Speech to the Reform think tank” with 1 quotation(s)." in (
        response.content.decode()
    )
    assert Speech.objects.get(pk=speech_id).quotes.get().text == "Yes."
    history = editor_client.get(reverse("admin:archive_speech_history", args=[speech_id]))
    assert "Restored after deletion" in history.content.decode()


def test_curators_see_deleted_speeches_but_cannot_restore_them(client, curator, editor):
    speech = make_speech(title="Gone for now")
    speech_id = speech.pk
    client.force_login(editor)
    client.post(reverse("admin:archive_speech_delete", args=[speech_id]), {"post": "yes"})
    client.force_login(curator)
    listing = client.get(reverse("admin:archive_speech_deleted")).content.decode()
    assert "Gone for now" in listing
    assert "Restore</button>" not in listing
    restore_url = reverse("admin:archive_speech_restore", args=[speech_id])
    assert client.post(restore_url).status_code == 403
    assert not Speech.objects.filter(pk=speech_id).exists()


def test_the_history_tells_the_story_of_an_import_and_its_publication(editor_client, editor):
    from archive.services import QuotationChoice, SourceDetails, SpeechDetails, import_article

    speech = import_article(
        original_text="He said: ‘Yes.’",
        cleaned_text="He said: ‘Yes.’",
        source=SourceDetails(title="A report"),
        speech=SpeechDetails(title="A speech", new_speaker_name="Mike Farrar"),
        quotations=[QuotationChoice(text="Yes.", new_speaker_name="Mike Farrar")],
        by=editor,
    )
    editor_client.post(
        reverse("admin:archive_speech_changelist"),
        {"action": "publish_selected", "_selected_action": [speech.pk]},
    )
    html = editor_client.get(reverse("admin:archive_speech_history", args=[speech.pk]))
    html = html.content.decode()
    assert "Imported from an article" in html
    assert "Published" in html
    assert re.search(r"Status:</strong>\s*draft\s*&nbsp;&rarr;&nbsp;&nbsp;published", html)
    assert Quote.objects.get().history.first().history_change_reason == "Imported from an article"


def test_the_seed_archive_starts_with_a_first_version_of_every_record(curator_client):
    from django.core.management import call_command

    from archive.services import REASON_SEEDED

    call_command("load_seed_if_empty", stdout=StringIO())
    for model in (Speech, Quote):
        assert model.objects.exists()
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists()
    assert Speech.history.filter(history_change_reason=REASON_SEEDED).count() == (
        Speech.objects.count()
    )
    quote = Quote.objects.filter(themes__isnull=False).first()
    themes = list(quote.themes.all())
    seeded = quote.history.earliest("history_date")
    # One first version, the seed's: not a "changed" one left by loading the themes.
    assert quote.history.count() == 1
    assert (seeded.history_type, seeded.history_change_reason) == ("+", REASON_SEEDED)
    # Loaded by a command, not by someone signed in: the history says so, not "None".
    page = curator_client.get(reverse("admin:archive_quote_history", args=[quote.pk]))
    cells = re.sub(r"\s+", " ", page.content.decode())
    assert "<td> not recorded </td>" in cells
    assert "<td> None </td>" not in cells
    assert {row.theme_id for row in seeded.themes.all()} == {t.pk for t in themes}
    # Pledges too: setting an outcome can be undone back to "pending".
    assert Pledge.objects.exists()
    assert not Pledge.objects.exclude(pk__in=Pledge.history.values("id")).exists()
    # A curator's edit can be undone back to the seed's words and themes.
    quote.themes.clear()
    revert_url = reverse("admin:archive_quote_simple_history", args=[quote.pk, seeded.pk])
    assert post_form(curator_client, revert_url).status_code == 302
    assert list(quote.themes.all()) == themes


def test_one_save_of_a_quotations_themes_is_one_version_with_its_themes(curator_client):
    kept, dropped, added = make_theme("Kept"), make_theme("Dropped"), make_theme("Added")
    speech = make_speech(text="He said: ‘We will help.’")
    quote = make_quote("We will help.", speech=speech, themes=[kept, dropped])
    versions = quote.history.count()
    before = quote.history.order_by("-history_date", "-history_id").first()
    change_url = reverse("admin:archive_quote_change", args=[quote.pk])
    response = post_form(curator_client, change_url, themes=[str(kept.pk), str(added.pk)])
    assert response.status_code == 302
    assert quote.history.count() == versions + 1
    latest = quote.history.order_by("-history_date", "-history_id").first()
    assert {row.theme_id for row in latest.themes.all()} == {kept.pk, added.pk}
    assert latest.history_user.username == "carol-curator"
    # Reverting to the version before is one version too, with that version's themes.
    revert_url = reverse("admin:archive_quote_simple_history", args=[quote.pk, before.pk])
    assert post_form(curator_client, revert_url).status_code == 302
    assert quote.history.count() == versions + 2
    latest = quote.history.order_by("-history_date", "-history_id").first()
    assert {row.theme_id for row in latest.themes.all()} == {kept.pk, dropped.pk}
    assert set(quote.themes.all()) == {kept, dropped}


def test_a_quotations_themes_changed_on_its_speechs_form_are_one_version(curator_client):
    kept, added = make_theme("Kept"), make_theme("Added")
    speech = make_speech(text="He said: ‘We will help.’")
    quote = make_quote("We will help.", speech=speech, themes=[kept])
    versions = quote.history.count()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    prefix = next(k for k in fields if k.endswith("-0-themes"))
    response = post_form(curator_client, url, **{prefix: [str(kept.pk), str(added.pk)]})
    assert response.status_code == 302
    assert set(quote.themes.all()) == {kept, added}
    assert quote.history.count() == versions + 1
    latest = quote.history.order_by("-history_date", "-history_id").first()
    assert {row.theme_id for row in latest.themes.all()} == {kept.pk, added.pk}


def _deleted_and_restored(editor_client, speech) -> str:
    delete_url = reverse("admin:archive_speech_delete", args=[speech.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Speech.objects.filter(pk=speech.pk).exists()
    restore_url = reverse("admin:archive_speech_restore", args=[speech.pk])
    return editor_client.post(restore_url, follow=True).content.decode()


def test_a_restored_speech_brings_back_its_quotations_pledges(editor_client):
    speech = make_speech(title="Commissioning Show", text="He said: ‘We will.’ And: ‘Soon.’")
    promised = make_quote("We will.", speech=speech)
    make_quote("Soon.", speech=speech)
    pledge = Pledge.objects.create(quote=promised, promise="To do it by April 2013")
    pledge.outcome_note = "Done."
    pledge.status = "kept"
    pledge.outcome_source_url = "https://example.org/done"
    pledge.save()
    page = _deleted_and_restored(editor_client, speech)
    assert "with 2 quotation(s) and 1 pledge(s)." in page
    back = Pledge.objects.get(pk=pledge.pk)
    assert (back.quote_id, back.promise, back.status) == (promised.pk, pledge.promise, "kept")
    history = editor_client.get(reverse("admin:archive_pledge_history", args=[pledge.pk]))
    assert "Restored after deletion" in history.content.decode()


def test_a_pledge_deleted_on_its_own_before_stays_deleted(editor_client):
    speech = make_speech(title="Commissioning Show", text="He said: ‘We will.’")
    promised = make_quote("We will.", speech=speech)
    pledge = Pledge.objects.create(quote=promised, promise="To do it")
    delete_pledge = reverse("admin:archive_pledge_delete", args=[pledge.pk])
    assert editor_client.post(delete_pledge, {"post": "yes"}).status_code == 302
    page = _deleted_and_restored(editor_client, speech)
    assert "with 1 quotation(s)." in page
    assert not Pledge.objects.exists()


def test_a_pledge_lost_by_an_earlier_deletion_comes_back_too(editor_client, editor):
    # Deleted as the release before deleted speeches: the pledge went by the quote's
    # cascade, its history row unmarked.
    from archive import services

    speech = make_speech(title="Commissioning Show", text="He said: ‘We will.’")
    promised = make_quote("We will.", speech=speech)
    pledge = Pledge.objects.create(quote=promised, promise="To do it")
    speech_id = speech.pk
    services._record(promised, by=editor, reason=services.REASON_DELETED_WITH_SPEECH)
    promised.delete()
    services._record(speech, by=editor, reason=services.REASON_DELETED)
    speech.delete()
    assert not Pledge.objects.exists()
    services.restore_deleted_speech(speech_id, by=editor)
    assert Pledge.objects.get(pk=pledge.pk).promise == "To do it"


def _view_only_client(client, *models: str):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("vera-viewer", password="x", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=[f"view_{model}" for model in models])
    )
    client.force_login(viewer)
    return client


def test_someone_who_may_only_view_cannot_revert(client, db):
    speech = make_speech(title="First title", status=Status.DRAFT)
    first = speech.history.first()
    speech.title = "Today's title"
    speech.save()
    quote = make_quote("Yes.", speech=make_speech(text="He said: ‘Yes.’"))
    _view_only_client(client, "speech", "quote")
    speech_url = reverse("admin:archive_speech_simple_history", args=[speech.pk, first.pk])
    page = client.get(speech_url).content.decode()
    assert 'name="_save"' not in page  # no Revert button offered
    assert post_form(client, speech_url).status_code == 403
    quote_version = quote.history.first()
    quote_url = reverse("admin:archive_quote_simple_history", args=[quote.pk, quote_version.pk])
    assert client.post(quote_url, {"text": "No.", "speech": quote.speech_id}).status_code == 403
    speech.refresh_from_db()
    assert speech.title == "Today's title"
    assert Quote.objects.get(pk=quote.pk).text == "Yes."


def test_a_deleted_speech_is_restored_with_its_quotations_not_reverted_without_them(
    client, curator, editor
):
    speech = make_speech(title="Gone for now", text="He said: ‘Yes.’")
    make_quote("Yes.", speech=speech)
    speech_id = speech.pk
    first = speech.history.last()
    client.force_login(editor)
    client.post(reverse("admin:archive_speech_delete", args=[speech_id]), {"post": "yes"})
    url = reverse("admin:archive_speech_simple_history", args=[speech_id, first.pk])
    sent_to = {curator: "archive_speech_changelist", editor: "archive_speech_deleted"}
    for user, goes_to in sent_to.items():
        client.force_login(user)
        for response in (client.get(url), client.post(url, {"title": "Back?"})):
            assert response.status_code == 302
            assert response["Location"] == reverse(f"admin:{goes_to}")
        page = client.get(url, follow=True).content.decode()
        assert "restore it, with its quotations, under Speeches › Deleted speeches" in page
    assert not Speech.objects.filter(pk=speech_id).exists()
    # The restore still finds it deleted, and brings its quotation back.
    restore = client.post(reverse("admin:archive_speech_restore", args=[speech_id]), follow=True)
    assert "with 1 quotation(s)" in restore.content.decode()


def test_reverting_a_deleted_quotation_needs_permission_to_add_one(client, curator):
    from django.contrib.auth.models import Permission

    speech = make_speech(text="He said: ‘Yes.’")
    quote = make_quote("Yes.", speech=speech)
    quote_id, version = quote.pk, quote.history.first()
    quote.delete()
    url = reverse("admin:archive_quote_simple_history", args=[quote_id, version.pk])
    changer = User.objects.create_user("cid-changer", password="x", is_staff=True)
    changer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_quote", "change_quote", "view_speech"])
    )
    client.force_login(changer)
    assert post_form(client, url).status_code == 403
    assert not Quote.objects.filter(pk=quote_id).exists()
    client.force_login(curator)  # Curators add quotations
    assert post_form(client, url).status_code == 302
    assert Quote.objects.get(pk=quote_id).text == "Yes."


def test_a_revert_keeps_every_quotation_in_the_speechs_text(client, editor):
    speech = make_speech(text="He said: ‘We will help.’", status=Status.PUBLISHED)
    first = speech.history.first()
    speech.text = "He said: ‘We will help.’ Then: ‘We will abolish the waiting list.’"
    speech.save()
    added = make_quote("We will abolish the waiting list.", speech=speech)
    client.force_login(editor)
    url = reverse("admin:archive_speech_simple_history", args=[speech.pk, first.pk])
    response = post_form(client, url)
    assert response.status_code == 200
    assert "does not hold every quotation the speech has now" in response.content.decode()
    assert f"“{added.slug}”" in response.content.decode()
    speech.refresh_from_db()
    assert "abolish" in speech.text
    # Once the quotation is gone, the revert goes through.
    added.delete()
    assert post_form(client, url).status_code == 302
    speech.refresh_from_db()
    assert speech.text == "He said: ‘We will help.’"


def test_a_deleted_records_address_is_not_given_to_a_new_one(db):
    from archive.models import Theme, unique_slug

    theme = make_theme("Provider failure")
    slug = theme.slug
    theme.delete()
    assert unique_slug(Theme, "Provider failure") == f"{slug}-2"
    # A quotation's made from its speaker and words, likewise.
    speech = make_speech(text="He said: ‘We will help.’")
    first = make_quote("We will help.", speech=speech)
    old_slug = first.slug
    first.delete()
    again = make_quote("We will help.", speech=speech)
    assert again.slug != old_slug


def test_reverting_a_deleted_record_whose_address_was_taken_since_says_so(editor_client):
    from archive.models import Theme

    theme = make_theme("Provider failure")
    theme_id, slug, version = theme.pk, theme.slug, theme.history.first()
    theme.delete()
    Theme.objects.create(name="Another name", slug=slug)  # typed by hand, as a curator can
    url = reverse("admin:archive_theme_simple_history", args=[theme_id, version.pk])
    response = post_form(editor_client, url)
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert f"Another theme has the address “{slug}” now" in page
    assert not Theme.objects.filter(pk=theme_id).exists()
    assert Theme.objects.get(slug=slug).name == "Another name"


def test_a_quotation_whose_speech_was_deleted_says_to_restore_the_speech(editor_client):
    speech = make_speech(title="Gone", text="He said: ‘Yes.’")
    quote = make_quote("Yes.", speech=speech)
    quote_id, version = quote.pk, quote.history.first()
    editor_client.post(reverse("admin:archive_speech_delete", args=[speech.pk]), {"post": "yes"})
    url = reverse("admin:archive_quote_simple_history", args=[quote_id, version.pk])
    said = "The speech this quote belonged to has been deleted too: bring the speech back first"
    assert said in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"text": "Yes."}, follow=True)
    assert said in response.content.decode()
    assert "This field is required." not in response.content.decode()
    assert not Quote.objects.filter(pk=quote_id).exists()


def test_a_quotation_brought_back_from_its_deletion_keeps_its_themes(editor_client):
    theme = make_theme("Public health")
    speech = make_speech(text="He said: ‘Yes.’")
    quote = make_quote("Yes.", speech=speech, themes=[theme])
    quote_id = quote.pk
    quote.delete()
    deletion = Quote.history.filter(id=quote_id, history_type="-").first()
    url = reverse("admin:archive_quote_simple_history", args=[quote_id, deletion.pk])
    assert post_form(editor_client, url).status_code == 302
    assert list(Quote.objects.get(pk=quote_id).themes.all()) == [theme]


def test_deleted_records_of_every_kind_are_listed_and_lead_to_their_revert(
    editor_client, client, curator
):
    from archive.models import Theme

    theme = make_theme("Obsolete theme")
    quote = make_quote("Yes, we will.", speech=make_speech(text="He said: ‘Yes, we will.’"))
    theme_id, quote_id = theme.pk, quote.pk
    theme.delete()
    quote.delete()
    changelist = editor_client.get(reverse("admin:archive_theme_changelist")).content.decode()
    url = reverse("admin:archive_theme_deleted")
    assert f'href="{url}">Deleted themes</a>' in changelist
    page = editor_client.get(url).content.decode()
    deletion = Theme.history.filter(id=theme_id, history_type="-").first()
    version_url = reverse("admin:archive_theme_simple_history", args=[theme_id, deletion.pk])
    assert f'<a href="{version_url}">Obsolete theme</a>' in page
    # A valid HTML date: seconds, not Django's "c" format's microseconds.
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}">', page)
    assert post_form(editor_client, version_url).status_code == 302
    assert Theme.objects.filter(pk=theme_id, name="Obsolete theme").exists()
    # Brought back, it is no longer listed.
    assert "No theme has been deleted." in editor_client.get(url).content.decode()
    quotes_page = editor_client.get(reverse("admin:archive_quote_deleted")).content.decode()
    assert "Yes, we will." in quotes_page and f"/quote/{quote_id}/history/" in quotes_page
    # Speeches keep their own page, which brings their quotations back too.
    speeches = editor_client.get(reverse("admin:archive_speech_changelist"), follow=True)
    assert speeches.content.decode().count("Deleted speeches") == 1
    # Anyone who may view the kind sees the list; a reader outside the admin does not.
    client.force_login(curator)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the admin's sign-in


def test_a_quotation_deleted_with_its_speech_is_listed_as_coming_back_with_it(
    editor_client, editor
):
    from archive.services import delete_speech

    speech = make_speech(text="He said: ‘We will help.’")
    make_quote("We will help.", speech=speech)
    delete_speech(speech, by=editor)
    page = editor_client.get(reverse("admin:archive_quote_deleted")).content.decode()
    assert "We will help. (deleted with its speech:" in page
    assert f'href="{reverse("admin:archive_speech_deleted")}">restore the speech</a>' in page


def _deleted_speeches_page_queries(client, editor, count: int, first=0) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.services import delete_speech

    for n in range(first, first + count):
        speech = make_speech(title=f"Gone speech {n}", text="He said: ‘We will help.’")
        make_quote("We will help.", speech=speech)
        delete_speech(speech, by=editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:archive_speech_deleted")).content.decode()
    return len(queries), page


def test_the_deleted_speeches_page_makes_as_many_queries_for_six_as_for_two(editor_client, editor):
    # It read each speech's speaker, and each of its quotations' history and record, one by
    # one: hundreds of queries for a page of deletions.
    two, page = _deleted_speeches_page_queries(editor_client, editor, 2)
    assert page.count("<td>1</td>") == 2  # each came with its quotation
    six, page = _deleted_speeches_page_queries(editor_client, editor, 4, first=2)
    assert page.count("<td>1</td>") == 6 and "Gone speech 5" in page
    assert six == two


def test_the_deleted_lists_page_back_through_older_deletions(editor_client, editor, monkeypatch):
    # A list of the 200 most recent alone left older deleted speeches beyond restoring: the
    # speech's revert sends its editor to this list.
    from archive.admin import deleted_views
    from archive.models import Theme

    monkeypatch.setattr(deleted_views, "DELETED_LISTED", 2)
    _, page = _deleted_speeches_page_queries(editor_client, editor, 5)
    assert "Gone speech 4" in page and "Gone speech 3" in page
    assert "Gone speech 2" not in page
    assert "Deletions are listed 2 at a time, most recent first." in page
    seen = []
    url = reverse("admin:archive_speech_deleted")
    while True:
        seen += dict.fromkeys(re.findall(r"Gone speech \d", page))
        older = re.search(r'href="([^"]*\?before=\d+)">Older deletions', page)
        if not older:
            break
        page = editor_client.get(older.group(1).replace("&amp;", "&")).content.decode()
        assert f'href="{url}">Most recent deletions' in page
    assert seen == [f"Gone speech {n}" for n in (4, 3, 2, 1, 0)]
    # The oldest, restored from its page.
    oldest = Speech.history.filter(title="Gone speech 0", history_type="-").get()
    restore = reverse("admin:archive_speech_restore", args=[oldest.id])
    assert f'action="{restore}"' in page
    # Another kind's list pages the same way; a page that is not one is a 404.
    for n in range(3):
        make_theme(f"Old theme {n}").delete()
    themes = reverse("admin:archive_theme_deleted")
    page = editor_client.get(themes).content.decode()
    assert "Old theme 2" in page and "Old theme 0" not in page
    older = re.search(r'\?before=(\d+)">Older deletions', page).group(1)
    page = editor_client.get(f"{themes}?before={older}").content.decode()
    assert "Old theme 0" in page and "Old theme 2" not in page
    live = Theme.history.filter(history_type="+").first().history_id
    for odd in ("abc", "-1", "1" * 40, "١٢", str(live), "999999"):
        assert editor_client.get(f"{themes}?before={odd}").status_code == 404, odd


@pytest.mark.parametrize(
    "model", [Speech, Quote, Speaker, Event, Source, Theme, Office, Pledge], ids=str
)
def test_a_kinds_deletions_are_read_through_an_index_not_the_whole_history(db, model):
    # The "Deleted …" pages read the whole history table in date order to find deletions
    # (a million rows and more in a large archive).
    from archive.history_records import deletions

    sql, params = deletions(model).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL plans a small table's read by its size, not its indexes")
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    table = model.history.model._meta.db_table
    assert f"SEARCH {table} USING INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # in date order as the index holds them


def test_a_record_deleted_twice_is_listed_once_by_its_last_deletion(editor_client, monkeypatch):
    # Its earlier deletion came back on an older page, whose revert brought back the older
    # version.
    from archive.admin import deleted_views
    from archive.models import Theme

    monkeypatch.setattr(deleted_views, "DELETED_LISTED", 1)
    first = make_theme("Deleted twice")
    theme_id = first.pk
    first.delete()
    make_theme("Deleted between").delete()
    restored = Theme.history.filter(id=theme_id, history_type="-").first().instance
    restored.name = "Deleted twice, second time"
    restored.save()
    restored.delete()
    url = reverse("admin:archive_theme_deleted")
    pages, page = [], editor_client.get(url).content.decode()
    while True:
        pages.append(re.findall(r">(Deleted [a-z ,]+)</a>", page))
        older = re.search(r'\?before=(\d+)">Older deletions', page)
        if not older:
            break
        page = editor_client.get(f"{url}?before={older.group(1)}").content.decode()
    assert pages == [["Deleted twice, second time"], ["Deleted between"]]
