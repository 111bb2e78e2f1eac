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

import datetime as dt
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


def conflict_message(instance, seen: int, current: int, merged: str | None = None) -> str:
    """Tell the curator who saved the record since they opened it, and what to do now;
    ``merged`` says what the form holds when their changes were kept beside the other
    ones (``VersionCheckedForm._show_current_where_untouched``)."""
    name = instance._meta.verbose_name
    latest = instance.history.filter(version=current).order_by("-history_date").first()
    who = ""
    if latest is not None:
        user = latest.history_user.get_username() if latest.history_user else "someone else"
        when = date_format(timezone.localtime(latest.history_date), "j F Y, H:i")
        who = f" ({user}, {when})"
    changed = f"This {name} was changed by someone else while you were editing it{who}. "
    if merged is not None:
        return (
            f"{changed}Nothing was saved. {merged} Check the form (the history shows their "
            f"change: version {current}; you started from version {seen}), then save again "
            "to apply your changes."
        ).replace("  ", " ")
    return (
        f"{changed}Nothing was saved. Your text is still in the form below: open the history "
        f"in another tab to compare it with theirs (version {current}; you started from "
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
            # Re-rendered with the version they have now been shown, the curator's changes
            # kept and every field they left as it was showing the record as it is now:
            # pressing "Save" again applies their changes, and puts nobody's back.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(current)
            merged = self._show_current_where_untouched(seen)
            message = conflict_message(self.instance, seen, current, merged)
            raise ValidationError(message, code="conflict")
        return cleaned

    def _show_current_where_untouched(self, seen: int) -> str | None:
        """Put the record's current values in the fields the curator left as version
        ``seen`` showed them, and say what the form now holds (None if the version shown
        is not in the history: then the form keeps all that was posted)."""
        shown = version_values(self.instance, seen, list(self.fields))
        if shown is None:
            return None
        now = current_values(self.instance, list(self.fields))
        theirs, both = [], []
        for name, field in self.fields.items():
            if name in ("id", "version", DELETION_FIELD_NAME) or name not in now:
                continue
            if field.has_changed(shown.get(name), self[name].data):
                if field.has_changed(shown.get(name), _as_data(field, now[name])):
                    both.append(_label(field, name))
                continue
            if field.has_changed(shown.get(name), _as_data(field, now[name])):
                _put(self.data, self.add_prefix(name), field, now[name])
                theirs.append(_label(field, name))
        said = []
        if theirs:
            said.append(
                f"The form now shows their version of {_listed(theirs)}, which you had not changed."
            )
        if both:
            said.append(f"You both changed {_listed(both)}: the form keeps yours.")
        return " ".join(said)


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
        seen = self.data.get(self.add_prefix("version"), "")
        if self.version_read is None or not seen.isdigit() or int(seen) == self.version_read:
            return None
        return version_values(self.instance, int(seen), list(self.fields))


def version_values(instance, number: int, names: list[str]) -> dict | None:
    """The values of fields ``names`` in version ``number`` of ``instance`` (from its
    history; related records by id), or None if the history does not hold it."""
    version = instance.history.filter(version=number).order_by("-history_date").first()
    if version is None:
        return None
    values = model_to_dict(version.instance, fields=names)
    for field in instance._meta.many_to_many:  # kept beside each version, by id
        if field.name in names:
            through = getattr(version, field.name)
            values[field.name] = [
                getattr(row, field.m2m_reverse_field_name() + "_id") for row in through.all()
            ]
    return values


def current_values(instance, names: list[str]) -> dict:
    """The values of fields ``names`` of ``instance`` as the database holds them now
    (related records by id)."""
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    values = model_to_dict(fresh, fields=names)
    for field in instance._meta.many_to_many:
        if field.name in values:
            values[field.name] = [related.pk for related in values[field.name]]
    return values


def _as_data(field: forms.Field, value):
    """``value`` as a browser would send it for ``field`` (a string, or a list of them)."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(getattr(one, "pk", one)) for one in value or []]
    if isinstance(field, forms.BooleanField):
        return "on" if value else ""
    prepared = field.prepare_value(value)
    if prepared is None:
        return ""
    if isinstance(prepared, dt.date):
        return field.widget.format_value(prepared)
    return str(prepared)


def _put(data, key: str, field: forms.Field, value) -> None:
    """Write ``value`` into a form's ``data`` (a QueryDict) as ``field`` reads it."""
    sent = _as_data(field, value)
    if isinstance(sent, list):
        data.setlist(key, sent)
    elif isinstance(field, forms.BooleanField) and not sent:
        data.pop(key, None)
    else:
        data[key] = sent


def _label(field: forms.Field, name: str) -> str:
    return str(field.label or capfirst(name.replace("_", " "))).lower()


def _listed(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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
