"""Demo history: realistic quiz attempts for the demo employees (some failed, then passed).

Importing this module registers `add_demo_quiz_attempts` in
`academy.demo.DEMO_EXTENSIONS` (`academy.demo` imports it when it builds the
demo). Attempts go through the same services as the web pages (open a paper,
submit a form graded by the pure grader), so the ledger, the learners' history
and the trainers' statistics all have data on first login.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from academy.accounts.models import User
from academy.catalog.queries import published_modules
from academy.demo import DEMO_EXTENSIONS
from academy.progress import quizzing
from academy.quizzes import Paper, Quiz, key_form
from academy.timeutil import utcnow

#: Demo learners with quiz history (the rest of a large demo starts fresh).
MAX_LEARNERS = 40
#: At most this many attempts at one quiz (if the quiz allows them).
MAX_TRIES = 3


def add_demo_quiz_attempts(users: list[User], now: datetime | None = None) -> str | None:
    """Give each new demo employee attempts at the first quizzes of the course."""
    learners = [user for user in users if user.role == "employee"][:MAX_LEARNERS]
    modules = [module for module in published_modules() if module.question_count]
    if not learners or not modules:
        return None
    now = now or utcnow()
    attempts = 0
    for number, user in enumerate(learners):
        rng = random.Random(f"academy-demo-quiz:{user.username}")
        skill = rng.uniform(0.45, 0.9)  # chance that an answer is right on the first try
        when = now - timedelta(days=45 - (number % 15), hours=rng.uniform(0, 8))
        for module in modules[: rng.randint(min(2, len(modules)), min(6, len(modules)))]:
            when += timedelta(days=rng.uniform(0.5, 3))
            for trial in range(MAX_TRIES):
                if when >= now - timedelta(hours=1):
                    break
                try:
                    attempt = quizzing.open_attempt(user, module, now=when, rng=rng)
                except quizzing.QuizClosedError:
                    break
                quiz, paper = quizzing.quiz_and_paper(attempt)
                form = demo_form(quiz, paper, min(0.97, skill + 0.2 * trial), rng)
                finished = when + timedelta(minutes=rng.uniform(3, 14))
                done = quizzing.submit_attempt(user, attempt, form, now=finished)
                attempts += 1
                if done.passed:
                    break
                wait = max(quiz.retry_after_minutes or 0, 60 * rng.uniform(2, 30))
                when = finished + timedelta(minutes=wait)
    return f"  quiz history: {attempts} attempt(s) by {len(learners)} employee(s)"


def demo_form(quiz: Quiz, paper: Paper, skill: float, rng: random.Random) -> dict[str, list[str]]:
    """A posted form that answers each question right with probability `skill`.

    Wrong answers favour the first wrong option of a question, as real
    misconceptions cluster, so the trainers' "most chosen wrong answer" means
    something in the demo.
    """
    form = key_form(quiz, paper)
    for item in paper.items:
        if rng.random() < skill:
            continue
        question = quiz.questions[item.index]
        field = f"q{item.index + 1}"
        kind = question.kind
        if kind in ("single", "multiple"):
            options = question.options  # type: ignore[attr-defined]
            wrong = [i for i, option in enumerate(options) if option.credit <= 0]
            if wrong:
                chosen = rng.choices(wrong, weights=[4] + [1] * (len(wrong) - 1))[0]
                form[field] = [str(chosen)] if kind == "single" else [*form[field], str(chosen)]
        elif kind == "true_false":
            form[field] = ["false" if form[field] == ["true"] else "true"]
        elif kind in ("matching", "ordering"):
            first, second = f"{field}-0", f"{field}-1"
            form[first], form[second] = form[second], form[first]
        elif kind == "numeric":
            form[field] = [str(float(form[field][0]) * 2 + 10)]
        else:
            form[field] = [""]
    return form


if add_demo_quiz_attempts not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(add_demo_quiz_attempts)
