"""The certification rules file (``courses/certifications.yaml``): parse and validate.

`parse_rules` checks loaded data and reports problems by path; `load_rules`
reads a file and reports them as ``file:line: message``. Validation is
complete (every problem, not only the first). With a `ContentIndex`, a
requirement the published content can never satisfy is a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path as FilePath
from typing import Any, Final

from academy.certification.content import ContentIndex
from academy.certification.requirements import REGISTRY, Fields, Requirement
from academy.sourcemap import Path, PathProblem, Problem, YamlSourceError, load_yaml
from academy.vocabulary import DISCIPLINES

TOP_KEYS: Final = ("version", "defaults", "certificates")
DEFAULT_KEYS: Final = ("validity_days", "renewal_window_days")
CERTIFICATE_KEYS: Final = (
    "title",
    "title_en",
    "description",
    "discipline",
    "validity_days",
    "renewal_window_days",
    "requirements",
)
ID_RE: Final = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
DEFAULT_VALIDITY_DAYS: Final = 365
DEFAULT_RENEWAL_WINDOW_DAYS: Final = 60
MAX_DAYS: Final = 3650
MAX_TITLE: Final = 200
MAX_BYTES: Final = 256 * 1024


@dataclass(frozen=True)
class CertificateRule:
    """One certificate: its titles, validity, renewal window and requirements."""

    id: str
    title: str
    title_en: str
    requirements: tuple[Requirement, ...]
    description: str = ""
    discipline: str | None = None
    validity_days: int = DEFAULT_VALIDITY_DAYS
    renewal_window_days: int = DEFAULT_RENEWAL_WINDOW_DAYS

    @property
    def validity(self) -> timedelta:
        """How long one period lasts."""
        return timedelta(days=self.validity_days)

    @property
    def renewal_window(self) -> timedelta:
        """How long before expiry renewal evidence starts to count."""
        return timedelta(days=self.renewal_window_days)

    @property
    def prerequisites(self) -> tuple[str, ...]:
        """Certificates this one requires, in the order the file names them."""
        return tuple(dict.fromkeys(c for r in self.requirements for c in r.references()))


@dataclass(frozen=True)
class Ruleset:
    """A validated rules file. `order` lists certificate ids prerequisites first."""

    version: str
    certificates: Mapping[str, CertificateRule] = field(default_factory=dict)
    order: tuple[str, ...] = ()

    def certificate(self, certificate_id: str) -> CertificateRule:
        """The rule of one certificate (KeyError if unknown)."""
        return self.certificates[certificate_id]

    def dependents(self, certificate_id: str) -> tuple[str, ...]:
        """Certificates that require `certificate_id`, directly or not, in dependency order."""
        found: set[str] = {certificate_id}
        for other in self.order:
            if any(p in found for p in self.certificates[other].prerequisites):
                found.add(other)
        return tuple(c for c in self.order if c in found and c != certificate_id)


def parse_rules(
    data: Any, content: ContentIndex | None = None
) -> tuple[Ruleset | None, list[PathProblem]]:
    """Validate loaded rules data; the ruleset is None when there is any error."""
    problems: list[PathProblem] = []

    def bad(path: Path, message: str, severity: str = "error") -> None:
        problems.append(PathProblem(path, message, severity))

    if not isinstance(data, dict):
        bad((), "the rules file must be a mapping with version, defaults and certificates")
        return None, problems
    for key in data:
        if key not in TOP_KEYS:
            bad((key,), unknown_key(key, TOP_KEYS))

    version = data.get("version")
    if version is None:
        bad((), "missing required key 'version'")
    elif isinstance(version, bool) or not isinstance(version, int | str) or str(version) == "":
        bad(("version",), "version must be a whole number or a short text")
    elif (isinstance(version, int) and version < 0) or len(str(version)) > 40:
        bad(
            ("version",), "version must be a whole number from 0 or a text of at most 40 characters"
        )

    validity_default = DEFAULT_VALIDITY_DAYS
    window_default = DEFAULT_RENEWAL_WINDOW_DAYS
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        bad(("defaults",), "defaults must be a mapping (validity_days, renewal_window_days)")
    else:
        for key in defaults:
            if key not in DEFAULT_KEYS:
                bad(("defaults", key), unknown_key(key, DEFAULT_KEYS))
        validity_default = _days(defaults, "validity_days", ("defaults",), 1, bad, validity_default)
        window_default = _days(
            defaults, "renewal_window_days", ("defaults",), 0, bad, window_default
        )
        if window_default >= validity_default:
            bad(
                ("defaults", "renewal_window_days"),
                "renewal_window_days must be shorter than validity_days",
            )

    certificates = data.get("certificates")
    rules: dict[str, CertificateRule] = {}
    if certificates is None:
        bad((), "missing required key 'certificates'")
    elif not isinstance(certificates, dict) or not certificates:
        bad(("certificates",), "certificates must be a mapping of certificate id to its rule")
    else:
        for cert_id, spec in certificates.items():
            rule = _parse_certificate(cert_id, spec, validity_default, window_default, problems)
            if rule is not None:
                rules[rule.id] = rule

    order: tuple[str, ...] = ()
    if isinstance(certificates, dict):
        _check_references(certificates, rules, problems)
        order = _dependency_order(rules, problems)
    if content is not None:
        for rule in rules.values():
            for index, requirement in enumerate(rule.requirements):
                for message in requirement.content_warnings(content):
                    bad(("certificates", rule.id, "requirements", index), message, "warning")

    if any(p.severity == "error" for p in problems):
        return None, problems
    assert version is not None
    return Ruleset(version=str(version), certificates=rules, order=order), problems


def unknown_key(key: Any, allowed: tuple[str, ...]) -> str:
    """The message for a key that is not allowed, with the closest allowed one."""
    hint = difflib.get_close_matches(str(key), allowed, n=1)
    also = f"; did you mean '{hint[0]}'?" if hint else ""
    return f"unknown key '{key}' (allowed: {', '.join(allowed)}){also}"


def _days(
    mapping: Mapping[str, Any], key: str, path: Path, low: int, bad: Any, default: int
) -> int:
    value = mapping.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_DAYS:
        bad((*path, key), f"{key} must be a whole number from {low} to {MAX_DAYS}")
        return default
    return value


def _text(spec: Mapping[str, Any], key: str, path: Path, bad: Any, *, required: bool) -> str:
    value = spec.get(key)
    if value is None:
        if required:
            bad(path, f"missing required key '{key}'")
        return ""
    if not isinstance(value, str) or not value.strip():
        bad((*path, key), f"{key} must be non-empty text")
        return ""
    if key != "description" and len(value) > MAX_TITLE:
        bad((*path, key), f"{key} is longer than {MAX_TITLE} characters")
    return value.strip()


def _parse_certificate(
    cert_id: Any,
    spec: Any,
    validity_default: int,
    window_default: int,
    problems: list[PathProblem],
) -> CertificateRule | None:
    path: Path = ("certificates", str(cert_id))
    start = len(problems)

    def bad(where: Path, message: str, severity: str = "error") -> None:
        problems.append(PathProblem(where, message, severity))

    if not isinstance(cert_id, str) or not ID_RE.match(cert_id) or len(cert_id) > 64:
        bad(path, f"certificate id '{cert_id}' must be lowercase letters, digits, '-' or '_'")
    if not isinstance(spec, dict):
        bad(path, "a certificate must be a mapping (title, title_en, requirements, …)")
        return None
    for key in spec:
        if key not in CERTIFICATE_KEYS:
            bad((*path, key), unknown_key(key, CERTIFICATE_KEYS))
    title = _text(spec, "title", path, bad, required=True)
    title_en = _text(spec, "title_en", path, bad, required=True)
    description = _text(spec, "description", path, bad, required=False)
    discipline = spec.get("discipline")
    if discipline is not None and discipline not in DISCIPLINES:
        bad(
            (*path, "discipline"),
            f"unknown discipline '{discipline}' (one of {', '.join(DISCIPLINES)})",
        )
    validity = _days(spec, "validity_days", path, 1, bad, validity_default)
    window = _days(spec, "renewal_window_days", path, 0, bad, window_default)
    if window >= validity:
        where = "renewal_window_days" if "renewal_window_days" in spec else "validity_days"
        bad(
            (*path, where) if where in spec else path,
            f"renewal window ({window} days) must be shorter than the validity ({validity} days)",
        )

    requirements: list[Requirement] = []
    items = spec.get("requirements")
    if items is None:
        bad(path, "missing required key 'requirements'")
    elif not isinstance(items, list) or not items:
        bad((*path, "requirements"), "requirements must be a non-empty list")
    else:
        for index, item in enumerate(items):
            requirement = _parse_requirement(item, (*path, "requirements", index), problems)
            if requirement is None:
                continue
            if requirement in requirements:
                first = requirements.index(requirement) + 1
                bad((*path, "requirements", index), f"the same requirement as #{first}")
            requirements.append(requirement)

    if any(p.severity == "error" for p in problems[start:]):
        return None
    return CertificateRule(
        id=cert_id,
        title=title,
        title_en=title_en,
        description=description,
        discipline=discipline,
        validity_days=validity,
        renewal_window_days=window,
        requirements=tuple(requirements),
    )


def _parse_requirement(item: Any, path: Path, problems: list[PathProblem]) -> Requirement | None:
    if not isinstance(item, dict):
        problems.append(PathProblem(path, "a requirement must be a mapping with a 'kind'"))
        return None
    kind = item.get("kind")
    if kind is None:
        problems.append(PathProblem(path, f"missing required key 'kind' ({', '.join(REGISTRY)})"))
        return None
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        problems.append(
            PathProblem(
                (*path, "kind"), f"unknown requirement kind '{kind}' (one of {', '.join(REGISTRY)})"
            )
        )
        return None
    fields = Fields(item, path, cls.keys)
    requirement = cls.parse(fields)
    problems.extend(fields.problems)
    return requirement


def _check_references(
    specs: Mapping[Any, Any], rules: Mapping[str, CertificateRule], problems: list[PathProblem]
) -> None:
    known = set(specs)
    for rule in rules.values():
        for index, requirement in enumerate(rule.requirements):
            for position, ref in enumerate(requirement.references()):
                if ref not in known:
                    problems.append(
                        PathProblem(
                            (
                                "certificates",
                                rule.id,
                                "requirements",
                                index,
                                "certificates",
                                position,
                            ),
                            f"unknown certificate '{ref}' (known: {', '.join(map(str, specs))})",
                        )
                    )


def _dependency_order(
    rules: Mapping[str, CertificateRule], problems: list[PathProblem]
) -> tuple[str, ...]:
    """Ids with prerequisites first (file order otherwise); each cycle is an error."""
    order: list[str] = []
    state: dict[str, str] = {}  # "visiting" | "done"
    reported: set[frozenset[str]] = set()

    def visit(cert_id: str, trail: list[str]) -> None:
        if state.get(cert_id) == "done":
            return
        if state.get(cert_id) == "visiting":
            cycle = trail[trail.index(cert_id) : -1]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                _report_cycle(cycle, rules, problems)
            return
        state[cert_id] = "visiting"
        for ref in rules[cert_id].prerequisites:
            if ref in rules:
                visit(ref, [*trail, ref])
        state[cert_id] = "done"
        order.append(cert_id)

    for cert_id in rules:
        visit(cert_id, [cert_id])
    return tuple(order)


def _report_cycle(
    cycle: list[str], rules: Mapping[str, CertificateRule], problems: list[PathProblem]
) -> None:
    ids = list(rules)
    first = min(range(len(cycle)), key=lambda i: ids.index(cycle[i]))
    cycle = cycle[first:] + cycle[:first]
    head, after = cycle[0], cycle[1] if len(cycle) > 1 else cycle[0]
    index = next(i for i, r in enumerate(rules[head].requirements) if after in r.references())
    names = " → ".join([*cycle, head])
    problems.append(
        PathProblem(
            ("certificates", head, "requirements", index), f"cycle between certificates: {names}"
        )
    )


def parse_rules_text(
    text: str, file: str, content: ContentIndex | None = None
) -> tuple[Ruleset | None, list[Problem]]:
    """Validate the text of a rules file; problems say ``file:line``."""
    try:
        data, lines, yaml_problems = load_yaml(text)
    except YamlSourceError as exc:
        return None, [Problem(file, exc.line, f"bad YAML: {exc.message}")]
    ruleset, problems = parse_rules(data, content)
    yaml_problems = [_friendly_duplicate(p) for p in yaml_problems]
    located = lines.locate(file, [*yaml_problems, *problems])
    if any(p.severity == "error" for p in located):
        ruleset = None
    return ruleset, sorted(located, key=lambda p: (p.line, p.message))


def _friendly_duplicate(problem: PathProblem) -> PathProblem:
    if len(problem.path) == 2 and problem.path[0] == "certificates":
        message = f"duplicate certificate id '{problem.path[1]}': each id once"
        return PathProblem(problem.path, message, problem.severity)
    return problem


def load_rules(
    path: FilePath, content: ContentIndex | None = None, *, shown: str | None = None
) -> tuple[Ruleset | None, list[Problem]]:
    """Read and validate a rules file; `shown` is the name used in messages (default: path)."""
    name = shown if shown is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(name, 1, f"file is larger than {MAX_BYTES // 1024} KiB")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, raw[: exc.start].count(b"\n") + 1, "file is not UTF-8 text")]
    return parse_rules_text(text, name, content)
