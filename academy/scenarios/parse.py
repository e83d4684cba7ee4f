"""Scenario files: turn loaded YAML data into a validated `Scenario`.

`parse_scenario` checks the shape of the data (keys, types, names, ids,
conditions, ``goto`` targets), builds the model, then asks the analysis
(`academy.scenarios.analysis`) about the explored (node, state) graph:
reachability under conditions, dead ends, cycles with no way out, scoring.
Problems are located by path into the data (``("nodes", "arrive",
"choices", 1, "goto")``) so the caller can map them to lines with
`academy.sourcemap.LineMap`. The format is documented in
``docs/formats-scenario.md``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Final

import yaml

from academy.courses.policy import Policy, substitute
from academy.courses.render import markdown_limit
from academy.scenarios.condition import ConditionError, names, parse_condition
from academy.scenarios.model import (
    DEFAULT_MAX,
    DEFAULT_MIN,
    DEFAULT_PASS_SCORE,
    DEFAULT_SPEAKER,
    ENDINGS,
    NODE_TAGS,
    SPEAKERS,
    Choice,
    Node,
    Scenario,
    StateVar,
)
from academy.scenarios.quantities import Number, fmt, is_number, plain
from academy.sourcemap import LineMap, Path, PathProblem, Problem, YamlSourceError, load_yaml
from academy.vocabulary import AXES, DISCIPLINES

TOP_KEYS: Final = (
    "title",
    "summary",
    "setting",
    "disciplines",
    "start",
    "state",
    "pass_score",
    "minutes",
    "nodes",
    "twine",
)
NODE_KEYS: Final = ("speaker", "text", "choices", "ending", "summary", "tags")
CHOICE_KEYS: Final = ("text", "goto", "if", "effects", "scores", "axes", "feedback", "better")
STATE_KEYS: Final = ("initial", "min", "max")
TWINE_KEYS: Final = ("ifid", "format", "format-version", "tag-colors", "tags")

#: The marker an import leaves where the author must still write something
#: (``TODO: 写反馈``). A text holding it is an error, so such a draft cannot be
#: published or synced until every placeholder is filled in.
PLACEHOLDER: Final = "TODO"
PLACEHOLDER_RE: Final = re.compile(r"\bTODO\s*[:：]")
_TWINE_TAG_RE: Final = re.compile(r"[^\s\[\]]+")

#: Passage names Twee gives a meaning to; a node may not use them.
RESERVED_IDS: Final = frozenset({"StoryTitle", "StoryData", "StoryAcademy"})

# Node ids become Twee passage names and link targets, so they exclude the
# characters Twee and Twine links give a meaning to (``[]{}|<>\``), control
# characters, and leading, trailing or doubled spaces.
_ID_CHAR = r"[^\s\[\]{}|<>\\\x00-\x1f\x7f]"
NODE_ID_RE: Final = re.compile(rf"{_ID_CHAR}+(?: {_ID_CHAR}+)*")
STATE_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS: Final = frozenset({"and", "or", "not"})
_MAX_ID_LENGTH: Final = 100
#: Nodes in one drill. Shipped drills have at most 24; checking and drawing a map of
#: thousands would take seconds on every editor view, so a longer drill is refused at
#: once (before the flow analysis) and is split into several.
MAX_NODES: Final = 150


def clean_text(text: str) -> str:
    """Authored text as stored: newlines normalised, outer whitespace removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _one_of(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values)


class _Builder:
    """One pass over the data: collects problems and builds a best-effort model."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.problems: list[PathProblem] = []
        self.placeholders: list[PathProblem] = []
        self.state_names: set[str] = set()
        self.listed: tuple[str, ...] | None = None

    def error(self, path: Path, message: str) -> None:
        self.problems.append(PathProblem(path, message))

    def warning(self, path: Path, message: str) -> None:
        self.problems.append(PathProblem(path, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    # --- small typed readers -------------------------------------------------

    def unknown_keys(self, data: Mapping[Any, Any], allowed: tuple[str, ...], path: Path) -> None:
        for key in data:
            if key not in allowed:
                self.error(
                    (*path, key), f"unknown key '{key}' (expected one of: {_one_of(allowed)})"
                )

    def text(self, data: Mapping[Any, Any], key: str, path: Path, *, required: bool) -> str:
        if key not in data or data[key] is None:
            if required:
                self.error(path, f"'{key}' is required")
            return ""
        value = data[key]
        if not isinstance(value, str):
            self.error((*path, key), f"'{key}' must be text (put it in quotes)")
            return ""
        text = clean_text(value)
        if required and not text:
            self.error((*path, key), f"'{key}' must not be empty")
        if (too_much := markdown_limit(text)) is not None:
            self.error((*path, key), f"'{key}': {too_much.message}")
            return ""
        if PLACEHOLDER_RE.search(text):
            # Kept apart so that the flow checks still run on a draft full of placeholders.
            self.placeholders.append(
                PathProblem(
                    (*path, key),
                    f"'{key}' still holds an import placeholder ({PLACEHOLDER}: …):"
                    " write it before publishing",
                )
            )
        return text

    def number(self, value: object, path: Path, what: str) -> Number | None:
        if not is_number(value):
            self.error(path, f"{what} must be a number, not {value!r}")
            return None
        return plain(value)  # type: ignore[arg-type]

    def mapping(self, value: object, path: Path, what: str) -> Mapping[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.error(path, f"{what} must be a mapping")
            return {}
        return value

    # --- scenario ------------------------------------------------------------

    def scenario(self, data: object) -> Scenario | None:
        if not isinstance(data, Mapping):
            self.error((), "a scenario must be a mapping with title, start and nodes")
            return None
        self.unknown_keys(data, TOP_KEYS, ())
        title = self.text(data, "title", (), required=True)
        summary = self.text(data, "summary", (), required=False)
        setting = self.text(data, "setting", (), required=False)
        self.listed = self.disciplines(data)
        state = self.state(data.get("state"))
        pass_score = self.pass_score(data)
        minutes = self.minutes(data)
        raw_nodes = data.get("nodes")
        if raw_nodes is None:
            self.error((), "'nodes' is required")
            return None
        if not isinstance(raw_nodes, Mapping) or not raw_nodes:
            self.error(("nodes",), "'nodes' must be a mapping of node id to node")
            return None
        ids = [key for key in raw_nodes if self.node_id(key)]
        nodes = tuple(self.node(key, raw_nodes[key], set(ids)) for key in ids)
        if not nodes:
            return None
        start = self.start(data, set(ids)) or nodes[0].id
        disciplines = self.listed if self.listed is not None else self.scored(nodes)
        twine = self.twine(data.get("twine"), set(ids))
        return Scenario(
            slug=self.slug,
            title=title,
            start=start,
            nodes=nodes,
            summary=summary,
            setting=setting,
            disciplines=disciplines,
            state=state,
            pass_score=pass_score,
            minutes=minutes,
            twine=twine,
        )

    def twine(self, raw: object, ids: set[str]) -> dict[str, Any]:
        """The ``twine:`` mapping: Twine's story data, kept for the Twee export."""
        table = self.mapping(raw, ("twine",), "'twine'")
        found: dict[str, Any] = {}
        for key, value in table.items():
            path: Path = ("twine", key)
            if key not in TWINE_KEYS:
                self.error(path, f"unknown key '{key}' (expected one of: {_one_of(TWINE_KEYS)})")
            elif key in ("ifid", "format", "format-version"):
                if not isinstance(value, str) or not value.strip() or "\n" in value:
                    self.error(path, f"'{key}' must be one line of text")
                else:
                    found[key] = value.strip()
            elif key == "tag-colors":
                colours = self.mapping(value, path, "'tag-colors'")
                if all(isinstance(k, str) and isinstance(v, str) for k, v in colours.items()):
                    found[key] = dict(colours)
                else:
                    self.error(path, "'tag-colors' maps tag names to colour names")
            else:
                found_tags = self.twine_tags(value, path, ids)
                if found_tags:
                    found[key] = found_tags
        return found

    def twine_tags(self, raw: object, path: Path, ids: set[str]) -> dict[str, list[str]]:
        table = self.mapping(raw, path, "'tags'")
        found: dict[str, list[str]] = {}
        for name, tags in table.items():
            if name not in ids:
                self.error((*path, name), f"Twine tags for '{name}', which is not a node")
                continue
            if not isinstance(tags, list) or not all(
                isinstance(tag, str) and _TWINE_TAG_RE.fullmatch(tag) for tag in tags
            ):
                self.error((*path, name), "Twine tags must be a list of words without spaces")
                continue
            if tags:
                found[name] = list(tags)
        return found

    def disciplines(self, data: Mapping[Any, Any]) -> tuple[str, ...] | None:
        raw = data.get("disciplines")
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.error(("disciplines",), f"'disciplines' must be a list of: {_one_of(DISCIPLINES)}")
            return None
        found: list[str] = []
        for index, item in enumerate(raw):
            path = ("disciplines", index)
            if item not in DISCIPLINES:
                self.error(path, f"unknown discipline {item!r} (expected: {_one_of(DISCIPLINES)})")
            elif item in found:
                self.error(path, f"duplicate discipline '{item}'")
            else:
                found.append(item)
        return tuple(found)

    @staticmethod
    def scored(nodes: tuple[Node, ...]) -> tuple[str, ...]:
        used = {key for node in nodes for choice in node.choices for key in choice.scores}
        return tuple(d for d in DISCIPLINES if d in used)

    def state(self, raw: object) -> tuple[StateVar, ...]:
        table = self.mapping(raw, ("state",), "'state'")
        found: list[StateVar] = []
        for name, spec in table.items():
            path: Path = ("state", name)
            if not isinstance(name, str) or not STATE_NAME_RE.fullmatch(name) or name in _KEYWORDS:
                self.error(path, f"state name {name!r} must be a word like 'mood' or 'trust'")
                continue
            var = self.state_var(name, spec, path)
            if var is not None:
                found.append(var)
                self.state_names.add(name)
        return tuple(found)

    def state_var(self, name: str, spec: object, path: Path) -> StateVar | None:
        if isinstance(spec, Mapping):
            self.unknown_keys(spec, STATE_KEYS, path)
            if "initial" not in spec:
                self.error(path, f"state '{name}' needs an 'initial' value")
                return None
            initial = self.number(spec["initial"], (*path, "initial"), "'initial'")
            low = self.number(spec.get("min", DEFAULT_MIN), (*path, "min"), "'min'")
            high = self.number(spec.get("max", DEFAULT_MAX), (*path, "max"), "'max'")
        else:
            initial = self.number(spec, path, f"state '{name}'")
            low, high = DEFAULT_MIN, DEFAULT_MAX
        if initial is None or low is None or high is None:
            return None
        if low > high:
            self.error(path, f"state '{name}': min {fmt(low)} is greater than max {fmt(high)}")
            return None
        if not low <= initial <= high:
            self.error(
                path,
                f"state '{name}': initial {fmt(initial)} is outside {fmt(low)}..{fmt(high)}",
            )
            return None
        return StateVar(name, initial, low, high)

    def pass_score(self, data: Mapping[Any, Any]) -> Number:
        if "pass_score" not in data:
            return DEFAULT_PASS_SCORE
        value = self.number(data["pass_score"], ("pass_score",), "'pass_score'")
        if value is None:
            return DEFAULT_PASS_SCORE
        if not 0 <= value <= 100:
            self.error(("pass_score",), "'pass_score' must be between 0 and 100")
            return DEFAULT_PASS_SCORE
        return value

    def minutes(self, data: Mapping[Any, Any]) -> Number | None:
        if data.get("minutes") is None:
            return None
        value = self.number(data["minutes"], ("minutes",), "'minutes'")
        if value is not None and value <= 0:
            self.error(("minutes",), "'minutes' must be more than 0")
            return None
        return value

    def start(self, data: Mapping[Any, Any], ids: set[str]) -> str | None:
        start = data.get("start")
        if start is None:
            self.error((), "'start' is required (the id of the first node)")
            return None
        if not isinstance(start, str) or start not in ids:
            self.error(("start",), f"start {start!r} is not a node of this scenario")
            return None
        return start

    # --- nodes ---------------------------------------------------------------

    def node_id(self, key: object) -> bool:
        path: Path = ("nodes", key)  # type: ignore[assignment]
        if not isinstance(key, str):
            self.error(path, f"node id {key!r} must be text")
            return False
        if key in RESERVED_IDS:
            self.error(path, f"node id '{key}' is reserved")
            return False
        if len(key) > _MAX_ID_LENGTH or not NODE_ID_RE.fullmatch(key):
            self.error(
                path,
                f"node id {key!r} must be 1-{_MAX_ID_LENGTH} characters without"
                " []{}|<>\\, line breaks or outer spaces",
            )
            return False
        return True

    def node(self, node_id: str, raw: object, ids: set[str]) -> Node:
        path: Path = ("nodes", node_id)
        if not isinstance(raw, Mapping):
            self.error(path, f"node '{node_id}' must be a mapping (speaker, text, choices)")
            return Node(node_id, "")
        self.unknown_keys(raw, NODE_KEYS, path)
        speaker = raw.get("speaker", DEFAULT_SPEAKER)
        if speaker not in SPEAKERS:
            self.error(
                (*path, "speaker"),
                f"unknown speaker {speaker!r} (expected: {_one_of(list(SPEAKERS))})",
            )
            speaker = DEFAULT_SPEAKER
        ending = raw.get("ending")
        if ending is not None and ending not in ENDINGS:
            self.error(
                (*path, "ending"), f"unknown ending {ending!r} (expected: {_one_of(list(ENDINGS))})"
            )
            ending = "failure"
        text = self.text(raw, "text", path, required=ending is None)
        summary = self.text(raw, "summary", path, required=False)
        if summary and ending is None:
            self.error((*path, "summary"), "only an ending has a 'summary'")
        raw_choices = raw.get("choices")
        if raw_choices is None:
            raw_choices = []
        if not isinstance(raw_choices, list):
            self.error((*path, "choices"), "'choices' must be a list")
            raw_choices = []
        if ending is not None and raw_choices:
            self.error((*path, "choices"), f"ending '{node_id}' must not have choices")
        if ending is None and not raw_choices:
            self.error(path, f"node '{node_id}' is not an ending and has no choices")
        choices = tuple(
            choice
            for index, item in enumerate(raw_choices)
            if (choice := self.choice(item, (*path, "choices", index), ids)) is not None
        )
        tags = self.tags(raw.get("tags"), (*path, "tags"), ending is not None)
        return Node(
            node_id,
            text,
            speaker=speaker,
            choices=() if ending is not None else choices,
            ending=ending,
            summary=summary if ending is not None else "",
            tags=tags,
        )

    def tags(self, raw: object, path: Path, is_ending: bool) -> tuple[str, ...]:
        if raw is None:
            return ()
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            self.error(path, f"'tags' must be a list drawn from {_one_of(NODE_TAGS)}")
            return ()
        found: list[str] = []
        for index, tag in enumerate(raw):
            if tag not in NODE_TAGS:
                self.error((*path, index), f"unknown tag {tag!r} (expected: {_one_of(NODE_TAGS)})")
            elif tag not in found:
                found.append(tag)
        if found and is_ending:
            self.error(path, "an ending takes no 'tags' (they mark decisions)")
            return ()
        return tuple(found)

    def choice(self, raw: object, path: Path, ids: set[str]) -> Choice | None:
        if not isinstance(raw, Mapping):
            self.error(path, "a choice must be a mapping (text, goto, feedback, …)")
            return None
        self.unknown_keys(raw, CHOICE_KEYS, path)
        text = self.text(raw, "text", path, required=True)
        feedback = self.text(raw, "feedback", path, required=True)
        better = self.text(raw, "better", path, required=False) or None
        goto = raw.get("goto")
        if goto is None:
            self.error(path, "'goto' is required (the id of the next node)")
            return None
        if not isinstance(goto, str):
            self.error((*path, "goto"), f"goto {goto!r} must be a node id")
            return None
        if goto not in ids:
            self.error((*path, "goto"), f"goto '{goto}' is not a node of this scenario")
        condition = self.condition(raw.get("if"), (*path, "if"))
        return Choice(
            text=text,
            goto=goto,
            feedback=feedback,
            condition=condition,
            effects=self.effects(raw.get("effects"), (*path, "effects")),
            scores=self.table(raw.get("scores"), (*path, "scores"), "discipline", DISCIPLINES),
            axes=self.table(raw.get("axes"), (*path, "axes"), "axis", AXES),
            better=better,
        )

    def condition(self, raw: object, path: Path) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.error(path, "'if' must be a condition such as 'mood <= 4'")
            return None
        source = raw.strip()
        try:
            expr = parse_condition(source)
        except ConditionError as exc:
            self.error(path, f"condition {source!r}: column {exc.column}: {exc.message}")
            return None
        unknown = [n for n in names(expr) if n.name not in self.state_names]
        for name in unknown:
            self.error(
                path,
                f"condition {source!r}: column {name.column}: unknown state name"
                f" '{name.name}' (declare it under 'state')",
            )
        return None if unknown else source

    def effects(self, raw: object, path: Path) -> dict[str, Number]:
        table = self.mapping(raw, path, "'effects'")
        found: dict[str, Number] = {}
        for name, value in table.items():
            if name not in self.state_names:
                self.error((*path, name), f"unknown state name {name!r} (declare it under 'state')")
                continue
            number = self.number(value, (*path, name), f"effect on '{name}'")
            if number is not None:
                found[name] = number
        return found

    def table(
        self, raw: object, path: Path, what: str, allowed: tuple[str, ...]
    ) -> dict[str, Number]:
        table = self.mapping(raw, path, f"'{path[-1]}'")
        found: dict[str, Number] = {}
        for key, value in table.items():
            if key not in allowed:
                self.error((*path, key), f"unknown {what} {key!r} (expected: {_one_of(allowed)})")
                continue
            if what == "discipline" and self.listed is not None and key not in self.listed:
                self.error(
                    (*path, key), f"discipline '{key}' is scored but not listed in 'disciplines'"
                )
            number = self.number(value, (*path, key), f"points for '{key}'")
            if number is not None:
                found[key] = number
        return found


def parse_scenario(
    data: object, slug: str, *, lenient: bool = False
) -> tuple[Scenario | None, list[PathProblem]]:
    """Validate scenario data; the scenario is None when there are errors.

    With ``lenient=True`` a best-effort scenario is returned even when there
    are errors (for drawing the map of a broken file); it is None only when
    the data has no usable nodes.
    """
    builder = _Builder(slug)
    scenario = builder.scenario(data)
    if scenario is None:
        return None, [*builder.problems, *builder.placeholders]
    if not builder.has_errors:
        _check_flow(scenario, builder)
    else:
        _check_structure(scenario, builder)
    builder.problems.extend(builder.placeholders)
    if builder.has_errors and not lenient:
        return None, builder.problems
    return scenario, builder.problems


def check_scenario_source(
    text: str, slug: str
) -> tuple[Scenario | None, list[PathProblem], LineMap]:
    """Load YAML text and validate it: ``(scenario, problems, line map)``.

    Raises `academy.sourcemap.YamlSourceError` when the text is not YAML.
    """
    data, linemap, problems = load_yaml(text)
    nodes = data.get("nodes") if isinstance(data, Mapping) else None
    if isinstance(nodes, Mapping) and len(nodes) > MAX_NODES:
        too_many = PathProblem(
            ("nodes",),
            f"the drill has {len(nodes):,} nodes; at most {MAX_NODES} are checked and drawn:"
            " split it into several drills",
        )
        return None, [*problems, too_many], linemap
    scenario, found = parse_scenario(data, slug)
    problems = [*problems, *found]
    if any(p.severity == "error" for p in problems):
        scenario = None
    return scenario, problems, linemap


#: Scenario slugs appear in URLs and progress keys.
SLUG_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate_scenario_text(
    text: str, file: str, slug: str | None = None, policy: Policy | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario file's text; problems are ``file:line`` located.

    The slug defaults to the file name without ``.yaml``. YAML syntax errors
    become problems too, so callers only deal with one list. With a `policy`
    (``courses/policy.yaml``, see `academy.courses.policy`), ``{{policy.KEY}}``
    placeholders are replaced first; without one they stay as written.
    """
    slug = PurePath(file).stem if slug is None else slug
    problems: list[Problem] = []
    if policy is not None:
        substitution = substitute(text, policy, file)
        problems.extend(substitution.problems)
        text = substitution.text
    if not SLUG_RE.fullmatch(slug):
        problems.append(
            Problem(file, 1, f"file name '{slug}' must be a slug: lowercase letters, digits, '-'")
        )
    try:
        scenario, found, linemap = check_scenario_source(text, slug)
    except YamlSourceError as exc:
        return None, [*problems, Problem(file, exc.line, exc.message)]
    problems.extend(linemap.locate(file, found))
    if any(p.severity == "error" for p in problems):
        scenario = None
    return scenario, problems


def structural_reach(scenario: Scenario) -> dict[str, int]:
    """BFS depth of each node from the start, following every existing goto."""
    depth: dict[str, int] = {}
    if not scenario.has_node(scenario.start):
        return depth
    depth[scenario.start] = 0
    queue = deque([scenario.start])
    while queue:
        node_id = queue.popleft()
        for choice in scenario.node(node_id).choices:
            if scenario.has_node(choice.goto) and choice.goto not in depth:
                depth[choice.goto] = depth[node_id] + 1
                queue.append(choice.goto)
    return depth


def _check_structure(scenario: Scenario, builder: _Builder) -> None:
    reached = structural_reach(scenario)
    for node in scenario.nodes:
        if node.id not in reached:
            builder.error(
                ("nodes", node.id), f"node '{node.id}' cannot be reached from '{scenario.start}'"
            )


def _state_text(state: Mapping[str, Number]) -> str:
    return ", ".join(f"{name} = {fmt(value)}" for name, value in state.items())


def _when(state: Mapping[str, Number]) -> str:
    return f" when {_state_text(state)}" if state else ""


def _check_flow(scenario: Scenario, builder: _Builder) -> None:
    analysis = scenario.analysis
    if analysis.too_large:
        builder.error(
            ("state",) if scenario.state else (),
            f"state space too large: more than {analysis.limit:,} (node, state) combinations;"
            " narrow the state bounds or use coarser steps",
        )
        _check_structure(scenario, builder)
        return
    structural = structural_reach(scenario)
    for node in scenario.nodes:
        if node.id in analysis.reached:
            continue
        if node.id in structural:
            builder.error(
                ("nodes", node.id),
                f"node '{node.id}' cannot be reached: the choices leading to it are hidden"
                " by their conditions in every reachable state",
            )
        else:
            builder.error(
                ("nodes", node.id), f"node '{node.id}' cannot be reached from '{scenario.start}'"
            )
    reported: set[str] = set()
    for node_id, state in analysis.dead_ends.items():
        reported.add(node_id)
        builder.error(
            ("nodes", node_id, "choices"),
            f"every choice of node '{node_id}' is hidden by its condition{_when(state)}",
        )
    for cycle, state in analysis.traps:
        fresh = [n for n in cycle if n not in reported]
        if not fresh:
            continue
        reported.update(cycle)
        loop = " → ".join([*cycle, cycle[0]])
        builder.error(
            ("nodes", fresh[0]),
            f"a cycle with no way out: {loop}{_when(state)} never reaches an ending",
        )
    for node_id, state in analysis.stuck.items():
        if node_id not in reported:
            builder.error(
                ("nodes", node_id), f"no ending can be reached from node '{node_id}'{_when(state)}"
            )
    for cycle in analysis.positive_loops:
        loop = " → ".join([*cycle, cycle[0]])
        builder.error(
            ("nodes", cycle[0]),
            f"the loop {loop} earns points each time round, so the best score has no limit;"
            " make the loop's points add up to 0 or less",
        )
    if builder.has_errors:
        return
    for node_id, index in analysis.never_available:
        builder.warning(
            ("nodes", node_id, "choices", index, "if"),
            f"choice {index + 1} of node '{node_id}' is never available: its condition is false"
            " in every reachable state",
        )
    if not analysis.success_reachable:
        builder.warning(("nodes",), "no success ending can be reached in any state")
    scored = {
        key for node in scenario.nodes for c in node.choices for key, v in c.scores.items() if v
    }
    for index, discipline in enumerate(scenario.disciplines):
        if discipline not in scored:
            builder.warning(
                ("disciplines", index), f"discipline '{discipline}' is listed but never scored"
            )


# --- back to data ------------------------------------------------------------


def _state_to_data(var: StateVar) -> Number | dict[str, Number]:
    if var.minimum == DEFAULT_MIN and var.maximum == DEFAULT_MAX:
        return var.initial
    return {"initial": var.initial, "min": var.minimum, "max": var.maximum}


def choice_to_data(choice: Choice) -> dict[str, Any]:
    """One choice as YAML-shaped data."""
    data: dict[str, Any] = {"text": choice.text, "goto": choice.goto}
    if choice.condition is not None:
        data["if"] = choice.condition
    for key in ("effects", "scores", "axes"):
        table = getattr(choice, key)
        if table:
            data[key] = dict(table)
    data["feedback"] = choice.feedback
    if choice.better is not None:
        data["better"] = choice.better
    return data


def node_to_data(node: Node) -> dict[str, Any]:
    """One node as YAML-shaped data."""
    data: dict[str, Any] = {"speaker": node.speaker}
    if node.tags:
        data["tags"] = list(node.tags)
    if node.text:
        data["text"] = node.text
    if node.is_ending:
        data["ending"] = node.ending
        if node.summary:
            data["summary"] = node.summary
    else:
        data["choices"] = [choice_to_data(choice) for choice in node.choices]
    return data


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as YAML-shaped data that `parse_scenario` accepts."""
    data: dict[str, Any] = {"title": scenario.title}
    if scenario.summary:
        data["summary"] = scenario.summary
    if scenario.setting:
        data["setting"] = scenario.setting
    data["disciplines"] = list(scenario.disciplines)
    data["start"] = scenario.start
    if scenario.state:
        data["state"] = {var.name: _state_to_data(var) for var in scenario.state}
    data["pass_score"] = scenario.pass_score
    if scenario.minutes is not None:
        data["minutes"] = scenario.minutes
    data["nodes"] = {node.id: node_to_data(node) for node in scenario.nodes}
    if scenario.twine:
        data["twine"] = {key: scenario.twine[key] for key in TWINE_KEYS if key in scenario.twine}
    return data


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so dumped scenarios read like hand-written ones."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_scenario_yaml(data: Mapping[str, Any]) -> str:
    """Scenario data (from `Scenario.to_data` or `parse_twee`) as YAML text."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
