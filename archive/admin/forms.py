"""Forms behind the speech and quote screens: every rule checked, every problem shown at once."""

from __future__ import annotations

from django import forms

from archive.admin.base import DatedModelForm
from archive.admin.conflicts import (
    VersionCheckedForm,
    VersionCheckedInlineForm,
    VersionCheckedInlineFormSet,
)
from archive.ingest.normalise import fingerprint
from archive.models import Quote, Speech
from archive.services import DUPLICATE_IN_SPEECH, duplicate_positions, quote_text_problems

SLUG_HELP = "Part of the quote's URL. Leave empty to make one from the speech and the words."


def _speech_texts(speech: Speech | None) -> tuple[str, str]:
    """The texts a quote of ``speech`` must appear in: the speech's and its source's."""
    if speech is None:
        return "", ""
    source = speech.source if speech.source_id else None
    return speech.text, source.original_text if source else ""


class SpeechAdminForm(VersionCheckedForm, DatedModelForm):
    class Meta:
        model = Speech
        fields = [
            "version",
            "title",
            "slug",
            "status",
            "speaker",
            "kind",
            "event",
            "source",
            "date",
            "date_precision",
            "stated_office",
            "summary",
            "text",
        ]


class SpeechRevertForm(SpeechAdminForm):
    """A speech's form as a revert posts it: the version's text must still hold every
    quotation the speech has today (simple-history's revert form has no quotation rows, so
    ``QuoteInlineFormSet`` is not there to check them)."""

    def clean(self):
        cleaned = super().clean()
        text, source = cleaned.get("text"), cleaned.get("source")
        if text is None or self.instance.pk is None:
            return cleaned
        source_text = source.original_text if source else ""
        missing = [
            quote.slug
            for quote in Quote.objects.filter(speech_id=self.instance.pk).order_by("position")
            if quote_text_problems(quote.text, speech_text=text, source_text=source_text)
        ]
        if missing:
            self.add_error(
                "text",
                "This version's text does not hold every quotation the speech has now ("
                + ", ".join(f"“{slug}”" for slug in missing)
                + "): change or delete those quotations on the speech's page first, then "
                "revert.",
            )
        return cleaned


class SourceAdminForm(DatedModelForm):
    """A source's form (its own page and its reverts): its original text must still hold
    every quotation that is in it alone, not in its speech's text, as the speech's page
    requires."""

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("original_text")
        if text is None or self.instance.pk is None:
            return cleaned
        missing = [
            quote.slug
            for quote in Quote.objects.filter(speech__source_id=self.instance.pk)
            .select_related("speech")
            .order_by("speech_id", "position")
            if quote_text_problems(quote.text, speech_text=quote.speech.text, source_text=text)
        ]
        if missing:
            self.add_error(
                "original_text",
                "This text would no longer hold these quotations, which are in it and not in "
                "their speech's text: "
                + ", ".join(f"“{slug}”" for slug in missing)
                + ". Change or delete them on their speech's page first.",
            )
        return cleaned


class QuoteInlineFormSet(VersionCheckedInlineFormSet):
    """The quotes of one speech: each verbatim in the speech, none twice."""

    def clean(self):
        super().clean()
        # ``self.instance`` already carries the speech form's new text and source.
        speech_text, source_text = _speech_texts(self.instance)
        kept = []
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned or cleaned.get("DELETE") or not cleaned.get("text"):
                continue
            text = cleaned["text"]
            for problem in quote_text_problems(
                text, speech_text=speech_text, source_text=source_text
            ):
                form.add_error("text", problem)
            kept.append((form, text))
        for index in duplicate_positions([text for _, text in kept]):
            kept[index][0].add_error("text", DUPLICATE_IN_SPEECH)
        if self.instance.pk is not None:
            # The speech's quotations as stored now, read once for both checks below.
            stored = list(
                Quote.objects.filter(speech_id=self.instance.pk)
                .order_by("position", "pk")
                .values_list("pk", "slug", "text", "fingerprint")
            )
            self._check_quotations_kept(stored, speech_text, source_text)
            # Quotations added to the speech elsewhere since this page was opened.
            shown = {form.instance.pk for form in self.forms if form.instance.pk}
            others = {mark: slug for pk, slug, _, mark in stored if pk not in shown}
            for form, text in kept:
                slug = others.get(fingerprint(text))
                if slug is not None:
                    form.add_error(
                        "text",
                        f"Quotation “{slug}”, added to this speech since you opened this "
                        "page, has the same words.",
                    )

    def _check_quotations_kept(self, stored: list, speech_text: str, source_text: str) -> None:
        """Refuse a text that would no longer hold a quotation this save leaves as stored.

        The rows checked above are the words this page shows; a quotation added to the
        speech elsewhere since the page was opened, or whose words a colleague changed on
        its own page (its row here unchanged, so not saved), keeps its stored words, which
        must still be in the speech. ``stored``: the speech's quotations as (id, slug, text,
        fingerprint).
        """
        written, shown = set(), {}
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if not form.instance.pk:
                continue
            # A row whose words its own check refused already says why, on the row: not
            # "changed elsewhere", which sent a curator looking for a colleague's edit.
            if cleaned.get("DELETE") or form.has_changed() or "text" in form.errors:
                written.add(form.instance.pk)
            shown[form.instance.pk] = cleaned.get("text")
        missing = [
            slug
            for pk, slug, text, _ in stored
            # A row showing the stored words was checked, and marked, above.
            if pk not in written
            and text != shown.get(pk)
            and quote_text_problems(text, speech_text=speech_text, source_text=source_text)
        ]
        if missing:
            raise forms.ValidationError(
                "The speech's text would no longer hold the words of "
                + ", ".join(f"“{slug}”" for slug in missing)
                + ", added or changed elsewhere since you opened this page: keep those "
                "words in the text, or change or delete the quotation first.",
                code="quotation_left_out",
            )


class QuoteInlineForm(VersionCheckedInlineForm):
    """One quote among a speech's inline rows, with the version it was opened at."""

    class Meta:
        model = Quote
        fields = [
            "version",
            "position",
            "kind",
            "text",
            "speaker",
            "attribution",
            "stated_office",
            "themes",
        ]


class QuoteAdminForm(VersionCheckedForm):
    """A quote on its own page: verbatim in its speech, not a repeat of another quote there."""

    slug = forms.SlugField(max_length=120, required=False, help_text=SLUG_HELP)

    #: Theme ids of the historical version being reverted to (set by QuoteAdmin).
    historical_theme_ids: list[int] | None = None

    class Meta:
        model = Quote
        fields = [
            "version",
            "speech",
            "position",
            "text",
            "speaker",
            "attribution",
            "stated_office",
            "kind",
            "themes",
            "slug",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.historical_theme_ids is not None and "themes" in self.fields:
            self.initial["themes"] = self.historical_theme_ids

    def clean(self):
        cleaned = super().clean()
        speech, text = cleaned.get("speech"), cleaned.get("text")
        if speech is None or not text:
            return cleaned
        speech_text, source_text = _speech_texts(speech)
        for problem in quote_text_problems(text, speech_text=speech_text, source_text=source_text):
            self.add_error("text", problem)
        others = Quote.objects.filter(speech=speech).exclude(pk=self.instance.pk)
        if others.filter(fingerprint=fingerprint(text)).exists():
            self.add_error("text", DUPLICATE_IN_SPEECH)
        return cleaned
