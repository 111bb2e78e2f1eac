"""The people an article may name, as the ingest pipeline knows them.

The pipeline never reads the database: callers pass the speakers they know as
``KnownSpeaker`` values, built from ``Speaker`` rows or from the curation file.
"""

from __future__ import annotations

from dataclasses import dataclass

HONORIFICS = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Baroness",
    "Baron",
    "Professor",
    "Prof",
    "Rt Hon",
    "Cllr",
)
# An honorific says how a report refers to someone, and sometimes which pronoun follows.
_GENDER_BY_HONORIFIC = {
    "Mr": "m",
    "Sir": "m",
    "Lord": "m",
    "Baron": "m",
    "Mrs": "f",
    "Ms": "f",
    "Miss": "f",
    "Dame": "f",
    "Lady": "f",
    "Baroness": "f",
}


def split_honorific(name: str) -> tuple[str, str]:
    """Split "Dr Charles Alessi" into ("Dr", "Charles Alessi"); no honorific gives ("", name)."""
    name = " ".join(name.split())
    for honorific in sorted(HONORIFICS, key=len, reverse=True):
        for form in (honorific + " ", honorific + ". "):
            if name.startswith(form) and len(name) > len(form):
                return honorific, name[len(form) :]
    return "", name


def gender_of_honorific(honorific: str) -> str | None:
    """ "m" or "f" when the honorific implies it ("Mr", "Ms"), otherwise None ("Dr")."""
    return _GENDER_BY_HONORIFIC.get(honorific.rstrip("."))


@dataclass(frozen=True)
class KnownSpeaker:
    """A speaker the archive already holds: ``name`` ("Andrew Lansley"), ``slug`` and the
    other ways reports name them (``aliases``: "Mr Lansley", "Lansley" …)."""

    name: str
    slug: str
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way of writing this speaker's name, longest first."""
        forms = {self.name, *self.aliases}
        return tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f)))

    @property
    def surname(self) -> str:
        return split_honorific(self.name)[1].split()[-1]

    @property
    def gender(self) -> str | None:
        """The gender implied by an honorific among the aliases, if any (for "he"/"she")."""
        for form in self.forms:
            gender = gender_of_honorific(split_honorific(form)[0])
            if gender:
                return gender
        return None
