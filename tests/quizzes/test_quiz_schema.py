"""The quiz YAML schema: validation messages, paths, canonical form and round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from quizzes.quiz_samples import (
    ALL_KINDS,
    KIND_NAMES,
    MULTIPLE,
    SINGLE,
    messages,
    question_of,
    quiz_of,
)

from academy.quizzes import Quiz, QuizError, parse_quiz
from academy.sourcemap import PathProblem, load_yaml


def _quiz(*questions: Any, **settings: Any) -> dict[str, Any]:
    return {"pass_mark": 80, **settings, "questions": list(questions)}


def test_sample_with_every_kind_is_valid_and_round_trips() -> None:
    """A quiz with all seven kinds validates and its data (also as JSON) reads back equal."""
    quiz = quiz_of(*ALL_KINDS, draw=5, max_attempts=3, retry_after_minutes=10)
    assert [q.kind for q in quiz.questions] == [q["kind"] for q in ALL_KINDS]
    assert parse_quiz(quiz.to_data()) == (quiz, [])
    assert Quiz.from_data(json.loads(json.dumps(quiz.to_data()))) == quiz


def test_kind_typo_message_names_the_question_and_the_kinds() -> None:
    """A misspelt kind says which question, what was written and what is allowed."""
    bad = {"kind": "singel", "prompt": "p", "options": []}
    quiz, problems = parse_quiz(_quiz(SINGLE, SINGLE, bad))
    assert quiz is None
    assert problems == [
        PathProblem(
            ("quiz", "questions", 2, "kind"),
            f"question 3: kind 'singel' is not one of {KIND_NAMES}",
        )
    ]


def test_missing_kind_is_reported() -> None:
    """A question without kind says kind is required."""
    assert messages(_quiz({"prompt": "p"})) == [
        f"question 1: kind is required (one of {KIND_NAMES})"
    ]


def test_single_without_a_correct_option_is_reported() -> None:
    """A single-choice question with no fully correct option gets the documented message."""
    bad = {"kind": "single", "prompt": "p", "options": [{"text": "a"}, {"text": "b", "weight": 50}]}
    assert messages(_quiz(SINGLE, bad)) == [
        "question 2: single-choice question needs exactly one correct option "
        "(correct: true, or weight: 100), found 0"
    ]


def test_single_with_two_correct_options_suggests_multiple() -> None:
    """Two correct options in a single-choice question point to kind: multiple."""
    options = [{"text": "a", "correct": True}, {"text": "b", "correct": True}]
    (message,) = messages(_quiz({"kind": "single", "prompt": "p", "options": options}))
    assert "found 2; use kind: multiple" in message


def test_single_weight_100_is_the_same_as_correct() -> None:
    """In a single-choice question weight 100 means correct: true (canonical form)."""
    by_weight = {
        "kind": "single",
        "prompt": "p",
        "options": [{"text": "a", "weight": 100}, {"text": "b"}],
    }
    by_flag = {
        "kind": "single",
        "prompt": "p",
        "options": [{"text": "a", "correct": True}, {"text": "b", "weight": 0}],
    }
    assert question_of(by_weight) == question_of(by_flag)


def test_single_rejects_negative_weights() -> None:
    """Negative weights belong to multiple-choice questions."""
    options = [{"text": "a", "correct": True}, {"text": "b", "weight": -50}]
    (message,) = messages(_quiz({"kind": "single", "prompt": "p", "options": options}))
    assert message.startswith("question 1, option 2: weight must be between 0 and 100")


def test_unknown_keys_are_errors_at_every_level_with_a_suggestion() -> None:
    """Unknown keys in the quiz, a question and an option are reported where they are."""
    question = {
        "kind": "single",
        "prompt": "p",
        "optoins": [],
        "options": [{"text": "a", "correct": True, "feedbak": "x"}, {"text": "b"}],
    }
    quiz, problems = parse_quiz(_quiz(question, pass_marc=3))
    assert quiz is None
    by_path = {problem.path: problem.message for problem in problems}
    assert by_path[("quiz", "pass_marc")].startswith("quiz: unknown key 'pass_marc'")
    assert "did you mean 'pass_mark'?" in by_path[("quiz", "pass_marc")]
    assert "did you mean 'options'?" in by_path[("quiz", "questions", 0, "optoins")]
    option_message = by_path[("quiz", "questions", 0, "options", 0, "feedbak")]
    assert option_message.startswith("question 1, option 1: unknown key 'feedbak'")


def test_keys_of_other_kinds_are_unknown() -> None:
    """A true/false question does not take options."""
    bad = {"kind": "true_false", "prompt": "p", "answer": True, "options": []}
    (message,) = messages(_quiz(bad))
    assert message.startswith("question 1: unknown key 'options'")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"pass_mark": None}, "quiz: pass_mark is required"),
        ({"pass_mark": 120}, "quiz: pass_mark must be between 0 and 100, not 120"),
        ({"pass_mark": True}, "quiz: pass_mark must be a number, not true"),
        ({"draw": 0}, "quiz: draw must be at least 1, not 0"),
        ({"draw": 2.5}, "quiz: draw must be a whole number, not 2.5"),
        ({"draw": 3}, "quiz: draw (3) is more than the number of questions (2)"),
        ({"max_attempts": 0}, "quiz: max_attempts must be at least 1, not 0"),
        ({"retry_after_minutes": -1}, "quiz: retry_after_minutes must be at least 0, not -1"),
    ],
)
def test_quiz_settings_are_checked(settings: dict[str, Any], expected: str) -> None:
    """Pass mark, draw, attempts and retry delay have clear range messages."""
    data = {"pass_mark": 80, "questions": [SINGLE, MULTIPLE], **settings}
    if data["pass_mark"] is None:
        del data["pass_mark"]
    assert messages(data) == [expected]


def test_quiz_must_be_a_mapping_with_questions() -> None:
    """A quiz block that is a list, or has no questions, is explained."""
    assert messages([1, 2]) == [
        "quiz: must be a mapping (with pass_mark and questions), not a list"
    ]
    assert messages({"pass_mark": 80}) == ["quiz: questions is required (a list)"]
    assert messages({"pass_mark": 80, "questions": []}) == [
        "quiz: questions needs at least 1 entries, found 0"
    ]


def test_yes_as_option_text_gets_a_quoting_hint() -> None:
    """YAML reads an unquoted yes as true; the message says to quote it."""
    options = [{"text": True, "correct": True}, {"text": "no way"}]
    (message,) = messages(_quiz({"kind": "single", "prompt": "p", "options": options}))
    assert message.startswith("question 1, option 1: text must be text, not true (quote it")


def test_numbers_are_accepted_as_texts() -> None:
    """Option texts written as bare numbers become their text."""
    options = [{"text": 4, "correct": True}, {"text": 5.5}]
    question = question_of({"kind": "single", "prompt": 22, "options": options})
    assert question.prompt == "22"
    assert [o.text for o in question.options] == ["4", "5.5"]


def test_option_with_correct_and_weight_is_rejected() -> None:
    """An option says correct: true or a weight, not both."""
    options = [{"text": "a", "correct": True, "weight": 50}, {"text": "b"}]
    assert "question 1, option 1: give either correct or weight, not both" in messages(
        _quiz({"kind": "multiple", "prompt": "p", "options": options})
    )


def test_points_must_be_positive() -> None:
    """Points weight a question and must be more than 0."""
    assert messages(_quiz({**SINGLE, "points": 0})) == [
        "question 1: points must be more than 0, not 0"
    ]


def test_multiple_weights_must_add_up_to_100() -> None:
    """Positive weights of a multiple-choice question add up to 100."""
    options = [{"text": "a", "weight": 40}, {"text": "b", "weight": 40}, {"text": "c"}]
    assert messages(_quiz({"kind": "multiple", "prompt": "p", "options": options})) == [
        "question 1: the positive weights of a multiple-choice question must add up to 100, "
        "they add up to 80"
    ]


def test_multiple_needs_a_correct_option() -> None:
    """A multiple-choice question with only wrong options is reported."""
    options = [{"text": "a"}, {"text": "b", "weight": -10}]
    (message,) = messages(_quiz({"kind": "multiple", "prompt": "p", "options": options}))
    assert "needs at least one correct option" in message


def test_multiple_correct_options_share_what_weights_leave() -> None:
    """Options marked correct share the percent that explicit weights leave over."""
    options = [
        {"text": "a", "weight": 40},
        {"text": "b", "correct": True},
        {"text": "c", "correct": True},
        {"text": "d"},
        {"text": "e", "weight": 0},
    ]
    question = question_of({"kind": "multiple", "prompt": "p", "options": options})
    assert [o.credit for o in question.options] == [40, 30, 30, -50, 0]


def test_multiple_shares_nothing_left_is_reported() -> None:
    """Correct options with no share left over get a clear message."""
    options = [{"text": "a", "weight": 100}, {"text": "b", "correct": True}, {"text": "c"}]
    (message,) = messages(_quiz({"kind": "multiple", "prompt": "p", "options": options}))
    assert "get no credit because the weights of the other options already add up to 100" in message


def test_matching_problems() -> None:
    """Pairs must be two texts and right sides distinct."""
    bad = {"kind": "matching", "prompt": "p", "pairs": [["a", "x"], ["b", "x"], ["c"]]}
    assert messages(_quiz(bad)) == [
        "question 1, pair 3: must be a list of two texts [left, right], not a list",
        "question 1: pair 2 has the same right side as pair 1 ('x'); right sides must be distinct",
    ]


def test_ordering_problems() -> None:
    """Ordering needs at least two distinct items."""
    assert messages(_quiz({"kind": "ordering", "prompt": "p", "items": ["a"]})) == [
        "question 1: items needs at least 2 entries, found 1"
    ]
    assert messages(_quiz({"kind": "ordering", "prompt": "p", "items": ["a", "b", "a"]})) == [
        "question 1: item 3 repeats item 1 ('a'); items must be distinct"
    ]


def test_short_answer_problems() -> None:
    """Short answers need a full-credit answer and something besides spaces."""
    assert messages(
        _quiz({"kind": "short_answer", "prompt": "p", "answers": [{"text": "a", "weight": 50}]})
    ) == ["question 1: short-answer question needs an answer with weight 100"]
    assert messages(_quiz({"kind": "short_answer", "prompt": "p", "answers": ["a", "   "]})) == [
        "question 1, answer 2: must contain something besides spaces"
    ]
    assert messages(_quiz({"kind": "short_answer", "prompt": "p", "answers": [["a"]]})) == [
        "question 1, answer 1: must be text or a mapping with text, not a list"
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"answer": 1, "answers": [{"answer": 1}]},
            "question 1: give either answer (with tolerance) or answers, not both",
        ),
        ({}, "question 1: numeric question needs answer (with optional tolerance) or answers"),
        ({"answer": "3.5"}, "question 1: answer must be a number, not '3.5'"),
        ({"answer": 3, "tolerance": -1}, "question 1: tolerance must be at least 0, not -1"),
        ({"answers": [{"min": 3, "max": 1}]}, "question 1, answer 1: min (3) is more than max (1)"),
        (
            {"answers": [{"answer": 3, "weight": 50}]},
            "question 1: numeric question needs an answer with weight 100",
        ),
        (
            {"answers": [{"answer": 3, "min": 1, "max": 4}]},
            "question 1, answer 1: give either answer (with tolerance) or min and max, not both",
        ),
        (
            {"answers": [{"weight": 100}]},
            "question 1, answer 1: needs answer (with optional tolerance) or min and max",
        ),
        (
            {"answers": [{"answer": 3}], "tolerance": 1},
            "question 1: tolerance goes with answer; give each of answers its own",
        ),
    ],
)
def test_numeric_problems(fields: dict[str, Any], expected: str) -> None:
    """Numeric questions explain each way their answers can be wrong."""
    assert expected in messages(_quiz({"kind": "numeric", "prompt": "p", **fields}))


def test_problems_map_to_file_lines() -> None:
    """Problem paths land on the right line of the YAML file through LineMap."""
    text = (
        "quiz:\n"
        "  pass_mark: 80\n"
        "  questions:\n"
        "    - kind: single\n"
        "      prompt: First\n"
        "      options:\n"
        "        - text: a\n"
        "          correct: true\n"
        "        - text: b\n"
        "          wieght: 5\n"
    )
    data, linemap, _ = load_yaml(text)
    _, problems = parse_quiz(data["quiz"])
    (located,) = linemap.locate("look/01-x.md", problems)
    assert str(located).startswith("look/01-x.md:10: question 1, option 2: unknown key 'wieght'")


def test_from_data_raises_quiz_error_with_problems() -> None:
    """Invalid stored quiz data raises QuizError carrying the problems."""
    with pytest.raises(QuizError) as caught:
        Quiz.from_data({"pass_mark": 80, "questions": [{"kind": "nope"}]})
    assert caught.value.problems
    assert "kind 'nope'" in str(caught.value)


def test_texts_are_canonical() -> None:
    """Authored texts lose outer whitespace and carriage returns."""
    question = question_of(
        {"kind": "ordering", "prompt": "  line one\r\nline two \n", "items": [" a ", "b"]}
    )
    assert question.prompt == "line one\nline two"
    assert question.items == ("a", "b")
