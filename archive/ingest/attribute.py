"""Who said it: resolving each quotation's speaker from the sentences around it.

A quotation is attributed, in this order, to
1. a speaker named or referred to just after it ("…successfully,’ Mr Lansley said.",
   "…’, he said.") when the quotation does not end its sentence;
2. the last person who speaks in the same paragraph before it ("Mr Lansley said: ‘…",
   "She told delegates: '…", "NHS Alliance chairman Dr Michael Dixon said: ‘…",
   "He told delegates that … decisions. “…");
3. otherwise the speaker of the quotation before it (a paragraph that is all quotation).

"he" and "she" resolve to the last person named before them who is not only mentioned
in the possessive ("Ms Hewitt's comments") and whose honorific does not rule the pronoun
out. Names inside quotations are the speaker's words and never count. The attribution
is kept as printed: "Mr Lansley", "Dr Alessi", "she".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archive.ingest.extract import Quotation
from archive.ingest.speakers import (
    HONORIFICS,
    KnownSpeaker,
    gender_of_honorific,
    split_honorific,
)
from archive.words import fold

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|explained|explains|insisted|insists|warned|warns|"
    "argued|argues|promised|promises|pledged|pledges|stressed|stresses|declared|declares|"
    "claimed|claims|asked|asks|urged|urges|admitted|admits|continued|continues|replied|"
    "replies|answered|answers|wrote|writes|noted|notes|commented|comments|cited|cites|"
    "described|describes|remarked|remarks|announced|announces|concluded|concludes"
)
_SPEAKING = re.compile(
    rf"\s*(?:,[^,.]{{1,60}},\s*)?(?:(?:has|had|have|also|then|later|went on to)\s+)*"
    rf"(?:{SPEECH_VERBS})\b"
)


def _latin_letters(test) -> str:
    """A regex character class's contents: ASCII's range and the other Latin letters that
    pass ``test`` (``str.isupper`` / ``str.islower``), so that names like "Zoë Brontë" and
    "Seán Ó Dálaigh" are names ("re" has no Unicode letter classes)."""
    ascii_range = "A-Z" if test("A") else "a-z"
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]  # Latin-1, Extended-A and -B, Additional
    others = (chr(c) for first, last in ranges for c in range(first, last + 1))
    return ascii_range + "".join(c for c in others if test(c) and c.isalpha())


_UPPER = _latin_letters(str.isupper)
_LOWER = _latin_letters(str.islower)
# A name word; an Irish surname's "Ó" (Seán Ó Dálaigh), a capital alone, is part of the
# word it stands before, as "O’" is of "O’Brien".
_NAME_WORD = (
    rf"(?:Ó )?[{_UPPER}](?:['’][{_UPPER}])?[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
    rf"(?:-[{_UPPER}][{_LOWER}]+)?"
)
_HONORIFIC_NAME = re.compile(
    r"(?<![\w’'])(?:"
    + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
    + rf")\.? (?:{_NAME_WORD} ){{0,2}}{_NAME_WORD}(?![\w])"
)
_NOT_A_FIRST_NAME = {
    "The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Their", "Its", "Our",
    "My", "Your", "But", "And", "However", "Speaking", "When", "If", "As",
}  # fmt: skip
_PLAIN_NAME_SPEAKING = re.compile(
    rf"(?<![\w’'])(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,2}})(?={_SPEAKING.pattern})"
)
# "DoH commissioning director Duncan Selbie backed …": a name after a lower-case role.
_ROLE_NAME = re.compile(
    r"\b(?:director|chairman|chairwoman|chair|secretary|minister|executive|officer|GP|"
    r"leader|president|spokesman|spokeswoman|spokesperson|adviser|advisor|head|manager|"
    rf"commissioner|editor|MP) (?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,2}})(?![\w])"
)
# "‘We were not asked,’ said Jane Smith.": a name after the verb that follows a quotation.
# Only verbs whose subject can follow them ("told Parliament" names who was told).
_SAID_AFTER = (
    r"[\s,\u00a0]*(?:said|says|added|adds|asked|asks|replied|replies|continued|continues|"
    r"explained|explains|warned|warns|insisted|insists|argued|argues|admitted|admits|"
    r"concluded|concludes)\s+"
)
_PLAIN_NAME_AFTER_SAID = re.compile(
    rf"\x00{_SAID_AFTER}(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,2}})(?![\w])"
)
_PRONOUN = re.compile(r"(?<![\w’'])(?P<pronoun>[Hh]e|[Ss]he)(?![\w’'])")
# "the health secretary said": a role standing for the last person named, like a pronoun.
_ROLE_REFERENCE = re.compile(
    r"(?<![\w’'])[Tt]he (?:health secretary|secretary of state|(?:health |care )?minister|"
    r"prime minister|chief executive|chairman|chairwoman|chair|president)(?![\w’'])"
)
# Words a document, not a person, says: "a new report … showed that '…'", "a statement
# saying the Bill “…”", and titles: "the white paper “Equity and excellence …”".
_DOCUMENT = (
    r"(?:white paper|green paper|report|document|paper|strategy|review|bill|act|book|guidance|"
    r"plan|framework|consultation|study|survey|letter|statement|article|mandate|manifesto|"
    r"constitution|analysis|research|figures|data)"
)
_TITLE_BEFORE = re.compile(
    rf"\b{_DOCUMENT}\s+(?:(?:entitled|called|titled|named|headed)\s+)?$", re.IGNORECASE
)
_DOCUMENT_SAYS = re.compile(
    rf"\b{_DOCUMENT}\b[^.!?]*?\b(?:showed|shows|found|finds|said|says|saying|stated|states|"
    r"concluded|concludes|warned|warns|recommended|recommends|argued|argues|contains|"
    r"contained|suggests|suggested|declared|declares)\b[^.!?]*$",
    re.IGNORECASE,
)
_SENTENCE_BOUNDARY = re.compile(r"[.!?]\S*\s+")
_MASK = "\x00"


@dataclass(frozen=True)
class Person:
    """Someone the article names: a known speaker (``slug`` set) or a new name."""

    key: str
    name: str
    slug: str | None
    gender: str | None


@dataclass(frozen=True)
class Mention:
    """A name or pronoun in the article's own words (outside quotations)."""

    start: int
    end: int
    text: str
    person: Person | None  # None for a pronoun, resolved later
    gender: str | None
    possessive: bool
    speaking: bool

    @property
    def is_pronoun(self) -> bool:
        return self.person is None


@dataclass(frozen=True)
class Attributed:
    """A quotation with its attribution as printed and the speaker it resolves to."""

    quotation: Quotation
    attribution: str
    speaker_slug: str | None
    speaker_name: str
    context: str
    not_speech: str = ""  # why the quoted words are not a person's speech, if they are not


def attribute(
    text: str, quotations: Sequence[Quotation], known_speakers: Sequence[KnownSpeaker]
) -> list[Attributed]:
    """Attribute every quotation in ``quotations`` (found in ``text``), in order."""
    masked = _masked(text, quotations)
    mentions = _mentions(masked, known_speakers)
    result: list[Attributed] = []
    previous: tuple[str, Person | None] | None = None
    for index, quotation in enumerate(quotations):
        mention = _attributing_mention(masked, quotation, quotations[:index], mentions)
        if mention is not None:
            person = mention.person or _antecedent(mention, mentions)
            # Pronouns and roles as they would read mid-sentence: "she", "the health secretary".
            printed = mention.text
            attribution = printed[0].lower() + printed[1:] if mention.is_pronoun else printed
        elif previous is not None:
            attribution, person = previous
        else:
            attribution, person = "", None
        previous = (attribution, person)
        result.append(
            Attributed(
                quotation=quotation,
                attribution=attribution,
                speaker_slug=person.slug if person else None,
                speaker_name=person.name if person else "",
                context=_context(text, masked, quotation, mention),
                not_speech=_document_words(masked, quotation, mentions),
            )
        )
    return result


def _document_words(masked: str, quotation: Quotation, mentions: Sequence[Mention]) -> str:
    """Why a quotation is a document's words or title rather than speech ("" if it is speech)."""
    start = _paragraph_start(masked, quotation.start)
    for boundary in _SENTENCE_BOUNDARY.finditer(masked, start, quotation.start):
        start = boundary.end()
    before = masked[start : quotation.start]
    says = _DOCUMENT_SAYS.search(before)
    if says is not None:
        # "In the letter, Sir David said: “…”" is Sir David speaking, not the letter.
        after = [m for m in mentions if start + says.start() <= m.start < quotation.start]
        if not any(m.speaking for m in after):
            return "the words of a document, not of a person"
    # "He said in a statement “We will act”" is his speech; without a speaker, a title.
    spoken = any(m.speaking for m in mentions if start <= m.start < quotation.start)
    if _TITLE_BEFORE.search(before) and not spoken:
        return "the title of a document"
    return ""


def _masked(text: str, quotations: Sequence[Quotation]) -> str:
    """The text with every quotation blanked out (paragraph breaks kept)."""
    chars = list(text)
    for quotation in quotations:
        for i in range(quotation.start, quotation.end):
            if chars[i] != "\n":
                chars[i] = _MASK
    return "".join(chars)


def _mentions(masked: str, known_speakers: Sequence[KnownSpeaker]) -> list[Mention]:
    """Names and pronouns outside quotations, in reading order, longest match first."""
    candidates: list[tuple[int, int]] = []
    for speaker in known_speakers:
        for form in speaker.forms:
            pattern = rf"(?<![\w’']){re.escape(form)}(?![\w])"
            candidates += [(m.start(), m.end()) for m in re.finditer(pattern, masked)]
    candidates += [(m.start(), m.end()) for m in _HONORIFIC_NAME.finditer(masked)]
    candidates += [(m.start("name"), m.end("name")) for m in _ROLE_NAME.finditer(masked)]
    for match in _PLAIN_NAME_SPEAKING.finditer(masked):
        if match["name"].split()[0] not in _NOT_A_FIRST_NAME:
            candidates.append((match.start(), match.end()))
    for match in _PLAIN_NAME_AFTER_SAID.finditer(masked):
        if match["name"].split()[0] not in _NOT_A_FIRST_NAME:
            candidates.append((match.start("name"), match.end("name")))

    taken: list[tuple[int, int]] = []
    for start, end in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))

    people: dict[str, Person] = {}
    mentions = []
    for start, end in sorted(taken):
        name = masked[start:end]
        person = _person(name, known_speakers, people)
        mentions.append(_mention(masked, start, end, person, person.gender))
    for match in _PRONOUN.finditer(masked):
        gender = "m" if match["pronoun"].lower() == "he" else "f"
        mentions.append(_mention(masked, match.start(), match.end(), None, gender))
    for match in _ROLE_REFERENCE.finditer(masked):
        if all(match.end() <= s or match.start() >= e for s, e in taken):
            mentions.append(_mention(masked, match.start(), match.end(), None, None))
    return sorted(mentions, key=lambda m: m.start)


def _mention(masked: str, start: int, end: int, person: Person | None, gender) -> Mention:
    after = masked[end : end + 2]
    possessive = after in ("'s", "’s") or (
        after[:1] in ("'", "’") and masked[end - 1 : end] == "s" and person is not None
    )
    return Mention(
        start=start,
        end=end,
        text=masked[start:end],
        person=person,
        gender=gender,
        possessive=possessive,
        speaking=bool(_SPEAKING.match(masked, end)),
    )


def _person(name: str, known_speakers: Sequence[KnownSpeaker], people: dict[str, Person]) -> Person:
    """The person a name refers to; "Dr Alessi" and "Dr Charles Alessi" are one person, and
    "Janet Dixon" is not "Michael Dixon": a surname alone ("Mr Dixon") is the person of
    that surname, a name with a first name only one whose first name agrees."""
    honorific, bare = split_honorific(name)
    # Compared without accents or case: a report may print "Zoe Bronte" for "Zoë Brontë".
    folded = fold(bare)
    earlier = people.get("name:" + folded) if len(folded.split()) == 1 else None
    if earlier is not None:  # "Ms Dixon" after "Janet Dixon": the person the report named
        gender = gender_of_honorific(honorific) or earlier.gender
        people[earlier.key] = Person(key=earlier.key, name=earlier.name, slug=None, gender=gender)
        return people[earlier.key]
    for speaker in known_speakers:
        forms = {fold(split_honorific(f)[1]) for f in speaker.forms}
        if folded in forms or (
            folded.split()[-1] == fold(speaker.surname)
            and _same_first_name(folded, fold(split_honorific(speaker.name)[1]))
        ):
            gender = speaker.gender or gender_of_honorific(honorific)
            return Person(key=speaker.slug, name=speaker.name, slug=speaker.slug, gender=gender)
    key = "name:" + folded.split()[-1]
    known = people.get(key)
    if known is not None and not _same_first_name(folded, fold(known.name)):
        key = "name:" + folded  # another person of the same surname ("Sarah Dixon")
        known = people.get(key)
    fullest = bare if known is None or len(bare) > len(known.name) else known.name
    gender = gender_of_honorific(honorific) or (known.gender if known else None)
    people[key] = Person(key=key, name=fullest, slug=None, gender=gender)
    return people[key]


def _same_first_name(name: str, other: str) -> bool:
    """Whether two folded names of one surname can be one person's: either is the surname
    alone, or their first names agree (an initial, "A." or "A", agrees with "Andrew")."""
    mine, theirs = name.split()[:-1], other.split()[:-1]
    if not mine or not theirs:
        return True
    first, other_first = mine[0].rstrip("."), theirs[0].rstrip(".")
    if len(first) == 1 or len(other_first) == 1:
        return first[:1] == other_first[:1]
    return first == other_first


def _attributing_mention(
    masked: str,
    quotation: Quotation,
    earlier: Sequence[Quotation],
    mentions: Sequence[Mention],
) -> Mention | None:
    paragraph_start = _paragraph_start(masked, quotation.start)
    window_start = max([paragraph_start, *(q.end for q in earlier if q.end <= quotation.start)])
    leading = [
        m
        for m in mentions
        if window_start <= m.start and m.end <= quotation.start and not m.possessive
    ]
    leading_speaker = next((m for m in reversed(leading) if m.speaking), None)

    # "…,’ Mr Lansley said." and "…,’ said Mr Lansley." -- but not "…results.’ Mr Lansley
    # said: ‘…", which opens the next.
    ends_sentence = quotation.text[-1:] in ".!?" and quotation.closed
    if not (ends_sentence and leading_speaker):
        trailing = next((m for m in mentions if m.start >= quotation.end), None)
        if trailing is not None:
            between = masked[quotation.end : trailing.start]
            if (trailing.speaking and not between.strip(" ,\u00a0")) or (
                not ends_sentence and re.fullmatch(_SAID_AFTER, between)
            ):
                return trailing
    if leading_speaker is not None:
        return leading_speaker
    return leading[-1] if leading else None


def _antecedent(pronoun: Mention, mentions: Sequence[Mention]) -> Person | None:
    """The last person named before ``pronoun`` whom the pronoun can refer to."""
    for mention in reversed([m for m in mentions if m.end <= pronoun.start]):
        if mention.is_pronoun or mention.possessive:
            continue
        if pronoun.gender is None or mention.gender in (None, pronoun.gender):
            return mention.person
    return None


def _context(text: str, masked: str, quotation: Quotation, mention: Mention | None) -> str:
    """The sentence(s) from the attribution (or the quotation) to the quotation's end."""
    first = quotation.start
    last = quotation.end
    if mention is not None and abs(mention.start - quotation.start) < 600:
        first = min(first, mention.start)
        last = max(last, mention.end)
    paragraph_start = _paragraph_start(text, first)
    start = paragraph_start
    for boundary in _SENTENCE_BOUNDARY.finditer(masked, paragraph_start, first):
        start = boundary.end()
    paragraph_end = text.find("\n\n", last)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    end_match = re.compile(r"[.!?](?=\s|$)").search(masked, last, paragraph_end)
    end = end_match.end() if end_match else paragraph_end
    return text[start:end].strip()


def _paragraph_start(text: str, position: int) -> int:
    brk = text.rfind("\n\n", 0, position)
    return brk + 2 if brk >= 0 else 0
