"""The one place where settings are read from the environment.

Every variable is declared here through :func:`setting`, with its default and a one-line
description. ``docs/configuration.md`` and ``.env.example`` are checked against this registry by
the test suite, so a setting cannot be added without being documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    doc: str


REGISTRY: dict[str, Setting] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(Exception):
    """A variable in the environment has a value the app cannot use."""


def _read(name: str, default: str, doc: str) -> str:
    REGISTRY[name] = Setting(name=name, default=default, doc=doc)
    return os.environ.get(name, default)


def setting(name: str, default: str, doc: str) -> str:
    """A string setting."""
    return _read(name, default, doc)


def setting_bool(name: str, default: bool, doc: str) -> bool:
    raw = _read(name, "true" if default else "false", doc).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean (use true or false)")


def setting_int(name: str, default: int, doc: str) -> int:
    raw = _read(name, str(default), doc).strip()
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from exc


def setting_float(name: str, default: float, doc: str) -> float:
    raw = _read(name, str(default), doc).strip()
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name}={raw!r} is not a number") from exc


def setting_list(name: str, default: list[str], doc: str) -> list[str]:
    raw = _read(name, ",".join(default), doc)
    return [part.strip() for part in raw.split(",") if part.strip()]


def documented() -> list[Setting]:
    """All declared settings, in declaration order."""
    return list(REGISTRY.values())


