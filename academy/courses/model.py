"""A course module as read from its file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModuleSource:
    """One validated `courses/<discipline>/NN-slug.md` file."""

    discipline: str
    slug: str
    order: int
    title: str
    minutes: int
    objectives: tuple[str, ...]
    axes: tuple[str, ...]
    body: str  # Markdown
    quiz: Any | None  # academy.quizzes.Quiz
    path: str  # as given (relative to the library root where possible)
    body_line: int  # line of the file where the Markdown body starts
    source_hash: str
    text: str  # the whole file, kept as a revision when published
    scripts: tuple[str, ...] = ()  # short phrases for the pocket card (front matter)

    @property
    def key(self) -> str:
        """Stable key used by progress records: ``discipline/slug``."""
        return f"{self.discipline}/{self.slug}"
