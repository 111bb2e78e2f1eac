"""Compare: what several speakers said on one theme, side by side."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from archive.insight.compare import (
    MAX_SPEAKERS,
    fill_columns,
    quotations_per_speaker,
    read_request,
)
from archive.models import Speaker, Theme
from archive.views.summaries import cached_summary, small_count_min_ms

SPEAKER_CHOICES = 3  # speaker <select>s in the form; more can be added in the URL


def compare_page(request):
    """The comparison form and, once a theme and two speakers are chosen, the columns."""
    comparison = read_request(request.GET)
    on_theme = speakers_on(comparison.theme)
    per_speaker = {pk: n for pk, _, _, n in on_theme} if comparison.theme else None
    comparison = fill_columns(comparison, per_speaker)
    chosen = [s.slug for s in comparison.speakers]
    # One empty menu more than the speakers chosen, up to MAX_SPEAKERS: choosing a third
    # and comparing brings the fourth menu (three empty ones at first, to keep the page
    # light: each lists every speaker on the theme).
    slots = min(MAX_SPEAKERS, max(SPEAKER_CHOICES, len(chosen) + 1))
    speakers = [(slug, name) for _, slug, name, _ in on_theme]
    # A chosen speaker with nothing on the theme stays chosen in its menu: sending the form
    # again would otherwise drop them without a word.
    listed = {slug for slug, _ in speakers}
    unlisted = [(s.slug, s.name) for s in comparison.speakers if s.slug not in listed]
    if unlisted:
        speakers = sorted(speakers + unlisted, key=lambda option: (option[1], option[0]))
    context = {
        "has_errors": bool(comparison.errors),  # the title starts "Error:"
        "comparison": comparison,
        "max_speakers": MAX_SPEAKERS,
        "theme_options": theme_menu(comparison.theme),
        # A menu per slot: the chosen speakers' first, then empty ones.
        "speaker_slots": list(
            enumerate(speaker_menus(speakers, (chosen + [""] * slots)[:slots]), start=1)
        ),
    }
    status = 400 if comparison.errors else 200
    return render(request, "archive/compare.html", context, status=status)


def speakers_on(theme: Theme | None) -> list[tuple[int, str, str, int]]:
    """(id, slug, name, quotations on the theme) of the speakers a reader can choose, by
    name: those with published quotations on ``theme`` when one is chosen (a short, useful
    list; the counts decide how the columns are read), else everyone the speakers' list
    names, with a published statement (count 0).

    Finding a theme's speakers reads every quotation on it (half a second for a theme of
    120,000), and everyone's is a check per speaker, so either list is kept as the lists'
    counts are, and made again after a write.
    """
    everyone = Speaker.objects.order_by("name", "slug")
    if theme is None:
        listed = everyone.with_statements().values_list("pk", "slug", "name")
        return cached_summary(
            "compare-listed-speakers",
            (),
            lambda: [(pk, slug, name, 0) for pk, slug, name in listed],
            min_ms=small_count_min_ms(),
        )

    def read() -> list[tuple[int, str, str, int]]:
        per_speaker = quotations_per_speaker(theme)
        found = everyone.filter(pk__in=per_speaker).values_list("pk", "slug", "name")
        return [(pk, slug, name, per_speaker[pk]) for pk, slug, name in found]

    # Named apart from the earlier (slug, name) lists, which a cache may still hold.
    return cached_summary("compare-per-speaker", (theme.pk,), read)


def theme_menu(chosen: Theme | None) -> SafeString:
    """The theme menu's ``<option>`` elements by name, ``chosen`` selected; escaped.
    Written out here, as the speaker menus are: sixty themes as models through a template
    loop took a millisecond."""
    slug = chosen.slug if chosen is not None else None
    return mark_safe(  # noqa: S308 -- every value escaped
        "\n".join(
            f'<option value="{escape(value)}"{" selected" if value == slug else ""}>'
            f"{escape(name)}</option>"
            for value, name in Theme.objects.order_by("name", "slug").values_list("slug", "name")
        )
    )


def speaker_menus(speakers: list[tuple[str, str]], chosen: list[str]) -> list[SafeString]:
    """Each speaker menu's ``<option>`` elements, the menu's ``chosen`` slug selected (none
    for ""); escaped. Written out here because three menus of two thousand speakers took
    150 ms in a template loop, and escaped once for all the menus, not once a menu."""
    options = _options(tuple(speakers))
    menus = []
    for slug in chosen:
        # Slugs are unique: the chosen speaker's option is the one with this exact value.
        option = f'<option value="{escape(slug)}">'
        selected = f'<option value="{escape(slug)}" selected>'
        menus.append(mark_safe(options.replace(option, selected, 1) if slug else options))  # noqa: S308 -- escaped above
    return menus


@lru_cache(maxsize=64)
def _options(speakers: tuple[tuple[str, str], ...]) -> str:
    """The ``<option>`` elements of these (slug, name) pairs, escaped; kept for the same
    list (a theme's speakers, until a write changes them): escaping a thousand names took
    a third of a millisecond of every comparison."""
    return "\n".join(
        f'<option value="{escape(slug)}">{escape(name)}</option>' for slug, name in speakers
    )
