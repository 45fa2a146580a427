"""API base: problem+json errors (RFC 9457, NL API Design Rules), pagination, renderers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from wijkwijs.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_invalid_params(value, name))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                out.extend(_invalid_params(value, f"{prefix}[{i}]" if prefix else str(i)))
            else:
                out.extend(_invalid_params(value, prefix))
    else:
        code = getattr(detail, "code", "invalid")
        out.append({"name": prefix or "nonFieldErrors", "code": str(code), "reason": str(detail)})
    return out


def problem(
    request: HttpRequest | None,
    *,
    status_code: int,
    title: str,
    detail: str = "",
    code: str = "",
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://wijkwijs.nl/problems/{code or status_code}",
        "code": code or str(status_code),
        "title": title,
        "status": status_code,
    }
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.get_full_path()
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if isinstance(exc, DomainError):
        body = problem(
            request,
            status_code=exc.status,
            title=exc.message,
            code=type(exc).__name__,
            invalid_params=[
                {"name": p.field or (f"row {p.row}" if p.row else p.source or "input"),
                 "code": "invalid", "reason": str(p)}
                for p in exc.problems
            ],
        )
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"nonFieldErrors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            request,
            status_code=response.status_code,
            title=_("The request contains invalid parameters."),
            code="invalid",
            invalid_params=_invalid_params(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(
            request,
            status_code=response.status_code,
            title=str(detail),
            code=str(getattr(exc, "default_code", response.status_code)),
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(request: HttpRequest, status_code: int, title: str, code: str) -> JsonResponse:
    return JsonResponse(
        problem(request, status_code=status_code, title=title, code=code),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown paths under /api/ answer problem+json, not an HTML 404 page."""
    return problem_response(request, status.HTTP_404_NOT_FOUND, _("Not found."), "not_found")


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 1000


# A serializer of scalar fields that copies its declared fields cheaply per instance.
#
# DRF deep-copies every declared field for every serializer instance (it instantiates each
# field again from its arguments: about 0.7 ms for a dozen fields), so that an instance may
# change its fields without touching the class. Here each field is copied shallowly (a new
# object with the same attribute values): binding and attribute changes stay per instance,
# the read-only parts (validators, error messages, choices) are shared with the class. For
# request and response bodies on hot paths (the intake's submission). Only flat serializers:
# a nested serializer or a field with a child (``ListField``, ``DictField``) is refused when
# the class is defined, because those hold bound objects that a shallow copy would share.
# (A comment, not a docstring: drf-spectacular would put a docstring into the schema of
# every subclass that has none of its own.)
class FlatSerializer(serializers.Serializer):
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, field in cls._declared_fields.items():  # type: ignore[attr-defined]
            if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
                raise TypeError(f"{cls.__name__}.{name}: FlatSerializer takes scalar fields only")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = {}
        for name, field in self._declared_fields.items():  # type: ignore[attr-defined]
            clone = object.__new__(type(field))
            clone.__dict__.update(field.__dict__)
            fields[name] = clone
        return fields
