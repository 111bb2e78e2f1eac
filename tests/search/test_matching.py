"""``search.matching``: a list restricted to its words' matches, in the list's own order,
whether the matches are gathered first or each record is looked up (``dense``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Quote, Speech
from archive.search import matching

QUERIES = [
    "reconfigure",  # stemmed: reconfiguration, reconfigured
    '"bullets will have"',
    "maternity OR failure",
    "reconfigure -closures",
    "Lansley",  # the speaker's name is part of what a statement is found by
    "nosuchwordanywhere",
    "'); DROP TABLE archive_quote; --",
]


@pytest.mark.parametrize("model", [Quote, Speech])
@pytest.mark.parametrize("query", QUERIES)
def test_looking_each_record_up_finds_what_gathering_finds(corpus, model, query):
    records = model.objects.published().order_by("-pk")
    gathered = list(matching(records, query).values_list("pk", flat=True))
    looked_up = list(matching(records, query, dense=True).values_list("pk", flat=True))
    assert looked_up == gathered
    if query == "reconfigure":
        assert gathered  # the comparison is not between two empty lists


def test_each_record_is_looked_up_in_the_index_where_the_engine_does_that_faster(corpus):
    records = Quote.objects.published().order_by("-pk")
    with CaptureQueriesContext(connection) as captured:
        list(matching(records, "reconfigure", dense=True))
    sql = captured.captured_queries[-1]["sql"]
    if connection.vendor == "sqlite":
        assert "EXISTS" in sql and "IN (SELECT" not in sql
    else:  # PostgreSQL plans the gathered matches well whatever their number
        assert "EXISTS" not in sql
