"""Login protection: django-axes' lockout check, applied to logins that come over HTTP.

Axes refuses to authenticate anyone once a username has failed too often from one address.
Its backend insists on a request; an ``authenticate()`` call without one (a management
command, the test client's ``login()``) is not a login attempt anybody can throttle by
address, so this backend lets it through to the password check instead of crashing.
Every HTTP login (the admin's login form passes the request) is still checked.

Behind a load balancer the address axes counts failures against is the one the balancer
appended to ``X-Forwarded-For`` (see ``client_ip_address``), never one the client wrote.
"""

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for HTTP logins; a no-op when there is no request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse a locked-out username+address pair, or an address that has failed too
        often whatever the usernames; leave the password to the next backend."""
        if request is None:
            return None
        if settings.AXES_ENABLED and address_locked_out(request):
            # As axes does for a locked-out pair: its middleware answers with the lockout
            # page, which says it is the address (``axes_address_locked_out``).
            request.axes_locked_out = True
            request.axes_address_locked_out = True
            request.axes_address_failure_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
            raise AxesBackendPermissionDenied("Too many failed logins from this address.")
        return super().authenticate(request, username=username, password=password, **kwargs)


def address_locked_out(request: HttpRequest) -> bool:
    """Whether logins from the request's address have failed ``LOGIN_ADDRESS_FAILURE_LIMIT``
    times or more within the cool-off, all usernames together.

    Axes counts failures per username and address: someone trying one password against
    many usernames (the staff's names are easy to guess) met no limit. The cap is higher
    than axes' own, so colleagues behind one office address who mistype are not locked out
    together.
    """
    from axes.models import AccessAttempt  # a model: not at the settings' import

    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if not limit:
        return False
    AxesProxyHandler.update_request(request)
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return False
    failed = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(failed=Sum("failures_since_start"))["failed"]
    return (failed or 0) >= limit


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
