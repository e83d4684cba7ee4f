"""Assessment quality of a quiz: clues a test-wise person uses instead of the lesson.

Pure functions over a validated `Quiz` (and its lesson's text), returning
warnings located by path into the module's front matter (``("quiz",
"questions", 3, "options", 1)``). The rules follow ``ASSESSMENT.md`` and are
documented, with thresholds and fixes, in ``docs/authoring.md``:

* **length clue** — across the quiz, the keyed option is the longest (or the
  shortest) option more often than random key placement gives: a one-sided
  test on the number of such items (a Poisson-binomial distribution, one
  success chance per item: `chance_keyed`); warned when p < threshold over at
  least `min_items` choice items;
* **all but one correct** — a "choose all that apply" item where every option,
  or every option but one, is correct; the share of correct options outside a
  third … two thirds; the same number of correct options in every item;
* **caricature options** — a wrong option with a tell-tale phrase
  ("这不是我的事"), or any option far shorter than the others of its item;
* **recall items** — ``numeric`` and ``short_answer`` questions, true/false on a
  number, a key that is a number, or a key that is a short phrase copied
  verbatim from the lesson;
* **bank and feedback** — fewer questions than a bank needs, no ``draw``, an
  option without feedback.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

from academy.sourcemap import Path, PathProblem

from .kinds import MultipleChoice, Numeric, Option, Question, ShortAnswer, SingleChoice, TrueFalse
from .quiz import Quiz

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_`~#>\[\]]")
_NUMERAL = "0-9０-９零〇一二两三四五六七八九十百千万"
#: A key that is just a number with at most a short unit: "24小时", "7 天", "第二十八条", "3".
NUMBER_KEY = re.compile(rf"^[约第]?\s*[{_NUMERAL}.．]+\s*[^\s{_NUMERAL}]{{0,4}}$")
_HAS_NUMBER = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class QuizSettings:
    """Thresholds of the quiz rules (see ``courses/quality.yaml`` for each)."""

    p_threshold: float = 0.05
    min_items: int = 4
    short_option_ratio: float = 0.4
    short_option_min_median: int = 6
    recall_max_chars: int = 12
    multiple_correct_min: float = 0.333
    multiple_correct_max: float = 0.667
    min_questions: int = 15


def format_p(p_value: float) -> str:
    """A p-value as the warnings print it: 0.0324, or 3.1e-05 when tiny."""
    return f"{p_value:.1e}" if p_value < 0.0001 else f"{p_value:.4f}"


def text_length(text: str) -> int:
    """Characters of an option, without whitespace (a Han character counts 1)."""
    return len(_SPACE.sub("", text))


def chance_keyed(options: int, keyed: int, marked: int) -> float:
    """Chance that at least one of `marked` options is keyed when `keyed` of `options`
    options are keyed at random: ``1 - C(n - m, k) / C(n, k)``."""
    if options <= 0 or keyed <= 0 or marked <= 0:
        return 0.0
    if keyed > options or marked >= options:
        return 1.0
    return 1.0 - comb(options - marked, keyed) / comb(options, keyed)


def tail_probability(chances: Sequence[float], hits: int) -> float:
    """P(X >= hits) where X is the number of successes of independent trials with
    these success chances (the Poisson-binomial distribution; exact)."""
    distribution = [1.0]
    for chance in chances:
        nxt = [0.0] * (len(distribution) + 1)
        for count, weight in enumerate(distribution):
            nxt[count] += weight * (1.0 - chance)
            nxt[count + 1] += weight * chance
        distribution = nxt
    return min(1.0, max(0.0, sum(distribution[max(0, hits) :])))


def _is_keyed(question: Question, option: Option) -> bool:
    if isinstance(question, SingleChoice):
        return option.credit >= 100
    return option.credit > 0


@dataclass(frozen=True)
class LengthClue:
    """How often the keyed option is the longest (or shortest) across a quiz."""

    direction: str  # "longest" | "shortest"
    hits: tuple[int, ...]  # question indexes where it is
    items: int  # choice items counted
    expected: float  # what random key placement gives on average
    p_value: float

    def describe(self) -> str:
        """The counts, the chance and the p-value in one phrase."""
        numbers = ", ".join(str(i + 1) for i in self.hits)
        return (
            f"the keyed option is the {self.direction} option in {len(self.hits)} of"
            f" {self.items} choice items (questions {numbers or 'none'}); chance"
            f" {self.expected:.1f} of {self.items}, p={format_p(self.p_value)}"
        )


def length_clue(questions: Sequence[Question], direction: str) -> LengthClue:
    """Count the items whose longest (``direction="longest"``) or shortest option is keyed.

    An item counts when it is single or multiple choice with at least 2 options;
    tied options all count as the longest, and the item's chance is that at
    least one of them is keyed at random (`chance_keyed`).
    """
    hits: list[int] = []
    chances: list[float] = []
    for index, question in enumerate(questions):
        if not isinstance(question, SingleChoice | MultipleChoice) or len(question.options) < 2:
            continue
        lengths = [text_length(option.text) for option in question.options]
        target = max(lengths) if direction == "longest" else min(lengths)
        marked = [i for i, length in enumerate(lengths) if length == target]
        keyed = [i for i, o in enumerate(question.options) if _is_keyed(question, o)]
        if not keyed:
            continue
        chances.append(chance_keyed(len(lengths), len(keyed), len(marked)))
        if set(marked) & set(keyed):
            hits.append(index)
    return LengthClue(
        direction,
        tuple(hits),
        len(chances),
        sum(chances),
        tail_probability(chances, len(hits)),
    )


def _question_path(base: Path, index: int) -> Path:
    return (*base, "questions", index)


def _option_path(base: Path, index: int, option: int) -> Path:
    return (*base, "questions", index, "options", option)


def _clean(text: str) -> str:
    return _SPACE.sub("", _MARKUP.sub("", text))


def length_problems(quiz: Quiz, settings: QuizSettings, base: Path) -> list[PathProblem]:
    """Warnings for a key that is the longest or shortest option more often than chance."""
    problems: list[PathProblem] = []
    for direction in ("longest", "shortest"):
        clue = length_clue(quiz.questions, direction)
        if clue.items < settings.min_items or clue.p_value >= settings.p_threshold:
            continue
        problems.append(
            PathProblem(
                (*base, "questions"),
                f"length clue: {clue.describe()} (warned when p < {settings.p_threshold:g}"
                f" over at least {settings.min_items} items): a test-wise learner picks the"
                f" {direction} option and passes; write the distractors first, then bring the"
                " key to their length",
                "warning",
            )
        )
    return problems


def pooled_length_problems(
    quizzes: Sequence[tuple[str, Quiz]], settings: QuizSettings, what: str
) -> list[str]:
    """Length clues over several quizzes taken together (e.g. a discipline's modules).

    A few choice items per quiz cannot reach significance on their own; pooled
    they can ("the key is the longest in 35 of 36 items"). Returns messages.
    """
    messages: list[str] = []
    questions: list[Question] = []
    owners: list[str] = []
    for key, quiz in quizzes:
        for number, question in enumerate(quiz.questions):
            questions.append(question)
            owners.append(f"{key} #{number + 1}")
    for direction in ("longest", "shortest"):
        clue = length_clue(questions, direction)
        if clue.items < settings.min_items or clue.p_value >= settings.p_threshold:
            continue
        shown = ", ".join(owners[i] for i in clue.hits[:12])
        more = f" and {len(clue.hits) - 12} more" if len(clue.hits) > 12 else ""
        messages.append(
            f"length clue across {what} ({len(quizzes)} quizzes): the keyed option is the"
            f" {direction} option in {len(clue.hits)} of {clue.items} choice items ({shown}"
            f"{more}); chance {clue.expected:.1f} of {clue.items},"
            f" p={format_p(clue.p_value)} (warned when p < {settings.p_threshold:g} over at"
            f" least {settings.min_items} items):"
            " write the distractors first, then bring the key to their length"
        )
    return messages


def multiple_problems(quiz: Quiz, settings: QuizSettings, base: Path) -> list[PathProblem]:
    """Warnings for choose-all items: all (but one) correct, share out of range, same count."""
    problems: list[PathProblem] = []
    counts: list[int] = []
    for index, question in enumerate(quiz.questions):
        if not isinstance(question, MultipleChoice):
            continue
        n = len(question.options)
        k = sum(1 for option in question.options if option.credit > 0)
        counts.append(k)
        path = _question_path(base, index)
        share = k / n if n else 0.0
        if n >= 2 and k == n:
            message = f"every option is correct ({k} of {n}): choosing all passes"
        elif n >= 3 and k == n - 1:
            message = (
                f"all options but one are correct ({k} of {n}): ticking everything scores"
                " almost full marks"
            )
        elif not settings.multiple_correct_min <= share <= settings.multiple_correct_max:
            message = (
                f"{k} of {n} options are correct ({share:.0%}); keep between a third and two thirds"
            )
        else:
            continue
        problems.append(
            PathProblem(
                path,
                f"choose-all item, question {index + 1}: {message}; make some options"
                " tempting half-right mistakes instead",
                "warning",
            )
        )
    if len(counts) >= 3 and len(set(counts)) == 1:
        problems.append(
            PathProblem(
                (*base, "questions"),
                f"all {len(counts)} choose-all items have exactly {counts[0]} correct options:"
                " vary the number so it is no clue",
                "warning",
            )
        )
    return problems


def caricature_problems(
    quiz: Quiz, settings: QuizSettings, phrases: Sequence[str], base: Path
) -> list[PathProblem]:
    """Warnings for tell-tale phrases in wrong options and options far shorter than the rest."""
    problems: list[PathProblem] = []
    for index, question in enumerate(quiz.questions):
        if not isinstance(question, SingleChoice | MultipleChoice):
            continue
        lengths = [text_length(o.text) for o in question.options]
        for number, option in enumerate(question.options):
            path = _option_path(base, index, number)
            if not _is_keyed(question, option):
                found = [p for p in phrases if p in option.text]
                if found:
                    problems.append(
                        PathProblem(
                            path,
                            f"caricature option, question {index + 1} option {number + 1}:"
                            f" '{found[0]}' is a tell-tale phrase nobody would pick; write"
                            " what a real colleague gets wrong (a half-right answer, the"
                            " right action in the wrong order)",
                            "warning",
                        )
                    )
                    continue
            others = lengths[:number] + lengths[number + 1 :]
            if len(others) < 2:
                continue
            median = statistics.median(others)
            if median < settings.short_option_min_median:
                continue
            if lengths[number] < settings.short_option_ratio * median:
                role = "the key" if _is_keyed(question, option) else "a distractor"
                problems.append(
                    PathProblem(
                        path,
                        f"option far shorter than the rest, question {index + 1} option"
                        f" {number + 1} ({role}): {lengths[number]} characters,"
                        f" {lengths[number] / median:.0%} of the median {median:g} of the"
                        f" others (warned below {settings.short_option_ratio:.0%}); bring it"
                        " to the others' length and detail",
                        "warning",
                    )
                )
    return problems


def _number_in(text: str) -> bool:
    return bool(_HAS_NUMBER.search(text)) or bool(
        re.search(r"[一二两三四五六七八九十百]\s*(?:小时|天|日|分钟|声|个工作日|周|年|月|条)", text)
    )


def recall_problems(quiz: Quiz, body: str, settings: QuizSettings, base: Path) -> list[PathProblem]:
    """Warnings for items that test recall of a number or a word instead of a decision."""
    problems: list[PathProblem] = []
    lesson = _clean(body)

    def add(index: int, message: str, path: Path | None = None) -> None:
        problems.append(
            PathProblem(
                path or _question_path(base, index),
                f"recall item, question {index + 1}: {message}; put the learner in a"
                " situation and ask what to do (ASSESSMENT.md: test a decision, not a word)",
                "warning",
            )
        )

    for index, question in enumerate(quiz.questions):
        if isinstance(question, Numeric):
            add(index, "kind numeric asks for a number from memory")
        elif isinstance(question, ShortAnswer):
            add(index, "kind short_answer asks for a word from memory")
        elif isinstance(question, TrueFalse):
            if _number_in(question.prompt):
                add(index, "a true/false statement about a number")
        elif isinstance(question, SingleChoice | MultipleChoice):
            keys = [(n, o) for n, o in enumerate(question.options) if _is_keyed(question, o)]
            if not keys:
                continue
            if all(NUMBER_KEY.match(_SPACE.sub("", o.text)) for _, o in keys):
                shown = " / ".join(o.text for _, o in keys)
                add(index, f"the answer is a number ('{shown}')")
                continue
            copied = [
                (n, o)
                for n, o in keys
                if 2 <= text_length(_clean(o.text)) <= settings.recall_max_chars
                and _clean(o.text) in lesson
            ]
            if copied and len(copied) == len(keys):
                shown = " / ".join(o.text for _, o in copied)
                add(
                    index,
                    f"the answer '{shown}' is a word or phrase copied verbatim from the lesson"
                    f" (keys of at most {settings.recall_max_chars} characters found in the"
                    " lesson text)",
                    _option_path(base, index, copied[0][0]),
                )
    return problems


def bank_problems(quiz: Quiz, settings: QuizSettings, base: Path) -> list[PathProblem]:
    """Warnings for a small bank, no draw, and options without feedback."""
    problems: list[PathProblem] = []
    count = len(quiz.questions)
    if count < settings.min_questions:
        problems.append(
            PathProblem(
                (*base, "questions"),
                f"a bank, not a sheet: {count} questions, at least {settings.min_questions}"
                " are needed so a retake or refresher does not show the same questions",
                "warning",
            )
        )
    if quiz.draw is None and count >= settings.min_questions:
        problems.append(
            PathProblem(
                base,
                f"no 'draw': every attempt shows all {count} questions; draw part of the bank"
                " (draw: 10)",
                "warning",
            )
        )
    for index, question in enumerate(quiz.questions):
        missing: list[str] = []
        if isinstance(question, SingleChoice | MultipleChoice):
            missing = [str(n + 1) for n, o in enumerate(question.options) if not o.feedback]
            what = "option"
        elif isinstance(question, TrueFalse):
            if not (question.feedback_true and question.feedback_false) and not question.feedback:
                missing = ["true/false"]
            what = "answer"
        if missing:
            problems.append(
                PathProblem(
                    _question_path(base, index),
                    f"question {index + 1}: no feedback on {what} {', '.join(missing)}; say"
                    " why in one or two sentences and point to the lesson section",
                    "warning",
                )
            )
    return problems


def quiz_problems(
    quiz: Quiz,
    body: str,
    settings: QuizSettings,
    phrases: Sequence[str] = (),
    base: Path = ("quiz",),
) -> list[PathProblem]:
    """Every assessment-quality warning of a quiz (paths start at `base`)."""
    return [
        *bank_problems(quiz, settings, base),
        *length_problems(quiz, settings, base),
        *multiple_problems(quiz, settings, base),
        *caricature_problems(quiz, settings, phrases, base),
        *recall_problems(quiz, body, settings, base),
    ]


__all__ = [
    "LengthClue",
    "QuizSettings",
    "chance_keyed",
    "length_clue",
    "pooled_length_problems",
    "quiz_problems",
    "tail_probability",
    "text_length",
]
