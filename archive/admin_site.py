"""The curators' admin site: Django's, with the password change throttled as logins are.

Changing a password asks for the old one; Django checks it with ``check_password``, which
no login throttle sees. Someone holding a curator's session (a computer left signed in)
could then guess the password there without limit, and learn or replace it. Each wrong
old password now counts as a failed login for that username from that address (django-axes),
and once the pair is locked out the form refuses to check any more, as the login page does.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse


class ThrottledPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password change form; a wrong old password is a failed login."""

    def __init__(self, user, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            raise ValidationError(
                "Your old password has been entered wrongly too many times; try again later.",
                code="locked_out",
            )
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            # Axes counts it; at the limit it marks the request, and its middleware answers
            # with the lockout page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise
        # The password proven, as a successful login does (AXES_RESET_ON_SUCCESS), the
        # count starts again: earlier slips must not lock the curator out at the next one.
        if settings.AXES_RESET_ON_SUCCESS:
            AxesProxyHandler.get_implementation().reset_user_attempts(self.request, credentials)
        return old_password


class ThrottledPasswordChangeView(PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


class ArchiveAdminSite(AdminSite):
    """Django's admin site, its password change throttled."""

    def password_change(self, request, extra_context=None):
        """Django's own view and template, with ``ThrottledPasswordChangeForm``."""
        defaults = {
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return ThrottledPasswordChangeView.as_view(**defaults)(request)
