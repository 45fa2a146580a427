"""Upload pages of the monitor: CBS files (M1) and own indicators (M2), each in two steps.

1. Upload: the file is kept server-side under a token (``uploads.py``) and the import service
   runs as a dry run; the page shows what would change, or every rejected row and why.
2. Commit (or cancel) with the token: the same service runs for real. Nothing is stored before
   the commit, and a rejected file is never stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wijkwijs.core.clock import now
from wijkwijs.core.errors import ImportRejected, NotFound, Problem
from wijkwijs.monitoring import services, uploads
from wijkwijs.monitoring.forms_upload import CbsUploadForm, ObservationsUploadForm
from wijkwijs.monitoring.models import Indicator

CBS, OWN = "cbs", "observations"


def upload_index(request: HttpRequest) -> HttpResponse:
    can_cbs = request.user.has_perm("monitoring.import_cbs")
    can_own = request.user.has_perm("monitoring.import_observations")
    if not (can_cbs or can_own):
        raise PermissionDenied
    return render(request, "monitoring/upload/index.html", {"can_cbs": can_cbs, "can_own": can_own})


def _summary_cbs(staged: uploads.StagedUpload, request: HttpRequest, *, dry_run: bool) -> dict[str, Any]:
    summary = services.cbs_import(
        paths=staged.paths, period=staged.params.get("year") or None, dry_run=dry_run, actor=request.user, now=now()
    )
    d = summary.as_dict()
    return {
        "areas_added": d["areas"]["added"], "indicators_added": d["indicators"]["added"],
        **d["observations"], "files": d["files"],
    }


def _summary_own(staged: uploads.StagedUpload, request: HttpRequest, *, dry_run: bool) -> dict[str, Any]:
    path = staged.paths[0]
    summary = services.observations_import_csv(
        data=path.read_bytes(), file_name=staged.params.get("file_name") or path.name,
        source_name=staged.params["source_name"], source_credit=staged.params["source_credit"],
        actor=request.user, now=now(), dry_run=dry_run,
    )
    return {**summary.as_dict(), "files": [staged.params.get("file_name") or path.name]}


def _flow(request: HttpRequest, *, kind: str, form: Any, template: str, extra: dict[str, Any]) -> HttpResponse:
    user_id = request.user.pk
    summarise = _summary_cbs if kind == CBS else _summary_own
    problems: list[Problem] = []
    error = ""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("commit", "cancel"):
        token = request.POST.get("token", "")
        try:
            staged = uploads.get(token, kind=kind, user_id=user_id)
        except NotFound as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        if action == "cancel":
            uploads.discard(token)
            messages.info(request, _("The upload was cancelled; nothing was stored."))
            return redirect(request.path)
        try:
            result = summarise(staged, request, dry_run=False)
        except ImportRejected as exc:
            uploads.discard(token)
            form = form.__class__()
            error, problems = exc.message, exc.problems
        else:
            uploads.discard(token)
            messages.success(
                request,
                _("Imported: %(added)s figures added, %(changed)s changed, %(unchanged)s unchanged.") % result,
            )
            return redirect(request.path)
    elif request.method == "POST" and form.is_valid():
        staged = uploads.stage(kind=kind, user_id=user_id, files=_files(kind, form), params=_params(kind, form), now=now())
        try:
            preview = summarise(staged, request, dry_run=True)
        except ImportRejected as exc:
            uploads.discard(staged.token)
            error, problems = exc.message, exc.problems
        else:
            return render(request, "monitoring/upload/preview.html",
                          {"kind": kind, "token": staged.token, "preview": preview, "staged": staged, **extra})
    status = 422 if error or problems or form.errors else 200
    return render(request, template, {"form": form, "error": error, "problems": problems, **extra}, status=status)


def _files(kind: str, form: Any) -> list[tuple[str, bytes]]:
    if kind == CBS:
        return [(f.name, f.read()) for f in form.cleaned_data["files"]]
    f = form.cleaned_data["file"]
    return [(f.name, f.read())]


def _params(kind: str, form: Any) -> dict[str, Any]:
    if kind == CBS:
        return {"year": form.cleaned_data.get("year") or ""}
    return {"source_name": form.cleaned_data["source_name"], "source_credit": form.cleaned_data["source_credit"],
            "file_name": form.cleaned_data["file"].name}


@permission_required("monitoring.import_cbs", raise_exception=True)
def upload_cbs(request: HttpRequest) -> HttpResponse:
    form = CbsUploadForm(request.POST or None, request.FILES or None) if request.method == "POST" else CbsUploadForm()
    return _flow(request, kind=CBS, form=form, template="monitoring/upload/cbs.html",
                 extra={"title": _("Read in CBS figures")})


@permission_required("monitoring.import_observations", raise_exception=True)
def upload_observations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ObservationsUploadForm(request.POST, request.FILES)
    else:
        form = ObservationsUploadForm()
    own = Indicator.objects.filter(source__is_demo=False).exclude(source__slug__startswith="cbs:").select_related("source")
    return _flow(request, kind=OWN, form=form, template="monitoring/upload/observations.html",
                 extra={"title": _("Read in own figures"), "own_indicators": list(own.order_by("key"))})
