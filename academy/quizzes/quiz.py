"""A module's quiz: its questions and the rules of an attempt (pass mark, draw, retries).

`parse_quiz` validates the ``quiz:`` block of a module's front matter into a
`Quiz` plus problems located by path; `Quiz.to_data` gives back data that
`parse_quiz` reads to an equal quiz (the web layer stores it as JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from academy.sourcemap import Path, PathProblem

from .kinds import Question, parse_question
from .text import number_data
from .validation import Checker

QUIZ_KEYS: Final = ("pass_mark", "draw", "max_attempts", "retry_after_minutes", "questions")


class QuizError(ValueError):
    """Quiz data that cannot be used: an invalid quiz, or a paper, answers or result
    that do not fit it. `problems` carries the details when there are several."""

    def __init__(self, message: str, problems: Sequence[PathProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Quiz:
    """A validated quiz. `questions` keep their file order (question N is index N-1)."""

    pass_mark: float
    questions: tuple[Question, ...]
    draw: int | None = None
    max_attempts: int | None = None
    retry_after_minutes: int | None = None

    def to_data(self) -> dict[str, Any]:
        """YAML/JSON-able data that `parse_quiz` reads back to an equal quiz."""
        data: dict[str, Any] = {"pass_mark": number_data(self.pass_mark)}
        if self.draw is not None:
            data["draw"] = self.draw
        if self.max_attempts is not None:
            data["max_attempts"] = self.max_attempts
        if self.retry_after_minutes is not None:
            data["retry_after_minutes"] = self.retry_after_minutes
        data["questions"] = [question.to_data() for question in self.questions]
        return data

    @classmethod
    def from_data(cls, data: object) -> Quiz:
        """Read stored quiz data; raises `QuizError` (with the problems) if it is invalid."""
        quiz, problems = parse_quiz(data)
        if quiz is None:
            first = problems[0].message if problems else "invalid quiz"
            raise QuizError(f"stored quiz is invalid: {first}", problems)
        return quiz


def parse_quiz(data: object, path: Path = ("quiz",)) -> tuple[Quiz | None, list[PathProblem]]:
    """Validate a ``quiz:`` block; the quiz is None when there is any problem."""
    problems: list[PathProblem] = []
    check = Checker(problems, path, "quiz")
    mapping = check.mapping(data, "with pass_mark and questions")
    if mapping is None:
        return None, problems
    check.keys(mapping, QUIZ_KEYS)
    pass_mark = check.number(mapping, "pass_mark", required=True, low=0, high=100)
    draw = check.number(mapping, "draw", integer=True, low=1)
    max_attempts = check.number(mapping, "max_attempts", integer=True, low=1)
    retry = check.number(mapping, "retry_after_minutes", integer=True, low=0)
    questions: list[Question] = []
    for number, item in enumerate(check.sequence(mapping, "questions", minimum=1)):
        question, found = parse_question(item, (*path, "questions", number), number + 1)
        problems.extend(found)
        if question is not None:
            questions.append(question)
    raw_questions = mapping.get("questions")
    count = len(raw_questions) if isinstance(raw_questions, list) else 0
    if draw is not None and count and draw > count:
        check.error(f"draw ({int(draw)}) is more than the number of questions ({count})", "draw")
    if problems or pass_mark is None:
        return None, problems
    quiz = Quiz(
        pass_mark=pass_mark,
        questions=tuple(questions),
        draw=_whole(draw),
        max_attempts=_whole(max_attempts),
        retry_after_minutes=_whole(retry),
    )
    return quiz, problems


@dataclass(frozen=True)
class AttemptGate:
    """Whether a learner may start an attempt now, and if not, why and until when.

    `reason` is ``""`` when allowed, ``"max_attempts"`` or ``"retry_after"``.
    """

    allowed: bool
    reason: str = ""
    attempts_left: int | None = None
    retry_at: datetime | None = None


def attempt_gate(quiz: Quiz, finished_at: Sequence[datetime], now: datetime) -> AttemptGate:
    """Apply `max_attempts` and `retry_after_minutes` to the learner's finished attempts."""
    left = None if quiz.max_attempts is None else max(0, quiz.max_attempts - len(finished_at))
    if left == 0:
        return AttemptGate(False, "max_attempts", 0)
    if quiz.retry_after_minutes and finished_at:
        retry_at = max(finished_at) + timedelta(minutes=quiz.retry_after_minutes)
        if now < retry_at:
            return AttemptGate(False, "retry_after", left, retry_at)
    return AttemptGate(True, "", left)


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)
