"""Twee 3 (Twine 2's text format) export and import for scenarios.

Mapping (documented for authors in ``docs/formats-scenario.md``):

* ``:: StoryTitle`` holds the title; ``:: StoryData`` holds the IFID (a UUID
  derived from the slug, so exports are stable), the story format (Harlowe),
  and the start passage.
* ``:: StoryAcademy`` holds the scenario settings as YAML (summary, setting,
  disciplines, state, pass_score, minutes). Twine keeps it as an ordinary
  passage; nothing links to it.
* Every other passage is a node. Tags carry the speaker (``speaker-resident``)
  and, for endings, the type (``ending-success``). The passage text is the
  node text; every link in it is a choice, in order. Twine 2's four link
  forms are read: ``[[target]]``, ``[[text|target]]``, ``[[text->target]]``
  and ``[[target<-text]]`` (rightmost ``->``, leftmost ``<-``, as Twine does).
* An annotation ``<!-- academy {JSON} -->`` directly after a link (only
  whitespace between) carries that choice's ``if``, ``effects``, ``scores``,
  ``axes``, ``feedback`` and ``better``; anywhere else in a passage it carries
  the node's ``summary`` (endings). Harlowe hides HTML comments when playing,
  and Twine keeps passage text verbatim, so annotations survive a trip
  through Twine and stay editable there.
* When a text cannot be written literally (a choice text containing ``->``,
  ``|`` or ``]]``; a node text containing ``[[``), the annotation also holds
  the exact ``text`` and the visible text is a readable stand-in.
* Passage content lines that begin with ``::`` (which would start a new
  passage) are written with one extra leading backslash, removed on import.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from academy.scenarios.diagram import BOX_H, BOX_W, H_GAP, V_GAP, layout
from academy.scenarios.model import ENDINGS, NODE_TAGS, Choice, Node, Scenario
from academy.scenarios.parse import (
    RESERVED_IDS,
    choice_to_data,
    dump_scenario_yaml,
    scenario_to_data,
)
from academy.sourcemap import LineMap, Path, YamlSourceError, load_yaml

STORY_FORMAT: Final = "Harlowe"
STORY_FORMAT_VERSION: Final = "3.3.9"
META_PASSAGE: Final = "StoryAcademy"
META_KEYS: Final = ("summary", "setting", "disciplines", "state", "pass_score", "minutes")
CHOICE_NOTE_KEYS: Final = ("text", "if", "effects", "scores", "axes", "feedback", "better")
PASSAGE_NOTE_KEYS: Final = ("text", "summary")
#: Passages Twine and Harlowe treat as code or decoration, not story: skipped on import.
SKIPPED_TAGS: Final = frozenset(
    {
        "script",
        "stylesheet",
        "header",
        "footer",
        "startup",
        "debug-header",
        "debug-footer",
        "debug-startup",
        "widget",
    }
)
_TAG_COLOURS: Final = {
    "ending-success": "green",
    "ending-partial": "orange",
    "ending-failure": "red",
}

_TOKENS = re.compile(r"<!--\s*academy\b(?P<note>.*?)-->|\[\[(?P<link>[^\n]*?)\]\]", re.S)
_NOTE_START = re.compile(r"<!--\s*academy\b")
_ESCAPED_HEADER = re.compile(r"\\*::")
_UNSAFE_LINK_TEXT = ("[[", "]]", "->", "<-", "|", "][", "\n", "<!--", "-->")


@dataclass(frozen=True)
class TweeProblem:
    """Something wrong in a Twee file; `line` is 1-based."""

    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"line {self.line}: {prefix}{self.message}"


def story_ifid(slug: str) -> str:
    """The scenario's Twine IFID: a UUID derived from the slug, in capitals."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"academy:scenario:{slug}")).upper()


# --- export ------------------------------------------------------------------


def _escape_name(name: str) -> str:
    return re.sub(r"([\\\[\]{}])", r"\\\1", name)


def _escape_content(text: str) -> str:
    return "\n".join(
        "\\" + line if _ESCAPED_HEADER.match(line) else line for line in text.split("\n")
    )


def _note(data: Mapping[str, Any]) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    # Annotations hold no JSON arrays, so "-->", "[[" and "]]" can only occur inside
    # strings, where a \u escape spells the same character. Escaped, the comment cannot
    # end early and Twine does not mistake text in it for a link.
    for bad, good in (("-->", "--\\u003e"), ("[[", "[\\u005b"), ("]]", "]\\u005d")):
        body = body.replace(bad, good)
    return f"<!-- academy {body} -->"


def _link_text_is_safe(text: str) -> bool:
    return (
        bool(text)
        and not any(bad in text for bad in _UNSAFE_LINK_TEXT)
        and not (text.startswith("[") or text.endswith("]") or text != text.strip())
    )


_STAND_INS = str.maketrans({"[": "(", "]": ")", "|": "¦", "<": "‹", ">": "›", "\n": " "})


def _stand_in(text: str) -> str:
    # Link syntax needs one of these characters, so swapping each one out is enough.
    return text.translate(_STAND_INS).strip() or "…"


def _text_is_safe(text: str) -> bool:
    return "[[" not in text and not _NOTE_START.search(text)


def _choice_lines(choice: Choice) -> list[str]:
    data = choice_to_data(choice)
    data.pop("goto")
    shown = data.pop("text")
    if not _link_text_is_safe(shown):
        data = {"text": shown, **data}
        shown = _stand_in(shown)
    return [f"[[{shown}->{choice.goto}]]", _note(data)]


def _passage(node: Node, position: tuple[float, float], kept: list[str] | None = None) -> str:
    tags = [f"speaker-{node.speaker}", *node.tags]
    if node.ending:
        tags.append(f"ending-{node.ending}")
    tags.extend(tag for tag in kept or () if tag not in tags)
    meta = json.dumps({"position": f"{position[0]:.0f},{position[1]:.0f}", "size": "100,100"})
    lines = [f":: {_escape_name(node.id)} [{' '.join(tags)}] {meta}"]
    note: dict[str, str] = {}
    text = node.text
    if not _text_is_safe(text):
        note["text"] = text
        while "[[" in text:
            text = text.replace("[[", "[ [")
        text = _NOTE_START.sub("<! -- academy", text)
    if node.summary:
        note["summary"] = node.summary
    body: list[str] = [text] if text else []
    if note:
        body.append(_note(note))
    if node.choices:
        body.append("")
        for choice in node.choices:
            body.extend(_choice_lines(choice))
    lines.append(_escape_content("\n".join(body)))
    return "\n".join(lines)


def to_twee(scenario: Scenario) -> str:
    """The scenario as Twee 3 text that Twine 2 can import."""
    twine = scenario.twine
    story_data = {
        "ifid": twine.get("ifid") or story_ifid(scenario.slug),
        "format": twine.get("format") or STORY_FORMAT,
        "format-version": twine.get("format-version")
        or (STORY_FORMAT_VERSION if not twine.get("format") else ""),
        "start": scenario.start,
        "tag-colors": {**_TAG_COLOURS, **twine.get("tag-colors", {})},
        "zoom": 1,
    }
    if not story_data["format-version"]:
        del story_data["format-version"]
    kept_tags = twine.get("tags", {})
    data = scenario_to_data(scenario)
    meta: dict[str, Any] = {key: data[key] for key in META_KEYS if key in data}
    parts = [
        f":: StoryTitle\n{_escape_content(scenario.title)}",
        f":: StoryData\n{json.dumps(story_data, ensure_ascii=False, indent=2)}",
        f":: {META_PASSAGE} [academy]\n{_escape_content(dump_scenario_yaml(meta).rstrip())}",
    ]
    plan = layout(scenario)
    places = plan.position()
    for node in scenario.nodes:
        depth, order = places[("node", node.id)]
        position = (100 + order * (BOX_W + H_GAP), 100 + depth * (BOX_H + V_GAP))
        parts.append(_passage(node, position, kept_tags.get(node.id)))
    return "\n\n\n".join(parts) + "\n"


# --- import ------------------------------------------------------------------


@dataclass
class _Passage:
    name: str
    tags: list[str]
    line: int  # the header's line
    content: list[str]  # content lines, unescaped

    @property
    def text(self) -> str:
        return "\n".join(self.content).strip()


class _Reader:
    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.problems: list[TweeProblem] = []
        self.lines = LineMap()
        self.twine: dict[str, Any] = {}
        self.kept_tags: dict[str, list[str]] = {}

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(TweeProblem(line, message, severity))

    # --- passages ---

    def split(self, text: str) -> list[_Passage]:
        passages: list[_Passage] = []
        current: _Passage | None = None
        source = text.replace("\r\n", "\n").replace("\r", "\n")
        if source.startswith("\ufeff"):
            source = source[1:]
        for number, line in enumerate(source.split("\n"), start=1):
            if line.startswith("::"):
                current = self.header(line, number)
                passages.append(current)
            elif current is not None:
                if re.match(r"\\+::", line):
                    line = line[1:]
                current.content.append(line)
            elif line.strip():
                self.problem(number, "text before the first passage header is ignored", "warning")
        return passages

    def header(self, line: str, number: int) -> _Passage:
        rest = line[2:]
        name, position = _until(rest, 0, "[{")
        tags: list[str] = []
        position = _skip_spaces(rest, position)
        if position < len(rest) and rest[position] == "[":
            block, position = _until(rest, position + 1, "]")
            if position >= len(rest):
                self.problem(number, "tag block is not closed with ']'")
            tags = block.split()
            position = _skip_spaces(rest, position + 1)
        if position < len(rest) and rest[position] == "{":
            try:
                meta = json.loads(rest[position:])
                if not isinstance(meta, dict):
                    raise ValueError("not an object")
            except (ValueError, RecursionError):
                self.problem(number, "passage metadata is not a JSON object; ignored", "warning")
        elif position < len(rest) and rest[position:].strip():
            self.problem(number, f"unexpected text after the passage name: {rest[position:]!r}")
        name = name.strip()
        if not name:
            self.problem(number, "passage header without a name")
        return _Passage(name, tags, number, [])

    # --- whole story ---

    def story(self, text: str) -> dict[str, Any]:
        passages = self.split(text)
        data: dict[str, Any] = {}
        start_hint: str | None = None
        seen: dict[str, int] = {}
        nodes: dict[str, Any] = {}
        for passage in passages:
            if not passage.name:
                continue
            if passage.name in seen:
                self.problem(
                    passage.line,
                    f"duplicate passage name '{passage.name}' (first at line {seen[passage.name]})",
                )
                continue
            seen[passage.name] = passage.line
            if passage.name == "StoryTitle":
                data["title"] = passage.text
                self.lines.lines[("title",)] = passage.line + 1
            elif passage.name == "StoryData":
                start_hint = self.story_data(passage)
            elif passage.name == META_PASSAGE:
                self.meta(passage, data)
            elif SKIPPED_TAGS.intersection(passage.tags):
                continue
            elif passage.name in RESERVED_IDS:
                continue
            else:
                nodes[passage.name] = self.node(passage)
        if "title" not in data:
            self.problem(1, "no StoryTitle passage: the scenario needs a title")
        if start_hint is None and "Start" in nodes:
            start_hint = "Start"
        if start_hint is None:
            self.problem(1, 'no start passage: give StoryData a "start" or name a passage Start')
        else:
            data["start"] = start_hint
        data["nodes"] = nodes
        self.lines.lines.setdefault(("nodes",), 1)
        twine = self.twine_data()
        if twine:
            data["twine"] = twine
        return data

    def twine_data(self) -> dict[str, Any]:
        """Twine's story data as the ``twine:`` mapping, left out where it is the default."""
        found: dict[str, Any] = {}
        meta = self.twine
        ifid = meta.get("ifid")
        if isinstance(ifid, str) and ifid.strip() and ifid.upper() != story_ifid(self.slug):
            found["ifid"] = ifid.strip()
        fmt, version = meta.get("format"), meta.get("format-version")
        if isinstance(fmt, str) and fmt.strip():
            if (fmt, version) != (STORY_FORMAT, STORY_FORMAT_VERSION):
                found["format"] = fmt.strip()
                if isinstance(version, str) and version.strip():
                    found["format-version"] = version.strip()
        colours = meta.get("tag-colors")
        if isinstance(colours, dict):
            extra = {
                k: v
                for k, v in colours.items()
                if isinstance(k, str) and isinstance(v, str) and _TAG_COLOURS.get(k) != v
            }
            if extra:
                found["tag-colors"] = extra
        if self.kept_tags:
            found["tags"] = dict(self.kept_tags)
        return found

    def story_data(self, passage: _Passage) -> str | None:
        self.lines.lines[("start",)] = passage.line
        try:
            meta = json.loads(passage.text or "{}")
        except (ValueError, RecursionError) as exc:
            self.problem(passage.line, f"StoryData is not valid JSON ({exc}); ignored", "warning")
            return None
        if not isinstance(meta, dict):
            self.problem(passage.line, "StoryData must be a JSON object; ignored", "warning")
            return None
        self.twine = meta
        start = meta.get("start")
        if start is not None and not isinstance(start, str):
            self.problem(passage.line, 'StoryData "start" must be a passage name')
            return None
        return start

    def meta(self, passage: _Passage, data: dict[str, Any]) -> None:
        text = "\n".join(passage.content)
        try:
            meta, linemap, duplicates = load_yaml(text, first_line=passage.line + 1)
        except YamlSourceError as exc:
            self.problem(exc.line, f"{META_PASSAGE}: {exc.message}")
            return
        for problem in duplicates:
            self.problem(linemap.line(problem.path), f"{META_PASSAGE}: {problem.message}")
        if meta is None:
            return
        if not isinstance(meta, dict):
            self.problem(
                passage.line, f"{META_PASSAGE} must hold YAML keys: {', '.join(META_KEYS)}"
            )
            return
        for key, value in meta.items():
            if key not in META_KEYS:
                self.problem(
                    linemap.line((key,)),
                    f"{META_PASSAGE}: unknown key '{key}' (expected: {', '.join(META_KEYS)})",
                )
                continue
            data[key] = value
        for path, line in linemap.lines.items():
            if path:
                self.lines.lines[path] = line

    def node(self, passage: _Passage) -> dict[str, Any]:
        path: Path = ("nodes", passage.name)
        self.lines.lines[path] = passage.line
        node: dict[str, Any] = {}
        for tag in passage.tags:
            for prefix in ("speaker", "ending"):
                if tag.startswith(prefix + "-"):
                    if prefix in node:
                        self.problem(passage.line, f"more than one {prefix}- tag")
                    node[prefix] = tag[len(prefix) + 1 :]
            if tag in NODE_TAGS and tag not in node.setdefault("tags", []):
                node["tags"].append(tag)
            elif tag not in NODE_TAGS and not tag.startswith(("speaker-", "ending-")):
                kept = self.kept_tags.setdefault(passage.name, [])
                if tag not in kept:
                    kept.append(tag)
        if not node.get("tags"):
            node.pop("tags", None)
        text, choices, passage_note = self.content(passage, path)
        if text:
            node["text"] = text
        for key, value in passage_note.items():
            node[key] = value
        if choices or node.get("ending") not in ENDINGS:
            node["choices"] = choices
        return node

    def content(
        self, passage: _Passage, path: Path
    ) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
        """Split a passage into node text, choices (links + notes) and the passage note."""
        content = "\n".join(passage.content)
        first = passage.line + 1
        choices: list[dict[str, Any]] = []
        passage_note: dict[str, Any] | None = None
        # Output lines as segments: ("text", s), ("link", display text) or ("note", "").
        rows: list[list[tuple[str, str]]] = [[]]
        waiting: int | None = None  # a link not yet annotated, with only blanks since
        cursor = 0
        for match in _TOKENS.finditer(content):
            between = content[cursor : match.start()]
            _add_text(rows, between)
            if between.strip():
                waiting = None
            line = first + content.count("\n", 0, match.start())
            link = match.group("link")
            if link is not None:
                text, target = parse_link(link)
                rows[-1].append(("link", text))
                if not target:
                    self.problem(line, "link without a target passage; ignored")
                    waiting = None
                else:
                    waiting = len(choices)
                    choices.append({"text": text, "goto": target})
                    for key in ((), ("goto",), ("text",)):
                        self.lines.lines[(*path, "choices", waiting, *key)] = line
            else:
                rows[-1].append(("note", ""))
                note = self.note(match.group("note"), line)
                if waiting is not None:
                    self.choice_note(note, choices[waiting], (*path, "choices", waiting), line)
                elif passage_note is not None:
                    self.problem(line, "more than one passage annotation; later ones ignored")
                else:
                    passage_note = self.passage_note(note, path, line)
                waiting = None
            cursor = match.end()
        _add_text(rows, content[cursor:])
        kept: list[str] = []
        for row in rows:
            words = "".join(value for kind, value in row if kind == "text")
            if not words.strip() and any(kind != "text" for kind, _ in row):
                continue  # a line holding only links and notes
            kept.append("".join(value for _, value in row))
        passage_note = passage_note or {}
        text = passage_note.pop("text", None)
        if not isinstance(text, str):
            text = "\n".join(kept).strip()
        return text, choices, passage_note

    def note(self, body: str, line: int) -> dict[str, Any]:
        body = body.strip()
        if not body:
            return {}
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            self.problem(line, f"annotation is not valid JSON: {exc}")
            return {}
        if not isinstance(data, dict):
            self.problem(line, "annotation must be a JSON object {…}")
            return {}
        return data

    def choice_note(
        self, note: dict[str, Any], choice: dict[str, Any], path: Path, line: int
    ) -> None:
        for key, value in note.items():
            if key not in CHOICE_NOTE_KEYS:
                self.problem(
                    line,
                    f"unknown annotation key '{key}' for a choice"
                    f" (expected: {', '.join(CHOICE_NOTE_KEYS)})",
                )
                continue
            choice[key] = value
            self.lines.lines[(*path, key)] = line
            if isinstance(value, dict):
                for sub in value:
                    self.lines.lines[(*path, key, sub)] = line

    def passage_note(self, note: dict[str, Any], path: Path, line: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in note.items():
            if key not in PASSAGE_NOTE_KEYS:
                self.problem(
                    line,
                    f"unknown annotation key '{key}' for a passage"
                    f" (expected: {', '.join(PASSAGE_NOTE_KEYS)})",
                )
                continue
            found[key] = value
            self.lines.lines[(*path, key)] = line
        return found


def _add_text(rows: list[list[tuple[str, str]]], text: str) -> None:
    for index, piece in enumerate(text.split("\n")):
        if index:
            rows.append([])
        if piece:
            rows[-1].append(("text", piece))


def _until(text: str, position: int, stops: str) -> tuple[str, int]:
    """Decode backslash escapes up to the first unescaped character in `stops`."""
    out: list[str] = []
    while position < len(text):
        ch = text[position]
        if ch == "\\" and position + 1 < len(text):
            out.append(text[position + 1])
            position += 2
            continue
        if ch in stops:
            break
        out.append(ch)
        position += 1
    return "".join(out), position


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def parse_link(inner: str) -> tuple[str, str]:
    """``(text, target)`` of a link's inside, by Twine 2's rules."""
    inner = inner.split("][")[0] if "][" in inner else inner
    if "->" in inner and inner.rsplit("->", 1)[1].strip():
        text, target = inner.rsplit("->", 1)
    elif "<-" in inner and inner.split("<-", 1)[0].strip():
        target, text = inner.split("<-", 1)
    elif "|" in inner and inner.rsplit("|", 1)[1].strip():
        text, target = inner.rsplit("|", 1)
    else:
        text = target = inner
    return text.strip(), target.strip()


def load_twee(text: str, slug: str) -> tuple[dict[str, Any], LineMap, list[TweeProblem]]:
    """Read Twee 3 into scenario data, a line map for it, and Twee-level problems."""
    reader = _Reader(slug)
    data = reader.story(text)
    return data, reader.lines, reader.problems


def parse_twee(text: str, slug: str) -> tuple[dict[str, Any], list[TweeProblem]]:
    """Read Twee 3 into scenario data (the YAML shape `parse_scenario` accepts)."""
    data, _, problems = load_twee(text, slug)
    return data, problems
