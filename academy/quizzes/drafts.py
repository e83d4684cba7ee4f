"""Answers given so far on an open paper: cleaned, counted, shown again.

A draft is what the quiz page's fields hold before submission, saved as the
learner goes (``{field: [values]}`` under the form contract of
`academy.quizzes.answers`). Cleaning keeps only the fields of the questions on
the paper and only values the page could have sent (an option shown, a
position, ``true``/``false``, typed text capped in length), so a stored draft
never carries anything a client invented and never reveals an answer key.

A question counts as answered when every part of it has a value: the one
field of a single, multiple, true/false, short-answer or number question, and
every item of a matching or ordering question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .paper import PresentedQuestion
from .responses import FormView
from .text import MAX_TYPED_ANSWER

Draft = dict[str, list[str]]

_TYPED = ("short_answer", "numeric")


def _allowed(question: PresentedQuestion) -> dict[str, tuple[set[str] | None, int]]:
    """Field → (values allowed, None for typed text; how many values at most)."""
    kind = question.kind
    if kind == "single":
        return {question.field: ({str(i) for i, _t in question.options}, 1)}
    if kind == "multiple":
        options = {str(i) for i, _t in question.options}
        return {question.field: (options, len(options))}
    if kind == "true_false":
        return {question.field: ({"true", "false"}, 1)}
    if kind == "matching":
        choices = {str(i) for i, _t in question.choices}
        return {question.subfield(i): (choices, 1) for i, _t in question.lefts}
    if kind == "ordering":
        positions = {str(p) for p in question.positions}
        return {question.subfield(i): (positions, 1) for i, _t in question.items}
    if kind in _TYPED:
        return {question.field: (None, 1)}
    return {}


def clean_draft(questions: Iterable[PresentedQuestion], form: object) -> Draft:
    """The draft held by `form` for these questions; never raises whatever is posted.

    `form` is a Werkzeug ``MultiDict`` or a mapping of field → value or values
    (a stored draft reads back through here too).
    """
    view = FormView(form)
    draft: Draft = {}
    for question in questions:
        for field, (allowed, most) in _allowed(question).items():
            kept: list[str] = []
            for value in view.values(field):
                if allowed is None:
                    text = value[: MAX_TYPED_ANSWER * 2].strip()[:MAX_TYPED_ANSWER]
                    if text:
                        kept.append(text)
                elif value.strip() in allowed and value.strip() not in kept:
                    kept.append(value.strip())
                if len(kept) >= most:
                    break
            if kept:
                draft[field] = kept
    return draft


def is_answered(question: PresentedQuestion, draft: Mapping[str, list[str]]) -> bool:
    """Whether every part of `question` has a value in the (cleaned) draft."""
    fields = _allowed(question)
    return bool(fields) and all(draft.get(field) for field in fields)


def unanswered(questions: Iterable[PresentedQuestion], draft: Mapping[str, list[str]]) -> list[int]:
    """1-based positions on the paper of the questions not (fully) answered."""
    return [n for n, q in enumerate(questions, start=1) if not is_answered(q, draft)]


def answered_count(questions: Iterable[PresentedQuestion], draft: Mapping[str, list[str]]) -> int:
    """How many questions of the paper are answered in the draft."""
    return sum(1 for q in questions if is_answered(q, draft))


def draft_from_data(data: Any) -> Draft:
    """A stored draft (JSON) as field → list of strings; anything else gives an empty draft."""
    if not isinstance(data, Mapping):
        return {}
    return {
        str(k): [v for v in vs if isinstance(v, str)]
        for k, vs in data.items()
        if isinstance(vs, list)
    }
