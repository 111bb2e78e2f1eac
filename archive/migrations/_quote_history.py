"""A version of a quotation in its history, with its themes, written by a data migration as
a save would write it (migrations 0038 and 0039). The module starts with "_", so Django does
not take it for a migration; it takes the migration's own (historical) models."""

from django.utils import timezone


def record_quote_version(apps, alias: str, quote, history_type: str, reason: str) -> None:
    """``quote`` as it is now, as one version (``history_type`` "+", "~" or "-") saying
    ``reason``, its themes kept with it: reverting to it must not drop them."""
    quote_model = apps.get_model("archive", "Quote")
    history_model = apps.get_model("archive", "HistoricalQuote")
    themes_history = apps.get_model("archive", "HistoricalQuote_themes")
    fields = {f.attname: getattr(quote, f.attname) for f in quote_model._meta.concrete_fields}
    version = history_model.objects.using(alias).create(
        **fields,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
    )
    tags = quote_model.themes.through.objects.using(alias).filter(quote_id=quote.pk)
    themes_history.objects.using(alias).bulk_create(
        themes_history(id=tag.pk, history=version, quote_id=quote.pk, theme_id=tag.theme_id)
        for tag in tags
    )
