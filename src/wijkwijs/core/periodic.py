"""Periodic jobs: apps register a background task with an interval in ``AppConfig.ready``;
``wijkwijs periodic`` enqueues each one when it is due, and the task worker runs it.

Django's task framework has no scheduler of its own. The registered tasks are idempotent
(convention 10), so enqueueing one twice, or from two schedulers, does no harm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task (has .enqueue())
    every: Callable[[], timedelta]  # read at run time, so settings overrides apply


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, task: Any, every: Callable[[], timedelta]) -> None:
    _JOBS[name] = PeriodicJob(name=name, task=task, every=every)


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda j: j.name)


def due(last_run: dict[str, datetime], now: datetime) -> list[PeriodicJob]:
    """The jobs never enqueued by this scheduler, or whose interval has passed since."""
    return [j for j in jobs() if j.name not in last_run or now - last_run[j.name] >= j.every()]
