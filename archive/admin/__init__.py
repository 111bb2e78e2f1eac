"""The curators' admin: every record registered, with history, roles and the article import.

Importing the modules registers their ModelAdmins with ``django.contrib.admin.site``.
"""

from archive.admin import pledges, records, speeches  # noqa: F401
