"""Readable diffs of two revisions: fields and lines (no Flask)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from academy.studio.diff import diff_texts

LESSON = """---
title: 一米见微笑
discipline: smile
order: 1
objectives:
  - 能够在一米之内微笑
---

## 第一节

第一段。
第二段。
"""


def test_a_changed_title_and_line_are_both_shown() -> None:
    new = LESSON.replace("一米见微笑\n", "一米之内见微笑\n").replace("第二段。", "第二段，改过。")
    diff = diff_texts("module", LESSON, new)
    assert [(f.name, f.old, f.new) for f in diff.fields] == [
        ("title", "一米见微笑", "一米之内见微笑")
    ]
    removed = [line for line in diff.lines if line.op == "-"]
    added = [line for line in diff.lines if line.op == "+"]
    assert [line.text for line in removed] == ["title: 一米见微笑", "第二段。"]
    assert [(line.new_number, line.text) for line in added] == [
        (2, "title: 一米之内见微笑"),
        (12, "第二段，改过。"),
    ]
    assert (diff.added, diff.removed) == (2, 2)


def test_drill_nodes_are_compared_one_by_one() -> None:
    old = "title: t\nnodes:\n  a:\n    text: 一\n  b:\n    text: 二\n"
    new = "title: t\nnodes:\n  a:\n    text: 一\n  b:\n    text: 三\n  c:\n    text: 四\n"
    diff = diff_texts("drill", old, new)
    assert [(f.name, f.old, f.new) for f in diff.fields] == [
        ("nodes.b", "text: 二", "text: 三"),
        ("nodes.c", None, "text: 四"),
    ]


def test_broken_yaml_still_gives_a_line_diff() -> None:
    diff = diff_texts("drill", "a: [\n", "b: [\n")
    assert diff.fields == ()
    assert diff.added == 1 and diff.removed == 1


@settings(max_examples=50)
@given(st.lists(st.text("ab一二\n ", max_size=8), max_size=10), st.data())
def test_applying_the_diff_gives_the_new_text(lines: list[str], data: st.DataObject) -> None:
    old = "\n".join(lines)
    new = "\n".join(data.draw(st.lists(st.sampled_from([*lines, "新"]), max_size=10)))
    diff = diff_texts("drill", old, new, context=10_000)
    if old.splitlines() == new.splitlines():
        assert diff.empty or diff.fields
        return
    rebuilt = [line.text for line in diff.lines if line.op in " +"]
    kept_old = [line.text for line in diff.lines if line.op in " -"]
    assert rebuilt == new.splitlines()
    assert kept_old == old.splitlines()
