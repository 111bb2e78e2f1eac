"""Forms of the "Import an article" page: the article and its details, then each quotation."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.validators import FileExtensionValidator

from archive.admin.base import AutocompleteSelect, TextareaText
from archive.importing import ArticlePreview, UnreadableArticle, read_article_bytes
from archive.models import (
    DatePrecision,
    Event,
    Quote,
    QuoteKind,
    Speaker,
    Speech,
    SpeechKind,
    Theme,
    statement_date_problems,
)
from archive.services import (
    DUPLICATE_IN_SPEECH,
    QuotationChoice,
    SourceDetails,
    SpeechDetails,
    duplicate_positions,
    quote_text_problems,
)

WIDE = forms.TextInput(attrs={"class": "vTextField"})
PRECISION_HELP = "How much of the date the article states. Month: give the 1st of the month."


class ArticleForm(forms.Form):
    """The article (pasted or uploaded) and what a machine cannot know about it."""

    text = TextareaText(
        label="Article text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="Paste the report as published, headline included.",
    )
    upload = forms.FileField(
        label="…or upload a .txt file",
        required=False,
        validators=[FileExtensionValidator(["txt"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
        help_text="Plain text in UTF-8.",
    )
    # The speech.
    title = forms.CharField(
        label="Speech title",
        max_length=300,
        required=False,
        widget=WIDE,
        help_text="Suggested from the headline on the preview; write what the speech was.",
    )
    kind = forms.ChoiceField(choices=SpeechKind.choices, initial=SpeechKind.SPEECH)
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.all(),
        required=False,
        help_text="Who gave the speech (suggested: the person quoted most).",
    )
    new_speaker_name = forms.CharField(
        label="…or a new speaker",
        max_length=200,
        required=False,
        widget=WIDE,
        help_text="Full name, if the speaker is not in the archive yet.",
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, help_text="Leave empty for a letter."
    )
    date = forms.DateField(
        label="Date of the speech",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_precision = forms.ChoiceField(
        choices=DatePrecision.choices, initial=DatePrecision.UNKNOWN, help_text=PRECISION_HELP
    )
    # Where it was reported.
    source_title = forms.CharField(
        label="Article title", max_length=300, required=False, widget=WIDE
    )
    publisher = forms.CharField(max_length=200, required=False, widget=WIDE)
    url = forms.URLField(
        label="Article URL",
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )
    source_date = forms.DateField(
        label="Date published", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_date_precision = forms.ChoiceField(
        label="Precision of the publication date",
        choices=DatePrecision.choices,
        initial=DatePrecision.UNKNOWN,
        help_text=PRECISION_HELP,
    )
    # Ties a confirmation to the preview it answers (a digest of the article text).
    digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Searched as you type: the archive has thousands of speakers.
        _autocomplete(self.fields["speaker"], Speech, "speaker")
        _autocomplete(self.fields["event"], Speech, "event")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            if cleaned.get("text", "").strip():
                self.add_error("upload", "Paste the text or upload a file, not both.")
            else:
                try:
                    # As the textarea's text is read: the preview's digest is of this text,
                    # and "Save draft" sends it back through the textarea (trimmed, with
                    # "\n" line breaks), so a file's CRLF or last newline must not make the
                    # two differ (the curator's corrections were then reset).
                    cleaned["text"] = self.fields["text"].clean(read_article_bytes(upload.read()))
                except UnreadableArticle as error:
                    self.add_error("upload", str(error))
        elif not self.has_error("upload") and not cleaned.get("text", "").strip():
            self.add_error("text", "Paste the article's text or upload it as a .txt file.")
        for date_field, precision_field in (
            ("date", "date_precision"),
            ("source_date", "source_date_precision"),
        ):
            if self.has_error(date_field):
                continue
            for problem in statement_date_problems(
                cleaned.get(date_field), cleaned.get(precision_field, "")
            ):
                self.add_error(precision_field, problem)
        return cleaned

    def source_details(self) -> SourceDetails:
        data = self.cleaned_data
        return SourceDetails(
            title=data["source_title"],
            publisher=data["publisher"],
            url=data["url"],
            date=data["source_date"],
            date_precision=data["source_date_precision"],
        )

    def speech_details(self) -> SpeechDetails:
        data = self.cleaned_data
        return SpeechDetails(
            title=data["title"],
            speaker=data["speaker"],
            new_speaker_name=data["new_speaker_name"],
            kind=data["kind"],
            event=data["event"],
            date=data["date"],
            date_precision=data["date_precision"],
        )


class QuotationForm(forms.Form):
    """One quotation on the preview: keep it or not, and correct its speaker and themes."""

    include = forms.BooleanField(label="Save this quotation", required=False)
    text = TextareaText(widget=forms.Textarea(attrs={"rows": 3, "cols": 90}), required=False)
    attribution = forms.CharField(
        label="Attribution as printed", max_length=200, required=False, widget=WIDE
    )
    speaker = forms.ModelChoiceField(
        label="Speaker", queryset=Speaker.objects.all(), required=False
    )
    new_speaker_name = forms.CharField(
        label="…or a new speaker", max_length=200, required=False, widget=WIDE
    )
    kind = forms.ChoiceField(choices=QuoteKind.choices, initial=QuoteKind.DIRECT)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _autocomplete(self.fields["speaker"], Quote, "speaker")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("include"):
            return cleaned
        if not cleaned.get("text", "").strip():
            self.add_error("text", "A quotation needs its words.")
        if cleaned.get("speaker") is None and not cleaned.get("new_speaker_name", "").strip():
            self.add_error("speaker", "Choose who said it, or give a new speaker's name.")
        return cleaned

    def choice(self) -> QuotationChoice:
        data = self.cleaned_data
        return QuotationChoice(
            text=data["text"].strip(),
            attribution=data["attribution"],
            speaker=data["speaker"],
            new_speaker_name="" if data["speaker"] else data["new_speaker_name"],
            kind=data["kind"],
            themes=tuple(data["themes"]),
        )


def _autocomplete(form_field: forms.ModelChoiceField, model, name: str) -> None:
    """Use the admin's search-as-you-type widget for a choice among many records."""
    form_field.widget = AutocompleteSelect(
        model._meta.get_field(name), admin.site, attrs={"data-width": "20em"}
    )
    form_field.widget.choices = form_field.choices


class BaseQuotationFormSet(forms.BaseFormSet):
    """All quotations of the article: each kept one verbatim in it, none kept twice."""

    def __init__(self, *args, preview: ArticlePreview, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def clean(self):
        # Forms with errors of their own are checked too: every problem is reported at once.
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", {}).get("include") and form.cleaned_data.get("text")
        ]
        texts = [form.cleaned_data["text"] for form in kept]
        for form, text in zip(kept, texts, strict=True):
            for problem in quote_text_problems(
                text,
                speech_text=self.preview.cleaned_text,
                source_text=self.preview.original_text,
            ):
                form.add_error("text", problem)
        for index in duplicate_positions(texts):
            kept[index].add_error("text", DUPLICATE_IN_SPEECH)

    def choices(self) -> list[QuotationChoice]:
        return [form.choice() for form in self.forms if form.cleaned_data.get("include")]


QuotationFormSet = forms.formset_factory(QuotationForm, formset=BaseQuotationFormSet, extra=1)


def initial_quotations(preview: ArticlePreview) -> list[dict]:
    """The preview's suggestions as the formset's starting values.

    A quotation the archive already holds is left unticked: it is most likely the same words
    reported again, and ticking it is one click if it is not.
    """
    return [
        {
            "include": not q.duplicates,
            "text": q.text,
            "attribution": q.attribution,
            "speaker": q.speaker,
            "new_speaker_name": q.proposed_new_speaker,
            "kind": q.kind,
            "themes": q.themes,
        }
        for q in preview.quotations
    ]
