"""The main menu and where each role lands: one definition for every page.

The menu is a list of groups: the person's own learning, and one group per tool set
they hold (training, HR, administration). The group of the person's main tool is
"primary": shown inline on a desk, the others open from a button; on a phone all
groups open together from one "Menu" button (see base.html and academy.css).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

#: Where each role starts after signing in (and on "/").
HOME_ENDPOINTS = {
    "admin": "admin.users",
    "hr": "hr.matrix",
    "trainer": "growth.cohort_page",
}

#: The group each role works in first.
PRIMARY_GROUP = {"admin": "admin", "hr": "hr", "trainer": "train"}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    url: str
    current: bool


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any
    items: tuple[NavItem, ...]
    primary: bool

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


# (endpoint, URL areas it covers, label)
_Entry = tuple[str, tuple[str, ...], Any]


def home_endpoint(role: str) -> str:
    """The endpoint a role lands on after login."""
    return HOME_ENDPOINTS.get(role, "me.dashboard")


def _definitions(user: Any) -> list[tuple[str, Any, list[_Entry]]]:
    groups: list[tuple[str, Any, list[_Entry]]] = []
    if user.has_role("admin"):
        groups.append(
            (
                "admin",
                _l("Administration"),
                [
                    ("admin.users", ("/admin/users", "/admin/"), _l("People")),
                    ("admin.departments", ("/admin/departments",), _l("Departments")),
                    ("admin.content", ("/admin/content",), _l("Content")),
                    ("audit.index", ("/admin/audit",), _l("Audit log")),
                ],
            )
        )
    if user.has_role("hr"):
        groups.append(
            (
                "hr",
                _l("HR"),
                [
                    ("hr.matrix", ("/hr/",), _l("HR desk")),
                    ("hr.people", ("/hr/people",), _l("People and certificates")),
                    ("assign.index", ("/assignments",), _l("Assignments")),
                    ("growth.report", ("/hr/growth",), _l("Growth report")),
                ],
            )
        )
    if user.has_role("trainer"):
        groups.append(
            (
                "train",
                _l("Training"),
                [
                    ("growth.cohort_page", ("/trainer/cohort", "/trainer/people"), _l("Coaching")),
                    ("practice.observe", ("/trainer/observe",), _l("Observe someone")),
                    ("assign.index", ("/assignments",), _l("Assignments")),
                    ("quiz.trainer_index", ("/trainer/quizzes",), _l("Quiz statistics")),
                    ("hr.matrix", ("/hr/",), _l("Team certificates")),
                    ("studio.index", ("/studio",), _l("Studio")),
                    ("points.index", ("/trainer/feedback-points",), _l("Feedback QR codes")),
                ],
            )
        )
    groups.append(
        (
            "learn",
            _l("My learning"),
            [
                ("me.dashboard", ("/me/",), _l("My page")),
                ("learn.catalog", ("/courses",), _l("Courses")),
                ("drills.index", ("/scenarios",), _l("Drills")),
                ("quiz.history", ("/me/attempts", "/quiz/attempts"), _l("My attempts")),
                ("certificates.index", ("/me/certificates",), _l("My certificates")),
                ("growth.mine", ("/me/growth",), _l("My growth")),
                ("handouts.index", ("/handouts",), _l("Handouts")),
            ],
        )
    )
    return groups


def nav_groups() -> list[NavGroup]:
    """The signed-in person's menu, primary group first; each page appears once.

    The item whose URL area is the longest prefix of the current path is current.
    """
    if not current_user.is_authenticated:
        return []
    definitions = _definitions(current_user)
    primary_key = PRIMARY_GROUP.get(current_user.role, "learn")
    definitions.sort(key=lambda group: group[0] != primary_key)  # stable: primary first
    seen: set[str] = set()
    kept: list[tuple[str, Any, list[_Entry]]] = []
    for key, label, entries in definitions:
        unique = [entry for entry in entries if entry[0] not in seen]
        seen.update(entry[0] for entry in unique)
        if unique:
            kept.append((key, label, unique))
    path = request.path
    areas = [
        (area, endpoint)
        for _, _, entries in kept
        for endpoint, covered, _ in entries
        for area in covered
        if path.startswith(area)
    ]
    current = max(areas, key=lambda pair: len(pair[0]))[1] if areas else None
    return [
        NavGroup(
            key=key,
            label=label,
            primary=key == primary_key,
            items=tuple(
                NavItem(endpoint, text, url_for(endpoint), endpoint == current)
                for endpoint, _, text in entries
            ),
        )
        for key, label, entries in kept
    ]
