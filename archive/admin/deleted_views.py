"""Deleted speeches: a list of what was deleted, and a button that brings a speech back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

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
        "deleted": deleted_speeches(),
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
