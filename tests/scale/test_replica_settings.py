"""DATABASE_REPLICA_URL adds the replica, the router and the pinning middleware."""

from tests.test_settings import settings_value


def test_a_replica_url_adds_a_replica_database_and_the_router():
    result = settings_value(
        "s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST'], "
        "s.DATABASE_ROUTERS, 'archive.middleware.PinToPrimaryMiddleware' in s.MIDDLEWARE",
        DATABASE_URL="postgres://u:p@primary.example:5432/archive",
        DATABASE_REPLICA_URL="postgres://u:p@replica.example:5432/archive",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "replica.example {'MIRROR': 'default'} ['archive.routers.ReplicaRouter'] True"
    )


def test_without_a_replica_url_there_is_one_database_and_no_router():
    result = settings_value("sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', [])")
    assert result.stdout.strip() == "['default'] []"
