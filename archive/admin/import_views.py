"""The "Import an article" page: paste or upload, preview, correct, save a draft.

One URL, three steps told apart by the button pressed:

1. the blank form (GET);
2. "Preview" runs the ingest pipeline and shows the cleaned text and each quotation with its
   suggested speaker, themes and duplicates, as a formset the curator corrects;
3. "Save draft" re-runs the pipeline on the same text (carried in the form), checks the
   corrections and saves a draft Speech, its Source and Quotes in one transaction.
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from archive.admin.import_forms import ArticleForm, QuotationFormSet, initial_quotations
from archive.importing import ArticlePreview, preview_article
from archive.ingest.pipeline import TooManyQuotations
from archive.services import import_adds_speakers, import_article

PREFIX = "quotation"


# An import writes a source, a speech and its quotations, then opens the speech's form; a
# person it names who is not in the archive yet is added too (``NEW_SPEAKER``).
IMPORT_PERMISSIONS = (
    "archive.add_source",
    "archive.add_speech",
    "archive.add_quote",
    "archive.change_speech",
)
NEW_SPEAKER = "archive.add_speaker"


def import_article_view(model_admin, request):
    """Show, preview and save an article import (needs permission to add each record it
    writes, and to change the speech it then opens)."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    preview = formset = None
    if request.method != "POST":
        form = ArticleForm()
    else:
        form = ArticleForm(request.POST, request.FILES)
        form_ok = form.is_valid()
        # Even when a detail is wrong the article itself can be previewed and its quotations
        # checked, so that every problem is reported at once.
        text = getattr(form, "cleaned_data", {}).get("text", "")
        if text.strip() and not form.has_error("upload"):
            try:
                preview = preview_article(text)
            except TooManyQuotations as error:
                form.add_error("upload" if request.FILES.get("upload") else "text", str(error))
        if preview is not None:
            confirming = "_save" in request.POST
            if confirming and request.POST.get("digest") == preview.digest:
                formset = QuotationFormSet(request.POST, prefix=PREFIX, preview=preview)
                if formset.is_valid() and form_ok:
                    speech = _save(form, formset, preview, request)
                    if speech is not None:
                        return HttpResponseRedirect(
                            reverse("admin:archive_speech_change", args=[speech.pk])
                        )
            else:
                if confirming:
                    messages.warning(
                        request,
                        "The article's text changed after the preview, so its quotations "
                        "were found again and your choices for them were reset: check them "
                        "below, then save.",
                    )
                form = _with_suggestions(form, preview)
                formset = QuotationFormSet(
                    initial=initial_quotations(preview), prefix=PREFIX, preview=preview
                )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import an article",
        "opts": model_admin.model._meta,
        "form": form,
        "preview": preview,
        "formset": formset,
        "rows": _rows(formset, preview),
        "media": model_admin.media + form.media + (formset.media if formset else forms.Media()),
    }
    return TemplateResponse(request, "admin/archive/speech/import.html", context)


def _save(form: ArticleForm, formset, preview: ArticlePreview, request):
    """Save the draft, or put the service's objections on the form and return None."""
    details = replace(form.speech_details(), editorial_note=preview.editorial_note)
    choices = formset.choices()
    if not request.user.has_perm(NEW_SPEAKER) and import_adds_speakers(details, choices):
        form.add_error(
            None,
            "Someone named here is not in the archive yet, and adding people needs "
            "permission you do not have: choose people already in the archive, or ask an "
            "administrator.",
        )
        return None
    try:
        speech = import_article(
            original_text=preview.original_text,
            cleaned_text=preview.cleaned_text,
            source=form.source_details(),
            speech=details,
            quotations=choices,
            by=request.user,
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None
    count = speech.quotes.count()
    messages.success(
        request,
        f"Saved “{speech.title}” as a draft with {count} quotation(s). "
        "An editor can check and publish it.",
    )
    return speech


def _with_suggestions(form: ArticleForm, preview: ArticlePreview) -> ArticleForm:
    """The same form, with empty details filled from the preview and the text carried along.

    The uploaded file is replaced by its text, so "Save draft" sends the very words that
    were previewed.
    """
    data = form.data.copy()
    data["text"] = preview.original_text
    data["digest"] = preview.digest
    suggestions = {
        "title": preview.suggested_title,
        "source_title": preview.suggested_title,
        "speaker": str(preview.main_speaker.pk) if preview.main_speaker else "",
        "new_speaker_name": "" if preview.main_speaker else preview.main_speaker_guess,
    }
    for name, value in suggestions.items():
        if not data.get(name, "").strip():
            data[name] = value
    if data.get("speaker"):
        data["new_speaker_name"] = ""
    suggested = ArticleForm(data)
    suggested.is_valid()
    return suggested


def _rows(formset, preview: ArticlePreview | None) -> list[tuple]:
    """Each quotation form beside what the preview found for it (None for the blank row)."""
    if formset is None:
        return []
    found = preview.quotations if preview else []
    return [(form, found[i] if i < len(found) else None) for i, form in enumerate(formset)]
