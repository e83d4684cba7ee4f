"""Grading an attempt and the per-question statistics trainers teach from.

`grade` is a pure function of quiz, paper and answers. Each question earns
``points × fraction``; the score is earned over possible points in percent,
rounded to 2 decimals, and the attempt passes when that rounded score is at
least the pass mark. `question_stats` aggregates many graded attempts into how
often each question is answered and answered right, and the wrong answer
chosen most: the misconception to teach against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .answers import Answers
from .paper import Paper, check_paper, paper_fits
from .quiz import Quiz, QuizError
from .responses import MISSING, NOTE_NO_ANSWER, STATUSES, Response
from .text import number_data

# Float sums like 1/3 + 1/3 + 1/3 must still count as full credit.
_FULL = 1 - 1e-9


@dataclass(frozen=True)
class QuestionResult:
    """How one question went, with everything the result page shows.

    `answered` is what the learner answered (lines of text), `answered_feedback`
    the feedback written for what they chose, `correct_answer` and
    `correct_feedback` the key and its feedback, `general_feedback` the
    question's own feedback; `status` is answered/partial/missing/malformed
    and `note` says what was wrong with a missing or malformed answer.
    """

    number: int
    kind: str
    prompt: str
    title: str
    points: float
    earned: float
    fraction: float
    correct: bool
    status: str
    note: str = ""
    answered: tuple[str, ...] = ()
    answered_feedback: tuple[str, ...] = ()
    correct_answer: tuple[str, ...] = ()
    correct_feedback: tuple[str, ...] = ()
    general_feedback: str = ""

    def to_data(self) -> dict[str, Any]:
        """JSON-able data; `QuestionResult.from_data` reads it back."""
        return {
            "number": self.number,
            "kind": self.kind,
            "prompt": self.prompt,
            "title": self.title,
            "points": number_data(self.points),
            "earned": self.earned,
            "fraction": self.fraction,
            "correct": self.correct,
            "status": self.status,
            "note": self.note,
            "answered": list(self.answered),
            "answered_feedback": list(self.answered_feedback),
            "correct_answer": list(self.correct_answer),
            "correct_feedback": list(self.correct_feedback),
            "general_feedback": self.general_feedback,
        }

    @classmethod
    def from_data(cls, data: object) -> QuestionResult:
        """Read `to_data` output back; raises `QuizError` on anything else."""
        if not isinstance(data, Mapping):
            raise QuizError("a stored question result must be a mapping")
        try:
            result = cls(
                number=_int(data["number"]),
                kind=_str(data["kind"]),
                prompt=_str(data["prompt"]),
                title=_str(data["title"]),
                points=_float(data["points"]),
                earned=_float(data["earned"]),
                fraction=_float(data["fraction"]),
                correct=_bool(data["correct"]),
                status=_str(data["status"]),
                note=_str(data["note"]),
                answered=_strs(data["answered"]),
                answered_feedback=_strs(data["answered_feedback"]),
                correct_answer=_strs(data["correct_answer"]),
                correct_feedback=_strs(data["correct_feedback"]),
                general_feedback=_str(data["general_feedback"]),
            )
        except (KeyError, TypeError) as exc:
            raise QuizError(f"stored question result is invalid: {exc}") from None
        if result.status not in STATUSES:
            raise QuizError(f"stored question result has unknown status {result.status!r}")
        return result


@dataclass(frozen=True)
class Result:
    """A graded attempt: score 0..100 (2 decimals), passed, and each question's result."""

    score: float
    passed: bool
    pass_mark: float
    points: float
    earned: float
    questions: tuple[QuestionResult, ...]

    def to_data(self) -> dict[str, Any]:
        """JSON-able data; `Result.from_data` reads it back."""
        return {
            "score": self.score,
            "passed": self.passed,
            "pass_mark": number_data(self.pass_mark),
            "points": number_data(self.points),
            "earned": self.earned,
            "questions": [question.to_data() for question in self.questions],
        }

    @classmethod
    def from_data(cls, data: object) -> Result:
        """Read `to_data` output back; raises `QuizError` on anything else."""
        if not isinstance(data, Mapping) or not isinstance(data.get("questions"), list):
            raise QuizError("a stored result must be a mapping with a list of questions")
        try:
            return cls(
                score=_float(data["score"]),
                passed=_bool(data["passed"]),
                pass_mark=_float(data["pass_mark"]),
                points=_float(data["points"]),
                earned=_float(data["earned"]),
                questions=tuple(QuestionResult.from_data(q) for q in data["questions"]),
            )
        except (KeyError, TypeError) as exc:
            raise QuizError(f"stored result is invalid: {exc}") from None


def grade(quiz: Quiz, paper: Paper, answers: Answers) -> Result:
    """Grade the questions on the paper; answers to other questions are ignored."""
    check_paper(quiz, paper)
    results = []
    for item in paper.items:
        question = quiz.questions[item.index]
        response = _response(answers, item.index)
        marking = question.mark(response)
        key = question.key()
        fraction = min(1.0, max(0.0, marking.fraction))
        results.append(
            QuestionResult(
                number=item.index + 1,
                kind=question.kind,
                prompt=question.prompt,
                title=question.title,
                points=question.points,
                earned=question.points * fraction,
                fraction=fraction,
                correct=fraction >= _FULL,
                status=response.status,
                note=response.note,
                answered=marking.answered,
                answered_feedback=marking.answered_feedback,
                correct_answer=key.answer,
                correct_feedback=key.feedback,
                general_feedback=question.feedback,
            )
        )
    possible = sum(result.points for result in results)
    earned = sum(result.earned for result in results)
    score = min(100.0, max(0.0, round(100 * earned / possible, 2)))
    return Result(
        score=score,
        passed=score >= quiz.pass_mark,
        pass_mark=quiz.pass_mark,
        points=possible,
        earned=earned,
        questions=tuple(results),
    )


@dataclass(frozen=True)
class QuestionStats:
    """How one question fared over many attempts.

    `shown`: attempts whose paper had it; `answered`: of those, not missing;
    `correct`: full credit. `percent_correct` is correct over shown (a missing
    answer counts as wrong, as in grading) and `mean_percent` the average
    credit, both None when never shown. `common_wrong` lists the most chosen
    wrong answers (label, count), most frequent first; `top_wrong` and
    `top_wrong_count` are its first entry: the misconception to teach against.
    """

    number: int
    kind: str
    prompt: str
    title: str
    shown: int
    answered: int
    correct: int
    percent_correct: float | None
    mean_percent: float | None
    top_wrong: str | None
    top_wrong_count: int
    common_wrong: tuple[tuple[str, int], ...]


def question_stats(
    quiz: Quiz, graded: Iterable[tuple[Paper, Answers]], *, keep: int = 5
) -> list[QuestionStats]:
    """Per-question statistics over attempts; attempts whose paper does not fit are skipped."""
    shown = Counter[int]()
    answered = Counter[int]()
    correct = Counter[int]()
    credit: dict[int, float] = {}
    wrong: dict[int, Counter[Hashable]] = {}
    labels: dict[tuple[int, Hashable], str] = {}
    for paper, answers in graded:
        if not paper_fits(quiz, paper):
            continue
        for item in paper.items:
            question = quiz.questions[item.index]
            response = _response(answers, item.index)
            marking = question.mark(response)
            fraction = min(1.0, max(0.0, marking.fraction))
            shown[item.index] += 1
            answered[item.index] += response.status != MISSING
            correct[item.index] += fraction >= _FULL
            credit[item.index] = credit.get(item.index, 0.0) + fraction
            for key, label in marking.wrong:
                wrong.setdefault(item.index, Counter())[key] += 1
                labels.setdefault((item.index, key), label)
    stats = []
    for index, question in enumerate(quiz.questions):
        seen = shown[index]
        ranked = sorted(
            wrong.get(index, Counter()).items(),
            key=lambda entry: (-entry[1], labels[(index, entry[0])]),
        )
        common = tuple((labels[(index, key)], count) for key, count in ranked[:keep])
        stats.append(
            QuestionStats(
                number=index + 1,
                kind=question.kind,
                prompt=question.prompt,
                title=question.title,
                shown=seen,
                answered=answered[index],
                correct=correct[index],
                percent_correct=round(100 * correct[index] / seen, 2) if seen else None,
                mean_percent=round(100 * credit.get(index, 0.0) / seen, 2) if seen else None,
                top_wrong=common[0][0] if common else None,
                top_wrong_count=common[0][1] if common else 0,
                common_wrong=common,
            )
        )
    return stats


def _response(answers: Answers, index: int) -> Response:
    found = answers.get(index)
    return found if found is not None else Response(index, MISSING, note=NOTE_NO_ANSWER)


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


def _strs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list of texts, got {value!r}")
    return tuple(_str(item) for item in value)
