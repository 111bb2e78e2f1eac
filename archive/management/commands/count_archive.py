"""``python manage.py count_archive``: count the archive's big lists before readers ask.

At a million quotations the facet menus, totals and timelines of the unfiltered lists, of
each theme and of the most quoted speakers take seconds each to count. Pages count them on
first request and keep them (``archive/views/summaries.py``, in the cache and, with
``ARCHIVE_STORED_SUMMARIES``, in the database). This command makes those first requests
itself, one page at a time, so that readers, and every server started afterwards, find them
counted: run it after a bulk load (``generate_archive``, an import of many statements) or a
restore. Pages whose counts are already current cost a cache read; a second run is quick.
"""

from __future__ import annotations

import time

from django.contrib.auth.models import AnonymousUser
from django.core.management import BaseCommand
from django.db.models import Count
from django.test import RequestFactory, override_settings
from django.urls import resolve, reverse

from archive.models import Office, Quote, Speaker, Theme


def pages_to_count(speakers: int) -> list[tuple[str, list[str]]]:
    """The pages whose counts are worth making ahead, in groups: (group, paths)."""
    themes = Theme.objects.order_by("slug").values_list("slug", flat=True)
    offices = Office.objects.order_by("slug").values_list("slug", flat=True).distinct()
    top = (
        Quote.objects.published()
        .order_by()
        .values("speaker_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker_id")
        .values_list("speaker_id", flat=True)[:speakers]
    )
    people = Speaker.objects.filter(pk__in=list(top)).values_list("slug", flat=True)
    lists = ["speech", "quote", "speaker", "theme", "office"]
    return [
        ("lists", [reverse("archive:home")] + [reverse(f"archive:{n}-list") for n in lists]),
        ("themes", _record_pages("theme", themes)),
        ("offices", [reverse("archive:office-detail", args=[slug]) for slug in offices]),
        ("speakers", _record_pages("speaker", people)),
    ]


def _record_pages(name: str, slugs) -> list[str]:
    """For each record: its own page, and the quote and speech lists filtered by it."""
    quotes, speeches = reverse("archive:quote-list"), reverse("archive:speech-list")
    return [
        path
        for slug in slugs
        for path in (
            reverse(f"archive:{name}-detail", args=[slug]),
            f"{quotes}?{name}={slug}",
            f"{speeches}?{name}={slug}",
        )
    ]


def count_page(path: str) -> int:
    """Build the page at ``path`` as a reader's request would, counting what it needs here
    (not in the counting thread, and without a time budget); its status code."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    match = resolve(request.path_info)
    with override_settings(ARCHIVE_BACKGROUND_COUNTS=False, ARCHIVE_SUMMARY_BUDGET_MS=0):
        response = match.func(request, *match.args, **match.kwargs)
    return response.status_code


class Command(BaseCommand):
    help = (
        "Count the facet menus, totals and timelines of the big lists (every theme, office "
        "and the most quoted speakers), so readers and newly started servers find them counted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--speakers",
            type=int,
            default=100,
            help="How many of the most quoted speakers to count for (default 100).",
        )

    def handle(self, *args, speakers: int, **options):
        started = time.monotonic()
        total = 0
        for group, paths in pages_to_count(max(0, speakers)):
            group_started = time.monotonic()
            for path in paths:
                status = count_page(path)
                if status != 200:
                    self.stderr.write(f"{path} answered {status}")
            total += len(paths)
            self.stdout.write(
                f"{group}: {len(paths)} pages in {time.monotonic() - group_started:.1f}s"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Counted {total} pages in {time.monotonic() - started:.1f}s; their slow counts "
                "are kept for readers."
            )
        )
