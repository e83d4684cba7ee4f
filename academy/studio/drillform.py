"""A drill file as the studio's form fields, and back (pure).

The studio edits a drill's YAML document one part at a time: the header
(title, summary, setting, disciplines, start, state, pass mark, minutes), one
node (id, speaker, text, tags, ending, summary) with its choices (text, goto,
condition, effects, discipline scores, axes, feedback, better). Each edit
changes only the keys its form shows; every other key (``twine:``, keys this
form does not know) and the order of the nodes are kept.

Form values are plain data: the header and a node as dicts of strings and
lists, the choices as a list of dicts. `node_fields` / `read_node_form` turn
them into the flat field names an HTML form posts (``choice-0-score-look``)
and back. Every refusal is a `DrillFormError` naming the field.

The validator's problems (``file:line``) are mapped back to node ids and choice
indexes by `locate`, so the studio can show each one next to its node.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from academy.scenarios.model import DEFAULT_MAX, DEFAULT_MIN, ENDINGS, NODE_TAGS, SPEAKERS
from academy.scenarios.parse import (
    CHOICE_KEYS,
    NODE_ID_RE,
    NODE_KEYS,
    RESERVED_IDS,
    STATE_NAME_RE,
    TOP_KEYS,
    dump_scenario_yaml,
)
from academy.sourcemap import Problem, YamlSourceError, load_yaml
from academy.vocabulary import AXES, DISCIPLINES

#: The keys the forms own, from the drill format itself (`nodes` and `twine` are kept as they are).
HEADER_KEYS = tuple(key for key in TOP_KEYS if key not in ("nodes", "twine"))
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_CHOICES = 30
MAX_STATE = 20
MAX_ID = 100
_KEYWORDS = frozenset({"and", "or", "not"})


class DrillFormError(ValueError):
    """A refused edit: `field` names the form field (``choice-1-goto``)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class FormData(Protocol):
    """What a posted form offers (werkzeug's MultiDict has both)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


# --- the document ------------------------------------------------------------------------


def load(text: str) -> dict[str, Any]:
    """The drill's data, or a `DrillFormError` on field ``source`` when forms cannot edit it."""
    try:
        data, _lines, _problems = load_yaml(text)
    except YamlSourceError as exc:
        raise DrillFormError(
            f"line {exc.line}: the file is not valid YAML ({exc.message}); fix it in the source"
            " editor",
            field="source",
        ) from None
    if not isinstance(data, dict):
        raise DrillFormError("the file is not a mapping (title, start, nodes)", field="source")
    nodes = data.get("nodes")
    if nodes is None:
        data["nodes"] = {}
    elif not isinstance(nodes, dict) or not all(isinstance(key, str) for key in nodes):
        raise DrillFormError("'nodes' must map node ids (text) to nodes", field="source")
    return data


def dump(data: Mapping[str, Any]) -> str:
    return dump_scenario_yaml(data)


def node_ids(data: Mapping[str, Any]) -> list[str]:
    return list(data.get("nodes") or {})


def _node(data: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    nodes = data.get("nodes") or {}
    if node_id not in nodes:
        raise DrillFormError(f"there is no node '{node_id}'", field="id")
    raw = nodes[node_id]
    return raw if isinstance(raw, dict) else {}


def _choices(raw: Mapping[str, Any]) -> list[Any]:
    choices = raw.get("choices")
    return choices if isinstance(choices, list) else []


# --- numbers and text --------------------------------------------------------------------


def number_text(value: Any) -> str:
    """A number as the form shows it (``2``, ``0.5``); anything else as text."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite():
            return repr(value)
        if exact == exact.to_integral_value():
            return str(int(exact))
        return format(exact.normalize(), "f")
    return str(value)


def parse_number(text: Any, field: str, *, what: str = "a number") -> int | float | None:
    """``""`` → None; ``"2"`` → 2; ``"0.5"`` → 0.5; anything else → `DrillFormError`."""
    text = str(text or "").strip()
    if not text:
        return None
    if len(text) > 30:
        raise DrillFormError(f"{what} is expected, not {text[:30]!r}…", field=field)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DrillFormError(f"{what} is expected, not {text!r}", field=field) from None
    if not value.is_finite() or abs(value) > 1_000_000:
        raise DrillFormError(f"{what} between -1,000,000 and 1,000,000 is expected", field=field)
    return int(value) if value == value.to_integral_value() else float(value)


def clean(text: Any, field: str, *, limit: int = MAX_TEXT, required: str | None = None) -> str:
    value = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(value) > limit:
        raise DrillFormError(f"at most {limit:,} characters", field=field)
    if "\x00" in value:
        raise DrillFormError("the text contains a NUL character", field=field)
    if required and not value:
        raise DrillFormError(required, field=field)
    return value


def check_node_id(node_id: str, field: str = "id") -> str:
    node_id = str(node_id or "").strip()
    if not node_id:
        raise DrillFormError("a node id is required", field=field)
    if node_id in RESERVED_IDS:
        raise DrillFormError(f"node id '{node_id}' is reserved", field=field)
    if len(node_id) > MAX_ID or not NODE_ID_RE.fullmatch(node_id):
        raise DrillFormError(
            f"a node id is 1-{MAX_ID} characters without []{{}}|<>\\, line breaks or double spaces",
            field=field,
        )
    return node_id


def _merge(original: Any, keys: Sequence[str], new: Mapping[str, Any]) -> dict[str, Any]:
    """`original`'s keys in their order with the form's `keys` replaced from `new` (a missing
    or empty value removes the key); new keys are added in the form's order."""
    source = original if isinstance(original, dict) else {}
    result: dict[str, Any] = {}
    for key, value in source.items():
        if key in keys:
            if _present(new.get(key)):
                result[key] = new[key]
        else:
            result[key] = value
    for key in keys:
        if key not in result and _present(new.get(key)):
            result[key] = new[key]
    return result


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


# --- the header ----------------------------------------------------------------------------


def header_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The header as form values (strings and lists)."""
    state = data.get("state") if isinstance(data.get("state"), dict) else {}
    rows = []
    for name, spec in state.items():
        if isinstance(spec, dict):
            rows.append(
                {
                    "name": str(name),
                    "initial": number_text(spec.get("initial")),
                    "min": number_text(spec.get("min", DEFAULT_MIN)),
                    "max": number_text(spec.get("max", DEFAULT_MAX)),
                }
            )
        else:
            rows.append(
                {
                    "name": str(name),
                    "initial": number_text(spec),
                    "min": str(DEFAULT_MIN),
                    "max": str(DEFAULT_MAX),
                }
            )
    disciplines = data.get("disciplines")
    return {
        "title": str(data.get("title") or ""),
        "summary": str(data.get("summary") or ""),
        "setting": str(data.get("setting") or ""),
        "disciplines": [d for d in disciplines if d in DISCIPLINES]
        if isinstance(disciplines, list)
        else [],
        "start": str(data.get("start") or ""),
        "pass_score": number_text(data.get("pass_score")),
        "minutes": number_text(data.get("minutes")),
        "state": rows,
    }


def header_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat form fields of the header (``state-0-name`` …), plus one empty state row."""
    flat = {key: values.get(key, "") for key in HEADER_KEYS if key != "state"}
    rows = [*values.get("state", []), {"name": "", "initial": "", "min": "", "max": ""}]
    for index, row in enumerate(rows):
        for part in ("name", "initial", "min", "max"):
            flat[f"state-{index}-{part}"] = row.get(part, "")
    flat["state_count"] = str(len(rows))
    return flat


def read_header_form(form: FormData) -> dict[str, Any]:
    count = _count(form.get("state_count"), "state_count", MAX_STATE + 1)
    rows = []
    for index in range(count):
        parts = ("name", "initial", "min", "max")
        row = {p: str(form.get(f"state-{index}-{p}") or "") for p in parts}
        if any(v.strip() for v in row.values()):
            rows.append(row)
    return {
        "title": str(form.get("title") or ""),
        "summary": str(form.get("summary") or ""),
        "setting": str(form.get("setting") or ""),
        "disciplines": [str(d) for d in form.getlist("disciplines")],
        "start": str(form.get("start") or ""),
        "pass_score": str(form.get("pass_score") or ""),
        "minutes": str(form.get("minutes") or ""),
        "state": rows,
    }


def _count(raw: Any, field: str, limit: int) -> int:
    text = str(raw or "0").strip()
    if not text.isdigit() or int(text) > limit:
        raise DrillFormError(f"a count of 0-{limit} is expected", field=field)
    return int(text)


def apply_header(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with the header form applied (nodes and every other key kept)."""
    title = clean(values.get("title"), "title", limit=MAX_TITLE, required="a title is required")
    disciplines = list(values.get("disciplines") or [])
    for name in disciplines:
        if name not in DISCIPLINES:
            raise DrillFormError(f"unknown discipline {name!r}", field="disciplines")
    disciplines = [d for d in DISCIPLINES if d in disciplines]
    start = str(values.get("start") or "").strip()
    ids = node_ids(data)
    if ids and start not in ids:
        raise DrillFormError(f"start {start!r} is not a node of this drill", field="start")
    pass_score = parse_number(values.get("pass_score"), "pass_score", what="a pass mark")
    if pass_score is not None and not 0 <= pass_score <= 100:
        raise DrillFormError("the pass mark is 0-100", field="pass_score")
    minutes = parse_number(values.get("minutes"), "minutes", what="a number of minutes")
    if minutes is not None and not 0 < minutes <= 600:
        raise DrillFormError("minutes are more than 0 and at most 600", field="minutes")
    new = {
        "title": title,
        "summary": clean(values.get("summary"), "summary"),
        "setting": clean(values.get("setting"), "setting"),
        "disciplines": disciplines,
        "start": start or None,
        "state": _state(values.get("state") or []),
        "pass_score": pass_score,
        "minutes": minutes,
    }
    result = _merge(data, HEADER_KEYS, new)
    if "nodes" in result:  # keep the nodes after the header, as files are written
        result["nodes"] = result.pop("nodes")
        for key in [k for k in data if k not in HEADER_KEYS and k != "nodes"]:
            result[key] = result.pop(key)
    return result


def _state(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for index, row in enumerate(rows):
        where = f"state-{index}"
        name = str(row.get("name") or "").strip()
        if not STATE_NAME_RE.fullmatch(name) or name in _KEYWORDS or len(name) > 40:
            raise DrillFormError(
                "a state name is a word (letters, digits, _; not and/or/not)",
                field=f"{where}-name",
            )
        if name in state:
            raise DrillFormError(f"'{name}' is declared twice", field=f"{where}-name")
        initial = parse_number(row.get("initial"), f"{where}-initial")
        low = parse_number(row.get("min"), f"{where}-min")
        high = parse_number(row.get("max"), f"{where}-max")
        low = DEFAULT_MIN if low is None else low
        high = DEFAULT_MAX if high is None else high
        if initial is None:
            raise DrillFormError("an initial value is required", field=f"{where}-initial")
        if low > high:
            raise DrillFormError("the minimum is above the maximum", field=f"{where}-min")
        if not low <= initial <= high:
            raise DrillFormError(
                f"the initial value must lie within {low}..{high}", field=f"{where}-initial"
            )
        if low == DEFAULT_MIN and high == DEFAULT_MAX:
            state[name] = initial
        else:
            state[name] = {"initial": initial, "min": low, "max": high}
    return state


def state_names(data: Mapping[str, Any]) -> list[str]:
    state = data.get("state")
    return [str(name) for name in state] if isinstance(state, dict) else []


# --- one node ------------------------------------------------------------------------------


def empty_choice() -> dict[str, Any]:
    return {
        "text": "",
        "goto": "",
        "if": "",
        "feedback": "",
        "better": "",
        "effects": {},
        "scores": {},
        "axes": {},
    }


def node_values(data: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    """A node and its choices as form values."""
    raw = _node(data, node_id)
    tags = raw.get("tags")
    tags = [tags] if isinstance(tags, str) else tags if isinstance(tags, list) else []
    choices = []
    for item in _choices(raw):
        item = item if isinstance(item, dict) else {}
        choices.append(
            {
                "text": str(item.get("text") or ""),
                "goto": str(item.get("goto") or ""),
                "if": str(item.get("if") or ""),
                "feedback": str(item.get("feedback") or ""),
                "better": str(item.get("better") or ""),
                "effects": _table_text(item.get("effects")),
                "scores": _table_text(item.get("scores"), DISCIPLINES),
                "axes": _table_text(item.get("axes"), AXES),
            }
        )
    return {
        "id": node_id,
        "speaker": str(raw.get("speaker") or ""),
        "text": str(raw.get("text") or ""),
        "tags": [str(t) for t in tags],
        "ending": str(raw.get("ending") or ""),
        "summary": str(raw.get("summary") or ""),
        "choices": choices,
    }


def _table_text(raw: Any, allowed: Sequence[str] | None = None) -> dict[str, str]:
    """A table's numbers as text; names the form has no field for are left out (and kept)."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): number_text(v) for k, v in raw.items() if allowed is None or k in allowed}


def effect_names(data: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """The state names a choice row shows an effect field for: declared, then any used."""
    names = state_names(data)
    for choice in values.get("choices", []):
        names.extend(n for n in choice.get("effects", {}) if n not in names)
    return names


def node_fields(values: Mapping[str, Any], effects: Sequence[str]) -> dict[str, Any]:
    """Flat form fields of a node: ``choice-N-text``, ``choice-N-score-look`` …"""
    flat: dict[str, Any] = {k: values.get(k, "") for k in ("id", "speaker", "text", "ending")}
    flat["summary"] = values.get("summary", "")
    flat["tags"] = list(values.get("tags", []))
    choices = values.get("choices", [])
    flat["choice_count"] = str(len(choices))
    flat["effect_names"] = ",".join(effects)
    for index, choice in enumerate(choices):
        prefix = f"choice-{index}"
        for key in ("text", "goto", "if", "feedback", "better"):
            flat[f"{prefix}-{key}"] = choice.get(key, "")
        for name in effects:
            flat[f"{prefix}-effect-{name}"] = choice.get("effects", {}).get(name, "")
        for name in DISCIPLINES:
            flat[f"{prefix}-score-{name}"] = choice.get("scores", {}).get(name, "")
        for name in AXES:
            flat[f"{prefix}-axis-{name}"] = choice.get("axes", {}).get(name, "")
    return flat


def read_node_form(form: FormData) -> dict[str, Any]:
    """Form values of a node from the posted fields (nothing checked yet but the counts)."""
    count = _count(form.get("choice_count"), "choice_count", MAX_CHOICES)
    effects = [n for n in str(form.get("effect_names") or "").split(",") if n][: MAX_STATE * 2]
    choices = []
    for index in range(count):
        prefix = f"choice-{index}"
        choice = {key: str(form.get(f"{prefix}-{key}") or "") for key in ("text", "goto", "if")}
        choice["feedback"] = str(form.get(f"{prefix}-feedback") or "")
        choice["better"] = str(form.get(f"{prefix}-better") or "")
        choice["effects"] = _read_table(form, f"{prefix}-effect-", effects)
        choice["scores"] = _read_table(form, f"{prefix}-score-", DISCIPLINES)
        choice["axes"] = _read_table(form, f"{prefix}-axis-", AXES)
        choices.append(choice)
    return {
        "id": str(form.get("id") or ""),
        "speaker": str(form.get("speaker") or ""),
        "text": str(form.get("text") or ""),
        "tags": [str(t) for t in form.getlist("tags")],
        "ending": str(form.get("ending") or ""),
        "summary": str(form.get("summary") or ""),
        "choices": choices,
    }


def _read_table(form: FormData, prefix: str, names: Iterable[str]) -> dict[str, str]:
    found = {}
    for name in names:
        value = str(form.get(prefix + name) or "").strip()
        if value:
            found[name] = value
    return found


def pointers(data: Mapping[str, Any], node_id: str, *, besides: str | None = None) -> list[str]:
    """Where the drill points at `node_id`: ``choice 2 of node 'a'`` (1-based), ``start``."""
    found = []
    if data.get("start") == node_id:
        found.append("start")
    for other, raw in (data.get("nodes") or {}).items():
        if other in (node_id, besides) or not isinstance(raw, dict):
            continue
        for index, item in enumerate(_choices(raw)):
            if isinstance(item, dict) and item.get("goto") == node_id:
                found.append(f"choice {index + 1} of node '{other}'")
    return found


def apply_node(data: Mapping[str, Any], node_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with node `node_id` replaced by the form `values` (renamed when the id changed).

    Other keys of the node and of each choice are kept; nodes keep their order.
    A rename is refused while other choices still point to the old id.
    """
    raw = _node(data, node_id)
    nodes = data.get("nodes") or {}
    new_id = check_node_id(values.get("id", node_id))
    if new_id != node_id:
        if new_id in nodes:
            raise DrillFormError(f"there is already a node '{new_id}'", field="id")
        still = [p for p in pointers(data, node_id) if p != "start"]
        if still:
            raise DrillFormError(
                f"'{node_id}' cannot be renamed while these still lead to it: {', '.join(still)};"
                " point them elsewhere first",
                field="id",
            )
    speaker = str(values.get("speaker") or "").strip()
    if speaker and speaker not in SPEAKERS:
        raise DrillFormError(f"unknown speaker {speaker!r}", field="speaker")
    ending = str(values.get("ending") or "").strip()
    if ending and ending not in ENDINGS:
        raise DrillFormError(f"unknown ending {ending!r}", field="ending")
    tags = list(dict.fromkeys(str(t) for t in values.get("tags") or []))
    for tag in tags:
        if tag not in NODE_TAGS:
            raise DrillFormError(f"unknown tag {tag!r}", field="tags")
    if ending and tags:
        raise DrillFormError("an ending takes no tags (they mark decisions)", field="tags")
    ids = set(nodes) - {node_id} | {new_id}
    rows = list(values.get("choices") or [])
    if len(rows) > MAX_CHOICES:
        raise DrillFormError(f"at most {MAX_CHOICES} choices", field="choice_count")
    if ending and rows:
        raise DrillFormError(
            "an ending has no choices: remove them or make the node a decision", field="ending"
        )
    old_choices = _choices(raw)
    choices = []
    for index, row in enumerate(rows):
        old = old_choices[index] if index < len(old_choices) else {}
        choices.append(_choice(row, old, index, ids, node_id, new_id))
    new = {
        "speaker": speaker or None,
        "tags": tags,
        "text": clean(values.get("text"), "text"),
        "ending": ending or None,
        "summary": clean(values.get("summary"), "summary") if ending else None,
        "choices": choices,
    }
    node = _merge(raw, NODE_KEYS, new)
    result = dict(data)
    result["nodes"] = {
        (new_id if key == node_id else key): (node if key == node_id else value)
        for key, value in nodes.items()
    }
    if new_id != node_id and data.get("start") == node_id:
        result["start"] = new_id
    return result


def _choice(
    row: Mapping[str, Any], old: Any, index: int, ids: set[str], old_id: str, new_id: str
) -> dict[str, Any]:
    prefix = f"choice-{index}"
    text = clean(row.get("text"), f"{prefix}-text", required="a choice needs its text")
    goto = str(row.get("goto") or "").strip()
    if goto == old_id:
        goto = new_id
    if goto not in ids:
        raise DrillFormError(
            "choose the node this choice leads to" if not goto else f"there is no node '{goto}'",
            field=f"{prefix}-goto",
        )
    condition = clean(row.get("if"), f"{prefix}-if", limit=1000)
    feedback = clean(
        row.get("feedback"), f"{prefix}-feedback", required="every choice needs its feedback"
    )
    old = old if isinstance(old, dict) else {}
    new = {
        "text": text,
        "goto": goto,
        "if": condition or None,
        "effects": _table(row.get("effects"), old.get("effects"), f"{prefix}-effect-", None),
        "scores": _table(row.get("scores"), old.get("scores"), f"{prefix}-score-", DISCIPLINES),
        "axes": _table(row.get("axes"), old.get("axes"), f"{prefix}-axis-", AXES),
        "feedback": feedback,
        "better": clean(row.get("better"), f"{prefix}-better") or None,
    }
    return _merge(old, CHOICE_KEYS, new)


def _table(values: Any, old: Any, prefix: str, allowed: Sequence[str] | None) -> dict[str, Any]:
    """A table of numbers from the form; keys the form does not show are kept from `old`."""
    values = values if isinstance(values, Mapping) else {}
    result: dict[str, Any] = {}
    if isinstance(old, dict) and allowed is not None:
        result.update({k: v for k, v in old.items() if k not in allowed})
    for name, text in values.items():
        if allowed is not None and name not in allowed:
            raise DrillFormError(f"unknown name {name!r}", field=f"{prefix}{name}")
        if allowed is None and not STATE_NAME_RE.fullmatch(str(name)):
            raise DrillFormError(f"unknown state name {name!r}", field=f"{prefix}{name}")
        number = parse_number(text, f"{prefix}{name}")
        if number is not None:
            result[name] = number
    return result


def add_node(data: Mapping[str, Any], node_id: str, kind: str = "decision") -> dict[str, Any]:
    """`data` with a new node at the end: a decision (to be given choices) or an ending."""
    node_id = check_node_id(node_id)
    nodes = data.get("nodes") or {}
    if node_id in nodes:
        raise DrillFormError(f"there is already a node '{node_id}'", field="id")
    if kind == "decision":
        node: dict[str, Any] = {"speaker": "resident", "text": "", "choices": []}
    elif kind in ENDINGS:
        node = {"speaker": "narrator", "ending": kind, "text": ""}
    else:
        raise DrillFormError(f"unknown kind {kind!r}", field="kind")
    result = dict(data)
    result["nodes"] = {**nodes, node_id: node}
    if not result.get("start"):
        result["start"] = node_id
    return result


def delete_node(data: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    """`data` without the node; refused while the start or other choices point to it."""
    _node(data, node_id)
    still = pointers(data, node_id)
    if still:
        raise DrillFormError(
            f"'{node_id}' cannot be deleted while these still lead to it: {', '.join(still)};"
            " point them elsewhere first",
            field="id",
        )
    result = dict(data)
    result["nodes"] = {k: v for k, v in (data.get("nodes") or {}).items() if k != node_id}
    return result


# --- problems next to their node ----------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A validator problem with the node (None: the drill as a whole) and choice it concerns."""

    problem: Problem
    node: str | None = None
    choice: int | None = None

    @property
    def severity(self) -> str:
        return self.problem.severity

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def line(self) -> int:
        return self.problem.line


@dataclass
class ProblemMap:
    drill: list[Located] = field(default_factory=list)
    nodes: dict[str, list[Located]] = field(default_factory=dict)

    def of(self, node_id: str) -> list[Located]:
        return self.nodes.get(node_id, [])

    def counts(self, node_id: str) -> tuple[int, int]:
        found = self.of(node_id)
        errors = sum(1 for p in found if p.severity == "error")
        return errors, len(found) - errors

    @property
    def all(self) -> list[Located]:
        return [*self.drill, *(p for found in self.nodes.values() for p in found)]


def locate(text: str, problems: Iterable[Problem]) -> ProblemMap:
    """Each `file:line` problem of `text` put with the node (and choice) whose lines hold it."""
    found = ProblemMap()
    try:
        data, lines, _dups = load_yaml(text)
    except YamlSourceError:
        data, lines = None, None
    starts: list[tuple[int, str, int | None]] = []
    top: list[tuple[int, str]] = []
    if lines is not None and isinstance(data, dict):
        for path, line in lines.lines.items():
            if not path:
                continue
            if len(path) == 1:
                top.append((line, str(path[0])))
            elif path[0] == "nodes" and len(path) == 2:
                starts.append((line, str(path[1]), None))
            elif path[0] == "nodes" and len(path) == 4 and path[2] == "choices":
                starts.append((line, str(path[1]), int(path[3])))
    starts.sort(key=lambda s: (s[0], s[2] is not None, s[2] or 0))
    top.sort()
    keys = [s[0] for s in starts]
    top_keys = [t[0] for t in top]
    for problem in sorted(problems, key=lambda p: (p.severity != "error", p.line)):
        section = bisect.bisect_right(top_keys, problem.line) - 1
        in_nodes = section >= 0 and top[section][1] == "nodes"
        at = bisect.bisect_right(keys, problem.line) - 1
        if not in_nodes or at < 0:
            found.drill.append(Located(problem))
            continue
        _line, node_id, choice = starts[at]
        found.nodes.setdefault(node_id, []).append(Located(problem, node_id, choice))
    return found


__all__ = [
    "DrillFormError",
    "Located",
    "ProblemMap",
    "add_node",
    "apply_header",
    "apply_node",
    "delete_node",
    "dump",
    "header_fields",
    "header_values",
    "load",
    "locate",
    "node_fields",
    "node_values",
    "pointers",
    "read_header_form",
    "read_node_form",
]
