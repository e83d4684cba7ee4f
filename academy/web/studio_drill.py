"""The studio's drill forms: header, nodes and choices edited as fields, map beside them.

Routes on the ``studio`` blueprint (trainers and admins only). The rules live in
`academy.studio.drillform` (pure) and `academy.studio.services` (revisions,
optimistic lock): a view reads the form, applies it to the head revision's YAML
and saves the result as the next revision, in one transaction. Nothing needs
JavaScript: "add choice" and "remove" are submit buttons that redraw the form.
The YAML source editor (`studio.edit`) stays as the advanced view.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.extensions import db
from academy.scenarios import parse_scenario
from academy.scenarios.diagram import render_map_svg
from academy.scenarios.model import ENDINGS, NODE_TAGS, SPEAKERS
from academy.studio import drillform, services
from academy.studio.models import StudioDocument
from academy.vocabulary import AXES, DISCIPLINES
from academy.web.drills import _map_labels
from academy.web.forms import ActionForm
from academy.web.growth_text import axis_label, discipline_name
from academy.web.studio import _conflict_page, _panel, authors, bp

NOTE_LIMIT = 500

#: The form's refusals as people read them (messages naming a value stay as they are).
MESSAGES = {
    "a title is required": _l("A title is required."),
    "the pass mark is 0-100": _l("The pass mark is 0-100."),
    "minutes are more than 0 and at most 600": _l("Minutes are more than 0 and at most 600."),
    "a state name is a word (letters, digits, _; not and/or/not)": _l(
        "A state name is a word (letters, digits, _; not and/or/not)."
    ),
    "an initial value is required": _l("An initial value is required."),
    "the minimum is above the maximum": _l("The minimum is above the maximum."),
    "a node id is required": _l("A node id is required."),
    "an ending takes no tags (they mark decisions)": _l(
        "An ending takes no tags (they mark decisions)."
    ),
    "an ending has no choices: remove them or make the node a decision": _l(
        "An ending has no choices: remove them or make the node a decision."
    ),
    "a choice needs its text": _l("A choice needs its text."),
    "every choice needs its feedback": _l("Every choice needs its feedback."),
    "choose the node this choice leads to": _l("Choose the node this choice leads to."),
    "the text contains a NUL character": _l("The text contains a NUL character."),
}


def say(exc: drillform.DrillFormError) -> str:
    return str(MESSAGES.get(exc.message, exc.message))


def _drill(doc_id: int, *, lock: bool = False) -> StudioDocument:
    doc = services.lock_document(doc_id) if lock else db.session.get(StudioDocument, doc_id)
    if doc is None or doc.kind != services.DRILL:
        abort(404)
    return doc


def _checked_post() -> int:
    """CSRF and the version the form was opened at (400 when either is missing)."""
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    base_version = request.form.get("base_version", type=int)
    if base_version is None:
        abort(400, _("The form has no version number. Open the document again."))
    return base_version


def _head(doc: StudioDocument) -> tuple[str, dict[str, Any] | None, str | None]:
    """The head text, its data (None when forms cannot edit it) and why not."""
    text = services.head(doc).text
    try:
        return text, drillform.load(text), None
    except drillform.DrillFormError as exc:
        return text, None, exc.message


def _checks(doc: StudioDocument, text: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """The validator's problems by node, the map, and the scenario for play-testing."""
    scenario, problems = services.validate(doc.kind, text, doc.path, doc.key)
    drawn = scenario
    if drawn is None and data is not None:
        drawn, _found = parse_scenario(data, doc.key, lenient=True)
    svg = None
    if drawn is not None:
        try:
            svg = render_map_svg(drawn, labels=_map_labels())
        except (ValueError, KeyError):
            svg = None
    return {
        "scenario": scenario,
        "located": drillform.locate(text, problems),
        "svg": svg,
    }


def _store(doc: StudioDocument, data: dict[str, Any], base_version: int, note: str) -> Any:
    """Save the edited data as the next revision; None when saved, else the conflict page."""
    text = drillform.dump(data)
    try:
        services.save(doc, current_user, text, base_version=base_version, note=note[:NOTE_LIMIT])
    except services.Conflict as conflict:
        db.session.rollback()
        return _conflict_page(conflict)
    except services.StudioError as exc:
        db.session.rollback()
        abort(422, exc.message)
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        doc.title = title.strip()[:200]
    db.session.commit()
    return None


def _no_form(doc: StudioDocument, reason: str) -> Any:
    flash(_("The forms cannot read this file: %(reason)s", reason=reason), "error")
    return redirect(url_for("studio.edit", doc_id=doc.id), 303)


def _common(doc: StudioDocument, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "doc": doc,
        "node_ids": drillform.node_ids(data),
        "speakers": SPEAKERS,
        "endings": ENDINGS,
        "node_tags": NODE_TAGS,
        "disciplines": DISCIPLINES,
        "axes": AXES,
        "action_form": ActionForm(),
        "discipline_name": discipline_name,
        "axis_label": axis_label,
    }


# --- the drill: header, node list, map ---------------------------------------------------


@bp.route("/<int:doc_id>/drill", methods=["GET", "POST"])
@authors
def drill_form(doc_id: int) -> Any:
    """The drill's header as fields, its nodes listed with their checks, the map beside."""
    doc = _drill(doc_id, lock=request.method == "POST")
    text, data, reason = _head(doc)
    if data is None:
        return _no_form(doc, reason or "")
    values = drillform.header_values(data)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        base_version = _checked_post()
        try:
            values = drillform.read_header_form(request.form)
            new = drillform.apply_header(data, values)
        except drillform.DrillFormError as exc:
            errors[exc.field] = say(exc)
            status = 422
        else:
            conflict = _store(doc, new, base_version, request.form.get("note", ""))
            if conflict is not None:
                return conflict
            flash(_("Saved as revision %(n)d.", n=doc.head_number), "success")
            return redirect(url_for("studio.drill_form", doc_id=doc.id), 303)
    return _overview(doc, text, data, values, errors, status)


def _overview(
    doc: StudioDocument,
    text: str,
    data: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status: int,
    add_errors: dict[str, str] | None = None,
) -> Any:
    nodes = data.get("nodes") or {}
    rows = []
    for node_id, raw in nodes.items():
        raw = raw if isinstance(raw, dict) else {}
        rows.append(
            {
                "id": node_id,
                "speaker": raw.get("speaker") or "narrator",
                "ending": raw.get("ending"),
                "choices": len(raw.get("choices") or [])
                if isinstance(raw.get("choices"), list)
                else 0,
                "text": str(raw.get("text") or "")[:80],
            }
        )
    return (
        render_template(
            "studio/drill_overview.html",
            values=values,
            fields=drillform.header_fields(values),
            errors=errors,
            add_errors=add_errors or {},
            base_version=request.form.get("base_version", type=int)
            if request.method == "POST"
            else doc.lock_version,
            rows=rows,
            **_checks(doc, text, data),
            **_common(doc, data),
            **_panel(doc),
        ),
        status,
    )


@bp.post("/<int:doc_id>/drill/add")
@authors
def drill_add_node(doc_id: int) -> Any:
    """A new node at the end of the drill (a decision or an ending), then its form."""
    doc = _drill(doc_id, lock=True)
    base_version = _checked_post()
    text, data, reason = _head(doc)
    if data is None:
        return _no_form(doc, reason or "")
    node_id = (request.form.get("id") or "").strip()
    try:
        new = drillform.add_node(data, node_id, request.form.get("kind", "decision"))
    except drillform.DrillFormError as exc:
        values = drillform.header_values(data)
        return _overview(doc, text, data, values, {}, 422, {exc.field: say(exc)})
    conflict = _store(doc, new, base_version, _("Node %(id)s added", id=node_id))
    if conflict is not None:
        return conflict
    flash(_("Node “%(id)s” added: now write it.", id=node_id), "success")
    return redirect(url_for("studio.drill_node", doc_id=doc.id, node_id=node_id), 303)


# --- one node ----------------------------------------------------------------------------


@bp.route("/<int:doc_id>/drill/node/<path:node_id>", methods=["GET", "POST"])
@authors
def drill_node(doc_id: int, node_id: str) -> Any:
    """One node and its choices as fields; the node's checks beside them, then the map."""
    saving = request.method == "POST" and request.form.get("action", "save") == "save"
    doc = _drill(doc_id, lock=saving)  # redrawing the form or the map locks nothing
    text, data, reason = _head(doc)
    if data is None:
        return _no_form(doc, reason or "")
    if node_id not in (data.get("nodes") or {}):
        abort(404)
    values = drillform.node_values(data, node_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        base_version = _checked_post()
        action = request.form.get("action", "save")
        try:
            values = drillform.read_node_form(request.form)
        except drillform.DrillFormError as exc:
            abort(400, f"{exc.field}: {exc.message}")
        if action == "add-choice":
            if len(values["choices"]) >= drillform.MAX_CHOICES:
                errors["choice_count"] = _("At most %(n)d choices.", n=drillform.MAX_CHOICES)
                status = 422
            else:
                values["choices"].append(drillform.empty_choice())
        elif action.startswith("remove-") and action[7:].isdigit():
            index = int(action[7:])
            if index < len(values["choices"]):
                values["choices"].pop(index)
        elif action == "preview":
            return _preview(doc, data, node_id, values)
        elif action == "save":
            try:
                new = drillform.apply_node(data, node_id, values)
            except drillform.DrillFormError as exc:
                errors[exc.field] = say(exc)
                status = 422
            else:
                conflict = _store(doc, new, base_version, request.form.get("note", ""))
                if conflict is not None:
                    return conflict
                flash(_("Saved as revision %(n)d.", n=doc.head_number), "success")
                target = values["id"].strip()
                return redirect(url_for("studio.drill_node", doc_id=doc.id, node_id=target), 303)
        else:
            abort(400)
    effects = drillform.effect_names(data, values)
    checks = _checks(doc, text, data)
    return (
        render_template(
            "studio/drill_node.html",
            node_id=node_id,
            values=values,
            effects=effects,
            errors=errors,
            base_version=request.form.get("base_version", type=int)
            if request.method == "POST"
            else doc.lock_version,
            pointers=drillform.pointers(data, node_id),
            **checks,
            **_common(doc, data),
        ),
        status,
    )


def _preview(
    doc: StudioDocument, data: dict[str, Any], node_id: str, values: dict[str, Any]
) -> Any:
    """The map and this node's checks for the form as typed, saving nothing (for the page's
    script: the map redrawn while the trainer writes)."""
    try:
        new = drillform.apply_node(data, node_id, values)
    except drillform.DrillFormError as exc:
        return jsonify(error={"field": exc.field, "message": say(exc)}, svg=None, problems=[])
    checks = _checks(doc, drillform.dump(new), new)
    located = checks["located"]
    found = located.of(values["id"].strip())
    return jsonify(
        error=None,
        svg=checks["svg"],
        problems=[
            {
                "severity": p.severity,
                "message": p.message,
                "choice": p.choice,
                "label": _("Error") if p.severity == "error" else _("Warning"),
            }
            for p in found
        ],
    )


@bp.route("/<int:doc_id>/drill/delete/<path:node_id>", methods=["GET", "POST"])
@authors
def drill_delete_node(doc_id: int, node_id: str) -> Any:
    """Delete a node after confirmation; refused (with the choices named) while it is used."""
    doc = _drill(doc_id, lock=request.method == "POST")
    _text, data, reason = _head(doc)
    if data is None:
        return _no_form(doc, reason or "")
    if node_id not in (data.get("nodes") or {}):
        abort(404)
    error = None
    status = 200
    if request.method == "POST":
        base_version = _checked_post()
        try:
            new = drillform.delete_node(data, node_id)
        except drillform.DrillFormError as exc:
            error, status = say(exc), 422
        else:
            conflict = _store(doc, new, base_version, _("Node %(id)s deleted", id=node_id))
            if conflict is not None:
                return conflict
            flash(_("Node “%(id)s” deleted.", id=node_id), "success")
            return redirect(url_for("studio.drill_form", doc_id=doc.id), 303)
    return (
        render_template(
            "studio/drill_delete.html",
            doc=doc,
            node_id=node_id,
            pointers=drillform.pointers(data, node_id),
            error=error,
            action_form=ActionForm(),
        ),
        status,
    )
