"""After an administrator reset someone's password, that person's pages lead to the password
change page until they choose a password of their own: the administrator knows the one they
handed over."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    # Open meanwhile: the change page itself, logging out, the language switch, static files.
    OPEN_URL_NAMES = ("accounts:password-change", "web:logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._is_open(request.path_info)
        ):
            return redirect("accounts:password-change")
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in self.OPEN_URL_NAMES)
