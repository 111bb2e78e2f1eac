"""What the server's log keeps of each request that went wrong."""

import logging


class ClientErrorsBrief(logging.Filter):
    """A reader's or a scanner's mistake (a 4xx: an unknown page, a Host not allowed, a
    curator refused) is logged as its one line, without Django's traceback.

    Django attaches the exception that made an error response to its log record: every
    request a scanner sent with a Host not allowed, and every page refused to a curator,
    put a traceback in the log at the default level (WARNING), burying the server errors
    (5xx) that need one.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
