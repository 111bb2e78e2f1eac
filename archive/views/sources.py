"""Sources: where statements were reported."""

from django.shortcuts import get_object_or_404, render

from archive.filters import SpeechFilter
from archive.models import Source, Speech

SOURCE_SPEECHES = 50


def source_detail(request, slug):
    """A source: title, publisher, date, a link to the original, the statements it reports."""
    source = get_object_or_404(Source, slug=slug)
    speeches = (
        Speech.objects.published()
        .filter(source=source)
        .for_list()
        .order_by(*SpeechFilter.newest_first)[:SOURCE_SPEECHES]
    )
    return render(request, "archive/source_detail.html", {"source": source, "speeches": speeches})
