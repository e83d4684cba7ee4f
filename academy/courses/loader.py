"""Read and validate course module files; every problem says `file:line: what`.

A module file is YAML front matter between two ``---`` lines, then Markdown.
Validation is complete: a file reports every problem found, not only the first.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from academy.courses.model import ModuleSource
from academy.courses.policy import Policy, load_policy, substitute
from academy.courses.render import markdown_limit
from academy.quizzes import parse_quiz
from academy.scenarios.parse import PLACEHOLDER, PLACEHOLDER_RE
from academy.sourcemap import LineMap, PathProblem, Problem, YamlSourceError, load_yaml
from academy.vocabulary import AXES, DISCIPLINES

FILE_NAME_RE = re.compile(r"^(?P<order>\d{2,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
ALLOWED_KEYS = (
    "title",
    "discipline",
    "order",
    "minutes",
    "objectives",
    "axes",
    "scripts",
    "quiz",
)
REQUIRED_KEYS = ("title", "discipline", "order")
MAX_BYTES = 512 * 1024
#: `scripts:` — the phrases staff keep on the pocket card: a few, and short.
MAX_SCRIPTS = 4
MAX_SCRIPT_CHARS = 60


@dataclass
class Library:
    """Everything read from a courses folder: good modules and all problems."""

    modules: list[ModuleSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def broken_files(self) -> set[str]:
        """Files with at least one error."""
        return {p.file for p in self.errors}


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, first body line) or None when there is no front matter.

    Only ``\n`` ends a line here (as in YAML and in editors' line numbers), not
    the other Unicode line separators that ``str.splitlines`` would honour.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return None


def parse_module(
    text: str, path: str, policy: Policy | None = None
) -> tuple[ModuleSource | None, list[Problem]]:
    """Validate one module file's text; `path` is used in messages and for the folder check.

    With a `policy`, ``{{policy.KEY}}`` placeholders in the front matter (quiz
    prompts, options, feedback) and the body are replaced first (an unknown key
    is an error at its line); without one they are left as written (GIFT export).
    The module keeps the file's own `text`; its `source_hash` covers the values used.
    """
    problems: list[Problem] = []
    original = text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if policy is not None:
        substitution = substitute(text, policy, path)
        problems.extend(substitution.problems)
        text = substitution.text
        digest = substitution.digest(original)

    def add(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    name = Path(path).name
    match = FILE_NAME_RE.match(name)
    if match is None:
        add(1, f"file name '{name}' must look like NN-slug.md (slug: a-z, 0-9 and dashes)")
    split = split_front_matter(text)
    if split is None:
        add(1, "missing front matter: the file must start with a '---' line and close it")
        return None, problems
    front_text, body, body_line = split
    try:
        data, lines, yaml_problems = load_yaml(front_text, first_line=2)
    except YamlSourceError as exc:
        add(exc.line, f"bad YAML: {exc.message}")
        return None, problems
    problems.extend(lines.locate(path, yaml_problems))
    if not isinstance(data, dict):
        add(2, "front matter must be a mapping of keys (title:, discipline:, …)")
        return None, problems

    path_problems: list[PathProblem] = []

    def bad(key: tuple, message: str) -> None:
        path_problems.append(PathProblem(key, message))

    for key in data:
        if key not in ALLOWED_KEYS:
            bad((key,), f"unknown key '{key}' (allowed: {', '.join(ALLOWED_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in data or data[key] in (None, ""):
            bad((), f"missing required key '{key}'")

    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or not title.strip()):
        bad(("title",), "title must be non-empty text")
    elif isinstance(title, str) and len(title) > 200:
        bad(("title",), "title is longer than 200 characters")

    discipline = data.get("discipline")
    folder = Path(path).parent.name
    if "discipline" in data:
        if discipline not in DISCIPLINES:
            bad(
                ("discipline",),
                f"unknown discipline '{discipline}' (one of {', '.join(DISCIPLINES)})",
            )
        elif folder in DISCIPLINES and folder != discipline:
            bad(("discipline",), f"discipline '{discipline}' does not match its folder '{folder}'")
    if folder not in DISCIPLINES:
        bad((), f"module must live in a discipline folder ({', '.join(DISCIPLINES)})")

    order = data.get("order")
    if "order" in data:
        if not _is_int(order) or order < 1:
            bad(("order",), "order must be a whole number from 1")
        elif match is not None and int(match["order"]) != order:
            bad(("order",), f"order {order} does not match the file name prefix {match['order']}")

    minutes = data.get("minutes")
    if "minutes" in data and (not _is_int(minutes) or not 1 <= minutes <= 600):
        bad(("minutes",), "minutes must be a whole number between 1 and 600")

    objectives = data.get("objectives", [])
    if not isinstance(objectives, list) or not all(
        isinstance(o, str) and o.strip() for o in objectives
    ):
        bad(("objectives",), "objectives must be a list of non-empty texts")
        objectives = []

    axes = data.get("axes", [])
    if not isinstance(axes, list):
        bad(("axes",), f"axes must be a list drawn from {', '.join(AXES)}")
        axes = []
    else:
        for index, axis in enumerate(axes):
            if axis not in AXES:
                bad(("axes", index), f"unknown axis '{axis}' (one of {', '.join(AXES)})")

    scripts = data.get("scripts", [])
    if scripts is None:
        scripts = []
    if not isinstance(scripts, list):
        bad(("scripts",), f"scripts must be a list of at most {MAX_SCRIPTS} short phrases")
        scripts = []
    else:
        if len(scripts) > MAX_SCRIPTS:
            bad(("scripts",), f"scripts lists {len(scripts)} phrases; at most {MAX_SCRIPTS} fit")
        for index, phrase in enumerate(scripts):
            if not isinstance(phrase, str) or not phrase.strip():
                bad(("scripts", index), "each script must be a non-empty phrase")
            elif len(phrase.strip()) > MAX_SCRIPT_CHARS:
                bad(
                    ("scripts", index),
                    f"script is {len(phrase.strip())} characters; at most {MAX_SCRIPT_CHARS}"
                    " fit on a pocket card",
                )

    quiz = None
    if data.get("quiz") is not None:
        quiz, quiz_problems = parse_quiz(data["quiz"], ("quiz",))
        path_problems.extend(quiz_problems)

    if (too_much := markdown_limit(body)) is not None:
        add(body_line + too_much.line - 1, too_much.message)
    path_problems.extend(_placeholders(data, ()))
    for index, body_text in enumerate(body.split("\n")):
        if PLACEHOLDER_RE.search(body_text):
            add(
                body_line + index,
                f"the lesson text still holds an import placeholder ({PLACEHOLDER}: …):"
                " write it before publishing",
            )

    if not body.strip():
        # Point at the closing '---' (the body may not have a line of its own).
        problems.append(Problem(path, body_line - 1, "the lesson body is empty"))

    problems.extend(lines.locate(path, path_problems))
    if any(p.severity == "error" for p in problems):
        return None, problems
    assert match is not None and isinstance(discipline, str) and isinstance(title, str)
    return (
        ModuleSource(
            discipline=discipline,
            slug=match["slug"],
            order=int(order),
            title=title.strip(),
            minutes=int(minutes) if minutes is not None else estimate_minutes(body, quiz),
            objectives=tuple(o.strip() for o in objectives),
            axes=tuple(dict.fromkeys(axes)),
            body=body,
            quiz=quiz,
            path=path,
            body_line=body_line,
            source_hash=digest,
            text=original,
            scripts=tuple(p.strip() for p in scripts if isinstance(p, str)),
        ),
        problems,
    )


def _placeholders(value: Any, path: tuple) -> list[PathProblem]:
    """An error at every front-matter text an import left as ``TODO: …`` (GIFT import)."""
    if isinstance(value, str):
        if PLACEHOLDER_RE.search(value):
            name = next((str(k) for k in reversed(path) if isinstance(k, str)), "front matter")
            return [
                PathProblem(
                    path,
                    f"'{name}' still holds an import placeholder ({PLACEHOLDER}: …):"
                    " write it before publishing",
                )
            ]
        return []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _placeholders(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _placeholders(item, (*path, index))]
    return []


def estimate_minutes(body: str, quiz: Any | None) -> int:
    """Reading time: ~300 Han characters or ~200 words a minute, plus a minute per 2 questions."""
    han = sum(1 for ch in body if "\u4e00" <= ch <= "\u9fff")
    words = len(re.findall(r"[A-Za-z0-9]+", body))
    questions = len(getattr(quiz, "questions", ()) or ())
    return max(1, round(han / 300 + words / 200 + questions / 2))


def check_library(modules: Sequence[ModuleSource]) -> list[Problem]:
    """Problems between files: duplicate slugs or orders within a discipline."""
    problems: list[Problem] = []
    seen_slug: dict[tuple[str, str], ModuleSource] = {}
    seen_order: dict[tuple[str, int], ModuleSource] = {}
    for module in sorted(modules, key=lambda m: m.path):
        first = seen_slug.setdefault((module.discipline, module.slug), module)
        if first is not module:
            problems.append(
                Problem(module.path, 1, f"duplicate slug '{module.slug}' (also {first.path})")
            )
        first = seen_order.setdefault((module.discipline, module.order), module)
        if first is not module:
            problems.append(
                Problem(module.path, 1, f"duplicate order {module.order} (also {first.path})")
            )
    return problems


class UnreadableFile(ValueError):
    """A file that is not read: not a regular file, outside its folder, or too large."""


def read_limited(file: Path, limit: int, root: Path | None = None) -> bytes:
    """At most `limit` bytes of a regular file (raises `UnreadableFile` or `OSError`).

    Devices and pipes (``/dev/zero``) are refused before they are opened, and so
    is a symbolic link that leads out of `root`.
    """
    if root is not None and _leaves(file, root):
        raise UnreadableFile("the file is a link that leads out of the content folder; refused")
    if not stat.S_ISREG(file.stat().st_mode):
        raise UnreadableFile("not a regular file")
    with file.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise UnreadableFile(f"file is larger than {limit // 1024} KiB")
    return raw


def _leaves(file: Path, root: Path) -> bool:
    """Whether `file`, found in `root`, resolves to somewhere outside it."""
    folder = Path(os.path.abspath(root))
    where = Path(os.path.abspath(file))
    if not where.is_relative_to(folder):
        return False  # named explicitly from elsewhere (a command-line argument)
    return not where.resolve().is_relative_to(folder.resolve())


def read_text(file: Path, shown: str, root: Path | None = None) -> tuple[str | None, list[Problem]]:
    """A content file's text, or a problem saying why it cannot be read."""
    try:
        raw = read_limited(file, MAX_BYTES, root)
    except UnreadableFile as exc:
        return None, [Problem(shown, 1, str(exc))]
    except OSError as exc:
        return None, [Problem(shown, 1, f"cannot read file: {exc.strerror}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "file is not UTF-8 text")]


def module_files(root: Path) -> list[Path]:
    """Every ``*.md`` under the discipline folders of `root`, sorted."""
    return sorted(p for p in root.glob("*/*.md") if p.is_file())


def load_library(
    root: Path, files: Iterable[Path] | None = None, policy: Policy | None = None
) -> Library:
    """Read and validate modules under `root` (or only `files`), with cross-file checks.

    Placeholders are filled from `policy`, by default ``<root>/policy.yaml``
    (whose own problems are reported by `academy content check`, not here).
    """
    library = Library()
    if policy is None:
        policy, _ = load_policy(root)
    chosen = module_files(root) if files is None else sorted(files)
    for file in chosen:
        shown = _display_path(file, root)
        text, read_problems = read_text(file, shown, root)
        library.problems.extend(read_problems)
        if text is None:
            continue
        module, problems = parse_module(text, shown, policy)
        library.problems.extend(problems)
        if module is not None:
            library.modules.append(module)
    library.problems.extend(check_library(library.modules))
    library.problems.sort(key=lambda p: (p.file, p.line))
    return library


def _display_path(file: Path, root: Path) -> str:
    try:  # named by where it was found (a link too)
        return str(Path(os.path.abspath(file)).relative_to(Path(os.path.abspath(root)).parent))
    except ValueError:
        pass
    try:
        return str(file.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(file)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = [
    "Library",
    "LineMap",
    "ModuleSource",
    "check_library",
    "load_library",
    "parse_module",
    "split_front_matter",
]
