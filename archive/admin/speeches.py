"""The speech and quote screens, where curators spend their day.

Curators (no ``archive.publish_speech`` permission) see the status read-only and can neither
publish nor delete; Editors publish and unpublish (a field or the list's actions) and delete.
Deleting goes through ``archive.services.delete_speech`` so the speech can be restored from
the "Deleted speeches" page.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import path, reverse

from archive.admin import deleted_views, import_views
from archive.admin.base import (
    FORM_FIELDS,
    ArchiveAdmin,
    UsableAutocomplete,
    _require_ids,
    give_rows_the_reason,
)
from archive.admin.conflicts import ConflictSafeAdmin
from archive.admin.forms import (
    QuoteAdminForm,
    QuoteInlineForm,
    QuoteInlineFormSet,
    SpeechAdminForm,
    SpeechRevertForm,
)
from archive.admin.pledges import PledgeInline
from archive.ingest.normalise import fingerprint
from archive.models import Quote, Speech, Status, quote_slug
from archive.quote_versions import complete_version, hold_version
from archive.services import (
    can_publish,
    delete_speech,
    publish_speech,
    themes_before_deletion,
    unpublish_speech,
)


def _ensure_slug(quote: Quote) -> None:
    if not quote.slug:
        quote.slug = quote_slug(quote.speaker.slug, quote.text)


class QuoteInline(UsableAutocomplete, admin.StackedInline):
    model = Quote
    formfield_overrides = FORM_FIELDS
    form = QuoteInlineForm
    formset = QuoteInlineFormSet
    extra = 0
    ordering = ("position",)
    fields = (
        "version",
        ("position", "kind"),
        "text",
        ("speaker", "attribution"),
        "stated_office",
        "themes",
        "slug",
    )
    autocomplete_fields = ("speaker", "stated_office", "themes")
    # Made from the speech and the words when the quote is first saved, then kept.
    readonly_fields = ("slug",)
    show_change_link = True

    def view_on_site(self, quote: Quote) -> str | None:
        # As the speech's own link: a draft's quotations are not on the public site.
        return quote.get_absolute_url() if quote.speech.is_published else None


@admin.register(Speech)
class SpeechAdmin(ConflictSafeAdmin, ArchiveAdmin):
    lists_deleted = False  # its own page restores a speech with its quotations
    form = SpeechAdminForm
    slug_from = "title"
    warn_of_namesakes = False
    use_search_interface = True
    inlines = [QuoteInline]
    list_display = ("title", "speaker", "kind", "date_display", "status", "quote_count")
    list_filter = (
        "status",
        "kind",
        "date_precision",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("event", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("speaker",)
    search_fields = ("title", "speaker__name", "summary")
    date_hierarchy = "date"
    autocomplete_fields = ("speaker", "event", "source", "stated_office")
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = (
        (None, {"fields": ("version", "title", "slug", "status", ("speaker", "kind"))}),
        (
            "Where and when",
            {"fields": ("event", "source", ("date", "date_precision"), "stated_office")},
        ),
        ("Words", {"fields": ("summary", "text", "editorial_note")}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="archive_speech_import",
            ),
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="archive_speech_deleted",
            ),
            path(
                "deleted/<int:speech_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="archive_speech_restore",
            ),
        ]
        # Before the defaults, whose "<object_id>/" pattern would swallow "import/".
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        # "Import an article" is offered to whom the import page opens for.
        can_import = request.user.has_perms(import_views.IMPORT_PERMISSIONS)
        return super().changelist_view(request, {**(extra_context or {}), "can_import": can_import})

    def import_view(self, request):
        return import_views.import_article_view(self, request)

    def deleted_view(self, request):
        return deleted_views.deleted_speeches_view(self, request)

    def restore_view(self, request, speech_id):
        return deleted_views.restore_speech_view(self, request, speech_id)

    def get_queryset(self, request):
        # A correlated subquery rather than Count("quotes"): a GROUP BY on the list would
        # also group the search engine's ranking (SQLite's bm25() refuses to run there).
        quotes = (
            Quote.objects.filter(speech=OuterRef("pk"))
            .order_by()
            .values("speech")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(quote_count=Coalesce(Subquery(quotes), 0))

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, speech: Speech) -> int:
        return speech.quote_count

    @admin.display(description="date", ordering="date")
    def date_display(self, speech: Speech) -> str:
        return speech.date_display

    def view_on_site(self, speech: Speech) -> str | None:
        # A draft is not on the public site; a link to it would only show "not found".
        return speech.get_absolute_url() if speech.is_published else None

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj) + ["created_at", "updated_at"]
        if not can_publish(request.user):
            readonly.append("status")
        return readonly

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user)

    # A revert of a deleted speech would bring it back without its quotations, which could
    # then no longer be restored: the "Deleted speeches" page restores them together.
    revert_recreates = False

    def deleted_revert_response(self, request):
        messages.error(
            request,
            "This speech was deleted, so there is nothing to revert: an editor can restore "
            "it, with its quotations, under Speeches › Deleted speeches.",
        )
        deleted = reverse("admin:archive_speech_deleted")
        changes = reverse("admin:archive_speech_changelist")
        return redirect(deleted if can_publish(request.user) else changes)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The version's form shows the status it had; a curator's revert keeps today's
        # (save_model): said before the revert, not only after it.
        _require_ids(object_id, version_id)
        if request.method == "GET" and not can_publish(request.user):
            now = Speech.objects.filter(pk=object_id).values_list("status", flat=True).first()
            then = (
                Speech.history.filter(id=object_id, history_id=version_id)
                .values_list("status", flat=True)
                .first()
            )
            if now and then and now != then:
                messages.info(
                    request,
                    f"Reverting keeps this speech {Status(now).label.lower()}, as it is now: "
                    "only an editor can change its status.",
                )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if getattr(request, "archive_reverting_to", None) is not None:
            kwargs["form"] = SpeechRevertForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        before, published_at = Speech.objects.filter(pk=obj.pk).values_list(
            "status", "published_at"
        ).first() or (Status.DRAFT, None)
        if obj.status != before and not can_publish(request.user):
            # Only reachable by reverting to an old version: keep today's status.
            obj.status = before
            messages.warning(request, "The status was kept as it is: only an editor can change it.")
        if obj.status == before:
            # A correction, or a revert to an old version, is not a new publication.
            obj.published_at = published_at
        else:
            obj.published_at = None  # Speech.save() stamps a publication now
            obj._change_reason = "Published" if obj.is_published else "Unpublished"
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Quote:
            return super().save_formset(request, form, formset, change)
        give_rows_the_reason(form, formset)
        saved = formset.save(commit=False)
        # A quotation added without a position goes after the speech's others, in the
        # order of the form (all of them were saved at 0, and listed in no set order).
        taken = [q.position for q in form.instance.quotes.all()] + [q.position for q in saved]
        last = max(taken, default=0)
        # The form as a whole repeats no words (QuoteInlineFormSet), but rows written one
        # by one can pass through a state that does: a row deleted and its words typed in
        # a new one, two rows' words swapped. Deletions go first, and the rows whose words
        # change let go of their old ones first (within the save's transaction).
        for quote in formset.deleted_objects:
            quote.delete()
        for quote in saved:
            if not quote._state.adding and fingerprint(quote.text) != quote.fingerprint:
                Quote.objects.filter(pk=quote.pk).update(fingerprint=f"changing-{quote.pk}")
        for quote in saved:
            if quote._state.adding and not quote.position:
                last += 1
                quote.position = last
            _ensure_slug(quote)
            quote.save()
            hold_version(quote)
        formset.save_m2m()
        for quote in saved:
            complete_version(quote)

    def delete_model(self, request, obj):
        delete_speech(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for speech in queryset:
            delete_speech(speech, by=request.user)

    @admin.action(description="Publish selected speeches", permissions=["publish"])
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for speech in queryset:
            try:
                publish_speech(speech, by=request.user)
                done += 1
            except ValidationError as error:
                refused.append(f"“{speech}”: {' '.join(error.messages)}")
        if done:
            self.message_user(request, f"Published {done} speech(es).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not published: {line}", messages.ERROR)

    @admin.action(description="Unpublish selected speeches", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        for speech in queryset:
            unpublish_speech(speech, by=request.user)
        self.message_user(request, f"Unpublished {len(queryset)} speech(es).", messages.SUCCESS)


@admin.register(Quote)
class QuoteAdmin(ConflictSafeAdmin, ArchiveAdmin):
    form = QuoteAdminForm
    inlines = [PledgeInline]
    use_search_interface = True
    list_display = ("excerpt", "speaker", "speech", "kind", "position")
    list_filter = (
        "kind",
        "speech__status",
        ("themes", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("speaker", "speech")
    search_fields = ("text", "attribution", "speaker__name", "speech__title")
    date_hierarchy = "speech__date"
    autocomplete_fields = ("speech", "speaker", "stated_office", "themes")
    fields = (
        "version",
        "speech",
        "position",
        "text",
        ("speaker", "attribution"),
        "stated_office",
        "kind",
        "themes",
        "slug",
    )

    @admin.display(description="quotation", ordering="text")
    def excerpt(self, quote: Quote) -> str:
        return quote.text if len(quote.text) <= 90 else quote.text[:87].rstrip() + "…"

    def view_on_site(self, quote: Quote) -> str | None:
        return quote.get_absolute_url() if quote.speech.is_published else None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting should bring back the themes of that version too; simple-history's
        # form would otherwise start from today's themes.
        request.archive_history_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        version = getattr(request, "archive_history_version", None)
        if version is None:
            return form
        record = Quote.history.filter(history_id=version).first()
        if record is not None and record.history_type == "-":
            # The deletion's version holds no themes (they go before the row is recorded):
            # it comes back with those it had when it was deleted.
            theme_ids = [theme.pk for theme in themes_before_deletion(record)]
        else:
            theme_ids = [row.theme_id for row in record.themes.all()] if record else None
        return type(form.__name__, (form,), {"historical_theme_ids": theme_ids})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Typed or made from the words while adding; once saved it is the quotation's
        # public URL (and its API id), which citations and bookmarks keep.
        if obj is not None and obj.pk:
            readonly.append("slug")
        return readonly

    def save_model(self, request, obj, form, change):
        _ensure_slug(obj)
        super().save_model(request, obj, form, change)
        # Completed by the log entry of the save, once the themes are saved.
        hold_version(obj)

    def log_addition(self, request, obj, message):
        complete_version(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        complete_version(obj)
        return super().log_change(request, obj, message)
