"""Settings of the assessment-quality check: ``courses/quality.yaml``.

Thresholds of the quiz statistics, the tell-tale phrases of caricature
options and the polite words of the "politest choice" drill strategy. An
absent file (or key) gives the defaults below, which are also the shipped
values. Pure: no framework imports. The rules: ``docs/authoring.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from academy.quizzes.quality import QuizSettings
from academy.scenarios.strategies import DrillSettings
from academy.sourcemap import PathProblem, Problem, YamlSourceError, load_yaml

QUALITY_FILE = "quality.yaml"

DEFAULT_CARICATURES: tuple[str, ...] = (
    "这不是我的事",
    "不是我的事",
    "不关我的事",
    "关我什么事",
    "与我无关",
    "跟我没关系",
    "不归我管",
    "爱找谁找谁",
    "别烦我",
    "你自己看着办",
    "你去投诉吧",
    "我也没办法",
)
DEFAULT_POLITE: tuple[str, ...] = ("您", "请", "麻烦", "谢谢", "感谢", "对不起", "抱歉", "不好意思")


@dataclass(frozen=True)
class QualitySettings:
    quiz: QuizSettings = QuizSettings()
    drill: DrillSettings = DrillSettings()
    caricature_phrases: tuple[str, ...] = DEFAULT_CARICATURES
    polite_words: tuple[str, ...] = DEFAULT_POLITE


DEFAULT_SETTINGS = QualitySettings()


def load_quality_settings(courses_root: Path) -> tuple[QualitySettings, list[Problem]]:
    """The settings in ``<courses>/quality.yaml`` (defaults where absent) and its problems."""
    file = Path(courses_root) / QUALITY_FILE
    shown = f"{Path(courses_root).name}/{QUALITY_FILE}"
    if not file.is_file():
        return DEFAULT_SETTINGS, []
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return DEFAULT_SETTINGS, [Problem(shown, 1, f"cannot read the quality settings: {exc}")]
    return parse_quality_settings(text, shown)


def parse_quality_settings(
    text: str, shown: str = f"courses/{QUALITY_FILE}"
) -> tuple[QualitySettings, list[Problem]]:
    """Validate settings text; a bad value keeps its default and is reported."""
    try:
        data, lines, found = load_yaml(text)
    except YamlSourceError as exc:
        return DEFAULT_SETTINGS, [Problem(shown, exc.line, f"bad YAML: {exc.message}")]
    problems: list[PathProblem] = list(found)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(PathProblem((), "the quality settings must be a mapping"))
        return DEFAULT_SETTINGS, lines.locate(shown, problems)
    allowed = ("version", "quiz", "drill", "caricature_phrases", "polite_words")
    for key in data:
        if key not in allowed:
            problems.append(PathProblem((key,), f"unknown key '{key}' ({', '.join(allowed)})"))
    settings = DEFAULT_SETTINGS
    quiz = _section(data.get("quiz"), QuizSettings(), ("quiz",), problems)
    drill = _section(data.get("drill"), DrillSettings(), ("drill",), problems)
    settings = replace(settings, quiz=quiz, drill=drill)
    for key in ("caricature_phrases", "polite_words"):
        if key not in data:
            continue
        raw = data[key]
        if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
            problems.append(PathProblem((key,), f"'{key}' must be a list of non-empty texts"))
            continue
        settings = replace(settings, **{key: tuple(dict.fromkeys(w.strip() for w in raw))})
    return settings, lines.locate(shown, problems)


def _section(raw: Any, default: Any, path: tuple, problems: list[PathProblem]) -> Any:
    if raw is None:
        return default
    if not isinstance(raw, dict):
        problems.append(PathProblem(path, f"'{path[0]}' must be a mapping"))
        return default
    known = {f.name: f for f in fields(default)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(PathProblem((*path, key), f"unknown key '{key}' ({', '.join(known)})"))
            continue
        wanted = type(getattr(default, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(PathProblem((*path, key), f"'{key}' must be a number from 0"))
            continue
        if wanted is int and not isinstance(value, int):
            problems.append(PathProblem((*path, key), f"'{key}' must be a whole number"))
            continue
        values[key] = wanted(value)
    return replace(default, **values)


__all__ = [
    "DEFAULT_SETTINGS",
    "DrillSettings",
    "QualitySettings",
    "QuizSettings",
    "load_quality_settings",
    "parse_quality_settings",
]
