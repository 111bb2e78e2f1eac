"""The OpenAPI schema validates, and the API keeps to it under property-based testing.

schemathesis generates requests from the schema, valid and invalid ones (``MAX_EXAMPLES`` per
operation), and sends them to the app in-process through WSGI, against the seed archive.
Every response must be free of server errors and match the schema: documented status codes
and content types, bodies of the documented shape.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

MAX_EXAMPLES = 50
# Random generation (fuzzing, valid and invalid requests) with the schema's own examples; the
# exhaustive "coverage" phase would send hundreds of requests per list and take minutes.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
OPERATIONS = {
    f"GET /api/{kind}/{suffix}"
    for kind in ("speeches", "quotes", "speakers", "offices", "events", "themes")
    for suffix in ("", "{id}/" if kind == "offices" else "{slug}/")
}


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on any violation of the OpenAPI specification
    assert {
        f"GET {path}" for path, methods in schema["paths"].items() if "get" in methods
    } == OPERATIONS


@pytest.mark.parametrize(
    ("operation", "url"),
    [
        ("/api/quotes/", "/api/quotes/?page_size=100"),
        ("/api/speeches/", "/api/speeches/?page_size=100"),
        ("/api/speakers/", "/api/speakers/?page_size=100"),
        ("/api/offices/", "/api/offices/?page_size=100"),
        ("/api/events/", "/api/events/"),
        ("/api/themes/", "/api/themes/"),
        # A quotation whose speaker held no office then, a letter with no event.
        ("/api/quotes/{slug}/", "/api/quotes/charles-alessi-so-for-integrated-care-we-really/"),
        ("/api/speeches/{slug}/", "/api/speeches/lansley-letter-to-prospective-ccgs-2012-02-16/"),
    ],
)
def test_every_seed_record_validates_against_the_published_schema(client, seed, operation, url):
    # What a client generated from the schema, or a strict validator, does with each record:
    # fields that may be null (an event, an office, a parent theme, next/previous) say so.
    from openapi_schema_validator import OAS31Validator

    spec = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert spec["openapi"] == "3.1.0"
    answer = spec["paths"][operation]["get"]["responses"]["200"]["content"]["application/json"]
    validator = OAS31Validator({**answer["schema"], "components": spec["components"]})
    body = client.get(url).json()
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert problems == []
    assert body.get("results", [body])  # something was checked


def test_the_docs_page_serves_swagger_ui_from_local_files(client):
    html = client.get("/api/docs/").content.decode()
    assert (
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">'
        in html
    )
    assert "<script>" not in html  # the set-up script is its own file (no inline script)
    assert client.get("/api/docs/?script=").status_code == 200
    # It names its language, has a heading, and without JavaScript points to the schema.
    assert '<html lang="en-GB">' in html
    assert '<h1 class="api-docs__title">Health Policy Archive API</h1>' in html
    assert '<noscript><p class="api-docs__fallback">' in html and 'href="/api/schema/"' in html


@pytest.fixture
def api_schema(seed):
    # Django's test client keeps the test's database connection (and its transaction) open
    # across requests; a plain WSGI call would close it as each request starts and ends.
    # Do as the test client does.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case):
    # Every check but "valid data is accepted": an id or slug that fits the schema's pattern
    # but names no record is, rightly, a documented 400 (filters) or 404 (records).
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
