"""What a locked-out login attempt sees (django-axes' AXES_LOCKOUT_CALLABLE).

The web and admin login forms show the login page again with the lockout explained; the API keeps
its own JSON answer. Both answer 429, as axes does by default.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_STATUS = 429


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.path.startswith("/api/"):
        if original_response is not None and original_response.status_code == LOCKED_OUT_STATUS:
            return original_response
        return JsonResponse(
            {"detail": "too many failed logins; try again later", "code": "locked_out"},
            status=LOCKED_OUT_STATUS,
        )
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "web/login.html",
        {
            "form": form,
            "locked_out": True,
            "cool_off_minutes": minutes,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=LOCKED_OUT_STATUS,
    )
