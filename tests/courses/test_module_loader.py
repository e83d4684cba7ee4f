"""The module file format: parsing and validation with file:line messages."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.courses.loader import check_library, load_library, parse_module

GOOD = """---
title: 读懂来意
discipline: look
order: 1
minutes: 5
objectives:
  - 能够区分现实需求与潜在需求
axes: [attitude]
---
## 正文

内容。
"""


def parse(text: str, path: str = "courses/look/01-reading.md"):
    return parse_module(text, path)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_good_module_parses_with_key_and_fields():
    """A well-formed file gives a module with its stable key and fields."""
    module, problems = parse(GOOD)
    assert problems == []
    assert module is not None
    assert module.key == "look/reading"
    assert module.order == 1 and module.minutes == 5
    assert module.objectives == ("能够区分现实需求与潜在需求",)
    assert module.body_line == 10
    assert module.body.startswith("## 正文")


def test_missing_front_matter_is_reported_on_line_1():
    """A file without front matter says so on line 1."""
    _, problems = parse("# just markdown\n")
    assert messages(problems) == [
        "courses/look/01-reading.md:1: missing front matter: the file must start with a "
        "'---' line and close it"
    ]


def test_bad_yaml_reports_its_line():
    """A YAML syntax error points at the line of the file where it is."""
    text = GOOD.replace("minutes: 5", "minutes: [5")
    _, problems = parse(text)
    assert len(problems) == 1
    assert problems[0].line in (6, 7)
    assert "bad YAML" in problems[0].message


def test_unknown_discipline_is_reported_at_its_line():
    """An unknown discipline names itself and its line."""
    _, problems = parse(GOOD.replace("discipline: look", "discipline: stare"))
    assert any(p.line == 3 and "unknown discipline 'stare'" in p.message for p in problems)


def test_discipline_must_match_folder():
    """A module in listen/ declaring look is refused."""
    _, problems = parse(GOOD, "courses/listen/01-reading.md")
    assert any("does not match its folder 'listen'" in p.message and p.line == 3 for p in problems)


def test_missing_title_and_unknown_key():
    """Missing required keys and unknown keys are both reported."""
    text = GOOD.replace("title: 读懂来意\n", "").replace("minutes: 5", "minutes: 5\nauthor: me")
    _, problems = parse(text)
    text_problems = messages(problems)
    assert any("missing required key 'title'" in m for m in text_problems)
    assert any(":5: unknown key 'author'" in m for m in text_problems)


def test_order_must_match_file_prefix():
    """The NN of the file name and `order` agree."""
    _, problems = parse(GOOD, "courses/look/02-reading.md")
    assert any("order 1 does not match the file name prefix 02" in p.message for p in problems)


def test_bad_file_name_and_empty_body():
    """Bad file names and empty bodies are errors."""
    _, problems = parse(GOOD.split("## 正文")[0], "courses/look/Reading.md")
    found = messages(problems)
    assert any("must look like NN-slug.md" in m for m in found)
    assert any("the lesson body is empty" in m for m in found)


def test_duplicate_keys_in_front_matter_are_errors():
    """YAML silently keeps the last duplicate key; we refuse it."""
    _, problems = parse(GOOD.replace("minutes: 5", "minutes: 5\nminutes: 6"))
    assert any(p.line == 6 and "duplicate key 'minutes'" in p.message for p in problems)


def test_unknown_axis_is_reported():
    """Axes must be among the four transformations."""
    _, problems = parse(GOOD.replace("axes: [attitude]", "axes: [attitude, mood]"))
    assert any("unknown axis 'mood'" in p.message for p in problems)


def test_invalid_quiz_is_reported_with_a_line():
    """The quiz block is validated and its problems carry a file line."""
    text = GOOD.replace(
        "axes: [attitude]",
        "axes: [attitude]\nquiz:\n  pass_mark: 80\n  questions:\n"
        "    - kind: singel\n      prompt: x",
    )
    _, problems = parse(text)
    assert problems, "a quiz with an unknown kind must be refused"
    assert all(p.line >= 9 for p in problems)


def test_duplicate_slug_and_order_across_files(tmp_path: Path):
    """Two files with the same order in one discipline: the second is reported."""
    (tmp_path / "look").mkdir()
    (tmp_path / "look" / "01-reading.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "look" / "01-other.md").write_text(GOOD, encoding="utf-8")
    library = load_library(tmp_path)
    assert any("duplicate order 1" in p.message for p in library.problems)
    assert len(library.broken_files()) == 1


def test_non_utf8_file_is_reported(tmp_path: Path):
    """A file in another encoding is reported, not crashed on."""
    (tmp_path / "look").mkdir()
    (tmp_path / "look" / "01-reading.md").write_bytes(GOOD.encode("gb18030"))
    library = load_library(tmp_path)
    assert [p.message for p in library.problems] == ["file is not UTF-8 text"]


def test_check_library_accepts_same_slug_in_other_disciplines():
    """Slugs are unique per discipline only."""
    a, _ = parse(GOOD)
    b, _ = parse(GOOD.replace("discipline: look", "discipline: act"), "courses/act/01-reading.md")
    assert check_library([a, b]) == []


def test_shipped_test_library_is_valid():
    """The hermetic test content used by the web tests validates."""
    library = load_library(Path(__file__).parent.parent / "data" / "courses")
    assert library.errors == []
    assert len(library.modules) == 6


front_matter_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["title", "discipline", "order", "minutes", "objectives", "axes", "quiz", "extra"]
        ),
        front_matter_values,
    ),
    st.text(max_size=200),
)
def test_loader_never_crashes_and_always_locates_problems(data, body):
    """Any front matter gives either a module or problems with a line inside the file."""
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    module, problems = parse(text)
    total_lines = text.count("\n") + 1
    assert (module is None) == any(p.severity == "error" for p in problems)
    for problem in problems:
        assert 1 <= problem.line <= total_lines


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_loader(text):
    """Random text is either a module or a list of problems, never an exception."""
    module, problems = parse(text)
    assert module is not None or problems
