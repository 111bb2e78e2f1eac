"""Plausible health-policy English for the synthetic archive.

Two sources of sentences, mixed so that search has realistic work to do:

* a Markov chain (order two, backing off to order one for variety) trained on the seed
  documents in ``fixtures/00*.txt``: the archive's own vocabulary and rhythm, so common words
  ("NHS", "services", "commissioners") are common, as they are in the real material;
* policy templates with slots (towns, hospitals, services, sums of money, years): their
  combinations are many, so an exact phrase such as "stroke services at Whitby Community
  Hospital" matches only a handful of quotations, which is what a "rare phrase" search needs.

Everything is drawn from the ``random.Random`` passed in, so the same seed writes the same
words.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

# Lines that are site furniture rather than prose; the chain should not learn them.
_BOILERPLATE = re.compile(
    r"register|sign in|disqus|comment|editor's blog|@|^\W*$|^\d+ \w+ \d{4}$", re.IGNORECASE
)
_STRIP = str.maketrans({c: "" for c in '“”‘"[]*…'})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Single quote marks that open or close a quotation (not apostrophes inside a word).
_LOOSE_QUOTE = re.compile(r"(?<!\w)'|'(?!\w)")


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text`` (long name lists read better as prose)."""
    return text.split()


TOWNS = words("""
Leeds Barnsley Wakefield Halifax Huddersfield Bradford Sheffield Rotherham Doncaster
York Harrogate Scarborough Whitby Hull Grimsby Lincoln Boston Grantham Nottingham Derby
Chesterfield Mansfield Leicester Kettering Northampton Bedford Luton Watford Stevenage Harlow
Chelmsford Colchester Ipswich Norwich Kings-Lynn Peterborough Cambridge Huntingdon Oxford
Banbury Swindon Reading Slough Guildford Woking Crawley Brighton Eastbourne Hastings Margate
Canterbury Dover Maidstone Medway Dartford Croydon Lewisham Greenwich Woolwich Ealing Harrow
Barnet Enfield Romford Ilford Southend Basildon Portsmouth Southampton Winchester Salisbury
Bournemouth Poole Dorchester Yeovil Taunton Exeter Torquay Plymouth Truro Barnstaple Bath
Bristol Gloucester Cheltenham Worcester Hereford Shrewsbury Telford Stafford Stoke Crewe
Chester Warrington Wigan Bolton Bury Oldham Rochdale Stockport Salford Manchester Liverpool
Southport Preston Blackpool Blackburn Burnley Lancaster Kendal Carlisle Workington Darlington
Durham Sunderland Gateshead Newcastle Hexham Morpeth Middlesbrough Stockton Hartlepool
Coventry Rugby Nuneaton Walsall Wolverhampton Dudley Solihull Redditch Kidderminster""")

HOSPITAL_KINDS = ("General", "District", "Community", "Royal", "University", "Memorial")

SERVICES = (
    "maternity services",
    "stroke services",
    "accident and emergency services",
    "children's services",
    "mental health services",
    "cancer care",
    "cardiac surgery",
    "paediatric surgery",
    "elective orthopaedics",
    "community nursing",
    "out-of-hours care",
    "urgent care",
    "diagnostic imaging",
    "renal dialysis",
    "vascular surgery",
    "neonatal care",
    "end-of-life care",
    "dementia care",
    "general practice",
    "district nursing",
    "physiotherapy",
    "sexual health services",
    "drug and alcohol services",
    "health visiting",
    "dental services",
    "pharmacy services",
    "ophthalmology",
    "audiology",
    "trauma care",
    "specialist commissioning",
    "intermediate care",
    "rehabilitation services",
    "hospice care",
    "learning disability services",
    "breast screening",
    "bowel screening",
    "diabetes care",
    "respiratory care",
    "the ambulance service",
    "outpatient clinics",
)

ORGANISATIONS = (
    "NHS England",
    "Monitor",
    "the Care Quality Commission",
    "NHS Improvement",
    "the NHS Trust Development Authority",
    "Public Health England",
    "the local clinical commissioning group",
    "the strategic health authority",
    "the primary care trust",
    "the foundation trust board",
    "the health and wellbeing board",
    "the local authority",
)

VERBS = (
    "reconfigure",
    "protect",
    "expand",
    "review",
    "consolidate",
    "modernise",
    "commission",
    "integrate",
    "invest in",
    "safeguard",
)

JUDGEMENTS = (
    "must change if patients are to get the care they deserve",
    "have been under pressure for far too long",
    "are safe, and will stay safe",
    "will not close without a full public consultation",
    "need clinical leadership more than ever",
    "are among the best in the country",
    "cannot carry on as they are",
    "will be judged by the outcomes they deliver",
)

TEMPLATES = (
    "We will {verb} {service} at {hospital} by {year}.",
    "{Service} in {town} {judgement}.",
    "{Org} has set aside £{millions} million for {service} in {town}.",
    "Patients in {town} waited {weeks} weeks for {service} last year, and that is not good enough.",
    "I have asked {org} to review {service} across {town} and the surrounding area.",
    "The decision on {service} at {hospital} is for local clinicians, not for ministers.",
    "By {year} every patient in {town} should be able to get {service} close to home.",
    "The staff at {hospital} have shown what {service} can be at their best.",
)


def zipf_weights(n: int, exponent: float) -> list[float]:
    """Cumulative weights for ``n`` ranks where rank r is drawn in proportion to 1/r**s."""
    return list(accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


def seed_sentences(fixtures_dir: Path) -> list[list[str]]:
    """The seed documents' prose, as sentences of words, without boilerplate or quote marks."""
    sentences: list[list[str]] = []
    for path in sorted(fixtures_dir.glob("00*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = _LOOSE_QUOTE.sub("", line.strip().translate(_STRIP).replace("’", "'"))
            if len(line) < 40 or _BOILERPLATE.search(line):
                continue
            for sentence in _SENTENCE_END.split(line):
                words = sentence.split()
                if len(words) >= 6 and words[-1][-1] in ".!?":
                    sentences.append(words)
    return sentences


class MarkovChain:
    """An order-two word chain over sentences, backing off to order one now and then."""

    def __init__(self, sentences: Sequence[Sequence[str]]):
        self.starts: list[tuple[str, str]] = []
        self.second: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.first: dict[str, list[str]] = defaultdict(list)
        for words in sentences:
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:], strict=False):
                self.second[(a, b)].append(c)
            for a, b in zip(words, words[1:], strict=False):
                self.first[a].append(b)

    def sentence(self, rng: random.Random, *, max_words: int = 32, backoff: float = 0.3) -> str:
        """One sentence, ending at a full stop the corpus used or after ``max_words``."""
        a, b = rng.choice(self.starts)
        words = [a, b]
        while b[-1] not in ".!?" and len(words) < max_words:
            followers = self.second.get((a, b))
            # Backing off to one word of context is what makes new sentences rather than
            # replaying the five documents.
            if not followers or rng.random() < backoff:
                followers = self.first.get(b)
            if not followers:
                break
            a, b = b, rng.choice(followers)
            words.append(b)
        text = " ".join(words).rstrip(",;:-")
        return text if text[-1] in ".!?" else text + "."


class TextMaker:
    """Sentences for quotations, speeches and summaries, all drawn from one ``rng``."""

    def __init__(self, rng: random.Random, fixtures_dir: Path, *, pool_size: int):
        self.rng = rng
        chain = MarkovChain(seed_sentences(fixtures_dir))
        # A fixed pool keeps a million quotations affordable: each chain sentence is reused a
        # few dozen times, while the templates below add the combinations that make phrases
        # rare.
        self.pool = [chain.sentence(rng) for _ in range(pool_size)]
        self.town_weights = zipf_weights(len(TOWNS), 1.1)

    def town(self) -> str:
        return self.rng.choices(TOWNS, cum_weights=self.town_weights)[0]

    def template_sentence(self) -> str:
        rng = self.rng
        town = self.town()
        service = rng.choice(SERVICES)
        org = rng.choice(ORGANISATIONS)
        return rng.choice(TEMPLATES).format(
            verb=rng.choice(VERBS),
            service=service,
            Service=service[0].upper() + service[1:],
            hospital=f"{town} {rng.choice(HOSPITAL_KINDS)} Hospital",
            town=town,
            org=org,
            Org=org[0].upper() + org[1:],
            judgement=rng.choice(JUDGEMENTS),
            year=rng.randint(1992, 2030),
            millions=rng.randint(2, 900),
            weeks=rng.randint(4, 70),
        )

    def sentence(self) -> str:
        """A sentence: mostly from the chain's pool, sometimes from a policy template."""
        if self.rng.random() < 0.35:
            return self.template_sentence()
        return self.rng.choice(self.pool)

    def passage(self, low: int, high: int) -> str:
        """Between ``low`` and ``high`` sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))
