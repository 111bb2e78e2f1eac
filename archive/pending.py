"""``PENDING``: a summary another request is still computing (see ``archive.views.summaries``).

Its own module so the filters, which the views import, can recognise it without importing
the views.
"""


class _Pending:
    def __repr__(self) -> str:
        return "PENDING"


PENDING = _Pending()
