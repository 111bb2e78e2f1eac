"""What every screen of the curators' admin has in common.

History with a readable diff and a revert button (django-simple-history), search through the
archive's one search interface, slugs that are made once and then never change, and dates
whose precision is checked in the form.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from archive import search
from archive.models import date_precision_problems

# Bookkeeping fields that change on every save and would only clutter the history's diff.
QUIET_FIELDS = frozenset({"updated_at", "created_at", "fingerprint", "version"})


class QuietHistoryHelper(HistoricalRecordContextHelper):
    """The history page's "Changes" column, without timestamps and digests."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field not in QUIET_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))


# A web address typed without its scheme ("gov.uk/…") is kept as https://, Django 6's rule,
# rather than Django 5's http://: every source the archive links to is served over HTTPS.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def https_urls(field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's ``formfield_callback`` with the same rule, for forms built outside an
    admin (a form's own ``Meta.fields`` are made when its class is)."""
    if isinstance(field, models.URLField):
        kwargs = {**URL_FIELDS[models.URLField], **kwargs}
    return field.formfield(**kwargs)


class ArchiveAdmin(SimpleHistoryAdmin):
    """Base for every archive record's admin: history, stable slugs, search interface."""

    #: The field a new record's slug is typed from ("name", "title"); None: no slug.
    slug_from: str | None = None
    #: Whether ``archive.search.filter_queryset`` knows this model (Speech, Quote).
    use_search_interface = False
    list_per_page = 50
    formfield_overrides = URL_FIELDS

    def history_view(self, request, object_id, extra_context=None):
        _require_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return QuietHistoryHelper(self.model, historical_record)

    def get_prepopulated_fields(self, request, obj=None):
        # Typed from the name only while adding: afterwards the slug is part of public URLs.
        if self.slug_from and obj is None:
            return {"slug": (self.slug_from,)}
        return {}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.slug_from and obj is not None and obj.pk:
            readonly.append("slug")
        return readonly

    def get_search_results(self, request, queryset, search_term):
        """Search through the archive's search interface when it knows this model.

        ``filter_queryset`` returns the queryset unchanged when it has no engine for it; the
        admin's own ``search_fields`` lookup then answers instead.
        """
        term = search_term.strip()
        if self.use_search_interface and term:
            found = search.filter_queryset(queryset, term)
            if found is not queryset:
                return found, False
        return super().get_search_results(request, queryset, search_term)


def _require_ids(*values: str) -> None:
    """A 404 for an address whose record or version number is not a number.

    simple-history's views pass them straight to the database, which would fail with a 500.
    """
    for value in values:
        if not unquote(str(value)).isdigit():
            raise Http404("No such record or version.")


class DatedModelForm(forms.ModelForm):
    """A form for a record with ``date`` and ``date_precision``: checks they agree."""

    def clean(self):
        cleaned = super().clean()
        if "date" in self.fields and "date_precision" in self.fields:
            for problem in date_precision_problems(
                cleaned.get("date"), cleaned.get("date_precision", "")
            ):
                self.add_error("date_precision", problem)
        return cleaned


admin.site.site_header = "Health Policy Archive: curators"
admin.site.site_title = "Health Policy Archive admin"
admin.site.index_title = "Records"
