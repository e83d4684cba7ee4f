"""The growth package is pure: the standard library and academy's pure vocabulary only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "academy" / "growth"
MODULES = sorted(PACKAGE.glob("*.py"))
ALLOWED_ACADEMY = ("academy.evidence", "academy.vocabulary", "academy.growth")


def imported(path: Path) -> list[str]:
    """Absolute names of every module `path` imports (relative imports stay in the package)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_the_package_has_modules():
    """The glob found the package (a moved folder would make the checks below vacuous)."""
    assert {p.stem for p in MODULES} >= {"__init__", "model", "signals", "params", "refreshers"}


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_imports_only_the_standard_library_and_pure_academy(path):
    """No Flask, no SQLAlchemy, no third-party package: stdlib and academy.{evidence,vocabulary}."""
    for name in imported(path):
        top = name.split(".")[0]
        if top == "academy":
            assert name.startswith(ALLOWED_ACADEMY), f"{path.name} imports {name}"
        else:
            assert top in sys.stdlib_module_names or top == "__future__", (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_has_a_docstring_and_public_functions_too(path):
    """Every module says what it owns; every public function has a docstring."""
    tree = ast.parse(path.read_text("utf-8"))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path.name}:{node.name} has no docstring"
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path.name}:{node.name} has no docstring"
