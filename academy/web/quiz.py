"""Quizzes: take a module's quiz, see the result, the learner's history, trainer statistics.

The form contract (field names ``qN`` / ``qN-i`` with indices into the module
file) is documented in ``docs/formats-quiz.md``; grading and statistics are
the pure functions of `academy.quizzes`, storage is `academy.progress.quizzing`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.catalog import queries as content
from academy.catalog.models import Module
from academy.extensions import db, intend_to_write, sqlite_begin
from academy.progress import quizzing
from academy.quizzes import (
    FALSE_TEXT,
    NOTE_INVALID_ITEMS,
    NOTE_MORE_THAN_ONE,
    NOTE_NO_ANSWER,
    NOTE_NOT_A_NUMBER,
    NOTE_NOT_AN_OPTION,
    NOTE_NOT_TRUE_FALSE,
    NOTE_SOME_ITEMS,
    TRUE_TEXT,
    present,
)
from academy.quizzes.drafts import Draft, answered_count, clean_draft, unanswered
from academy.web.decorators import roles_required, signed_in

bp = Blueprint("quiz", __name__)
trainers = roles_required("trainer")

F = TypeVar("F", bound=Callable[..., Any])

#: Pages beyond this are refused by the database's integer range (an offset overflow).
MAX_PAGE = 100_000

#: The pure domain's English notes and true/false labels, translated for display.
NOTES = {
    NOTE_NO_ANSWER: _l("no answer"),
    NOTE_NOT_A_NUMBER: _l("not a number"),
    NOTE_NOT_AN_OPTION: _l("not one of the options"),
    NOTE_MORE_THAN_ONE: _l("more than one answer for a single-choice question"),
    NOTE_NOT_TRUE_FALSE: _l("not true or false"),
    NOTE_SOME_ITEMS: _l("some items were not answered"),
    NOTE_INVALID_ITEMS: _l("some items had an invalid answer"),
}
TRUE_FALSE = {TRUE_TEXT: _l("True"), FALSE_TEXT: _l("False")}
KIND_NAMES = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "true_false": _l("True or false"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
    "short_answer": _l("Short answer"),
    "numeric": _l("Number"),
}


def _writes(view: F) -> F:
    """Outermost on a GET that writes: begin SQLite's transaction IMMEDIATE.

    It must run before the login check, whose user query would otherwise start
    a read transaction that cannot safely become a write one under load.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        intend_to_write()
        if db.session().in_transaction():  # something read already: start over
            db.session.rollback()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _done_writing() -> None:
    """After the commit, read what the page needs without taking SQLite's write lock again."""
    sqlite_begin.set("DEFERRED")


def _module_with_quiz(discipline: str, slug: str) -> Module:
    module = content.published_module(discipline, slug)
    if module is None or not module.question_count:
        abort(404)
    return module


@bp.get("/courses/<discipline>/<slug>/quiz")
@_writes
@signed_in
def take(discipline: str, slug: str) -> Any:
    """The learner's paper: the open attempt, or a new one when the rules allow."""
    module = _module_with_quiz(discipline, slug)
    try:
        attempt = quizzing.open_attempt(current_user, module)
    except quizzing.QuizClosedError as closed:
        summary = quizzing.quiz_summary(current_user, module)
        return render_template("quiz/closed.html", module=module, gate=closed.gate, summary=summary)
    db.session.commit()
    _done_writing()
    return _paper_page(module, attempt, quizzing.draft_of(attempt))


def _paper_page(
    module: Module, attempt: Any, draft: Draft, missing: list[int] | None = None
) -> str:
    """The paper with the answers given so far, and the unanswered ones when confirming."""
    quiz, paper = quizzing.quiz_and_paper(attempt)
    questions = present(quiz, paper)
    return render_template(
        "quiz/take.html",
        module=module,
        attempt=attempt,
        quiz=quiz,
        questions=questions,
        draft=draft,
        answered=answered_count(questions, draft),
        missing=missing or [],
    )


@bp.post("/courses/<discipline>/<slug>/quiz")
@signed_in
def submit(discipline: str, slug: str) -> Any:
    """Grade the posted answers once; the same attempt posted again shows the same result."""
    module = _module_with_quiz(discipline, slug)
    token = request.form.get("attempt", "")
    if not quizzing.is_token(token):
        abort(400, _("The answer sheet has no valid attempt number. Open the quiz again."))
    attempt = quizzing.find_attempt(current_user, token) or abort(404)
    if attempt.module_key != module.key:
        abort(400, _("This answer sheet belongs to another quiz. Open the quiz again."))
    if attempt.submitted_at is None and not request.form.get("confirm"):
        # Unanswered questions: keep what was given and ask first (the no-JS path;
        # with JavaScript the page asks before posting and adds ``confirm``).
        quiz, paper = quizzing.quiz_and_paper(attempt)
        questions = present(quiz, paper)
        draft = clean_draft(questions, request.form)
        missing = unanswered(questions, draft)
        if missing:
            saved, _draft = quizzing.save_draft(current_user, attempt, request.form)
            if saved:
                db.session.commit()
                return _paper_page(module, attempt, draft, missing)
            db.session.rollback()  # submitted meanwhile (another tab): show that result
            return redirect(url_for("quiz.result", token=token), 303)
    quizzing.submit_attempt(current_user, attempt, request.form)
    db.session.commit()
    return redirect(url_for("quiz.result", token=token), 303)


@bp.post("/quiz/attempts/<token>/answers")
@signed_in
def autosave(token: str) -> Any:
    """Keep the answers given so far with the learner's open attempt (called on change).

    Same form fields as the submission (CSRF token included); answers back with
    how many questions are answered, never with anything of the answer key.
    Saving the same answers again changes nothing; a submitted attempt takes no
    more answers (409).
    """
    if not quizzing.is_token(token):
        abort(400, _("The answer sheet has no valid attempt number. Open the quiz again."))
    attempt = quizzing.find_attempt(current_user, token) or abort(404)
    posted = request.form.get("attempt")
    if posted is not None and posted != token:
        return jsonify(saved=False, error=_("This answer sheet belongs to another attempt.")), 422
    if attempt.submitted_at is not None:
        return _closed_reply(token)
    saved, draft = quizzing.save_draft(current_user, attempt, request.form)
    if not saved:
        db.session.rollback()
        return _closed_reply(token)
    db.session.commit()
    quiz, paper = quizzing.quiz_and_paper(attempt)
    questions = present(quiz, paper)
    return jsonify(saved=True, answered=answered_count(questions, draft), total=len(questions))


def _closed_reply(token: str) -> Any:
    return (
        jsonify(
            saved=False,
            error=_("This attempt has been submitted: your answers can no longer change."),
            result=url_for("quiz.result", token=token),
        ),
        409,
    )


@bp.get("/quiz/attempts/<token>")
@signed_in
def result(token: str) -> Any:
    """One submitted attempt: score, pass or fail, and each question with its feedback."""
    attempt = quizzing.find_attempt(current_user, token) or abort(404)
    module = db.session.scalar(db.select(Module).where(Module.key == attempt.module_key))
    if attempt.submitted_at is None:
        if module is None:
            abort(404)
        return redirect(url_for("quiz.take", discipline=module.discipline, slug=module.slug))
    live = module is not None and module.published and module.question_count
    summary = quizzing.quiz_summary(current_user, module) if live else None
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        module=module,
        result=quizzing.result_of(attempt),
        summary=summary,
    )


@bp.get("/me/attempts")
@signed_in
def history() -> Any:
    """The learner's quiz attempts, newest first."""
    number = request.args.get("page", 1, type=int) or 1
    page = db.paginate(
        quizzing.history_query(current_user),
        page=min(max(number, 1), MAX_PAGE),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    modules = quizzing.module_refs(a.module_key for a in page.items)
    return render_template("quiz/history.html", page=page, modules=modules)


@bp.get("/trainer/quizzes/")
@trainers
def trainer_index() -> Any:
    """Every module's quiz with attempts, learners and pass rate."""
    return render_template("quiz/trainer_index.html", rows=quizzing.quiz_overview())


@bp.get("/trainer/quizzes/<discipline>/<slug>")
@trainers
def trainer_module(discipline: str, slug: str) -> Any:
    """Per question: answered, percent correct, and the wrong answer chosen most."""
    module = _module_with_quiz(discipline, slug)
    version = request.args.get("version", "")
    report = quizzing.question_report(module, int(version) if version.isdigit() else None)
    return render_template("quiz/trainer_module.html", module=module, report=report)


@bp.app_template_global()
def quiz_note(note: str) -> str:
    """A grading note from the pure domain, translated."""
    return str(NOTES.get(note, note))


@bp.app_template_global()
def quiz_answer_text(kind: str, text: str) -> str:
    """An answer line for display: true/false labels translated, other text as written."""
    if kind == "true_false" and text in TRUE_FALSE:
        return str(TRUE_FALSE[text])
    return text


@bp.app_template_global()
def quiz_kind_name(kind: str) -> str:
    """The translated name of a question kind."""
    return str(KIND_NAMES.get(kind, kind))


@bp.app_template_global()
def quiz_score(value: float | None) -> str:
    """A score or percentage for people: locale digits, at most 2 decimals."""
    return "—" if value is None else format_decimal(value, format="#,##0.##")


@bp.app_template_filter("score_attr")
def score_attr(value: float | None) -> str:
    """A score for machines (``data-score``): plain digits, at most 2 decimals."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")
