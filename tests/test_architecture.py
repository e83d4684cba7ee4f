"""The pure domain packages import no framework (STYLE.md's first rule)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "academy"
PURE = ["courses", "quizzes", "scenarios", "certification", "growth"]
PURE_MODULES = ["vocabulary.py", "sourcemap.py", "evidence.py"]
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "jinja2", "wtforms", "alembic")
ALLOWED_ACADEMY = (
    "academy.courses",
    "academy.quizzes",
    "academy.scenarios",
    "academy.certification",
    "academy.growth",
    "academy.vocabulary",
    "academy.sourcemap",
    "academy.evidence",
)


def pure_files() -> list[Path]:
    files = [ROOT / name for name in PURE_MODULES]
    for package in PURE:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return files


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_framework(path):
    """Pure domain code imports neither Flask, SQLAlchemy nor the web/persistence layers."""
    for name in imports(path):
        top = name.split(".")[0]
        assert not top.startswith(FORBIDDEN), f"{path.name} imports {name}"
        if top == "academy":
            assert name.startswith(ALLOWED_ACADEMY), f"{path.name} imports {name}"


def test_web_is_the_only_layer_importing_flask_request():
    """Services never touch the request: only academy/web does."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "web" in path.relative_to(ROOT).parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if (
            "from flask import" in source
            and "request" in source.split("from flask import")[1].split("\n")[0]
        ):
            offenders.append(str(path))
    assert offenders == []
