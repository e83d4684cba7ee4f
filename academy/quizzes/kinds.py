"""The seven question kinds, one class each, registered in `QUESTION_KINDS`.

A kind owns everything that differs between kinds: which authored fields it
takes and how they are validated into canonical form, how it writes them back
as data, how its options are shuffled and shown before submission (never with
the key), how its form fields are read, and how a response is marked. The
rest of the package dispatches through the registry, never on kind names.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from academy.sourcemap import Path, PathProblem

from .responses import (
    ANSWERED,
    MALFORMED,
    MISSING,
    NOTE_INVALID_ITEMS,
    NOTE_MORE_THAN_ONE,
    NOTE_NO_ANSWER,
    NOTE_NOT_A_NUMBER,
    NOTE_NOT_AN_OPTION,
    NOTE_NOT_TRUE_FALSE,
    NOTE_SOME_ITEMS,
    PARTIAL,
    FormView,
    Response,
    parse_index,
    parse_position,
    typed_text,
)
from .text import normalise_answer, number_data, number_text, parse_number
from .validation import Checker, as_text, describe

#: (0-based index in the file, text): how options and items are shown.
Choice = tuple[int, str]

#: How true and false answers read on a result page (the web layer translates).
TRUE_TEXT: Final = "True"
FALSE_TEXT: Final = "False"

COMMON_KEYS: Final = ("kind", "title", "prompt", "points", "feedback")

# Sums of authored percentages are compared with this slack (33.33 + 33.33 + 33.33).
_PERCENT_SLACK = 0.1


@dataclass(frozen=True)
class Marking:
    """How one response scored: credit fraction, what was answered and its feedback.

    `wrong` lists what the learner picked that was not (fully) right, as
    (key, label) pairs, for the per-question statistics.
    """

    fraction: float
    answered: tuple[str, ...] = ()
    answered_feedback: tuple[str, ...] = ()
    wrong: tuple[tuple[Hashable, str], ...] = ()


@dataclass(frozen=True)
class AnswerKey:
    """The right answer of a question, human-readable, with its feedback."""

    answer: tuple[str, ...]
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice question; `credit` in percent."""

    text: str
    credit: float = 0.0
    feedback: str = ""


@dataclass(frozen=True)
class TextAnswer:
    """One accepted short answer with its credit in percent and its feedback."""

    text: str
    weight: float = 100.0
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """One accepted numeric answer: `value` ± `tolerance`, or `minimum`..`maximum`."""

    value: float | None = None
    tolerance: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    weight: float = 100.0
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        """Whether `number` falls within this answer (with a hair of float slack)."""
        if self.value is not None:
            slack = 1e-9 * max(1.0, abs(self.value), self.tolerance)
            return abs(number - self.value) <= self.tolerance + slack
        low = self.minimum if self.minimum is not None else 0.0
        high = self.maximum if self.maximum is not None else 0.0
        slack = 1e-9 * max(1.0, abs(low), abs(high))
        return low - slack <= number <= high + slack

    def describe(self) -> str:
        """The accepted values as text: ``3.5 ± 0.5``, ``3``, or ``1 – 2``."""
        if self.value is not None:
            if self.tolerance:
                return f"{number_text(self.value)} ± {number_text(self.tolerance)}"
            return number_text(self.value)
        return f"{number_text(self.minimum or 0.0)} – {number_text(self.maximum or 0.0)}"

    def sample(self) -> float:
        """A number this answer accepts (its value, or the middle of its range)."""
        if self.value is not None:
            return self.value
        return ((self.minimum or 0.0) + (self.maximum or 0.0)) / 2


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every kind has: prompt, optional title, points weight, general feedback."""

    kind: ClassVar[str] = ""
    kind_keys: ClassVar[tuple[str, ...]] = ()

    prompt: str
    title: str = ""
    points: float = 1.0
    feedback: str = ""

    # -- authored data -------------------------------------------------------------
    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """Read and validate the kind's own fields (problems go to `check`)."""
        raise NotImplementedError

    def fields_data(self) -> dict[str, Any]:
        """The kind's own fields as data, in the authored schema."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        """YAML/JSON-able data that `parse_question` reads back to an equal question."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.title:
            data["title"] = self.title
        data["prompt"] = self.prompt
        if self.points != 1:
            data["points"] = number_data(self.points)
        data.update(self.fields_data())
        if self.feedback:
            data["feedback"] = self.feedback
        return data

    # -- the paper -----------------------------------------------------------------
    def order_size(self) -> int:
        """How many entries the display order of this question has on a paper."""
        return 0

    def shuffle(self, rng: random.Random) -> tuple[int, ...]:
        """A display order (file indices) for one paper."""
        return ()

    def present_parts(self, order: tuple[int, ...]) -> dict[str, tuple[Choice, ...]]:
        """What may be shown before submission besides the prompt (never the key)."""
        return {}

    # -- answering -----------------------------------------------------------------
    def read(self, form: FormView, field: str, index: int) -> Response:
        """Read this question's form fields; never raises."""
        raise NotImplementedError

    def mark(self, response: Response) -> Marking:
        """Credit a response (robust to responses that do not fit the question)."""
        raise NotImplementedError

    def key(self) -> AnswerKey:
        """The right answer, human-readable, and its feedback."""
        raise NotImplementedError

    def key_form(self, field: str) -> dict[str, list[str]]:
        """Form values that answer this question with full credit (tests, demos)."""
        raise NotImplementedError


# -- choice kinds ------------------------------------------------------------------


def _read_options(
    data: Mapping[Any, Any], check: Checker
) -> list[tuple[Checker, str, bool, float | None, str]]:
    """Options as (checker, text, correct, weight, feedback); weight range checked later."""
    found: list[tuple[Checker, str, bool, float | None, str]] = []
    for number, item in enumerate(check.sequence(data, "options", minimum=2)):
        option = check.child(("options", number), f"{check.label}, option {number + 1}")
        mapping = option.mapping(item, "with text, and correct: true or a weight")
        if mapping is None:
            continue
        option.keys(mapping, ("text", "correct", "weight", "feedback"))
        text = option.text(mapping, "text", required=True)
        correct = option.flag(mapping, "correct")
        weight = option.number(mapping, "weight", low=-100, high=100)
        if mapping.get("correct") is not None and mapping.get("weight") is not None:
            option.error("give either correct or weight, not both")
        feedback = option.text(mapping, "feedback", required=False)
        found.append((option, text, bool(correct), weight, feedback))
    return found


def _option_data(option: Option, credit: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"text": option.text, **credit}
    if option.feedback:
        data["feedback"] = option.feedback
    return data


def _shuffled(size: int, rng: random.Random) -> tuple[int, ...]:
    order = list(range(size))
    rng.shuffle(order)
    return tuple(order)


def _fraction(value: float) -> float:
    return min(1.0, max(0.0, value))


def _nonempty(*texts: str) -> tuple[str, ...]:
    return tuple(text for text in texts if text)


def _read_one_option(form: FormView, field: str, index: int, size: int) -> Response:
    values = form.present_values(field)
    if not values:
        return Response(index, MISSING, note=NOTE_NO_ANSWER)
    if len(values) > 1:
        return Response(index, MALFORMED, note=NOTE_MORE_THAN_ONE)
    choice = parse_index(values[0], size)
    if choice is None:
        return Response(index, MALFORMED, note=NOTE_NOT_AN_OPTION)
    return Response(index, ANSWERED, choices=(choice,))


def _valid_choices(response: Response, size: int) -> list[int] | None:
    """The response's option indices if it is a well-formed answered response."""
    if response.status != ANSWERED or not response.choices:
        return None
    chosen = [c for c in response.choices if c is not None and 0 <= c < size]
    return chosen if len(chosen) == len(response.choices) else None


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick one option; the score is the credit of the chosen option."""

    kind: ClassVar[str] = "single"
    kind_keys: ClassVar[tuple[str, ...]] = ("options",)
    options: tuple[Option, ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """Options with exactly one fully correct choice; weights 0..100."""
        options = []
        for option, text, correct, weight, feedback in _read_options(data, check):
            if weight is not None and weight < 0:
                option.error(
                    "weight must be between 0 and 100 in a single-choice question "
                    "(negative weights need kind: multiple)",
                    "weight",
                )
            credit = 100.0 if correct else max(0.0, weight or 0.0)
            options.append(Option(text, credit, feedback))
        full = sum(1 for option in options if option.credit == 100)
        if len(options) >= 2 and full != 1:
            check.error(
                "single-choice question needs exactly one correct option "
                f"(correct: true, or weight: 100), found {full}"
                + ("; use kind: multiple for several right answers" if full > 1 else ""),
                "options",
            )
        return {"options": tuple(options)}

    def fields_data(self) -> dict[str, Any]:
        """Options with ``correct: true`` for the right one and weights for partial credit."""
        options = []
        for option in self.options:
            if option.credit == 100:
                credit: dict[str, Any] = {"correct": True}
            elif option.credit:
                credit = {"weight": number_data(option.credit)}
            else:
                credit = {}
            options.append(_option_data(option, credit))
        return {"options": options}

    def order_size(self) -> int:
        """One entry per option."""
        return len(self.options)

    def shuffle(self, rng: random.Random) -> tuple[int, ...]:
        """Options in random order."""
        return _shuffled(len(self.options), rng)

    def present_parts(self, order: tuple[int, ...]) -> dict[str, tuple[Choice, ...]]:
        """The option texts in display order."""
        return {"options": tuple((i, self.options[i].text) for i in order)}

    def read(self, form: FormView, field: str, index: int) -> Response:
        """One option index."""
        return _read_one_option(form, field, index, len(self.options))

    def mark(self, response: Response) -> Marking:
        """The chosen option's credit."""
        chosen = _valid_choices(response, len(self.options))
        if not chosen or len(chosen) != 1:
            return Marking(0.0)
        option = self.options[chosen[0]]
        wrong = ((("option", chosen[0]), option.text),) if option.credit < 100 else ()
        return Marking(
            _fraction(option.credit / 100), (option.text,), _nonempty(option.feedback), wrong
        )

    def key(self) -> AnswerKey:
        """The fully correct option."""
        right = [option for option in self.options if option.credit == 100]
        return AnswerKey(tuple(o.text for o in right), _nonempty(*(o.feedback for o in right)))

    def key_form(self, field: str) -> dict[str, list[str]]:
        """The index of the fully correct option."""
        best = max(range(len(self.options)), key=lambda i: self.options[i].credit)
        return {field: [str(best)]}


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    """Pick several; right picks add their credit, wrong picks subtract, floor 0."""

    kind: ClassVar[str] = "multiple"
    kind_keys: ClassVar[tuple[str, ...]] = ("options",)
    options: tuple[Option, ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """Correct options share 100% unless weighted; wrong ones default to -100/n."""
        raw = _read_options(data, check)
        explicit = sum(w for _, _, c, w, _ in raw if not c and w is not None and w > 0)
        sharing = sum(1 for _, _, c, w, _ in raw if c and w is None)
        wrong = sum(1 for _, _, c, w, _ in raw if not c and (w is None or w <= 0))
        share = (100 - explicit) / sharing if sharing else 0.0
        if sharing and share <= 0:
            check.error(
                "options marked correct: true get no credit because the weights of the "
                "other options already add up to 100",
                "options",
            )
        penalty = -100 / wrong if wrong else 0.0
        options = []
        for _, text, correct, weight, feedback in raw:
            if correct:
                credit = share
            elif weight is not None:
                credit = weight
            else:
                credit = penalty
            options.append(Option(text, credit, feedback))
        positive = sum(o.credit for o in options if o.credit > 0)
        if len(options) >= 2 and not (sharing and share <= 0):
            if positive <= 0:
                check.error(
                    "multiple-choice question needs at least one correct option "
                    "(correct: true or a positive weight)",
                    "options",
                )
            elif abs(positive - 100) > _PERCENT_SLACK:
                check.error(
                    "the positive weights of a multiple-choice question must add up to 100, "
                    f"they add up to {number_text(round(positive, 6))}",
                    "options",
                )
        return {"options": tuple(options)}

    def fields_data(self) -> dict[str, Any]:
        """Every option with its explicit weight (shares and penalties written out)."""
        return {
            "options": [
                _option_data(option, {"weight": number_data(option.credit)})
                for option in self.options
            ]
        }

    @property
    def positive_total(self) -> float:
        """Sum of the positive credits (100, up to authoring slack)."""
        return sum(option.credit for option in self.options if option.credit > 0)

    def order_size(self) -> int:
        """One entry per option."""
        return len(self.options)

    def shuffle(self, rng: random.Random) -> tuple[int, ...]:
        """Options in random order."""
        return _shuffled(len(self.options), rng)

    def present_parts(self, order: tuple[int, ...]) -> dict[str, tuple[Choice, ...]]:
        """The option texts in display order."""
        return {"options": tuple((i, self.options[i].text) for i in order)}

    def read(self, form: FormView, field: str, index: int) -> Response:
        """Option indices, the field repeated once per ticked box."""
        values = form.present_values(field)
        if not values:
            return Response(index, MISSING, note=NOTE_NO_ANSWER)
        chosen = {parse_index(value, len(self.options)) for value in values}
        if None in chosen:
            return Response(index, MALFORMED, note=NOTE_NOT_AN_OPTION)
        return Response(index, ANSWERED, choices=tuple(sorted(c for c in chosen if c is not None)))

    def mark(self, response: Response) -> Marking:
        """Sum of the chosen credits over the positive total, clamped to 0..1."""
        chosen = _valid_choices(response, len(self.options))
        if not chosen:
            return Marking(0.0)
        picked = [self.options[i] for i in sorted(set(chosen))]
        total = sum(option.credit for option in picked)
        wrong = tuple(
            (("option", i), self.options[i].text)
            for i in sorted(set(chosen))
            if self.options[i].credit <= 0
        )
        return Marking(
            _fraction(total / self.positive_total),
            tuple(option.text for option in picked),
            _nonempty(*(option.feedback for option in picked)),
            wrong,
        )

    def key(self) -> AnswerKey:
        """All options with positive credit."""
        right = [option for option in self.options if option.credit > 0]
        return AnswerKey(tuple(o.text for o in right), _nonempty(*(o.feedback for o in right)))

    def key_form(self, field: str) -> dict[str, list[str]]:
        """The indices of the options with positive credit."""
        return {field: [str(i) for i, o in enumerate(self.options) if o.credit > 0]}


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement that is true or false, with feedback for each answer."""

    kind: ClassVar[str] = "true_false"
    kind_keys: ClassVar[tuple[str, ...]] = ("answer", "feedback_true", "feedback_false")
    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """`answer` (required) and the two feedbacks."""
        answer = check.flag(data, "answer", required=True)
        return {
            "answer": bool(answer),
            "feedback_true": check.text(data, "feedback_true", required=False),
            "feedback_false": check.text(data, "feedback_false", required=False),
        }

    def fields_data(self) -> dict[str, Any]:
        """`answer` and the non-empty feedbacks."""
        data: dict[str, Any] = {"answer": self.answer}
        if self.feedback_true:
            data["feedback_true"] = self.feedback_true
        if self.feedback_false:
            data["feedback_false"] = self.feedback_false
        return data

    def read(self, form: FormView, field: str, index: int) -> Response:
        """``true`` or ``false``."""
        values = form.present_values(field)
        if not values:
            return Response(index, MISSING, note=NOTE_NO_ANSWER)
        if len(values) > 1:
            return Response(index, MALFORMED, note=NOTE_MORE_THAN_ONE)
        value = values[0].strip().lower()
        if value not in ("true", "false"):
            return Response(index, MALFORMED, note=NOTE_NOT_TRUE_FALSE)
        return Response(index, ANSWERED, choices=(1 if value == "true" else 0,))

    def mark(self, response: Response) -> Marking:
        """Full credit when the answer matches."""
        chosen = _valid_choices(response, 2)
        if not chosen or len(chosen) != 1:
            return Marking(0.0)
        said = chosen[0] == 1
        label = TRUE_TEXT if said else FALSE_TEXT
        feedback = self.feedback_true if said else self.feedback_false
        right = said == self.answer
        wrong = () if right else ((("answer", said), label),)
        return Marking(1.0 if right else 0.0, (label,), _nonempty(feedback), wrong)

    def key(self) -> AnswerKey:
        """True or False, with the feedback for that answer."""
        feedback = self.feedback_true if self.answer else self.feedback_false
        return AnswerKey((TRUE_TEXT if self.answer else FALSE_TEXT,), _nonempty(feedback))

    def key_form(self, field: str) -> dict[str, list[str]]:
        """``true`` or ``false``."""
        return {field: ["true" if self.answer else "false"]}


# -- item kinds --------------------------------------------------------------------


def _read_items(form: FormView, field: str, index: int, size: int, parse: Any) -> Response:
    """Per-item answers from ``field-i`` fields; partial answers keep their valid items."""
    choices: list[int | None] = []
    invalid = False
    for item in range(size):
        values = form.present_values(f"{field}-{item}")
        value = parse(values[0], size) if len(values) == 1 else None
        invalid = invalid or (bool(values) and value is None)
        choices.append(value)
    given = sum(1 for choice in choices if choice is not None)
    if given == 0:
        if invalid:
            return Response(index, MALFORMED, tuple(choices), note=NOTE_INVALID_ITEMS)
        return Response(index, MISSING, note=NOTE_NO_ANSWER)
    if given < size:
        note = NOTE_INVALID_ITEMS if invalid else NOTE_SOME_ITEMS
        return Response(index, PARTIAL, tuple(choices), note=note)
    return Response(index, ANSWERED, tuple(choices))


def _item_choices(response: Response, size: int, low: int, high: int) -> list[int | None]:
    """The per-item choices of a response, invalid ones as None (robust to bad data)."""
    if response.status not in (ANSWERED, PARTIAL) or len(response.choices) != size:
        return [None] * size
    return [c if c is not None and low <= c <= high else None for c in response.choices]


def _read_texts(items: list[Any], check: Checker, key: str, what: str) -> list[str]:
    texts = []
    for number, item in enumerate(items):
        text = as_text(item)
        if text is None or not text:
            check.error(
                f"{what} {number + 1} must be text, not {describe(item, text=True)}", key, number
            )
            continue
        texts.append(text)
    return texts


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Match each left item to its right-hand partner; credit per right match."""

    kind: ClassVar[str] = "matching"
    kind_keys: ClassVar[tuple[str, ...]] = ("pairs",)
    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """At least two [left, right] pairs with distinct right sides."""
        pairs: list[tuple[str, str]] = []
        for number, item in enumerate(check.sequence(data, "pairs", minimum=2)):
            pair = check.child(("pairs", number), f"{check.label}, pair {number + 1}")
            if not isinstance(item, list) or len(item) != 2:
                pair.error(f"must be a list of two texts [left, right], not {describe(item)}")
                continue
            left, right = as_text(item[0]), as_text(item[1])
            if not left:
                pair.error(
                    f"left side must be non-empty text, not {describe(item[0], text=True)}", 0
                )
            if not right:
                pair.error(
                    f"right side must be non-empty text, not {describe(item[1], text=True)}", 1
                )
            if left and right:
                pairs.append((left, right))
        seen: dict[str, int] = {}
        for number, (_, right) in enumerate(pairs):
            if right in seen:
                check.error(
                    f"pair {number + 1} has the same right side as pair {seen[right] + 1} "
                    f"('{right}'); right sides must be distinct",
                    "pairs",
                    number,
                )
            seen.setdefault(right, number)
        return {"pairs": tuple(pairs)}

    def fields_data(self) -> dict[str, Any]:
        """`pairs` as lists of two texts."""
        return {"pairs": [[left, right] for left, right in self.pairs]}

    def order_size(self) -> int:
        """One entry per right-hand item."""
        return len(self.pairs)

    def shuffle(self, rng: random.Random) -> tuple[int, ...]:
        """Right-hand choices in random order."""
        return _shuffled(len(self.pairs), rng)

    def present_parts(self, order: tuple[int, ...]) -> dict[str, tuple[Choice, ...]]:
        """Left items in file order, right-hand choices shuffled."""
        return {
            "lefts": tuple((i, left) for i, (left, _) in enumerate(self.pairs)),
            "choices": tuple((i, self.pairs[i][1]) for i in order),
        }

    def read(self, form: FormView, field: str, index: int) -> Response:
        """``qN-i`` = file index of the right-hand item chosen for left item i."""
        return _read_items(form, field, index, len(self.pairs), parse_index)

    def mark(self, response: Response) -> Marking:
        """Fraction of left items matched to their own right side."""
        size = len(self.pairs)
        choices = _item_choices(response, size, 0, size - 1)
        if all(choice is None for choice in choices):
            return Marking(0.0)
        answered = []
        wrong = []
        for i, choice in enumerate(choices):
            left = self.pairs[i][0]
            right = self.pairs[choice][1] if choice is not None else "—"
            answered.append(f"{left} → {right}")
            if choice is not None and choice != i:
                wrong.append((("pair", i, choice), f"{left} → {right}"))
        right_count = sum(1 for i, choice in enumerate(choices) if choice == i)
        return Marking(right_count / size, tuple(answered), (), tuple(wrong))

    def key(self) -> AnswerKey:
        """Every pair as ``left → right``."""
        return AnswerKey(tuple(f"{left} → {right}" for left, right in self.pairs))

    def key_form(self, field: str) -> dict[str, list[str]]:
        """Each left item matched to its own index."""
        return {f"{field}-{i}": [str(i)] for i in range(len(self.pairs))}


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put the items in order; credit per item in its right place."""

    kind: ClassVar[str] = "ordering"
    kind_keys: ClassVar[tuple[str, ...]] = ("items",)
    items: tuple[str, ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """At least two distinct items, in the correct order."""
        items = _read_texts(check.sequence(data, "items", minimum=2), check, "items", "item")
        seen: dict[str, int] = {}
        for number, item in enumerate(items):
            if item in seen:
                check.error(
                    f"item {number + 1} repeats item {seen[item] + 1} ('{item}'); "
                    "items must be distinct",
                    "items",
                    number,
                )
            seen.setdefault(item, number)
        return {"items": tuple(items)}

    def fields_data(self) -> dict[str, Any]:
        """`items` in the correct order."""
        return {"items": list(self.items)}

    def order_size(self) -> int:
        """One entry per item."""
        return len(self.items)

    def shuffle(self, rng: random.Random) -> tuple[int, ...]:
        """Items in random order, never the correct one (there are at least two)."""
        identity = tuple(range(len(self.items)))
        for _ in range(100):
            order = _shuffled(len(self.items), rng)
            if order != identity:
                return order
        return identity[1:] + identity[:1]  # pragma: no cover - 100 identity shuffles

    def present_parts(self, order: tuple[int, ...]) -> dict[str, tuple[Choice, ...]]:
        """The items, shuffled."""
        return {"items": tuple((i, self.items[i]) for i in order)}

    def read(self, form: FormView, field: str, index: int) -> Response:
        """``qN-i`` = 1-based position given to item i."""
        return _read_items(form, field, index, len(self.items), parse_position)

    def mark(self, response: Response) -> Marking:
        """Fraction of items given their own position."""
        size = len(self.items)
        choices = _item_choices(response, size, 1, size)
        if all(choice is None for choice in choices):
            return Marking(0.0)
        placed = sorted((choice, i) for i, choice in enumerate(choices) if choice is not None)
        answered = tuple(self.items[i] for _, i in placed)
        right_count = sum(1 for i, choice in enumerate(choices) if choice == i + 1)
        wrong: tuple[tuple[Hashable, str], ...] = ()
        if right_count < size:
            wrong = ((("order", tuple(choices)), " → ".join(answered)),)
        return Marking(right_count / size, answered, (), wrong)

    def key(self) -> AnswerKey:
        """The items in order."""
        return AnswerKey(self.items)

    def key_form(self, field: str) -> dict[str, list[str]]:
        """Each item given its own position."""
        return {f"{field}-{i}": [str(i + 1)] for i in range(len(self.items))}


# -- typed kinds -------------------------------------------------------------------


def _best(weights: Sequence[tuple[float, str]]) -> tuple[float, str]:
    return max(weights, key=lambda pair: pair[0], default=(0.0, ""))


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    """Type the answer; compared ignoring case, width and all whitespace."""

    kind: ClassVar[str] = "short_answer"
    kind_keys: ClassVar[tuple[str, ...]] = ("answers",)
    answers: tuple[TextAnswer, ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """Accepted answers: texts, or {text, weight (0..100, default 100), feedback}."""
        answers = []
        for number, item in enumerate(check.sequence(data, "answers", minimum=1)):
            entry = check.child(("answers", number), f"{check.label}, answer {number + 1}")
            if isinstance(item, Mapping):
                entry.keys(item, ("text", "weight", "feedback"))
                text = entry.text(item, "text", required=True)
                weight = entry.number(item, "weight", default=100.0, low=0, high=100)
                feedback = entry.text(item, "feedback", required=False)
            else:
                plain = as_text(item)
                if plain is None:
                    entry.error(
                        f"must be text or a mapping with text, not {describe(item, text=True)}"
                    )
                    continue
                text, weight, feedback = plain, 100.0, ""
            if not normalise_answer(text):
                if text or not isinstance(item, Mapping):
                    entry.error("must contain something besides spaces")
                continue
            if weight is not None:
                answers.append(TextAnswer(text, weight, feedback))
        if answers and not any(answer.weight == 100 for answer in answers):
            check.error("short-answer question needs an answer with weight 100", "answers")
        return {"answers": tuple(answers)}

    def fields_data(self) -> dict[str, Any]:
        """Plain texts for full-credit answers without feedback, mappings otherwise."""
        answers: list[Any] = []
        for answer in self.answers:
            if answer.weight == 100 and not answer.feedback:
                answers.append(answer.text)
                continue
            entry: dict[str, Any] = {"text": answer.text}
            if answer.weight != 100:
                entry["weight"] = number_data(answer.weight)
            if answer.feedback:
                entry["feedback"] = answer.feedback
            answers.append(entry)
        return {"answers": answers}

    def read(self, form: FormView, field: str, index: int) -> Response:
        """The typed text."""
        text = typed_text(form.values(field))
        if not text:
            return Response(index, MISSING, note=NOTE_NO_ANSWER)
        return Response(index, ANSWERED, text=text)

    def mark(self, response: Response) -> Marking:
        """The best weight among the answers that match the normalised text."""
        if response.status != ANSWERED or not response.text:
            return Marking(0.0)
        typed = normalise_answer(response.text)
        weight, feedback = _best(
            [(a.weight, a.feedback) for a in self.answers if normalise_answer(a.text) == typed]
        )
        wrong = ((("text", typed), response.text),) if weight < 100 else ()
        return Marking(_fraction(weight / 100), (response.text,), _nonempty(feedback), wrong)

    def key(self) -> AnswerKey:
        """The full-credit answers."""
        right = [answer for answer in self.answers if answer.weight == 100]
        return AnswerKey(tuple(a.text for a in right), _nonempty(*(a.feedback for a in right)))

    def key_form(self, field: str) -> dict[str, list[str]]:
        """The first full-credit answer."""
        return {field: [next(a.text for a in self.answers if a.weight == 100)]}


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """Type a number; accepted within a tolerance or a range, best weight wins."""

    kind: ClassVar[str] = "numeric"
    kind_keys: ClassVar[tuple[str, ...]] = ("answer", "tolerance", "answers")
    answers: tuple[NumericAnswer, ...]

    @classmethod
    def parse_fields(cls, data: Mapping[Any, Any], check: Checker) -> dict[str, Any]:
        """`answer` with `tolerance`, or `answers` of {answer, tolerance} / {min, max}."""
        has_one = data.get("answer") is not None
        has_many = data.get("answers") is not None
        if has_one and has_many:
            check.error("give either answer (with tolerance) or answers, not both")
            return {"answers": ()}
        if has_one:
            value = check.number(data, "answer", required=True)
            tolerance = check.number(data, "tolerance", default=0.0, low=0)
            if value is None or tolerance is None:
                return {"answers": ()}
            return {"answers": (NumericAnswer(value=value, tolerance=tolerance),)}
        if not has_many:
            check.error("numeric question needs answer (with optional tolerance) or answers")
            return {"answers": ()}
        if data.get("tolerance") is not None:
            check.error("tolerance goes with answer; give each of answers its own", "tolerance")
        answers = []
        for number, item in enumerate(check.sequence(data, "answers", minimum=1)):
            entry = check.child(("answers", number), f"{check.label}, answer {number + 1}")
            mapping = entry.mapping(item, "with answer and tolerance, or min and max")
            if mapping is None:
                continue
            parsed = _numeric_answer(mapping, entry)
            if parsed is not None:
                answers.append(parsed)
        if answers and not any(answer.weight == 100 for answer in answers):
            check.error("numeric question needs an answer with weight 100", "answers")
        return {"answers": tuple(answers)}

    def fields_data(self) -> dict[str, Any]:
        """The short `answer`/`tolerance` form when it says everything, else `answers`."""
        only = self.answers[0] if len(self.answers) == 1 else None
        if only and only.value is not None and only.weight == 100 and not only.feedback:
            data: dict[str, Any] = {"answer": number_data(only.value)}
            if only.tolerance:
                data["tolerance"] = number_data(only.tolerance)
            return data
        answers = []
        for answer in self.answers:
            entry: dict[str, Any]
            if answer.value is not None:
                entry = {"answer": number_data(answer.value)}
                if answer.tolerance:
                    entry["tolerance"] = number_data(answer.tolerance)
            else:
                entry = {
                    "min": number_data(answer.minimum or 0.0),
                    "max": number_data(answer.maximum or 0.0),
                }
            if answer.weight != 100:
                entry["weight"] = number_data(answer.weight)
            if answer.feedback:
                entry["feedback"] = answer.feedback
            answers.append(entry)
        return {"answers": answers}

    def read(self, form: FormView, field: str, index: int) -> Response:
        """The typed number (kept as typed; malformed if it is not a number)."""
        text = typed_text(form.values(field))
        if not text:
            return Response(index, MISSING, note=NOTE_NO_ANSWER)
        if parse_number(text) is None:
            return Response(index, MALFORMED, text=text, note=NOTE_NOT_A_NUMBER)
        return Response(index, ANSWERED, text=text)

    def mark(self, response: Response) -> Marking:
        """The best weight among the answers that accept the number."""
        number = parse_number(response.text) if response.status == ANSWERED else None
        if number is None:
            return Marking(0.0, _nonempty(response.text))
        weight, feedback = _best(
            [(a.weight, a.feedback) for a in self.answers if a.accepts(number)]
        )
        wrong = ((("number", number), number_text(number)),) if weight < 100 else ()
        return Marking(_fraction(weight / 100), (response.text,), _nonempty(feedback), wrong)

    def key(self) -> AnswerKey:
        """The full-credit answers, as ``3.5 ± 0.5`` or ``1 – 2``."""
        right = [answer for answer in self.answers if answer.weight == 100]
        return AnswerKey(
            tuple(a.describe() for a in right), _nonempty(*(a.feedback for a in right))
        )

    def key_form(self, field: str) -> dict[str, list[str]]:
        """A number the first full-credit answer accepts."""
        answer = next(a for a in self.answers if a.weight == 100)
        return {field: [repr(answer.sample())]}


def _numeric_answer(mapping: Mapping[Any, Any], entry: Checker) -> NumericAnswer | None:
    entry.keys(mapping, ("answer", "tolerance", "min", "max", "weight", "feedback"))
    weight = entry.number(mapping, "weight", default=100.0, low=0, high=100)
    feedback = entry.text(mapping, "feedback", required=False)
    has_range = mapping.get("min") is not None or mapping.get("max") is not None
    if mapping.get("answer") is not None:
        if has_range:
            entry.error("give either answer (with tolerance) or min and max, not both")
            return None
        value = entry.number(mapping, "answer", required=True)
        tolerance = entry.number(mapping, "tolerance", default=0.0, low=0)
        if value is None or tolerance is None or weight is None:
            return None
        return NumericAnswer(value=value, tolerance=tolerance, weight=weight, feedback=feedback)
    if not has_range:
        entry.error("needs answer (with optional tolerance) or min and max")
        return None
    if mapping.get("tolerance") is not None:
        entry.error("tolerance goes with answer, not with min and max", "tolerance")
    low = entry.number(mapping, "min", required=True)
    high = entry.number(mapping, "max", required=True)
    if low is None or high is None or weight is None:
        return None
    if low > high:
        entry.error(f"min ({number_text(low)}) is more than max ({number_text(high)})", "min")
        return None
    return NumericAnswer(minimum=low, maximum=high, weight=weight, feedback=feedback)


#: Every kind by its name in the quiz file.
QUESTION_KINDS: Final[dict[str, type[Question]]] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "true_false": TrueFalse,
    "matching": Matching,
    "ordering": Ordering,
    "short_answer": ShortAnswer,
    "numeric": Numeric,
}


def parse_question(
    data: object, path: Path, number: int
) -> tuple[Question | None, list[PathProblem]]:
    """Validate one question's data; `number` (1-based) names it in messages."""
    problems: list[PathProblem] = []
    check = Checker(problems, path, f"question {number}")
    mapping = check.mapping(data, "with kind and prompt")
    if mapping is None:
        return None, problems
    kind = mapping.get("kind")
    names = ", ".join(QUESTION_KINDS)
    if kind is None:
        check.error(f"kind is required (one of {names})")
        return None, problems
    if not isinstance(kind, str) or kind not in QUESTION_KINDS:
        shown = f"'{kind}'" if isinstance(kind, str) else describe(kind)
        check.error(f"kind {shown} is not one of {names}", "kind")
        return None, problems
    cls = QUESTION_KINDS[kind]
    check.keys(mapping, COMMON_KEYS + cls.kind_keys)
    prompt = check.text(mapping, "prompt", required=True)
    title = check.text(mapping, "title", required=False)
    feedback = check.text(mapping, "feedback", required=False)
    points = check.number(mapping, "points", default=1.0, above=0)
    fields = cls.parse_fields(mapping, check)
    if problems or points is None:
        return None, problems
    question = cls(prompt=prompt, title=title, points=points, feedback=feedback, **fields)
    return question, problems
