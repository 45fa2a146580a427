from __future__ import annotations

import pytest

from wijkwijs.intake.workflow import (
    INITIAL_STATE,
    STATES,
    TRANSITIONS,
    State,
    TransitionError,
    allowed_targets,
    check_transition,
    find_transition,
    open311_status,
    pauses_clock,
)


def test_every_state_has_a_dutch_label_and_open311_mapping() -> None:
    assert set(STATES) == set(State)
    for info in STATES.values():
        assert info.label and info.label[0].isupper()
        assert info.open311 in {"open", "closed"}


def test_open311_projection() -> None:
    assert [s for s in State if open311_status(s) == "closed"] == [
        State.ANSWERED,
        State.REJECTED,
        State.CLOSED,
    ]


def test_only_waiting_pauses_the_clock() -> None:
    assert [s for s in State if pauses_clock(s)] == [State.WAITING]


def test_transition_table_has_no_duplicates_and_known_states() -> None:
    pairs = [(t.source, t.target) for t in TRANSITIONS]
    assert len(pairs) == len(set(pairs))
    assert all(isinstance(t.source, State) and isinstance(t.target, State) for t in TRANSITIONS)


def test_every_state_reachable_from_new() -> None:
    seen = {INITIAL_STATE}
    frontier = [INITIAL_STATE]
    while frontier:
        for target in allowed_targets(frontier.pop()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State)


def test_closed_is_the_only_final_state() -> None:
    assert [s for s, info in STATES.items() if info.is_final] == [State.CLOSED]


def test_every_open_state_can_reach_a_closed_state() -> None:
    for state in State:
        if open311_status(state) == "open":
            assert any(open311_status(t) == "closed" for t in allowed_targets(state)), state


def test_allowed_transition_passes_and_returns_the_row() -> None:
    transition = check_transition("new", "routed", None)
    assert transition.action == "route"
    assert check_transition(State.WAITING, State.IN_PROGRESS).action == "resume"


def test_rejection_needs_a_motivation() -> None:
    with pytest.raises(TransitionError, match="needs a reason") as excinfo:
        check_transition("in_progress", "rejected", "   ")
    assert excinfo.value.from_state == "in_progress"
    assert excinfo.value.to_state == "rejected"
    assert check_transition("in_progress", "rejected", "Valt buiten ons beleid.").action == "reject"


def test_reasons_required_where_the_table_says_so() -> None:
    for transition in TRANSITIONS:
        if transition.needs_reason:
            with pytest.raises(TransitionError):
                check_transition(transition.source, transition.target, "")
        else:
            check_transition(transition.source, transition.target, "")
    needing = {t.target for t in TRANSITIONS if t.needs_reason}
    assert {State.REJECTED, State.ANSWERED, State.REOPENED, State.WAITING} <= needing


def test_disallowed_transition_names_both_states() -> None:
    with pytest.raises(TransitionError) as excinfo:
        check_transition("closed", "in_progress", "nog een keer")
    message = str(excinfo.value)
    assert "'closed' (Gesloten)" in message
    assert "'in_progress' (In behandeling)" in message
    assert "final state" in message


def test_disallowed_transition_lists_alternatives() -> None:
    with pytest.raises(TransitionError, match="allowed from 'answered': reopened, closed"):
        check_transition("answered", "in_progress")


def test_unknown_state_is_a_transition_error() -> None:
    with pytest.raises(TransitionError, match="Unknown new state 'done'"):
        check_transition("new", "done")
    with pytest.raises(TransitionError, match="Unknown current state"):
        check_transition("gemeld", "routed")
    assert find_transition("gemeld", "routed") is None


def test_self_transitions_only_for_rerouting() -> None:
    selfs = [t.source for t in TRANSITIONS if t.source is t.target]
    assert selfs == [State.ROUTED]
