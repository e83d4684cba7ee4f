"""A module file's quiz as GIFT: find the file, write imported questions into it, export.

The command line's ``academy quiz import-gift`` and ``export-gift`` are thin
wrappers around these functions. Only the paths given are read or written; a
module file is replaced in one rename, after the new text has passed the same
validation as ``academy content check``, so it is never left half-written or
broken.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from academy.courses.loader import FILE_NAME_RE, parse_module, read_text
from academy.quizzes import (
    GiftProblem,
    Question,
    QuizError,
    parse_gift,
    replace_quiz_questions,
    to_gift,
)
from academy.sourcemap import Problem
from academy.vocabulary import DISCIPLINES

MODULE_KEY_RE = re.compile(r"(?P<discipline>[a-z]+)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")


class QuizFileError(ValueError):
    """A module key that names no module file, or a file that cannot be used."""


def find_module_file(root: Path, key: str) -> Path:
    """The file ``<root>/<discipline>/NN-<slug>.md`` of module ``discipline/slug``."""
    match = MODULE_KEY_RE.fullmatch(key)
    if match is None or match["discipline"] not in DISCIPLINES:
        raise QuizFileError(
            f"'{key}' is not a module key: write discipline/slug, "
            f"with a discipline among {', '.join(DISCIPLINES)}"
        )
    folder = root / match["discipline"]
    candidates = sorted(
        path
        for path in folder.glob(f"*-{match['slug']}.md")
        if (name := FILE_NAME_RE.match(path.name)) and name["slug"] == match["slug"]
    )
    if not candidates:
        raise QuizFileError(f"no module file for '{key}' in {folder} (looked for NN-{key}.md)")
    if len(candidates) > 1:
        names = ", ".join(path.name for path in candidates)
        raise QuizFileError(f"several module files for '{key}' in {folder}: {names}")
    return candidates[0]


def shown_path(file: Path, root: Path) -> str:
    """How messages name a module file: relative to the folder holding the courses folder."""
    try:
        return str(file.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(file)


@dataclass
class GiftImport:
    """What importing a GIFT file into a module file would do.

    `questions` are the questions read, `gift_problems` what the GIFT file had
    that could not be imported (line numbers in the GIFT file), `module_problems`
    what is wrong with the module file before or after the change, and `text`
    the module's new text (None when it cannot be made).
    """

    questions: list[Question] = field(default_factory=list)
    gift_problems: list[GiftProblem] = field(default_factory=list)
    module_problems: list[Problem] = field(default_factory=list)
    text: str | None = None


def import_gift(module_file: Path, shown: str, gift_text: str) -> GiftImport:
    """Read GIFT questions and make the module text with them as its quiz questions.

    The new text is validated as a whole module (pass mark, draw against the
    number of questions …); nothing is written here.
    """
    outcome = GiftImport()
    outcome.questions, outcome.gift_problems = parse_gift(gift_text)
    original, problems = read_text(module_file, shown)
    outcome.module_problems.extend(problems)
    if original is None or not outcome.questions:
        return outcome
    try:
        text = replace_quiz_questions(original, outcome.questions)
    except QuizError as exc:
        outcome.module_problems.append(Problem(shown, 1, str(exc)))
        return outcome
    _module, problems = parse_module(text, shown)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        outcome.module_problems.extend(errors)
        return outcome
    outcome.text = text
    return outcome


def export_gift(module_file: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The module's quiz questions as GIFT text, or None and the problems why not."""
    text, problems = read_text(module_file, shown)
    if text is None:
        return None, problems
    module, problems = parse_module(text, shown)
    errors = [problem for problem in problems if problem.severity == "error"]
    if module is None or errors:
        return None, errors or [Problem(shown, 1, "the module file cannot be read")]
    if module.quiz is None:
        return None, [Problem(shown, 1, "this module has no quiz")]
    return to_gift(module.quiz.questions), []


def write_text_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename (same folder, same permissions)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
