"""Writing questions as YAML and into a module's front matter (what import-gift calls)."""

from __future__ import annotations

import pytest
import yaml
from quizzes.quiz_samples import ALL_KINDS, MATCHING, SHORT, SINGLE, question_of

from academy.quizzes import (
    QuizError,
    parse_gift,
    parse_quiz,
    questions_to_yaml,
    replace_quiz_questions,
)

MODULE = """---
title: Reading the need before it is spoken
discipline: look            # must match the folder
order: 1
quiz:
  pass_mark: 70             # stricter than usual
  max_attempts: 3
  questions:
    - kind: true_false
      prompt: Old question
      answer: true
  # the questions above come from the workshop
  draw: 1
objectives:
  - Tell a present need from a latent one
---
Lesson body with a `quiz:` mention and a rule:

---

The end.
"""


def front(text: str) -> dict:  # type: ignore[type-arg]
    """The front matter of a module text as data."""
    return yaml.safe_load(text.split("---\n")[1])


def test_questions_to_yaml_reads_back_equal_and_keeps_chinese() -> None:
    """The YAML lists the questions (Unicode as written) and loads back to equal questions."""
    questions = [question_of(d) for d in ALL_KINDS]
    text = questions_to_yaml(questions)
    assert text.startswith("questions:\n  - kind: single\n")
    assert "一访三问" in text and "\\u" not in text
    assert "pairs:\n      - [看, look]\n" in text
    quiz, problems = parse_quiz({"pass_mark": 80, **yaml.safe_load(text)})
    assert problems == []
    assert quiz is not None and list(quiz.questions) == questions


def test_multi_line_texts_are_written_as_blocks() -> None:
    """A prompt with line breaks is written as a readable | block."""
    question = question_of({**SHORT, "prompt": "First line\nsecond line"})
    assert "prompt: |-\n      First line\n      second line\n" in questions_to_yaml([question])


def test_replace_keeps_everything_but_the_questions() -> None:
    """Other keys, comments, quiz settings and the body stay exactly as written."""
    questions = [question_of(SINGLE), question_of(MATCHING)]
    result = replace_quiz_questions(MODULE, questions)
    before, after = MODULE.split("  questions:\n"), result.split("  questions:\n")
    assert after[0] == before[0]
    assert after[1].endswith(before[1][before[1].index("  # the questions above") :])
    assert "Old question" not in result
    data = front(result)
    quiz, problems = parse_quiz(data["quiz"])
    assert problems == []
    assert quiz is not None
    assert list(quiz.questions) == questions
    assert (quiz.pass_mark, quiz.max_attempts, quiz.draw) == (70, 3, 1)
    assert data["objectives"] == ["Tell a present need from a latent one"]


def test_replace_creates_the_quiz_block() -> None:
    """A module without quiz: gets one with pass_mark 80 at the end of the front matter."""
    text = "---\ntitle: T\ndiscipline: look\n---\nBody\n"
    result = replace_quiz_questions(text, [question_of(SINGLE)])
    assert result.startswith(
        "---\ntitle: T\ndiscipline: look\nquiz:\n  pass_mark: 80\n  questions:\n"
    )
    assert result.endswith("---\nBody\n")
    assert parse_quiz(front(result)["quiz"])[0] is not None


def test_replace_adds_questions_to_a_quiz_without_them() -> None:
    """A quiz block with settings only gets its questions after the settings."""
    text = "---\ntitle: T\nquiz:\n    pass_mark: 60\n    # keep me\nafter: 1\n---\nBody\n"
    result = replace_quiz_questions(text, [question_of(SINGLE)])
    assert "quiz:\n    pass_mark: 60\n    questions:\n      - kind: single\n" in result
    assert "    # keep me\nafter: 1\n---\nBody\n" in result
    assert parse_quiz(front(result)["quiz"])[1] == []


def test_replace_rewrites_a_flow_style_quiz() -> None:
    """A one-line quiz mapping is rewritten in block style with its settings kept."""
    text = "---\ntitle: T\nquiz: {pass_mark: 65, questions: []}\nnext: 2\n---\n"
    result = replace_quiz_questions(text, [question_of(SINGLE)])
    data = front(result)
    assert (data["quiz"]["pass_mark"], data["next"]) == (65, 2)
    assert parse_quiz(data["quiz"])[1] == []


def test_replace_handles_an_empty_quiz_key_and_crlf() -> None:
    """`quiz:` with nothing under it is filled in; Windows line ends are kept."""
    text = "---\r\ntitle: T\r\nquiz:\r\n---\r\nBody\r\n"
    result = replace_quiz_questions(text, [question_of(SINGLE)])
    assert "\r\n" in result and "\n" not in result.replace("\r\n", "")
    assert parse_quiz(front(result.replace("\r\n", "\n"))["quiz"])[1] == []


def test_replace_imports_a_gift_file_end_to_end() -> None:
    """GIFT questions written into a module read back as the same questions."""
    questions, problems = parse_gift(
        "Q1 {T}\n\nQ2 {=a =b}\n\n// academy:ordering\nQ3 {=x -> 1\n=y -> 2}\n"
    )
    assert problems == []
    result = replace_quiz_questions(MODULE, questions)
    quiz, _ = parse_quiz(front(result)["quiz"])
    assert quiz is not None and list(quiz.questions) == questions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("No front matter\n", "no YAML front matter"),
        ("---\n- a list\n---\n", "must be a YAML mapping"),
        ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
    ],
)
def test_replace_rejects_modules_it_cannot_edit(text: str, message: str) -> None:
    """Texts without a front-matter mapping raise QuizError with a clear message."""
    with pytest.raises(QuizError, match=message):
        replace_quiz_questions(text, [question_of(SINGLE)])
