"""One settings module, configured from the environment.

Every value that differs between a laptop and production is read from an environment
variable with a safe development default. ``DATABASE_URL`` picks the database: an SQLite
file under ``var/`` by default, PostgreSQL when given a ``postgres://`` URL.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        # Production must never run on a key that is public in this repository.
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be a real secret when PRODUCTION=1.")


def site_url(value: str) -> str:
    """``SITE_URL`` as links use it: ``scheme://host[:port]``, no path and no trailing slash
    (empty: links are built from each request's own scheme and Host)."""
    from django.core.validators import URLValidator  # lazy messages: safe before setup

    value = value.strip().rstrip("/")
    if not value:
        return ""
    problem = ImproperlyConfigured(
        f"SITE_URL must be an address like https://archive.example.org (got {value!r})."
    )
    try:
        parts = urlsplit(value)
        URLValidator(schemes=["http", "https"])(value)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except (ValueError, ValidationError):
        raise problem from None
    if (
        parts.netloc.endswith(":")
        or parts.username is not None
        or parts.path
        or parts.query
        or parts.fragment
        or not parts.hostname
    ):
        raise problem
    return f"{parts.scheme}://{parts.netloc}"


# The archive's public address. Canonical links, JSON-LD, citations, feeds, CSV and the API
# give absolute addresses; built from the request, they name whatever Host and port it came
# with (a proxy's internal name, or an attacker's port in a CDN's stored copy). Set, every
# one of them starts with this (archive.middleware.SiteAddressMiddleware).
SITE_URL = site_url(os.environ.get("SITE_URL", ""))

# With SITE_URL, its host is the one allowed and its origin the one trusted for forms unless
# these say otherwise; without it, production allows none until told.
_SITE_HOST = urlsplit(SITE_URL).hostname or ""
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    # As Django matches a Host: an IPv6 address in its brackets.
    (f"[{_SITE_HOST}]" if ":" in _SITE_HOST else _SITE_HOST)
    if SITE_URL
    else ("" if PRODUCTION else "127.0.0.1,localhost,testserver"),
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    # Django's admin, its password change throttled as logins are (archive/admin_site.py).
    "archive.apps.ArchiveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    # Open data (issue 6): the JSON API, its OpenAPI schema, Swagger UI served locally.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Absolute links start with SITE_URL when it is set, whatever the request's Host.
    "archive.middleware.SiteAddressMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage in a view becomes a 503 "temporarily unavailable" page, not a 500.
    "archive.faults.DatabaseOutageMiddleware",
    # ETag on every cacheable response and 304 for a matching If-None-Match; then the
    # Cache-Control a CDN needs (public for anonymous reads, private for curators).
    "archive.middleware.ConditionalGetMiddleware",
    "archive.middleware.CacheHeadersMiddleware",
    # Anonymous readers get a stored copy of a public page while the archive is unchanged.
    "archive.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Readers' pages take no writes: a 405, not a refused CSRF token.
    "archive.middleware.ReadOnlyPublicMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change (request.user) in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Must stay last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'archive.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A connection's page cache (cache_size, in KiB when negative) is what spares a page's
    # reads from going back to the operating system for every row: SQLite's default, 2 MB,
    # holds little of a large archive (a theme list filtered by date went from 14 to 6 ms
    # of SQL with 64 MB). It lasts as long as the connection, so connections are kept
    # (CONN_MAX_AGE, as PostgreSQL's): opening one and reading the schema took 0.46 ms,
    # more than a whole trivial request.
    cache_kib = int(os.environ.get("SQLITE_CACHE_MB", "64")) * 1024
    # WAL lets readers carry on while a curator writes; IMMEDIATE avoids lock upgrades
    # failing half-way through a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{cache_kib};"
        ),
    }

# A read replica (PostgreSQL streaming replication): reads go there, writes to the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
    DATABASE_ROUTERS = ["archive.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "archive.middleware.PinToPrimaryMiddleware",
    )


def _postgresql_option(setting: str, value: object) -> None:
    """Start every PostgreSQL connection of the archive with ``SET setting = value`` (a
    startup option, beside any the database URL gives)."""
    for database in DATABASES.values():
        if database["ENGINE"].endswith("postgresql"):
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c {setting}={value}".strip()


# PostgreSQL plans a list page's read (walk the date index until twenty rows match) with
# two parallel workers whenever the walk could be long, and each worker then reads thousands
# of rows past the limit: page one of a 10,000-quotation theme read 76,000 rows in 154 ms,
# where one process reads 2,700 in 16 ms. Pricing a parallel plan's start-up at 10,000
# (PostgreSQL's default is 1,000) keeps such reads serial; counts over large sets, which
# parallel workers do make faster (1.0 s against 2.2 s), still get them. Empty: leave the
# server's setting (set it on the database instead when a pooler refuses startup options).
PG_PARALLEL_SETUP_COST = os.environ.get("PG_PARALLEL_SETUP_COST", "10000")
if PG_PARALLEL_SETUP_COST:
    _postgresql_option("parallel_setup_cost", int(PG_PARALLEL_SETUP_COST))

# PostgreSQL's default random_page_cost (4.0) prices reading a row by an index as if from
# a spinning disk. The archive's working set is in memory (or on SSD), and at 4.0 a search
# filtered by a speaker walked the search table's primary key checking 32,000 rows rather
# than look up the 1,000 its full-text index found: 38 -> 28 ms at a million quotations
# (no page slower). 1.1 is the usual setting for such storage. Empty: the server's own.
PG_RANDOM_PAGE_COST = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
if PG_RANDOM_PAGE_COST:
    _postgresql_option("random_page_cost", float(PG_RANDOM_PAGE_COST))

# A search reads the first thousand matches the database gives (and related statements the
# first fifty a word gives), which on PostgreSQL may be a sequential scan stopped early. With
# the server's default synchronize_seqscans=on, a scan of a table larger than a quarter of
# shared_buffers starts where the last one was, so the same search gave other candidates,
# and other results, from one request to the next. Off, every scan starts at the table's
# first page. Empty: leave the server's setting (set it on the database instead when a
# pooler refuses startup options, as for PG_PARALLEL_SETUP_COST).
PG_SYNCHRONIZE_SEQSCANS = os.environ.get("PG_SYNCHRONIZE_SEQSCANS", "off")
if PG_SYNCHRONIZE_SEQSCANS:
    _synchronize = "on" if env_bool("PG_SYNCHRONIZE_SEQSCANS", False) else "off"
    _postgresql_option("synchronize_seqscans", _synchronize)

# PostgreSQL compiles a query to machine code (JIT) when the planner prices it above
# jit_above_cost (100,000 by default), which pays back over seconds of reading. The
# archive's reads are milliseconds long, and one the planner misprices is compiled first:
# the office page on a theme, written as an OR of 371 terms, spent 23 s compiling a read
# that then ran in a tenth of a second. Off, such a plan runs at once. Empty: leave the
# server's setting (set it on the database instead when a pooler refuses startup options).
PG_JIT = os.environ.get("PG_JIT", "off")
if PG_JIT:
    _postgresql_option("jit", "on" if env_bool("PG_JIT", False) else "off")

# The prepared reads (archive/prepared.py) whose plan is the same for every value are kept
# as prepared statements on PostgreSQL, planned once per connection: the quotation page's
# read of its record took 3 ms to plan and 0.2 ms to run. Django's own cursors bind values
# on the client and are never prepared, whatever this says. The server would still plan a
# prepared statement afresh for each of its first five runs (2-5 ms each for the API's read
# of twenty quotations), to see whether the values change the plan; these reads are the
# ones whose plan they do not change, so the one generic plan is used from the first run
# (plan_cache_mode, which only prepared statements consult). Off (PG_PREPARED_STATEMENTS=0)
# behind a pooler that hands one session's statements to another (PgBouncer in transaction
# mode before 1.21).
PG_PREPARED_STATEMENTS = env_bool("PG_PREPARED_STATEMENTS", True)
if PG_PREPARED_STATEMENTS:
    for _database in DATABASES.values():
        if _database["ENGINE"].endswith("postgresql"):
            _database.setdefault("OPTIONS", {})["prepare_threshold"] = 0
    _postgresql_option("plan_cache_mode", "force_generic_plan")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production, serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Hashed names are served as immutable for ten years whatever this says (whitenoise knows
# them from the manifest); this is for the unhashed copies beside them (a stylesheet's
# address typed by hand), which a change must reach within a minute, not a year.
WHITENOISE_MAX_AGE = 60 if PRODUCTION else 0

LOGIN_URL = "admin:login"
# Where a login without a usable "next" goes (Django's default, /accounts/profile/, is not a
# page here). Logging out ends on the admin's "Logged out" page, with its link to log in again.
LOGIN_REDIRECT_URL = "admin:index"
# A speech's admin page sends about ten fields a quotation: Django's default of 1,000 made a
# speech of a hundred quotations impossible to save (a 400, the curator's edits lost).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins for the same
# username from the same address, that pair is locked out for AXES_COOLOFF_TIME hours.
# Locking the pair (not the address alone) keeps one office's shared IP usable when a
# single account is attacked; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "archive.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
# Failed logins from one address, whatever the usernames, before it is paused for the same
# cool-off (archive.lockout.address_locked_out); 0: no such cap.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Behind a proxy the client address is the one the load balancer appended to X-Forwarded-For
# (TRUSTED_PROXY_COUNT proxies in front of the app; 0: use the connection's address). Never
# trusted by default: with no proxy in front (make serve), a client writing its own
# X-Forwarded-For got a fresh address, and so unlimited guesses, at every try.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "archive.lockout.client_ip_address"

# Security: Django's protections stay on; production tightens transport and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token, the API takes no writes.
CSRF_COOKIE_HTTPONLY = True
# A refused form gets a page in the site's design that says what to do, not Django's own.
CSRF_FAILURE_VIEW = "archive.views.errors.csrf_failure"

# Content-Security-Policy (django-csp), in every mode so a violation shows up in development:
# scripts, styles, fonts and fetches only from this site's own files, never inline; images
# also as data: URIs (the admin's and Swagger UI's icons); no plugins, no <base> tricks,
# forms post only here, and no site may frame these pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_brief": {"()": "archive.log_records.ClientErrorsBrief"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_brief"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Pages of list views.
ARCHIVE_PAGE_SIZE = int(os.environ.get("ARCHIVE_PAGE_SIZE", "20"))

# Search ranks, sorts and counts facets over at most this many matches per record type, so a
# common word costs no more than a rare one (see archive/search/service.py).
SEARCH_MATCH_LIMIT = int(os.environ.get("SEARCH_MATCH_LIMIT", "1000"))
SEARCH_FEW_RECORDS = int(os.environ.get("SEARCH_FEW_RECORDS", "20000"))
# Threads per process that read a search's speeches while its request reads quotations
# (archive/search/side_reads.py); 0: one read after the other.
SEARCH_SIDE_READS = int(os.environ.get("SEARCH_SIDE_READS", "2"))

# HTTP caching of public pages for anonymous readers (archive.middleware): browsers and a CDN
# may reuse a page for PUBLIC_CACHE_MAX_AGE seconds, then serve it stale for up to
# PUBLIC_CACHE_STALE_WHILE_REVALIDATE seconds while fetching a fresh copy.
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "300"))
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", "3600")
)
CACHE_PRIVATE_PATH_PREFIXES = env_list("CACHE_PRIVATE_PATH_PREFIXES", "/admin/")

# The cache that holds slow page summaries. In memory by default (one process); with
# CACHE_DIR, a directory shared by every process on the machine (scripts/serve uses
# var/cache), so a count one gunicorn worker made serves them all. Several machines share a
# Redis cache instead, named by REDIS_URL (see README, "Scaling out").
if os.environ.get("REDIS_URL"):
    try:
        import redis  # noqa: F401 - Django's RedisCache needs it; not installed by default
    except ImportError as missing:
        raise ImproperlyConfigured(
            "REDIS_URL is set, but the redis package is not installed: "
            "run `.venv/bin/pip install redis`, or unset REDIS_URL."
        ) from missing
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
elif os.environ.get("CACHE_DIR"):
    CACHES = {
        "default": {
            # Django's FileBasedCache, culled less often and with an atomic add.
            "BACKEND": "archive.file_cache.FileCache",
            "LOCATION": os.environ["CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }

# Slow page summaries (counts over the whole archive; only those slower than
# ARCHIVE_SUMMARY_CACHE_MIN_MS are worth caching) are recounted after any write to the archive
# (archive/views/summaries.py). With a cache every process shares, a write reaches them all,
# so a summary is kept a day; with memory per process, no longer than a CDN keeps a page.
ARCHIVE_SUMMARY_CACHE_SECONDS = int(
    os.environ.get(
        "ARCHIVE_SUMMARY_CACHE_SECONDS",
        "86400"
        if os.environ.get("CACHE_DIR") or os.environ.get("REDIS_URL")
        else str(PUBLIC_CACHE_MAX_AGE),
    )
)
ARCHIVE_SUMMARY_CACHE_MIN_MS = float(os.environ.get("ARCHIVE_SUMMARY_CACHE_MIN_MS", "20"))
# Counts a page makes on every build (a list's total, a page of records' counts) are worth
# keeping sooner: a few milliseconds saved on every view.
ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = float(os.environ.get("ARCHIVE_SMALL_COUNT_CACHE_MIN_MS", "2"))
# Slow summaries are kept in the database too (the StoredSummary table), so a server whose
# cache is empty (just started, a new machine, a flushed Redis) finds them counted.
ARCHIVE_STORED_SUMMARIES = env_bool("ARCHIVE_STORED_SUMMARIES", True)
# While one request computes a slow summary, others wanting it wait this long for it.
ARCHIVE_SUMMARY_WAIT_SECONDS = float(os.environ.get("ARCHIVE_SUMMARY_WAIT_SECONDS", "30"))
# Recounts after a write are made by a counting thread in each process (archive/background.py),
# at most ARCHIVE_BACKGROUND_QUEUE waiting. With ARCHIVE_SUMMARY_BUDGET_MS, so are first counts
# a page can be shown without, once the request is that old (0, the default: no limit; see
# archive/views/summaries.py for the measured trade-off).
ARCHIVE_BACKGROUND_COUNTS = env_bool("ARCHIVE_BACKGROUND_COUNTS", True)
ARCHIVE_SUMMARY_BUDGET_MS = float(os.environ.get("ARCHIVE_SUMMARY_BUDGET_MS", "0"))
ARCHIVE_BACKGROUND_QUEUE = int(os.environ.get("ARCHIVE_BACKGROUND_QUEUE", "32"))
# Whole public pages are kept this long for anonymous readers and replaced at the next write
# to the archive (archive/page_cache.py); 0 turns that off, as it is by default under DEBUG,
# where a template being edited must show at once.
ARCHIVE_PAGE_CACHE_SECONDS = int(
    os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "0" if DEBUG else str(PUBLIC_CACHE_MAX_AGE))
)
# A page shown before its counts are made (sent no-store) is kept this long, not longer.
ARCHIVE_PENDING_PAGE_SECONDS = int(os.environ.get("ARCHIVE_PENDING_PAGE_SECONDS", "10"))
# A streamed export is stored once read to the end, if it is no larger than this.
ARCHIVE_PAGE_CACHE_MAX_BYTES = int(os.environ.get("ARCHIVE_PAGE_CACHE_MAX_BYTES", "32000000"))
# Lists number their pages up to this many rows, then go on by cursor (?after=), so no
# OFFSET grows with the archive; from ARCHIVE_WALK_FROM_ROWS matching rows a page is read by
# walking the date index instead of sorting the whole set (archive/keyset.py).
ARCHIVE_NUMBERED_ROWS = int(os.environ.get("ARCHIVE_NUMBERED_ROWS", "10000"))
ARCHIVE_WALK_FROM_ROWS = int(os.environ.get("ARCHIVE_WALK_FROM_ROWS", "5000"))

# --- Open data (issue 6): the read-only JSON API under /api/ (archive.api) -----------------
REST_FRAMEWORK = {
    # Public, read-only, no sessions: nothing to authenticate and no CSRF to check.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON whatever the Accept header says, rather than a 406 (archive/api/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": ("archive.api.negotiation.FirstRendererWhenNoneAccepted"),
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every parameter is a filter or the page: ?format= would be an unknown parameter.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Health Policy Archive API",
    "DESCRIPTION": (
        "Read-only access to what UK health ministers and health leaders said in public: "
        "speeches, quotations, speakers, offices, events and themes. Lists take the same "
        "filters and search as the site's pages; field names follow the Popolo data "
        "specification where it has one. Ids are the slugs in the site's addresses."
    ),
    "VERSION": "1",
    # OpenAPI 3.1, so that a field that may be null (a letter's event, a top-level theme's
    # parent) says so: 3.0's "nullable" beside a reference is ignored by validators and
    # client generators, which then refuse the records that have them.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page's assets come from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links: Swagger UI puts each operation's link inside the button that
    # opens it (a control inside a control, and a 19px-high target), which fails WCAG.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}
