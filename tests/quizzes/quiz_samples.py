"""Sample quizzes and hypothesis strategies shared by the quiz tests (not a test module)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from academy.quizzes import Question, Quiz, parse_question, parse_quiz

KIND_NAMES = "single, multiple, true_false, matching, ordering, short_answer, numeric"


def quiz_of(*questions: dict[str, Any], **settings: Any) -> Quiz:
    """A valid quiz from question data (pass_mark 80 unless given)."""
    data = {"pass_mark": 80, **settings, "questions": list(questions)}
    quiz, problems = parse_quiz(data)
    assert quiz is not None, problems
    return quiz


def question_of(data: dict[str, Any]) -> Question:
    """A valid question from its data."""
    question, problems = parse_question(data, (), 1)
    assert question is not None, problems
    return question


def messages(data: object) -> list[str]:
    """The problem messages `parse_quiz` reports for a quiz block."""
    return [problem.message for problem in parse_quiz(data)[1]]


SINGLE = {
    "kind": "single",
    "prompt": "A resident waits at the window, silent, holding a bill. What first?",
    "options": [
        {"text": "Wait until they speak", "feedback": "Look acts one step ahead."},
        {"text": "Greet them and ask", "correct": True, "feedback": "Read the need first."},
        {"text": "Point at the queue", "weight": 25, "feedback": "Polite, but passive."},
    ],
    "feedback": "The look discipline reads needs before they are spoken.",
}
MULTIPLE = {
    "kind": "multiple",
    "prompt": "Which of these are among the seven ones at reception?",
    "options": [
        {"text": "Offer a seat", "correct": True, "feedback": "Yes: 让出一个座位."},
        {"text": "Say goodbye", "correct": True},
        {"text": "Ask for an ID card"},
        {"text": "Close the window", "feedback": "Never during opening hours."},
    ],
}
TRUE_FALSE = {
    "kind": "true_false",
    "prompt": "A planned outage needs no notice if it is short.",
    "answer": False,
    "feedback_true": "Every change is announced in advance.",
    "feedback_false": "Right: 计划停送水电变更告知制.",
}
MATCHING = {
    "kind": "matching",
    "prompt": "Match each character to its discipline.",
    "pairs": [["看", "look"], ["听", "listen"], ["笑", "smile"], ["说", "speak"]],
}
ORDERING = {
    "kind": "ordering",
    "prompt": "Put the first steps of reception in order.",
    "items": ["present a smiling face", "offer a seat", "greet", "listen and write it down"],
}
SHORT = {
    "kind": "short_answer",
    "prompt": "What is the listen practice of one visit and three asks called?",
    "answers": [
        "一访三问",
        "one visit three asks",
        {"text": "一访", "weight": 50, "feedback": "Half of it: and the three asks?"},
    ],
}
NUMERIC = {
    "kind": "numeric",
    "prompt": "Within how many metres do you smile?",
    "answers": [
        {"answer": 1, "tolerance": 0.2, "feedback": "一米见微笑."},
        {"min": 1.5, "max": 3, "weight": 50, "feedback": "A little far."},
    ],
    "points": 2,
}
ALL_KINDS = [SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, ORDERING, SHORT, NUMERIC]


# -- hypothesis strategies ---------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "~",
        "=",
        "#",
        "{",
        "}",
        ":",
        "\\",
        "%",
        "->",
        "[",
        "]",
        "//",
        "::",
        "\n",
        " ",
        "一访三问",
        "看",
    ]
)
_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))
_PREFIXES = st.sampled_from(["", "", "", "[html]", "[markdown]", "%50%", "//", "::", "$CATEGORY:"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Non-empty canonical texts full of GIFT special characters and Chinese."""
    body = "".join(draw(st.lists(st.one_of(_PIECES, _CHARS), min_size=1, max_size=8)))
    text = (draw(_PREFIXES) + body).strip()
    return text or "x"


@st.composite
def answer_texts(draw: st.DrawFn) -> str:
    """Texts that still say something once whitespace is ignored."""
    return draw(texts().filter(lambda t: "".join(t.split())))


weights = st.one_of(st.integers(0, 99), st.floats(0, 99.9, allow_nan=False).map(lambda w: w))
numbers = st.one_of(
    st.integers(-5000, 5000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@st.composite
def common(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "prompt": draw(texts())}
    if draw(st.booleans()):
        data["title"] = draw(texts())
    if draw(st.booleans()):
        data["points"] = draw(st.one_of(st.integers(1, 5), st.floats(0.25, 10)))
    if draw(st.booleans()):
        data["feedback"] = draw(texts())
    return data


def _feedback(draw: st.DrawFn, entry: dict[str, Any]) -> dict[str, Any]:
    if draw(st.booleans()):
        entry["feedback"] = draw(texts())
    return entry


@st.composite
def single_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("single"))
    size = draw(st.integers(2, 5))
    right = draw(st.integers(0, size - 1))
    options = []
    for i in range(size):
        option: dict[str, Any] = {"text": draw(texts())}
        if i == right:
            option["correct"] = True
        elif draw(st.booleans()):
            option["weight"] = draw(weights)
        options.append(_feedback(draw, option))
    data["options"] = options
    return data


@st.composite
def multiple_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("multiple"))
    size = draw(st.integers(2, 5))
    right = draw(st.sets(st.integers(0, size - 1), min_size=1))
    weighted = draw(st.booleans())
    cuts = sorted(
        draw(st.sets(st.integers(1, 99), min_size=len(right) - 1, max_size=len(right) - 1))
    )
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    options = []
    for i in range(size):
        option: dict[str, Any] = {"text": draw(texts())}
        if i in right:
            if weighted:
                option["weight"] = shares.pop()
            else:
                option["correct"] = True
        elif draw(st.booleans()):
            option["weight"] = draw(st.one_of(st.integers(-100, 0), st.floats(-100, 0)))
        options.append(_feedback(draw, option))
    data["options"] = options
    return data


@st.composite
def true_false_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("true_false"))
    data["answer"] = draw(st.booleans())
    for key in ("feedback_true", "feedback_false"):
        if draw(st.booleans()):
            data[key] = draw(texts())
    return data


@st.composite
def matching_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("matching"))
    size = draw(st.integers(2, 4))
    rights = draw(st.lists(texts(), min_size=size, max_size=size, unique=True))
    data["pairs"] = [[draw(texts()), right] for right in rights]
    return data


@st.composite
def ordering_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("ordering"))
    data["items"] = draw(st.lists(texts(), min_size=2, max_size=5, unique=True))
    return data


@st.composite
def short_answer_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("short_answer"))
    answers: list[Any] = []
    for i in range(draw(st.integers(1, 3))):
        text = draw(answer_texts())
        if i and draw(st.booleans()):
            answers.append(_feedback(draw, {"text": text, "weight": draw(weights)}))
        elif draw(st.booleans()):
            answers.append(_feedback(draw, {"text": text}))
        else:
            answers.append(text)
    data["answers"] = answers
    return data


@st.composite
def numeric_data(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(common("numeric"))
    if draw(st.booleans()):
        data["answer"] = draw(numbers)
        if draw(st.booleans()):
            data["tolerance"] = draw(st.floats(0, 100))
        return data
    answers = []
    for i in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            entry: dict[str, Any] = {"answer": draw(numbers), "tolerance": draw(st.floats(0, 10))}
        else:
            low, high = sorted([draw(numbers), draw(numbers)])
            entry = {"min": low, "max": high}
        if i:
            entry["weight"] = draw(weights)
        answers.append(_feedback(draw, entry))
    data["answers"] = answers
    return data


question_data = st.one_of(
    single_data(),
    multiple_data(),
    true_false_data(),
    matching_data(),
    ordering_data(),
    short_answer_data(),
    numeric_data(),
)


@st.composite
def quizzes(draw: st.DrawFn, *, allow_draw: bool = True) -> Quiz:
    """Valid quizzes with every kind, odd texts, weights and points."""
    questions = draw(st.lists(question_data, min_size=1, max_size=6))
    data: dict[str, Any] = {
        "pass_mark": draw(st.one_of(st.integers(0, 100), st.floats(0, 100))),
        "questions": questions,
    }
    if allow_draw and draw(st.booleans()):
        data["draw"] = draw(st.integers(1, len(questions)))
    quiz, problems = parse_quiz(data)
    assert quiz is not None, problems
    return quiz
