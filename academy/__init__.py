"""Academy: training and certification of the five service disciplines.

The package root stays import-light so that the pure domain packages
(`courses`, `quizzes`, `scenarios`, `certification`, `growth`) can be used and
tested without loading Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application (see `academy.app`)."""
    from academy.app import create_app as _create_app

    return _create_app(test_config)
