"""Hostile content: files beyond a limit are one `file:line` error, never a hang or a crash.

Each case comes from the hardening probe (issue 18): nested lists that crashed
the sync, paragraphs of links that took minutes to render, YAML anchor bombs,
GIFT files that took 43 s or were `/dev/zero`, and links out of the content folder.
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.catalog.scenario_files import read_scenario_file, validate_twee_text
from academy.courses.loader import load_library, parse_module, read_text
from academy.courses.render import (
    MAX_LINKS_PER_PARAGRAPH,
    MAX_NESTING,
    MarkdownLimitError,
    markdown_limit,
    render_markdown,
)
from academy.quizzes.gift import MAX_GIFT_CHARS, parse_gift
from academy.scenarios.parse import validate_scenario_text
from academy.sourcemap import YamlSourceError, load_plain_yaml, load_yaml

FRONT = "---\ntitle: 测试\ndiscipline: act\norder: 1\n---\n"
PATH = "act/01-test.md"

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8)
)


def nested_list(levels: int, indent: int = 4) -> str:
    return "".join(" " * (indent * level) + "- 一项\n" for level in range(levels))


def errors(problems):
    return [p for p in problems if p.severity == "error"]


# --- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[a](b) " * 5000, 1, "links or brackets in one paragraph"),
        ("正文\n\n" + nested_list(200, 2), 3 + 33, "nested more than"),
        ("> " * 40 + "引用\n", 1, "nested more than"),
        ("[a](" * 1000, 1, "brackets nested"),
        ("x" * 400_000, 1, "characters; at most"),
    ],
)
def test_markdown_beyond_a_limit_is_named_with_its_line(text: str, line: int, words: str) -> None:
    started = time.perf_counter()
    problem = markdown_limit(text)
    assert problem is not None and words in problem.message
    assert problem.line == line
    with pytest.raises(MarkdownLimitError):
        render_markdown(text)
    assert time.perf_counter() - started < 2


def test_ordinary_markdown_is_within_the_limits() -> None:
    text = "## 标题\n\n- [ ] 看\n- [x] 听，见[指南](https://example.org)\n\n> 引用\n"
    assert markdown_limit(text) is None
    nested = nested_list(MAX_NESTING)
    assert markdown_limit(nested) is None
    links = "[a](https://b) " * MAX_LINKS_PER_PARAGRAPH
    assert markdown_limit(links) is None
    assert markdown_limit(links + "[c](d)") is not None


def test_a_lesson_beyond_a_limit_is_an_error_at_its_line() -> None:
    body = "第一段。\n\n" + "[a](b) " * 200 + "\n"
    module, problems = parse_module(FRONT + body, PATH)
    assert module is None
    (problem,) = errors(problems)
    assert problem.line == 8  # front matter is lines 1-5, the body starts at 6
    assert "links or brackets" in problem.message


def test_a_bad_lesson_never_stops_the_others(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(Path(__file__).parents[1] / "data" / "courses", root)
    (root / "act" / "09-bomb.md").write_text(
        FRONT.replace("order: 1", "order: 9") + nested_list(200, 2), encoding="utf-8"
    )
    library = load_library(root)
    assert [str(p) for p in library.errors] == [
        "courses/act/09-bomb.md:39: nested more than 16 levels deep (lists or quotes)"
    ]
    assert any(m.key == "act/needs-are-commands" for m in library.modules)


# --- YAML -------------------------------------------------------------------------------


def test_a_yaml_anchor_bomb_is_refused_at_once() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(YamlSourceError, match="more than 100,000 values"):
        load_yaml(BOMB)
    with pytest.raises(YamlSourceError):
        load_plain_yaml(BOMB)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - started < 1
    assert peak < 20 * 2**20


def test_small_anchors_are_still_allowed() -> None:
    data, _, _ = load_yaml("base: &b {x: 1}\nother: *b\n")
    assert data == {"base": {"x": 1}, "other": {"x": 1}}


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, "".join(f"{' ' * i}k:\n" for i in range(200))]
)
def test_deep_yaml_is_refused(text: str) -> None:
    with pytest.raises(YamlSourceError, match="nested"):
        load_yaml(text)


def test_an_anchor_bomb_in_front_matter_is_one_error() -> None:
    text = FRONT.replace("order: 1\n", "order: 1\n" + BOMB.replace("a:", "x_a:", 1))
    module, problems = parse_module(text, PATH)
    assert module is None
    assert any("more than 100,000 values" in p.message for p in problems)


def test_an_anchor_bomb_in_a_drill_is_one_error() -> None:
    scenario, problems = validate_scenario_text(BOMB, "bomb.yaml")
    assert scenario is None
    assert [p.line for p in errors(problems) if "100,000" in p.message] == [1]


def test_an_anchor_bomb_in_a_twee_story_block_is_one_error() -> None:
    twee = ":: StoryTitle\n炸弹\n\n:: StoryAcademy\n" + BOMB + "\n:: 开始\n你好\n"
    started = time.perf_counter()
    scenario, problems = validate_twee_text(twee, "bomb.twee", "bomb", None)
    assert scenario is None
    assert any("100,000" in p.message for p in problems)
    assert time.perf_counter() - started < 2


def test_a_drill_text_beyond_a_limit_names_its_line() -> None:
    text = (
        "title: 测试\nstart: a\nnodes:\n  a:\n    text: '"
        + "[x](y) " * 100
        + "'\n    ending: success\n    summary: 好\n"
    )
    scenario, problems = validate_scenario_text(text, "t.yaml")
    assert scenario is None
    assert any(p.line == 5 and "links or brackets" in p.message for p in problems)


# --- GIFT -------------------------------------------------------------------------------


def test_gift_limits() -> None:
    started = time.perf_counter()
    questions, problems = parse_gift("Q {" + "~x " * 30000 + "=y}")
    assert questions == [] and "answers in one question" in problems[0].message
    questions, problems = parse_gift("\x00" * 1000)
    assert questions == [] and "NUL" in problems[0].message
    questions, problems = parse_gift("::Q:: 问 {=对 ~错}\n\n" * (MAX_GIFT_CHARS // 10))
    assert questions == [] and "split it" in problems[0].message
    assert time.perf_counter() - started < 2


def test_the_gift_command_refuses_dev_zero(runner) -> None:
    from academy.cli import cli

    args = ["quiz", "import-gift", "/dev/zero", "--module", "act/needs-are-commands"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "not a regular file" in result.output


# --- Files and links --------------------------------------------------------------------


def test_a_link_out_of_the_content_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    (root / "act").mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text(FRONT + "机密\n", encoding="utf-8")
    os.symlink(secret, root / "act" / "01-test.md")
    os.symlink("/etc/passwd", root / "act" / "02-passwd.md")
    library = load_library(root)
    assert library.modules == []
    refused = "the file is a link that leads out of the content folder; refused"
    assert sorted((p.file, p.message) for p in library.problems) == [
        ("courses/act/01-test.md", refused),
        ("courses/act/02-passwd.md", refused),
    ]
    drills = tmp_path / "scenarios"
    drills.mkdir()
    os.symlink("/etc/passwd", drills / "passwd.yaml")
    source = read_scenario_file(drills / "passwd.yaml", drills)
    assert "leads out of the content folder" in source.problems[0].message


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    (root / "act").mkdir(parents=True)
    (root / "act" / "real.txt").write_text(FRONT + "正文\n", encoding="utf-8")
    os.symlink(root / "act" / "real.txt", root / "act" / "01-test.md")
    text, problems = read_text(root / "act" / "01-test.md", "act/01-test.md", root)
    assert problems == [] and text is not None and "正文" in text


# --- Fuzz: every reader returns problems within time and memory bounds --------------------

MARKDOWN_ALPHABET = "[]()!*_`>#-+1. \n\t\\<a/>:|~=汉字"
YAML_ALPHABET = "&*ab:-[]{},'\"\n !|>#?%"
GIFT_ALPHABET = "{}=~#:%\\-> \n问答TF0123.[]"
TWEE_ALPHABET = ':[]<>|-{}"$ \n节点文字StoryAcademyData'
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def bounded(call, *args):
    """Run `call`, asserting it stays within 3 s and 50 MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return call(*args)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert time.perf_counter() - started < 3
        assert peak < 50 * 2**20


@FUZZ
@given(st.text(alphabet=MARKDOWN_ALPHABET, max_size=3000))
def test_fuzz_markdown(text: str) -> None:
    try:
        bounded(render_markdown, text)
    except MarkdownLimitError as exc:
        assert exc.line >= 1


@FUZZ
@given(st.text(alphabet=YAML_ALPHABET, max_size=600))
def test_fuzz_yaml(text: str) -> None:
    try:
        bounded(load_yaml, text)
    except YamlSourceError as exc:
        assert exc.line >= 1


@FUZZ
@given(st.text(alphabet=GIFT_ALPHABET, max_size=2000), st.booleans())
def test_fuzz_gift(text: str, lenient: bool) -> None:
    questions, problems = bounded(lambda: parse_gift(text, lenient=lenient))
    assert all(p.line >= 1 for p in problems)


@FUZZ
@given(st.text(alphabet=TWEE_ALPHABET, max_size=1500))
def test_fuzz_twee(text: str) -> None:
    scenario, problems = bounded(validate_twee_text, text, "f.twee", "f", None)
    assert scenario is not None or problems
