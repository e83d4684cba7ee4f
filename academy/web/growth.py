"""Growth pages: the employee's ladders, the trainer's cohort and coaching page, HR's report.

Every page loads evidence in a constant number of queries
(`academy.practice.growth`, `academy.practice.snapshots`), calls the pure
growth model and translates its keys (`academy.web.growth_text`).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from datetime import timedelta
from importlib import resources
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from academy.accounts.models import Department, User
from academy.assignments.services import COMPANY_TZ
from academy.courses.render import render_markdown
from academy.extensions import db, intend_to_write, sqlite_begin
from academy.growth import Assessment, stage_shares
from academy.practice import snapshots
from academy.practice.growth import (
    Cohort,
    ContentIndex,
    PersonGrowth,
    cohort,
    person_growth,
)
from academy.practice.models import FeedbackCard, Observation, Reflection
from academy.practice.observations import observations_of
from academy.practice.people import can_coach, departments_in
from academy.practice.reflections import reflections_of
from academy.search.text import person_matches
from academy.timeutil import utcnow
from academy.vocabulary import AXES, AXIS_TERMS, DISCIPLINES
from academy.web import growth_text as text
from academy.web.charts import (
    Band,
    LineSeries,
    RadarSeries,
    Segment,
    line_chart,
    radar_chart,
    stacked_bars,
)
from academy.web.decorators import roles_required, signed_in

bp = Blueprint("growth", __name__)
trainers = roles_required("trainer")
hr_only = roles_required("hr")

#: Timeline entries on the dashboard; the rest is one click away.
DASHBOARD_TIMELINE = 6
TIMELINE_PAGE = 30
MAX_PAGE = 10_000


# --- view models ---------------------------------------------------------------------


def _score_attr(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def ladders(assessment: Assessment, content: ContentIndex, why: int) -> list[dict[str, Any]]:
    """The four axes as the ladder macro draws them."""
    result = []
    for axis in AXES:
        found = assessment.axes[axis]
        start, end = AXIS_TERMS[axis]
        result.append(
            {
                "axis": axis,
                "from": start,
                "to": end,
                "name": text.axis_name(axis),
                "english": text.AXIS_ENGLISH[axis],
                "score": found.score,
                "score_text": text.score(found.score),
                "score_attr": _score_attr(found.score),
                "stage": found.stage,
                "stage_name": text.stage_name(found.stage),
                "next_step": text.next_step_text(found.next_step),
                "why": [
                    {
                        "text": text.contribution_text(c, content),
                        "at": c.at,
                        "points": text.signed(c.points),
                        "up": c.points >= 0,
                    }
                    for c in found.contributors[:why]
                ],
            }
        )
    return result


def pentagon(assessment: Assessment, id_prefix: str) -> dict[str, Any]:
    """The five disciplines as a radar chart, with the numbers as a table."""
    labels = [text.discipline_name(d) for d in DISCIPLINES]
    scores = [assessment.disciplines[d].score for d in DISCIPLINES]
    values = [0.0 if s is None else s / 100 for s in scores]
    svg = radar_chart(
        labels,
        [RadarSeries(_("Proficiency"), values)],
        title=_("The five disciplines"),
        desc=", ".join(
            f"{label}: {text.score(s)}" for label, s in zip(labels, scores, strict=True)
        ),
        id_prefix=id_prefix,
        value_labels=[text.score(s) for s in scores],
    )
    rows = [
        {"key": d, "label": label, "score": s, "score_text": text.score(s)}
        for d, label, s in zip(DISCIPLINES, labels, scores, strict=True)
    ]
    return {"svg": svg, "rows": rows}


def module_url(content: ContentIndex, key: str) -> str | None:
    module = content.modules.get(key)
    if module is None:
        return None
    return url_for("learn.lesson", discipline=module.discipline, slug=module.slug)


def refresher_url(content: ContentIndex, key: str) -> str | None:
    module = content.modules.get(key)
    if module is None:
        return None
    return url_for("practice.refresher", discipline=module.discipline, slug=module.slug)


def recommendation(pg: PersonGrowth) -> dict[str, Any]:
    """The one next activity: a sentence, a link and a button label."""
    rec, content = pg.recommendation, pg.content
    url: str | None = None
    button = ""
    if rec.kind == "module" and rec.key:
        url, button = module_url(content, rec.key), _("Open the lesson")
    elif rec.kind == "scenario" and rec.key:
        url, button = url_for("drills.scenario", slug=rec.key), _("Play the drill")
    elif rec.kind == "refresher" and rec.key:
        url, button = refresher_url(content, rec.key), _("Take the refresher")
    elif rec.kind == "reflection":
        about = rec.params.get("about")
        url = url_for("practice.reflect", about=about) if about else url_for("practice.reflect")
        button = _("Write a reflection")
    title = rec.title
    if rec.kind == "refresher" and rec.key:
        title = content.title("module", rec.key)
    return {
        "kind": rec.kind,
        "key": rec.key,
        "title": title,
        "target": rec.target,
        "target_name": text.target_name(rec.target),
        "reason": rec.reason,
        "text": text.recommendation_text(rec, content),
        "url": url,
        "button": button,
    }


def refresher_items(pg: PersonGrowth, items: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "module": item.module,
            "title": pg.content.title("module", item.module),
            "url": refresher_url(pg.content, item.module),
            "due": item.due,
            "overdue": item.overdue,
            "days_overdue": item.days_overdue,
            "interval_days": item.interval_days,
        }
        for item in items
    ]


def timeline_items(pg: PersonGrowth, entries: Sequence[Any]) -> list[dict[str, Any]]:
    items = []
    for entry in entries:
        what, how = text.timeline_text(entry, pg.content)
        items.append(
            {
                "at": entry.at,
                "text": what,
                "how": how,
                "kind": entry.object_type,
                "verb": entry.verb,
                "score": entry.score,
            }
        )
    return items


def person_view(pg: PersonGrowth, *, why: int, timeline: int | None) -> dict[str, Any]:
    """Everything the growth templates read about one person."""
    entries = pg.timeline if timeline is None else pg.timeline[:timeline]
    return {
        "person": pg.person,
        "assessment": pg.assessment,
        "ladders": ladders(pg.assessment, pg.content, why),
        "pentagon": pentagon(pg.assessment, f"pentagon-{pg.person.id}"),
        "due": refresher_items(pg, pg.due),
        "upcoming": refresher_items(pg, pg.upcoming[:5]),
        "recommendation": recommendation(pg),
        "timeline": timeline_items(pg, entries),
        "more_timeline": len(pg.timeline) > len(entries),
        "evidence_count": pg.evidence_count,
    }


@bp.app_template_global()
def my_growth() -> dict[str, Any] | None:
    """The signed-in person's growth for the dashboard (a constant number of queries)."""
    if not current_user.is_authenticated:
        return None
    return person_view(person_growth(current_user), why=3, timeline=DASHBOARD_TIMELINE)


@bp.app_template_global()
def stage_label(stage: int | None) -> str:
    """``3 · Practising``: a stage number and name (or "not enough evidence yet")."""
    if stage is None:
        return text.stage_name(None)
    return f"{stage} · {text.stage_name(stage)}"


@bp.app_template_global()
def stage_names() -> list[tuple[int, str, str]]:
    """(number, name, what it means) of the four stages, for the ladders' legend."""
    return [(n, str(text.STAGE_NAMES[n]), str(text.STAGE_MEANINGS[n])) for n in (1, 2, 3, 4)]


# --- the model explained ---------------------------------------------------------------

#: The one-page explanation for supervisors and HR (also docs/growth-model.zh.md).
EXPLAINED = "growth-model.zh.md"


@functools.cache
def explained_html() -> Markup:
    """The explanation rendered and sanitised once per process (the file ships with the app)."""
    source = resources.files("academy.growth").joinpath(EXPLAINED).read_text(encoding="utf-8")
    return Markup(render_markdown(source).html)  # noqa: S704 - sanitised by render_markdown


@bp.get("/growth/explained")
@signed_in
def explained() -> Any:
    """How the growth scores and stages are made, in one page of plain Chinese."""
    return render_template("growth/explained.html", body=explained_html())


# --- the employee's own record ---------------------------------------------------------


@bp.get("/me/growth")
@signed_in
def mine() -> Any:
    """My growth: the four ladders with their reasons, every piece of evidence, my journal."""
    pg = person_growth(current_user)
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    pages = max(1, -(-len(pg.timeline) // TIMELINE_PAGE))
    number = min(number, pages)
    start = (number - 1) * TIMELINE_PAGE
    view = person_view(pg, why=5, timeline=0)
    view["timeline"] = timeline_items(pg, pg.timeline[start : start + TIMELINE_PAGE])
    return render_template(
        "growth/mine.html",
        g=view,
        page=number,
        pages=pages,
        journal=reflections_of(current_user.id, limit=50),
        titles=pg.content,
    )


# --- trainers --------------------------------------------------------------------------


def _stage_cells(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "axis": axis,
            "stage": assessment.axes[axis].stage,
            "score": assessment.axes[axis].score,
            "score_attr": _score_attr(assessment.axes[axis].score),
            "score_text": text.score(assessment.axes[axis].score),
        }
        for axis in AXES
    ]


@bp.get("/trainer/cohort")
@trainers
def cohort_page() -> Any:
    """The trainer's departments: everyone's four stages, who moved, who is stuck."""
    department = request.args.get("department", type=int)
    found: Cohort = cohort(current_user, department_id=department)
    names = {row.person.id: row.person for row in found.rows}
    improved = [
        {
            "person": names[m.employee],
            "axis": text.axis_label(m.axis),
            "before": m.stage_before,
            "after": m.stage_after,
            "change": m.change,
        }
        for m in found.movers.improved
        if m.employee in names
    ]
    rows = [
        {
            "person": row.person,
            "cells": _stage_cells(row.now),
            "last_observed": row.last_observed,
            "evidence": row.evidence,
            "stuck": row.person.id in set(found.movers.stuck),
        }
        for row in found.rows
    ]
    q = request.args.get("q", "").strip()[:100]
    if q:  # the table only: movers and stage counts stay about the whole cohort
        rows = [
            row
            for row in rows
            if person_matches(
                q, row["person"].display_name, row["person"].username, row["person"].employee_no
            )
        ]
    return render_template(
        "growth/cohort.html",
        q=q,
        cohort=found,
        rows=rows,
        improved=improved,
        stuck=[names[e] for e in found.movers.stuck if e in names],
        department=department,
        all_departments=departments_in(None) if current_user.role == "admin" else None,
        axes=[(axis, AXIS_TERMS[axis]) for axis in AXES],
    )


@bp.get("/trainer/people/<int:user_id>")
@trainers
def person(user_id: int) -> Any:
    """Coaching one employee: the same ladders and pentagon, observations, their journal."""
    found = db.session.get(User, user_id)
    if found is None or not can_coach(current_user, found):
        abort(404)
    pg = person_growth(found)
    return render_template(
        "growth/person.html",
        g=person_view(pg, why=5, timeline=12),
        observations=observations_of(found.id, limit=20),
        journal=reflections_of(found.id, limit=20),
        titles=pg.content,
    )


# --- HR --------------------------------------------------------------------------------


def _refresh_if_stale() -> None:
    """Rebuild today's snapshot on the first visit of the day, when that is quick."""
    if not snapshots.is_stale():
        return
    limit = int(current_app.config.get("GROWTH_INLINE_REBUILD", 3000))
    if snapshots.employee_count() > limit:
        return
    db.session.rollback()  # end the read transaction; the rebuild writes
    intend_to_write()
    if snapshots.is_stale():  # someone else may have refreshed it meanwhile
        snapshots.refresh()
    db.session.commit()
    sqlite_begin.set("DEFERRED")


def _department_or_none() -> Department | None:
    wanted = request.args.get("department", type=int)
    if wanted is None:
        return None
    return db.session.get(Department, wanted) or abort(404)


def _month_label(month: Any) -> str:
    return format_date(month, "yyyy-MM")


def _month_short(month: Any) -> str:
    """``12月`` / ``Dec``: short enough for twelve labels on a phone-width chart."""
    return format_date(month, "MMM")


#: Line colours of the four axes in the trend chart (and its legend).
AXIS_TONES = {"behaviour": "primary", "language": "ok", "attitude": "accent", "work": "violet"}


def _report(department: Department | None) -> dict[str, Any]:
    now = utcnow()
    months = snapshots.months_for(now)
    department_id = department.id if department is not None else None
    points = snapshots.trend(department_id, months)
    counts = snapshots.stage_counts(department_id, months[-1])
    shares = stage_shares(counts)
    return {"months": months, "points": points, "counts": counts, "shares": shares}


def _trend_chart(report: dict[str, Any]) -> Markup:
    points = report["points"]
    labels = [_month_short(p.month) for p in points]
    series = [
        LineSeries(text.axis_label(axis), [p.means[axis] for p in points], AXIS_TONES[axis])
        for axis in AXES
    ]
    return line_chart(
        labels,
        series,
        y_min=0,
        y_max=100,
        y_ticks=[0, 20, 40, 60, 80, 100],
        title=_("The four shifts, month by month"),
        desc=_("Mean score of staff with enough evidence, at each month end, 0 to 100."),
        id_prefix="growth-trend",
        x_title=_(
            "Month (%(first)s to %(last)s)",
            first=_month_label(points[0].month),
            last=_month_label(points[-1].month),
        ),
        bands=[Band(80, 100, "ok", str(text.STAGE_NAMES[4]))],
        width=640,
        height=300,
        fmt=lambda v: text.number(v),
        right=28,  # room for the last month's label
    )


def _stage_chart(report: dict[str, Any]) -> Markup:
    counts = report["counts"]
    segments = [
        Segment(f"{n} {text.STAGE_NAMES[n]}", tone)
        for n, tone in ((1, "bad"), (2, "warn"), (3, "primary"), (4, "ok"))
    ]
    return stacked_bars(
        [f"{AXIS_TERMS[a][0]}→{AXIS_TERMS[a][1]}" for a in AXES],
        [[counts[a][n] for n in (1, 2, 3, 4)] for a in AXES],
        segments,
        title=_("Share of staff at each stage"),
        desc=_("Per shift, the share of staff with a stage at stages 1 to 4."),
        id_prefix="growth-stages",
        width=640,
    )


def _evidence_counts(department_id: int | None, since: Any) -> dict[str, int]:
    """How much practice evidence was recorded since `since`: counts only (three queries)."""

    def count(model: Any, column: Any) -> int:
        query = select(func.count(model.id)).where(column >= since)
        if department_id is not None:
            query = query.where(model.department_id == department_id)
        return db.session.scalar(query) or 0

    return {
        "observations": count(Observation, Observation.observed_at),
        "cards": count(FeedbackCard, FeedbackCard.received_at),
        "reflections": count(Reflection, Reflection.written_at),
    }


@bp.get("/hr/growth")
@hr_only
def report() -> Any:
    """The company's four shifts: department trend over 12 months and staff per stage."""
    _refresh_if_stale()
    department = _department_or_none()
    data = _report(department)
    now = utcnow()
    return render_template(
        "growth/report.html",
        report=data,
        department=department,
        departments=departments_in(None),
        trend_chart=_trend_chart(data),
        stage_chart=_stage_chart(data),
        computed_at=snapshots.computed_at(),
        stale=snapshots.is_stale(now),
        counts=_evidence_counts(department.id if department else None, now - timedelta(days=30)),
        axes=[(axis, AXIS_TERMS[axis]) for axis in AXES],
        legend=[(text.axis_label(axis), AXIS_TONES[axis]) for axis in AXES],
        month_label=_month_label,
    )


@bp.get("/hr/growth.csv")
@hr_only
def report_csv() -> Any:
    """The trend (``?table=trend``, default) or the stage counts (``?table=stages``) as CSV."""
    department = _department_or_none()
    data = _report(department)
    scope = department.name if department is not None else _("All departments")
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so Excel reads the Chinese right
    writer = csv.writer(out)
    table = request.args.get("table", "trend")
    if table == "stages":
        writer.writerow(
            [_("Department"), _("Month"), _("Shift"), _("Axis")]
            + [f"{n} {text.STAGE_NAMES[n]}" for n in (1, 2, 3, 4)]
            + [_("Not enough evidence yet")]
            + [f"% {n}" for n in (1, 2, 3, 4)]
        )
        month = _month_label(data["months"][-1])
        for axis in AXES:
            counts, shares = data["counts"][axis], data["shares"][axis]
            writer.writerow(
                [scope, month, "→".join(AXIS_TERMS[axis]), axis]
                + [counts[n] for n in (1, 2, 3, 4)]
                + [counts[None]]
                + ["" if shares[n] is None else f"{shares[n]:.1f}" for n in (1, 2, 3, 4)]
            )
    else:
        table = "trend"
        writer.writerow(
            [_("Department"), _("Month")]
            + ["→".join(AXIS_TERMS[axis]) for axis in AXES]
            + [_("Staff counted (%(axis)s)", axis="→".join(AXIS_TERMS[axis])) for axis in AXES]
        )
        for point in data["points"]:
            writer.writerow(
                [scope, _month_label(point.month)]
                + ["" if point.means[a] is None else f"{point.means[a]:.1f}" for a in AXES]
                + [point.staff[a] for a in AXES]
            )
    stamp = utcnow().astimezone(COMPANY_TZ).date().isoformat()
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="growth-{table}-{stamp}.csv"'
    return response


@bp.post("/hr/growth/refresh")
@hr_only
def refresh() -> Any:
    """Recompute the growth figures now (they are otherwise rebuilt once a day)."""
    result = snapshots.refresh()
    db.session.commit()
    seconds = format_decimal(round(result.total_s, 1))
    flash(
        _(
            "Growth figures recomputed for %(n)d employees in %(seconds)s s.",
            n=result.employees,
            seconds=seconds,
        ),
        "success",
    )
    department = request.form.get("department", type=int)
    return redirect(url_for("growth.report", department=department), 303)
