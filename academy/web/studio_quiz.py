"""The studio's quiz pages: a module's quiz edited with forms, one question at a time.

Routes live on the studio blueprint (trainers and admins only, like the rest of
the studio). Every rule is in `academy.studio.quizform` (form values ↔ quiz
data) and `academy.studio.services` (revisions, optimistic lock): every save is
a revision made in one transaction, with the form's ``base_version``; a stale
version shows the studio's conflict page. The buttons that add, remove or move a
row post the form and show it again, so the pages work without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.extensions import db
from academy.quizzes import parse_quiz
from academy.quizzes.quality import quiz_problems
from academy.studio import documents, quizform, services
from academy.studio.models import StudioDocument
from academy.web.forms import ActionForm
from academy.web.studio import _conflict_page, _document, authors, bp, say

KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "true_false": _l("True or false"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
    "numeric": _l("Number"),
    "short_answer": _l("Short answer"),
}
KIND_HINTS = {
    "single": _l(
        "Mark the one right option. A weight (0–100) gives partial credit to another option."
    ),
    "multiple": _l(
        "Tick every right option; they share 100%. A weight overrides the share. "
        "A wrong option without a weight costs a share of the marks; write 0 for no penalty."
    ),
    "true_false": _l("A statement that is true or false, with feedback for each answer."),
    "matching": _l("Each left item has its own right side; right sides must differ."),
    "ordering": _l("Write the items in the right order; learners see them shuffled."),
    "numeric": _l(
        "An answer with a tolerance (± how much), or a range from min to max. "
        "Another answer with a weight below 100 gives partial credit."
    ),
    "short_answer": _l(
        "Accepted answers, compared ignoring case, width and spaces. "
        "A weight below 100 gives partial credit."
    ),
}
ROW_WORDS = {"option": _l("Option"), "pair": _l("Pair"), "item": _l("Item"), "answer": _l("Answer")}
ADD_LABELS = {
    "option": _l("Add an option"),
    "pair": _l("Add a pair"),
    "item": _l("Add an item"),
    "answer": _l("Add an answer"),
}

_REQUIRED = re.compile(
    r"^(option|pair|item|answer) (\d+): (text|left side|right side) is required$"
)
_NOT_NUMBER = re.compile(r"^(?:(option|pair|item|answer) (\d+): )?(.+) is not a number \('(.*)'\)$")
_FIELD_WORDS = {
    "text": _l("text"),
    "left side": _l("left side"),
    "right side": _l("right side"),
    "weight": _l("weight"),
    "tolerance": _l("tolerance"),
    "answer": _l("answer"),
    "min": _l("min"),
    "max": _l("max"),
    "points": _l("points"),
    "pass mark": _l("pass mark"),
    "questions drawn": _l("questions drawn"),
    "attempts allowed": _l("attempts allowed"),
    "minutes before a retry": _l("minutes before a retry"),
}
_MESSAGES = {
    "prompt is required": _l("The question text is required."),
    "answer: choose true or false": _l("Choose whether the statement is true or false."),
    "pass mark is required (0 to 100)": _l("A pass mark from 0 to 100 is required."),
    "pass mark must be between 0 and 100": _l("The pass mark must be between 0 and 100."),
}


def say_error(message: str) -> str:
    """A form error in the person's language where the pattern is known (else as is)."""
    if message in _MESSAGES:
        return str(_MESSAGES[message])
    if match := _REQUIRED.match(message):
        word, number, what = match.groups()
        return _(
            "%(row)s %(n)s: the %(what)s is required.",
            row=ROW_WORDS[word],
            n=number,
            what=_FIELD_WORDS[what],
        )
    if match := _NOT_NUMBER.match(message):
        word, number, what, typed = match.groups()
        label = str(_FIELD_WORDS.get(what, what))
        if word:
            label = f"{ROW_WORDS[word]} {number}: {label}"
        return _("%(field)s: '%(typed)s' is not a number.", field=label, typed=typed)
    return say(message)


@bp.app_template_global()
def studio_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


# --- reading the document ------------------------------------------------------------


class _Lesson:
    """The head revision of a module document, split, with its raw quiz mapping."""

    def __init__(self, doc: StudioDocument) -> None:
        self.doc = doc
        self.head = services.head(doc)
        self.parts = documents.split_lesson(self.head.text)
        self.readable = bool(self.parts.front)
        self.quiz = self.parts.front.get("quiz")
        self.questions = quizform.questions_of(self.quiz)

    def text_with(self, quiz: dict[str, Any]) -> str:
        return documents.compose_lesson(
            self.parts.front, self.parts.body, documents.dump_yaml(quiz)
        )


def _module(doc_id: int, *, lock: bool = False) -> _Lesson:
    doc = _document(doc_id, lock=lock)
    if doc.kind != services.MODULE:
        abort(404)
    return _Lesson(doc)


def _posted() -> int:
    """Check the CSRF token and read ``base_version`` of a posted form (or 400)."""
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    base_version = request.form.get("base_version", type=int)
    if base_version is None:
        abort(400, _("The form has no version number. Open the document again."))
    return base_version


def _writable(lesson: _Lesson) -> None:
    if not lesson.readable:
        abort(
            422,
            _("The file's front matter cannot be read: fix it in the whole-file editor first."),
        )


def _save(lesson: _Lesson, quiz: dict[str, Any], base_version: int, note: str, anchor: str) -> Any:
    """The quiz as the next revision (one transaction), or the conflict page."""
    try:
        revision = services.save(
            lesson.doc, current_user, lesson.text_with(quiz), base_version=base_version, note=note
        )
    except services.Conflict as conflict:
        db.session.rollback()
        return _conflict_page(conflict)
    except services.StudioError as exc:
        db.session.rollback()
        abort(422, say(exc.message))
    db.session.commit()
    flash(_("Saved as revision %(n)d.", n=revision.number), "success")
    return redirect(url_for("studio.quiz", doc_id=lesson.doc.id) + anchor, 303)


def _strip_question(message: str, number: int) -> str:
    for prefix in (f"question {number}, ", f"question {number}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _checks(lesson: _Lesson) -> tuple[list[tuple[str, str]], dict[int, list[tuple[str, str]]]]:
    """(quiz-level problems, problems by question index) as (severity, message)."""
    overall: list[tuple[str, str]] = []
    by_question: dict[int, list[tuple[str, str]]] = {}
    if lesson.quiz is None:
        return overall, by_question
    quiz, problems = parse_quiz(lesson.quiz)
    found = [("error", p) for p in problems]
    if quiz is not None:
        _policy, settings = services.content_settings()
        warnings = quiz_problems(
            quiz, lesson.parts.body, settings.quiz, settings.caricature_phrases
        )
        found.extend(("warning", p) for p in warnings)
    for severity, problem in found:
        path = problem.path
        if len(path) > 2 and path[1] == "questions" and isinstance(path[2], int):
            index = path[2]
            message = _strip_question(problem.message, index + 1)
            by_question.setdefault(index, []).append((severity, message))
        else:
            overall.append((severity, problem.message))
    return overall, by_question


# --- the quiz page ---------------------------------------------------------------------


def _summary(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {"kind": "", "prompt": str(data)[:200], "title": "", "points": 1, "editable": False}
    return {
        "kind": str(data.get("kind", "")),
        "prompt": str(data.get("prompt", "")),
        "title": str(data.get("title", "") or ""),
        "points": data.get("points", 1),
        "editable": data.get("kind") in quizform.KINDS,
    }


def _quiz_page(
    lesson: _Lesson,
    status: int = 200,
    settings: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    gift: str = "",
) -> Any:
    overall, by_question = _checks(lesson)
    questions = [
        {**_summary(data), "number": i + 1, "problems": by_question.get(i, [])}
        for i, data in enumerate(lesson.questions)
    ]
    return (
        render_template(
            "studio/quiz.html",
            doc=lesson.doc,
            readable=lesson.readable,
            has_quiz=lesson.quiz is not None,
            settings=settings or quizform.settings_values(lesson.quiz),
            errors=errors or {},
            questions=questions,
            overall=overall,
            kinds=quizform.KINDS,
            gift=gift,
            action_form=ActionForm(),
        ),
        status,
    )


@bp.get("/<int:doc_id>/quiz")
@authors
def quiz(doc_id: int) -> Any:
    """The module's quiz: settings, questions with their checks, add, move, delete."""
    return _quiz_page(_module(doc_id))


def _errors_by_field(found: list[quizform.FieldError]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in found:
        errors.setdefault(error.field, []).append(say_error(error.message))
    return errors


@bp.post("/<int:doc_id>/quiz/settings")
@authors
def quiz_settings(doc_id: int) -> Any:
    lesson = _module(doc_id, lock=True)
    base_version = _posted()
    _writable(lesson)
    new, found = quizform.apply_settings(lesson.quiz, request.form)
    if new is None:
        posted = {key: request.form.get(key, "")[:50] for key in quizform.SETTING_KEYS}
        return _quiz_page(lesson, 422, settings=posted, errors=_errors_by_field(found))
    return _save(lesson, new, base_version, "quiz: settings", "#settings")


@bp.post("/<int:doc_id>/quiz/gift")
@authors
def quiz_gift(doc_id: int) -> Any:
    """GIFT text pasted on the quiz page adds its questions (or nothing, with lines)."""
    lesson = _module(doc_id, lock=True)
    base_version = _posted()
    _writable(lesson)
    text = request.form.get("gift", "")
    if len(text) > 200_000:
        return _quiz_page(lesson, 422, errors={"gift": [_("The GIFT text is too long.")]})
    if not text.strip():
        return _quiz_page(lesson, 422, errors={"gift": [_("Paste some GIFT text first.")]})
    current = documents.dump_yaml(lesson.quiz) if isinstance(lesson.quiz, dict) else ""
    try:
        quiz_yaml, added, problems = documents.add_gift(current, text)
    except documents.DocumentError as exc:
        quiz_yaml, added, problems = current, 0, [exc.message]
    if problems:
        return _quiz_page(lesson, 422, errors={"gift": problems}, gift=text)
    new = documents.parse_quiz_yaml(quiz_yaml)
    return _save(lesson, new, base_version, f"GIFT +{added}", "#questions")


# --- one question ------------------------------------------------------------------------


def _question_page(
    lesson: _Lesson,
    values: quizform.QuestionValues,
    number: int | None,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
) -> Any:
    action = (
        url_for("studio.quiz_question", doc_id=lesson.doc.id, number=number)
        if number
        else url_for("studio.quiz_new", doc_id=lesson.doc.id)
    )
    return (
        render_template(
            "studio/quiz_question.html",
            doc=lesson.doc,
            values=values,
            number=number,
            action=action,
            errors=errors or {},
            hint=KIND_HINTS[values.kind],
            row_word=ROW_WORDS.get(values.group, ""),
            add_label=ADD_LABELS.get(values.group, ""),
            action_form=ActionForm(),
            base_version=request.form.get("base_version", lesson.doc.lock_version),
        ),
        status,
    )


def _posted_question(lesson: _Lesson, kind: str, number: int | None, index: int | None) -> Any:
    """A posted question form: a row button shows it again; save stores a revision."""
    base_version = _posted()
    _writable(lesson)
    values = quizform.read_values(request.form, kind)
    op = request.form.get("op", "save")
    if op != "save":
        if not quizform.apply_op(values, op):
            abort(400, _("Unknown button."))
        return _question_page(lesson, values, number)
    position = (index if index is not None else len(lesson.questions)) + 1
    data, found = quizform.question_data(values, position)
    if data is None:
        return _question_page(lesson, values, number, 422, _errors_by_field(found))
    if index is None:
        if len(lesson.questions) >= quizform.MAX_QUESTIONS:
            abort(422, _("A quiz has at most %(n)d questions.", n=quizform.MAX_QUESTIONS))
        new = quizform.add_question(lesson.quiz, data)
        note = f"quiz: + {kind}"
    else:
        new = quizform.replace_question(lesson.quiz, index, data)
        note = f"quiz: question {index + 1}"
    return _save(lesson, new, base_version, note, f"#question-{position}")


@bp.route("/<int:doc_id>/quiz/new", methods=["GET", "POST"])
@authors
def quiz_new(doc_id: int) -> Any:
    """A new question of the kind chosen (``?kind=…``); saved only when it is valid."""
    lesson = _module(doc_id, lock=request.method == "POST")
    kind = (request.form if request.method == "POST" else request.args).get("kind", "")
    if kind not in quizform.KINDS:
        abort(400, _("kind: choose one of %(kinds)s.", kinds=", ".join(quizform.KINDS)))
    if request.method == "GET":
        return _question_page(lesson, quizform.new_question(kind), None)
    return _posted_question(lesson, kind, None, None)


def _index(lesson: _Lesson, number: int) -> int:
    if not 1 <= number <= len(lesson.questions):
        abort(404)
    return number - 1


@bp.route("/<int:doc_id>/quiz/<int:number>", methods=["GET", "POST"])
@authors
def quiz_question(doc_id: int, number: int) -> Any:
    """Edit question `number` (1-based) with the form of its kind."""
    lesson = _module(doc_id, lock=request.method == "POST")
    index = _index(lesson, number)
    data = lesson.questions[index]
    if not isinstance(data, dict) or data.get("kind") not in quizform.KINDS:
        flash(_("This question can only be edited as YAML (Advanced)."), "error")
        return redirect(url_for("studio.edit", doc_id=lesson.doc.id) + "#quiz", 303)
    if request.method == "GET":
        return _question_page(lesson, quizform.question_values(data), number)
    return _posted_question(lesson, str(data["kind"]), number, index)


@bp.post("/<int:doc_id>/quiz/<int:number>/move")
@authors
def quiz_move(doc_id: int, number: int) -> Any:
    lesson = _module(doc_id, lock=True)
    base_version = _posted()
    _writable(lesson)
    index = _index(lesson, number)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400, _("direction: up or down."))
    delta = -1 if direction == "up" else 1
    new = quizform.move_question(lesson.quiz, index, delta)
    target = max(1, min(len(lesson.questions), number + delta))
    return _save(
        lesson, new, base_version, f"quiz: question {number} {direction}", f"#question-{target}"
    )


@bp.route("/<int:doc_id>/quiz/<int:number>/delete", methods=["GET", "POST"])
@authors
def quiz_delete(doc_id: int, number: int) -> Any:
    """Ask first (a page, so it works without JavaScript), then delete the question."""
    lesson = _module(doc_id, lock=request.method == "POST")
    index = _index(lesson, number)
    if request.method == "GET":
        return render_template(
            "studio/quiz_delete.html",
            doc=lesson.doc,
            number=number,
            question=_summary(lesson.questions[index]),
            action_form=ActionForm(),
        )
    base_version = _posted()
    _writable(lesson)
    new = quizform.delete_question(lesson.quiz, index)
    return _save(lesson, new, base_version, f"quiz: question {number} deleted", "#questions")
