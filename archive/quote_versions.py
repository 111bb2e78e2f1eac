"""One history version for one save of a quotation, its themes included.

A quotation's themes are set after the quotation itself is saved, and simple-history
records each theme removed or added as one more version: states nobody saved (a restored
quotation's first version had no themes). ``hold_version`` leaves those unrecorded, and
``complete_version`` gives the version the save recorded the themes once they are set.
"""

from __future__ import annotations

from django.apps import apps

from archive.models import Quote


def hold_version(quote: Quote) -> None:
    """After a quotation's save, before its themes are set: remember the version the save
    recorded, and record no more until ``complete_version``."""
    quote._archive_version = (
        quote.history.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    quote.skip_history_when_saving = True


def complete_version(quote: Quote) -> None:
    """Give the version ``hold_version`` remembered the quotation's themes as they are now:
    one version for one save (or one revert, restore or import), themes and all."""
    history_id = quote.__dict__.pop("_archive_version", None)
    quote.__dict__.pop("skip_history_when_saving", None)
    if history_id is None:
        return
    recorded = apps.get_model("archive", "HistoricalQuote_themes")
    recorded.objects.filter(history_id=history_id).delete()
    recorded.objects.bulk_create(
        recorded(id=row.pk, history_id=history_id, quote_id=row.quote_id, theme_id=row.theme_id)
        for row in Quote.themes.through.objects.filter(quote_id=quote.pk)
    )
