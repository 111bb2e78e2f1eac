"""Deleted records: for speeches a list and a button that brings one back with its
quotations; for every other kind a list whose rows lead to the version to revert to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator

from archive.history_records import deletions_page
from archive.models import Pledge
from archive.services import deleted_speeches, restore_deleted_speech


def deleted_speeches_view(model_admin, request):
    """List deleted speeches; anyone who may view speeches sees it, editors can restore."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Deleted speeches",
        "opts": model_admin.model._meta,
        **_page_context(lambda before: deleted_speeches(DELETED_LISTED, before), request),
        "can_restore": model_admin.has_delete_permission(request),
    }
    return TemplateResponse(request, "admin/archive/speech/deleted.html", context)


def restore_speech_view(model_admin, request, speech_id: int):
    """Recreate a deleted speech and its quotes (POST, editors only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_delete_permission(request):
        raise PermissionDenied
    notes: list[str] = []
    try:
        speech = restore_deleted_speech(speech_id, by=request.user, notes=notes)
    except ValidationError as error:
        messages.error(request, "Could not restore: " + " ".join(error.messages))
        return HttpResponseRedirect(reverse("admin:archive_speech_deleted"))
    pledges = Pledge.objects.filter(quote__speech=speech).count()
    also = f" and {pledges} pledge(s)" if pledges else ""
    messages.success(
        request, f"Restored “{speech.title}” with {speech.quotes.count()} quotation(s){also}."
    )
    for note in notes:
        messages.warning(request, note)
    return HttpResponseRedirect(reverse("admin:archive_speech_change", args=[speech.pk]))


# The most recent deletions listed on a kind's page (older ones are in each record's history).
DELETED_LISTED = 200
# The fields that name a record, in the order tried: a theme's name, a quotation's words …
_NAMING_FIELDS = ("name", "title", "post", "promise", "text", "slug")


@dataclass(frozen=True)
class DeletedRecord:
    id: int
    label: str
    deleted_at: datetime
    deleted_by: str
    version_url: str
    # The record it cannot come back without, deleted too (a quotation's speech), if any.
    owner_gone: str = ""


def deleted_records(
    model_admin, before: int | None = None
) -> tuple[list[DeletedRecord], int | None]:
    """The records of ``model_admin``'s kind deleted and not brought back since, most
    recently deleted first (from the deletion before history row ``before``), each with the
    address of the version a revert restores; and the ``before`` of the older ones' page,
    if any. Raises ``LookupError`` for a ``before`` that is not such a deletion."""
    model = model_admin.model
    opts = model._meta
    naming = next((f for f in _NAMING_FIELDS if any(x.name == f for x in opts.fields)), None)
    kept, older = deletions_page(model, limit=DELETED_LISTED, before=before)
    gone = _owners_gone(model, kept)
    found = []
    for pk, row in kept.items():
        label = str(getattr(row, naming, "") if naming else "") or f"{opts.verbose_name} {pk}"
        found.append(
            DeletedRecord(
                id=pk,
                label=Truncator(label).chars(90),
                deleted_at=row.history_date,
                deleted_by=str(row.history_user or "unknown"),
                version_url=reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                    args=[pk, row.history_id],
                ),
                owner_gone=gone.get(pk, ""),
            )
        )
    return found, older


def _owners_gone(model, rows: dict) -> dict[int, str]:
    """For the deleted records ``rows`` (history rows by id), the kind of record each
    belongs to (a required link: a quotation's speech) when that is deleted too, so that a
    revert cannot bring it back alone (``ArchiveAdmin.revert_refusal``)."""
    gone: dict[int, str] = {}
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.null:
            continue
        targets = {getattr(row, field.attname, None) for row in rows.values()}
        live = set(
            field.related_model._default_manager.filter(pk__in=targets).values_list("pk", flat=True)
        )
        for pk, row in rows.items():
            if pk not in gone and getattr(row, field.attname, None) not in live:
                gone[pk] = str(field.related_model._meta.verbose_name)
    return gone


def _page_context(read, request) -> dict:
    """The context of one page of a deleted list: ``read(before)`` gives its records and the
    ``before`` of the older page. ``?before=`` is a history row's number (a page's "Older
    deletions" link); anything else is a 404, not a database error."""
    before = request.GET.get("before")
    if before is not None and not (before.isascii() and before.isdigit() and len(before) < 19):
        raise Http404("No such page of deletions.")
    try:
        deleted, older = read(int(before) if before is not None else None)
    except LookupError:
        raise Http404("No such page of deletions.") from None
    return {
        "deleted": deleted,
        "older": older,
        "is_older_page": before is not None,
        "listed_at_most": DELETED_LISTED,
    }


def deleted_records_view(model_admin, request):
    """The deleted records of one kind; a row opens the version a revert brings back."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Deleted {opts.verbose_name_plural}",
        "opts": opts,
        **_page_context(lambda before: deleted_records(model_admin, before), request),
        "can_restore": model_admin.revert_recreates and model_admin.has_add_permission(request),
    }
    return TemplateResponse(request, "admin/archive/deleted_records.html", context)
