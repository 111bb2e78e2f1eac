"""The search page: ``/search/?q=…``."""

from django.shortcuts import render


def search_page(request):
    """Placeholder until the search engines land: shows the query box."""
    return render(request, "archive/home.html", {"speeches": []})
