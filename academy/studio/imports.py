"""Bring work from Twine and Moodle: a Twee story or a GIFT file becomes a studio draft.

Both are lenient: what the platform needs and the file lacks is filled with a
``TODO:`` placeholder (a drill then cannot be published until it is written),
and every change of meaning is a warning at its line of the imported file. The
draft is an ordinary studio document, checked and published like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from academy.accounts.models import User
from academy.quizzes.gift import GiftProblem, parse_gift
from academy.scenarios.twine_import import TwineDraft, import_twine_draft
from academy.studio import services
from academy.studio.documents import dump_yaml
from academy.studio.models import StudioDocument

LESSON_PLACEHOLDER = "TODO: 写课文（这一课的测验从 GIFT 导入）"
OBJECTIVE_PLACEHOLDER = "TODO: 写学习目标"


@dataclass(frozen=True)
class GiftDraft:
    """A GIFT file as a draft lesson: its text, how many questions, and the problems."""

    text: str | None  # None when not one question could be imported
    imported: int
    problems: tuple[GiftProblem, ...]

    @property
    def skipped(self) -> int:
        """Questions reported as not imported."""
        return sum(1 for p in self.problems if p.severity == "error")


def gift_lesson_text(gift_text: str, *, discipline: str, title: str, order: int) -> GiftDraft:
    """A module file whose quiz holds the GIFT file's questions (lenient import)."""
    questions, problems = parse_gift(gift_text, lenient=True)
    if not questions:
        return GiftDraft(None, 0, tuple(problems))
    front = {
        "title": title,
        "discipline": discipline,
        "order": order,
        "objectives": [OBJECTIVE_PLACEHOLDER],
        "axes": ["attitude"],
        "quiz": {"pass_mark": 80, "questions": [q.to_data() for q in questions]},
    }
    text = f"---\n{dump_yaml(front)}---\n\n## 为什么要学\n\n{LESSON_PLACEHOLDER}\n"
    return GiftDraft(text, len(questions), tuple(problems))


def twee_draft_text(twee_text: str, slug: str, shown: str) -> TwineDraft:
    """The drill draft of a Twine story (`academy.scenarios.twine_import`)."""
    return import_twine_draft(twee_text, slug, shown)


def import_twee(
    user: User, twee_text: str, slug: str, shown: str
) -> tuple[StudioDocument | None, TwineDraft]:
    """A draft drill from a Twee story; no document when the text holds no story."""
    if not services.SLUG_RE.fullmatch(slug or "") or len(slug) > 80:
        raise services.StudioError(services.SLUG_HELP, field="slug")
    result = twee_draft_text(twee_text, slug, shown)
    if result.yaml_text is None:
        return None, result
    document = services.import_draft(
        user, services.DRILL, slug, result.yaml_text, f"从 Twine 导入（{shown}）", title=slug
    )
    return document, result


def import_gift(
    user: User, gift_text: str, *, discipline: str, slug: str, title: str, shown: str
) -> tuple[StudioDocument | None, GiftDraft]:
    """A draft lesson whose quiz holds the questions of a GIFT file."""
    if not title.strip() or len(title) > 200:
        raise services.StudioError("a title of 1–200 characters is required", field="title")
    key = f"{discipline}/{slug}"
    if discipline not in services.DISCIPLINES:
        raise services.StudioError("choose one of the five disciplines", field="discipline")
    if not services.SLUG_RE.fullmatch(slug or "") or len(slug) > 80:
        raise services.StudioError(services.SLUG_HELP, field="slug")
    order = services.next_module_order(discipline)
    result = gift_lesson_text(gift_text, discipline=discipline, title=title.strip(), order=order)
    if result.text is None:
        return None, result
    document = services.import_draft(
        user, services.MODULE, key, result.text, f"从 GIFT 导入（{shown}）", title=title.strip()
    )
    return document, result
