"""The certification package is pure and follows the domain conventions (frozen, documented)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "academy" / "certification"
ALLOWED = (
    "academy.certification",
    "academy.evidence",
    "academy.sourcemap",
    "academy.vocabulary",
    "academy.courses",
)
FILES = sorted(PACKAGE.glob("*.py"))


def imported(path: Path) -> list[str]:
    """Every absolute module name imported by a file."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_only_stdlib_yaml_and_pure_academy_modules(path: Path):
    """Imports are the standard library, yaml, or the pure academy modules allowed here."""
    for name in imported(path):
        top = name.split(".")[0]
        if top == "academy":
            assert name.startswith(ALLOWED), f"{path.name} imports {name}"
        else:
            assert top in sys.stdlib_module_names or top == "yaml", f"{path.name} imports {name}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_modules_are_documented_frozen_and_annotated(path: Path):
    """Module docstring; frozen dataclasses; public functions documented and annotated."""
    module = importlib.import_module(f"academy.certification.{path.stem}".removesuffix(".__init__"))
    assert module.__doc__, f"{path.name} has no module docstring"
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) != module.__name__ or name.startswith("_"):
            continue
        if inspect.isclass(value) and dataclasses.is_dataclass(value):
            assert value.__dataclass_params__.frozen, f"{name} is not frozen"  # type: ignore[attr-defined]
        if inspect.isfunction(value):
            assert value.__doc__, f"{name} has no docstring"
            hints = inspect.get_annotations(value)
            assert "return" in hints, f"{name} has no return annotation"
            params = [p for p in inspect.signature(value).parameters if p not in ("self", "cls")]
            assert all(p in hints for p in params), f"{name} has unannotated parameters"
