"""Login protection: django-axes' lockout check, applied to logins that come over HTTP.

Axes refuses to authenticate anyone once a username has failed too often from one address.
Its backend insists on a request; an ``authenticate()`` call without one (a management
command, the test client's ``login()``) is not a login attempt anybody can throttle by
address, so this backend lets it through to the password check instead of crashing.
Every HTTP login (the admin's login form passes the request) is still checked.

Behind a load balancer the address axes counts failures against is the one the balancer
appended to ``X-Forwarded-For`` (see ``client_ip_address``), never one the client wrote.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for HTTP logins; a no-op when there is no request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse a locked-out username+address pair; leave the password to the next backend."""
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a login came from, as the last trusted proxy saw it.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so
    with ``TRUSTED_PROXY_COUNT`` proxies in front of the app the client is that many entries
    from the right. Entries further left are whatever the client sent: trusting them would
    let an attacker pick a fresh address for every guess and never be locked out.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= count:
            return addresses[-count]
    return request.META.get("REMOTE_ADDR")
