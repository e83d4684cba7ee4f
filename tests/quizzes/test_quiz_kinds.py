"""Each question kind: full, partial and wrong credit, feedback, missing and hostile input."""

from __future__ import annotations

import random
from typing import Any

import pytest
from quizzes.quiz_samples import (
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
    QuestionResult,
    grade,
    make_paper,
    read_answers,
)


def answer(question: dict[str, Any], form: Any) -> QuestionResult:
    """Grade one question (it is question 1) answered with `form`."""
    quiz = quiz_of(question)
    paper = make_paper(quiz, random.Random(0))
    (result,) = grade(quiz, paper, read_answers(quiz, paper, form)).questions
    return result


# -- single ------------------------------------------------------------------------


def test_single_right_option_gets_full_credit_and_its_feedback() -> None:
    """Choosing the correct option scores 1 and shows that option's feedback."""
    result = answer(SINGLE, {"q1": ["1"]})
    assert (result.fraction, result.correct, result.status) == (1.0, True, ANSWERED)
    assert result.answered == ("Greet them and ask",)
    assert result.answered_feedback == ("Read the need first.",)
    assert result.general_feedback == SINGLE["feedback"]


def test_single_weighted_option_gets_partial_credit() -> None:
    """An option with weight 25 earns a quarter of the points."""
    result = answer(SINGLE, {"q1": ["2"]})
    assert (result.fraction, result.correct) == (0.25, False)
    assert result.answered_feedback == ("Polite, but passive.",)


def test_single_wrong_option_shows_its_feedback_and_the_key() -> None:
    """A wrong option scores 0; the result names the right option and its feedback."""
    result = answer(SINGLE, {"q1": ["0"]})
    assert result.fraction == 0
    assert result.answered_feedback == ("Look acts one step ahead.",)
    assert result.correct_answer == ("Greet them and ask",)
    assert result.correct_feedback == ("Read the need first.",)


@pytest.mark.parametrize(
    ("form", "status", "note"),
    [
        ({}, MISSING, NOTE_NO_ANSWER),
        ({"q1": [""]}, MISSING, NOTE_NO_ANSWER),
        ({"q1": ["3"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["-1"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["1.0"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["one"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["9" * 5000]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["１"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["0", "1"]}, MALFORMED, NOTE_MORE_THAN_ONE),
        ({"q1": [1, None, {"a": 1}]}, MISSING, NOTE_NO_ANSWER),
        ({"q1": 1}, MISSING, NOTE_NO_ANSWER),
    ],
)
def test_single_missing_and_malformed_answers(form: Any, status: str, note: str) -> None:
    """Missing, out-of-range, non-numeric and repeated values count as wrong with a note."""
    result = answer(SINGLE, form)
    assert (result.fraction, result.status, result.note) == (0.0, status, note)
    assert result.answered == ()


def test_single_accepts_a_plain_string_value_and_spaces() -> None:
    """A mapping of plain strings (not lists) and padded indices are read."""
    assert answer(SINGLE, {"q1": " 1 "}).correct


# -- multiple ----------------------------------------------------------------------


def test_multiple_all_right_options_get_full_credit() -> None:
    """Ticking exactly the correct options scores 1."""
    result = answer(MULTIPLE, {"q1": ["1", "0"]})
    assert (result.fraction, result.correct) == (1.0, True)
    assert result.answered == ("Offer a seat", "Say goodbye")
    assert result.answered_feedback == ("Yes: 让出一个座位.",)


def test_multiple_half_the_right_options_get_half_credit() -> None:
    """Each of two correct options is worth 50%."""
    assert answer(MULTIPLE, {"q1": ["0"]}).fraction == 0.5


def test_multiple_wrong_pick_subtracts_the_default_penalty() -> None:
    """With two wrong options each wrong pick costs 100/2 = 50%."""
    assert answer(MULTIPLE, {"q1": ["0", "1", "2"]}).fraction == 0.5
    assert answer(MULTIPLE, {"q1": ["0", "2"]}).fraction == 0.0


def test_multiple_never_goes_below_zero() -> None:
    """Only wrong picks floor at 0, and ticking everything is no free pass."""
    result = answer(MULTIPLE, {"q1": ["2", "3"]})
    assert result.fraction == 0.0
    assert result.answered_feedback == ("Never during opening hours.",)
    assert answer(MULTIPLE, {"q1": ["0", "1", "2", "3"]}).fraction == 0.0


def test_multiple_explicit_weights_are_used() -> None:
    """Given weights replace the shares and the default penalty."""
    question = {
        "kind": "multiple",
        "prompt": "p",
        "options": [
            {"text": "a", "weight": 70},
            {"text": "b", "weight": 30},
            {"text": "c", "weight": -10},
            {"text": "d", "weight": 0},
        ],
    }
    assert answer(question, {"q1": ["0", "2"]}).fraction == pytest.approx(0.6)
    assert answer(question, {"q1": ["0", "1", "3"]}).fraction == 1.0


def test_multiple_three_way_share_gives_exactly_full_credit() -> None:
    """Thirds that do not add up exactly in floats still give full credit."""
    question = {
        "kind": "multiple",
        "prompt": "p",
        "options": [{"text": t, "correct": True} for t in "abc"] + [{"text": "d"}],
    }
    result = answer(question, {"q1": ["0", "1", "2"]})
    assert (result.fraction, result.correct) == (1.0, True)


def test_multiple_duplicate_values_count_once() -> None:
    """The same box posted twice is one pick."""
    assert answer(MULTIPLE, {"q1": ["0", "0"]}).fraction == 0.5


@pytest.mark.parametrize(
    ("form", "status", "note"),
    [
        ({}, MISSING, NOTE_NO_ANSWER),
        ({"q1": ["0", "9"]}, MALFORMED, NOTE_NOT_AN_OPTION),
        ({"q1": ["0", "x"]}, MALFORMED, NOTE_NOT_AN_OPTION),
    ],
)
def test_multiple_missing_and_malformed(form: Any, status: str, note: str) -> None:
    """Nothing ticked, or any value that is not an option, counts as wrong with a note."""
    result = answer(MULTIPLE, form)
    assert (result.fraction, result.status, result.note) == (0.0, status, note)


# -- true/false ------------------------------------------------------------------


def test_true_false_right_answer_and_its_feedback() -> None:
    """Answering false to a false statement scores 1 with the false-feedback."""
    result = answer(TRUE_FALSE, {"q1": ["FALSE "]})
    assert (result.fraction, result.answered) == (1.0, ("False",))
    assert result.answered_feedback == (TRUE_FALSE["feedback_false"],)


def test_true_false_wrong_answer_shows_both_feedbacks() -> None:
    """Answering true shows the true-feedback, and the key with the false-feedback."""
    result = answer(TRUE_FALSE, {"q1": ["true"]})
    assert result.fraction == 0.0
    assert result.answered_feedback == (TRUE_FALSE["feedback_true"],)
    assert (result.correct_answer, result.correct_feedback) == (
        ("False",),
        (TRUE_FALSE["feedback_false"],),
    )


@pytest.mark.parametrize(
    ("form", "status", "note"),
    [
        ({}, MISSING, NOTE_NO_ANSWER),
        ({"q1": ["yes"]}, MALFORMED, NOTE_NOT_TRUE_FALSE),
        ({"q1": ["1"]}, MALFORMED, NOTE_NOT_TRUE_FALSE),
        ({"q1": ["true", "false"]}, MALFORMED, NOTE_MORE_THAN_ONE),
    ],
)
def test_true_false_missing_and_malformed(form: Any, status: str, note: str) -> None:
    """Only true or false is an answer."""
    result = answer(TRUE_FALSE, form)
    assert (result.fraction, result.status, result.note) == (0.0, status, note)


# -- matching --------------------------------------------------------------------


def test_matching_all_pairs_right() -> None:
    """Each left item matched to its own right side scores 1."""
    form = {f"q1-{i}": [str(i)] for i in range(4)}
    result = answer(MATCHING, form)
    assert (result.fraction, result.correct) == (1.0, True)
    assert result.answered == ("看 → look", "听 → listen", "笑 → smile", "说 → speak")
    assert result.correct_answer == result.answered


def test_matching_credit_is_proportional() -> None:
    """Two of four left items right scores one half."""
    form = {"q1-0": ["0"], "q1-1": ["1"], "q1-2": ["3"], "q1-3": ["2"]}
    result = answer(MATCHING, form)
    assert result.fraction == 0.5
    assert result.answered[2] == "笑 → speak"


def test_matching_partly_answered_keeps_the_right_items() -> None:
    """Unanswered items count as wrong; the answered ones still count."""
    result = answer(MATCHING, {"q1-0": ["0"], "q1-1": ["1"]})
    assert (result.fraction, result.status, result.note) == (0.5, PARTIAL, NOTE_SOME_ITEMS)
    assert result.answered[3] == "说 → —"


def test_matching_invalid_items_are_noted() -> None:
    """An out-of-range right index is ignored with a note."""
    result = answer(MATCHING, {"q1-0": ["0"], "q1-1": ["9"], "q1-2": ["2"], "q1-3": ["3"]})
    assert (result.fraction, result.status, result.note) == (0.75, PARTIAL, NOTE_INVALID_ITEMS)


def test_matching_nothing_valid_is_malformed_or_missing() -> None:
    """No valid item at all is malformed (if something was sent) or missing."""
    assert answer(MATCHING, {"q1-0": ["x"]}).status == MALFORMED
    assert answer(MATCHING, {"q1": ["0"]}).status == MISSING


# -- ordering --------------------------------------------------------------------


def test_ordering_right_order_gets_full_credit() -> None:
    """Every item in its own position scores 1."""
    form = {f"q1-{i}": [str(i + 1)] for i in range(4)}
    result = answer(ORDERING, form)
    assert (result.fraction, result.answered) == (1.0, tuple(ORDERING["items"]))


def test_ordering_credit_counts_items_in_place() -> None:
    """Swapping two of four items leaves half of them in place."""
    form = {"q1-0": ["2"], "q1-1": ["1"], "q1-2": ["3"], "q1-3": ["4"]}
    result = answer(ORDERING, form)
    assert result.fraction == 0.5
    assert result.answered[:2] == ("offer a seat", "present a smiling face")


def test_ordering_out_of_range_positions_are_ignored() -> None:
    """Position 0 or 5 of four items is invalid and noted."""
    form = {"q1-0": ["1"], "q1-1": ["0"], "q1-2": ["5"], "q1-3": ["4"]}
    result = answer(ORDERING, form)
    assert (result.fraction, result.status, result.note) == (0.5, PARTIAL, NOTE_INVALID_ITEMS)


# -- short answer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "一访三问",
        " 一访 三问 ",
        "一访\u3000三问",
        "One Visit Three Asks",
        "ONEVISITTHREEASKS",
        "ｏｎｅ ｖｉｓｉｔ three asks",
    ],
)
def test_short_answer_ignores_case_width_and_spaces(typed: str) -> None:
    """Case, full-width letters and any whitespace (also ideographic) do not matter."""
    result = answer(SHORT, {"q1": [typed]})
    assert (result.fraction, result.answered) == (1.0, (typed.strip(),))


def test_short_answer_partial_weight_and_feedback() -> None:
    """A weighted answer gives its credit and its feedback."""
    result = answer(SHORT, {"q1": ["一访"]})
    assert (result.fraction, result.answered_feedback) == (
        0.5,
        ("Half of it: and the three asks?",),
    )
    assert result.correct_answer == ("一访三问", "one visit three asks")


def test_short_answer_best_weight_wins() -> None:
    """When several answers match, the best weight counts."""
    question = {
        "kind": "short_answer",
        "prompt": "p",
        "answers": [{"text": "A B", "weight": 40}, "ab"],
    }
    assert answer(question, {"q1": ["ab"]}).fraction == 1.0


def test_short_answer_no_match_and_missing() -> None:
    """A wrong text scores 0; a blank one is missing."""
    assert answer(SHORT, {"q1": ["三访一问"]}).fraction == 0.0
    blank = answer(SHORT, {"q1": ["   "]})
    assert (blank.status, blank.note) == (MISSING, NOTE_NO_ANSWER)


def test_short_answer_huge_input_is_capped() -> None:
    """A megabyte of text is cut to 1000 characters and graded wrong."""
    result = answer(SHORT, {"q1": ["x" * 1_000_000]})
    assert (result.fraction, len(result.answered[0])) == (0.0, 1000)


# -- numeric ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fraction"),
    [
        ("1", 1.0),
        ("0.8", 1.0),
        ("1.2", 1.0),
        ("1.21", 0.0),
        ("+1.1", 1.0),
        ("１.１", 1.0),
        ("1.5", 0.5),
        ("3", 0.5),
        ("3.01", 0.0),
        ("2e0", 0.5),
        (" 1 ", 1.0),
        ("\u22121", 0.0),
    ],
)
def test_numeric_tolerance_and_range(typed: str, fraction: float) -> None:
    """Within the tolerance is full credit, the range half, bounds included."""
    result = answer(NUMERIC, {"q1": [typed]})
    assert result.fraction == fraction
    assert result.earned == 2 * fraction


def test_numeric_feedback_and_key() -> None:
    """The matching answer's feedback is shown; the key is written ± tolerance."""
    result = answer(NUMERIC, {"q1": ["2"]})
    assert result.answered_feedback == ("A little far.",)
    assert result.correct_answer == ("1 ± 0.2",)
    assert result.correct_feedback == ("一米见微笑.",)


@pytest.mark.parametrize("typed", ["one", "3,5", "1e999", "nan", "inf", "1.2.3", "--1", "0x10"])
def test_numeric_not_a_number(typed: str) -> None:
    """Text that is not a finite decimal number is malformed, shown as typed."""
    result = answer(NUMERIC, {"q1": [typed]})
    assert (result.fraction, result.status, result.note) == (0.0, MALFORMED, NOTE_NOT_A_NUMBER)
    assert result.answered == (typed,)


def test_numeric_short_form() -> None:
    """`answer` with `tolerance` accepts the band and nothing else."""
    question = {"kind": "numeric", "prompt": "p", "answer": 3.5, "tolerance": 0.5}
    assert [answer(question, {"q1": [t]}).fraction for t in ("3", "4", "4.01")] == [1.0, 1.0, 0.0]
    exact = {"kind": "numeric", "prompt": "p", "answer": 0.3}
    assert answer(exact, {"q1": ["0.3"]}).fraction == 1.0


# -- hostile forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        None,
        [],
        "q1=1",
        {"q1": object()},
        {"q1": [b"1"]},
        {1: ["1"]},
        {"q1": ["1"] * 100_000},
        {"q1-0": [None], "q1-1": [["0"]]},
    ],
)
def test_hostile_forms_never_raise(form: Any) -> None:
    """Garbage forms of any type are read as missing or malformed answers."""
    for question in (SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, ORDERING, SHORT, NUMERIC):
        result = answer(question, form)
        assert 0.0 <= result.fraction <= 1.0
        assert result.status in (ANSWERED, PARTIAL, MISSING, MALFORMED)


class _Exploding(dict):  # type: ignore[type-arg]
    def get(self, key: object, default: object = None) -> object:
        raise RuntimeError("boom")


def test_a_mapping_that_raises_is_read_as_empty() -> None:
    """Even a mapping whose lookups raise gives missing answers, not an error."""
    assert answer(SINGLE, _Exploding()).status == MISSING


class _MultiDict:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self.pairs if name == key]


def test_werkzeug_style_getlist_is_used() -> None:
    """An object with getlist (a Werkzeug MultiDict) gives every repeated value."""
    assert answer(MULTIPLE, _MultiDict([("q1", "0"), ("q1", "1")])).fraction == 1.0
