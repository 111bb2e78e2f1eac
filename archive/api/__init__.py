"""The read-only JSON API under ``/api/``: speeches, quotes, speakers, offices, events, themes.

Django REST framework with drf-spectacular for the OpenAPI 3 schema (``/api/schema/``) and
its browsable documentation (``/api/docs/``). The lists take the same filters and search as
the reader pages (``archive.filters``), so each endpoint gives the records its page shows.
Field names follow the Popolo data specification where it has one: ``name`` and
``honorific_prefix`` on a person, memberships with ``person``/``post``/``organization`` and
``start_date``/``end_date``, speeches with ``creator``, ``text``, ``date`` and ``event``.
"""
