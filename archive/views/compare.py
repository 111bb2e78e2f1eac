"""Compare: what several speakers said on one theme, side by side."""

from django.shortcuts import render

from archive.insight.compare import MAX_SPEAKERS, fill_columns, read_request
from archive.models import Speaker, Theme

SPEAKER_CHOICES = 3  # speaker <select>s in the form; more can be added in the URL


def compare_page(request):
    """The comparison form and, once a theme and two speakers are chosen, the columns."""
    comparison = fill_columns(read_request(request.GET))
    chosen = [s.slug for s in comparison.speakers]
    slots = max(SPEAKER_CHOICES, min(len(chosen), MAX_SPEAKERS))
    context = {
        "comparison": comparison,
        "themes": Theme.objects.only("name", "slug"),
        # Speakers with quotations on the theme, when one is chosen: short, useful lists.
        "speakers": (
            Speaker.objects.filter(quotes__themes=comparison.theme).distinct()
            if comparison.theme
            else Speaker.objects.all()
        ).only("name", "slug"),
        "speaker_slots": [
            (n, chosen[n - 1] if n <= len(chosen) else "") for n in range(1, slots + 1)
        ],
    }
    status = 400 if comparison.errors else 200
    return render(request, "archive/compare.html", context, status=status)
