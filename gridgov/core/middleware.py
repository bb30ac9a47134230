"""Middleware of the kernel: refuse control characters in form and query input, and send the
Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from gridgov.core.textinput import forbidden_in

_MACHINE_PREFIXES = ("/api/", "/open311/")
_MESSAGE = "text may not contain control or bidirectional-override characters"


class RejectControlCharactersMiddleware:
    """A query or form value with a NUL, a control or a bidi-override character is bad input (400)
    before any view sees it. JSON bodies are checked by the API's parser, files not at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        fields = [*request.GET.keys(), *[v for k in request.GET for v in request.GET.getlist(k)]]
        if request.method == "POST" and not (request.content_type or "").startswith(
            "application/json"
        ):
            fields += [*request.POST.keys()]
            fields += [v for k in request.POST for v in request.POST.getlist(k)]
        if forbidden_in(fields):
            return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/open311/"):
            # The GeoReport v2 error format.
            return JsonResponse([{"code": 400, "description": _MESSAGE}], status=400, safe=False)
        if request.path.startswith(_MACHINE_PREFIXES):
            return JsonResponse({"code": "invalid_characters", "detail": _MESSAGE}, status=400)
        return HttpResponse(_MESSAGE, status=400, content_type="text/plain; charset=utf-8")


class ContentSecurityPolicyMiddleware:
    """Every page's scripts come from this server's files: no inline script can run, so markup
    that slips into a page (a region's name, a report's text) cannot execute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = settings.GRIDGOV_CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
