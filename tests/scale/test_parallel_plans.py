"""PostgreSQL connections price parallel plans high, so a list page's short read stays serial,
and reads through an index as from memory."""

import os

import pytest
from django.db import connection

from tests.test_settings import settings_value


def test_every_postgresql_connection_gets_the_setting_beside_its_own_options():
    result = settings_value(
        "s.DATABASES['default']['OPTIONS']['options'],"
        " s.DATABASES['replica']['OPTIONS']['options']",
        DATABASE_URL="postgres://u:p@primary.example:5432/archive?options=-c%20work_mem%3D8MB",
        DATABASE_REPLICA_URL="postgres://u:p@replica.example:5432/archive",
    )
    assert result.returncode == 0, result.stderr
    ours = (
        "-c parallel_setup_cost=10000 -c random_page_cost=1.1 -c synchronize_seqscans=off"
        " -c jit=off"
    )
    generic = "-c plan_cache_mode=force_generic_plan"
    assert result.stdout.strip() == f"-c work_mem=8MB {ours} {generic} {ours} {generic}"


def test_an_empty_setting_leaves_the_server_to_decide():
    result = settings_value(
        "(s.DATABASES['default'].get('OPTIONS') or {}).get('options')",
        DATABASE_URL="postgres://u:p@primary.example:5432/archive",
        PG_PARALLEL_SETUP_COST="",
        PG_RANDOM_PAGE_COST="",
        PG_SYNCHRONIZE_SEQSCANS="",
        PG_JIT="",
        PG_PREPARED_STATEMENTS="0",
    )
    assert result.stdout.strip() == "None"


def test_jit_compilation_is_off_unless_asked_for():
    options = "s.DATABASES['default']['OPTIONS'].get('options', '')"
    url = {"DATABASE_URL": "postgres://u:p@primary.example:5432/archive"}
    assert "-c jit=off" in settings_value(options, **url).stdout
    assert "-c jit=on" in settings_value(options, PG_JIT="on", **url).stdout
    assert "jit" not in settings_value(options, PG_JIT="", **url).stdout


def test_prepared_reads_are_kept_on_every_postgresql_connection_unless_turned_off():
    expression = (
        "s.DATABASES['default']['OPTIONS'].get('prepare_threshold'),"
        " s.DATABASES['replica']['OPTIONS'].get('prepare_threshold')"
    )
    urls = {
        "DATABASE_URL": "postgres://u:p@primary.example:5432/archive",
        "DATABASE_REPLICA_URL": "postgres://u:p@replica.example:5432/archive",
    }
    result = settings_value(expression, **urls)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 0"
    result = settings_value(expression, PG_PREPARED_STATEMENTS="0", **urls)
    assert result.stdout.strip() == "None None"
    # Planned once for every value from the first run (plan_cache_mode), and only then.
    options = "s.DATABASES['default']['OPTIONS'].get('options', '')"
    assert "plan_cache_mode=force_generic_plan" in settings_value(options, **urls).stdout
    off = settings_value(options, PG_PREPARED_STATEMENTS="0", **urls)
    assert "plan_cache_mode" not in off.stdout


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
@pytest.mark.django_db
def test_the_server_plans_with_it():
    with connection.cursor() as cursor:
        cursor.execute("SHOW parallel_setup_cost")
        assert cursor.fetchone()[0] == "10000"
        # Rows read through an index priced as from memory or SSD.
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
        # Every scan from the table's first page (tests/scale/test_stable_scans.py).
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"
        # No query compiled to machine code before it runs, however the planner prices it.
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
