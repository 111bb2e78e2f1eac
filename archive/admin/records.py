"""Admin screens for the records around a speech: themes, speakers and offices, events, sources."""

from django import forms
from django.contrib import admin

from archive.admin.base import (
    FORM_FIELDS,
    ArchiveAdmin,
    DatedModelForm,
    named_by_column,
    slug_made_if_empty,
)
from archive.admin.forms import SourceAdminForm
from archive.models import (
    ALIASES_FORMAT,
    Event,
    Office,
    Quote,
    Source,
    Speaker,
    Speech,
    Status,
    Theme,
)

# How many of the records that keep a record from being deleted are named, per kind.
NAMED_AT_MOST = 10


def _named(records, noun: str, why: str) -> list[str]:
    """Up to ``NAMED_AT_MOST`` of ``records`` as "<noun> “<record>”: <why>", and how many
    more there are."""
    rows = list(records[: NAMED_AT_MOST + 1])
    named = [f"{noun} “{record}”: {why}" for record in rows[:NAMED_AT_MOST]]
    if len(rows) > NAMED_AT_MOST:
        more = records.count() - NAMED_AT_MOST
        named.append(f"and {more} more {noun.lower()}{'s' if more != 1 else ''}")
    return named


def offices_named(offices) -> list[str]:
    """The speeches and quotations whose source names one of ``offices``: deleting it would
    take the office off them (``SET_NULL``) without a version in their history."""
    why = "its source names this office; choose none there first"
    return [
        *_named(Speech.objects.filter(stated_office__in=offices), "Speech", why),
        *_named(Quote.objects.filter(stated_office__in=offices), "Quotation", why),
    ]


@admin.register(Theme)
class ThemeAdmin(ArchiveAdmin):
    slug_from = "name"
    list_display = ("name", "parent", "slug")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name__folded", "description__folded")
    autocomplete_fields = ("parent",)
    fields = ("name", "slug", "description", "parent")

    def links_kept(self, objs) -> list[str]:
        # A deleted theme's tags went with it, unrecorded in the quotations' history, and a
        # revert of the theme brought it back on none of them.
        themes = list(objs)
        return [
            *_named(
                Quote.objects.filter(themes__in=themes).distinct().order_by("pk"),
                "Quotation",
                "on this theme; take the theme off it first",
            ),
            *_named(
                Theme.objects.filter(parent__in=themes).exclude(pk__in=[t.pk for t in themes]),
                "Theme",
                "this is its broader theme; choose another, or none, first",
            ),
        ]


class OfficeInlineFormSet(forms.BaseInlineFormSet):
    """A speaker's offices: one a source names on a statement is not deleted from here."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        named_by_column(form)

    def clean(self):
        super().clean()
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk]
        named = offices_named(deleted) if deleted else []
        if named:
            raise forms.ValidationError(
                "An office ticked for deletion is named by a source on a statement: "
                + "; ".join(named)
                + "."
            )


class OfficeInline(admin.TabularInline):
    model = Office
    formfield_overrides = FORM_FIELDS
    extra = 0
    fields = (
        "post",
        "organisation",
        "start_date",
        "end_date",
        "ended",
        "is_ministerial",
        "source_url",
        "slug",
    )
    prepopulated_fields = {"slug": ("post",)}
    ordering = ("start_date",)
    formset = OfficeInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # As on the office's own page: without JavaScript, the slug is made from the post.
        slug_made_if_empty(formset.form, "post")
        return formset


@admin.register(Speaker)
class SpeakerAdmin(ArchiveAdmin):
    slug_from = "name"
    inlines = [OfficeInline]
    list_display = ("name", "honorific", "slug", "is_minister")
    list_filter = ("offices__is_ministerial",)
    search_fields = ("name__folded", "aliases__folded")
    fields = ("name", "slug", "honorific", "aliases", "bio")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "aliases" and field is not None:
            # Django's "Enter a valid JSON." told a curator who typed names with commas
            # nothing about what to type.
            field.error_messages["invalid"] = ALIASES_FORMAT
        return field

    @admin.display(boolean=True, description="minister")
    def is_minister(self, speaker: Speaker) -> bool:
        return any(office.is_ministerial for office in speaker.offices.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("offices")


@admin.register(Office)
class OfficeAdmin(ArchiveAdmin):
    list_display = (
        "post",
        "speaker",
        "organisation",
        "start_date",
        "end_date",
        "ended",
        "is_ministerial",
    )
    list_filter = ("is_ministerial", "organisation")
    list_select_related = ("speaker",)
    search_fields = ("post__folded", "organisation__folded", "speaker__name__folded")
    autocomplete_fields = ("speaker",)
    date_hierarchy = "start_date"

    # Holders of one post share its slug (its page): filled in from the post while a new
    # office is typed and, left empty, made from it on saving (``Office.save``).
    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("post",)} if obj is None else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        slug_made_if_empty(form, "post")
        return form

    def links_kept(self, objs) -> list[str]:
        return offices_named(list(objs))

    def get_queryset(self, request):
        # Each office is named with its holder (its menu of choices included).
        return super().get_queryset(request).select_related("speaker")

    def get_search_results(self, request, queryset, search_term):
        """The menu of "Office named by the source" (a speech's, a quotation's) offers the
        statement's speaker's offices alone when the page says who that is
        (``static/js/admin-office-menus.js`` adds ``speaker`` to the menu's request): another
        speaker's office is refused on saving anyway. Anything but a record number there
        narrows nothing."""
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        speaker = request.GET.get("speaker", "")
        if (
            getattr(request.resolver_match, "url_name", None) == "autocomplete"
            and request.GET.get("field_name") == "stated_office"
            and speaker.isascii()
            and speaker.isdigit()
            and len(speaker) < 19  # a database integer (SQLite refuses a longer one)
        ):
            queryset = queryset.filter(speaker_id=int(speaker))
        return queryset, distinct


@admin.register(Event)
class EventAdmin(ArchiveAdmin):
    form = DatedModelForm
    slug_from = "name"
    list_display = ("name", "kind", "date_display", "place", "organiser")
    list_filter = ("kind", "date_precision")
    search_fields = (
        "name__folded",
        "place__folded",
        "organiser__folded",
        "description__folded",
    )
    date_hierarchy = "date"
    fields = (
        "name",
        "slug",
        "kind",
        ("date", "date_precision"),
        "place",
        "organiser",
        "description",
    )

    @admin.display(description="date", ordering="date")
    def date_display(self, event: Event) -> str:
        return event.date_display


@admin.register(Source)
class SourceAdmin(ArchiveAdmin):
    form = SourceAdminForm
    slug_from = "title"
    list_display = ("title", "publisher", "date_display", "url")
    list_filter = ("publisher", "date_precision")

    def view_on_site(self, source: Source) -> str | None:
        # Its page is public only once a published statement cites it (else a 404).
        published = source.speeches.filter(status=Status.PUBLISHED).exists()
        return source.get_absolute_url() if published else None

    search_fields = ("title__folded", "publisher__folded", "url__folded")
    date_hierarchy = "date"
    fields = (
        "title",
        "slug",
        "publisher",
        ("date", "date_precision"),
        "url",
        "is_original",
        "filename",
        "original_text",
    )

    @admin.display(description="date", ordering="date")
    def date_display(self, source: Source) -> str:
        return source.date_display
