"""What tests compare search hits by: the records themselves."""

from django.db.models import Model

from archive.models import Quote, Speech
from archive.search.results import QUOTE, SPEECH


def records(hits) -> list[Model]:
    """The quotations and speeches of ``hits``, in order, as models.

    A hit holds what the page shows (a card); a card never equals a model, so a test that
    checked ``model in hits`` would always pass for the wrong reason.
    """
    models = {QUOTE: Quote, SPEECH: Speech}
    return [models[hit.kind].objects.get(pk=hit.record.pk) for hit in hits]
