"""The quiz as form values and back (pure, no Flask): every kind, errors naming fields,
the no-JavaScript row buttons, quiz edits and settings, and a hypothesis round trip."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.quizzes import parse_quiz
from academy.quizzes.text import number_data
from academy.studio import quizform
from academy.studio.quizform import FieldError


def _round_trip(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[FieldError]]:
    fields = quizform.form_fields(quizform.question_values(data))
    return quizform.question_data(quizform.read_values(fields))


def _post(kind: str, **fields: str) -> tuple[dict[str, Any] | None, list[FieldError]]:
    return quizform.question_data(quizform.read_values({"kind": kind, **fields}))


EXAMPLES = [
    {
        "kind": "single",
        "title": "读需求",
        "prompt": "居民拿着账单站在窗口，不说话。你先做什么？",
        "points": 2,
        "options": [
            {"text": "等他先开口", "feedback": "看的功夫要先一步。"},
            {"text": "问候并询问来意", "correct": True},
            {"text": "指向叫号机", "weight": 25},
        ],
        "feedback": "先读需求。",
    },
    {
        "kind": "multiple",
        "prompt": "哪些是安全用语？",
        "options": [
            {"text": "请稍等", "correct": True},
            {"text": "马上为您办", "weight": 40},
            {"text": "不归我管"},
            {"text": "随便", "weight": 0, "feedback": "不扣分。"},
            {"text": "您好", "correct": True},
        ],
    },
    {
        "kind": "true_false",
        "prompt": "带电作业前必须验电。",
        "answer": True,
        "feedback_false": "必须。",
    },
    {"kind": "matching", "prompt": "配对。", "pairs": [["慌张", "稳情绪"], ["冒烟", "断电"]]},
    {"kind": "ordering", "prompt": "排序。", "items": ["微笑", "让座", "问候"]},
    {
        "kind": "short_answer",
        "prompt": "四字口诀？",
        "answers": ["一访三问", {"text": "一访", "weight": 50, "feedback": "还差三问。"}],
    },
    {"kind": "numeric", "prompt": "几小时内回访？", "answer": 24, "tolerance": 0.5},
    {
        "kind": "numeric",
        "prompt": "电压？",
        "answers": [{"answer": 220}, {"min": 200, "max": 240, "weight": 50, "feedback": "接近。"}],
    },
    {"kind": "numeric", "prompt": "一个答案列表", "answers": [{"answer": 3}]},
]


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: d["kind"])
def test_every_kind_round_trips_through_the_form(data: dict[str, Any]) -> None:
    assert _round_trip(data) == (data, [])


def test_the_seven_kinds_are_the_quiz_package_kinds() -> None:
    assert set(quizform.KINDS) == {
        "single",
        "multiple",
        "true_false",
        "ordering",
        "matching",
        "numeric",
        "short_answer",
    }
    assert {d["kind"] for d in EXAMPLES} == set(quizform.KINDS)


def test_single_choice_posts_its_correct_option_as_one_radio() -> None:
    fields = quizform.form_fields(quizform.question_values(EXAMPLES[0]))
    assert fields["correct"] == "1" and fields["rows"] == "3"
    assert "option-1-correct" not in fields and fields["option-2-weight"] == "25"
    multiple = quizform.form_fields(quizform.question_values(EXAMPLES[1]))
    assert multiple["option-0-correct"] == "on" and "option-2-correct" not in multiple


def test_a_missing_text_names_the_option() -> None:
    data, errors = _post(
        "single",
        prompt="问？",
        rows="3",
        correct="0",
        **{"option-0-text": "甲", "option-1-text": "乙", "option-2-feedback": "只有反馈"},
    )
    assert data is None
    assert errors == [FieldError("option-2-text", "option 3: text is required")]


def test_prompt_and_numbers_are_checked_by_field() -> None:
    data, errors = _post(
        "multiple",
        prompt=" ",
        points="两",
        rows="2",
        **{"option-0-text": "甲", "option-0-weight": "3,5", "option-1-text": "乙"},
    )
    assert data is None
    assert FieldError("prompt", "prompt is required") in errors
    assert FieldError("points", "points is not a number ('两')") in errors
    assert FieldError("option-0-weight", "option 1: weight is not a number ('3,5')") in errors


def test_quiz_rules_are_reported_on_the_field_they_concern() -> None:
    _, none_correct = _post(
        "single", prompt="问？", rows="2", **{"option-0-text": "甲", "option-1-text": "乙"}
    )
    assert [e.field for e in none_correct] == ["option"]
    assert "exactly one correct option" in none_correct[0].message
    assert not none_correct[0].message.startswith("question")
    _, weight = _post(
        "single",
        prompt="问？",
        rows="2",
        correct="0",
        **{"option-0-text": "甲", "option-1-text": "乙", "option-1-weight": "-5"},
    )
    assert weight[0].field == "option-1-weight" and weight[0].message.startswith("option 2:")
    _, points = _post("true_false", prompt="对吗？", answer="true", points="0")
    assert points[0].field == "points"
    _, answer = _post("true_false", prompt="对吗？")
    assert answer == [FieldError("answer", "answer: choose true or false")]


def test_blank_rows_are_ignored_and_numbers_stay_those_of_the_form() -> None:
    data, errors = _post(
        "matching",
        prompt="配对",
        rows="3",
        **{"pair-0-left": "甲", "pair-0-right": "一", "pair-2-left": "乙", "pair-2-right": "一"},
    )
    assert data is None
    assert errors[0].field == "pair-2-right"
    assert errors[0].message.startswith("pair 3 has the same right side as pair 1")
    ok, none = _post(
        "ordering",
        prompt="排序",
        rows="4",
        **{"item-0-text": "一", "item-1-text": "", "item-2-text": "二", "item-3-text": " "},
    )
    assert none == [] and ok is not None and ok["items"] == ["一", "二"]


def test_numeric_answers_need_a_value_or_a_range() -> None:
    _, errors = _post("numeric", prompt="几？", rows="1", **{"answer-0-tolerance": "1"})
    assert errors == [FieldError("answer-0-value", "answer 1: answer is required (or min and max)")]
    _, both = _post(
        "numeric",
        prompt="几？",
        rows="1",
        **{"answer-0-value": "3", "answer-0-min": "1", "answer-0-max": "4"},
    )
    assert both[0].field == "answer-0-min"
    _, half = _post("numeric", prompt="几？", rows="1", **{"answer-0-min": "1"})
    assert half == [FieldError("answer-0-max", "answer 1: max is required with min")]
    _, upside = _post(
        "numeric", prompt="几？", rows="1", **{"answer-0-min": "5", "answer-0-max": "1"}
    )
    assert upside[0].field == "answer-0-min" and "more than max" in upside[0].message
    data, _ = _post("numeric", prompt="几？", rows="1", **{"answer-0-value": "２４"})
    assert data == {"kind": "numeric", "prompt": "几？", "answer": 24}


def test_short_answer_weight_and_tolerance_ranges() -> None:
    _, errors = _post(
        "short_answer",
        prompt="答？",
        rows="2",
        **{"answer-0-text": "甲", "answer-1-text": "乙", "answer-1-weight": "150"},
    )
    assert errors[0].field == "answer-1-weight"
    _, tolerance = _post(
        "numeric", prompt="几？", rows="1", **{"answer-0-value": "3", "answer-0-tolerance": "-1"}
    )
    assert tolerance[0].field == "answer-0-tolerance"


def test_row_buttons_add_remove_and_move_up() -> None:
    values = quizform.question_values(EXAMPLES[4])
    assert quizform.apply_op(values, "add") and len(values.rows) == 4
    assert quizform.apply_op(values, "up-2")
    assert [r["text"] for r in values.rows] == ["微笑", "问候", "让座", ""]
    assert quizform.apply_op(values, "remove-0") and len(values.rows) == 3
    assert not quizform.apply_op(values, "remove-9")
    assert not quizform.apply_op(values, "explode")
    assert quizform.apply_op(values, "up-0")  # already first: nothing moves
    single = quizform.question_values(EXAMPLES[0])
    quizform.apply_op(single, "up-1")  # the correct flag moves with its option
    fields = quizform.form_fields(single)
    assert fields["correct"] == "0" and fields["option-0-text"] == "问候并询问来意"
    tf = quizform.question_values(EXAMPLES[2])
    assert not quizform.apply_op(tf, "add")


def test_row_count_is_capped_and_odd_input_reads_as_blank() -> None:
    values = quizform.read_values({"kind": "ordering", "rows": "100000", "item-0-text": ["a", "b"]})
    assert len(values.rows) == quizform.MAX_ROWS and values.rows[0]["text"] == "a"
    assert quizform.read_values({"kind": "single", "rows": "x"}).rows == []
    with pytest.raises(KeyError):
        quizform.read_values({"kind": "essay"})
    with pytest.raises(KeyError):
        quizform.new_question("essay")


def test_new_questions_start_with_empty_rows() -> None:
    assert len(quizform.new_question("single").rows) == 3
    assert quizform.new_question("true_false").rows == []
    _, errors = quizform.question_data(quizform.new_question("single"))
    assert errors[0] == FieldError("prompt", "prompt is required")


def test_quiz_edits_keep_the_other_questions_as_written() -> None:
    odd = {"kind": "single", "prompt": "手写的", "options": [{"text": "a", "weight": 100.0}]}
    quiz = {"pass_mark": 70, "draw": 1, "questions": [odd]}
    added = quizform.add_question(quiz, EXAMPLES[2])
    assert added["questions"] == [odd, EXAMPLES[2]] and added["draw"] == 1
    assert quiz["questions"] == [odd]  # not changed in place
    assert quizform.move_question(added, 1, -1)["questions"] == [EXAMPLES[2], odd]
    assert quizform.move_question(added, 1, +1)["questions"] == [odd, EXAMPLES[2]]
    assert quizform.replace_question(added, 0, EXAMPLES[4])["questions"][0] == EXAMPLES[4]
    assert quizform.delete_question(added, 0)["questions"] == [EXAMPLES[2]]
    with pytest.raises(IndexError):
        quizform.delete_question(added, 2)
    assert quizform.add_question(None, EXAMPLES[2]) == {"pass_mark": 80, "questions": [EXAMPLES[2]]}


def test_settings_round_trip_and_errors_name_the_field() -> None:
    quiz = {"pass_mark": 62.5, "max_attempts": 3, "questions": EXAMPLES[:3], "x": 1}
    values = quizform.settings_values(quiz)
    assert values == {
        "pass_mark": "62.5",
        "draw": "",
        "max_attempts": "3",
        "retry_after_minutes": "",
    }
    assert quizform.apply_settings(quiz, values) == (quiz, [])
    changed, _ = quizform.apply_settings(quiz, {**values, "draw": "2", "retry_after_minutes": "0"})
    assert changed is not None and changed["draw"] == 2 and changed["retry_after_minutes"] == 0
    assert changed["questions"] == EXAMPLES[:3] and changed["x"] == 1
    _, errors = quizform.apply_settings(
        quiz, {"pass_mark": "120", "draw": "4", "max_attempts": "1.5", "retry_after_minutes": "-1"}
    )
    assert [e.field for e in errors] == ["pass_mark", "draw", "max_attempts", "retry_after_minutes"]
    assert errors[1].message == "questions drawn (4) is more than the 3 questions"
    _, missing = quizform.apply_settings(quiz, {"pass_mark": ""})
    assert missing == [FieldError("pass_mark", "pass mark is required (0 to 100)")]
    assert quizform.settings_values(None)["pass_mark"] == "80"


# --- hypothesis: data → form → data is the identity ------------------------------------

_TEXT = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_NUMBER = st.integers(-100_000, 100_000).map(lambda n: number_data(n / 100))


def _pct(low: int, high: int) -> st.SearchStrategy[Any]:
    return st.integers(low * 10, high * 10).map(lambda n: number_data(n / 10))


def _maybe(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value


@st.composite
def _common(draw: Any, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "prompt": draw(_TEXT)}
    _maybe(data, "title", draw(st.none() | _TEXT))
    _maybe(data, "points", draw(st.none() | st.integers(1, 400).map(lambda n: number_data(n / 4))))
    _maybe(data, "feedback", draw(st.none() | _TEXT))
    return data


@st.composite
def _option(draw: Any, weights: st.SearchStrategy[Any]) -> dict[str, Any]:
    option: dict[str, Any] = {"text": draw(_TEXT)}
    _maybe(option, "weight", draw(st.none() | weights))
    _maybe(option, "feedback", draw(st.none() | _TEXT))
    return option


@st.composite
def questions(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(quizform.KINDS))
    data = draw(_common(kind))
    if kind == "single":
        options = draw(st.lists(_option(_pct(0, 99)), min_size=1, max_size=5))
        right = draw(_option(st.nothing()))
        options.insert(draw(st.integers(0, len(options))), {**right, "correct": True})
        data["options"] = options
    elif kind == "multiple":
        right = draw(st.lists(_option(st.nothing()), min_size=1, max_size=3))
        wrong = draw(st.lists(_option(_pct(-100, 0)), min_size=1, max_size=3))
        data["options"] = draw(st.permutations([*({**o, "correct": True} for o in right), *wrong]))
    elif kind == "true_false":
        data["answer"] = draw(st.booleans())
        _maybe(data, "feedback_true", draw(st.none() | _TEXT))
        _maybe(data, "feedback_false", draw(st.none() | _TEXT))
    elif kind == "matching":
        rights = draw(st.lists(_TEXT, min_size=2, max_size=5, unique=True))
        data["pairs"] = [[draw(_TEXT), right] for right in rights]
    elif kind == "ordering":
        data["items"] = draw(st.lists(_TEXT, min_size=2, max_size=5, unique=True))
    elif kind == "short_answer":
        others = draw(
            st.lists(
                st.builds(
                    lambda t, w, f: {"text": t, "weight": w, **f},
                    _TEXT,
                    _pct(0, 100),
                    st.just({}) | _TEXT.map(lambda f: {"feedback": f}),
                ),
                max_size=3,
            )
        )
        first = draw(
            _TEXT | _TEXT.flatmap(lambda t: _TEXT.map(lambda f: {"text": t, "feedback": f}))
        )
        data["answers"] = [first, *others]
    else:
        data.update(draw(_numeric()))
    return data


@st.composite
def _numeric(draw: Any) -> dict[str, Any]:
    if draw(st.booleans()):
        short: dict[str, Any] = {"answer": draw(_NUMBER)}
        _maybe(short, "tolerance", draw(st.none() | _NUMBER.map(abs)))
        return short
    answers = []
    for index in range(draw(st.integers(1, 3))):
        entry: dict[str, Any]
        if draw(st.booleans()):
            entry = {"answer": draw(_NUMBER)}
            _maybe(entry, "tolerance", draw(st.none() | _NUMBER.map(abs)))
        else:
            low, high = sorted((draw(_NUMBER), draw(_NUMBER)))
            entry = {"min": low, "max": high}
        if index:
            entry["weight"] = draw(_pct(0, 100))
        _maybe(entry, "feedback", draw(st.none() | _TEXT))
        answers.append(entry)
    return {"answers": answers}


@settings(max_examples=300, deadline=None)
@given(questions())
def test_hypothesis_data_to_form_to_data_is_identical(data: dict[str, Any]) -> None:
    quiz, problems = parse_quiz({"pass_mark": 50, "questions": [data]})
    assert problems == [] and quiz is not None  # the strategy writes valid questions
    assert _round_trip(data) == (data, [])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(questions(), min_size=1, max_size=4),
    _pct(0, 100),
    st.none() | st.integers(1, 4),
    st.none() | st.integers(1, 9),
    st.none() | st.integers(0, 600),
)
def test_hypothesis_settings_round_trip(
    items: list[Any], mark: Any, draw_n: Any, attempts: Any, retry: Any
) -> None:
    quiz: dict[str, Any] = {"pass_mark": mark, "questions": items}
    _maybe(quiz, "draw", min(draw_n, len(items)) if draw_n else None)
    _maybe(quiz, "max_attempts", attempts)
    _maybe(quiz, "retry_after_minutes", retry)
    assert quizform.apply_settings(quiz, quizform.settings_values(quiz)) == (quiz, [])
