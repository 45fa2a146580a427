"""Error pages. The API paths answer problem+json; HTML paths get a page in the site layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkwijs.core.api import problem_response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/open311/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 404, _("Not found."), "not_found")
    return render(request, "core/error.html", {"title": _("Page not found"), "status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 500, _("Internal server error."), "server_error")
    return render(request, "core/error.html", {"title": _("Something went wrong"), "status": 500}, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 403, _("You do not have permission."), "forbidden")
    return render(request, "core/error.html", {"title": _("No access"), "status": 403}, status=403)
