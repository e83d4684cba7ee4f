"""GIFT import of every example in Moodle's GIFT documentation (mirrored in tests/data/gift)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from quizzes.quiz_samples import question_of

from academy.quizzes import GiftProblem, parse_gift

DATA = Path(__file__).resolve().parent.parent / "data" / "gift"

HOTLINE = {
    "kind": "single",
    "prompt": "Who answers the repair hotline at night?",
    "options": [
        {"text": "Nobody"},
        {"text": "The mayor"},
        {"text": "the duty dispatcher", "correct": True},
    ],
}
NO_NOTICE = {"kind": "true_false", "prompt": "Planned outages need no notice.", "answer": False}
FOLLOW_UP = {
    "kind": "short_answer",
    "prompt": "Which visit comes after the repair?",
    "answers": ["follow-up", "follow up"],
}
FOLLOW_UP_FEEDBACK = {
    **FOLLOW_UP,
    "answers": [
        {"text": "follow-up", "feedback": "excellent answer!"},
        {"text": "follow up", "feedback": "excellent answer!"},
    ],
}
BUILT = "In which year was the pumping station built?"
PRESSURE = "What is the boiler pressure in MPa (to 3 decimal places)? _____."
PROMISE_ANSWERS = [
    {"text": "a time", "feedback": "Yes! That is the standard."},
    {"text": "a tiem", "weight": 75, "feedback": "Right, but misspelled."},
    {"text": "a day", "weight": 25, "feedback": "Too vague."},
]
# Moodle gives an unweighted wrong answer 0%, not a penalty.
SEVEN_ONES = {
    "kind": "multiple",
    "prompt": "Which two of these are among the seven ones?",
    "options": [
        {"text": "Scold the resident", "weight": 0},
        {"text": "Offer a seat", "weight": 50},
        {"text": "Say goodbye", "weight": 50},
        {"text": "Close the window", "weight": 0},
    ],
}

EXAMPLES: list[dict[str, Any]] = [
    HOTLINE,
    NO_NOTICE,
    FOLLOW_UP,
    {"kind": "numeric", "prompt": BUILT, "answer": 1958, "tolerance": 1},
    HOTLINE,
    {
        "kind": "single",
        "prompt": "Which discipline comes first of the five?",
        "options": [
            {"text": "Listen"},
            {"text": "Look", "correct": True},
            {"text": "Smile"},
            {"text": "Act"},
        ],
    },
    FOLLOW_UP,
    {
        "kind": "short_answer",
        "prompt": "One visit and three asks is written _____.",
        "answers": ["一访三问", "一访 三问"],
    },
    NO_NOTICE,
    {
        "kind": "true_false",
        "prompt": "A smile at one metre belongs to the smile discipline.",
        "answer": True,
    },
    {
        "kind": "matching",
        "prompt": "Match each character to its discipline.",
        "pairs": [["看", "look"], ["听", "listen"], ["笑", "smile"]],
    },
    {
        "kind": "matching",
        "prompt": "Match each utility with the unit it is billed in.",
        "pairs": [
            ["Water", "cubic metres"],
            ["Power", "kilowatt hours"],
            ["Heat", "gigajoules"],
            ["Gas", "normal cubic metres"],
        ],
    },
    {"kind": "numeric", "prompt": BUILT, "answer": 1958},
    {"kind": "numeric", "prompt": PRESSURE, "answer": 1.6015, "tolerance": 0.0005},
    {"kind": "numeric", "prompt": PRESSURE, "answers": [{"min": 1.601, "max": 1.602}]},
    {
        "kind": "numeric",
        "prompt": BUILT,
        "answers": [{"answer": 1958}, {"answer": 1958, "tolerance": 2, "weight": 50}],
    },
    {"kind": "numeric", "prompt": "How many service disciplines are there?", "answer": 5},
    {
        "kind": "short_answer",
        "title": "Listen character",
        "prompt": "The character of the listen discipline\nis written how?",
        "answers": ["听"],
    },
    {
        "kind": "single",
        "prompt": "What do you say when a resident leaves?",
        "options": [
            {"text": "nothing", "feedback": "Every visit ends with a goodbye."},
            {"text": "next!", "feedback": "That word pushes people away."},
            {"text": "goodbye, and thank you", "correct": True, "feedback": "Very good!"},
        ],
    },
    FOLLOW_UP_FEEDBACK,
    {**FOLLOW_UP_FEEDBACK, "prompt": "Which visit comes after the **repair**?"},
    {**NO_NOTICE, "feedback_true": "Every change must be announced in advance."},
    {
        "kind": "single",
        "prompt": "What do you promise a resident?",
        "options": [
            {"text": "nothing"},
            {"text": "that someone will call", "weight": 50},
            {"text": "a time and your name", "correct": True},
        ],
    },
    {
        "kind": "single",
        "title": "Repair promise",
        "prompt": "A repair promise names _____.",
        "options": [
            {"text": "nothing", "feedback": "That is no promise at all."},
            {"text": "a day", "weight": 25, "feedback": "Better, but vague."},
            {"text": "a day and a team", "weight": 50, "feedback": "Closer."},
            {
                "text": "a time and your name",
                "correct": True,
                "feedback": "Yes! That is the standard.",
            },
        ],
    },
    {
        "kind": "short_answer",
        "title": "Repair promise",
        "prompt": "A repair promise names _____.",
        "answers": PROMISE_ANSWERS,
    },
    SEVEN_ONES,  # unweighted wrong options get 0%, as in Moodle (no penalty)
    {
        **SEVEN_ONES,
        "options": [
            {**option, "weight": option["weight"] or -50} for option in SEVEN_ONES["options"]
        ],
    },
    {
        "kind": "single",
        "prompt": "Which answer equals 7?",
        "options": [{"text": "= 3 + 3"}, {"text": "= 3 + 4", "correct": True}, {"text": "= 3 + 5"}],
    },
    {
        "kind": "single",
        "title": "GIFT Control Characters",
        "prompt": "Which of these characters is not special in GIFT?",
        "options": [
            {"text": "~", "feedback": "~ starts a wrong answer."},
            {"text": "=", "feedback": "= starts a right answer."},
            {"text": "#", "feedback": "# starts feedback."},
            {"text": "{", "feedback": "{ opens the answers."},
            {"text": "}", "feedback": "} closes the answers."},
            {
                "text": "\\",
                "correct": True,
                "feedback": "Right! \\ (backslash) only escapes the others,\n"
                "so a literal backslash is written twice\n(as in this example).",
            },
        ],
    },
    HOTLINE,
    NO_NOTICE,
    FOLLOW_UP,
    {"kind": "numeric", "prompt": BUILT, "answer": 1958, "tolerance": 5},
    {
        "kind": "matching",
        "prompt": "Match the characters with their disciplines in\npinyin.",
        "pairs": [["看", "kan"], ["听", "ting"], ["笑", "xiao"]],
    },
    {
        "kind": "single",
        "prompt": "How do you close a repair call?",
        "options": [
            {"text": "hang up", "feedback": "comment on wrong answer"},
            {"text": "say it is fixed", "weight": 50, "feedback": "comment on answer"},
            {"text": "confirm with the resident", "correct": True, "feedback": "well done!"},
        ],
    },
    {
        "kind": "short_answer",
        "title": "Repair promise (Short answer ex.)",
        "prompt": "A repair promise names _____.",
        "answers": PROMISE_ANSWERS,
    },
    {
        "kind": "numeric",
        "title": "Numerical example",
        "prompt": BUILT,
        "answers": [
            {"answer": 1958, "feedback": "Correct! 100% credit"},
            {
                "answer": 1958,
                "tolerance": 2,
                "weight": 50,
                "feedback": "It was built in 1958.\nYou get 50% credit for being close.",
            },
        ],
    },
]

VISIT = {
    "kind": "single",
    "title": "Q2",
    "prompt": "Which phrase opens a visit?",
    "options": [
        {"text": "Good morning, how can I help?", "correct": True, "feedback": "right; good!"},
        {"text": "What?", "feedback": "wrong, that is curt"},
        {"text": "Next!", "feedback": "wrong, that is curt"},
    ],
}
DOCS_PAGE: list[dict[str, Any]] = [
    {"kind": "true_false", "title": "Q1", "prompt": "2+2=4", "answer": True},
    VISIT,
    {
        "kind": "matching",
        "title": "Q4",
        "prompt": "Which tool belongs to which discipline?",
        "pairs": [["feedback card", "listen"], ["phrase book", "speak"]],
    },
    {
        "kind": "numeric",
        "title": "Q5",
        "prompt": "What is a number from 2 to 6?",
        "answer": 4,
        "tolerance": 2,
    },
    {
        "kind": "numeric",
        "title": "Q6",
        "prompt": "What is a number from 2 to 6?",
        "answers": [{"min": 2, "max": 6}],
    },
    {
        "kind": "numeric",
        "title": "Q7",
        "prompt": BUILT,
        "answers": [
            {"answer": 1958, "feedback": "Correct! Full credit."},
            {
                "answer": 1958,
                "tolerance": 2,
                "weight": 50,
                "feedback": "It was built in 1958. Half credit for being close.",
            },
        ],
    },
    {
        "kind": "true_false",
        "prompt": "Planned outages must be announced.",
        "answer": True,
        "feedback_false": "Wrong: every change is announced.",
        "feedback_true": "Right.",
    },
    {"kind": "short_answer", "prompt": "2 + 2 =", "answers": ["4"]},
    {
        "kind": "single",
        "prompt": "The first discipline is:",
        "options": [
            {"text": "Look", "correct": True},
            {"text": "Listen"},
            {"text": "Smile"},
            {"text": "Act"},
        ],
    },
    {
        "kind": "single",
        "prompt": "A repair promise names",
        "options": [
            {"text": "nothing"},
            {"text": "a day", "weight": 25},
            {"text": "a day and a team", "weight": 50},
            {"text": "a time and your name", "correct": True},
        ],
    },
    {
        **SEVEN_ONES,
        "options": [
            {"text": "Scold the resident", "weight": -100},
            {"text": "Offer a seat", "weight": 50},
            {"text": "Say goodbye", "weight": 50},
            {"text": "Close the window", "weight": -100},
        ],
    },
]

FIXTURE: list[dict[str, Any]] = [
    {
        **VISIT,
        "options": [
            {"text": "Good morning", "correct": True, "feedback": "right; good!"},
            {"text": "What?", "feedback": "wrong, that is curt"},
            {"text": "Next!", "feedback": "wrong, that is curt"},
        ],
    },
    {
        "kind": "multiple",
        "title": "colours",
        "prompt": "Which of these are among the seven ones?",
        "options": [
            {"text": "offer a seat", "weight": 50, "feedback": "right; good!"},
            {"text": "scold", "weight": -100, "feedback": "wrong"},
            {"text": "say goodbye", "weight": 50, "feedback": "right; good!"},
            {"text": "close the window", "weight": -100, "feedback": "wrong"},
        ],
    },
    {
        "kind": "short_answer",
        "title": "Shortanswer",
        "prompt": "Which is the best greeting?",
        "answers": [
            {"text": "Good morning", "feedback": "Good!"},
            {"text": "Hello", "weight": 50, "feedback": "A bit casual."},
            {"text": "*", "weight": 0, "feedback": "Completely wrong"},
        ],
    },
    {
        "kind": "true_false",
        "title": "Q1",
        "prompt": 'Six is the number of service disciplines._____";',
        "answer": False,
        "feedback_true": "There are five.",
        "feedback_false": "You gave the right answer.",
        "feedback": "Look, listen, smile, speak, act.",
    },
    {
        "kind": "true_false",
        "title": "2-08 SAO",
        "prompt": "SAO means a smile at one metre.",
        "answer": True,
    },
    {
        "kind": "true_false",
        "title": "2-08 SAO",
        "prompt": "SAO means a smile at one metre.",
        "answer": True,
    },
]

MISSING_WORD = "missing-word question (text after the answers) is not supported; skipped"
ESSAY = "essay question ({} with no answers) is not supported; skipped"


@pytest.mark.parametrize(
    ("name", "expected", "problems"),
    [
        (
            "moodle-examples.gift",
            EXAMPLES,
            [(line, MISSING_WORD) for line in (11, 28, 30, 94, 169, 184)],
        ),
        (
            "moodle-docs-page.gift",
            DOCS_PAGE,
            [
                (13, MISSING_WORD),
                (29, ESSAY),
                (34, ESSAY),
                (68, MISSING_WORD),
                (71, "description (text with no answers in { }) is not supported; skipped"),
            ],
        ),
        (
            "moodle-fixture.gift",
            FIXTURE,
            [
                (6, ESSAY),
                (14, "matching distractors (a pair with no left side) are not supported"),
                (35, "'~' feedback for any other answer in a numerical question is not supported"),
            ],
        ),
    ],
)
def test_moodle_documentation_examples(
    name: str, expected: list[dict[str, Any]], problems: list[tuple[int, str]]
) -> None:
    """Every documented example of a supported kind imports right; the rest are reported by line."""
    questions, found = parse_gift((DATA / name).read_text(encoding="utf-8"))
    assert [q.to_data() for q in questions] == [question_of(d).to_data() for d in expected]
    assert questions == [question_of(d) for d in expected]
    assert found == [GiftProblem(line, message) for line, message in problems]


def test_html_format_is_converted_to_text() -> None:
    """[html] text loses its tags and entities; answers inherit the question's format."""
    text = (
        "::Service tools::[html]Match the <b>tool</b> to its&nbsp;use.<br>Two of them.{\n"
        "    =A card with an <i>opinion</i> &amp; a name. -> Feedback card\n"
        "    =[plain]A log <b>book</b>. -> Request <log>\n"
        "}\n"
    )
    (question,), problems = parse_gift(text)
    assert problems == []
    assert question.prompt == "Match the tool to its\xa0use.\nTwo of them."
    assert question.pairs == (
        ("A card with an opinion & a name.", "Feedback card"),
        ("A log <b>book</b>.", "Request <log>"),
    )


def test_markdown_and_plain_text_are_kept_as_written() -> None:
    """[markdown], [plain] and [moodle] only lose their tag."""
    text = (
        "[markdown]Is **this** kept?{T}\n\n[plain]<b>raw</b>{F}\n\n[moodle]x{T}\n\n[unknown]y{T}\n"
    )
    questions, _ = parse_gift(text)
    assert [q.prompt for q in questions] == ["Is **this** kept?", "<b>raw</b>", "x", "[unknown]y"]


def test_categories_comments_bom_and_crlf_are_ignored() -> None:
    """$CATEGORY lines, comments, a BOM and Windows line ends make no problem."""
    text = (
        "\ufeff$CATEGORY: $course$/top/listen\r\n\r\n// a comment\r\n$CATEGORY: x\r\nSay it.{T}\r\n"
    )
    questions, problems = parse_gift(text)
    assert (len(questions), problems) == (1, [])
    assert questions[0].prompt == "Say it."


def test_escapes_and_newlines() -> None:
    """Backslash escapes give literal control characters; \\n gives a line break."""
    text = r"::a\:b::Line one\nline two \{x\} \~ \= \# \\ C:\path{=a\=b\#c#fb \: ok}"
    (question,), problems = parse_gift(text)
    assert problems == []
    assert (question.title, question.prompt) == ("a:b", "Line one\nline two {x} ~ = # \\ C:\\path")
    assert question.answers[0].text == "a=b#c"
    assert question.answers[0].feedback == "fb : ok"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "\n\nQuestion {=a",
            3,
            "unbalanced braces: each question needs one '{' … '}' answer section",
        ),
        (
            "Question } {=a}",
            1,
            "unbalanced braces: each question needs one '{' … '}' answer section",
        ),
        ("::Title Question {T}", 1, "the title is not closed: '::title::' expected"),
        (
            "Q {=a} and {=b}",
            1,
            "more than one answer section ('{ }') in one question is not supported",
        ),
        ("Q {#abc}", 1, "numerical answer 'abc' is not a number"),
        ("Q {#1..x}", 1, "numerical answer '1..x' is not a number"),
        ("Q {#}", 1, "numerical question has no answer"),
        ("Q {\n=a -> 1\n=b}", 3, "matching pair 'b' has no '->'"),
        (
            "Q {~a ~b}",
            1,
            "question 1: multiple-choice question needs at least one correct option (correct: "
            "true or a positive weight)",
        ),
        (
            "Q {=a =b ~c}",
            1,
            "question 1: single-choice question needs exactly one correct option (correct: true, "
            "or weight: 100), found 2; use kind: multiple for several right answers",
        ),
        (
            "Q {\n=a\n=%50%b\n~%-20%c}",
            4,
            "question 1, option 3: weight must be between 0 and 100 in a single-choice question "
            "(negative weights need kind: multiple)",
        ),
        (
            "Q {=a -> x\n=b -> x}",
            2,
            "question 1: pair 2 has the same right side as pair 1 ('x'); right sides must be "
            "distinct",
        ),
    ],
)
def test_errors_are_reported_with_lines(text: str, line: int, message: str) -> None:
    """Broken or invalid questions are skipped with a problem at the right line."""
    questions, problems = parse_gift(text)
    assert questions == []
    assert problems == [GiftProblem(line, message)]
    assert str(problems[0]) == f"line {line}: {message}"


def test_problems_do_not_stop_the_following_questions() -> None:
    """One bad question is skipped; the others still import, in order."""
    text = "A{T}\n\nB{}\n\nC{F}\n"
    questions, problems = parse_gift(text)
    assert [q.prompt for q in questions] == ["A", "C"]
    assert [p.line for p in problems] == [3]


def test_true_false_words_are_case_sensitive_as_in_moodle() -> None:
    """{true} is a short answer 'true' in Moodle, so it is here too."""
    (question,), _ = parse_gift("Q {true}")
    assert (question.kind, question.answers[0].text) == ("short_answer", "true")


def test_ordering_annotation_reads_positions_in_any_order() -> None:
    """A matching question marked academy:ordering becomes an ordering by position."""
    text = "// academy:ordering\n// academy:points=2.5\nOrder them {\n=b -> 2\n=c -> 3\n=a -> 1\n}"
    (question,), problems = parse_gift(text)
    assert problems == []
    assert (question.kind, question.items, question.points) == ("ordering", ("a", "b", "c"), 2.5)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "// academy:ordering\nQ {T}",
            1,
            "'// academy:ordering' must come before a matching question whose right sides are "
            "the positions 1 to n",
        ),
        (
            "// academy:ordering\nQ {=a -> 1\n=b -> 3}",
            2,
            "a question marked '// academy:ordering' needs right sides that are the positions 1 "
            "to 2",
        ),
        ("// academy:points=lots\nQ {T}", 1, "'// academy:points=lots' needs a number"),
        ("// academy:shuffle\nQ {T}", 1, "unknown annotation '// academy:shuffle'"),
        ("// academy: ordering!\nQ {T}", 1, "unknown annotation '// academy: ordering!'"),
        ("// academy:ordering\n\nQ {T}", 1, "'// academy:ordering' is not followed by a question"),
        ("// academy:points=0\nQ {T}", 2, "question 1: points must be more than 0, not 0"),
    ],
)
def test_annotation_problems(text: str, line: int, message: str) -> None:
    """Misused or unknown academy annotations are reported, never silently dropped."""
    _, problems = parse_gift(text)
    assert GiftProblem(line, message) in problems
