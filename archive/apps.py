"""App configuration for the archive."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = "Health Policy Archive"

    def ready(self) -> None:
        # The search index's unmanaged models live with the search code; importing them
        # here registers them with the app. Then keep the index current on every write.
        from django.db.backends.signals import connection_created

        from archive import lookups
        from archive.search import models as search_models  # noqa: F401
        from archive.search import signals

        signals.connect()
        # Cached counts go out of date on every write, whichever process makes it: a
        # command or a migration that never loads the pages' URLs included.
        from archive.views import summaries

        summaries.connect()
        # The admin's search boxes ignore case and accents (archive.lookups).
        lookups.register()
        connection_created.connect(lookups.register_sqlite_function, dispatch_uid="archive.lookups")


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with ``admin.site`` an ``ArchiveAdminSite`` (its password
    change throttled as logins are)."""

    default_site = "archive.admin_site.ArchiveAdminSite"
    # Named in INSTALLED_APPS; "archive" itself still loads ArchiveConfig.
    default = False
