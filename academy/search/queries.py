"""Read side of search: lessons and drills by full text, people by name.

One query for a page of content results plus one for the count; snippets are
cut in Python from the stored plain text (no Markdown, no HTML rendering).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import (
    Float,
    Integer,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from academy.accounts.models import User
from academy.catalog.models import Module
from academy.catalog.scenario_models import Scenario
from academy.extensions import db
from academy.paging import PageNumbers
from academy.search import text as words
from academy.search.models import DRILL, FTS_TABLE, LESSON, SearchEntry

#: Column weights: a word in the title counts ten body words, an objective five.
WEIGHTS = (10.0, 5.0, 1.0, 0.2)


@dataclass(frozen=True)
class Hit:
    kind: str  # lesson | drill
    key: str
    title: Markup  # highlighted, safe
    snippet: Markup  # highlighted, safe
    discipline: str | None = None
    slug: str = ""


@dataclass(frozen=True)
class Results(PageNumbers):
    query: words.Query
    hits: list[Hit]
    total: int
    page: int
    per_page: int


def _visible() -> tuple[ColumnElement[bool], list]:
    """Published lessons and drills only (the live rows, not the index, decide)."""
    lesson = and_(SearchEntry.kind == LESSON, Module.published.is_(True))
    drill = and_(SearchEntry.kind == DRILL, Scenario.published.is_(True))
    return or_(lesson, drill), [
        (Module, and_(SearchEntry.kind == LESSON, Module.key == SearchEntry.key)),
        (Scenario, and_(SearchEntry.kind == DRILL, Scenario.slug == SearchEntry.key)),
    ]


def search_content(raw: str | None, page: int = 1, per_page: int = 10) -> Results:
    """A page of published lessons and drills matching `raw`, best first."""
    query = words.parse_query(raw)
    page = max(page, 1)
    if query.empty:
        return Results(query, [], 0, page, per_page)
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        fts = table(FTS_TABLE, column("rowid", Integer))
        match = text(f"{FTS_TABLE} MATCH :match").bindparams(match=words.fts5_match(query))
        rank = literal_column(f"bm25({FTS_TABLE}, {', '.join(map(str, WEIGHTS))})", Float)
        base = select(SearchEntry.id).join(fts, fts.c.rowid == SearchEntry.id).where(match)
        order = rank.asc()
    else:
        ts = func.to_tsquery("simple", bindparam("tsq", words.tsquery(query)))
        base = select(SearchEntry.id).where(SearchEntry.tsv.op("@@")(ts))
        weights = "{" + ",".join(str(w / WEIGHTS[0]) for w in reversed(WEIGHTS)) + "}"
        rank = func.ts_rank(literal_column(f"'{weights}'::float4[]"), SearchEntry.tsv, ts)
        order = rank.desc()
    visible, joins = _visible()
    for target, on in joins:
        base = base.outerjoin(target, on)
    base = base.where(visible)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(
        base.add_columns(
            SearchEntry.kind,
            SearchEntry.key,
            SearchEntry.title,
            SearchEntry.text,
            Module.discipline,
            Module.slug,
        )
        .order_by(order, SearchEntry.title, SearchEntry.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    hits = [
        Hit(
            kind=kind,
            key=key,
            title=Markup(words.highlight(title, query)),
            snippet=Markup(words.snippet(body, query)),
            discipline=discipline,
            slug=slug if kind == LESSON else key,
        )
        for _id, kind, key, title, body, discipline, slug in rows
    ]
    return Results(query, hits, total, page, per_page)


# --- people ------------------------------------------------------------------------------


def like_pattern(raw: str) -> str:
    """`%raw%` with LIKE's wildcards escaped (``\\`` is the escape character)."""
    cleaned = raw.strip().lower()[: words.MAX_QUERY]
    escaped = cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_match(raw: str | None) -> ColumnElement[bool] | None:
    """A condition on `User`: name, username or employee number contains `raw` (any case).

    None when there is nothing to search for. Every word typed must match
    (``李 0012`` finds 李明 only when 0012 is in his username or employee number).
    """
    terms = (raw or "").split()[:5]
    if not terms:
        return None
    # SQLite's LIKE ignores ASCII case by itself (its lower() knows no more than that), and
    # lower() or concatenating the columns per row costs 3–10× the plain LIKEs at
    # 10,000 people (bench/search.py); PostgreSQL has ILIKE.
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    columns = (User.display_name, User.username, User.employee_no)
    conditions = []
    for term in terms:
        pattern = like_pattern(term)
        conditions.append(
            or_(
                *(
                    c.like(pattern, escape="\\") if sqlite else c.ilike(pattern, escape="\\")
                    for c in columns
                )
            )
        )
    return and_(*conditions)


def in_departments(department_ids: frozenset[int] | set[int] | None) -> ColumnElement[bool]:
    """`User` within a trainer's scope (None: everyone)."""
    if department_ids is None:
        return User.id.isnot(None)
    if not department_ids:
        return false()
    return User.department_id.in_(sorted(department_ids))
