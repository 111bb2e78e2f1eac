"""Sources: where statements were reported."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from archive.filters import SpeechFilter
from archive.models import Source, Speech

SOURCE_SPEECHES = 50


def source_detail(request, slug):
    """A source: title, publisher, date, a link to the original, the statements it reports.

    A 404 while no published statement cites it: its page shows the document as received,
    whose words are a draft's (or a deleted or unpublished statement's) until then."""
    source = get_object_or_404(Source, slug=slug)
    speeches = list(
        Speech.objects.published()
        .filter(source=source)
        .for_list()
        .order_by(*SpeechFilter.newest_first)[:SOURCE_SPEECHES]
    )
    if not speeches:
        raise Http404("No published statement cites this source.")
    return render(request, "archive/source_detail.html", {"source": source, "speeches": speeches})
