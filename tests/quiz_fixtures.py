"""Shared by the quiz web, service and concurrency tests: a quiz with every kind, helpers."""

from __future__ import annotations

import re
from typing import Any

#: The test module whose quiz the tests replace (its file is left alone).
MODULE = "look/first-look"
QUIZ_URL = "/courses/look/first-look/quiz"

#: One question of each kind. Feedback texts are unique markers for leakage checks.
EVERY_KIND: dict[str, Any] = {
    "pass_mark": 80,
    "questions": [
        {
            "kind": "single",
            "prompt": "A resident waits at the window. What first?",
            "feedback": "GENERAL-FB-SINGLE",
            "options": [
                {"text": "Wait until they speak", "feedback": "FB-SINGLE-WAIT"},
                {"text": "Greet them", "correct": True, "feedback": "FB-SINGLE-GREET"},
                {"text": "Point at the queue machine", "weight": 50, "feedback": "FB-SINGLE-Q"},
            ],
        },
        {
            "kind": "multiple",
            "prompt": "Which are among the seven ones?",
            "options": [
                {"text": "Smile", "correct": True, "feedback": "FB-MULTI-SMILE"},
                {"text": "Ask for ID first", "feedback": "FB-MULTI-ID"},
                {"text": "Offer a seat", "correct": True},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "A latent need is one the user has said.",
            "answer": False,
            "feedback_true": "FB-TF-TRUE",
            "feedback_false": "FB-TF-FALSE",
        },
        {
            "kind": "matching",
            "prompt": "Match the character to its discipline.",
            "pairs": [["看", "look"], ["听", "listen"], ["笑", "smile"]],
        },
        {
            "kind": "ordering",
            "prompt": "Put the steps in order.",
            "items": ["observe", "guess", "judge", "act"],
        },
        {
            "kind": "short_answer",
            "prompt": "What is a need not yet spoken called?",
            "answers": [{"text": "KEYLATENT", "feedback": "FB-SHORT"}],
        },
        {
            "kind": "numeric",
            "prompt": "What does the meter read?",
            "answers": [{"answer": 1234.5, "tolerance": 0.5, "feedback": "FB-NUM"}],
        },
    ],
}

#: Full marks under the form contract: file indices, whatever order the page showed.
RIGHT_FORM: dict[str, Any] = {
    "q1": "1",
    "q2": ["0", "2"],
    "q3": "false",
    "q4-0": "0",
    "q4-1": "1",
    "q4-2": "2",
    "q5-0": "1",
    "q5-1": "2",
    "q5-2": "3",
    "q5-3": "4",
    "q6": "  keylatent ",
    "q7": "１２３４",
}

TOKEN_RE = re.compile(r'name="attempt" value="([^"]+)"')


def set_quiz(app: Any, data: dict[str, Any], key: str = MODULE) -> None:
    """Publish `data` as the quiz of module `key` (the database row, as a sync would)."""
    from sqlalchemy import select

    from academy.catalog.models import Module
    from academy.extensions import db
    from academy.quizzes import Quiz

    quiz = Quiz.from_data(data)
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.key == key))
        module.quiz = quiz.to_data()
        module.question_count = len(quiz.questions)
        module.revision += 1
        db.session.commit()


def open_paper(client: Any, url: str = QUIZ_URL) -> tuple[str, str]:
    """GET the quiz page: (html, attempt token)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    match = TOKEN_RE.search(html)
    assert match, "no attempt token on the quiz page"
    return html, match.group(1)


def submit(
    auth: Any, token: str, answers: dict[str, Any], url: str = QUIZ_URL, *, confirm: bool = True
) -> Any:
    """POST answers under the form contract (CSRF token added).

    `confirm` says "submit even with questions unanswered", as the page's
    confirmation does; without it such a sheet gets the confirmation step.
    """
    extra = {"confirm": "unanswered"} if confirm else {}
    return auth.post(url, {"attempt": token, **answers, **extra})


def result_figures(html: str) -> tuple[float, bool]:
    """(score, passed) read from the result page's data attributes."""
    match = re.search(r'data-score="([\d.]+)" data-passed="(true|false)"', html)
    assert match, "no data-score/data-passed on the result page"
    return float(match.group(1)), match.group(2) == "true"
