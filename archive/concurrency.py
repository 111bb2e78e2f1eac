"""Optimistic locking: two curators editing one record cannot silently overwrite each other.

A versioned record carries a ``version`` number. Every save of an existing row is an
``UPDATE … SET version = version + 1 WHERE id = %s AND version = %s`` with the version the
saver read: if someone else saved in between, no row matches and the save is refused with
``EditConflict`` instead of quietly replacing their words. The check is one conditional
statement, so it holds under real concurrency on PostgreSQL (the second UPDATE waits for the
first to commit, then finds the version moved on) and on SQLite (writes are serialised).

The admin forms carry the version they were opened at in a hidden field, so the check spans
the minutes between opening a form and pressing "Save" (see ``archive.admin.conflicts``).
"""

from __future__ import annotations

from django.db import models


class EditConflict(Exception):
    """The record was saved by someone else after this copy of it was read."""

    def __init__(self, instance: models.Model, expected: int):
        self.instance = instance
        self.expected = expected
        super().__init__(
            f"{instance._meta.verbose_name} #{instance.pk} changed since version {expected} "
            "was read; the save was refused."
        )


class VersionedModel(models.Model):
    """A record whose saves are refused when they would overwrite a newer version."""

    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one on every save; a save from an older version is refused.",
    )

    class Meta:
        abstract = True

    def _save_table(self, raw=False, *args, **kwargs):
        # Fixture loads and restores (raw saves) write rows exactly as they were dumped.
        self._raw_save = raw
        try:
            return super()._save_table(raw, *args, **kwargs)
        finally:
            del self._raw_save

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        if getattr(self, "_raw_save", False):
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        expected = self.version
        field = self._meta.get_field("version")
        values = [v for v in values if v[0] is not field] + [(field, None, expected + 1)]
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.version = expected + 1
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise EditConflict(self, expected)
        # The row is gone (or never existed): Django goes on to INSERT, as for any model.
        return False

    def current_version(self) -> int | None:
        """The version now in the database (None if the row does not exist)."""
        if self.pk is None:
            return None
        return (
            type(self)._default_manager.filter(pk=self.pk).values_list("version", flat=True).first()
        )
