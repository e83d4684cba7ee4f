"""The rules file format: parsing, validation and `file:line` messages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from certification.cert_support import CONTENT, DATA, RULES

from academy.certification import (
    REGISTRY,
    CertificatesHeld,
    ContentIndex,
    DrillsPassed,
    ModulesCompleted,
    Observation,
    QuizzesPassed,
    load_rules,
    parse_rules,
    parse_rules_text,
)


def check(name: str, content: ContentIndex | None = CONTENT) -> tuple[object, list[str]]:
    """Load tests/data/certification/<name>.yaml; problems as `file:line: message` strings."""
    ruleset, problems = load_rules(DATA / f"{name}.yaml", content, shown=f"{name}.yaml")
    return ruleset, [str(p) for p in problems]


def test_good_file_parses_into_rules_in_dependency_order():
    """A valid file gives certificates with defaults applied and prerequisites first."""
    ruleset, messages = check("good", None)
    assert messages == []
    assert ruleset is not None
    assert ruleset.version == "2"
    assert ruleset.order == ("look", "smile", "both")
    look = ruleset.certificate("look")
    assert look.title == "看 · 修炼合格证" and look.title_en == "Look — Certified"
    assert look.validity == timedelta(days=365) and look.renewal_window == timedelta(days=60)
    assert look.requirements == (
        ModulesCompleted("look"),
        QuizzesPassed("look"),
        DrillsPassed("look", count=2, min_score=70.0),
    )
    smile = ruleset.certificate("smile")
    assert (smile.validity_days, smile.renewal_window_days) == (180, 30)
    assert ruleset.certificate("both").prerequisites == ("look", "smile")
    assert ruleset.dependents("look") == ("both",)


def test_requirement_defaults_for_renewal():
    """Lessons count at any date on renewal; quizzes, drills and observations must be recent."""
    assert ModulesCompleted("look").renewal == "any"
    assert QuizzesPassed("look").renewal == "recent"
    assert DrillsPassed("look").renewal == "recent"
    assert Observation().renewal == "recent"


def test_registry_names_every_kind():
    """The registry maps each kind name to its class."""
    assert REGISTRY == {
        "modules_completed": ModulesCompleted,
        "quizzes_passed": QuizzesPassed,
        "drills_passed": DrillsPassed,
        "certificates_held": CertificatesHeld,
        "observation": Observation,
    }


def test_content_warnings_for_requirements_that_can_never_be_met():
    """With a content index, no lessons or too few drills for a count are warnings, not errors."""
    ruleset, messages = check("good")
    assert ruleset is not None
    assert messages == [
        "good.yaml:26: warning: no published lessons in 'smile': this can never be met",
        "good.yaml:28: warning: only 1 published drill(s) exercise 'smile' but count is 3:"
        " this can never be met",
    ]


def test_no_quizzes_in_a_discipline_is_a_warning():
    """A quizzes_passed requirement on a discipline without quizzes is flagged."""
    data = {
        "version": 1,
        "certificates": {
            "c": {
                "title": "C",
                "title_en": "C",
                "requirements": [{"kind": "quizzes_passed", "discipline": "smile"}],
            }
        },
    }
    ruleset, problems = parse_rules(data, CONTENT)
    assert ruleset is not None
    assert [(p.path, p.severity) for p in problems] == [
        (("certificates", "c", "requirements", 0), "warning")
    ]
    assert "no published quizzes in 'smile'" in problems[0].message


def test_unknown_requirement_kind_names_the_line_and_the_known_kinds():
    """An unknown kind is an error on its line, listing the registered kinds."""
    ruleset, messages = check("unknown-kind")
    assert ruleset is None
    assert messages == [
        "unknown-kind.yaml:9: unknown requirement kind 'lessons_read' (one of modules_completed,"
        " quizzes_passed, drills_passed, certificates_held, observation)"
    ]


def test_unknown_discipline_on_certificate_and_requirement():
    """Disciplines outside the five are errors where they are written."""
    ruleset, messages = check("unknown-discipline")
    assert ruleset is None
    assert messages == [
        "unknown-discipline.yaml:6: unknown discipline 'see' (one of look, listen, smile, speak,"
        " act)",
        "unknown-discipline.yaml:9: unknown discipline 'watch' (one of look, listen, smile, speak,"
        " act)",
    ]


def test_unknown_certificate_reference_points_at_the_list_item():
    """A certificates_held entry naming no certificate is an error on that item's line."""
    ruleset, messages = check("unknown-certificate")
    assert ruleset is None
    assert messages == [
        "unknown-certificate.yaml:16: unknown certificate 'listen' (known: look, five)"
    ]


def test_cycles_are_named_once_each():
    """A cycle between certificates is one error naming the whole cycle; self-reference too."""
    ruleset, messages = check("cycle")
    assert ruleset is None
    assert messages == [
        "cycle.yaml:7: cycle between certificates: five → look → smile → five",
        "cycle.yaml:27: cycle between certificates: self → self",
    ]


def test_bad_numbers_are_reported_with_their_lines():
    """Days, counts, scores and the version must be numbers in range; window < validity."""
    ruleset, messages = check("bad-numbers")
    assert ruleset is None
    assert messages == [
        "bad-numbers.yaml:1: version must be a whole number or a short text",
        "bad-numbers.yaml:3: validity_days must be a whole number from 1 to 3650",
        "bad-numbers.yaml:4: renewal_window_days must be a whole number from 0 to 3650",
        "bad-numbers.yaml:10: renewal window (30 days) must be shorter than the validity (30 days)",
        "bad-numbers.yaml:14: count must be a whole number from 1 to 100",
        "bad-numbers.yaml:15: min_score must be a number from 0 to 100",
        "bad-numbers.yaml:19: validity_days must be a whole number from 1 to 3650",
        "bad-numbers.yaml:23: count must be a whole number from 1 to 100",
        "bad-numbers.yaml:24: min_score must be a number from 0 to 100",
    ]


def test_unknown_keys_suggest_the_closest_allowed_key():
    """Unknown keys at every level are errors; a typo gets a 'did you mean'."""
    ruleset, messages = check("unknown-keys")
    assert ruleset is None
    assert messages == [
        "unknown-keys.yaml:2: unknown key 'default' (allowed: version, defaults, certificates);"
        " did you mean 'defaults'?",
        "unknown-keys.yaml:8: unknown key 'validity' (allowed: title, title_en, description,"
        " discipline, validity_days, renewal_window_days, requirements);"
        " did you mean 'validity_days'?",
        "unknown-keys.yaml:12: unknown key 'cuont' (allowed: kind, discipline, count, min_score,"
        " renewal); did you mean 'count'?",
        "unknown-keys.yaml:15: renewal must be one of recent, any",
    ]


def test_duplicates_ids_requirements_and_references():
    """Duplicate certificate ids, repeated requirements and repeated references are errors."""
    ruleset, messages = check("duplicate-ids")
    assert ruleset is None
    assert messages == [
        "duplicate-ids.yaml:9: duplicate certificate id 'look': each id once",
        "duplicate-ids.yaml:15: the same requirement as #1",
        "duplicate-ids.yaml:17: certificate id 'Five Star' must be lowercase letters, digits,"
        " '-' or '_'",
        "duplicate-ids.yaml:22: certificate 'look' listed twice",
    ]


def test_observation_is_reserved_a_warning_but_valid():
    """An observation requirement parses, with a warning that it cannot be met yet."""
    ruleset, messages = check("observation", None)
    assert ruleset is not None
    assert ruleset.version == "draft-2"
    assert ruleset.certificate("field").requirements == (Observation("act"),)
    assert messages == [
        "observation.yaml:7: warning: observation requirements are reserved and not evaluated"
        " yet: a certificate that asks for one cannot be issued"
    ]


def test_not_a_mapping_and_bad_yaml():
    """A list instead of a mapping, and YAML syntax errors, are reported on a line."""
    assert check("not-a-mapping")[1] == [
        "not-a-mapping.yaml:1: the rules file must be a mapping with version, defaults and"
        " certificates"
    ]
    ruleset, messages = check("bad-yaml")
    assert ruleset is None
    assert len(messages) == 1 and messages[0].startswith("bad-yaml.yaml:4: bad YAML:")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"certificates": {}}, "missing required key 'version'"),
        ({"version": 1}, "missing required key 'certificates'"),
        ({"version": 1, "certificates": []}, "certificates must be a mapping"),
        ({"version": 1, "defaults": [], "certificates": {}}, "defaults must be a mapping"),
        ({"version": -1, "certificates": {}}, "version must be a whole number from 0"),
        ({"version": "x" * 41, "certificates": {}}, "at most 40 characters"),
    ],
)
def test_top_level_problems(data, message):
    """Missing or malformed top-level keys are errors."""
    ruleset, problems = parse_rules(data)
    assert ruleset is None
    assert any(message in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {
                "title_en": "C",
                "requirements": [{"kind": "modules_completed", "discipline": "look"}],
            },
            "missing required key 'title'",
        ),
        ({"title": " ", "title_en": "C", "requirements": []}, "title must be non-empty text"),
        ({"title": "C", "title_en": "C"}, "missing required key 'requirements'"),
        ({"title": "C", "title_en": "C", "requirements": []}, "requirements must be a non-empty"),
        ({"title": "C", "title_en": "C", "requirements": ["x"]}, "must be a mapping with a 'kind'"),
        (
            {"title": "C", "title_en": "C", "requirements": [{"discipline": "look"}]},
            "missing required key 'kind'",
        ),
        (
            {"title": "C", "title_en": "C", "requirements": [{"kind": "modules_completed"}]},
            "missing required key 'discipline'",
        ),
        (
            {"title": "C", "title_en": "C", "requirements": [{"kind": "certificates_held"}]},
            "certificates must be a non-empty list",
        ),
        (
            {
                "title": "C",
                "title_en": "C",
                "requirements": [{"kind": "certificates_held", "certificates": [3]}],
            },
            "item 1 must be a certificate id",
        ),
        ("just text", "a certificate must be a mapping"),
        (
            {"title": "C" * 201, "title_en": "C", "requirements": [{"kind": "observation"}]},
            "longer than 200",
        ),
    ],
)
def test_certificate_problems(spec, message):
    """Each malformed certificate entry gets an error saying what is wrong."""
    ruleset, problems = parse_rules({"version": 1, "certificates": {"c": spec}})
    assert ruleset is None
    assert any(message in p.message for p in problems), problems


def test_requirement_errors_do_not_hide_other_certificates_errors():
    """Validation is complete: every certificate's problems are reported in one pass."""
    data = {
        "version": 1,
        "certificates": {
            "a": {"title": "A", "title_en": "A", "requirements": [{"kind": "nope"}]},
            "b": {"title": "B", "title_en": "B", "requirements": [{"kind": "quizzes_passed"}]},
        },
    }
    _, problems = parse_rules(data)
    assert [p.path[:2] for p in problems if p.severity == "error"] == [
        ("certificates", "a"),
        ("certificates", "b"),
    ]


def test_parse_rules_text_reads_the_same_as_the_data():
    """Text and data parse to the same ruleset (the version is kept as text)."""
    text = (DATA / "good.yaml").read_text("utf-8")
    from_text, problems = parse_rules_text(text, "good.yaml")
    import yaml

    from_data, _ = parse_rules(yaml.safe_load(text))
    assert problems == []
    assert from_text == from_data


def test_unreadable_and_non_utf8_files(tmp_path: Path):
    """A missing file or a non-UTF-8 file is one problem on a line, not an exception."""
    ruleset, problems = load_rules(tmp_path / "nope.yaml")
    assert ruleset is None and "cannot read file" in problems[0].message
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"version: 1\ncertificates:\n  c: {title: \xe9}\n")
    ruleset, problems = load_rules(latin, shown="latin.yaml")
    assert ruleset is None and str(problems[0]) == "latin.yaml:3: file is not UTF-8 text"


def test_shared_rules_fixture_is_valid():
    """The rules used by the other tests parse without problems against the test content."""
    ruleset, problems = parse_rules(RULES, CONTENT)
    assert ruleset is not None and problems == []
