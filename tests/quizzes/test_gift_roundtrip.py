"""GIFT export then import gives back equal questions, for every kind and odd text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quizzes.quiz_samples import ALL_KINDS, question_data, question_of

from academy.quizzes import parse_gift, parse_question, to_gift


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(question_data, min_size=1, max_size=4))
def test_to_gift_then_parse_gift_gives_equal_questions(data: list[dict]) -> None:  # type: ignore[type-arg]
    """Any valid questions survive a GIFT round trip unchanged, with no problems."""
    questions = []
    for entry in data:
        question, problems = parse_question(entry, (), 1)
        assert question is not None, problems
        questions.append(question)
    text = to_gift(questions)
    parsed, problems = parse_gift(text)
    assert problems == []
    assert parsed == questions, text


def test_sample_quiz_round_trips() -> None:
    """The seven sample questions round-trip, the ordering through its annotation."""
    questions = [question_of(data) for data in ALL_KINDS]
    text = to_gift(questions)
    assert "// academy:ordering\n" in text
    assert "// academy:points=2\n" in text
    assert parse_gift(text) == (questions, [])


def test_tricky_texts_round_trip() -> None:
    """Texts that look like GIFT syntax, tags, weights, comments or arrows come back as written."""
    tricky = [
        "[html]<b>bold?</b>",
        "%50% off",
        "// not a comment",
        "a -> b",
        "::not a title::",
        "$CATEGORY: not one",
        "back\\slash \\n literal",
        "line one\nline two",
        "一访三问 ~=#{}:",
        "TRUE",
        "#",
    ]
    for text in tricky:
        questions = [
            question_of(
                {
                    "kind": "single",
                    "prompt": text,
                    "title": text,
                    "options": [
                        {"text": text, "correct": True, "feedback": text},
                        {"text": text + "!", "weight": 50, "feedback": text},
                    ],
                    "feedback": text,
                }
            ),
            question_of(
                {"kind": "matching", "prompt": text, "pairs": [[text, text], ["x", text + "!"]]}
            ),
            question_of(
                {
                    "kind": "short_answer",
                    "prompt": text,
                    "answers": [text, {"text": text, "weight": 10}],
                }
            ),
            question_of(
                {"kind": "true_false", "prompt": text, "answer": False, "feedback_true": text}
            ),
            question_of({"kind": "ordering", "prompt": text, "items": [text, text + "?"]}),
        ]
        assert parse_gift(to_gift(questions)) == (questions, []), text


def test_export_is_moodle_shaped() -> None:
    """Export uses Moodle's markers: = right, ~%w% weights, {#x:t}, TRUE#wrong#right."""
    single, multiple, true_false, _, _, _, numeric = (question_of(d) for d in ALL_KINDS)
    assert "\t=Greet them and ask#Read the need first.\n\t~%25%Point at the queue" in to_gift(
        [single]
    )
    assert "\t~%50%Offer a seat#Yes\\: 让出一个座位.\n" in to_gift([multiple])
    assert "\t~%-50%Ask for an ID card\n" in to_gift([multiple])
    assert to_gift([true_false]).endswith(
        "{FALSE#Every change is announced in advance.#Right\\: 计划停送水电变更告知制.}\n"
    )
    assert "\t=1:0.2#一米见微笑.\n\t=%50%1.5..3#A little far.\n" in to_gift([numeric])
    short = question_of(
        {"kind": "numeric", "prompt": "p", "answer": -2.5, "tolerance": 0.125, "feedback": "g"}
    )
    assert to_gift([short]) == "p{#-2.5:0.125\n\t####g\n}\n"
    assert to_gift([]) == ""


gift_soup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "{",
                "}",
                "=",
                "~",
                "#",
                "####",
                "->",
                "::",
                ":",
                "..",
                "%50%",
                "%-",
                "\\",
                "\n",
                "\n\n",
            ]
        ),
        st.sampled_from(
            ["T", "FALSE", "[html]", "<b>", "&amp;", "// academy:ordering\n", "$CATEGORY:"]
        ),
        st.sampled_from(["// c\n", "1", "-2.5", "1e9", "一访", " ", "\r\n", "\ufeff"]),
        st.text(max_size=3),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(gift_soup)
def test_parse_gift_never_raises_and_locates_every_problem(text: str) -> None:
    """Any text imports without an exception; problems point at lines of the text."""
    questions, problems = parse_gift(text)
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(1 <= problem.line <= lines for problem in problems)
    assert parse_gift(to_gift(questions)) == (questions, [])
