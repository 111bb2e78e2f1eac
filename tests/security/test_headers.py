"""Security headers and cookies, as production sends them; ``check --deploy`` finds nothing.

The production tests run the settings in a fresh interpreter with PRODUCTION=1 (as
``scripts/serve`` does, but with HTTPS and HSTS left at their production defaults), so they
see exactly what a deployment gets. The template scan keeps inline scripts and styles out,
so the Content-Security-Policy never needs 'unsafe-inline'.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SIX_MONTHS = 60 * 60 * 24 * 365 // 2
HOST = "archive.example.org"


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # The browser fixtures switch off async safety for this process only.
        if k
        not in {
            "DATABASE_URL",
            "SECURE_HSTS_SECONDS",
            "SECURE_SSL_REDIRECT",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        PRODUCTION="1",
        SECRET_KEY="k3y-" + "x7Q!pZ" * 10,
        ALLOWED_HOSTS=HOST,
        VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    return env


def test_check_deploy_reports_nothing_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# Run in the production interpreter: migrate, collect static files, then request pages with
# Django's test client and print what came back.
PROBE = r"""
import json, django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
User.objects.create_user("carol", password="pw-carol-12345678", is_staff=True)
HOST = "archive.example.org"

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}

client = Client(HTTP_HOST=HOST)
home = client.get("/", secure=True)
plain = client.get("/", secure=False)
health = client.get("/healthz", secure=False)
api = client.get("/api/quotes/", secure=True)
login_page = client.get("/admin/login/", secure=True)
login = client.post("/admin/login/?next=/admin/", {"username": "carol",
    "password": "pw-carol-12345678", "next": "/admin/"}, secure=True)
print(json.dumps({
    "home": {"status": home.status_code, "headers": dict(home.headers)},
    "api": {"status": api.status_code, "headers": dict(api.headers)},
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "health": health.status_code,
    "csrf_cookie": cookie(login_page, "csrftoken"),
    "login": login.status_code,
    "session_cookie": cookie(login, "sessionid"),
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**_production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "archive.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_production_pages_send_the_security_headers(production):
    for page in ("home", "api"):
        assert production[page]["status"] == 200
        headers = production[page]["headers"]
        hsts = headers["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= SIX_MONTHS
        assert "includeSubDomains" in hsts
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        policy = _directives(headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]


def test_production_redirects_plain_http_except_the_health_probe(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"] == f"https://{HOST}/"
    assert production["health"] == 200


def test_production_cookies_are_secure_and_out_of_reach_of_scripts(production):
    assert production["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert production["login"] == 302
    assert production["session_cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }


# --- in development too, and in every template ------------------------------------------


@pytest.mark.parametrize("url", ["/", "/quotes/", "/api/quotes/", "/feeds/quotes/", "/admin/"])
def test_every_response_carries_the_policy(client, seed, url):
    response = client.get(url)
    assert response.status_code in (200, 302)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
        "inline script",
    ),
    (re.compile(r"<style\b"), "<style> element"),
    (re.compile(r"\sstyle=\""), "style attribute"),
    (re.compile(r"\son[a-z]+=\""), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    problems = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = re.sub(
            r"{% comment %}.*?{% endcomment %}", "", template.read_text("utf-8"), flags=re.S
        )
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                problems.append(f"{template.relative_to(ROOT)}: {what}: {match.group(0)[:60]}")
    assert problems == []
