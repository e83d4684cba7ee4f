"""Role-play drills: the list, a drill's start page, the player, the debrief, the map.

The form contract of the player: each choice is a submit button posting
``choice=<index>`` (0-based in the file's list for the node; the buttons are shown
in an order shuffled per run and kept with it) with the hidden
``node=<id>``, ``step=<choices applied so far>`` and ``csrf_token``. A post
that no longer applies (back button, double click, second tab, a changed or
garbled value) changes nothing and lands on the run as it stands. Playing is
`academy.progress.drills`; the rules are the pure `academy.scenarios`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from academy.assignments import services as assignments
from academy.extensions import db
from academy.progress import drills
from academy.progress.drills import DrillUnavailableError, Playable, StaleChoiceError
from academy.progress.run_models import DrillRun
from academy.scenarios import ENDINGS, SPEAKERS, RunStateError, reach_table, render_map_svg
from academy.scenarios.debrief import MOOD
from academy.vocabulary import AXES, AXIS_TERMS, DISCIPLINE_CHARS, DISCIPLINES
from academy.web.assign import ITEM_URLS
from academy.web.charts import Band, LineSeries, RadarSeries, line_chart, radar_chart
from academy.web.decorators import roles_required, signed_in
from academy.web.forms import ActionForm

bp = Blueprint("drills", __name__)
trainers = roles_required("trainer")

ITEM_URLS["scenario"] = lambda slug: url_for("drills.scenario", slug=slug)

#: Speaker labels (the pure registry's English, translated here).
SPEAKER_LABELS: dict[str, Any] = {
    "resident": _l("Resident"),
    "narrator": _l("Narrator"),
    "colleague": _l("Colleague"),
    "supervisor": _l("Supervisor"),
    "phone": _l("Caller on the phone"),
    "employee": _l("You"),
    "dispatcher": _l("Duty dispatcher"),
    "technician": _l("Repair technician"),
}
ENDING_LABELS: dict[str, Any] = {
    "success": _l("Success"),
    "partial": _l("Partial success"),
    "failure": _l("Failure"),
}
DISCIPLINE_NAMES: dict[str, Any] = {
    "look": _l("Look"),
    "listen": _l("Listen"),
    "smile": _l("Smile"),
    "speak": _l("Speak"),
    "act": _l("Act"),
}
AXIS_NAMES: dict[str, Any] = {
    "behaviour": _l("Behaviour"),
    "language": _l("Language"),
    "attitude": _l("Attitude"),
    "work": _l("Work"),
}
assert set(SPEAKER_LABELS) == set(SPEAKERS) and set(ENDING_LABELS) == set(ENDINGS)

_INDEX = re.compile(r"[0-9]{1,6}")  # ASCII only: int() would also read "٣"
MAX_NODE_ID = 100
#: Steps of the conversation so far shown above the current line.
TRANSCRIPT_STEPS = 8


@bp.app_template_global()
def speaker_label(key: str) -> str:
    """The translated name of a speaker key (the key itself if unknown)."""
    return str(SPEAKER_LABELS.get(key, key))


@bp.app_template_global()
def ending_label(key: str | None) -> str:
    """The translated name of an ending type."""
    return str(ENDING_LABELS.get(key or "", key or ""))


@bp.app_template_global()
def drill_number(value: float | int | None) -> str:
    """A score or a points total as people write it: ``85.5``, ``100``, ``-2``."""
    if value is None:
        return "—"
    number = float(value)
    return format_decimal(number, format="#,##0.#") if number % 1 else format_decimal(int(number))


@bp.app_template_filter("drill_attr")
def drill_attr(value: float | int | None) -> str:
    """A number for a data attribute: plain, locale-free (``85.5``, ``100``)."""
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.1f}"


def _signed(value: float | int) -> str:
    return ("+" if value > 0 else "") + drill_number(value)


def _index(raw: str | None) -> int | None:
    """A non-negative form index, or None for anything else."""
    if raw is None or not _INDEX.fullmatch(raw):
        return None
    return int(raw)


def _playable(run: DrillRun) -> Playable:
    try:
        return drills.playable(run.version_id)
    except DrillUnavailableError:
        abort(422, _("This drill can no longer be played. Please tell a trainer."))


# --- list and start --------------------------------------------------------------------


@bp.get("/scenarios/")
@signed_in
def index() -> Any:
    """Every published drill with its length, disciplines and the player's best result."""
    scenarios = drills.published_scenarios()
    best = drills.best_results(current_user)
    unfinished = drills.unfinished_runs(current_user)
    resume: dict[str, drills.RunSummary] = {}
    for run in unfinished:
        resume.setdefault(run.slug, run)
    published = {s.slug for s in scenarios}
    elsewhere = [run for run in unfinished if run.slug not in published]
    work = assignments.my_open_work(current_user)
    return render_template(
        "drills/index.html",
        due={object_id: w for (kind, object_id), w in work.items() if kind == "scenario"},
        scenarios=scenarios,
        best=best,
        resume=resume,
        elsewhere=elsewhere,
        unfinished_count={
            s.slug: sum(1 for r in unfinished if r.slug == s.slug) for s in scenarios
        },
    )


@bp.get("/scenarios/<slug>")
@signed_in
def scenario(slug: str) -> Any:
    """The drill's setting, a start button, and the player's runs of it."""
    row = drills.published_scenario(slug) or abort(404)
    runs = drills.runs_of(current_user, slug)
    return render_template(
        "drills/scenario.html",
        scenario=row,
        runs=runs,
        unfinished=[r for r in runs if r.finished_at is None],
        finished=[r for r in runs if r.finished_at is not None],
        best=drills.best_results(current_user).get(slug),
        due=assignments.my_open_work(current_user).get(("scenario", slug)),
        start_key=drills.new_start_key(),
        form=ActionForm(),
    )


@bp.post("/scenarios/<slug>/runs")
@signed_in
def start(slug: str) -> Any:
    """Start a new run (the same start form posted twice opens one run) and play it."""
    row = drills.published_scenario(slug) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = drills.start_drill(current_user, row, start_key=request.form.get("start_key"))
    except DrillUnavailableError:
        abort(422, _("This drill can no longer be played. Please tell a trainer."))
    db.session.commit()
    return redirect(url_for("drills.run", run_id=run.id), 303)


# --- playing --------------------------------------------------------------------------


def _mood(version: Playable, state: Mapping[str, Any]) -> dict[str, Any] | None:
    var = version.scenario.state_var(MOOD)
    if var is None or MOOD not in state:
        return None
    low, high, value = float(var.minimum), float(var.maximum), float(state[MOOD])
    share = (value - low) / (high - low) if high > low else 0.0
    if share <= 0.2:
        word = _("calm")
    elif share <= 0.45:
        word = _("uneasy")
    elif share <= 0.7:
        word = _("upset")
    else:
        word = _("furious")
    return {
        "value": value,
        "min": low,
        "max": high,
        "low": low + (high - low) * 0.35,
        "high": low + (high - low) * 0.7,
        "word": word,
    }


@bp.get("/scenarios/runs/<int:run_id>")
@signed_in
def run(run_id: int) -> Any:
    """The current moment of a run: who speaks, what they say, the mood, the choices."""
    found = drills.find_run(current_user, run_id) or abort(404)
    if found.is_finished:
        return redirect(url_for("drills.debrief", run_id=found.id), 303)
    version = _playable(found)
    try:
        state = drills.run_state(found)
        offered = drills.presented_choices(found, state)
    except RunStateError:
        abort(422, _("This drill can no longer be played. Please tell a trainer."))
    node = version.scenario.node(state.node)
    # The last few exchanges, to pick up the thread on resume; all of them are in the debrief.
    shown = state.path[-TRANSCRIPT_STEPS:]
    transcript = [
        {
            "speaker": version.scenario.node(step.node).speaker,
            "text": version.node_html(step.node)["text"],
            "choice": version.choice_html(step.node, step.choice)["text"],
        }
        for step in shown
        if version.scenario.has_node(step.node)
    ]
    return render_template(
        "drills/run.html",
        run=found,
        version=version,
        node=node,
        node_html=version.node_html(node.id),
        offered=[(index, version.choice_html(node.id, index)) for index, _c in offered],
        mood=_mood(version, state.state),
        transcript=transcript,
        earlier=len(state.path) - len(shown),
        form=ActionForm(),
    )


@bp.post("/scenarios/runs/<int:run_id>")
@signed_in
def choose(run_id: int) -> Any:
    """Apply the posted choice once; a stale or garbled post changes nothing."""
    found = drills.find_run(current_user, run_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    here = url_for("drills.run", run_id=found.id)
    if found.is_finished:
        flash(_("This drill has already ended; here is your debrief."), "info")
        return redirect(url_for("drills.debrief", run_id=found.id), 303)
    node = request.form.get("node", "")
    choice = _index(request.form.get("choice"))
    step_raw = request.form.get("step")
    step = _index(step_raw)
    repeated = any(len(request.form.getlist(name)) > 1 for name in ("node", "choice", "step"))
    if (
        repeated
        or choice is None
        or not node
        or len(node) > MAX_NODE_ID
        or (step_raw is not None and step is None)
    ):
        flash(_("That choice could not be read. Please choose again."), "error")
        return redirect(here, 303)
    _playable(found)
    try:
        drills.apply_choice(current_user, found, node, choice, step=step)
    except StaleChoiceError:
        db.session.rollback()
        flash(
            _("That page was out of date, so nothing was changed. Here is your drill now."),
            "warning",
        )
        return redirect(here, 303)
    db.session.commit()
    if found.is_finished:
        return redirect(url_for("drills.debrief", run_id=found.id), 303)
    return redirect(here, 303)


# --- the debrief ------------------------------------------------------------------------


def _radar(data: Mapping[str, Any], version: Playable) -> dict[str, Any]:
    maxima = version.discipline_max
    rows = []
    for key in DISCIPLINES:
        points = float(data["points"].get(key, 0))
        best = float(maxima.get(key, 0) or 0)
        rows.append(
            {
                "key": key,
                "points": points,
                "max": best,
                "share": max(0.0, min(1.0, points / best)) if best > 0 else 0.0,
            }
        )
    names = [f"{DISCIPLINE_NAMES[r['key']]}" for r in rows]
    labels = [
        name if name == DISCIPLINE_CHARS[r["key"]] else f"{name} {DISCIPLINE_CHARS[r['key']]}"
        for name, r in zip(names, rows, strict=True)
    ]
    chart = radar_chart(
        labels,
        [
            RadarSeries(
                _("Best possible"),
                [1.0 if r["max"] > 0 else 0.0 for r in rows],
                "reference",
                filled=False,
            ),
            RadarSeries(_("This run"), [r["share"] for r in rows], "primary"),
        ],
        title=_("Points per discipline"),
        desc=_("Each spoke is one discipline; the outer ring is the most a run can earn there.")
        + " "
        + "; ".join(
            f"{label}: {drill_number(r['points'])} / {drill_number(r['max'])}"
            for label, r in zip(labels, rows, strict=True)
        ),
        id_prefix="radar-chart",
        value_labels=[f"{drill_number(r['points'])} / {drill_number(r['max'])}" for r in rows],
    )
    return {"svg": chart, "rows": rows}


def _mood_chart(data: Mapping[str, Any], version: Playable) -> dict[str, Any] | None:
    series = [float(v) for v in data.get("mood") or []]
    var = version.scenario.state_var(MOOD)
    if not series or var is None:
        return None
    low, high = float(var.minimum), float(var.maximum)
    labels = [_("Start")] + [str(n) for n in range(1, len(series))]
    span = high - low
    ticks = [low + span * i / 5 for i in range(6)] if span > 0 else [low]
    chart = line_chart(
        labels,
        [LineSeries(_("Mood"), series, "accent")],
        y_min=low,
        y_max=high if high > low else low + 1,
        y_ticks=ticks,
        bands=[
            Band(low, low + span * 0.35, "ok", _("calm")),
            Band(low + span * 0.7, high, "bad", _("furious")),
        ],
        title=_("Mood over the run"),
        desc=_(
            "Mood before the first step and after each (%(low)s calm, %(high)s furious): "
            "%(values)s.",
            low=drill_number(low),
            high=drill_number(high),
            values=", ".join(drill_number(v) for v in series),
        ),
        id_prefix="mood-chart",
        x_title=_("Step"),
    )
    return {"svg": chart, "series": series, "labels": labels}


@bp.get("/scenarios/runs/<int:run_id>/debrief")
@signed_in
def debrief(run_id: int) -> Any:
    """The finished run replayed: choices and feedback, mood, disciplines, axes, score."""
    found = drills.find_run(current_user, run_id) or abort(404)
    if not found.is_finished or found.debrief is None:
        return redirect(url_for("drills.run", run_id=found.id), 303)
    version = _playable(found)
    data = found.debrief
    steps = []
    for step in data["steps"]:
        choice_html = version.choice_html(step["node"], step["choice"])
        better_html = None
        if step.get("better_choice") is not None:
            better_html = version.choice_html(step["node"], step["better_choice"])["text"]
        elif step.get("better"):
            better_html = choice_html["better"] or Markup.escape(step["better"])
        steps.append(
            {
                **step,
                "text_html": version.node_html(step["node"])["text"],
                "choice_html": choice_html["text"],
                "feedback_html": choice_html["feedback"],
                "better_html": better_html,
                "points_text": [
                    (key, _signed(float(value)))
                    for key, value in step["points"].items()
                    if float(value) != 0
                ],
            }
        )
    axes = [
        {
            "key": key,
            "value": float(data["axes"].get(key, 0)),
            "from": AXIS_TERMS[key][0],
            "to": AXIS_TERMS[key][1],
        }
        for key in AXES
    ]
    ending = version.node_html(data["ending"])
    return render_template(
        "drills/debrief.html",
        run=found,
        version=version,
        data=data,
        steps=steps,
        axes=axes,
        radar=_radar(data, version),
        mood_chart=_mood_chart(data, version),
        ending_html=ending["text"],
        ending_summary_html=ending["summary"],
        scenario=drills.published_scenario(found.scenario_slug),
        start_key=drills.new_start_key(),
        form=ActionForm(),
        signed=_signed,
    )


# --- trainers: the map --------------------------------------------------------------------


def _map_labels() -> dict[str, str]:
    labels = {
        "title": _("Scenario map: {title}"),
        "desc": _(
            "{nodes} nodes in {layers} layers, {endings} endings; {problems} need attention."
        ),
        "visits": _("visits: {count}"),
        "missing": _("missing node"),
        "unreachable": _("unreachable"),
        "dead_end": _("dead end"),
        "start": _("start"),
    }
    labels.update({key: str(label) for key, label in SPEAKER_LABELS.items()})
    labels.update({f"ending-{key}": str(label) for key, label in ENDING_LABELS.items()})
    return labels


@bp.get("/scenarios/<slug>/map")
@trainers
def scenario_map(slug: str) -> Any:
    """The drill's graph drawn on the server, with reach statistics from real runs."""
    row = drills.published_scenario(slug) or abort(404)
    version = drills.playable(row.version_id)
    stats = drills.reach_statistics(slug, row.revision)
    svg = render_map_svg(
        version.scenario,
        stats.visits,
        stats.choice_counts,
        labels=_map_labels(),
        id_prefix="drill-map",
    )
    return render_template(
        "drills/map.html",
        scenario=row,
        version=version,
        stats=stats,
        svg=Markup(svg),
        rows=reach_table(version.scenario, stats.visits, stats.choice_counts),
    )
