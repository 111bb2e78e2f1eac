"""Pledges: commitments made in the archive's quotations, with their outcomes."""

from django.shortcuts import render

from archive.filters import PledgeFilter
from archive.insight.pledges import pledged_quotes
from archive.views.listing import statement_listing

SHOWN = (
    "status",
    "q",
    "speaker",
    "theme",
    "event_kind",
    "date_after",
    "date_before",
    "sort",
)


def pledge_list(request):
    """Every commitment, with what was promised, by when, and its outcome; filterable."""
    context = statement_listing(request, PledgeFilter, pledged_quotes(), shown=SHOWN)
    return render(request, "archive/pledge_list.html", context)
