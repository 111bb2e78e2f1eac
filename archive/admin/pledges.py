"""Pledges: a curator marks a quotation as a commitment and, later, records its outcome."""

from __future__ import annotations

from django.contrib import admin

from archive.admin.base import FORM_FIELDS, ArchiveAdmin, ModelCheckedForm, admin_form_fields
from archive.admin.conflicts import (
    ConflictSafeAdmin,
    VersionCheckedForm,
    VersionCheckedInlineForm,
    VersionCheckedInlineFormSet,
)
from archive.models import Pledge


class PledgeForm(VersionCheckedForm, ModelCheckedForm):
    """A pledge's form. ``Pledge.clean()`` checks what the database also refuses (a due date
    that fits its precision; a source for any outcome), with messages a curator can act on;
    a save from a form opened before someone else's is refused (its ``version``)."""

    checked_together = (("due_date", "due_date_precision"), ("status", "outcome_source_url"))

    class Meta:
        model = Pledge
        formfield_callback = admin_form_fields
        fields = (
            "version",
            "quote",
            "promise",
            "due_date",
            "due_date_precision",
            "status",
            "outcome_note",
            "outcome_source_url",
            "outcome_date",
        )


class PledgeInlineForm(VersionCheckedInlineForm, PledgeForm):
    """The pledge on its quotation's page: saved, and checked, only if changed there (its
    outcome recorded on the pledge's own page meanwhile is not put back)."""


PLEDGE_FIELDS = (
    "version",
    "promise",
    ("due_date", "due_date_precision"),
    "status",
    "outcome_note",
    ("outcome_source_url", "outcome_date"),
)


class PledgeInline(admin.StackedInline):
    """On a quotation's page: mark it as a commitment."""

    model = Pledge
    form = PledgeInlineForm
    formset = VersionCheckedInlineFormSet
    formfield_overrides = FORM_FIELDS
    extra = 0
    max_num = 1
    fields = PLEDGE_FIELDS
    verbose_name = "pledge (this quotation is a commitment)"


@admin.register(Pledge)
class PledgeAdmin(ConflictSafeAdmin, ArchiveAdmin):
    form = PledgeForm
    list_display = ("promise_excerpt", "speaker", "due_display", "status")
    list_filter = ("status", "due_date_precision")
    list_select_related = ("quote__speaker",)
    search_fields = (
        "promise__folded",
        "outcome_note__folded",
        "quote__text__folded",
        "quote__speaker__name__folded",
    )
    autocomplete_fields = ("quote",)
    fields = ("quote", *PLEDGE_FIELDS)

    @admin.display(description="promise", ordering="promise")
    def promise_excerpt(self, pledge: Pledge) -> str:
        return str(pledge)

    @admin.display(description="speaker", ordering="quote__speaker__name")
    def speaker(self, pledge: Pledge) -> str:
        return pledge.quote.speaker.name

    @admin.display(description="due", ordering="due_date")
    def due_display(self, pledge: Pledge) -> str:
        return pledge.due_display
