"""Errors that services raise; views and the API turn them into messages and problem+json."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with the input: where (file, row, field) and why."""

    reason: str
    source: str = ""
    row: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where = f"{where}, rij {self.row}" if where else f"rij {self.row}"
        if self.field:
            where = f"{where}, {self.field}" if where else self.field
        return f"{where}: {self.reason}" if where else self.reason


class DomainError(Exception):
    """A use case was asked something the rules do not allow. Nothing was changed."""

    status = 400

    def __init__(self, message: str, *, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"- {p}" for p in self.problems)


class ImportRejected(DomainError):
    """An import file has errors; the transaction was rolled back, nothing was stored."""

    status = 422


class NotFound(DomainError):
    status = 404


@dataclass
class ImportReport:
    """What an import did (or would do, in a preview)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, object] = field(default_factory=dict)
