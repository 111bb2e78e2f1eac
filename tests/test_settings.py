"""The settings module reads the environment and refuses unsafe production configurations."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Import archive.settings in a fresh interpreter with ``env`` and print ``expression``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import archive.settings as s; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_is_the_default_database():
    result = settings_value("s.DATABASES['default']['ENGINE']")
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_a_postgres_url_selects_postgresql():
    result = settings_value(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://u:p@db.example:5432/archive",
    )
    assert "postgresql" in result.stdout
    assert result.stdout.split() == ["django.db.backends.postgresql", "archive"]


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_value("s.DEBUG", PRODUCTION="1")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = settings_value(
        "s.DEBUG", PRODUCTION="1", SECRET_KEY="dev-only-insecure-key-do-not-use-in-production"
    )
    assert result.returncode != 0
    assert "real secret" in result.stderr


def test_production_with_a_real_key_turns_debug_off_and_cookies_secure():
    result = settings_value(
        "s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE",
        PRODUCTION="1",
        SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_sqlite_connections_are_kept_with_a_large_page_cache():
    result = settings_value(
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['OPTIONS']['init_command']",
        SQLITE_CACHE_MB="16",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("60 ")
    assert "PRAGMA cache_size=-16384;" in result.stdout


def test_production_trusts_no_forwarded_address_unless_told_how_many_proxies_there_are():
    # make serve has no proxy in front: trusting one let a client name its own address.
    result = settings_value("s.TRUSTED_PROXY_COUNT", PRODUCTION="1", SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
    result = settings_value(
        "s.TRUSTED_PROXY_COUNT", PRODUCTION="1", SECRET_KEY="x" * 60, TRUSTED_PROXY_COUNT="2"
    )
    assert result.stdout.strip() == "2"


def test_production_keeps_unhashed_static_copies_a_minute():
    result = settings_value("s.WHITENOISE_MAX_AGE", PRODUCTION="1", SECRET_KEY="x" * 60)
    assert result.stdout.strip() == "60"


def test_site_url_gives_the_allowed_host_and_trusted_origin_unless_they_are_set():
    site = "https://archive.example.org"
    result = settings_value("s.SITE_URL, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS", SITE_URL=site)
    assert result.stdout.split() == [site, "['archive.example.org']", f"['{site}']"]
    result = settings_value(
        "s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS",
        SITE_URL=site,
        ALLOWED_HOSTS="a.example,b.example",
        CSRF_TRUSTED_ORIGINS="https://a.example",
    )
    assert result.stdout.split() == ["['a.example',", "'b.example']", "['https://a.example']"]


def test_an_ipv6_site_url_is_allowed_as_django_matches_its_host():
    result = settings_value("s.ALLOWED_HOSTS", SITE_URL="https://[2001:db8::1]:8443")
    assert result.stdout.strip() == "['[2001:db8::1]']"


def test_a_site_url_that_is_not_an_address_stops_the_settings():
    result = settings_value("s.SITE_URL", SITE_URL="archive.example.org/path")
    assert result.returncode != 0
    assert "SITE_URL must be an address like https://archive.example.org" in result.stderr


def test_redis_url_selects_a_shared_redis_cache_or_says_what_is_missing(tmp_path):
    expression = "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']"
    expression += ", s.ARCHIVE_SUMMARY_CACHE_SECONDS"
    url = "redis://cache.example:6379/1"
    # Not installed by default: the settings say how to install it.
    result = settings_value(expression, REDIS_URL=url, PYTHONPATH="")
    assert result.returncode != 0
    assert "REDIS_URL is set, but the redis package is not installed" in result.stderr
    # Installed (a stand-in package here: no server is asked), the cache is Redis.
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "__init__.py").write_text("")
    result = settings_value(expression, REDIS_URL=url, PYTHONPATH=str(tmp_path))
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", url, "86400"]
