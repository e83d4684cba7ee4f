"""Read side of the content store: what the learning pages list and show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from academy.catalog.models import Module
from academy.extensions import db
from academy.vocabulary import DISCIPLINES


@dataclass(frozen=True)
class ModuleLink:
    """Enough of a module to link to it."""

    key: str
    discipline: str
    slug: str
    title: str


def published_modules() -> list[Module]:
    """All published modules in discipline then lesson order (one query)."""
    order = {d: i for i, d in enumerate(DISCIPLINES)}
    modules = list(db.session.scalars(select(Module).where(Module.published.is_(True))))
    return sorted(modules, key=lambda m: (order.get(m.discipline, 99), m.position))


def published_module(discipline: str, slug: str) -> Module | None:
    """The published module at ``discipline/slug``, or None."""
    return db.session.scalar(
        select(Module).where(Module.key == f"{discipline}/{slug}", Module.published.is_(True))
    )


def neighbours(module: Module) -> tuple[ModuleLink | None, ModuleLink | None]:
    """Previous and next published modules across the whole course (one query)."""
    rows = db.session.execute(
        select(Module.key, Module.discipline, Module.slug, Module.title, Module.position).where(
            Module.published.is_(True)
        )
    ).all()
    order = {d: i for i, d in enumerate(DISCIPLINES)}
    rows.sort(key=lambda r: (order.get(r.discipline, 99), r.position))
    keys = [r.key for r in rows]
    index = keys.index(module.key)
    links = [ModuleLink(r.key, r.discipline, r.slug, r.title) for r in rows]
    previous = links[index - 1] if index > 0 else None
    following = links[index + 1] if index + 1 < len(links) else None
    return previous, following
