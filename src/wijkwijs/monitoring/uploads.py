"""Uploaded files kept server-side between the preview and the commit of an import.

An upload is stored under ``WIJKWIJS_VAR_DIR/uploads/monitoring/<token>/`` with a small
``meta.json`` (kind, uploader, parameters, time). The token is random; only the user who
uploaded may use it, and only for the same kind of import. Uploads older than ``MAX_AGE`` are
removed when a new one is staged. Nothing here touches the database: the import services do.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import get_valid_filename

from wijkwijs.core.errors import NotFound

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
MAX_AGE = timedelta(hours=24)


@dataclass(frozen=True)
class StagedUpload:
    token: str
    kind: str
    user_id: int
    paths: list[Path]
    params: dict[str, Any]
    created: datetime

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.paths]


def _root() -> Path:
    return Path(settings.VAR_DIR) / "uploads" / "monitoring"


def stage(*, kind: str, user_id: int, files: list[tuple[str, bytes]], params: dict[str, Any], now: datetime) -> StagedUpload:
    purge(now=now)
    token = secrets.token_urlsafe(24)
    folder = _root() / token
    folder.mkdir(parents=True, exist_ok=False)
    paths = []
    for i, (name, data) in enumerate(files):
        safe = get_valid_filename(Path(name).name) or f"bestand-{i + 1}"
        path = folder / safe
        if path.exists():
            path = folder / f"{i + 1}-{safe}"
        path.write_bytes(data)
        paths.append(path)
    meta = {"kind": kind, "user": user_id, "files": [p.name for p in paths], "params": params, "created": now.isoformat()}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedUpload(token, kind, user_id, paths, params, now)


def get(token: str, *, kind: str, user_id: int) -> StagedUpload:
    """The staged upload, or NotFound when the token is malformed, unknown, expired, of
    another kind, or of another user."""
    if not TOKEN_RE.match(token or ""):
        raise NotFound("deze upload bestaat niet (meer); lees het bestand opnieuw in")
    folder = _root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound("deze upload bestaat niet (meer); lees het bestand opnieuw in") from None
    if meta.get("kind") != kind or meta.get("user") != user_id:
        raise NotFound("deze upload bestaat niet (meer); lees het bestand opnieuw in")
    return StagedUpload(
        token, kind, user_id, [folder / name for name in meta["files"]], dict(meta.get("params") or {}),
        datetime.fromisoformat(meta["created"]),
    )


def discard(token: str) -> None:
    if TOKEN_RE.match(token or ""):
        shutil.rmtree(_root() / token, ignore_errors=True)


def purge(*, now: datetime) -> int:
    """Remove uploads older than MAX_AGE; returns how many were removed."""
    root = _root()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        try:
            created = datetime.fromisoformat(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["created"])
        except (OSError, ValueError, KeyError):
            created = datetime.fromtimestamp(folder.stat().st_mtime, tz=now.tzinfo)
        if now - created > MAX_AGE:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
