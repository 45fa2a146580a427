"""Open311 API keys: only a SHA-256 hash is stored; the key itself is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction

from wijkwijs.audit.services import record
from wijkwijs.intake.models import ApiKey


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, actor: Any, now: datetime, raw: str | None = None) -> tuple[ApiKey, str]:
    """A new key; returns (row, the key in clear text, to show once)."""
    raw = raw or secrets.token_urlsafe(24)
    key = ApiKey.objects.create(name=name[:200], key_hash=hash_key(raw), prefix=raw[:4])
    record(actor=actor, action="intake.api_key_created", obj=key, now=now)
    return key, raw


def api_key_check(raw: str, *, now: datetime) -> ApiKey | None:
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(raw), active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
