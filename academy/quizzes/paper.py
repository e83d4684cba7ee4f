"""One attempt's paper: which questions were drawn and in what order things are shown.

The paper is made once per attempt from a seeded `random.Random` and stored
with the attempt (`Paper.to_data`), so a reload shows the same paper. A quiz
with `draw` draws from its bank, preferring the questions the person did not see
last time (`draw_indices`, matched by prompt so a new content version still counts). `present`
turns quiz + paper into what a page may show before submission: prompts and
option texts in display order, never a correct flag, weight, feedback or answer.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from .kinds import Choice
from .quiz import Quiz, QuizError
from .text import number_data


@dataclass(frozen=True)
class PaperItem:
    """One drawn question: its 0-based file index and its display order.

    `order` lists file indices in display order: options (single, multiple),
    right-hand choices (matching) or items (ordering); empty for other kinds.
    """

    index: int
    order: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paper:
    """The drawn questions of one attempt, in the order they are shown (file order)."""

    items: tuple[PaperItem, ...]

    @property
    def indices(self) -> tuple[int, ...]:
        """File indices of the drawn questions."""
        return tuple(item.index for item in self.items)

    def to_data(self) -> dict[str, Any]:
        """JSON-able data; `Paper.from_data` reads it back."""
        return {
            "questions": [{"index": item.index, "order": list(item.order)} for item in self.items]
        }

    @classmethod
    def from_data(cls, data: object) -> Paper:
        """Read `to_data` output back; raises `QuizError` on anything else."""
        questions = data.get("questions") if isinstance(data, Mapping) else None
        if not isinstance(questions, list):
            raise QuizError("stored paper must be a mapping with a list of questions")
        items = []
        for entry in questions:
            index = entry.get("index") if isinstance(entry, Mapping) else None
            order = entry.get("order", []) if isinstance(entry, Mapping) else None
            if not _is_int(index) or not isinstance(order, list) or not all(map(_is_int, order)):
                raise QuizError("stored paper question needs an integer index and order")
            items.append(PaperItem(index, tuple(order)))
        return cls(tuple(items))


def prompt_key(prompt: str) -> str:
    """A question's identity across content versions: its prompt, spacing and case folded."""
    return " ".join(prompt.split()).casefold()


def seen_prompts(quiz: Quiz, paper: Paper) -> frozenset[str]:
    """The `prompt_key`s of the questions a stored paper showed (empty if it does not fit)."""
    if not paper_fits(quiz, paper):
        return frozenset()
    return frozenset(prompt_key(quiz.questions[i].prompt) for i in paper.indices)


def draw_indices(
    prompts: Sequence[str],
    draw: int | None,
    rng: random.Random,
    avoid: Sequence[Collection[str]] = (),
) -> list[int]:
    """File indices of `draw` questions (all when None), ascending.

    `avoid` holds prompt keys seen before, most recent first. Questions in none
    of them are drawn first; repeats come only when the bank is too small, and
    then those seen longest ago before those seen last.
    """
    count = len(prompts)
    if draw is None or draw >= count:
        return list(range(count))
    if not any(avoid):
        return sorted(rng.sample(range(count), draw))
    tiers: list[list[int]] = [[] for _ in range(len(avoid) + 1)]
    for index, prompt in enumerate(prompts):
        key = prompt_key(prompt)
        seen = next((n for n, keys in enumerate(avoid) if key in keys), None)
        # Tier 0: never seen; the last tier: seen most recently.
        tiers[0 if seen is None else len(avoid) - seen].append(index)
    chosen: list[int] = []
    for tier in tiers:
        wanted = draw - len(chosen)
        if wanted <= 0:
            break
        chosen.extend(rng.sample(tier, min(wanted, len(tier))))
    return sorted(chosen)


def make_paper(quiz: Quiz, rng: random.Random, avoid: Sequence[Collection[str]] = ()) -> Paper:
    """Draw the questions (all, or `draw` of them) and shuffle what each one shows.

    `avoid`: prompt keys (`prompt_key`) the person saw before, most recent first.
    """
    prompts = [question.prompt for question in quiz.questions]
    indices = draw_indices(prompts, quiz.draw, rng, avoid)
    return Paper(tuple(PaperItem(i, quiz.questions[i].shuffle(rng)) for i in indices))


def check_paper(quiz: Quiz, paper: Paper) -> None:
    """Raise `QuizError` unless the paper fits the quiz (a stored paper of another revision)."""
    if not paper.items:
        raise QuizError("the paper has no questions")
    seen: set[int] = set()
    for item in paper.items:
        if not 0 <= item.index < len(quiz.questions) or item.index in seen:
            raise QuizError(f"the paper's question index {item.index} does not fit the quiz")
        seen.add(item.index)
        size = quiz.questions[item.index].order_size()
        if sorted(item.order) != list(range(size)):
            raise QuizError(f"the paper's order for question {item.index + 1} does not fit")


def paper_fits(quiz: Quiz, paper: Paper) -> bool:
    """Whether `check_paper` would accept the paper."""
    try:
        check_paper(quiz, paper)
    except QuizError:
        return False
    return True


@dataclass(frozen=True)
class PresentedQuestion:
    """A question as the page shows it before submission: no key, no feedback.

    `number` is the 1-based position in the quiz file; the form field is
    `field` (``qN``), and matching/ordering items use ``subfield(i)`` (``qN-i``)
    where i is the left item's or item's 0-based index in the file. Each choice
    is (0-based file index, text): `options` (single, multiple) in display
    order; `lefts` (matching, file order) with `choices` (right-hand sides,
    shuffled); `items` (ordering, shuffled). true_false posts ``true``/``false``.
    """

    number: int
    kind: str
    prompt: str
    title: str = ""
    points: float = 1.0
    options: tuple[Choice, ...] = ()
    lefts: tuple[Choice, ...] = ()
    choices: tuple[Choice, ...] = ()
    items: tuple[Choice, ...] = ()

    @property
    def field(self) -> str:
        """The form field name of this question."""
        return f"q{self.number}"

    def subfield(self, index: int) -> str:
        """The form field of left item / item `index` (0-based, file order)."""
        return f"q{self.number}-{index}"

    @property
    def positions(self) -> tuple[int, ...]:
        """The positions an ordering item may be given (1..n)."""
        return tuple(range(1, len(self.items) + 1))

    def to_data(self) -> dict[str, Any]:
        """JSON-able data (e.g. for a JavaScript-enhanced page)."""
        return {
            "number": self.number,
            "field": self.field,
            "kind": self.kind,
            "title": self.title,
            "prompt": self.prompt,
            "points": number_data(self.points),
            "options": [list(choice) for choice in self.options],
            "lefts": [list(choice) for choice in self.lefts],
            "choices": [list(choice) for choice in self.choices],
            "items": [list(choice) for choice in self.items],
        }


def present(quiz: Quiz, paper: Paper) -> list[PresentedQuestion]:
    """What the page shows before submission, in paper order (raises `QuizError` on misfit)."""
    check_paper(quiz, paper)
    shown = []
    for item in paper.items:
        question = quiz.questions[item.index]
        shown.append(
            PresentedQuestion(
                number=item.index + 1,
                kind=question.kind,
                prompt=question.prompt,
                title=question.title,
                points=question.points,
                **question.present_parts(item.order),
            )
        )
    return shown


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
