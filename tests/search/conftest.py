"""Fixtures for the search tests: records written the way the app writes them.

The index is updated when a transaction commits. pytest-django wraps each test in a
transaction that never commits, so writes here run inside ``committed()``, which runs the
on-commit work as a real commit would.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from archive.models import SpeechKind, Status
from tests.factories import make_quote, make_speaker, make_speech, make_theme


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs the block's on-commit work (index updates) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def corpus(db, committed):
    """A few statements about reconfiguration and failure, on known dates."""
    with committed():
        reconfiguration = make_theme("Service reconfiguration")
        failure = make_theme("Provider failure")
        lansley = make_speaker("Andrew Lansley")
        hewitt = make_speaker("Patricia Hewitt")
        show = make_speech(
            "Speech to the Commissioning Show",
            speaker=lansley,
            date=dt.date(2012, 6, 1),
            text="Decisions will need to be made, and bullets will have to be bitten. "
            "We will reconfigure services where the case is made.",
        )
        alliance = make_speech(
            "Speech to the NHS Alliance",
            speaker=hewitt,
            date=dt.date(2006, 1, 19),
            text="Hospital closures are never easy. The reconfiguration of maternity care "
            "will continue.",
        )
        letter = make_speech(
            "Letter to clinical commissioning groups",
            speaker=lansley,
            kind=SpeechKind.LETTER,
            date=dt.date(2012, 2, 16),
            text="You will have freedom to commission. Failure of a provider is not your "
            "problem to fund.",
        )
        bitten = make_quote(
            "decisions will need to be made, and bullets will have to be bitten",
            speech=show,
            themes=[reconfiguration],
        )
        reconfigure = make_quote(
            "We will reconfigure services where the case is made",
            speech=show,
            themes=[reconfiguration],
        )
        closures = make_quote(
            "Hospital closures are never easy",
            speech=alliance,
            themes=[reconfiguration],
        )
        maternity = make_quote(
            "The reconfiguration of maternity care will continue", speech=alliance
        )
        provider = make_quote(
            "Failure of a provider is not your problem to fund",
            speech=letter,
            themes=[failure],
        )
        draft = make_speech(
            "Draft speech on reconfiguration",
            speaker=lansley,
            status=Status.DRAFT,
            text="Secret reconfiguration plans: bullets will have to be bitten.",
        )
        secret = make_quote("Secret reconfiguration plans", speech=draft, themes=[reconfiguration])
    return SimpleNamespace(**locals())
