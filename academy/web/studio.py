"""The authoring studio: trainers write, check, review and publish content in the browser.

Views stay thin: every rule is in `academy.studio` (workflow, services, media,
documents). One transaction per action; a refused action changes nothing.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf, validate_csrf
from flask_wtf.file import FileField
from markupsafe import Markup
from sqlalchemy import func, or_, select
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from academy.catalog.models import Module
from academy.catalog.scenario_models import Scenario as ScenarioRow
from academy.courses.render import MarkdownLimitError, render_markdown
from academy.extensions import csrf, db
from academy.quizzes import QuizError, grade, make_paper, parse_quiz, present, read_answers
from academy.scenarios import engine
from academy.scenarios.diagram import render_map_svg
from academy.studio import documents, media, services, workflow
from academy.studio.diff import diff_texts
from academy.studio.models import StudioDocument, StudioMedia, StudioReview, StudioRevision
from academy.vocabulary import AXES, DISCIPLINES
from academy.web.decorators import roles_required, signed_in
from academy.web.forms import ActionForm, MultiCheckboxField

bp = Blueprint("studio", __name__, url_prefix="/studio")
authors = roles_required("trainer")
PER_PAGE = 50

STATE_LABELS = {
    workflow.DRAFT: _l("Draft"),
    workflow.SUBMITTED: _l("In review"),
    workflow.RETURNED: _l("Returned"),
    workflow.APPROVED: _l("Approved"),
    workflow.PUBLISHED: _l("Published"),
    workflow.UNPUBLISHED: _l("Unpublished"),
}
ACTION_LABELS = {
    workflow.SAVE: _l("Saved"),
    workflow.SUBMIT: _l("Submit for review"),
    workflow.WITHDRAW: _l("Withdraw"),
    workflow.APPROVE: _l("Approve"),
    workflow.RETURN: _l("Return with comments"),
    workflow.PUBLISH: _l("Publish"),
    workflow.UNPUBLISH: _l("Unpublish"),
    workflow.ROLLBACK: _l("Roll back"),
}


#: What the studio's domain says, as people read it (other messages stay as they are).
MESSAGES = {
    services.SLUG_HELP: _l("Use lowercase letters, digits and dashes (e.g. night-calls)."),
    services.TAKEN: _l("This name is already taken: open the existing one from the studio list."),
    "choose one of the five disciplines": _l("Choose one of the five disciplines."),
    "a title of 1–200 characters is required": _l("A title of 1–200 characters is required."),
    "only a revision that was published can be rolled back to": _l(
        "Only a revision that was published can be rolled back to."
    ),
    "you cannot approve your own change: ask another trainer": _l(
        "You cannot approve your own change: ask another trainer."
    ),
    "withdraw your own submission instead of returning it": _l(
        "Withdraw your own submission instead of returning it."
    ),
    "say what needs changing: a comment is required": _l(
        "Say what needs changing: a comment is required."
    ),
    "only the author can withdraw a submission": _l("Only the author can withdraw a submission."),
    "the file is empty": _l("the file is empty"),
    "this is not a PNG, JPEG, WebP or SVG image (whatever its name says)": _l(
        "this is not a PNG, JPEG, WebP or SVG image (whatever its name says)"
    ),
    "SVG with a DOCTYPE or entities is refused": _l("SVG with a DOCTYPE or entities is refused"),
}


def say(message: str) -> str:
    """A domain message in the person's language, where it has a translation."""
    return str(MESSAGES.get(message, message))


@bp.app_template_global()
def studio_state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@bp.app_template_global()
def studio_action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# --- forms ---------------------------------------------------------------------------


class NewDrillForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name for the address"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lowercase letters, digits and dashes, e.g. night-calls."),
    )


class NewModuleForm(NewDrillForm):
    discipline = SelectField(_l("Discipline"), choices=[], validators=[DataRequired()])


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    order = IntegerField(_l("Order"), validators=[DataRequired(), NumberRange(1, 99)])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(1, 600)])
    objectives = TextAreaField(
        _l("Objectives"),
        validators=[Optional(), Length(max=4000)],
        description=_l("One per line: what the learner can do afterwards."),
    )
    axes = MultiCheckboxField(_l("Axes"), choices=[], validate_choice=False)
    body = TextAreaField(_l("Lesson text (Markdown)"), validators=[Length(max=200_000)])
    quiz = TextAreaField(_l("Quiz (YAML)"), validators=[Optional(), Length(max=200_000)])
    note = StringField(_l("What did you change?"), validators=[Optional(), Length(max=500)])


class SourceForm(FlaskForm):
    text = TextAreaField(_l("File text"), validators=[Length(max=services.MAX_TEXT)])
    note = StringField(_l("What did you change?"), validators=[Optional(), Length(max=500)])


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


class GiftForm(FlaskForm):
    gift = TextAreaField(_l("GIFT text"), validators=[DataRequired(), Length(max=200_000)])


def _axis_choices() -> list[tuple[str, str]]:
    from academy.web.growth_text import axis_label

    return [(axis, str(axis_label(axis))) for axis in AXES]


def _discipline_choices() -> list[tuple[str, str]]:
    from academy.web.growth_text import discipline_name

    return [(d, discipline_name(d)) for d in DISCIPLINES]


# --- list and create -----------------------------------------------------------------


@bp.get("/")
@authors
def index() -> Any:
    """Everything authorable: studio documents and published content not opened yet."""
    q = request.args.get("q", "").strip()[:100]
    state = request.args.get("state", "")
    query = select(StudioDocument).order_by(StudioDocument.updated_at.desc())
    if state in workflow.STATES:
        query = query.where(StudioDocument.state == state)
    if q:
        like = f"%{q}%"
        query = query.where(or_(StudioDocument.title.ilike(like), StudioDocument.key.ilike(like)))
    page = max(1, request.args.get("page", 1, type=int) or 1)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    docs = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    opened = set(db.session.execute(select(StudioDocument.kind, StudioDocument.key)).all())
    modules = [
        m
        for m in db.session.scalars(select(Module).order_by(Module.discipline, Module.position))
        if ("module", m.key) not in opened and (not q or q in m.title or q in m.key)
    ]
    drills = [
        d
        for d in db.session.scalars(select(ScenarioRow).order_by(ScenarioRow.slug))
        if ("drill", d.slug) not in opened and (not q or q in d.title or q in d.slug)
    ]
    waiting = db.session.scalar(
        select(func.count())
        .select_from(StudioDocument)
        .where(StudioDocument.state == workflow.SUBMITTED)
    )
    return render_template(
        "studio/index.html",
        docs=docs,
        modules=modules if state in ("", workflow.PUBLISHED) else [],
        drills=drills if state in ("", workflow.PUBLISHED) else [],
        q=q,
        state=state,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        waiting=waiting,
    )


@bp.route("/new/module", methods=["GET", "POST"])
@authors
def new_module() -> Any:
    form = NewModuleForm()
    form.discipline.choices = _discipline_choices()
    return _create(
        form,
        "module",
        lambda: services.create_module(
            current_user,
            discipline=form.discipline.data,
            slug=form.slug.data.strip(),
            title=form.title.data,
        ),
    )


@bp.route("/new/drill", methods=["GET", "POST"])
@authors
def new_drill() -> Any:
    form = NewDrillForm()
    return _create(
        form,
        "drill",
        lambda: services.create_drill(
            current_user, slug=form.slug.data.strip(), title=form.title.data
        ),
    )


def _create(form: NewDrillForm, kind: str, make: Any) -> Any:
    """The new-content form: on a valid post, make the first draft and open it."""
    if form.validate_on_submit():
        try:
            doc = make()
        except services.StudioError as exc:
            getattr(form, exc.field or "slug").errors.append(say(exc.message))
        else:
            db.session.commit()
            return redirect(url_for("studio.edit", doc_id=doc.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("studio/new.html", form=form, kind=kind), status


class TweeImportForm(FlaskForm):
    slug = StringField(
        _l("Short name for the address"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lowercase letters, digits and dashes, e.g. night-calls."),
    )
    upload = FileField(_l("Twee file (.twee, .tw)"))
    text = TextAreaField(
        _l("…or paste the Twee text"), validators=[Optional(), Length(max=services.MAX_TEXT)]
    )


class GiftImportForm(FlaskForm):
    discipline = SelectField(_l("Discipline"), choices=[], validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name for the address"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lowercase letters, digits and dashes, e.g. night-calls."),
    )
    upload = FileField(_l("GIFT file (.gift, .txt)"))
    text = TextAreaField(
        _l("…or paste the GIFT text"), validators=[Optional(), Length(max=services.MAX_TEXT)]
    )


def _import_text(form: Any) -> str | None:
    """The uploaded file's text (UTF-8) or the pasted text; errors go on the form."""
    upload = form.upload.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.read(services.MAX_TEXT * 4 + 1)
        if len(data) > services.MAX_TEXT * 4:
            form.upload.errors.append(_("The file is too large."))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.upload.errors.append(_("The file is not UTF-8 text."))
            return None
    if (form.text.data or "").strip():
        return form.text.data.replace("\r\n", "\n")
    form.text.errors.append(_("Choose a file or paste its text."))
    return None


@bp.route("/import", methods=["GET", "POST"])
@authors
def import_page() -> Any:
    """A Twine story becomes a draft drill, a GIFT file a draft lesson with that quiz."""
    from academy.studio import imports
    from academy.web.import_text import problem_text

    twee = TweeImportForm(prefix="twee")
    gift = GiftImportForm(prefix="gift")
    gift.discipline.choices = _discipline_choices()
    what = request.form.get("what")
    status = 200
    if request.method == "POST":
        status = 422
        form = twee if what == "twee" else gift
        if what in ("twee", "gift") and form.validate_on_submit():
            text = _import_text(form)
            name = getattr(form.upload.data, "filename", "") or _("pasted text")
            try:
                if text is None:
                    raise services.StudioError("", field="text")
                if what == "twee":
                    doc, result = imports.import_twee(
                        current_user, text, form.slug.data.strip(), name
                    )
                    warnings = [problem_text(w) for w in result.warnings]
                    blocking = [problem_text(p) for p in result.blocking]
                    count = None
                else:
                    doc, outcome = imports.import_gift(
                        current_user,
                        text,
                        discipline=form.discipline.data,
                        slug=form.slug.data.strip(),
                        title=form.title.data,
                        shown=name,
                    )
                    warnings = [problem_text(p) for p in outcome.problems]
                    blocking = []
                    count = outcome.imported
            except services.StudioError as exc:
                if exc.message:
                    getattr(form, exc.field or "slug").errors.append(say(exc.message))
            else:
                if doc is None:
                    form.text.errors.append(
                        _("Nothing could be imported from this file.")
                        if what == "gift"
                        else _("This is not a Twine story (no passages).")
                    )
                    return render_template(
                        "studio/import.html", twee=twee, gift=gift, what=what, problems=warnings
                    ), 422
                db.session.commit()
                return render_template(
                    "studio/imported.html",
                    doc=doc,
                    what=what,
                    warnings=warnings,
                    blocking=blocking,
                    count=count,
                )
    return render_template(
        "studio/import.html", twee=twee, gift=gift, what=what, problems=[]
    ), status


@bp.post("/open/<kind>/<path:key>")
@authors
def open_published(kind: str, key: str) -> Any:
    if kind not in services.KINDS or not ActionForm().validate_on_submit():
        abort(400)
    try:
        doc = services.open_published(kind, key)
    except services.StudioError:
        abort(404)
    db.session.commit()
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


# --- edit ----------------------------------------------------------------------------


def _document(doc_id: int, *, lock: bool = False) -> StudioDocument:
    doc = services.lock_document(doc_id) if lock else db.session.get(StudioDocument, doc_id)
    return doc or abort(404)


def _panel(doc: StudioDocument) -> dict[str, Any]:
    """What the workflow panel shows: state, possible actions, the review trail."""
    head = services.head(doc)
    actions = workflow.allowed_actions(
        doc.state, services.actor_of(current_user), author_id=head.author_id
    )
    reviews = db.session.scalars(
        select(StudioReview)
        .where(StudioReview.document_id == doc.id)
        .order_by(StudioReview.created_at.desc(), StudioReview.id.desc())
        .limit(20)
    ).all()
    return {"head": head, "actions": actions, "reviews": reviews, "comment_form": CommentForm()}


@bp.get("/<int:doc_id>")
@authors
def edit(doc_id: int) -> Any:
    doc = _document(doc_id)
    head = services.head(doc)
    if doc.kind == services.DRILL:
        form = SourceForm(data={"text": head.text})
        return _drill_page(doc, form, head.text)
    parts = documents.split_lesson(head.text)
    form = _lesson_form(parts)
    return _lesson_page(doc, form, head.text)


def _lesson_form(parts: documents.LessonParts, formdata: Any = None) -> LessonForm:
    front = parts.front
    objectives = front.get("objectives") or []
    form = LessonForm(
        formdata=formdata,
        data={
            "title": front.get("title", ""),
            "order": front.get("order") if isinstance(front.get("order"), int) else 1,
            "minutes": front.get("minutes") if isinstance(front.get("minutes"), int) else None,
            "objectives": "\n".join(str(o) for o in objectives)
            if isinstance(objectives, list)
            else "",
            "axes": [a for a in front.get("axes") or [] if a in AXES]
            if isinstance(front.get("axes"), list)
            else [],
            "body": parts.body,
            "quiz": parts.quiz_yaml,
        },
    )
    form.axes.choices = _axis_choices()
    return form


def _problems_by_line(doc: StudioDocument, text: str) -> list[Any]:
    _parsed, problems = services.validate(doc.kind, text, doc.path, doc.key)
    return sorted(problems, key=lambda p: (p.severity != "error", p.line))


def _lesson_page(
    doc: StudioDocument,
    form: LessonForm,
    text: str,
    status: int = 200,
    gift_form: GiftForm | None = None,
) -> Any:
    body = form.body.data or ""
    preview = _preview_html(body) if len(body) <= services.MAX_CHECKED else ""
    return (
        render_template(
            "studio/edit_module.html",
            doc=doc,
            form=form,
            preview=preview,
            problems=_problems_by_line(doc, text),
            gift_form=gift_form or GiftForm(),
            **_panel(doc),
        ),
        status,
    )


def _drill_page(doc: StudioDocument, form: SourceForm, text: str, status: int = 200) -> Any:
    scenario, problems = services.validate(doc.kind, text, doc.path, doc.key)
    svg = render_map_svg(scenario) if scenario is not None else None
    return (
        render_template(
            "studio/edit_drill.html",
            doc=doc,
            form=form,
            svg=svg,
            scenario=scenario,
            problems=sorted(problems, key=lambda p: (p.severity != "error", p.line)),
            **_panel(doc),
        ),
        status,
    )


@bp.post("/<int:doc_id>/save")
@authors
def save(doc_id: int) -> Any:
    doc = _document(doc_id, lock=True)
    base_version = request.form.get("base_version", type=int)
    if base_version is None:
        abort(400, _("The form has no version number. Open the document again."))
    if doc.kind == services.DRILL:
        form = SourceForm()
        if not form.validate_on_submit():
            return _drill_page(doc, form, form.text.data or "", 422)
        return _store(doc, form.text.data or "", base_version, form.note.data)
    head = services.head(doc).text
    form = _lesson_form(documents.split_lesson(head), request.form)
    if not form.validate_on_submit():
        return _lesson_page(doc, form, head, 422)
    try:
        text = documents.edit_lesson(
            head,
            title=form.title.data,
            order=form.order.data,
            minutes=form.minutes.data,
            objectives=form.objectives.data or "",
            axes=form.axes.data or [],
            body=form.body.data or "",
            quiz_yaml=form.quiz.data or "",
            file_order=_order_of(doc.path),
        )
    except documents.DocumentError as exc:
        message = say(exc.message)
        if exc.field == "order":
            message = _("The order is part of the file name: keep %(n)d.", n=_order_of(doc.path))
        getattr(form, exc.field).errors = [message]
        return _lesson_page(doc, form, head, 422)
    return _store(doc, text, base_version, form.note.data)


def _store(doc: StudioDocument, text: str, base_version: int, note: str | None) -> Any:
    """Save `text` as the next revision, or show the conflict; then back to the editor."""
    try:
        revision = services.save(
            doc, current_user, text, base_version=base_version, note=note or ""
        )
    except services.Conflict as conflict:
        db.session.rollback()
        return _conflict_page(conflict)
    except services.StudioError as exc:
        abort(422, say(exc.message))
    db.session.commit()
    flash(_("Saved as revision %(n)d.", n=revision.number), "success")
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


def _order_of(path: str) -> int:
    name = Path(path).name
    return int(name.split("-", 1)[0]) if name[:2].isdigit() else 1


def _conflict_page(conflict: services.Conflict) -> Any:
    doc = _document(conflict.document.id)
    theirs = services.head(doc)
    diff = diff_texts(doc.kind, theirs.text, conflict.mine)
    return (
        render_template(
            "studio/conflict.html",
            doc=doc,
            theirs=theirs,
            mine=conflict.mine,
            diff=diff,
            form=SourceForm(data={"text": conflict.mine}),
        ),
        409,
    )


@bp.route("/<int:doc_id>/source", methods=["GET"])
@authors
def source(doc_id: int) -> Any:
    """The whole file as text (what git users see), editable like a drill."""
    doc = _document(doc_id)
    head = services.head(doc)
    return render_template(
        "studio/source.html",
        doc=doc,
        form=SourceForm(data={"text": head.text}),
        problems=_problems_by_line(doc, head.text),
        head=head,
    )


@bp.post("/<int:doc_id>/source")
@authors
def save_source(doc_id: int) -> Any:
    doc = _document(doc_id, lock=True)
    form = SourceForm()
    base_version = request.form.get("base_version", type=int)
    if not form.validate_on_submit() or base_version is None:
        abort(400)
    return _store(doc, form.text.data or "", base_version, form.note.data)


@bp.post("/<int:doc_id>/gift")
@authors
def add_gift(doc_id: int) -> Any:
    """Questions pasted as GIFT join the quiz as a new revision (or nothing, with lines)."""
    doc = _document(doc_id, lock=True)
    form = GiftForm()
    if doc.kind != services.MODULE:
        abort(404)
    head = services.head(doc)
    parts = documents.split_lesson(head.text)
    if not form.validate_on_submit():
        lesson = _lesson_form(parts)
        return _gift_error(doc, lesson, head.text, form, [_("Paste some GIFT text first.")])
    try:
        quiz_yaml, added, problems = documents.add_gift(parts.quiz_yaml, form.gift.data)
    except documents.DocumentError as exc:
        problems, added = [exc.message], 0
    if problems:
        return _gift_error(doc, _lesson_form(parts), head.text, form, problems)
    text = documents.compose_lesson(parts.front, parts.body, quiz_yaml)
    services.save(doc, current_user, text, base_version=doc.lock_version, note=f"GIFT +{added}")
    db.session.commit()
    flash(_("%(n)d question(s) added from GIFT.", n=added), "success")
    return redirect(url_for("studio.edit", doc_id=doc.id) + "#quiz", 303)


def _gift_error(doc: StudioDocument, lesson: LessonForm, text: str, form: GiftForm, problems):
    form.gift.errors = list(problems)
    return _lesson_page(doc, lesson, text, 422, gift_form=form)


@bp.post("/preview")
@authors
def preview() -> Any:
    """Live preview: the lesson body rendered by the publishing renderer, or a drill map."""
    if not ActionForm().validate_on_submit():
        abort(400)
    kind = request.form.get("kind", "module")
    text = request.form.get("text", "")
    if len(text) > services.MAX_CHECKED:
        message = _(
            "The text is %(n)s characters long; at most %(max)s can be previewed and published:"
            " split it.",
            n=f"{len(text):,}",
            max=f"{services.MAX_CHECKED:,}",
        )
        return jsonify(error=message), 413
    if kind == "drill":
        doc = db.session.get(StudioDocument, request.form.get("doc", 0, type=int)) or abort(404)
        scenario, problems = services.validate("drill", text, doc.path, doc.key)
        return jsonify(
            svg=render_map_svg(scenario) if scenario is not None else None,
            problems=[_problem_json(p) for p in problems],
        )
    return jsonify(html=_preview_html(text))


def _preview_html(text: str) -> str:
    """The lesson body as published, or why it cannot be (a limit, with its line)."""
    try:
        return render_markdown(text).html
    except MarkdownLimitError as exc:
        message = _("Line %(line)s: this text cannot be shown (%(reason)s).")
        return str(
            Markup('<p class="field__error">%s</p>')
            % (message % {"line": exc.line, "reason": exc.message})
        )


def _problem_json(problem: Any) -> dict[str, Any]:
    return {"line": problem.line, "message": problem.message, "severity": problem.severity}


@bp.get("/csrf")
@authors
def csrf_refresh() -> Any:
    """A fresh CSRF token for a long editing session (the page refreshes it quietly)."""
    return jsonify(token=generate_csrf())


# --- history, diff, restore ------------------------------------------------------------


@bp.get("/<int:doc_id>/history")
@authors
def history(doc_id: int) -> Any:
    doc = _document(doc_id)
    revisions = db.session.scalars(
        select(StudioRevision)
        .where(StudioRevision.document_id == doc.id)
        .order_by(StudioRevision.number.desc())
    ).all()
    return render_template(
        "studio/history.html", doc=doc, revisions=revisions, form=ActionForm(), **_panel(doc)
    )


@bp.get("/<int:doc_id>/diff")
@authors
def diff(doc_id: int) -> Any:
    doc = _document(doc_id)
    b = request.args.get("b", doc.head_number, type=int)
    a = request.args.get("a", max(1, b - 1), type=int)
    try:
        old, new = services.revision(doc, a), services.revision(doc, b)
    except services.StudioError:
        abort(404)
    return render_template(
        "studio/diff.html", doc=doc, old=old, new=new, diff=diff_texts(doc.kind, old.text, new.text)
    )


@bp.post("/<int:doc_id>/restore/<int:number>")
@authors
def restore(doc_id: int, number: int) -> Any:
    doc = _document(doc_id, lock=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        revision = services.restore(doc, current_user, number)
    except services.StudioError:
        abort(404)
    db.session.commit()
    flash(
        _("Revision %(old)d restored as revision %(new)d.", old=number, new=revision.number),
        "success",
    )
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


# --- workflow --------------------------------------------------------------------------


@bp.post("/<int:doc_id>/act/<action>")
@authors
def act(doc_id: int, action: str) -> Any:
    doc = _document(doc_id, lock=True)
    form = CommentForm()
    if action not in workflow.ACTIONS or not form.validate_on_submit():
        abort(400)
    try:
        services.act(doc, current_user, action, form.comment.data or "")
    except workflow.TransitionRefused as refused:
        db.session.rollback()
        flash(say(refused.reason), "error")
        return redirect(url_for("studio.edit", doc_id=doc_id), 303)
    except services.PublishRefused as refused:
        db.session.rollback()
        doc = _document(doc_id)
        return render_template("studio/refused.html", doc=doc, problems=refused.problems), 422
    db.session.commit()
    flash(_("Done: %(action)s.", action=studio_action_label(action)), "success")
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


@bp.post("/<int:doc_id>/rollback/<int:number>")
@authors
def rollback(doc_id: int, number: int) -> Any:
    doc = _document(doc_id, lock=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.rollback(doc, current_user, number)
    except services.PublishRefused as refused:
        db.session.rollback()
        return render_template("studio/refused.html", doc=doc, problems=refused.problems), 422
    except (services.StudioError, workflow.TransitionRefused) as exc:
        db.session.rollback()
        flash(say(getattr(exc, "message", str(exc))), "error")
        return redirect(url_for("studio.history", doc_id=doc_id), 303)
    db.session.commit()
    flash(_("Revision %(n)d is live again.", n=number), "success")
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


# --- try it without recording evidence --------------------------------------------------


def _draft_quiz(doc: StudioDocument) -> Any:
    parts = documents.split_lesson(services.head(doc).text)
    data = parts.front.get("quiz")
    quiz, _problems = parse_quiz(data) if data is not None else (None, [])
    return quiz


@bp.route("/<int:doc_id>/try", methods=["GET", "POST"])
@authors
def try_quiz(doc_id: int) -> Any:
    """The draft's quiz as a learner sees it; answers graded here and never recorded."""
    doc = _document(doc_id)
    quiz = _draft_quiz(doc) if doc.kind == services.MODULE else None
    if quiz is None:
        flash(_("This draft has no valid quiz to try yet."), "error")
        return redirect(url_for("studio.edit", doc_id=doc.id), 303)
    key = f"studio_try_{doc.id}_{doc.head_number}"
    result = None
    if request.method == "POST" and ActionForm().validate_on_submit() and key in session:
        from academy.quizzes.paper import Paper

        try:
            paper = Paper.from_data(session[key])
            result = grade(quiz, paper, read_answers(quiz, paper, request.form))
        except (QuizError, KeyError, TypeError, ValueError):
            result = None
    if result is None:
        paper = make_paper(quiz, random.Random())
        session[key] = paper.to_data()
    return render_template(
        "studio/try_quiz.html",
        doc=doc,
        quiz=quiz,
        questions=present(quiz, paper),
        result=result,
    )


@bp.get("/<int:doc_id>/play")
@authors
def play(doc_id: int) -> Any:
    """Play-test a draft drill from any node; the path lives in the address, nothing stored."""
    doc = _document(doc_id)
    if doc.kind != services.DRILL:
        abort(404)
    scenario, problems = services.validate("drill", services.head(doc).text, doc.path, doc.key)
    if scenario is None:
        flash(_("Fix the errors before play-testing."), "error")
        return redirect(url_for("studio.edit", doc_id=doc.id), 303)
    start = request.args.get("from") or scenario.start
    if not scenario.has_node(start):
        abort(404)
    run = engine.start_run(scenario)
    run = type(run)(run.scenario, start, dict(run.state), dict(run.initial))
    steps: list[int] = []
    for part in (request.args.get("steps") or "").split(".")[:200]:
        if not part.isdigit():
            continue
        try:
            run = engine.choose(scenario, run, run.node, int(part))
        except (engine.ScenarioError, ValueError, IndexError):
            break
        steps.append(int(part))
    node = scenario.node(run.node)
    return render_template(
        "studio/play.html",
        doc=doc,
        scenario=scenario,
        run=run,
        node=node,
        choices=engine.available_choices(scenario, run),
        steps=".".join(str(s) for s in steps),
        start=start,
        finished=engine.is_finished(scenario, run),
    )


# --- media -----------------------------------------------------------------------------


def media_folder() -> Path:
    configured = current_app.config.get("STUDIO_MEDIA_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "media"


@bp.post("/media")
@csrf.exempt  # checked below from the header, before the body is read
@authors
def upload() -> Any:
    """An image for a lesson: checked by content, stored once, answered with its Markdown.

    The CSRF token comes in the ``X-CSRFToken`` header, so that an upload that is too
    large is refused by its declared length before any of it is read or spooled.
    """
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError:
        return jsonify(error=_("The form expired. Reload the page and try again.")), 400
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or media.MAX_BYTES * 2
    if (request.content_length or 0) > limit:
        message = _("The file is too large: at most %(mb)d MB.", mb=media.MAX_BYTES // 1_048_576)
        return jsonify(error=message), 413
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(error=_("Choose an image file.")), 422
    data = upload.read(media.MAX_BYTES + 1)
    try:
        image = media.check_image(data)
    except media.MediaError as exc:
        return jsonify(
            error=_("%(name)s: %(message)s", name=upload.filename, message=str(exc))
        ), 422
    media.store(image, media_folder())
    row = db.session.scalar(select(StudioMedia).where(StudioMedia.sha256 == image.sha256))
    if row is None:
        db.session.add(
            StudioMedia(
                sha256=image.sha256,
                mime=image.mime,
                extension=image.extension,
                size=len(image.data),
                original_name=(upload.filename or "")[:200],
                uploaded_by_id=current_user.id,
            )
        )
    db.session.commit()
    url = url_for("studio.media_file", filename=image.filename)
    alt = Path(upload.filename).stem[:60].replace("]", "")
    return jsonify(url=url, markdown=f"![{alt}]({url})")


@bp.get("/media/<filename>")
@signed_in
def media_file(filename: str) -> Any:
    """Uploaded images, for everyone signed in (lessons use them); never scripts."""
    stem, _dot, extension = filename.partition(".")
    if len(stem) != 64 or extension not in {"png", "jpg", "webp", "svg"}:
        abort(404)
    response = send_from_directory(media_folder(), filename, max_age=31_536_000)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
