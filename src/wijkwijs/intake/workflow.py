"""The intake status workflow as data (pure, no Django).

A small state set in the spirit of Amsterdam/meldingen, projected onto the
Open311 GeoReport v2 ``open``/``closed`` status. Labels are plain Dutch
strings; the Django layer wraps them in gettext.

* ``public``: the submitter is notified when an item enters the state and the
  public status page shows it.
* ``pauses_clock``: the deadline clock stands still while the item is in the
  state (see :func:`wijkwijs.intake.deadlines.deadline_with_pauses`).
* ``first_response``: entering the state counts as the owner's first
  response (for the first-response norm and the throughput dashboard).
* A transition with ``needs_reason`` requires a non-blank text: the answer,
  the motivation of a rejection, the question to the submitter, or why an
  item goes back or elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class State(StrEnum):
    NEW = "new"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    ANSWERED = "answered"
    REJECTED = "rejected"
    REOPENED = "reopened"
    CLOSED = "closed"


Open311Status = Literal["open", "closed"]


@dataclass(frozen=True)
class StateInfo:
    state: State
    label: str
    description: str
    public: bool
    pauses_clock: bool
    first_response: bool
    open311: Open311Status

    @property
    def is_final(self) -> bool:
        return not any(t.source is self.state for t in TRANSITIONS)


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    action: str
    needs_reason: bool


STATES: dict[State, StateInfo] = {
    info.state: info
    for info in (
        StateInfo(
            State.NEW,
            "Gemeld",
            "Ontvangen, nog niet bij een eigenaar.",
            public=True,
            pauses_clock=False,
            first_response=False,
            open311="open",
        ),
        StateInfo(
            State.ROUTED,
            "Doorgezet",
            "Bij de afdeling die eigenaar is.",
            public=True,
            pauses_clock=False,
            first_response=False,
            open311="open",
        ),
        StateInfo(
            State.IN_PROGRESS,
            "In behandeling",
            "De eigenaar werkt eraan.",
            public=True,
            pauses_clock=False,
            first_response=True,
            open311="open",
        ),
        StateInfo(
            State.WAITING,
            "Wacht op reactie melder",
            "Vraag aan de melder uitstaand.",
            public=True,
            pauses_clock=True,
            first_response=True,
            open311="open",
        ),
        StateInfo(
            State.ANSWERED,
            "Afgehandeld",
            "Beantwoord of opgelost.",
            public=True,
            pauses_clock=False,
            first_response=True,
            open311="closed",
        ),
        StateInfo(
            State.REJECTED,
            "Afgewezen",
            "Niet in behandeling genomen, met motivering.",
            public=True,
            pauses_clock=False,
            first_response=True,
            open311="closed",
        ),
        StateInfo(
            State.REOPENED,
            "Heropend",
            "Opnieuw geopend na afhandeling.",
            public=True,
            pauses_clock=False,
            first_response=False,
            open311="open",
        ),
        StateInfo(
            State.CLOSED,
            "Gesloten",
            "Administratief gesloten; geen acties meer.",
            public=False,
            pauses_clock=False,
            first_response=False,
            open311="closed",
        ),
    )
}

_WORKING = (State.ROUTED, State.IN_PROGRESS, State.REOPENED)

TRANSITIONS: tuple[Transition, ...] = (
    # Triage: the "no owner" queue.
    Transition(State.NEW, State.ROUTED, "route", needs_reason=False),
    Transition(State.NEW, State.IN_PROGRESS, "start", needs_reason=False),
    Transition(State.NEW, State.WAITING, "ask_submitter", needs_reason=True),
    Transition(State.NEW, State.ANSWERED, "answer", needs_reason=True),
    Transition(State.NEW, State.REJECTED, "reject", needs_reason=True),
    Transition(State.NEW, State.CLOSED, "withdraw", needs_reason=True),
    # With an owner.
    *(Transition(s, State.ROUTED, "reroute", needs_reason=True) for s in _WORKING),
    Transition(State.ROUTED, State.NEW, "return_to_triage", needs_reason=True),
    Transition(State.ROUTED, State.IN_PROGRESS, "start", needs_reason=False),
    Transition(State.REOPENED, State.IN_PROGRESS, "start", needs_reason=False),
    *(Transition(s, State.WAITING, "ask_submitter", needs_reason=True) for s in _WORKING),
    *(Transition(s, State.ANSWERED, "answer", needs_reason=True) for s in _WORKING),
    *(Transition(s, State.REJECTED, "reject", needs_reason=True) for s in _WORKING),
    Transition(State.ROUTED, State.CLOSED, "withdraw", needs_reason=True),
    Transition(State.IN_PROGRESS, State.CLOSED, "withdraw", needs_reason=True),
    # Waiting for the submitter (clock paused).
    Transition(State.WAITING, State.IN_PROGRESS, "resume", needs_reason=False),
    Transition(State.WAITING, State.ANSWERED, "answer", needs_reason=True),
    Transition(State.WAITING, State.REJECTED, "reject", needs_reason=True),
    Transition(State.WAITING, State.CLOSED, "close_no_response", needs_reason=True),
    # After handling.
    Transition(State.ANSWERED, State.REOPENED, "reopen", needs_reason=True),
    Transition(State.REJECTED, State.REOPENED, "reopen", needs_reason=True),
    Transition(State.ANSWERED, State.CLOSED, "close", needs_reason=False),
    Transition(State.REJECTED, State.CLOSED, "close", needs_reason=False),
)

_BY_PAIR: dict[tuple[State, State], Transition] = {(t.source, t.target): t for t in TRANSITIONS}
INITIAL_STATE = State.NEW


class TransitionError(ValueError):
    """A status change that the workflow does not allow."""

    def __init__(self, message: str, *, from_state: str, to_state: str) -> None:
        super().__init__(message)
        self.from_state = from_state
        self.to_state = to_state


def _parse(value: str | State, *, role: str, from_state: str, to_state: str) -> State:
    try:
        return State(value)
    except ValueError:
        known = ", ".join(s.value for s in State)
        raise TransitionError(
            f"Unknown {role} state {value!r} (known: {known})",
            from_state=from_state,
            to_state=to_state,
        ) from None


def find_transition(from_state: str | State, to_state: str | State) -> Transition | None:
    """The transition from one state to another, or None if not allowed."""
    try:
        return _BY_PAIR.get((State(from_state), State(to_state)))
    except ValueError:
        return None


def check_transition(from_state: str | State, to_state: str | State, reason: str | None = None) -> Transition:
    """Raise :class:`TransitionError` unless the change is allowed; return it.

    The error names both states (code and Dutch label) and, when the pair is
    not allowed, the states that are reachable from ``from_state``.
    """
    names = {"from_state": str(from_state), "to_state": str(to_state)}
    source = _parse(from_state, role="current", **names)
    target = _parse(to_state, role="new", **names)
    transition = _BY_PAIR.get((source, target))
    if transition is None:
        reachable = ", ".join(t.value for t in allowed_targets(source)) or "none (final state)"
        raise TransitionError(
            f"Transition from {_name(source)} to {_name(target)} is not allowed; "
            f"allowed from {source.value!r}: {reachable}",
            **names,
        )
    if transition.needs_reason and not (reason and reason.strip()):
        raise TransitionError(
            f"Transition from {_name(source)} to {_name(target)} ({transition.action}) needs a reason",
            **names,
        )
    return transition


def allowed_targets(from_state: str | State) -> list[State]:
    """States reachable in one step, in table order."""
    source = State(from_state)
    return [t.target for t in TRANSITIONS if t.source is source]


def open311_status(state: str | State) -> Open311Status:
    return STATES[State(state)].open311


def is_public(state: str | State) -> bool:
    return STATES[State(state)].public


def pauses_clock(state: str | State) -> bool:
    return STATES[State(state)].pauses_clock


def _name(state: State) -> str:
    return f"{state.value!r} ({STATES[state].label})"
