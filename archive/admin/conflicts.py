"""Two curators editing one speech or quote: the second save is refused, their text kept.

Each form carries, in a hidden ``version`` field, the version of the record it was opened
at. On "Save" the form compares it with the version in the database and, if someone else
saved in between, refuses with a message naming who and when; the curator's words stay in
the form. Saving again from that form is then a deliberate choice, so the hidden field moves
on to the version they were shown. The model's conditional UPDATE
(``archive.concurrency.VersionedModel``) closes the last gap: two saves that pass the form's
check at the same instant cannot both be written.
"""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet, model_to_dict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from archive.concurrency import EditConflict

# A race lost at the UPDATE is shown by running the view again (see ConflictSafeAdmin); a
# third loss in a row would mean a storm of saves on one record, so it is allowed to fail.
ATTEMPTS = 3


def conflict_message(instance, seen: int, current: int) -> str:
    """Tell the curator who saved the record since they opened it, and what to do now."""
    name = instance._meta.verbose_name
    latest = instance.history.filter(version=current).order_by("-history_date").first()
    who = ""
    if latest is not None:
        user = latest.history_user.get_username() if latest.history_user else "someone else"
        when = date_format(timezone.localtime(latest.history_date), "j F Y, H:i")
        who = f" ({user}, {when})"
    return (
        f"This {name} was changed by someone else while you were editing it{who}. "
        "Nothing was saved. Your text is still in the form below: open the history in "
        f"another tab to compare it with theirs (version {current}; you started from "
        f"version {seen}), then save again only if your version should replace it."
    )


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm for a versioned record that refuses a save from an outdated copy.

    List ``"version"`` in the form's fields (and the admin's ``fields``/``fieldsets``).
    """

    #: Whether an unchanged form is saved anyway (the admin saves the main form always;
    #: an inline formset skips unchanged rows, so they need no check).
    saved_when_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            # A new record has no version to check; an existing one is checked in clean().
            self.fields["version"].required = False

    def clean(self):
        cleaned = super().clean()
        if "version" not in self.fields:
            return cleaned
        if self.instance._state.adding:
            cleaned["version"] = self.instance.version  # a new record starts at its default
            return cleaned
        if not self.saved_when_unchanged and not self.has_changed():
            return cleaned
        seen = cleaned.get("version")
        if seen is None:
            raise ValidationError(
                "This form does not say which version of the record it was opened at, so "
                "saving it could overwrite someone else's changes. Reload the page.",
                code="no_version",
            )
        current = self.instance.current_version()
        if current is not None and current != seen:
            # Re-rendered with the curator's words, but with the version they have now been
            # shown: pressing "Save" again is an informed decision to replace it.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(current)
            raise ValidationError(conflict_message(self.instance, seen, current), code="conflict")
        return cleaned


class VersionCheckedInlineForm(VersionCheckedForm):
    """The inline rows of a formset: only rows the curator changed are saved and checked.

    "Changed" means changed from what the curator was shown. Django compares a row with the
    record as it is now, so a row someone else changed since looked changed, and once the
    curator had been told of a conflict elsewhere on the page, saving again put that row's
    old values back. A row whose version moved on is compared with the version it was
    opened at (from the history) instead.
    """

    saved_when_unchanged = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The version in the database as the row was read: validation copies the posted
        # one onto the instance.
        self.version_read = self.instance.version if self.instance.pk else None

    def has_changed(self) -> bool:
        if not super().has_changed():
            return False
        shown = self._shown_values
        if shown is None:
            return True
        for name, field in self.fields.items():
            if name in ("id", "version"):
                continue
            if name == DELETION_FIELD_NAME:
                if field.clean(self[name].data):
                    return True
                continue
            if field.has_changed(shown.get(name), self[name].data):
                return True
        return False

    @cached_property
    def _shown_values(self) -> dict | None:
        """The row's values as the page showed them, if the record changed since (None:
        it did not, or the version shown is not in the history)."""
        instance = self.instance
        seen = self.data.get(self.add_prefix("version"), "")
        if self.version_read is None or not seen.isdigit() or int(seen) == self.version_read:
            return None
        version = instance.history.filter(version=int(seen)).order_by("-history_date").first()
        if version is None:
            return None
        values = model_to_dict(version.instance, fields=list(self.fields))
        for field in instance._meta.many_to_many:  # kept beside each version, by id
            if field.name in self.fields:
                through = getattr(version, field.name)
                values[field.name] = [
                    getattr(row, field.m2m_reverse_field_name() + "_id") for row in through.all()
                ]
        return values


class VersionCheckedInlineFormSet(BaseInlineFormSet):
    """The inline rows of versioned records (a speech's quotations, a quotation's pledge).

    A row ticked for deletion on a copy opened before someone else changed it is refused
    as a conflict, as a changed row is (Django does not validate rows being deleted); and
    an error on a field the page hides (the row's id, its parent) is said in words, where
    the admin would show only "Please correct the error below".
    """

    def clean(self):
        super().clean()
        problems = []
        for form in self.forms:
            name = form.instance._meta.verbose_name
            if "id" in form.errors:
                problems.append(
                    f"A {name} on this page was deleted by someone else since you opened it."
                )
                continue
            hidden = [
                message
                for field, messages in form.errors.items()
                if field in form.fields
                and form.fields[field].widget.is_hidden
                and field != "version"
                for message in messages
            ]
            problems += [f"{capfirst(name)}: {message}" for message in hidden]
            # The row's own check found the conflict (and moved its version on), but Django
            # leaves a row being deleted unchecked.
            stale = form.has_error(NON_FIELD_ERRORS, "conflict")
            if stale and form.instance.pk and self._should_delete_form(form):
                problems.append(
                    f"A {name} you marked for deletion was changed by someone else since "
                    "you opened this page, so it was not deleted: reload the page to see "
                    "their change."
                )
        if problems:
            raise ValidationError(
                [
                    *problems,
                    "Nothing was saved. Copy what you typed, reload the page, and "
                    "make your changes again.",
                ],
                code="changed_since",
            )


class ConflictSafeAdmin:
    """ModelAdmin mixin for versioned records: conflicts become form errors, never a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _retrying(super().changeform_view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert starts from today's version of the record, not the old version's number.
        request.archive_reverting = True
        return _retrying(super().history_form_view, request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "archive_reverting", False):
            obj.version = obj.current_version() or obj.version
        return super().get_form(request, obj, change=change, **kwargs)


def _retrying(view, request, *args):
    """Run an admin view; if its save lost a race at the UPDATE, run it again.

    The lost save rolled back with the view's transaction. On the second run the form's
    check sees the winner's version and shows the conflict with the curator's text.
    """
    for attempt in range(ATTEMPTS):
        try:
            return view(request, *args)
        except EditConflict:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
