"""The review state machine: every allowed and every refused transition (no Flask)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from academy.studio import workflow as wf

AUTHOR = wf.Actor(1)
OTHER = wf.Actor(2)
ADMIN = wf.Actor(1, is_admin=True)  # the author, but an administrator


@pytest.mark.parametrize("state", wf.STATES)
@pytest.mark.parametrize("action", wf.ACTIONS)
def test_every_transition_is_allowed_exactly_from_its_states(state: str, action: str) -> None:
    sources, target = wf.TRANSITIONS[action]
    if state in sources:
        assert wf.next_state(state, action, ADMIN, author_id=1, comment="c") == target
    else:
        with pytest.raises(wf.TransitionRefused, match=f"cannot {action}"):
            wf.next_state(state, action, ADMIN, author_id=1, comment="c")


def test_the_happy_path_from_draft_to_published() -> None:
    state = wf.DRAFT
    state = wf.next_state(state, wf.SUBMIT, AUTHOR, author_id=1)
    assert state == wf.SUBMITTED
    state = wf.next_state(state, wf.RETURN, OTHER, author_id=1, comment="第二段不对")
    assert state == wf.RETURNED
    state = wf.next_state(state, wf.SAVE, AUTHOR, author_id=None)
    assert state == wf.DRAFT
    state = wf.next_state(state, wf.SUBMIT, AUTHOR, author_id=1)
    state = wf.next_state(state, wf.APPROVE, OTHER, author_id=1)
    assert state == wf.APPROVED
    assert wf.next_state(state, wf.PUBLISH, AUTHOR, author_id=1) == wf.PUBLISHED


def test_a_trainer_cannot_approve_their_own_change_but_an_admin_can() -> None:
    with pytest.raises(wf.TransitionRefused, match="your own change"):
        wf.next_state(wf.SUBMITTED, wf.APPROVE, AUTHOR, author_id=1)
    assert wf.next_state(wf.SUBMITTED, wf.APPROVE, ADMIN, author_id=1) == wf.APPROVED


def test_the_author_withdraws_rather_than_returns() -> None:
    with pytest.raises(wf.TransitionRefused, match="withdraw your own"):
        wf.next_state(wf.SUBMITTED, wf.RETURN, AUTHOR, author_id=1, comment="c")


def test_returning_needs_a_comment() -> None:
    with pytest.raises(wf.TransitionRefused, match="comment is required"):
        wf.next_state(wf.SUBMITTED, wf.RETURN, OTHER, author_id=1, comment="  ")


def test_only_the_author_withdraws() -> None:
    assert wf.next_state(wf.SUBMITTED, wf.WITHDRAW, AUTHOR, author_id=1) == wf.DRAFT
    with pytest.raises(wf.TransitionRefused, match="only the author"):
        wf.next_state(wf.SUBMITTED, wf.WITHDRAW, OTHER, author_id=1)


def test_unknown_states_and_actions_are_refused() -> None:
    with pytest.raises(wf.TransitionRefused, match="unknown state"):
        wf.next_state("lost", wf.SUBMIT, AUTHOR, author_id=1)
    with pytest.raises(wf.TransitionRefused, match="unknown action"):
        wf.next_state(wf.DRAFT, "delete", AUTHOR, author_id=1)


def test_allowed_actions_offer_what_the_person_may_do() -> None:
    assert wf.allowed_actions(wf.SUBMITTED, AUTHOR, author_id=1) == [wf.WITHDRAW]
    assert wf.allowed_actions(wf.SUBMITTED, OTHER, author_id=1) == [wf.APPROVE, wf.RETURN]
    assert wf.allowed_actions(wf.DRAFT, AUTHOR, author_id=1) == [wf.SUBMIT]


@given(st.lists(st.sampled_from(wf.ACTIONS), max_size=12))
def test_no_sequence_publishes_without_an_approval_by_someone_else(actions: list[str]) -> None:
    """Published only through approve (by another) → publish, or a rollback."""
    state, approved_by_other = wf.DRAFT, False
    for action in actions:
        for actor in (AUTHOR, OTHER):
            try:
                new = wf.next_state(state, action, actor, author_id=1, comment="c")
            except wf.TransitionRefused:
                continue
            if action == wf.APPROVE:
                assert actor is OTHER
                approved_by_other = True
            if new == wf.PUBLISHED and action == wf.PUBLISH:
                assert approved_by_other
            if action == wf.SAVE:
                approved_by_other = False
            state = new
            break
