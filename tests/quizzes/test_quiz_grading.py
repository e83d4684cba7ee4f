"""Grading whole attempts, storing results, per-question statistics, and retry rules."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from quizzes.quiz_samples import (
    ALL_KINDS,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    ORDERING,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    quiz_of,
)

from academy.quizzes import (
    MISSING,
    Answers,
    Paper,
    PaperItem,
    QuizError,
    Response,
    Result,
    attempt_gate,
    grade,
    key_form,
    make_paper,
    question_stats,
    read_answers,
)


def _all(quiz_questions: tuple[dict, ...], **settings: object):  # type: ignore[no-untyped-def]
    quiz = quiz_of(*quiz_questions, **settings)
    return quiz, make_paper(quiz, random.Random(0))


def test_key_scores_100_and_passes() -> None:
    """Answering every question with the key scores 100 and passes."""
    quiz, paper = _all(tuple(ALL_KINDS))
    result = grade(quiz, paper, read_answers(quiz, paper, key_form(quiz, paper)))
    assert (result.score, result.passed) == (100.0, True)
    assert all(q.correct for q in result.questions)
    assert result.points == result.earned == 8


def test_empty_form_scores_0_with_notes() -> None:
    """An empty submission scores 0, every question missing with a note."""
    quiz, paper = _all(tuple(ALL_KINDS))
    result = grade(quiz, paper, read_answers(quiz, paper, {}))
    assert (result.score, result.passed) == (0.0, False)
    assert {(q.status, q.note) for q in result.questions} == {(MISSING, "no answer")}


def test_points_weight_the_questions_and_score_rounds_to_2_decimals() -> None:
    """A right 2-point question and a wrong 1-point one score 66.67."""
    quiz, paper = _all(({**SINGLE, "points": 2}, TRUE_FALSE))
    result = grade(quiz, paper, read_answers(quiz, paper, {"q1": ["1"], "q2": ["true"]}))
    assert result.score == 66.67
    assert [q.earned for q in result.questions] == [2.0, 0.0]


def test_pass_mark_is_compared_with_the_rounded_score() -> None:
    """A score equal to the pass mark passes; just below fails."""
    quiz, paper = _all((SINGLE, SINGLE, SINGLE, SINGLE, TRUE_FALSE), pass_mark=80)
    right = {f"q{n}": ["1"] for n in range(1, 5)}
    assert grade(quiz, paper, read_answers(quiz, paper, right)).passed
    assert grade(quiz, paper, read_answers(quiz, paper, right)).score == 80.0
    three = {f"q{n}": ["1"] for n in range(1, 4)}
    assert not grade(quiz, paper, read_answers(quiz, paper, three)).passed


def test_only_questions_on_the_paper_count() -> None:
    """Answers to questions not drawn are ignored; the score is over the drawn ones."""
    quiz = quiz_of(SINGLE, TRUE_FALSE, SHORT)
    paper = Paper((PaperItem(1), PaperItem(2)))
    answers = read_answers(quiz, paper, {"q1": ["1"], "q2": ["false"], "q3": ["nope"]})
    assert [r.index for r in answers.responses] == [1, 2]
    result = grade(quiz, paper, answers)
    assert ([q.number for q in result.questions], result.score) == ([2, 3], 50.0)


def test_answers_for_other_questions_in_stored_data_are_ignored() -> None:
    """Stored answers with extra or misfitting responses still grade safely."""
    quiz = quiz_of(SINGLE, MATCHING)
    paper = make_paper(quiz, random.Random(1))
    answers = Answers(
        (
            Response(0, "answered", (7,)),
            Response(1, "answered", (0, 1)),
            Response(5, "answered", (1,)),
        )
    )
    result = grade(quiz, paper, answers)
    assert [q.fraction for q in result.questions] == [0.0, 0.0]


def test_result_and_answers_round_trip_through_json() -> None:
    """Stored results and answers read back equal, to redisplay the same result."""
    quiz, paper = _all(tuple(ALL_KINDS))
    form = {"q1": ["2"], "q2": ["0", "2"], "q4-1": ["1"], "q6": ["一 访"], "q7": ["abc"]}
    answers = read_answers(quiz, paper, form)
    result = grade(quiz, paper, answers)
    assert Answers.from_data(json.loads(json.dumps(answers.to_data()))) == answers
    assert Result.from_data(json.loads(json.dumps(result.to_data()))) == result


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"questions": "x"},
        {"score": 1, "questions": []},
        {"score": "1", "passed": True, "pass_mark": 1, "points": 1, "earned": 1, "questions": []},
    ],
)
def test_result_from_bad_data_raises(data: object) -> None:
    """Stored result data of the wrong shape raises QuizError."""
    with pytest.raises(QuizError):
        Result.from_data(data)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"responses": None},
        {"responses": [{"index": 0, "status": "odd"}]},
        {"responses": [{"index": 0, "status": "answered", "choices": ["1"]}]},
    ],
)
def test_answers_from_bad_data_raises(data: object) -> None:
    """Stored answers of the wrong shape raise QuizError."""
    with pytest.raises(QuizError):
        Answers.from_data(data)


def _attempts(quiz, forms):  # type: ignore[no-untyped-def]
    for seed, form in enumerate(forms):
        paper = make_paper(quiz, random.Random(seed))
        yield paper, read_answers(quiz, paper, form)


def test_stats_find_the_most_chosen_wrong_option() -> None:
    """The misconception is the wrong option picked most, with its count."""
    quiz = quiz_of(SINGLE, MULTIPLE, TRUE_FALSE)
    forms = [
        {"q1": ["0"], "q2": ["0", "3"], "q3": ["true"]},
        {"q1": ["0"], "q2": ["3"], "q3": ["true"]},
        {"q1": ["2"], "q2": ["0", "1"], "q3": ["false"]},
        {"q1": ["1"], "q2": ["2"]},
    ]
    single, multiple, true_false = question_stats(quiz, _attempts(quiz, forms))
    assert (single.shown, single.answered, single.correct, single.percent_correct) == (
        4,
        4,
        1,
        25.0,
    )
    assert (single.top_wrong, single.top_wrong_count) == ("Wait until they speak", 2)
    assert single.common_wrong == (("Wait until they speak", 2), ("Point at the queue", 1))
    assert single.mean_percent == pytest.approx(31.25)
    assert (multiple.top_wrong, multiple.top_wrong_count) == ("Close the window", 2)
    assert (true_false.answered, true_false.top_wrong, true_false.top_wrong_count) == (3, "True", 2)
    assert true_false.percent_correct == 25.0


def test_stats_for_typed_and_item_kinds() -> None:
    """Typed kinds group wrong texts ignoring case and spaces; matching counts wrong pairs."""
    quiz = quiz_of(SHORT, NUMERIC, MATCHING, ORDERING)
    forms = [
        {
            "q1": ["三访一问"],
            "q2": ["5"],
            "q3-0": ["1"],
            "q3-1": ["0"],
            "q4-0": ["2"],
            "q4-1": ["1"],
        },
        {"q1": ["三访 一问"], "q2": ["5.0"], "q3-0": ["1"]},
        {"q1": ["一访三问"], "q2": ["7"], "q4-0": ["2"], "q4-1": ["1"]},
    ]
    short, numeric, matching, ordering = question_stats(quiz, _attempts(quiz, forms))
    assert (short.top_wrong, short.top_wrong_count, short.correct) == ("三访一问", 2, 1)
    assert (numeric.top_wrong, numeric.top_wrong_count) == ("5", 2)
    assert (matching.top_wrong, matching.top_wrong_count) == ("看 → listen", 2)
    assert (ordering.top_wrong, ordering.top_wrong_count) == (
        "offer a seat → present a smiling face",
        2,
    )


def test_stats_for_questions_never_drawn_and_misfit_papers() -> None:
    """A question never on a paper has no percentages; misfitting papers are skipped."""
    quiz = quiz_of(SINGLE, TRUE_FALSE)
    attempts = [
        (Paper((PaperItem(1),)), Answers((Response(1, "answered", (0,)),))),
        (Paper((PaperItem(7),)), Answers(())),
    ]
    single, true_false = question_stats(quiz, attempts)
    assert (single.shown, single.percent_correct, single.top_wrong, single.top_wrong_count) == (
        0,
        None,
        None,
        0,
    )
    assert (true_false.shown, true_false.correct, true_false.percent_correct) == (1, 1, 100.0)


NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_attempt_gate_max_attempts() -> None:
    """After max_attempts finished attempts no new one may start."""
    quiz = quiz_of(SINGLE, max_attempts=2)
    assert attempt_gate(quiz, [NOW - timedelta(days=1)], NOW).attempts_left == 1
    gate = attempt_gate(quiz, [NOW - timedelta(days=2), NOW - timedelta(days=1)], NOW)
    assert (gate.allowed, gate.reason, gate.attempts_left) == (False, "max_attempts", 0)


def test_attempt_gate_retry_after() -> None:
    """Within retry_after_minutes of the last attempt the gate says when to come back."""
    quiz = quiz_of(SINGLE, retry_after_minutes=10)
    last = NOW - timedelta(minutes=4)
    gate = attempt_gate(quiz, [NOW - timedelta(hours=1), last], NOW)
    assert (gate.allowed, gate.reason, gate.retry_at) == (
        False,
        "retry_after",
        last + timedelta(minutes=10),
    )
    assert attempt_gate(quiz, [NOW - timedelta(minutes=10)], NOW).allowed
    assert attempt_gate(quiz_of(SINGLE), [NOW] * 50, NOW) == attempt_gate(quiz, [], NOW)
