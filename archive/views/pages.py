"""Public pages. Thin: the questions they ask live in the models' QuerySets."""

from django.shortcuts import get_object_or_404, render

from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme


def home(request):
    """What the archive holds."""
    speeches = Speech.objects.published().for_list()
    return render(request, "archive/home.html", {"speeches": speeches})


def speech_list(request):
    return render(
        request, "archive/home.html", {"speeches": Speech.objects.published().for_list()}
    )


def speech_detail(request, slug):
    speech = get_object_or_404(Speech.objects.published(), slug=slug)
    return render(request, "archive/simple_detail.html", {"object": speech})


def quote_list(request):
    return render(request, "archive/home.html", {"speeches": Speech.objects.none()})


def quote_detail(request, slug):
    quote = get_object_or_404(Quote.objects.published(), slug=slug)
    return render(request, "archive/simple_detail.html", {"object": quote})


def speaker_list(request):
    return render(request, "archive/home.html", {"speeches": Speech.objects.none()})


def speaker_detail(request, slug):
    return render(
        request, "archive/simple_detail.html", {"object": get_object_or_404(Speaker, slug=slug)}
    )


def office_list(request):
    return render(request, "archive/home.html", {"speeches": Speech.objects.none()})


def office_detail(request, slug):
    office = Office.objects.filter(slug=slug).first()
    if office is None:
        from django.http import Http404

        raise Http404("No such office")
    return render(request, "archive/simple_detail.html", {"object": office})


def event_list(request):
    return render(request, "archive/home.html", {"speeches": Speech.objects.none()})


def event_detail(request, slug):
    return render(
        request, "archive/simple_detail.html", {"object": get_object_or_404(Event, slug=slug)}
    )


def theme_list(request):
    return render(request, "archive/home.html", {"speeches": Speech.objects.none()})


def theme_detail(request, slug):
    return render(
        request, "archive/simple_detail.html", {"object": get_object_or_404(Theme, slug=slug)}
    )


def source_detail(request, slug):
    return render(
        request, "archive/simple_detail.html", {"object": get_object_or_404(Source, slug=slug)}
    )
