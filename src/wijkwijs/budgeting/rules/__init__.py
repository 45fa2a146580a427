"""Participatory-budgeting rules engine (pure Python + NumPy, no Django).

Importing this package registers every rule in :data:`RULES`.
"""

from wijkwijs.budgeting.rules import greedy, mes_rules, venray  # noqa: F401  (registration)
from wijkwijs.budgeting.rules.base import RULES, ProjectExplanation, Rule, RuleResult, register
from wijkwijs.budgeting.rules.pabulib_io import (
    PabulibFormatError,
    PBInstance,
    parse_pb,
    read_pb,
    write_pb,
)

__all__ = [
    "RULES",
    "PBInstance",
    "PabulibFormatError",
    "ProjectExplanation",
    "Rule",
    "RuleResult",
    "parse_pb",
    "read_pb",
    "register",
    "write_pb",
]
