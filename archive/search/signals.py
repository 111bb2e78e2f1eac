"""Signal receivers that queue index updates; ``ArchiveConfig.ready()`` connects them.

They hold no rules: each only says which records' index rows may be stale, and
``archive.search.indexing`` re-reads those records after the transaction commits. Saves
from ``loaddata`` (``raw=True``) are indexed too, so the seed archive is searchable as soon
as it is loaded. ``QuerySet.update()`` and ``bulk_create()`` send no signals: status changes
need no reindexing (drafts are filtered at query time), and bulk loaders call ``rebuild``.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from archive.models import Quote, Speaker, Speech, Theme
from archive.search.indexing import schedule_quotes, schedule_speeches


def quote_saved_or_deleted(sender, instance: Quote, using: str, **kwargs) -> None:
    schedule_quotes([instance.pk], using=using)


def speech_saved_or_deleted(sender, instance: Speech, using: str, **kwargs) -> None:
    schedule_speeches([instance.pk], using=using)


def speaker_saved(sender, instance: Speaker, using: str, **kwargs) -> None:
    # The speaker's name is part of their quotes' and speeches' indexed words.
    schedule_quotes(
        Quote.objects.using(using).filter(speaker=instance).values_list("pk", flat=True),
        using=using,
    )
    schedule_speeches(
        Speech.objects.using(using).filter(speaker=instance).values_list("pk", flat=True),
        using=using,
    )


def theme_saved_or_deleting(sender, instance: Theme, using: str, **kwargs) -> None:
    # Theme names are indexed with their quotes; before a delete, note who loses the name.
    schedule_quotes(instance.quotes.using(using).values_list("pk", flat=True), using=using)


def quote_themes_changed(
    sender, instance, action: str, reverse: bool, pk_set, using: str, **kwargs
) -> None:
    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if not reverse:
        schedule_quotes([instance.pk], using=using)
    elif action == "pre_clear":
        # theme.quotes.clear(): only now can we still see which quotes had the theme.
        schedule_quotes(instance.quotes.using(using).values_list("pk", flat=True), using=using)
    elif pk_set:
        schedule_quotes(pk_set, using=using)


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch_uid)."""
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(quote_saved_or_deleted, sender=Quote, dispatch_uid=f"search-quote-{name}")
        signal.connect(speech_saved_or_deleted, sender=Speech, dispatch_uid=f"search-speech-{name}")
    post_save.connect(speaker_saved, sender=Speaker, dispatch_uid="search-speaker")
    post_save.connect(theme_saved_or_deleting, sender=Theme, dispatch_uid="search-theme-save")
    pre_delete.connect(theme_saved_or_deleting, sender=Theme, dispatch_uid="search-theme-delete")
    m2m_changed.connect(
        quote_themes_changed, sender=Quote.themes.through, dispatch_uid="search-quote-themes"
    )
