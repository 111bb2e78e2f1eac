"""The "Import an article" page: paste or upload, preview, correct, save a draft."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Quote, Source, Speaker, Speech, Status
from tests.admin.html_forms import form_values
from tests.factories import make_quote, make_speech

URL = "/admin/archive/speech/import/"


def _preview(client, article: str, **extra):
    """Fill the blank form as a curator would (paste, press Preview) and post it."""
    fields = form_values(client.get(URL).content.decode())
    fields.update({"text": article, "_preview": "Preview", **extra})
    return client.post(URL, fields)


def test_the_speech_list_links_to_the_import_page(curator_client):
    page = curator_client.get(reverse("admin:archive_speech_changelist")).content.decode()
    assert f'href="{URL}"' in page
    assert curator_client.get(URL).status_code == 200


def test_the_preview_shows_cleaned_text_quotations_speakers_themes(
    curator_client, article, lansley, reconfiguration
):
    page = _preview(curator_client, article).content.decode()
    assert "3 quotations found" in page
    # Cleaned: the registration prompt is gone from the text, listed as removed.
    cleaned = page[page.index('id="cleaned-text"') :]
    cleaned = cleaned[: cleaned.index("</div>")]
    assert "Health secretary Andrew Lansley has told NHS managers" in cleaned
    assert "Register now" not in cleaned
    assert "Register now to enjoy more articles" in page[page.index('id="removed"') :]
    # Each quotation with its suggestion: an archive speaker matched by alias, a new one.
    assert "Printed attribution: <strong>Mr Lansley</strong>" in page
    assert 'class="suggested-speaker">Andrew Lansley</strong> (in the archive)' in page
    assert 'proposed as a new speaker, <strong class="suggested-speaker">Mike Farrar' in page
    assert "Suggested themes: Service reconfiguration." in page
    # Nothing is saved by a preview.
    assert not Speech.objects.exists()
    assert not Source.objects.exists()


def test_the_preview_flags_quotations_already_in_the_archive(curator_client, article, lansley):
    earlier = make_speech(
        "Earlier report", text="‘Reconfiguration must be led by clinicians, not by ministers.’"
    )
    make_quote("Reconfiguration must be led by clinicians, not by ministers.", speech=earlier)
    page = _preview(curator_client, article).content.decode()
    assert "Already in the archive" in page
    assert "Earlier report" in page
    fields = form_values(page)
    # The duplicate is left unticked; the others are ticked.
    assert [fields.get(f"quotation-{i}-include") for i in range(3)] == ["on", None, "on"]


def test_correct_an_attribution_untick_one_and_save_a_draft(
    curator_client, curator, article, lansley, reconfiguration
):
    dixon = Speaker.objects.create(name="Michael Dixon", slug="michael-dixon")
    fields = form_values(_preview(curator_client, article, publisher="HSJ").content.decode())
    assert fields["title"] == "Health secretary promises to back hospital closures"
    assert fields["speaker"] == str(lansley.pk)
    # The curator corrects the second attribution and drops the third quotation.
    fields["quotation-1-speaker"] = str(dixon.pk)
    fields.pop("quotation-2-include")
    fields["quotation-0-themes"] = [str(reconfiguration.pk)]
    fields["title"] = "Speech to the NHS Confederation"
    fields["_save"] = "Save draft"
    response = curator_client.post(URL, fields)

    speech = Speech.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:archive_speech_change", args=[speech.pk])
    assert (speech.title, speech.status, speech.speaker) == (
        "Speech to the NHS Confederation",
        Status.DRAFT,
        lansley,
    )
    assert speech.source.publisher == "HSJ"
    assert "Register now" in speech.source.original_text
    assert "Register now" not in speech.text
    quotes = list(speech.quotes.order_by("position"))
    assert [(q.speaker.name, q.attribution) for q in quotes] == [
        ("Andrew Lansley", "Mr Lansley"),
        ("Michael Dixon", "he"),
    ]
    assert list(quotes[0].themes.all()) == [reconfiguration]
    assert not Speaker.objects.filter(name="Mike Farrar").exists()
    assert speech.history.first().history_user == curator
    page = curator_client.get(response["Location"]).content.decode()
    assert "as a draft with 2 quotation(s)" in page


def test_an_unmatched_speaker_is_created_when_the_curator_keeps_the_proposal(
    curator_client, article, lansley
):
    fields = form_values(_preview(curator_client, article).content.decode())
    assert fields["quotation-2-new_speaker_name"] == "Mike Farrar"
    fields["_save"] = "Save draft"
    curator_client.post(URL, fields)
    farrar = Speaker.objects.get(name="Mike Farrar")
    assert Quote.objects.get(speaker=farrar).attribution == "Mike Farrar"


def test_saving_reports_every_problem_at_once_and_saves_nothing(curator_client, article, lansley):
    fields = form_values(_preview(curator_client, article).content.decode())
    fields.update(
        {
            "date": "2012-07-04",
            "date_precision": "month",  # the 4th is not the first of a month
            "quotation-0-text": "Words the article never printed.",
            "quotation-1-text": fields["quotation-2-text"],  # the same quotation twice
            "quotation-2-speaker": "",
            "quotation-2-new_speaker_name": "",
            "_save": "Save draft",
        }
    )
    page = curator_client.post(URL, fields).content.decode()
    assert "A date known to the month is stored as the first day of that month." in page
    assert "do not appear in the speech" in page
    assert "This quotation is already in this speech." in page
    assert "Choose who said it, or give a new speaker" in page
    assert not Speech.objects.exists()


def test_a_changed_text_after_the_preview_is_previewed_again_not_saved(
    curator_client, article, lansley
):
    fields = form_values(_preview(curator_client, article).content.decode())
    fields["text"] = article.replace("Manchester", "Birmingham")
    fields["_save"] = "Save draft"
    page = curator_client.post(URL, fields).content.decode()
    assert "changed after the preview" in page
    assert not Speech.objects.exists()


def test_an_uploaded_text_file_is_previewed_like_pasted_text(curator_client, article, lansley):
    upload = SimpleUploadedFile("report.txt", article.encode("utf-8"), "text/plain")
    page = _preview(curator_client, "", upload=upload).content.decode()
    assert "3 quotations found" in page
    # The text travels on in the form, so saving needs no second upload.
    assert "We can’t keep services where they are" in form_values(page)["text"]


def test_an_uploaded_files_corrections_are_saved_at_the_first_press(
    curator_client, article, lansley, reconfiguration
):
    # A file with Windows line breaks and a last newline, as most files are: the text the
    # textarea sent back differed from the file's, and the corrections below were reset.
    crlf = (article.strip() + "\n").replace("\n", "\r\n").encode("utf-8")
    upload = SimpleUploadedFile("report.txt", crlf, "text/plain")
    fields = form_values(_preview(curator_client, "", upload=upload).content.decode())
    fields.pop("quotation-2-include")
    fields["quotation-0-themes"] = [str(reconfiguration.pk)]
    fields["_save"] = "Save draft"
    response = curator_client.post(URL, fields)
    assert response.status_code == 302
    speech = Speech.objects.get()
    assert speech.quotes.count() == 2
    assert list(speech.quotes.get(position=1).themes.all()) == [reconfiguration]
    assert "\r" not in speech.text and "\r" not in speech.source.original_text


def test_an_uploaded_files_page_and_line_breaks_become_line_breaks(
    curator_client, article, lansley
):
    # A PDF's text has form feeds between pages, Word's line breaks are vertical tabs: XML
    # cannot carry either (every feed listing such a quotation was a 500).
    pasted = article.replace("\n\n", "\x0c", 1).replace("\n", "\x0b", 1) + "\x07"
    upload = SimpleUploadedFile("report.txt", pasted.encode("utf-8"), "text/plain")
    page = _preview(curator_client, "", upload=upload).content.decode()
    assert "3 quotations found" in page
    text = form_values(page)["text"]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    expected = pasted.replace("\x0c", "\n").replace("\x0b", "\n").replace("\x07", " ")
    assert text.replace("\r\n", "\n").strip() == expected.strip()


def test_a_quotation_typed_with_a_control_character_is_refused_saying_where(
    curator_client, article, lansley
):
    fields = form_values(_preview(curator_client, article).content.decode())
    fields["quotation-0-attribution"] = "the health\x07secretary"
    fields["_save"] = "Save draft"
    page = curator_client.post(URL, fields).content.decode()
    assert "Quotation 1: Remove the invisible control character (U+0007) after “the health”" in (
        page
    )
    assert not Speech.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text"),
        ("report.txt", "Mr Lansley said: ‘We can’".encode()[:-1], "looks cut off"),
        ("report.txt", "Mr Lansley said".encode("utf-16"), "UTF-16 text, not UTF-8"),
        ("report.txt", "Dr Bénard said: «Non»".encode("latin-1"), "not valid UTF-8"),
        ("report.txt", b"   \n", "The file is empty."),
        ("report.pdf", b"%PDF-1.4 text", "File extension"),
    ],
)
def test_a_corrupted_or_wrong_upload_is_refused_with_a_message(
    curator_client, name, content, message
):
    upload = SimpleUploadedFile(name, content, "text/plain")
    response = _preview(curator_client, "", upload=upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="preview"' not in page


@pytest.mark.parametrize("uploaded", [False, True])
def test_a_text_of_more_quotations_than_an_article_holds_is_refused_with_a_message(
    curator_client, uploaded
):
    text = "\n\n".join(f"‘we will back you number {n}’ said Andrew Lansley." for n in range(501))
    if uploaded:
        upload = SimpleUploadedFile("huge.txt", text.encode(), "text/plain")
        response = _preview(curator_client, "", upload=upload)
    else:
        response = _preview(curator_client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The text holds 501 quotations; one article may hold at most 500." in page
    assert 'id="preview"' not in page
    assert not Speech.objects.exists()


def test_an_empty_form_asks_for_the_article(curator_client):
    page = _preview(curator_client, "").content.decode()
    assert "Paste the article&#x27;s text or upload it" in page


def test_the_save_button_only_appears_with_a_preview(curator_client, article, lansley):
    assert b'name="_save"' not in curator_client.get(URL).content
    assert b'name="_save"' in _preview(curator_client, article).content


def test_tampered_form_counts_do_not_break_the_page(curator_client, article, lansley):
    fields = form_values(_preview(curator_client, article).content.decode())
    fields.update({"quotation-TOTAL_FORMS": "abc", "_save": "Save draft"})
    response = curator_client.post(URL, fields)
    assert response.status_code == 200
    assert not Speech.objects.exists()
    assert "ManagementForm data is missing or has been tampered" in response.content.decode()


def test_pasting_more_than_the_site_reads_is_explained_not_a_bare_400(curator_client):
    speeches = Speech.objects.count()
    response = _preview(curator_client, "An article that goes on. " * 120_000)  # 3 MB
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much was sent" in page
    assert "upload it as a file (up to 2 MB)" in page
    assert Speech.objects.count() == speeches


def test_a_request_the_site_cannot_read_gets_the_sites_400_page(client, db):
    from django.core.exceptions import SuspiciousOperation

    from archive.views.errors import bad_request

    response = bad_request(client.get("/").wsgi_request, SuspiciousOperation("bad"))
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


def test_the_speech_is_suggested_for_the_person_quoted_most_new_or_known(curator_client, lansley):
    # A new person quoted twice beside a known one quoted once: the speech is the new
    # person's (the form suggested the known speaker, counting known speakers only).
    article = (
        "Royal College warns on waiting lists\n\n"
        "Dr Zoë Brontë, chair of the Royal College, said: “The lists are growing.”\n\n"
        "Andrew Lansley said: “We will act.”\n\n"
        "Dr Brontë added: “We have heard that before.”"
    )
    fields = form_values(_preview(curator_client, article).content.decode())
    assert fields.get("speaker", "") == ""
    assert fields["new_speaker_name"] == "Zoë Brontë"
    # The other way round, the known speaker is suggested.
    article = (
        "Lansley promises action\n\n"
        "Andrew Lansley said: “We will act.”\n\n"
        "Dr Zoë Brontë said: “The lists are growing.”\n\n"
        "Mr Lansley added: “We will act soon.”"
    )
    fields = form_values(_preview(curator_client, article).content.decode())
    assert fields["speaker"] == str(lansley.pk)
    assert fields["new_speaker_name"] == ""


def _staff_with(client, *codenames: str):
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("ivy-importer", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_importing_needs_permission_to_add_every_record_it_writes(client, article, lansley):
    # Adding speeches alone is not enough: an import also adds a source and quotations.
    _staff_with(client, "add_speech", "view_speech")
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/admin/archive/speech/").content.decode()  # not offered
    assert client.post(URL, {"text": article, "_preview": "Preview"}).status_code == 403
    assert not Source.objects.exists()


def test_an_import_naming_someone_new_needs_permission_to_add_people(client, article, lansley):
    _staff_with(client, "add_source", "add_speech", "add_quote", "change_speech", "view_speech")
    fields = form_values(_preview(client, article).content.decode())
    assert fields["quotation-2-new_speaker_name"] == "Mike Farrar"
    fields["_save"] = "Save draft"
    refused = client.post(URL, fields)
    assert refused.status_code == 200
    assert "adding people needs permission you do not have" in refused.content.decode()
    assert not Speech.objects.exists()
    assert not Speaker.objects.filter(name="Mike Farrar").exists()
    # Leaving that quotation out, the rest is saved.
    fields.pop("quotation-2-include")
    saved = client.post(URL, fields)
    assert saved.status_code == 302
    assert client.get(saved["Location"]).status_code == 200
    assert Speech.objects.get().quotes.count() == 2


def test_a_repaired_dash_gives_the_draft_an_editorial_note(curator_client, article, lansley):
    garbled = article.replace("change.", "change?they must.", 1)
    preview = _preview(curator_client, garbled, publisher="HSJ").content.decode()
    # The preview says what readers will be told.
    assert re.search(r'<p id="editorial-note">.*“change\?they”', preview)
    fields = form_values(preview)
    fields["_save"] = "Save draft"
    assert curator_client.post(URL, fields).status_code == 302
    speech = Speech.objects.get()
    assert "change—they must." in speech.text
    assert speech.editorial_note == (
        "The source prints a dash as “?” (“change?they”); the archive shows it as a dash."
    )
    # The curator meets it on the speech's form, where it can be reworded.
    page = curator_client.get(reverse("admin:archive_speech_change", args=[speech.pk]))
    assert "change?they" in page.content.decode()
