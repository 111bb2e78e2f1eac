"""A speech whose source names the post its speaker spoke in (``Speech.stated_office``) gives
that office to the speech and to its speaker's quotations, where the date cannot (an
unknown date, a year in which the speaker changed posts): on their pages, in the lists'
cards, the CSV, the API, the ``office`` filter and the office page by theme alike. Anyone
else quoted in the speech keeps the office their own dates give them."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from archive.models import Quote, Speech
from tests.factories import (
    make_office,
    make_post_changer,
    make_quote,
    make_speaker,
    make_speech,
    make_theme,
)
from tests.pages.helpers import facts

pytestmark = pytest.mark.django_db

NAMED = "Secretary of State for Health, Department of Health (as the source names it)"


@pytest.fixture
def named():
    """A post changer's undated speech and a "2012" one, each naming his first post, with a
    quotation of his and one of someone else (out of office) in each, on one theme."""
    speaker = make_post_changer()
    health = speaker.offices.get(slug="secretary-of-state-for-health")
    guest = make_speaker("Guest Speaker")
    theme = make_theme("Service reconfiguration")
    speeches, own, others = [], [], []
    for n, (date, precision) in enumerate([(None, "unknown"), (dt.date(2012, 1, 1), "year")]):
        text = f"He said: ‘Own words {n}.’ She said: ‘Guest words {n}.’"
        speech = make_speech(speaker=speaker, date=date, date_precision=precision, text=text)
        speech.stated_office = health
        speech.save()
        speeches.append(speech)
        own.append(make_quote(f"Own words {n}.", speech=speech, themes=[theme]))
        others.append(make_quote(f"Guest words {n}.", speech=speech, speaker=guest))
    return speaker, health, theme, speeches, own, others


def test_the_pages_give_the_named_post_and_say_whence(client, named):
    _, health, _, speeches, own, others = named
    for speech, quote, other in zip(speeches, own, others, strict=True):
        assert facts(client.get(speech.get_absolute_url()))["Office at the time"] == NAMED
        assert facts(client.get(quote.get_absolute_url()))["In what capacity"] == NAMED
        capacity = facts(client.get(other.get_absolute_url()))["In what capacity"]
        assert "Secretary of State" not in capacity


def test_the_office_filter_and_the_lists_count_them_in_post(client, named):
    speaker, health, theme, speeches, own, others = named
    listed = client.get("/quotes/", {"office": health.slug}).context
    assert {card.pk for card in listed["page_obj"].object_list} == {q.pk for q in own}
    assert listed["total"] == 2
    for card in listed["page_obj"].object_list:
        assert card.office == "Secretary of State for Health"
    speeches_listed = client.get("/speeches/", {"office": health.slug}).context
    assert {item.pk for item in speeches_listed["page_obj"].object_list} == {s.pk for s in speeches}
    for item in speeches_listed["page_obj"].object_list:
        assert item.office == "Secretary of State for Health"
    # The guest's quotations are not in the post: it is not theirs.
    guest_cards = client.get("/quotes/", {"speaker": "guest-speaker"}).context
    assert all(card.office == "" for card in guest_cards["page_obj"].object_list)


def test_the_office_page_by_theme_lists_them_under_the_term_undated_last(client, named):
    speaker, health, theme, _, own, _ = named
    dated = make_speech(speaker=speaker, date=dt.date(2011, 3, 4), text="‘Dated words.’")
    dated_quote = make_quote("Dated words.", speech=dated, themes=[theme])
    response = client.get(f"/offices/{health.slug}/", {"theme": theme.slug})
    (group,) = [g for g in response.context["by_holder"] if g.office.pk == health.pk]
    assert group.quotes == [dated_quote, own[1], own[0]]  # 2011, "2012", undated
    (holder,) = [h for h in response.context["holders"] if h.pk == health.pk]
    assert holder.statement_count == 3


def test_the_csv_and_the_api_give_the_named_post(client, named):
    _, _, _, _, own, others = named
    text = b"".join(client.get("/quotes/export.csv").streaming_content).decode()
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))}
    for quote in own:
        assert rows[quote.text]["office"] == "Secretary of State for Health"
    for quote in others:
        assert rows[quote.text]["office"] == ""
    body = client.get(f"/api/quotes/{own[0].slug}/").json()
    assert body["role"] == "Secretary of State for Health"


def test_only_one_of_the_speakers_own_offices_can_be_named():
    speech = make_speech(speaker=make_speaker("Someone"))
    speech.stated_office = make_office(make_speaker("Someone Else"))
    with pytest.raises(ValidationError) as refused:
        speech.full_clean()
    assert "another speaker's office" in str(refused.value.message_dict["stated_office"])


def test_a_named_office_removed_leaves_the_speech_to_its_date(named):
    _, health, _, speeches, own, _ = named
    health.delete()
    assert Speech.objects.get(pk=speeches[0].pk).stated_office is None
    assert Quote.objects.get(pk=own[1].pk).speaker_office() is None  # "2012": changed posts


def _office_counts(client, path, **params) -> dict[str, int]:
    facets = client.get(path, params).context["facets"]
    return {option.value: option.count for option in facets["office"]}


def test_the_office_menus_count_what_the_filter_lists(client, named):
    speaker, health, _, _, own, _ = named
    # Dated in the term and naming the post as well: counted once.
    both = make_speech(speaker=speaker, date=dt.date(2011, 3, 4), text="‘Both ways.’")
    both.stated_office = health
    both.save()
    make_quote("Both ways.", speech=both)
    for path in ("/quotes/", "/speeches/"):
        counts = _office_counts(client, path)
        listed = client.get(path, {"office": health.slug}).context["total"]
        assert counts[health.slug] == listed == 3, path
    # With another filter the menu still counts as the filter does: the guest is in no post.
    assert _office_counts(client, "/quotes/", speaker="guest-speaker") == {}
    assert _office_counts(client, "/quotes/", speaker=speaker.slug)[health.slug] == 3


# --- a quotation's own office named by the source (``Quote.stated_office``) ---------------


@pytest.fixture
def guest_named(named):
    """The guest (quoted in the post changer's speeches) in a post taken up after them
    (so no date gives it), which the source names for the undated one."""
    speaker, health, theme, speeches, own, others = named
    post = make_office(
        others[0].speaker,
        post="Chairman elect, National Association of Primary Care",
        organisation="",
        start_date=dt.date(2020, 1, 1),
        is_ministerial=False,
    )
    others[0].stated_office = post
    others[0].themes.add(theme)
    others[0].full_clean()
    others[0].save()
    return post, others[0], others[1], theme


def test_a_quotation_of_someone_else_carries_the_post_its_source_names(client, guest_named):
    post, named_quote, unnamed, _ = guest_named
    assert facts(client.get(named_quote.get_absolute_url()))["In what capacity"].startswith(
        "Chairman elect, National Association of Primary Care"
    )
    assert (
        "(as the source names it)"
        in facts(client.get(named_quote.get_absolute_url()))["In what capacity"]
    )
    assert "Chairman elect" not in facts(client.get(unnamed.get_absolute_url()))["In what capacity"]
    cards = client.get("/quotes/", {"speaker": "guest-speaker"}).context["page_obj"]
    offices = {card.pk: card.office for card in cards.object_list}
    assert offices == {named_quote.pk: post.post, unnamed.pk: ""}


def test_the_post_counts_and_lists_the_quotation_its_source_names(client, guest_named):
    post, named_quote, unnamed, theme = guest_named
    listed = client.get("/quotes/", {"office": post.slug}).context
    assert [card.pk for card in listed["page_obj"].object_list] == [named_quote.pk]
    assert _office_counts(client, "/quotes/")[post.slug] == 1
    response = client.get(f"/offices/{post.slug}/", {"theme": theme.slug})
    (group,) = [g for g in response.context["by_holder"] if g.office.pk == post.pk]
    assert group.quotes == [named_quote]
    text = b"".join(client.get("/quotes/export.csv").streaming_content).decode()
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))}
    assert rows[named_quote.text]["office"] == post.post
    assert rows[unnamed.text]["office"] == ""
    assert client.get(f"/api/quotes/{named_quote.slug}/").json()["role"] == post.post


def test_a_quotations_named_post_must_be_its_speakers():
    quote = make_quote("Words.", speech=make_speech(text="‘Words.’"))
    quote.stated_office = make_office(make_speaker("Someone Else"))
    with pytest.raises(ValidationError) as refused:
        quote.full_clean()
    assert "another speaker's office" in str(refused.value.message_dict["stated_office"])


def test_a_quotations_own_named_post_comes_before_its_speechs(client, named):
    speaker, health, _, speeches, own, _ = named
    other_post = speaker.offices.exclude(pk=health.pk).first()
    own[0].stated_office = other_post
    own[0].save()
    assert own[0].speaker_office() == other_post
    assert Quote.objects.get(pk=own[1].pk).speaker_office() == health


def test_a_quotations_own_named_post_replaces_its_speechs_in_every_count(client, named):
    # The card says the quotation's own post: the filter, the menu and the office page too.
    speaker, health, theme, speeches, own, _ = named
    shadow = make_office(speaker, post="Shadow Health Secretary", start_date=dt.date(2020, 1, 1))
    own[0].stated_office = shadow
    own[0].save()
    listed = client.get("/quotes/", {"office": health.slug}).context
    assert [card.pk for card in listed["page_obj"].object_list] == [own[1].pk]
    listed = client.get("/quotes/", {"office": shadow.slug}).context
    assert [card.office for card in listed["page_obj"].object_list] == [shadow.post]
    counts = _office_counts(client, "/quotes/")
    assert (counts[health.slug], counts[shadow.slug]) == (1, 1)
    response = client.get(f"/offices/{health.slug}/", {"theme": theme.slug})
    (group,) = [g for g in response.context["by_holder"] if g.office.pk == health.pk]
    assert group.quotes == [own[1]]
