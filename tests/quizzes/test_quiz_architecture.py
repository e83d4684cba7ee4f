"""The quiz package stays pure and documented (STYLE.md), checked by reading its source."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import academy.quizzes as quizzes

PACKAGE = Path(quizzes.__file__).resolve().parent
FILES = sorted(PACKAGE.rglob("*.py"))
ALLOWED_ACADEMY = {"academy.sourcemap", "academy.vocabulary", "academy.evidence"}
ALLOWED_THIRD_PARTY = {"yaml"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_imports_only_the_standard_library_yaml_and_pure_academy_modules(path: Path) -> None:
    """No framework and no other academy package: stdlib, PyYAML and three pure modules."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "academy":
                assert name in ALLOWED_ACADEMY, f"{path.name} imports {name}"
            else:
                assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                    f"{path.name} imports {name}"
                )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_modules_and_public_functions_have_docstrings(path: Path) -> None:
    """Every module says what it owns; every public function and class says what it does."""
    tree = _tree(path)
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    public = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    public = [n for n in public if not n.name.startswith("_")]
    for cls in [n for n in public if isinstance(n, ast.ClassDef)]:
        public += [
            n for n in cls.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
        ]
    for node in public:
        assert ast.get_docstring(node), f"{path.name}: {node.name} has no docstring"


def test_question_kinds_are_a_registry() -> None:
    """QUESTION_KINDS maps each kind name to the class that carries that name."""
    assert list(quizzes.QUESTION_KINDS) == [
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "short_answer",
        "numeric",
    ]
    assert all(cls.kind == name for name, cls in quizzes.QUESTION_KINDS.items())


def test_everything_exported_exists() -> None:
    """`__all__` names only things the package really exports."""
    assert all(hasattr(quizzes, name) for name in quizzes.__all__)
