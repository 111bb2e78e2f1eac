"""Login protection: django-axes' lockout check, applied to logins that come over HTTP.

Axes refuses to authenticate anyone once a username has failed too often from one address.
Its backend insists on a request; an ``authenticate()`` call without one (a management
command, the test client's ``login()``) is not a login attempt anybody can throttle by
address, so this backend lets it through to the password check instead of crashing.
Every HTTP login (the admin's login form passes the request) is still checked.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for HTTP logins; a no-op when there is no request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse a locked-out username+address pair; leave the password to the next backend."""
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
