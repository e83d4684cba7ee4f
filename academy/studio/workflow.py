"""The review workflow of a studio document, as a pure state machine.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                  │ return (with comment)                      │
      └──── save ◀── returned                    unpublish ──▶ unpublished

Saving a new revision always leads back to ``draft`` (an approval covers the
revision that was reviewed, never a later one). Nobody approves their own
change unless they are an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"
PUBLISHED = "published"
UNPUBLISHED = "unpublished"

STATES = (DRAFT, SUBMITTED, RETURNED, APPROVED, PUBLISHED, UNPUBLISHED)

SAVE = "save"
SUBMIT = "submit"
WITHDRAW = "withdraw"
APPROVE = "approve"
RETURN = "return"
PUBLISH = "publish"
UNPUBLISH = "unpublish"
ROLLBACK = "rollback"

ACTIONS = (SAVE, SUBMIT, WITHDRAW, APPROVE, RETURN, PUBLISH, UNPUBLISH, ROLLBACK)

#: action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    SAVE: (frozenset(STATES), DRAFT),
    SUBMIT: (frozenset({DRAFT, RETURNED}), SUBMITTED),
    WITHDRAW: (frozenset({SUBMITTED}), DRAFT),
    APPROVE: (frozenset({SUBMITTED}), APPROVED),
    RETURN: (frozenset({SUBMITTED}), RETURNED),
    PUBLISH: (frozenset({APPROVED}), PUBLISHED),
    UNPUBLISH: (frozenset({PUBLISHED}), UNPUBLISHED),
    # Back to a revision that was published before: it was reviewed then.
    ROLLBACK: (frozenset(STATES), PUBLISHED),
}


class TransitionRefused(ValueError):
    """The action is not allowed in this state or for this person; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    """Who asks: their user id and whether they are an administrator."""

    user_id: int
    is_admin: bool = False


def next_state(
    state: str, action: str, actor: Actor, *, author_id: int | None, comment: str = ""
) -> str:
    """The state after `action`, or `TransitionRefused` with the reason.

    `author_id` is the author of the revision under review (for approve/return).
    """
    if state not in STATES:
        raise TransitionRefused(f"unknown state '{state}'")
    if action not in TRANSITIONS:
        raise TransitionRefused(f"unknown action '{action}'")
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise TransitionRefused(f"cannot {action} a document that is {state}")
    if action == APPROVE and author_id == actor.user_id and not actor.is_admin:
        raise TransitionRefused("you cannot approve your own change: ask another trainer")
    if action == RETURN and author_id == actor.user_id and not actor.is_admin:
        raise TransitionRefused("withdraw your own submission instead of returning it")
    if action == RETURN and not comment.strip():
        raise TransitionRefused("say what needs changing: a comment is required")
    if action == WITHDRAW and author_id != actor.user_id and not actor.is_admin:
        raise TransitionRefused("only the author can withdraw a submission")
    return target


def allowed_actions(state: str, actor: Actor, *, author_id: int | None) -> list[str]:
    """Actions `actor` may take now (save and rollback excepted: they need arguments)."""
    allowed = []
    for action in (SUBMIT, WITHDRAW, APPROVE, RETURN, PUBLISH, UNPUBLISH):
        try:
            next_state(state, action, actor, author_id=author_id, comment="x")
        except TransitionRefused:
            continue
        allowed.append(action)
    return allowed
