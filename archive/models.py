"""The archive's records: who spoke, where, when, in what capacity, and what they said.

Query logic lives in the QuerySets below (``Quote.objects.published().by_theme(t)``) so views,
filters, feeds and the admin all ask the same questions the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from archive.concurrency import VersionedModel
from archive.history_records import ArchiveHistory
from archive.ingest.normalise import fingerprint
from archive.links import record_url
from archive.plain_text import PlainTextFields
from archive.words import fold, in_ascii, quote_slug_words


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    """How much of a date the documents actually state.

    A date known only to the month is stored as the first of that month and shown as
    "July 2012": the archive never invents a day the sources do not give.
    """

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


def format_date(date: dt.date | None, precision: str, *, within: bool = False) -> str:
    """Show a date only as precisely as it is known ("16 February 2012", "July 2012");
    "Date unknown", or "date unknown" ``within`` a sentence ("Andrew Lansley, date
    unknown")."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return "date unknown" if within else "Date unknown"
    if precision == DatePrecision.YEAR:
        return f"{date.year}"
    if precision == DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def period_end(date: dt.date, precision: str) -> dt.date:
    """The last day of the period ``date`` (its first day) stands for: the day itself, or
    the last of its month or year when only those are known ("July 2012" runs to 31 July)."""
    if precision == DatePrecision.YEAR:
        return date.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


UNKNOWN_PRECISION_WITH_DATE = (
    "A date is given: choose how precisely it is known (day, month or year), or leave it out."
)


def date_precision_problems(date: dt.date | None, precision: str) -> list[str]:
    """Explain, in curator's words, why a date and its precision do not fit together."""
    if precision == DatePrecision.UNKNOWN:
        return [] if date is None else [UNKNOWN_PRECISION_WITH_DATE]
    if date is None:
        return [f"A precision of “{precision}” needs a date: give the date, or choose “unknown”."]
    if precision == DatePrecision.MONTH and date.day != 1:
        return ["A date known to the month is stored as the first day of that month."]
    if precision == DatePrecision.YEAR and (date.month, date.day) != (1, 1):
        return ["A date known to the year is stored as 1 January of that year."]
    return []


FUTURE_DATE = (
    "This date is after today: a statement, or a report of one, is dated when it was made."
)


def dated_problems(date: dt.date | None, precision: str) -> dict[str, list[str]]:
    """What is wrong with a statement's or a report's date, by field: it must fit its
    precision, and be no later than today (a year or month counts from its first day)."""
    errors: dict[str, list[str]] = {}
    problems = date_precision_problems(date, precision)
    if problems:
        errors["date_precision"] = problems
    if date is not None and date > timezone.localdate():
        errors["date"] = [FUTURE_DATE]
    return errors


def statement_date_problems(date: dt.date | None, precision: str) -> list[str]:
    """``dated_problems`` as one list, for forms and commands that report a date's
    problems together (the article import, ``import_article``, publishing)."""
    return [
        problem for problems in dated_problems(date, precision).values() for problem in problems
    ]


def slug_taken(model: type[models.Model], slug: str) -> bool:
    """Whether a record of ``model`` has ``slug``, or had it and was deleted: a deleted
    record's address stays its own, for the citations that name it and for its restore."""
    if model._default_manager.filter(slug=slug).exists():
        return True
    history = getattr(model, "history", None)
    return history is not None and history.filter(slug=slug).exists()


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 80) -> str:
    """A slug for ``text`` that no row of ``model`` uses or used (``name``, ``name-2`` …)."""
    base = slugify(in_ascii(text))[:max_length].strip("-") or "item"
    slug, n = base, 2
    while slug_taken(model, slug):
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def quote_slug(speaker_slug: str, text: str) -> str:
    """A free slug for a new quotation, made as the seed's are (``quote_slug_words``)."""
    return unique_slug(Quote, quote_slug_words(speaker_slug, text), max_length=110)


# A date and its precision must agree; the day/month parts are checked in clean() because
# extracting them portably in a CHECK constraint would tie the schema to one database.
DATED_CONSTRAINT = Q(date_precision=DatePrecision.UNKNOWN, date__isnull=True) | Q(
    ~Q(date_precision=DatePrecision.UNKNOWN), date__isnull=False
)


class Theme(PlainTextFields, models.Model):
    """A policy topic: service reconfiguration, provider failure, commissioning autonomy …"""

    name = models.CharField(
        max_length=120, unique=True, help_text='A policy topic, e.g. "Provider failure".'
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Part of the theme's URL.")
    description = models.TextField(blank=True, help_text="One or two sentences for readers.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="Optional broader theme.",
    )

    history = ArchiveHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("archive:theme-detail", self.slug)

    def clean(self):
        """A theme is never within itself, directly or through its broader themes: the
        theme page's breadcrumb and the themes list would name it as its own parent."""
        super().clean()
        chain, seen, theme = [], set(), self.parent
        while theme is not None and theme.pk not in seen:  # a loop elsewhere ends it too
            chain.append(theme)
            seen.add(theme.pk)
            if self.pk is not None and theme.pk == self.pk:
                path = " within ".join(t.name for t in [self, *chain])
                raise ValidationError(
                    {"parent": f"A theme cannot be within itself: {path}."}, code="cycle"
                )
            theme = theme.parent

    def validate_unique(self, exclude=None):
        """The database's check of the same letters, and then of the same name in other
        capitals or accents: readers tell themes apart by name, in menus and chips, so
        "nhs FUNDING" beside "NHS funding" would be two of one topic."""
        super().validate_unique(exclude)
        if not self.name or (exclude and "name" in exclude):
            return
        mine = fold(" ".join(self.name.split()))
        for other in Theme.objects.exclude(pk=self.pk).only("name"):
            if fold(" ".join(other.name.split())) == mine:
                raise ValidationError(
                    {
                        "name": f"The theme “{other.name}” has this name already, in other "
                        "capitals or accents: choose that theme, or another name."
                    },
                    code="namesake",
                )


class SpeakerQuerySet(models.QuerySet):
    def ministers(self) -> SpeakerQuerySet:
        """Speakers who have held a ministerial post at some time."""
        return self.filter(offices__is_ministerial=True).distinct()

    def with_statements(self) -> SpeakerQuerySet:
        """Speakers with a published speech or quotation: those the public lists name (a
        curator's new speaker, with nothing public yet, has a page but no place in them)."""
        speeches = Speech.objects.published().filter(speaker=OuterRef("pk"))
        quotes = Quote.objects.published().filter(speaker=OuterRef("pk"))
        return self.filter(Exists(speeches) | Exists(quotes))


# What a speaker's other names must look like, as the admin's form says when they do not.
ALIASES_FORMAT = 'A list of names, each in double quotes: ["Mr Lansley", "Lansley"].'


class Speaker(PlainTextFields, models.Model):
    """A person whose words are in the archive."""

    name = models.CharField(max_length=200, help_text="Full name as usually written.")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Part of the speaker's URL; never change it."
    )
    honorific = models.CharField(
        max_length=60, blank=True, help_text='Title used in reports, e.g. "Dr", "Rt Hon".'
    )
    bio = models.TextField(blank=True, help_text="A short, sourced biography.")
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other ways reports name this person, e.g. ["Mr Lansley", "Andrew Lansley"].',
    )

    objects = SpeakerQuerySet.as_manager()
    history = ArchiveHistory()

    class Meta:
        ordering = ["name"]
        # The speakers' list walks it in order and checks each speaker for a published
        # statement until its page is full, where a scan checked every speaker and sorted
        # them (2,000 at a million quotations: 3 ms a page).
        indexes = [models.Index(fields=["name"], name="speaker_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.aliases is None:  # saved without a form: stored as no aliases, never null
            self.aliases = []
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("archive:speaker-detail", self.slug)

    def clean(self) -> None:
        # A form's emptied box arrives as None: no other names, as for a new speaker.
        if self.aliases is None:
            self.aliases = []
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) for alias in self.aliases
        ):
            raise ValidationError({"aliases": ALIASES_FORMAT})

    def office_on(
        self,
        date: dt.date | None,
        precision: str = DatePrecision.DAY,
        stated_id: int | None = None,
    ) -> Office | None:
        """The office this speaker held on ``date`` (ministerial posts first), if known;
        for a date known to the month or year, held throughout it; or the one the source
        names (``stated_id``; see ``office_held``).

        Uses prefetched ``offices`` when present so list pages stay at a constant query count.
        """
        return office_held(self.offices.all(), date, precision, stated_id)


def office_held(
    offices: Iterable[Office],
    date: dt.date | None,
    precision: str = DatePrecision.DAY,
    stated_id: int | None = None,
) -> Office | None:
    """Of a speaker's ``offices`` (in their own order), the one held on ``date``:
    a ministerial post before any other, then the earliest begun.

    A statement known only to the month or year (``precision``) is given an office only if
    it was held throughout that period: one who changed posts in 2012 said a "2012"
    statement in either, and the archive does not guess which. ``filters`` applies the same
    rule in SQL (``PeriodEnd``). The office its source names (``stated_id``, a speech's
    ``stated_office``) is the answer whatever the date says."""
    if stated_id is not None:
        for office in offices:
            if office.pk == stated_id:
                return office
    if date is None:
        return None
    last = period_end(date, precision)
    held = [o for o in offices if o.covers(date) and o.covers(last)]
    held.sort(key=lambda o: (not o.is_ministerial, o.start_date or dt.date.min))
    return held[0] if held else None


def no_office_reason(
    offices: Iterable[Office], date: dt.date | None, precision: str = DatePrecision.DAY
) -> str:
    """Why ``office_held`` gives a statement no office, in a reader's words: the statement
    is undated; the speaker held offices during its month or year but none throughout it
    (changed posts, or took up or left one, within it); or no office is recorded then.

    The one place the quote and speech pages take this wording from (``Quote`` and
    ``Speech.no_office_reason``)."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return "Not known: the statement is undated"
    if precision == DatePrecision.DAY:
        return "No office recorded on that date"
    last = period_end(date, precision)
    during = [o for o in offices if o.overlaps(date, last)]
    when = format_date(date, precision)
    if not during:
        return f"No office recorded in {when}"
    if any(o.covers(date) for o in during) and any(o.covers(last) for o in during):
        # In office at both ends, but in no one post all through: the post changed.
        return f"No single office held throughout {when}: changed posts during it"
    return f"No single office held throughout {when}: in office for only part of it"


def open_end(ended: bool) -> str:
    """How a term without an end date reads at its end: over at an unknown date, or not over."""
    return "end unknown" if ended else "present"


class Office(PlainTextFields, models.Model):
    """A post a speaker held, and when: "Secretary of State for Health", 2010–2012."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="offices")
    post = models.CharField(max_length=200, help_text='e.g. "Secretary of State for Health".')
    slug = models.SlugField(
        max_length=200, help_text="Groups every holder of the same post; part of its URL."
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Department of Health".'
    )
    start_date = models.DateField(null=True, blank=True, help_text="Leave empty if not known.")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty if still held, or if not known (then tick Ended).",
    )
    ended = models.BooleanField(
        default=False,
        help_text="Held no longer, though when it ended is not known. Without an end date "
        "or this, the post is shown as still held.",
    )
    is_ministerial = models.BooleanField(
        default=False, help_text="A government minister's post (makes the holder a minister)."
    )
    source_url = models.URLField(blank=True, help_text="Public record of the term of office.")

    history = ArchiveHistory()

    class Meta:
        ordering = ["start_date", "post"]
        indexes = [models.Index(fields=["slug", "start_date"], name="office_slug_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="office_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        # With the holder: a post's terms are told apart by who held them (the admin's
        # choice of the office a source names lists every holder's).
        return f"{self.speaker.name}: {self.post} ({self.term})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(in_ascii(self.post))[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("archive:office-detail", self.slug)

    def clean(self):
        # The same rule as the constraint, in words: the database's own message names the
        # constraint ("office_ends_after_start"), not the dates.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The term cannot end before it starts: check both dates."}
            )

    @property
    def organisation_shown(self) -> str:
        """The organisation to write after the post: none when the post names it already
        ("Chairman, NHS Alliance" of the NHS Alliance), which would read twice."""
        if self.organisation.casefold() in self.post.casefold():
            return ""
        return self.organisation

    @property
    def dates_unrecorded(self) -> str:
        """What a page adds after the post when naming it as the capacity a statement was
        made in, if the term's dates are not all known: a term with no start (or no end,
        when over) is matched to statements as if it had none, and the reader should know
        the attribution rests on that (empty when both are known, or it goes on)."""
        start, end = self.start_date is not None, self.end_date is not None or not self.ended
        if start and end:
            return ""
        if not start and not end:
            return "the post's dates are not recorded"
        if not start:
            return "when the post began is not recorded"
        return "when the post ended is not recorded"

    @property
    def term(self) -> str:
        """The years of the term: "2010–2012", "2010–present", "2010–?", or "dates unknown"."""
        if self.start_date is None and self.end_date is None and self.ended:
            return "dates unknown"
        start = self.start_date.year if self.start_date else "?"
        return f"{start}–{self.end_year}"

    @property
    def end_year(self) -> str:
        """How the term's end reads: its year, "present" if still held, "?" if not known."""
        if self.end_date:
            return str(self.end_date.year)
        return "?" if self.ended else "present"

    def covers(self, date: dt.date) -> bool:
        """Whether the office was held on ``date``."""
        if self.start_date and date < self.start_date:
            return False
        return not (self.end_date and date > self.end_date)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Whether the office was held on any day from ``first`` to ``last``."""
        if self.start_date and last < self.start_date:
            return False
        return not (self.end_date and first > self.end_date)


class EventKind(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    THINK_TANK = "think-tank", "Think-tank event"
    MEETING = "meeting", "Meeting"
    LETTER_RECIPIENTS = "letter-recipients", "Letter recipients"
    PARLIAMENT = "parliament", "Parliament"
    OTHER = "other", "Other"


class EventQuerySet(models.QuerySet):
    def with_statements(self) -> EventQuerySet:
        """Events with a published speech: those the public lists name."""
        return self.filter(Exists(Speech.objects.published().filter(event=OuterRef("pk"))))


class Event(PlainTextFields, models.Model):
    """Where something was said: a conference, a meeting, a debate."""

    name = models.CharField(max_length=200, help_text='e.g. "NHS Alliance annual conference".')
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Part of the event's URL; never change it."
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    date = models.DateField(
        null=True, blank=True, help_text="Leave empty if the reports do not say when."
    )
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date is known. Month: give the 1st; year: 1 January.",
    )
    place = models.CharField(max_length=200, blank=True, help_text="City or venue.")
    organiser = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Reform", "NHS Confederation".'
    )
    description = models.TextField(blank=True, help_text="One or two sentences for readers.")

    objects = EventQuerySet.as_manager()
    history = ArchiveHistory()

    class Meta:
        ordering = ["-date", "name"]
        constraints = [models.CheckConstraint(condition=DATED_CONSTRAINT, name="event_dated")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("archive:event-detail", self.slug)

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)

    def clean(self) -> None:
        problems = date_precision_problems(self.date, self.date_precision)
        if problems:
            raise ValidationError({"date_precision": problems})


class Source(PlainTextFields, models.Model):
    """Where a statement is known from: an article reporting it, or the statement itself
    as published (``is_original``: a letter, a speech's text)."""

    title = models.CharField(max_length=300, help_text="The headline, as published.")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Part of the source's URL; never change it."
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Health Service Journal".'
    )
    date = models.DateField(null=True, blank=True, help_text="When it was published, if known.")
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date is known. Month: give the 1st; year: 1 January.",
    )
    url = models.URLField(blank=True, help_text="Leave empty if the original is not online.")
    is_original = models.BooleanField(
        default=False,
        verbose_name="is the statement itself",
        help_text=(
            "Tick when this is the statement as its author published it (a letter or a speech "
            "on a department's site), not a report of it: it is then cited as published, "
            "not as reported."
        ),
    )
    original_text = models.TextField(
        blank=True, help_text="The document as received, so quotes can be checked against it."
    )
    filename = models.CharField(
        max_length=200, blank=True, help_text="The seed document this source was built from."
    )

    history = ArchiveHistory()

    class Meta:
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=DATED_CONSTRAINT, name="source_dated")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("archive:source-detail", self.slug)

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)

    def clean(self) -> None:
        errors = dated_problems(self.date, self.date_precision)
        if errors:
            raise ValidationError(errors)


class SpeechKind(models.TextChoices):
    SPEECH = "speech", "Speech"
    LETTER = "letter", "Letter"
    INTERVIEW = "interview", "Interview"
    STATEMENT = "statement", "Statement"


class SpeechQuerySet(models.QuerySet):
    def published(self) -> SpeechQuerySet:
        """What the public may see."""
        return self.filter(status=Status.PUBLISHED)

    def for_list(self) -> SpeechQuerySet:
        """Everything a list row shows, in a constant number of queries."""
        return self.select_related("speaker", "event", "source").prefetch_related(
            "speaker__offices"
        )

    def by_theme(self, theme: Theme) -> SpeechQuerySet:
        return self.filter(quotes__themes=theme).distinct()


class Speech(PlainTextFields, VersionedModel):
    """A speech, letter, interview or statement: one occasion on which someone spoke."""

    title = models.CharField(
        max_length=300, help_text='What the occasion was, e.g. "Speech to the NHS Alliance".'
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Part of the URL; stable.")
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        related_name="speeches",
        help_text="Who gave the speech or signed the letter.",
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
        help_text="Leave empty for a letter or a statement with no event.",
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
        help_text="The article or document that reports it; quotes are checked against it.",
    )
    stated_office = models.ForeignKey(
        "Office",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stated_in",
        verbose_name="office named by the source",
        help_text=(
            "Only when the source names the post the speaker spoke in and the date cannot "
            "tell (e.g. “Health secretary Andrew Lansley” at an event known only to its "
            "year). One of the speaker's offices. Otherwise the office is found from the date."
        ),
    )
    kind = models.CharField(max_length=12, choices=SpeechKind.choices, default=SpeechKind.SPEECH)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the source states. Month: store the 1st of the month.",
    )
    summary = models.TextField(blank=True, help_text="Two or three sentences for readers.")
    text = models.TextField(
        blank=True,
        help_text="The words as reported (the cleaned article, or the full text if known).",
    )
    # A quotation's words are the source's own; where the archive shows them otherwise (a
    # character the source garbled, repaired) a reader citing them must be told.
    editorial_note = models.TextField(
        blank=True,
        default="",
        # Also the database's: rows written by SQL that names no note (an older migration's
        # history version, a bulk load) get none rather than failing.
        db_default="",
        help_text=(
            "What readers must be told about the words as shown here, e.g. a character the "
            "source garbled and the archive repaired. Shown with the speech and its quotations."
        ),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published speeches (and their quotes) are public. Editors publish.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by save() from the status, however it changes (the admin, an import, a service),
    # for the "newly published" feed: a statement made in 1998 and published today is new
    # to the archive's readers, though its date puts it at the end of every dated list.
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the speech was last made public; empty while it is a draft.",
    )

    objects = SpeechQuerySet.as_manager()
    history = ArchiveHistory()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name_plural = "speeches"
        # Curators save drafts; only holders of this permission (Editors) change the status.
        permissions = [("publish_speech", "Can publish and unpublish speeches")]
        indexes = [
            models.Index(fields=["status", "-date"], name="speech_status_date_idx"),
            # Not led by status: the lists' walk of (status, date) must stay the planner's
            # choice for "published, newest first" (SQLite took this one instead).
            models.Index(fields=["published_at", "id"], name="speech_published_at_idx"),
            models.Index(fields=["speaker", "-date"], name="speech_speaker_date_idx"),
            models.Index(fields=["kind"], name="speech_kind_idx"),
        ]
        constraints = [models.CheckConstraint(condition=DATED_CONSTRAINT, name="speech_dated")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("archive:speech-detail", self.slug)

    def save(self, *args, **kwargs):
        if self.status != Status.PUBLISHED:
            self.published_at = None
        elif self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def speaker_office(self) -> Office | None:
        """The office the source names (``stated_office``), or the one the speaker held on
        the day (or throughout the month or year) of this speech."""
        return self.speaker.office_on(self.date, self.date_precision, self.stated_office_id)

    @property
    def no_office_reason(self) -> str:
        """What the page says when ``speaker_office`` is None (see ``no_office_reason``)."""
        return no_office_reason(self.speaker.offices.all(), self.date, self.date_precision)

    def clean(self) -> None:
        errors = dated_problems(self.date, self.date_precision)
        stated = self.stated_office
        if message := another_speakers_office(stated, self):
            errors.setdefault("stated_office", []).append(message)
        if errors:
            raise ValidationError(errors)


def another_speakers_office(stated: Office | None, statement) -> str | None:
    """Why ``stated``, the office a speech's or a quotation's source names, cannot be its:
    it is another speaker's (None if it can, or if either is not chosen yet)."""
    if stated is None or statement.speaker_id is None or stated.speaker_id == statement.speaker_id:
        return None
    return f"“{stated}” is another speaker's office: choose one of {statement.speaker}'s."


def stated_office_of(
    speaker_id: int,
    speech_speaker_id: int,
    stated_office_id: int | None,
    quote_stated_id: int | None = None,
) -> int | None:
    """The office a source names for one statement of a speech: the quotation's own
    (``Quote.stated_office``: someone quoted in another's speech, named by post), else the
    speech's (``Speech.stated_office``) for the speech's own speaker, so none for a
    quotation of someone else that names none."""
    if quote_stated_id is not None:
        return quote_stated_id
    return stated_office_id if speaker_id == speech_speaker_id else None


class QuoteKind(models.TextChoices):
    DIRECT = "direct", "Direct quotation"
    REPORTED = "reported", "Reported speech"


class QuoteQuerySet(models.QuerySet):
    def published(self) -> QuoteQuerySet:
        """Quotes whose speech is published."""
        return self.filter(speech__status=Status.PUBLISHED)

    def for_list(self) -> QuoteQuerySet:
        """Everything a list row shows, in a constant number of queries."""
        return self.select_related(
            "speaker", "speech", "speech__event", "speech__speaker"
        ).prefetch_related("themes", "speaker__offices")

    def by_theme(self, theme: Theme) -> QuoteQuerySet:
        return self.filter(themes=theme)

    def by_speaker(self, speaker: Speaker) -> QuoteQuerySet:
        return self.filter(speaker=speaker)


class Quote(PlainTextFields, VersionedModel):
    """Verbatim words, who said them, and in which speech."""

    speech = models.ForeignKey(
        Speech,
        on_delete=models.CASCADE,
        related_name="quotes",
        help_text="The speech it was said in; its words must appear in that speech's text.",
    )
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it; may differ from the speech's speaker (a respondent).",
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="Part of the URL; stable.")
    text = models.TextField(help_text="The words exactly as the source prints them.")
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text='How the source names the speaker here: "Mr Lansley", "she", "the health '
        'secretary".',
    )
    kind = models.CharField(
        max_length=10,
        choices=QuoteKind.choices,
        default=QuoteKind.DIRECT,
        help_text="Direct: the words in quote marks. Reported: the report's paraphrase.",
    )
    fingerprint = models.CharField(
        max_length=40, editable=False, help_text="Digest of the normalised text, for duplicates."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order of the quotation within the speech."
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="quotes", help_text="The policy topics it speaks to."
    )
    stated_office = models.ForeignKey(
        "Office",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stated_for_quotes",
        verbose_name="office named by the source",
        help_text=(
            "Only when the source names the post this speaker spoke in and the date cannot "
            "tell (e.g. “chairman elect of the National Association of Primary Care”, "
            "quoted in another's speech). One of this speaker's offices. For the speech's "
            "own speaker, the speech's office named by the source applies unless this is set."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuoteQuerySet.as_manager()
    history = ArchiveHistory(m2m_fields=[themes])

    class Meta:
        ordering = ["speech", "position"]
        indexes = [
            models.Index(fields=["speech", "position"], name="quote_speech_position_idx"),
            models.Index(fields=["speaker", "speech"], name="quote_speaker_speech_idx"),
            models.Index(fields=["kind"], name="quote_kind_idx"),
            # Counting quotations by speaker or kind (list facets, totals) reads this narrow
            # index instead of the table, whose rows carry the whole quotation.
            models.Index(fields=["speech", "speaker", "kind"], name="quote_facet_idx"),
        ]
        constraints = [
            # On the digest, not the text: a btree index cannot hold a long passage.
            models.UniqueConstraint(
                fields=["speech", "fingerprint"], name="quote_unique_in_speech"
            ),
        ]

    def __str__(self) -> str:
        words = self.text if len(self.text) <= 80 else self.text[:77].rstrip() + "…"
        return f"{self.speaker}: “{words}”"

    def get_absolute_url(self) -> str:
        return record_url("archive:quote-detail", self.slug)

    def save(self, *args, **kwargs):
        self.fingerprint = fingerprint(self.text)
        super().save(*args, **kwargs)

    def named_office_id(self) -> int | None:
        """The id of the office the source names for this quotation (``stated_office_of``)."""
        speech = self.speech
        return stated_office_of(
            self.speaker_id, speech.speaker_id, speech.stated_office_id, self.stated_office_id
        )

    def speaker_office(self) -> Office | None:
        """The office the speaker held when they said it (throughout its speech's month or
        year, when only those are known), or the one its source names."""
        speech = self.speech
        return self.speaker.office_on(speech.date, speech.date_precision, self.named_office_id())

    def clean(self) -> None:
        if message := another_speakers_office(self.stated_office, self):
            raise ValidationError({"stated_office": message})

    @property
    def no_office_reason(self) -> str:
        """What the page says when ``speaker_office`` is None (see ``no_office_reason``)."""
        speech = self.speech
        return no_office_reason(self.speaker.offices.all(), speech.date, speech.date_precision)


class DatedTag(models.Model):
    """A quotation's theme tag with the quotation's speaker and place in time beside it: its
    speech's status and date, the speech and the quotation's position in it. One row per
    row of ``Quote.themes``, with the same id.

    Not an archive record and never written by Django: database triggers (migration 0017,
    ``archive/dated_tags.py``) keep it through every way of writing tags, quotations and
    speeches. It exists for its indexes (made by those triggers' migration, as each
    database needs them): a theme's published quotations in list order, newest first, and
    one speaker's on a theme, so a page of either, or everything one speaker said on one
    theme, is one index range. Walking the speeches in date order and checking each
    quotation for the theme met a small theme's quotations once in a hundred rows or more
    (3-5 ms a page at a million quotations); joining a theme's tags to the quotations to
    find one speaker's looked up every quotation on the theme (16-44 ms).
    """

    id = models.BigIntegerField(primary_key=True)
    theme_id = models.BigIntegerField()
    quote_id = models.BigIntegerField()
    speaker_id = models.BigIntegerField()
    speech_id = models.BigIntegerField()
    position = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    date = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["quote_id"], name="dated_tag_quote_idx"),
            models.Index(fields=["speech_id"], name="dated_tag_speech_idx"),
        ]

    def __str__(self) -> str:
        return f"quote {self.quote_id}: theme {self.theme_id}, {self.status} {self.date}"


class PledgeStatus(models.TextChoices):
    """What became of a commitment. Pending until a public source says otherwise."""

    PENDING = "pending", "Pending"
    KEPT = "kept", "Kept"
    PARTLY_KEPT = "partly-kept", "Partly kept"
    BROKEN = "broken", "Broken"


class PledgeQuerySet(models.QuerySet):
    def published(self) -> PledgeQuerySet:
        """Pledges whose quotation is public."""
        return self.filter(quote__speech__status=Status.PUBLISHED)

    def for_list(self) -> PledgeQuerySet:
        """Everything a pledge row shows, in a constant number of queries."""
        return self.select_related(
            "quote__speaker", "quote__speech", "quote__speech__event"
        ).prefetch_related("quote__themes", "quote__speaker__offices")


class Pledge(PlainTextFields, VersionedModel):
    """A quotation a curator has marked as a commitment, and what became of it."""

    quote = models.OneToOneField(
        Quote,
        on_delete=models.CASCADE,
        related_name="pledge",
        help_text="The quotation in which the commitment was made.",
    )
    promise = models.TextField(
        help_text='What was promised, in plain words, e.g. "CCGs will start in April 2013 '
        'with no legacy debts".'
    )
    due_date = models.DateField(
        null=True, blank=True, help_text="When it was to be delivered, if the quotation says."
    )
    due_date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the due date is known. Month: give the 1st; year: 1 January.",
    )
    status = models.CharField(
        max_length=12,
        choices=PledgeStatus.choices,
        default=PledgeStatus.PENDING,
        help_text="Leave pending unless a public source shows the outcome.",
    )
    outcome_note = models.TextField(
        blank=True, help_text="What happened, in one or two sentences, citing the source."
    )
    outcome_source_url = models.URLField(
        blank=True, help_text="The public source for the outcome (required unless pending)."
    )
    outcome_date = models.DateField(
        null=True, blank=True, help_text="When the outcome was known, if the source says."
    )

    objects = PledgeQuerySet.as_manager()
    history = ArchiveHistory()

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["status"], name="pledge_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date_precision=DatePrecision.UNKNOWN, due_date__isnull=True)
                | Q(~Q(due_date_precision=DatePrecision.UNKNOWN), due_date__isnull=False),
                name="pledge_due_dated",
            ),
            # An outcome is a claim about the world: it needs a source readers can check.
            models.CheckConstraint(
                condition=Q(status=PledgeStatus.PENDING) | ~Q(outcome_source_url=""),
                name="pledge_outcome_sourced",
            ),
        ]

    def __str__(self) -> str:
        return self.promise if len(self.promise) <= 80 else self.promise[:77].rstrip() + "…"

    def get_absolute_url(self) -> str:
        return self.quote.get_absolute_url() + "#pledge"

    @property
    def due_display(self) -> str:
        if self.due_date is None:
            return "No date given"
        return format_date(self.due_date, self.due_date_precision)

    @property
    def due_by(self) -> dt.date | None:
        """The last day the promise allowed: the due date, or the end of its month or year
        when only those are known ("by July 2012" runs to 31 July)."""
        if self.due_date is None or self.due_date_precision == DatePrecision.UNKNOWN:
            return None
        return period_end(self.due_date, self.due_date_precision)

    @property
    def is_past_due(self) -> bool:
        """Still pending though the time it allowed is over: the outcome is unrecorded, not
        undecided, and the page says so."""
        due_by = self.due_by
        return (
            self.status == PledgeStatus.PENDING
            and due_by is not None
            and due_by < timezone.localdate()
        )

    def clean(self) -> None:
        problems = date_precision_problems(self.due_date, self.due_date_precision)
        errors: dict[str, list[str]] = {}
        if problems:
            errors["due_date_precision"] = problems
        if self.status != PledgeStatus.PENDING and not self.outcome_source_url:
            errors["outcome_source_url"] = [
                "Give the public source for the outcome, or leave the status pending."
            ]
        outcome = self.outcome_date
        if outcome is not None and outcome > timezone.localdate():
            errors["outcome_date"] = [
                "This date is after today: give the day the outcome was known, or leave it empty."
            ]
        elif outcome is not None:
            # The quotation may be new, typed on the same page (not saved, no id yet).
            quote = self.quote if "quote" in self._state.fields_cache else None
            if quote is None and self.quote_id is not None:
                quote = self.quote
            speech = getattr(quote, "speech", None) if quote is not None else None
            said = speech.date if speech is not None else None  # a month: its first day
            if said is not None and outcome < said:
                errors["outcome_date"] = [
                    f"This date is before the pledge was made ({speech.date_display}):"
                    " an outcome comes after it."
                ]
        if errors:
            raise ValidationError(errors)


class StoredSummary(models.Model):
    """A slow page summary (facet counts, a total, a timeline), kept in the database.

    Not an archive record: a copy of counts that ``archive.views.summaries`` makes from the
    records, so that a server started with an empty cache, or a new machine behind the
    load balancer, finds them already counted instead of counting a million rows for its
    first readers. ``version`` is the data version it was counted at: after a write it is
    stale, still shown, and recounted. The row keyed ``archive:data-version`` holds the
    current data version itself.
    """

    key = models.CharField(max_length=100, primary_key=True)
    name = models.CharField(max_length=50, blank=True)
    version = models.CharField(max_length=32)
    # Pickled, as Django's own cache backends store values; written only by this code.
    value = models.BinaryField(blank=True)
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "stored summaries"

    def __str__(self) -> str:
        return f"{self.name or self.key} ({self.version[:8]})"
