"""Lenient import of a plain Twine story (Twee 3) as a *draft* drill.

`academy.scenarios.twee` reads the stories this platform exports (feedback and
scores in ``<!-- academy {…} -->`` annotations) and refuses anything less. A
story written in Twine has none of that; `import_twine_draft` turns it into
scenario YAML anyway, and says at its Twee line everything it had to fill in
or could not carry over:

* every choice gets the feedback placeholder ``TODO: 写反馈`` and empty
  ``scores: {}``; every ending gets a ``TODO:`` summary and the type
  ``partial``; a passage with no text gets a ``TODO:`` text. The validator
  refuses any ``TODO:`` (`academy.scenarios.parse.PLACEHOLDER_RE`), so the
  draft cannot be published or synced before the author has filled them in;
* special passages (``StoryTitle``, ``StoryData``, ``StoryInit``,
  ``StoryAuthor``, ``StoryMenu``, ``PassageHeader`` … and passages tagged
  ``script``, ``stylesheet``, ``widget``, ``startup``, ``header`` …) are not
  nodes. Numeric and true/false starting values set in ``StoryInit`` (or a
  ``startup`` passage, or Chapbook's vars section of the first passage)
  become ``state``;
* links: ``[[target]]``, ``[[text|target]]``, ``[[text->target]]``,
  ``[[target<-text]]`` (with a SugarCube setter ``][$x to $x + 1]``),
  SugarCube ``<<link>>`` / ``<<button>>`` / ``<<goto>>``, Harlowe
  ``(link-goto:)``, ``(click-goto:)``, ``(link-reveal-goto:)``, ``(goto:)``
  and ``(link:)[(goto:)]``, Chapbook ``{link to: …}`` and Snowman
  ``<a data-passage=…>``;
* conditions: a link inside SugarCube ``<<if>>/<<elseif>>/<<else>>`` or
  Harlowe ``(if:)/(else-if:)/(else:)/(unless:)`` hooks or a Chapbook
  ``[if …]`` section becomes a choice with ``if:`` when the condition
  compares numbers and declared state (``$trust gte 2`` → ``trust >= 2``);
  otherwise the choice is offered always and that is reported;
* ``<<set $x += 1>>`` / ``(set: $x to it + 1)`` / Chapbook ``x: x + 1`` in a
  passage become the ``effects`` of every choice leading to it (true/false
  values are 0..1 states, so setting one is an exact +1/-1);
* Twine's IFID, story format and passage tags are kept under ``twine:`` and
  written back by `academy.scenarios.twee.to_twee`.

Every change of meaning (a dropped macro, conditional text shown always, a
renamed passage, a link to a missing passage) is a warning with its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from academy.scenarios.condition import ConditionError, names, parse_condition
from academy.scenarios.parse import (
    NODE_ID_RE,
    PLACEHOLDER_RE,
    RESERVED_IDS,
    dump_scenario_yaml,
    parse_scenario,
    validate_scenario_text,
)
from academy.scenarios.quantities import plain
from academy.scenarios.twee import (
    _TAG_COLOURS,
    META_PASSAGE,
    SKIPPED_TAGS,
    TweeProblem,
    _Passage,
    _Reader,
    load_twee,
    parse_link,
)
from academy.sourcemap import Problem

FEEDBACK_PLACEHOLDER: Final = "TODO: 写反馈"
TEXT_PLACEHOLDER: Final = "TODO: 写这一步的情境"
ENDING_PLACEHOLDER: Final = "TODO: 确认结局类型（success / partial / failure）并写一句总结"
CONTINUE: Final = "继续"

#: Passages story formats give a meaning of their own: never drill nodes.
SPECIAL_PASSAGES: Final = frozenset(
    {
        "StoryTitle",
        "StoryData",
        "StoryInit",
        "StoryAuthor",
        "StoryMenu",
        "StoryCaption",
        "StoryBanner",
        "StorySubtitle",
        "StoryShare",
        "StoryInterface",
        "StoryDisplayTitle",
        "StoryIncludes",
        "StorySettings",
        "StoryColophon",
        "PassageReady",
        "PassageDone",
        "PassageHeader",
        "PassageFooter",
        "StartMenu",
        META_PASSAGE,
    }
)
CODE_TAGS: Final = SKIPPED_TAGS | frozenset({"Twine.private", "init", "script-init", "note"})
INIT_PASSAGES: Final = frozenset({"StoryInit"})
INIT_TAGS: Final = frozenset({"startup", "init"})

_OPS: Final = {
    "is": "==",
    "eq": "==",
    "===": "==",
    "==": "==",
    "isnot": "!=",
    "neq": "!=",
    "!==": "!=",
    "!=": "!=",
    "gt": ">",
    ">": ">",
    "gte": ">=",
    ">=": ">=",
    "lt": "<",
    "<": "<",
    "lte": "<=",
    "<=": "<=",
    "and": "and",
    "&&": "and",
    "or": "or",
    "||": "or",
    "not": "not",
    "!": "not",
    "(": "(",
    ")": ")",
}
_COND_TOKEN = re.compile(
    r"\s*(?:(?P<var>\$[A-Za-z_]\w*|s\.[A-Za-z_]\w*|State\.variables\.[A-Za-z_]\w*)"
    r"|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<op>===|!==|==|!=|>=|<=|&&|\|\||[<>!()])"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<other>\S))"
)
_SUGAR_MACRO = re.compile(r"<<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)(?P<args>.*?)>>", re.S)
_HARLOWE_MACRO = re.compile(r"\((?P<name>[A-Za-z][\w-]*):")
_CHAPBOOK_INSERT = re.compile(
    r"\{(?P<name>link to|back link|restart link|reveal link|cycling link|embed passage(?: named)?"
    r"|embed image|dropdown menu|text input|cycling menu)\b(?P<args>[^}]*)\}"
)
_CHAPBOOK_MODIFIER = re.compile(
    r"^\[(?P<name>if|unless|else|continue|cont'?d?|after|append|note|fork|align [a-z]+|"
    r"transition[^\]]*)(?P<args>[^\]]*)\]\s*$",
    re.I,
)
_SNOWMAN_LINK = re.compile(
    r"<a\b[^>]*?\bdata-passage\s*=\s*(?P<q>[\"'])(?P<target>.+?)(?P=q)[^>]*>(?P<text>.*?)</a>",
    re.S | re.I,
)
_QUOTED = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`")
_ASSIGN = re.compile(
    r"^\s*(?:State\.variables\.|s\.|\$)?(?P<name>[A-Za-z_]\w*)\s*"
    r"(?P<op>to|=|\+=|-=|\+\+|--)\s*(?P<value>.*?)\s*$",
    re.S,
)
_CHAPBOOK_VAR = re.compile(
    r"^(?P<name>[A-Za-z_][\w.]*)\s*(?:\((?P<cond>[^)]*)\))?\s*:\s*(?P<value>.+)$"
)


@dataclass
class _Region:
    """A conditional stretch of a passage: ``condition`` None when untranslatable."""

    start: int
    end: int
    condition: str | None
    source: str
    line: int


@dataclass
class _Link:
    text: str
    target: str
    line: int
    position: int
    effects: dict[str, Any] = field(default_factory=dict)
    note: dict[str, Any] = field(default_factory=dict)
    auto: bool = False


@dataclass
class _Scanned:
    name: str
    line: int
    tags: list[str]
    text: str
    links: list[_Link]
    effects: dict[str, Any]  # on entering the passage


@dataclass(frozen=True)
class TwineDraft:
    """A Twine story read as a draft drill.

    `yaml_text` is the draft (None only when the text holds no story at all);
    `warnings` are what the author must know, at the Twee file's lines;
    `blocking` are the validator's errors other than the placeholders (to fix
    in the studio as well; empty for a draft that publishes once filled in).
    """

    slug: str
    yaml_text: str | None
    warnings: tuple[TweeProblem, ...]
    blocking: tuple[Problem, ...] = ()
    lenient: bool = True

    @property
    def imported(self) -> bool:
        """Whether the story arrived as a draft that only needs its placeholders filled."""
        return self.yaml_text is not None and not self.blocking


def _number(text: str) -> Any:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return plain(int(value) if value == value.to_integral_value() else float(value))


def _unquote(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(text)]


class _Importer:
    def __init__(self, text: str, slug: str) -> None:
        self.source = text
        self.slug = slug
        self.warnings: list[TweeProblem] = []
        self.reader = _Reader(slug)
        self.format = ""
        self.state: dict[str, dict[str, Any]] = {}  # name -> {"initial", "bool"}

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(TweeProblem(line, message, "warning"))

    # --- the whole story ------------------------------------------------------------

    def run(self) -> dict[str, Any] | None:
        passages = self.reader.split(self.source)
        for problem in self.reader.problems:
            self.warn(problem.line, problem.message)
        self.reader.problems.clear()
        data: dict[str, Any] = {}
        twine: dict[str, Any] = {}
        start: str | None = None
        story: list[_Passage] = []
        seen: dict[str, int] = {}
        init: list[_Passage] = []
        for passage in passages:
            if not passage.name:
                continue
            if passage.name in seen:
                self.warn(
                    passage.line,
                    f"duplicate passage name '{passage.name}' (first at line"
                    f" {seen[passage.name]}): this one is not imported",
                )
                continue
            seen[passage.name] = passage.line
            if passage.name == "StoryTitle":
                data["title"] = passage.text
            elif passage.name == "StoryData":
                start = self.story_data(passage, twine)
            elif passage.name == META_PASSAGE:
                self.reader.meta(passage, data)
                for problem in self.reader.problems:
                    self.warn(problem.line, problem.message)
                self.reader.problems.clear()
            elif passage.name in INIT_PASSAGES or INIT_TAGS.intersection(passage.tags):
                init.append(passage)
            elif passage.name in SPECIAL_PASSAGES or CODE_TAGS.intersection(passage.tags):
                if passage.text:
                    self.warn(
                        passage.line,
                        f"'{passage.name}' is a special passage of the story format"
                        " (menu, script, style or decoration), not a step of the drill:"
                        " not imported",
                    )
            else:
                story.append(passage)
        if not story:
            return None
        for passage in init:
            self.read_init(passage)
        if "title" not in data or not data["title"]:
            data["title"] = f"{PLACEHOLDER_TITLE}{self.slug}"
            self.warn(1, "no StoryTitle passage: the drill's title is a placeholder")
        scanned = [self.scan(passage) for passage in story]
        return self.build(data, twine, start, scanned)

    def story_data(self, passage: _Passage, twine: dict[str, Any]) -> str | None:
        try:
            meta = json.loads(passage.text or "{}")
        except (ValueError, RecursionError):
            self.warn(passage.line, "StoryData is not valid JSON: IFID and story format not kept")
            return None
        if not isinstance(meta, dict):
            self.warn(passage.line, "StoryData is not a JSON object: not read")
            return None
        for key in ("ifid", "format", "format-version"):
            value = meta.get(key)
            if isinstance(value, str) and value.strip() and "\n" not in value:
                twine[key] = value.strip()
        colours = meta.get("tag-colors")
        if isinstance(colours, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in colours.items()
        ):
            # The colours this platform's export gives its own tags are not Twine's data.
            kept = {k: v for k, v in colours.items() if _TAG_COLOURS.get(k) != v}
            if kept:
                twine["tag-colors"] = kept
        self.format = str(meta.get("format", "")).strip().lower()
        start = meta.get("start")
        return start if isinstance(start, str) and start.strip() else None

    # --- starting values --------------------------------------------------------------

    def read_init(self, passage: _Passage) -> None:
        content = "\n".join(passage.content)
        first = passage.line + 1
        found: list[str] = []
        for kind, code, position in self.assignments(content):
            line = first + content.count("\n", 0, position)
            for name, op, value in self.split_assignments(code, kind):
                if op not in ("to", "="):
                    self.warn(line, f"'{name} {op} {value}' in {passage.name} is not imported")
                    continue
                literal = self.literal(value)
                if literal is None:
                    self.warn(
                        line,
                        f"the starting value of '{name}' ({value.strip()}) is not a number"
                        " or true/false: not imported, conditions on it are offered always",
                    )
                    continue
                number, is_bool = literal
                self.state[name] = {"initial": number, "bool": is_bool, "line": line}
                found.append(f"{name} = {number}")
        leftovers = self.strip_code(content).strip()
        if leftovers:
            self.warn(
                passage.line,
                f"'{passage.name}' is a special passage: only its starting values are read"
                " (its text is not shown)",
            )
        elif not found and content.strip():
            self.warn(passage.line, f"nothing in '{passage.name}' could be imported")

    def assignments(self, content: str) -> list[tuple[str, str, int]]:
        """``(kind, code, position)`` of every set macro in a passage."""
        found: list[tuple[str, str, int]] = []
        for match in _SUGAR_MACRO.finditer(content):
            if match.group("name") == "set" and not match.group("close"):
                found.append(("sugar", match.group("args"), match.start()))
        for start, _end, name, args in self.harlowe_macros(content):
            if name in ("set", "put"):
                found.append(("harlowe" if name == "set" else "put", args, start))
        for match in re.finditer(r"<%(.*?)%>", content, re.S):
            found.append(("js", match.group(1), match.start()))
        return found

    def split_assignments(self, code: str, kind: str) -> list[tuple[str, str, str]]:
        if kind == "put":
            parts = [p.strip() for p in code.split(",")]
            found = []
            for part in parts:
                value, _, name = part.rpartition(" into ")
                name = name.strip().lstrip("$")
                found.append((name, "to", value))
            return found
        found = []
        for part in re.split(r"[;,](?![^()]*\))", code):
            if not part.strip():
                continue
            match = _ASSIGN.match(part)
            if match is None:
                found.append((part.strip(), "?", ""))
                continue
            name, op, value = match.group("name"), match.group("op"), match.group("value")
            if op in ("++", "--"):
                op, value = ("+=" if op == "++" else "-=", "1")
            found.append((name, op, value))
        return found

    @staticmethod
    def literal(value: str) -> tuple[Any, bool] | None:
        text = value.strip().rstrip(";")
        if text in ("true", "false"):
            return (1 if text == "true" else 0), True
        number = _number(text)
        return (number, False) if number is not None else None

    def delta(self, name: str, op: str, value: str) -> Any:
        """The change an assignment makes, as an effect; None when it is not a plain delta."""
        var = self.state.get(name)
        if var is None:
            return None
        text = value.strip().rstrip(";")
        if op in ("+=", "-="):
            number = _number(text)
            return None if number is None else (number if op == "+=" else -number)
        if var["bool"] and text in ("true", "false"):
            return 1 if text == "true" else -1
        match = re.fullmatch(
            rf"(?:\$|s\.|State\.variables\.)?(?:{re.escape(name)}|it)\s*([+-])\s*(\d+(?:\.\d+)?)",
            text,
        )
        if match:
            number = _number(match.group(2))
            return number if match.group(1) == "+" else -number
        return None

    def strip_code(self, content: str) -> str:
        text = _SUGAR_MACRO.sub("", content)
        for start, end, _, _ in reversed(self.harlowe_macros(text)):
            text = text[:start] + text[end:]
        text = re.sub(r"<%.*?%>|<!--.*?-->|/\*.*?\*/", "", text, flags=re.S)
        return text

    # --- Harlowe macros and hooks -----------------------------------------------------

    @staticmethod
    def harlowe_macros(content: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, name, args)`` of every ``(name: …)`` macro, outermost first."""
        found: list[tuple[int, int, str, str]] = []
        position = 0
        while True:
            match = _HARLOWE_MACRO.search(content, position)
            if match is None:
                return found
            end = _closing(content, match.end(), "(", ")")
            if end is None:
                position = match.end()
                continue
            found.append(
                (match.start(), end + 1, match.group("name").lower(), content[match.end() : end])
            )
            position = end + 1

    # --- one passage ------------------------------------------------------------------

    def scan(self, passage: _Passage) -> _Scanned:
        content = "\n".join(passage.content)
        first = passage.line + 1

        def line_of(position: int) -> int:
            return first + content.count("\n", 0, position)

        cut: list[tuple[int, int, str]] = []  # (start, end, replacement) spans of the text
        links: list[_Link] = []
        regions: list[_Region] = []
        effects: dict[str, Any] = {}
        link_bodies: list[tuple[int, int, _Link]] = []
        # Chapbook: the vars section before a line "--".
        if self.format == "chapbook":
            self.chapbook_vars(passage, content, cut, effects, line_of)
            self.chapbook_modifiers(content, cut, regions, line_of)
        # Comments first: nothing inside them counts.
        for match in re.finditer(r"<!--(?!\s*academy\b).*?-->|/\*.*?\*/", content, re.S):
            cut.append((match.start(), match.end(), ""))
        # SugarCube macros: links, gotos, conditions, sets.
        if self.format in ("", "sugarcube"):
            self.sugar(content, cut, links, regions, effects, link_bodies, line_of)
        # Harlowe macros.
        if self.format in ("", "harlowe"):
            self.harlowe(content, cut, links, regions, effects, link_bodies, line_of)
        # Chapbook inserts.
        for match in _CHAPBOOK_INSERT.finditer(content):
            if _inside(match.start(), cut):
                continue
            name, args = match.group("name"), match.group("args")
            cut.append((match.start(), match.end(), ""))
            if name == "link to":
                values = _chapbook_args(args)
                target = values.get("to") or values.get("")
                label = values.get("label") or target
                if target:
                    links.append(_Link(label, target, line_of(match.start()), match.start()))
                    cut[-1] = (match.start(), match.end(), "\x00" + label + "\x01")
                    continue
            self.warn(line_of(match.start()), f"Chapbook insert {{{name}}} is not imported")
        # Snowman links.
        for match in _SNOWMAN_LINK.finditer(content):
            if _inside(match.start(), cut):
                continue
            text = re.sub(r"<[^>]+>", "", match.group("text")).strip()
            links.append(_Link(text, match.group("target"), line_of(match.start()), match.start()))
            cut.append((match.start(), match.end(), "\x00" + text + "\x01"))
        for match in re.finditer(r"<%.*?%>", content, re.S):
            if not _inside(match.start(), cut):
                cut.append((match.start(), match.end(), ""))
                self.warn(line_of(match.start()), "Snowman JavaScript <% … %> is not imported")
        # Wiki links (and academy annotations right after them).
        self.wiki(content, cut, links, line_of)
        # Conditions on links.
        for link in links:
            conditions: list[str] = []
            for region in regions:
                if region.start <= link.position < region.end:
                    if region.condition is None:
                        self.warn(
                            link.line,
                            f"the link '{link.text}' is inside a condition ({region.source},"
                            f" line {region.line}) that cannot be translated: it is offered"
                            " always; add an 'if:' in the draft or remove it",
                        )
                    else:
                        conditions.append(region.condition)
            if conditions:
                link.note.setdefault(
                    "if", " and ".join(f"({c})" if len(conditions) > 1 else c for c in conditions)
                )
        for region in regions:
            inner = _text_of(content, cut, region.start, region.end)
            if re.sub(r"\x00.*?\x01", "", inner, flags=re.S).strip():
                self.warn(
                    region.line,
                    f"text inside the condition {region.source} is shown always"
                    " (a drill node's text has no conditions)",
                )
        links.sort(key=lambda link: link.position)
        text = _clean_text(_text_of(content, cut, 0, len(content)))
        return _Scanned(passage.name, passage.line, passage.tags, text, links, effects)

    def chapbook_vars(self, passage, content, cut, effects, line_of) -> None:  # noqa: ANN001
        lines = content.split("\n")
        if "--" not in [line.strip() for line in lines]:
            return
        end = [line.strip() for line in lines].index("--")
        head = lines[:end]
        if not head or not all(
            _CHAPBOOK_VAR.match(line.strip()) or not line.strip() for line in head
        ):
            return
        position = 0
        for line in head:
            match = _CHAPBOOK_VAR.match(line.strip())
            if match:
                name, cond, value = match.group("name"), match.group("cond"), match.group("value")
                number = line_of(position)
                if cond:
                    self.warn(number, f"the condition on '{name}' is not imported")
                elif name not in self.state:
                    literal = self.literal(value)
                    if literal is None:
                        self.warn(number, f"'{name}: {value}' is not a number: not imported")
                    else:
                        self.state[name] = {
                            "initial": literal[0],
                            "bool": literal[1],
                            "line": number,
                        }
                else:
                    change = self.delta(name, "to", value)
                    if change is None:
                        self.warn(number, f"'{name}: {value}' is not imported (only +/- a number)")
                    else:
                        effects[name] = effects.get(name, 0) + change
            position += len(line) + 1
        cut.append((0, position + len(lines[end]) + 1, ""))

    def chapbook_modifiers(self, content, cut, regions, line_of) -> None:  # noqa: ANN001
        position = 0
        open_region: _Region | None = None
        previous: list[str | None] = []
        for line in content.split("\n"):
            match = _CHAPBOOK_MODIFIER.match(line.strip())
            end = position + len(line) + 1
            if match:
                name = match.group("name").lower()
                if open_region is not None:
                    open_region.end = position
                    regions.append(open_region)
                    open_region = None
                args = match.group("args").strip()
                if name in ("if", "unless"):
                    condition = self.condition(args)
                    if condition is not None and name == "unless":
                        condition = f"not ({condition})"
                    previous = [condition]
                    open_region = _Region(
                        end, end, condition, f"[{name} {args}]", line_of(position)
                    )
                elif name == "else":
                    condition = None
                    if previous and all(c is not None for c in previous):
                        condition = " and ".join(f"not ({c})" for c in previous)
                    open_region = _Region(end, end, condition, "[else]", line_of(position))
                elif not name.startswith(("continue", "cont")):
                    self.warn(line_of(position), f"Chapbook modifier [{name}] is not imported")
                cut.append((position, min(end, len(content)), ""))
            position = end
        if open_region is not None:
            open_region.end = len(content)
            regions.append(open_region)

    def sugar(self, content, cut, links, regions, effects, link_bodies, line_of) -> None:  # noqa: ANN001, C901, PLR0912, PLR0915
        stack: list[dict[str, Any]] = []
        link_stack: list[tuple[int, _Link | None, str]] = []
        for match in _SUGAR_MACRO.finditer(content):
            if _inside(match.start(), cut):
                continue
            name = match.group("name").lower()
            args = match.group("args").strip()
            closing = bool(match.group("close"))
            at, line = match.start(), line_of(match.start())
            replacement = ""
            if name == "if" and not closing:
                condition = self.condition(args)
                stack.append(
                    {
                        "conds": [condition],
                        "start": match.end(),
                        "src": f"<<if {args}>>",
                        "line": line,
                    }
                )
            elif name in ("elseif", "else") and not closing and stack:
                frame = stack[-1]
                regions.append(self.sugar_region(frame, at))
                if name == "elseif":
                    condition = self.condition(args)
                    frame["src"], frame["line"] = f"<<elseif {args}>>", line
                    frame["conds"].append(condition)
                else:
                    frame["src"], frame["line"] = "<<else>>", line
                    frame["conds"].append("else")
                frame["start"] = match.end()
            elif name == "if" and closing and stack:
                frame = stack.pop()
                regions.append(self.sugar_region(frame, at))
            elif name in ("link", "button") and not closing:
                values = _unquote(args)
                wiki = re.match(r"\s*\[\[(.*?)\]\]", args)
                link: _Link | None = None
                if wiki:
                    text, target = parse_link(wiki.group(1))
                    link = _Link(text, target, line, at)
                elif len(values) >= 2:
                    link = _Link(values[0], values[1], line, at)
                elif values:
                    link = _Link(values[0], "", line, at)
                link_stack.append((at, link, name))
                if link is not None:
                    replacement = "\x00" + link.text + "\x01"
            elif name in ("link", "button") and closing and link_stack:
                start, link, macro = link_stack.pop()
                if link is not None:
                    link_bodies.append((start, match.end(), link))
                    body = content[start : match.start()]
                    for inner in _SUGAR_MACRO.finditer(body):
                        inner_name = inner.group("name").lower()
                        inner_args = inner.group("args")
                        if inner_name == "goto" and not link.target:
                            targets = _unquote(inner_args) or [
                                parse_link(w)[1] for w in re.findall(r"\[\[(.*?)\]\]", inner_args)
                            ]
                            link.target = targets[0] if targets else ""
                        elif inner_name == "set":
                            self.choice_effects(inner_args, "sugar", link, line)
                    if link.target:
                        links.append(link)
                    else:
                        self.warn(
                            line,
                            f"<<{macro}>> '{link.text}' does not go to another passage:"
                            " not a choice (its text is dropped)",
                        )
                    cut.append(
                        (start, match.end(), "\x00" + link.text + "\x01" if link.target else "")
                    )
                    continue
            elif name == "goto" and not closing:
                if any(s <= at for s, _, _ in link_stack):
                    continue  # handled with its <<link>>
                targets = _unquote(args) or [
                    parse_link(w)[1] for w in re.findall(r"\[\[(.*?)\]\]", args)
                ]
                if targets:
                    links.append(_Link(CONTINUE, targets[0], line, at, auto=True))
                    self.warn(
                        line,
                        f"<<goto>> moves on to '{targets[0]}' without asking: it became a choice"
                        f" '{CONTINUE}'",
                    )
            elif name == "set" and not closing:
                if link_stack:
                    continue  # a link's own effect, read with its <<link>>
                if stack:
                    self.warn(line, f"<<set {args}>> inside a condition is not imported")
                else:
                    self.passage_effects(args, "sugar", effects, line)
            elif name in ("choice", "actions", "click"):
                pass  # SugarCube 1: the [[links]] inside are read as links
            elif name in ("back", "return"):
                self.warn(line, f"<<{name}>> (go back) is not imported: add a choice if needed")
            elif name in ("include", "display"):
                self.warn(line, f"<<{name} {args}>>: the included passage's text is not shown here")
            elif not closing and name not in (
                "nobr",
                "silently",
                "run",
                "script",
                "unset",
                "remember",
            ):
                self.warn(line, f"SugarCube macro <<{name}>> is not imported")
            elif name in ("run", "script", "unset", "remember") and not closing:
                self.warn(line, f"SugarCube macro <<{name}>> is not imported")
            if not any(s <= at < e for s, e, _ in cut):
                cut.append((at, match.end(), replacement))
        for frame in stack:
            regions.append(self.sugar_region(frame, len(content)))
            self.warn(frame["line"], f"{frame['src']} is not closed with <</if>>")

    def sugar_region(self, frame: dict[str, Any], end: int) -> _Region:
        conds = frame["conds"]
        current = conds[-1]
        before = conds[:-1]
        condition: str | None
        if any(c is None for c in before) or current is None:
            condition = None
        else:
            parts = [f"not ({c})" for c in before]
            if current != "else":
                parts.append(f"({current})" if before else current)
            condition = " and ".join(parts) if parts else None
        return _Region(frame["start"], end, condition, frame["src"], frame["line"])

    def harlowe(self, content, cut, links, regions, effects, link_bodies, line_of) -> None:  # noqa: ANN001, C901, PLR0912
        chain: list[str | None] = []
        last_end = -1
        for start, end, name, args in self.harlowe_macros(content):
            if _inside(start, cut):
                continue
            line = line_of(start)
            hook = None
            if (
                end < len(content)
                and content[end] == "["
                and not content.startswith("[[", end)
                or (content.startswith("[[[", end))
            ):
                close = _closing(content, end + 1, "[", "]")
                if close is not None:
                    hook = (end, close + 1)
            values = _unquote(args)
            replacement = ""
            if name in ("if", "unless", "else-if", "elseif", "else"):
                if name in ("if", "unless"):
                    condition = self.condition(args)
                    if condition is not None and name == "unless":
                        condition = f"not ({condition})"
                    chain = [condition]
                    full = condition
                elif last_end < 0 or content[last_end:start].strip():
                    full = None
                    chain = [None]
                else:
                    prior = chain[:]
                    current = "else" if name == "else" else self.condition(args)
                    chain.append(current)
                    if any(c is None for c in prior) or current is None:
                        full = None
                    else:
                        parts = [f"not ({c})" for c in prior]
                        if current != "else":
                            parts.append(f"({current})")
                        full = " and ".join(parts)
                if hook:
                    regions.append(
                        _Region(hook[0] + 1, hook[1] - 1, full, f"({name}: {args.strip()})", line)
                    )
                    cut.append((hook[0], hook[0] + 1, ""))
                    cut.append((hook[1] - 1, hook[1], ""))
                    last_end = hook[1]
                cut.append((start, end, ""))
                continue
            if name in ("link-goto", "click-goto", "link-reveal-goto"):
                if values:
                    text = values[0]
                    target = values[1] if len(values) > 1 else values[0]
                    links.append(_Link(text, target, line, start))
                    replacement = "\x00" + text + "\x01"
                if hook:
                    cut.append((hook[0], hook[1], ""))
            elif name == "goto":
                if values:
                    links.append(_Link(CONTINUE, values[0], line, start, auto=True))
                    self.warn(
                        line,
                        f"(goto:) moves on to '{values[0]}' without asking: it became a choice"
                        f" '{CONTINUE}'",
                    )
            elif name in ("link", "link-reveal", "click", "link-repeat") and values:
                body = content[hook[0] + 1 : hook[1] - 1] if hook else ""
                link = _Link(values[0], "", line, start)
                for _, _, inner_name, inner_args in self.harlowe_macros(body):
                    if inner_name == "goto":
                        link.target = (_unquote(inner_args) or [""])[0]
                    elif inner_name == "set":
                        self.choice_effects(inner_args, "harlowe", link, line)
                if link.target:
                    links.append(link)
                    replacement = "\x00" + link.text + "\x01"
                else:
                    self.warn(
                        line,
                        f"({name}:) '{values[0]}' does not go to another passage: not a choice",
                    )
                if hook:
                    cut.append((hook[0], hook[1], ""))
            elif name == "set":
                if any(r.start <= start < r.end for r in regions):
                    self.warn(line, f"(set: {args.strip()}) inside a condition is not imported")
                else:
                    self.passage_effects(args, "harlowe", effects, line)
            elif name in ("display", "print"):
                self.warn(line, f"({name}:) is not imported: its text is not shown here")
            else:
                self.warn(line, f"Harlowe macro ({name}:) is not imported")
                if hook:  # a changer: keep the hook's text, drop the brackets
                    cut.append((hook[0], hook[0] + 1, ""))
                    cut.append((hook[1] - 1, hook[1], ""))
            cut.append((start, end, replacement))

    def wiki(self, content, cut, links, line_of) -> None:  # noqa: ANN001
        position = 0
        while True:
            at = content.find("[[", position)
            if at == -1:
                return
            if content.startswith("[[[", at):
                at += 1  # a Harlowe hook holding a link
            close = content.find("]]", at + 2)
            newline = content.find("\n", at)
            if close == -1 or (newline != -1 and newline < close):
                position = at + 2
                continue
            end = close + 2
            if _inside(at, cut):
                position = end
                continue
            inner = content[at + 2 : close]
            text, target = parse_link(inner)
            line = line_of(at)
            link = _Link(text, target, line, at)
            if "][" in inner:
                setter = inner.split("][", 1)[1]
                self.choice_effects(setter, "sugar", link, line)
            note = re.match(r"\s*<!--\s*academy\b(.*?)-->", content[end:], re.S)
            if note:
                try:
                    data = json.loads(note.group(1).strip() or "{}")
                except (ValueError, RecursionError):
                    data = None
                if isinstance(data, dict):
                    link.note.update(data)
                    end += note.end()
                else:
                    self.warn(line, "the academy annotation after this link is not valid JSON")
            if target:
                links.append(link)
                cut.append((at, end, "\x00" + text + "\x01"))
            else:
                self.warn(line, "link without a target passage: not imported")
                cut.append((at, end, ""))
            position = end

    # --- conditions and effects -------------------------------------------------------

    def condition(self, source: str) -> str | None:
        """An Academy condition for a story format's one, or None when there is none."""
        out: list[str] = []
        position = 0
        source = source.strip()
        while position < len(source):
            match = _COND_TOKEN.match(source, position)
            if match is None:
                break
            position = match.end()
            if match.group("var"):
                name = re.sub(r"^(\$|s\.|State\.variables\.)", "", match.group("var"))
                if name not in self.state:
                    return None
                out.append(name)
            elif match.group("num"):
                out.append(match.group("num"))
            elif match.group("op"):
                op = _OPS.get(match.group("op"))
                if op is None:
                    return None
                out.append(op)
            elif match.group("word"):
                word = match.group("word")
                if word == "not" and out and out[-1] == "==":
                    out[-1] = "!="
                elif word in ("true", "false"):
                    out.append("1" if word == "true" else "0")
                elif word in _OPS:
                    out.append(_OPS[word])
                elif self.format == "chapbook" and word in self.state:
                    out.append(word)
                else:
                    return None
            else:
                return None
        if not out:
            return None
        # A bare variable (or 'not' one) tests for truth.
        text = " ".join(out)
        if len(out) == 1 and out[0] in self.state:
            text = f"{out[0]} != 0"
        elif len(out) == 2 and out[0] == "not" and out[1] in self.state:
            text = f"{out[1]} == 0"
        try:
            expr = parse_condition(text)
        except ConditionError:
            return None
        if any(name.name not in self.state for name in names(expr)):
            return None
        return text

    def passage_effects(self, code: str, kind: str, effects: dict[str, Any], line: int) -> None:
        for name, op, value in self.split_assignments(code, kind):
            change = self.delta(name, op, value)
            if change is None:
                self.warn(
                    line,
                    f"setting '{name}' ({op} {value.strip()}) is not imported: only adding or"
                    " taking away a number, or setting true/false, becomes an effect",
                )
            else:
                effects[name] = effects.get(name, 0) + change

    def choice_effects(self, code: str, kind: str, link: _Link, line: int) -> None:
        self.passage_effects(code, kind, link.effects, line)

    # --- the drill -------------------------------------------------------------------

    def build(
        self,
        data: dict[str, Any],
        twine: dict[str, Any],
        start: str | None,
        scanned: list[_Scanned],
    ) -> dict[str, Any]:
        ids = self.node_ids(scanned)
        by_name = {p.name: p for p in scanned}
        if start is None or start not in by_name:
            if start is not None:
                self.warn(1, f"the start passage '{start}' is not a story passage")
            start = "Start" if "Start" in by_name else scanned[0].name
            if start != "Start" or start not in by_name:
                self.warn(scanned[0].line, f"no start passage given: the drill starts at '{start}'")
        entering = {p.name: p.effects for p in scanned}
        # Links to missing passages are dropped.
        for passage in scanned:
            kept = []
            for link in passage.links:
                if link.target not in by_name:
                    self.warn(
                        link.line,
                        f"the link '{link.text}' goes to '{link.target}', which is not a passage"
                        " of the story: not imported",
                    )
                    continue
                kept.append(link)
            passage.links = kept
        reached = _reach(start, {p.name: [link.target for link in p.links] for p in scanned})
        nodes: dict[str, Any] = {}
        tags: dict[str, list[str]] = {}
        for passage in scanned:
            if passage.name not in reached:
                self.warn(
                    passage.line,
                    f"passage '{passage.name}' cannot be reached from '{start}': not imported",
                )
                continue
            node_id = ids[passage.name]
            node: dict[str, Any] = {}
            platform = [t for t in passage.tags if t.startswith(("speaker-", "ending-"))]
            for tag in platform:
                key, _, value = tag.partition("-")
                node[key] = value
            other = [t for t in passage.tags if t not in platform]
            if other:
                tags[node_id] = other
            if passage.links:
                if not passage.text:
                    node["text"] = TEXT_PLACEHOLDER
                    self.warn(passage.line, f"passage '{passage.name}' has no text: fill it in")
                else:
                    node["text"] = passage.text
                node["choices"] = [
                    self.choice(link, ids, entering.get(link.target, {})) for link in passage.links
                ]
                node.pop("ending", None)
            else:
                if passage.text:
                    node["text"] = passage.text
                if node.get("ending") not in ("success", "partial", "failure"):
                    node["ending"] = "partial"
                    node["summary"] = ENDING_PLACEHOLDER
                    self.warn(
                        passage.line,
                        f"passage '{passage.name}' has no links, so it is an ending: choose"
                        " success, partial or failure and write its summary",
                    )
            nodes[node_id] = node
        out: dict[str, Any] = {"title": data.pop("title")}
        for key in ("summary", "setting", "disciplines"):
            if key in data:
                out[key] = data.pop(key)
        out["start"] = ids[start]
        state = self.state_data(entering.get(start, {}), scanned)
        if state:
            out["state"] = state
        out.update(data)
        out["nodes"] = nodes
        if tags:
            twine["tags"] = tags
        if twine:
            out["twine"] = twine
        return out

    def state_data(self, on_start: dict[str, Any], scanned: list[_Scanned]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, var in self.state.items():
            initial = plain(var["initial"] + on_start.get(name, 0))
            if var["bool"]:
                found[name] = {"initial": initial, "min": 0, "max": 1}
                continue
            ups = sum(
                max(0, change)
                for p in scanned
                for change in [
                    p.effects.get(name, 0),
                    *(link.effects.get(name, 0) for link in p.links),
                ]
            )
            downs = sum(
                min(0, change)
                for p in scanned
                for change in [
                    p.effects.get(name, 0),
                    *(link.effects.get(name, 0) for link in p.links),
                ]
            )
            low = plain(min(0, initial + downs))
            high = plain(max(10, initial + ups))
            found[name] = {"initial": initial, "min": low, "max": high}
            self.warn(
                var["line"],
                f"state '{name}' starts at {initial} and is kept between {low} and {high}"
                " (a drill's state has limits; a Twine variable has none)",
            )
        return found

    def choice(self, link: _Link, ids: dict[str, str], entering: dict[str, Any]) -> dict[str, Any]:
        choice: dict[str, Any] = {"text": link.text or link.target, "goto": ids[link.target]}
        if "if" in link.note:
            choice["if"] = link.note["if"]
        effects = dict(entering)
        for name, change in link.effects.items():
            effects[name] = plain(effects.get(name, 0) + change)
        effects = {k: v for k, v in effects.items() if v}
        if effects:
            choice["effects"] = effects
        for key in ("scores", "axes"):
            if key in link.note:
                choice[key] = link.note[key]
        choice.setdefault("scores", {})
        if "feedback" in link.note:
            choice["feedback"] = link.note["feedback"]
        else:
            choice["feedback"] = FEEDBACK_PLACEHOLDER
            missing = "feedback" if "scores" in link.note else "feedback and no scores"
            self.warn(
                link.line,
                f"choice '{choice['text']}' has no {missing}: fill it in before publishing",
            )
        if "better" in link.note:
            choice["better"] = link.note["better"]
        return choice

    def node_ids(self, scanned: list[_Scanned]) -> dict[str, str]:
        ids: dict[str, str] = {}
        used: set[str] = set()
        for passage in scanned:
            name = passage.name
            node_id = name
            if name in RESERVED_IDS or len(name) > 100 or not NODE_ID_RE.fullmatch(name):
                node_id = re.sub(r"[\[\]{}|<>\\\x00-\x1f\x7f]+", "-", name)
                node_id = " ".join(node_id.split())[:100].strip() or "passage"
                if node_id in RESERVED_IDS:
                    node_id += "-1"
            base, number = node_id, 2
            while node_id in used:
                node_id = f"{base}-{number}"
                number += 1
            if node_id != name:
                self.warn(passage.line, f"passage '{name}' is named '{node_id}' in the drill")
            used.add(node_id)
            ids[name] = node_id
        return ids


PLACEHOLDER_TITLE: Final = "TODO: 标题 "


def _closing(text: str, position: int, opener: str, closer: str) -> int | None:
    """The index of the `closer` that balances an opener just before `position`."""
    depth = 1
    quote: str | None = None
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'" and opener == "(":
            quote = char
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None


def _inside(position: int, cut: list[tuple[int, int, str]]) -> bool:
    return any(start <= position < end for start, end, _ in cut)


def _text_of(content: str, cut: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The text between `start` and `end` with the cut spans replaced (outermost wins)."""
    spans = sorted(cut, key=lambda span: (span[0], -span[1]))
    out: list[str] = []
    position = start
    for span_start, span_end, replacement in spans:
        if span_end <= position or span_start >= end:
            continue
        if span_start < position:
            continue  # nested in a span already cut
        out.append(content[position:span_start])
        out.append(replacement)
        position = span_end
    out.append(content[position:end])
    return "".join(out)


def _clean_text(text: str) -> str:
    kept: list[str] = []
    for line in text.split("\n"):
        words = re.sub(r"\x00.*?\x01", "", line)
        if not words.strip() and "\x00" in line:
            continue  # a line holding only links
        kept.append(line.replace("\x00", "").replace("\x01", "").rstrip())
    text = "\n".join(kept)
    text = re.sub(r"''(.+?)''", r"**\1**", text)
    text = re.sub(r"(?<![:/])//(.+?)//", r"*\1*", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _chapbook_args(args: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in re.finditer(r"(?:(\w+)\s*:\s*)?(?:'([^']*)'|\"([^\"]*)\")", args):
        key = match.group(1) or ""
        found.setdefault(key, match.group(2) if match.group(2) is not None else match.group(3))
    return found


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    queue = [start]
    while queue:
        name = queue.pop()
        for target in edges.get(name, []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _is_platform_story(text: str) -> bool:
    return f":: {META_PASSAGE}" in text or "<!-- academy" in text


def import_twine_draft(text: str, slug: str, shown: str | None = None) -> TwineDraft:
    """A Twine story as draft scenario YAML, with warnings at its Twee lines.

    A story exported by this platform (with its annotations) is read strictly
    and needs no placeholders; any other story is read leniently.
    """
    shown = shown or f"{slug}.twee"
    if _is_platform_story(text):
        data, _, problems = load_twee(text, slug)
        scenario, found = parse_scenario(data, slug)
        if scenario is not None and not any(p.severity == "error" for p in problems):
            yaml_text = dump_scenario_yaml(scenario.to_data())
            warnings = tuple(TweeProblem(p.line, p.message, "warning") for p in problems)
            return TwineDraft(slug, yaml_text, warnings, lenient=False)
    importer = _Importer(text, slug)
    data = importer.run()
    warnings = tuple(sorted(importer.warnings, key=lambda p: p.line))
    if data is None:
        return TwineDraft(
            slug,
            None,
            (*warnings, TweeProblem(1, "no story passages: this is not a Twine story", "error")),
            (Problem(shown, 1, "no story passages: this is not a Twine story"),),
        )
    header = (
        f"# 从 Twine 导入的草稿（{shown}）。\n"
        "# 发布前：把每个 “TODO:” 换成真实内容，给每个选项写反馈和分数，确认结局类型。\n"
    )
    yaml_text = header + dump_scenario_yaml(data)
    # What would still block publishing once every placeholder is written.
    filled = PLACEHOLDER_RE.sub("已填写：", yaml_text)
    _, problems = validate_scenario_text(filled, f"scenarios/{slug}.yaml", slug)
    blocking = tuple(p for p in problems if p.severity == "error")
    return TwineDraft(slug, yaml_text, warnings, blocking)
