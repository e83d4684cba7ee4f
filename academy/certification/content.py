"""What the certification rules can ask for: the published lessons, quizzes and drills.

`ContentIndex` is a plain snapshot the caller builds (the web layer from the
database, `academy content check` from the content folders). Rules refer to
content by stable key only: a module key ``discipline/slug`` (its quiz has the
same key) and a scenario slug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from academy.courses.model import ModuleSource


@dataclass(frozen=True)
class ModuleInfo:
    """A published module: its key, title and quiz rule (``pass_mark`` in percent)."""

    key: str
    discipline: str
    title: str
    order: int = 0
    has_quiz: bool = False
    pass_mark: float | None = None


@dataclass(frozen=True)
class ScenarioInfo:
    """A published drill: its slug, title, the disciplines it exercises and its pass score."""

    slug: str
    title: str
    disciplines: tuple[str, ...] = ()
    pass_score: float | None = None


@dataclass(frozen=True)
class ContentIndex:
    """Published modules and drills, with lookups by discipline and key."""

    modules: tuple[ModuleInfo, ...] = ()
    scenarios: tuple[ScenarioInfo, ...] = ()

    @cached_property
    def _modules_by_discipline(self) -> dict[str, tuple[ModuleInfo, ...]]:
        grouped: dict[str, list[ModuleInfo]] = {}
        for module in sorted(self.modules, key=lambda m: (m.order, m.key)):
            grouped.setdefault(module.discipline, []).append(module)
        return {discipline: tuple(found) for discipline, found in grouped.items()}

    @cached_property
    def _drills_by_discipline(self) -> dict[str, tuple[ScenarioInfo, ...]]:
        grouped: dict[str, list[ScenarioInfo]] = {}
        for scenario in sorted(self.scenarios, key=lambda s: s.slug):
            for discipline in dict.fromkeys(scenario.disciplines):
                grouped.setdefault(discipline, []).append(scenario)
        return {discipline: tuple(found) for discipline, found in grouped.items()}

    @cached_property
    def _modules_by_key(self) -> dict[str, ModuleInfo]:
        return {module.key: module for module in self.modules}

    @cached_property
    def _scenarios_by_slug(self) -> dict[str, ScenarioInfo]:
        return {scenario.slug: scenario for scenario in self.scenarios}

    def modules_of(self, discipline: str) -> tuple[ModuleInfo, ...]:
        """The discipline's modules in teaching order."""
        return self._modules_by_discipline.get(discipline, ())

    def quizzes_of(self, discipline: str) -> tuple[ModuleInfo, ...]:
        """The discipline's modules that have a quiz, in teaching order."""
        return tuple(m for m in self.modules_of(discipline) if m.has_quiz)

    def drills_for(self, discipline: str) -> tuple[ScenarioInfo, ...]:
        """The drills that exercise `discipline`, by slug."""
        return self._drills_by_discipline.get(discipline, ())

    def module(self, key: str) -> ModuleInfo | None:
        """The module with this key, if published."""
        return self._modules_by_key.get(key)

    def scenario(self, slug: str) -> ScenarioInfo | None:
        """The drill with this slug, if published."""
        return self._scenarios_by_slug.get(slug)

    @classmethod
    def from_sources(
        cls, modules: Iterable[ModuleSource], scenarios: Iterable[ScenarioInfo] = ()
    ) -> ContentIndex:
        """An index from validated module files and drill summaries."""
        return cls(
            modules=tuple(module_info(module) for module in modules),
            scenarios=tuple(scenarios),
        )


def module_info(module: ModuleSource) -> ModuleInfo:
    """The index entry of one validated module file."""
    pass_mark = getattr(module.quiz, "pass_mark", None)
    return ModuleInfo(
        key=module.key,
        discipline=module.discipline,
        title=module.title,
        order=module.order,
        has_quiz=module.quiz is not None,
        pass_mark=float(pass_mark) if pass_mark is not None else None,
    )


def scenario_info(data: Any, slug: str) -> ScenarioInfo | None:
    """The index entry of a scenario file's loaded YAML, or None if it lacks the basics."""
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return None
    disciplines = data.get("disciplines")
    if not isinstance(disciplines, list):
        disciplines = []
    pass_score = data.get("pass_score")
    if isinstance(pass_score, bool) or not isinstance(pass_score, int | float):
        pass_score = None
    return ScenarioInfo(
        slug=slug,
        title=data["title"].strip(),
        disciplines=tuple(dict.fromkeys(d for d in disciplines if isinstance(d, str))),
        pass_score=float(pass_score) if pass_score is not None else None,
    )
