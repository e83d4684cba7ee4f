"""The scenario package stays pure: allowed imports only, and no `eval`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "academy" / "scenarios"
MODULES = sorted(PACKAGE.glob("*.py"))
ALLOWED_ACADEMY = {
    "academy.scenarios",
    "academy.sourcemap",
    "academy.vocabulary",
    "academy.evidence",
    "academy.courses.render",
    "academy.courses.policy",
}
FORBIDDEN_TOP = {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "flask_login", "jinja2"}


def imported_modules(tree: ast.AST) -> list[str]:
    """Every module name an import statement names."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_imports_only_pure_dependencies(path: Path) -> None:
    """No web framework, no database, and only the allowed parts of academy."""
    tree = ast.parse(path.read_text("utf-8"))
    for name in imported_modules(tree):
        assert name.split(".")[0] not in FORBIDDEN_TOP, f"{path.name} imports {name}"
        if name.split(".")[0] == "academy":
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED_ACADEMY), (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_never_calls_eval_or_exec(path: Path) -> None:
    """Conditions are parsed, never handed to Python's eval or exec."""
    tree = ast.parse(path.read_text("utf-8"))
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"eval", "exec", "compile", "__import__"}


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_has_a_docstring_and_public_functions_too(path: Path) -> None:
    """Every module says what it owns; every public function says what it does."""
    tree = ast.parse(path.read_text("utf-8"))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path.name}: {node.name} has no docstring"
