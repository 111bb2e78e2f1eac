"""The synthetic archive's shape: who speaks, in which office, where, how often, about what.

Proportions follow the design brief's million-quote archive (1,000,000 quotes, 100,000
speeches, 2,000 speakers, 60 themes) and scale down with ``quotes``:

* speakers hold offices over three decades; a few are ministers, and the ministerial posts
  pass from holder to holder in sequence, as they do in government;
* speaker and theme popularity are skewed (Zipf-like): a handful of health secretaries and
  a handful of themes account for much of the archive, as in the real record;
* every speech is dated inside one of its speaker's terms, so "the office held on the day"
  has an answer; some dates are known only to the month or year, a few not at all;
* speeches happen at events of every kind, carry several quotes each (sometimes from a
  respondent), and a few are drafts, which the public must never see.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same seed gives
the same archive on any database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from archive import dated_tags
from archive.bench.bulkload import BulkWriter, next_id
from archive.bench.text import TOWNS, TextMaker, words, zipf_weights
from archive.ingest.normalise import fingerprint
from archive.models import (
    DatePrecision,
    Event,
    EventKind,
    Office,
    Quote,
    QuoteKind,
    Source,
    Speaker,
    Speech,
    SpeechKind,
    Status,
    Theme,
)

FIRST = dt.date(1990, 1, 1)
LAST = dt.date(2024, 12, 31)
# The department's name changed on 8 January 2018.
DHSC_FROM = dt.date(2018, 1, 8)

THEMES: dict[str, list[str]] = {
    "Service reconfiguration": [
        "Hospital closures",
        "Centres of excellence",
        "Care closer to home",
        "Maternity reconfiguration",
        "Stroke reconfiguration",
    ],
    "Provider failure": [
        "Failure regime",
        "Trust special administration",
        "Financial deficits",
        "Quality failings",
        "Foundation trust status",
    ],
    "Commissioning": [
        "Commissioning autonomy",
        "Clinical commissioning groups",
        "Specialised commissioning",
        "Primary care trusts",
        "Payment by results",
    ],
    "Competition and choice": [
        "Patient choice",
        "Any qualified provider",
        "Private sector providers",
        "Tendering",
        "Competition law",
    ],
    "Workforce": [
        "Junior doctors",
        "Nursing workforce",
        "GP recruitment",
        "Pay and pensions",
        "Staff safety",
    ],
    "Integration": [
        "Health and social care integration",
        "Integrated care systems",
        "Better Care Fund",
        "Delayed discharges",
        "Community services",
    ],
    "Public health": [
        "Obesity",
        "Smoking",
        "Alcohol",
        "Vaccination",
        "Health inequalities",
    ],
    "Performance": [
        "Waiting times",
        "A&E performance",
        "Cancer targets",
        "Ambulance response",
        "Elective backlog",
    ],
    "Funding": [
        "NHS budget",
        "Efficiency savings",
        "Capital investment",
        "Social care funding",
        "Private finance initiative",
    ],
    "Accountability": [
        "Ministerial responsibility",
        "Local democracy",
        "Regulation",
        "Patient safety",
        "Transparency",
    ],
}

MALE = words("""
Andrew Alan Simon Jeremy Matt Norman Stephen John David Michael James Richard Paul
Peter Mark Robert Ian Alistair Frank Kenneth Duncan Charles Nigel Philip Christopher Edward
Tom Ben Daniel Jonathan Martin Hugh Gordon Malcolm Keith Graham Neil Colin Derek Roger""")
FEMALE = words("""
Patricia Virginia Anne Jane Caroline Helen Sarah Margaret Ruth Julia Alison Claire
Emma Rachel Jacqueline Harriet Yvette Liz Nadine Therese Gillian Karen Lucy Fiona Sally
Catherine Hilary Barbara Elizabeth Joanna Victoria Rosie Mary Susan Judith Louise""")
SURNAMES = words("""
Lansley Hewitt Hunt Dobson Milburn Reid Johnson Burnham Hancock Javid Barclay
Coffey Atkins Streeting Dorrell Bottomley Clarke Waldegrave Selbie Dixon Alessi Stevens Nicholson
Crisp Keogh Mackey Dalton Smith Jones Taylor Brown Williams Wilson Evans Thomas Roberts Walker
Wright Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke
Clark Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young
Allen Mitchell James Anderson Phillips Lee Bell Parker Davis Kelly Cook Shaw Begum Khan Ali
Bennett Carter Chapman Ellis Fisher Gray Hunter Knight Lloyd Marshall Mason Owen Palmer Pearson
Price Reynolds Richards Russell Stewart Webb Wells West Woods Butler Barker Fox Graham Holmes
Kennedy Lane Matthews Murray Pearce Porter Rogers Simpson Stone Sutton Tucker Walsh Ahmed
Das Sharma Singh Kaur Hussain Iqbal Rahman Chowdhury Nair Mehta Okafor Adeyemi Mensah""")

MINISTERIAL_POSTS = (
    "Secretary of State for Health",
    "Minister of State for Health",
    "Minister of State for Care",
    "Parliamentary Under-Secretary of State for Public Health",
    "Parliamentary Under-Secretary of State for Health",
)
LEADER_POSTS = (
    ("Chief Executive", ("NHS England", "NHS Providers", "the NHS Confederation", "Monitor")),
    ("Chair", ("the NHS Alliance", "the British Medical Association council", "NHS Improvement")),
    ("President", ("the Royal College of GPs", "the Royal College of Nursing")),
    ("Chief Executive", ("Public Health England", "the King's Fund", "the Nuffield Trust")),
    ("Director of Commissioning", ("NHS England", "the Department of Health")),
    ("Chairman", ("the National Association of Primary Care", "the NHS Clinical Commissioners")),
    ("General Secretary", ("Unison", "the Royal College of Nursing")),
    ("Chief Medical Officer", ("the Department of Health",)),
)
PUBLISHERS = (
    "Health Service Journal",
    "GP Online",
    "Pulse",
    "Nursing Times",
    "The Guardian",
    "BBC News",
    "Hansard",
    "Department of Health press office",
    "The Times",
    "Local Government Chronicle",
)
THINK_TANKS = ("the King's Fund", "the Nuffield Trust", "Reform", "the Health Foundation")
CONFERENCES = (
    "NHS Confederation annual conference",
    "Commissioning Show",
    "NHS Providers annual conference",
    "Royal College of Nursing congress",
    "NHS Alliance conference",
    "Health and Care Innovation Expo",
    "Local Government Association conference",
)
EVENT_KINDS = (
    EventKind.CONFERENCE,
    EventKind.THINK_TANK,
    EventKind.MEETING,
    EventKind.PARLIAMENT,
    EventKind.OTHER,
)
EVENT_KIND_WEIGHTS = (35, 15, 20, 20, 10)
SPEECH_KINDS = (SpeechKind.SPEECH, SpeechKind.INTERVIEW, SpeechKind.STATEMENT, SpeechKind.LETTER)
SPEECH_KIND_WEIGHTS = (55, 15, 20, 10)
PRECISIONS = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.UNKNOWN)
PRECISION_WEIGHTS = (85, 10, 4, 1)


@dataclass
class Person:
    id: int
    name: str
    slug: str
    surname: str
    first: str
    honorific: str
    pronoun: str
    offices: list[tuple[dt.date, dt.date | None, str]] = field(default_factory=list)


@dataclass
class Plan:
    """How many of each record ``quotes`` calls for."""

    quotes: int
    speeches: int
    speakers: int
    events: int

    @classmethod
    def for_quotes(cls, quotes: int) -> Plan:
        speeches = max(1, quotes // 10)
        return cls(
            quotes=quotes,
            speeches=speeches,
            speakers=max(12, quotes // 500),
            events=max(3, speeches // 5),
        )


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


_APOSTROPHES = re.compile(r"['’]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def quick_slug(text: str) -> str:
    """A URL slug for mostly-ASCII English; several times faster than ``slugify``.

    Over a million quotations ``slugify``'s Unicode normalisation costs more than the
    inserts; the generator's own text is ASCII apart from the odd "£", which is dropped.
    """
    if not text.isascii():
        text = text.encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", _APOSTROPHES.sub("", text.lower())).strip("-")


class UniqueSlugs:
    """Readable slugs, numbered only when a name repeats (``name``, ``name-2`` …)."""

    def __init__(self, max_length: int):
        self.max_length = max_length
        self.used: set[str] = set()
        self.last_number: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        base = quick_slug(text)[: self.max_length - 8].strip("-") or "item"
        slug, n = base, self.last_number.get(base, 1)
        # A numbered slug may itself be another text's plain slug ("speech-2"): skip those.
        while slug in self.used:
            n += 1
            slug = f"{base}-{n}"
        self.last_number[base] = n
        self.used.add(slug)
        return slug


class ArchiveGenerator:
    """Writes a synthetic archive of ``quotes`` quotations through a :class:`BulkWriter`."""

    def __init__(self, writer: BulkWriter, *, quotes: int, seed: int, fixtures_dir: Path):
        self.writer = writer
        self.plan = Plan.for_quotes(quotes)
        self.rng = random.Random(seed)
        pool = min(50_000, max(500, quotes // 20))
        self.text = TextMaker(self.rng, fixtures_dir, pool_size=pool)

    def run(self) -> Plan:
        """Generate and write everything; returns the plan that was followed."""
        w = self.writer
        self.themes = w.table(Theme, ["id", "name", "slug", "description", "parent_id"])
        self.speakers = w.table(Speaker, ["id", "name", "slug", "honorific", "bio", "aliases"])
        self.offices = w.table(
            Office,
            [
                "id",
                "speaker_id",
                "post",
                "slug",
                "organisation",
                "start_date",
                "end_date",
                "is_ministerial",
                "source_url",
            ],
        )
        self.events = w.table(
            Event,
            ["id", "name", "slug", "kind", "date", "date_precision", "place", "organiser"],
        )
        self.sources = w.table(
            Source, ["id", "title", "slug", "publisher", "date", "date_precision", "url"]
        )
        self.speeches = w.table(
            Speech,
            [
                "id",
                "title",
                "slug",
                "speaker_id",
                "event_id",
                "source_id",
                "kind",
                "date",
                "date_precision",
                "summary",
                "text",
                "status",
            ],
        )
        self.quotes = w.table(
            Quote,
            [
                "id",
                "speech_id",
                "speaker_id",
                "slug",
                "text",
                "attribution",
                "kind",
                "fingerprint",
                "position",
            ],
        )
        through = Quote.themes.through
        self.quote_themes = w.table(through, ["id", "quote_id", "theme_id"])
        self.ids = {
            model: next_id(model)
            for model in (Theme, Speaker, Office, Event, Source, Speech, Quote, through)
        }
        self.make_themes()
        self.make_people()
        self.make_events()
        self.make_speeches()
        w.finish()
        # Filled by triggers as the tags were written: their statistics are not the writer's.
        dated_tags.analyze(w.connection)
        return self.plan

    def take_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    # --- themes -------------------------------------------------------------------------

    def make_themes(self) -> None:
        slugs = UniqueSlugs(120)
        self.theme_ids: list[int] = []
        self.theme_names: dict[int, str] = {}
        for parent_name, children in THEMES.items():
            parent_id = self.take_id(Theme)
            self.themes.add(
                parent_id,
                parent_name,
                slugs(parent_name),
                f"Statements about {parent_name.lower()} in the NHS.",
                None,
            )
            self.theme_ids.append(parent_id)
            self.theme_names[parent_id] = parent_name
            for name in children:
                theme_id = self.take_id(Theme)
                self.themes.add(
                    theme_id,
                    name,
                    slugs(name),
                    f"{name}: part of {parent_name.lower()}.",
                    parent_id,
                )
                self.theme_ids.append(theme_id)
                self.theme_names[theme_id] = name
        # Popularity does not follow the alphabet: shuffle, then skew.
        self.rng.shuffle(self.theme_ids)
        self.theme_weights = zipf_weights(len(self.theme_ids), 1.0)

    # --- speakers and offices -----------------------------------------------------------

    def make_people(self) -> None:
        rng = self.rng
        count = self.plan.speakers
        ministers = max(4, count // 12)
        names: set[str] = set()
        slugs = UniqueSlugs(120)
        self.people: list[Person] = []
        for index in range(count):
            female = rng.random() < 0.45
            while True:
                first = rng.choice(FEMALE if female else MALE)
                surname = rng.choice(SURNAMES)
                name = f"{first} {surname}"
                if name not in names or len(names) > 0.8 * len(SURNAMES) * len(MALE):
                    break
            names.add(name)
            if index < ministers:
                honorific = "Rt Hon"
            else:
                honorific = rng.choice(
                    ("Dr", "Dr", "Professor", "Sir" if not female else "Dame", "")
                )
            person = Person(
                id=self.take_id(Speaker),
                name=name,
                slug=slugs(name),
                surname=surname,
                first=first,
                honorific=honorific,
                pronoun="she" if female else "he",
            )
            self.people.append(person)
        self.assign_ministerial_terms(self.people[:ministers])
        for person in self.people[ministers:]:
            self.assign_leader_terms(person)
        for person in self.people:
            self.write_person(person)
        # Ministers speak most: they lead the popularity ranking, then everyone else in a
        # shuffled order.
        others = self.people[ministers:]
        rng.shuffle(others)
        self.ranked = self.people[:ministers] + others
        self.speaker_weights = zipf_weights(len(self.ranked), 0.9)

    def assign_ministerial_terms(self, ministers: list[Person]) -> None:
        """Each post passes from holder to holder, 1990 to the present, without overlaps."""
        rng = self.rng
        for post in MINISTERIAL_POSTS:
            start = FIRST + dt.timedelta(days=rng.randint(0, 400))
            while start < LAST:
                end = start + dt.timedelta(days=rng.randint(300, 1800))
                holder = self.free_holder(ministers, start, end)
                if holder is not None:
                    holder.offices.append((start, None if end >= LAST else end, post))
                start = end + dt.timedelta(days=1)
        for person in ministers:
            if not person.offices:
                start = random_date(rng, FIRST, LAST - dt.timedelta(days=400))
                end = start + dt.timedelta(days=rng.randint(300, 1500))
                person.offices.append((start, min(end, LAST), MINISTERIAL_POSTS[-1]))

    def free_holder(self, ministers: list[Person], start: dt.date, end: dt.date):
        """A minister who holds no other post during ``start``–``end``, if one is found."""
        for _ in range(8):
            person = self.rng.choice(ministers)
            if all((e or LAST) < start or s > end for s, e, _post in person.offices):
                return person
        return None

    def assign_leader_terms(self, person: Person) -> None:
        rng = self.rng
        start = random_date(rng, FIRST, LAST - dt.timedelta(days=365))
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            if start >= LAST:
                break
            title, organisations = rng.choice(LEADER_POSTS)
            end = start + dt.timedelta(days=rng.randint(500, 3600))
            post = f"{title} of {rng.choice(organisations)}"
            person.offices.append((start, None if end >= LAST else end, post))
            start = end + dt.timedelta(days=rng.randint(1, 200))

    def write_person(self, person: Person) -> None:
        aliases = [person.name, self.short_name(person)]
        first_post = person.offices[0][2]
        bio = f"{person.name} served as {first_post} from {person.offices[0][0].year}."
        self.speakers.add(
            person.id, person.name, person.slug, person.honorific, bio, json.dumps(aliases)
        )
        for start, end, post in person.offices:
            ministerial = post in MINISTERIAL_POSTS
            if ministerial:
                organisation = (
                    "Department of Health and Social Care"
                    if start >= DHSC_FROM
                    else "Department of Health"
                )
            else:
                organisation = post.split(" of ", 1)[1].removeprefix("the ")
            self.offices.add(
                self.take_id(Office),
                person.id,
                post,
                slugify(post)[:200],
                organisation,
                start,
                end,
                ministerial,
                "https://www.gov.uk/government/people" if ministerial else "",
            )

    def short_name(self, person: Person) -> str:
        """How a report names the speaker: "Mr Lansley", "Dr Alessi", "Dame Sarah"."""
        if person.honorific in ("Dr", "Professor"):
            return f"{person.honorific} {person.surname}"
        if person.honorific in ("Sir", "Dame"):
            return f"{person.honorific} {person.first}"
        return f"{'Ms' if person.pronoun == 'she' else 'Mr'} {person.surname}"

    # --- events -------------------------------------------------------------------------

    def make_events(self) -> None:
        rng, text = self.rng, self.text
        slugs = UniqueSlugs(120)
        events = []
        for _ in range(self.plan.events):
            kind = rng.choices(EVENT_KINDS, weights=EVENT_KIND_WEIGHTS)[0]
            date = random_date(rng, FIRST, LAST)
            town = text.town()
            if kind == EventKind.CONFERENCE:
                name = f"{rng.choice(CONFERENCES)} {date.year}"
                organiser = name.rsplit(" ", 2)[0]
            elif kind == EventKind.THINK_TANK:
                tank = rng.choice(THINK_TANKS)
                theme = self.theme_names[rng.choice(self.theme_ids)].lower()
                name = f"{tank[0].upper()}{tank[1:]} seminar on {theme}"
                organiser = tank.removeprefix("the ")
            elif kind == EventKind.MEETING:
                name = f"Meeting of commissioning leaders in {town}"
                organiser = "NHS Clinical Commissioners"
            elif kind == EventKind.PARLIAMENT:
                name = (
                    rng.choice(
                        ("Health Select Committee evidence session", "House of Commons debate")
                    )
                    + f", {date:%B %Y}"
                )
                organiser = "Parliament"
                town = "Westminster"
            else:
                name = f"Visit to {town} {rng.choice(('General', 'Community'))} Hospital"
                organiser = ""
            events.append((date, kind, name, town, organiser))
        # Sorted by date so a speech can find an event near its own date by bisection.
        events.sort(key=lambda e: (e[0], e[2]))
        self.event_dates: list[dt.date] = []
        self.event_ids: list[int] = []
        self.event_names: list[str] = []
        for date, kind, name, town, organiser in events:
            event_id = self.take_id(Event)
            self.events.add(
                event_id, name, slugs(name), kind, date, DatePrecision.DAY, town, organiser
            )
            self.event_dates.append(date)
            self.event_ids.append(event_id)
            self.event_names.append(name)

    def event_near(self, date: dt.date, start: dt.date, end: dt.date):
        """An event within the speaker's term close to ``date``, or None."""
        index = bisect.bisect_left(self.event_dates, date)
        index = min(len(self.event_dates) - 1, max(0, index + self.rng.randint(-3, 3)))
        if start <= self.event_dates[index] <= end:
            return index
        return None

    # --- speeches, sources, quotes ------------------------------------------------------

    def make_speeches(self) -> None:
        rng = self.rng
        per_speech = self.quote_counts()
        speech_slugs = UniqueSlugs(120)
        source_slugs = UniqueSlugs(120)
        quote_slugs = UniqueSlugs(120)
        for quotes_here in per_speech:
            person = rng.choices(self.ranked, cum_weights=self.speaker_weights)[0]
            start, end, post = rng.choice(person.offices)
            end = end or LAST
            date = random_date(rng, start, end)
            kind = rng.choices(SPEECH_KINDS, weights=SPEECH_KIND_WEIGHTS)[0]
            event_index = None
            if kind != SpeechKind.LETTER and rng.random() < 0.8:
                event_index = self.event_near(date, start, end)
                if event_index is not None:
                    date = self.event_dates[event_index]
            precision = rng.choices(PRECISIONS, weights=PRECISION_WEIGHTS)[0]
            if event_index is not None:
                precision = DatePrecision.DAY
            stored_date = self.stored_date(date, precision)
            themes = self.pick_themes()
            topic = self.theme_names[themes[0]].lower()
            title = self.speech_title(kind, person, topic, event_index)
            speech_id = self.take_id(Speech)
            source_id = self.take_id(Source)
            publisher = rng.choice(PUBLISHERS)
            headline = f"{person.surname}: {self.text.template_sentence().rstrip('.')}"[:300]
            self.sources.add(
                source_id,
                headline,
                source_slugs(headline),
                publisher,
                stored_date,
                precision,
                f"https://news.example/{slugify(publisher)}/{source_id}",
            )
            paragraphs = [
                f"{person.name}, {post}, {self.occasion(kind, event_index)}.",
                self.text.passage(1, 2),
            ]
            seen_fingerprints: set[str] = set()
            position = 0
            attempts = 0
            while position < quotes_here and attempts < 3 * quotes_here:
                attempts += 1
                speaker = person
                if rng.random() < 0.1:
                    speaker = rng.choices(self.ranked, cum_weights=self.speaker_weights)[0]
                quote_text, paragraph, attribution, quote_kind = self.quotation(speaker)
                digest = fingerprint(quote_text)
                if digest in seen_fingerprints:
                    continue  # the same words twice in one speech are one quote
                seen_fingerprints.add(digest)
                paragraphs.append(paragraph)
                quote_id = self.take_id(Quote)
                first_words = " ".join(quote_text.split()[:7])
                self.quotes.add(
                    quote_id,
                    speech_id,
                    speaker.id,
                    quote_slugs(f"{speaker.surname} {first_words}"),
                    quote_text,
                    attribution,
                    quote_kind,
                    digest,
                    position,
                )
                position += 1
                quote_themes = themes if rng.random() < 0.6 else self.pick_themes()
                for theme_id in quote_themes:
                    self.quote_themes.add(self.take_id(Quote.themes.through), quote_id, theme_id)
            status = Status.DRAFT if rng.random() < 0.03 else Status.PUBLISHED
            self.speeches.add(
                speech_id,
                title,
                speech_slugs(title),
                person.id,
                self.event_ids[event_index] if event_index is not None else None,
                source_id,
                kind,
                stored_date,
                precision,
                self.text.sentence(),
                "\n\n".join(paragraphs),
                status,
            )
            self.writer.maybe_flush()

    def quote_counts(self) -> list[int]:
        """Quotes per speech: between 3 and 17, adding up to exactly the quotes asked for."""
        rng = self.rng
        plan = self.plan
        counts = [rng.randint(3, 17) for _ in range(plan.speeches)]
        total = sum(counts)
        counts = [max(1, round(c * plan.quotes / total)) for c in counts]
        difference = plan.quotes - sum(counts)
        index = 0
        while difference:
            step = 1 if difference > 0 else -1
            if counts[index] + step >= 1:
                counts[index] += step
                difference -= step
            index = (index + 1) % len(counts)
        return counts

    def pick_themes(self) -> list[int]:
        chosen = self.rng.choices(
            self.theme_ids, cum_weights=self.theme_weights, k=self.rng.choice((1, 1, 2, 2, 3))
        )
        return sorted(set(chosen))

    def stored_date(self, date: dt.date, precision: str) -> dt.date | None:
        """The date as the archive stores it: only as precise as the source."""
        if precision == DatePrecision.MONTH:
            return date.replace(day=1)
        if precision == DatePrecision.YEAR:
            return date.replace(month=1, day=1)
        if precision == DatePrecision.UNKNOWN:
            return None
        return date

    def speech_title(self, kind: str, person: Person, topic: str, event_index) -> str:
        if kind == SpeechKind.LETTER:
            town = self.text.town()
            return f"Letter from {person.name} to NHS leaders in {town} on {topic}"
        if event_index is not None:
            where = self.event_names[event_index]
            label = "Interview" if kind == SpeechKind.INTERVIEW else kind.label
            return f"{label} by {person.name} on {topic} at {where}"
        return f"{kind.label} by {person.name} on {topic}"

    def occasion(self, kind: str, event_index) -> str:
        if kind == SpeechKind.LETTER:
            return "wrote to NHS leaders"
        if event_index is not None:
            name = self.event_names[event_index]
            return (
                f"was speaking at {name}"
                if name.startswith("The ")
                else f"was speaking at the {name}"
            )
        return "set out the position in a statement"

    def quotation(self, speaker: Person) -> tuple[str, str, str, str]:
        """(quote text, the paragraph that carries it, attribution as printed, kind)."""
        rng = self.rng
        named = self.short_name(speaker)
        attribution = speaker.pronoun if rng.random() < 0.3 else named
        words = self.text.passage(1, 3)
        if rng.random() < 0.15:
            reported = words[0].lower() + words[1:]
            paragraph = f"{attribution[0].upper()}{attribution[1:]} said that {reported}"
            return reported, paragraph, attribution, QuoteKind.REPORTED
        if rng.random() < 0.5:
            return words, f"“{words}” {attribution} said.", attribution, QuoteKind.DIRECT
        lead = f"{attribution[0].upper()}{attribution[1:]} told the audience"
        return words, f"{lead}: “{words}”", attribution, QuoteKind.DIRECT


def generate(writer: BulkWriter, *, quotes: int, seed: int, fixtures_dir: Path) -> Plan:
    """Generate a synthetic archive of ``quotes`` quotations from ``seed``."""
    return ArchiveGenerator(writer, quotes=quotes, seed=seed, fixtures_dir=fixtures_dir).run()


__all__ = ["TOWNS", "ArchiveGenerator", "Plan", "generate"]
