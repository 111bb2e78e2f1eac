"""What every screen of the curators' admin has in common.

History with a readable diff and a revert button (django-simple-history), search through the
archive's one search interface, slugs that are made once and then never change, and rules
that join several fields (a date and its precision) checked once, by the model, against what
the curator typed.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from archive import search
from archive.models import slug_taken, unique_slug
from archive.plain_text import refuse_control_characters, refuse_line_breaks, with_line_breaks
from archive.services import REASON_DELETED

# Bookkeeping fields that change on every save and would only clutter the history's diff.
QUIET_FIELDS = frozenset({"updated_at", "created_at", "fingerprint", "version"})


class ArchiveChangeList(ChangeList):
    """A record list that refuses a year outside the calendar in its address (the drill-down
    past 9999, ``?date__year__gt=10000``, ``?date__year__lt=0``) as Django refuses other
    impossible values: the list shown with "?e=1", rather than a 500. Such a lookup fails
    while the filters are read or when the rows are first counted."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:  # the day after 31 December 9999
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as error:  # a year's bounds made from 10000
            raise IncorrectLookupParameters(error) from error


# Lookups no list takes from its address: a malformed pattern fails inside the database,
# which the site would take for the database being down.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})


class QuietHistoryHelper(HistoricalRecordContextHelper):
    """The history page's "Changes" column, without timestamps and digests."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field not in QUIET_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))


class TextareaText(forms.CharField):
    """A textarea's text with its line breaks as the archive stores them ("\n").

    Browsers send a textarea's line breaks as "\r\n" (the HTML standard's rule), so a
    speech saved for a change to its summary had its text, and its quotations', stored again
    with other line breaks: a change in the history that showed nothing, a new version of
    every quotation (refusing a colleague's save as a conflict), "\r\n" in the API.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        # Word's line break (a vertical tab) and a page break (a form feed) are line breaks
        # too; other control characters are refused by the record (``archive.plain_text``).
        return with_line_breaks(value.replace("\r\n", "\n").replace("\r", "\n"))


# A web address typed without its scheme ("gov.uk/…") is kept as https://, Django 6's rule,
# rather than Django 5's http://: every source the archive links to is served over HTTPS.
# Long texts keep the archive's line breaks (``TextareaText``).
FORM_FIELDS = {
    models.URLField: {"assume_scheme": "https"},
    models.TextField: {"form_class": TextareaText},
}


def admin_form_fields(field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's ``formfield_callback`` with the same rules, for forms built outside an
    admin (a form's own ``Meta.fields`` are made when its class is)."""
    for model_field, options in FORM_FIELDS.items():
        if isinstance(field, model_field):
            kwargs = {**options, **kwargs}
            break
    return field.formfield(**kwargs)


# A curator's reason for a change, kept in the record's history beside who and when.
REASON = "change_reason"
REASON_FIELDSET = ("Why", {"fields": [REASON]})


def reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
        # Kept in the history, as a record's own words are: refused as they are.
        validators=[refuse_control_characters, refuse_line_breaks],
        help_text=(
            "Optional, kept in the record's history: what you corrected and from where "
            "(e.g. “Date corrected from the HSJ article”)."
        ),
    )


def typed_reason(form) -> str:
    """The reason the curator typed on ``form`` (its spacing made plain), or ""."""
    return " ".join(str(form.cleaned_data.get(REASON) or "").split())


def give_rows_the_reason(form, formset) -> None:
    """The reason typed on a record's page also goes with each row of ``formset`` it
    saves or deletes (a speech's quotations): their history versions said nothing."""
    if reason := typed_reason(form)[:100]:
        for row in formset.forms:
            row.instance._change_reason = reason


class _UsableIdsShown:
    """Django's search-as-you-type menu shows a posted choice again by looking its id up
    when the form comes back with an error; an id no column can hold ("abc", twenty digits,
    from a tampered form) made that page a 500. Such ids are left out: the field says "Select
    a valid choice" as it does for an unknown id."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [one for one in value if _usable_ids(one)], attr)


class AutocompleteSelect(_UsableIdsShown, widgets.AutocompleteSelect):
    """Django's search-as-you-type menu for one record (``_UsableIdsShown``)."""


class AutocompleteSelectMultiple(_UsableIdsShown, widgets.AutocompleteSelectMultiple):
    """Django's search-as-you-type menu for several records (``_UsableIdsShown``)."""


class UsableIdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field for several records, refusing an id no column can hold as it refuses
    an unknown one: looked up, a twenty-digit id was a 500 (SQLite cannot bind it)."""

    def clean(self, value):
        if self.to_field_name is None and isinstance(value, list | tuple):
            for one in value:
                if one not in self.empty_values and not _usable_ids(one):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": one},
                    )
        return super().clean(value)


class UsableAutocomplete:
    """ModelAdmin (or inline) mixin: ``autocomplete_fields`` use the menus above, and a
    choice of several records refuses ids no column can hold."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", UsableIdsMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ArchiveAdmin(UsableAutocomplete, SimpleHistoryAdmin):
    """Base for every archive record's admin: history, stable slugs, search interface."""

    #: The field a new record's slug is typed from ("name", "title"); None: no slug.
    slug_from: str | None = None
    #: Whether ``archive.search.filter_queryset`` knows this model (Speech, Quote).
    use_search_interface = False
    #: Whether saving a record named as another is (its ``slug_from`` field) warns: for
    #: speakers, events, themes and sources; speeches share titles year after year.
    warn_of_namesakes = True
    list_per_page = 50
    formfield_overrides = FORM_FIELDS

    def get_changeform_initial_data(self, request):
        """Django's (values from the address: "add a speech by this speaker"), without a
        related record's id that no database column can hold: ``?speaker=99…9`` was a 500
        when the form looked the record up. Such an id is left out, as an unknown one is."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and not _usable_ids(value):
                del initial[name]
        return initial

    def get_changelist(self, request, **kwargs):
        return ArchiveChangeList

    def response_action(self, request, queryset):
        """Django's list actions; selected ids no column can hold (a tampered form) are
        answered as no selection, where looking them up was a 500."""
        if not _usable_ids(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(
                request,
                "Items must be selected in order to perform actions on them. "
                "No items have been changed.",
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)

    #: Whether the kind has a page of its deleted records (``deleted_views``; speeches
    #: have one of their own, which brings their quotations back with them).
    lists_deleted = True

    def get_urls(self):
        urls = super().get_urls()
        if not self.lists_deleted:
            return urls
        from archive.admin.deleted_views import deleted_records_view

        opts = self.model._meta
        view = self.admin_site.admin_view(lambda request: deleted_records_view(self, request))
        name = f"{opts.app_label}_{opts.model_name}_deleted"
        return [path("deleted/", view, name=name), *urls]

    def changelist_view(self, request, extra_context=None):
        if self.lists_deleted:
            opts = self.model._meta
            extra_context = {
                **(extra_context or {}),
                "deleted_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"),
            }
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.rsplit(LOOKUP_SEP, 1)[-1] in REFUSED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def history_view(self, request, object_id, extra_context=None):
        _require_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    #: Whether reverting a deleted record to one of its versions brings it back (for a
    #: curator who may add such records). Speeches are restored on a page of their own,
    #: which brings back their quotations too (``deleted_revert_response``).
    revert_recreates = True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_ids(object_id, version_id)
        # simple-history lets anyone who may *view* a record post its revert form, and a
        # revert of a deleted record inserts it again: the admin's own permissions decide.
        exists = self.model._default_manager.filter(pk=object_id).exists()
        if not exists and not self.revert_recreates:
            pk = self.opts.pk.attname
            if not self.model.history.filter(**{pk: object_id, "history_id": version_id}):
                raise Http404("No such version.")
            return self.deleted_revert_response(request)
        if request.method == "POST" and not self._may_revert(request, exists):
            raise PermissionDenied
        refusal = "" if exists else self.revert_refusal(version_id)
        if refusal and request.method == "POST":
            messages.error(request, refusal)
            return redirect(request.path)
        if refusal:  # said before the curator presses Revert, not only after
            messages.warning(request, refusal)
        request.archive_reverting_to = version_id  # named in the history (``save_model``)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # The version's page offers "Revert" to whom a revert is allowed (simple-history's
        # own rule, change permission, would hide it from someone who may bring a deleted
        # record back by adding it).
        if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return True
        exists = obj is not None and self.model._default_manager.filter(pk=obj.pk).exists()
        return not self._may_revert(request, exists)

    def _may_revert(self, request, exists: bool) -> bool:
        """A revert changes a record (change permission) or, if it was deleted since, adds
        it again (add permission)."""
        if exists:
            return self.has_change_permission(request)
        return self.revert_recreates and self.has_add_permission(request)

    def revert_refusal(self, version_id) -> str:
        """Why the version ``version_id`` of a deleted record cannot come back ("" if it
        can): its address taken by another record since."""
        version = self.model.history.filter(history_id=version_id).first()
        slug = getattr(version, "slug", None)
        if slug and self.model._default_manager.filter(slug=slug).exists():
            return (
                f"Another {self.opts.verbose_name} has the address “{slug}” now, so this "
                "one cannot come back under it: nothing was changed."
            )
        for field in self.opts.concrete_fields:
            # A quotation's speech, a pledge's quotation: deleted since, so this record
            # could only come back without it (the form said "This field is required.").
            linked = field.many_to_one or field.one_to_one
            target = getattr(version, field.attname, None) if linked else None
            if field.null or target is None:
                continue
            if not field.related_model._default_manager.filter(pk=target).exists():
                owner = field.related_model._meta.verbose_name
                return (
                    f"The {owner} this {self.opts.verbose_name} belonged to has been deleted "
                    f"too: bring the {owner} back first (a speech, with its quotations and "
                    "their pledges, under Speeches › Deleted speeches). Nothing was changed."
                )
        return ""

    def deleted_revert_response(self, request):
        """What a version of a deleted record that a revert cannot bring back answers."""
        raise Http404(f"This {self.opts.verbose_name} was deleted.")

    def get_historical_record_context_helper(self, request, historical_record):
        return QuietHistoryHelper(self.model, historical_record)

    def get_fieldsets(self, request, obj=None):
        # An admin that declares no fieldsets gets one of its form's fields, the reason's
        # among them: the reason goes in its own fieldset, last, once.
        own = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*own, REASON_FIELDSET]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The record's own fields are made as usual; the reason is the form's alone (the
        # change view names every field of the fieldsets, the reason's among them).
        # Django asks for a form with fields=None to list an admin's fields when it
        # declares none (all the model's): that is passed on as it is, or the two methods
        # would ask each other for ever.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != REASON]
        form = super().get_form(request, obj, change=change, **kwargs)
        extra = {REASON: reason_field()}
        if obj is None and self.slug_from:
            extra["clean_slug"] = _free_slug
        form = type(form.__name__, (form,), extra)
        if obj is None and self.slug_from:
            # The browser fills the slug in from the name; without JavaScript, or left
            # empty, it is made from the name on saving (``save_model``).
            slug_made_if_empty(form, self.slug_from)
        return form

    def save_formset(self, request, form, formset, change):
        give_rows_the_reason(form, formset)
        super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        typed = typed_reason(form)
        reverted = self._reverted_to(request)
        if reverted:
            # A revert says so in the history, which otherwise showed a plain change.
            given = getattr(obj, "_change_reason", "")
            obj._change_reason = f"{given}: {reverted}" if given else reverted
        if typed:
            # After the admin's own ("Published"), within the history's hundred characters.
            given = getattr(obj, "_change_reason", "")
            obj._change_reason = f"{given}: {typed}"[:100] if given else typed[:100]
        if self.slug_from and not obj.slug:
            max_length = obj._meta.get_field("slug").max_length
            obj.slug = unique_slug(type(obj), getattr(obj, self.slug_from), max_length=max_length)
        super().save_model(request, obj, form, change)
        taken = getattr(form, "taken_slug", None)
        if taken:
            messages.info(
                request,
                f"The address “{taken}” belongs to another {self.opts.verbose_name}: "
                f"this one's is “{obj.slug}”.",
            )
        self._warn_of_namesakes(request, obj)

    def get_deleted_objects(self, objs, request):
        """What a deletion takes with it, without the rows that only join two records (a
        quotation's themes were listed as "Quote-theme relationship: Quote_themes object
        (71)"): deleting a quotation deletes its place in its themes, not a theme."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        models_ = apps.get_models(include_auto_created=True)
        joins = [m._meta for m in models_ if m._meta.auto_created]
        labels = tuple(f"{capfirst(opts.verbose_name)}: " for opts in joins)
        plurals = {opts.verbose_name_plural for opts in joins}

        def without_joins(items: list) -> list:
            kept = []
            for item in items:
                if isinstance(item, list):
                    item = without_joins(item)
                    if item:
                        kept.append(item)
                elif not str(item).startswith(labels):
                    kept.append(item)
            return kept

        counts = {name: n for name, n in counts.items() if name not in plurals}
        protected = [*protected, *self.links_kept(objs)]
        return without_joins(to_delete), counts, perms_needed, protected

    def links_kept(self, objs) -> list[str]:
        """Records that refer to one of ``objs`` and would change without a version in their
        own history if it were deleted (a quotation's theme, the office a source names):
        the deletion is refused, naming them, until a curator changes them first."""
        return []

    def _reverted_to(self, request) -> str:
        """ "Reverted to the version of 12 May 2026, 14:05" when this save is a revert."""
        version_id = getattr(request, "archive_reverting_to", None)
        if version_id is None:
            return ""
        version = self.model.history.filter(history_id=version_id).first()
        if version is None:
            return ""
        when = timezone.localtime(version.history_date)
        return f"Reverted to the version of {when.day} {when:%B %Y, %H:%M}"

    def delete_model(self, request, obj):
        # Marked in the history, so that a record deleted on its own is told from one a
        # deletion took with it (see services.restore_deleted_speech).
        obj._change_reason = REASON_DELETED
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, each marked as delete_model marks it ("Delete selected …").
        for obj in queryset:
            self.delete_model(request, obj)

    def _warn_of_namesakes(self, request, obj) -> None:
        """Say so when another record has the same name (or title): two people may share
        one, but a second record of the same speaker or event splits its statements, and
        both are public at once."""
        if not self.slug_from or not self.warn_of_namesakes:
            return
        name = getattr(obj, self.slug_from, "")
        same = self.model._default_manager.filter(**{f"{self.slug_from}__iexact": name})
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        others = [(reverse(change, args=[o.pk]), o.slug) for o in same.exclude(pk=obj.pk)[:5]]
        if others:
            messages.warning(
                request,
                format_html(
                    "Another {} is already called “{}” ({}). If it is the same, keep one "
                    "record: add what this one has to it, and ask an editor to delete this "
                    "one.",
                    self.opts.verbose_name,
                    name,
                    format_html_join(", ", '<a href="{}">{}</a>', others),
                ),
            )

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


def slug_made_if_empty(form: type[forms.ModelForm], source: str) -> None:
    """Let ``form`` (a class made for one admin view) take an empty slug, saying it is made
    from the ``source`` field on saving."""
    if "slug" in form.base_fields:
        slug = form.base_fields["slug"]  # made for this form class alone
        slug.required = False
        slug.help_text = f"{slug.help_text} Left empty, it is made from the {source}."


def named_by_column(form: forms.Form) -> None:
    """Name each field of ``form`` (a row of a tabular inline) by its label, as its column
    heading shows it: a tabular row has no ``<label>``s, and without JavaScript
    (``static/js/admin-names.js`` points each field at its heading) its fields had no name
    for a screen reader (axe: label). Call it from the formset's ``add_fields``, which adds
    the row's "Delete" box."""
    for field in form.fields.values():
        if field.label:
            field.widget.attrs.setdefault("aria-label", str(field.label))


def _free_slug(form: forms.ModelForm) -> str:
    """A new record's ``clean_slug``: a slug another record has is made free (``-2``…), as
    one left empty is. The browser fills the slug in from the name, so a second speaker
    named as one already in the archive was refused ("Speaker with this Slug already
    exists.") where the same form without JavaScript saved it. The form remembers the slug
    it could not have (``taken_slug``) for the admin to say so."""
    slug = form.cleaned_data.get("slug")
    model = form._meta.model
    if slug and slug_taken(model, slug):
        form.taken_slug = slug
        slug = unique_slug(model, slug, max_length=model._meta.get_field("slug").max_length)
    return slug


def _require_ids(*values: str) -> None:
    """A 404 for an address whose record or version number is not a number.

    simple-history's views pass them straight to the database, which would fail with a 500.
    """
    for value in values:
        if not unquote(str(value)).isdigit():
            raise Http404("No such record or version.")


class ModelCheckedForm(forms.ModelForm):
    """A ModelForm whose rules joining several fields are the model's ``clean()`` alone.

    The model's ``clean()`` (which every other way of saving runs too) judges the instance
    the form has filled in with the curator's values, so each problem is reported once and
    about what was typed. Repeating the rule in the form reported it twice, and worse: a
    field the form refused is not copied to the instance, so the model judged its stored
    value instead (a date typed with precision "month" was also told about the "year" the
    speech was stored with, which the form no longer showed).

    What the model cannot know is which typed values never reached it. When a field of one
    of ``checked_together`` was refused by the form ("Enter a valid date."), the model's
    verdict on that group mixes typed and stored values, so it is left out; the group is
    judged when the curator sends a value the form accepts.
    """

    #: Groups of fields the model's ``clean()`` judges together.
    checked_together: tuple[tuple[str, ...], ...] = ()

    def _post_clean(self):
        # Django's own forms (UserCreationForm) extend this step the same way: it is where
        # the instance is filled in and the model's validation is run.
        refused = set(self._errors)
        stale = [
            name
            for group in self.checked_together
            if refused.intersection(group)
            for name in group
            if name in self.fields
        ]
        # How many messages each field has now (the form's own), and its accepted value.
        counts = {name: len(self._errors.get(name, ())) for name in stale}
        values = {name: self.cleaned_data[name] for name in stale if name in self.cleaned_data}
        super()._post_clean()
        for name in stale:
            if counts[name]:
                del self._errors[name][counts[name] :]
            else:
                self._errors.pop(name, None)
            if name in values:
                self.cleaned_data[name] = values[name]


class DatedModelForm(ModelCheckedForm):
    """A form for a record with ``date`` and ``date_precision``, which its model's
    ``clean()`` checks agree (``date_precision_problems``)."""

    checked_together = (("date", "date_precision"),)


admin.site.site_header = "Health Policy Archive: curators"
admin.site.site_title = "Health Policy Archive admin"
admin.site.index_title = "Records"


# The largest id a database column holds (a signed 64-bit integer, PostgreSQL's and SQLite's).
_LARGEST_ID = 2**63 - 1


def _usable_ids(value) -> bool:
    """Whether ``value`` (one id or a list, as an address gives them) holds ids that a
    database column can hold."""
    values = value if isinstance(value, list) else [value]
    for one in values:
        text = str(one).strip()
        if not text.isascii() or not text.isdigit() or int(text) > _LARGEST_ID:
            return False
    return True
