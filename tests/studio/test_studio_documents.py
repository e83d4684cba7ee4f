"""A lesson file as the studio's form fields and back (no Flask)."""

from __future__ import annotations

import pytest

from academy.studio.documents import DocumentError, edit_lesson, split_lesson

LESSON = """---
title: 一米见微笑
discipline: smile
order: 1
scripts: [您好，请坐]
quiz:
  pass_mark: 80
  questions: []
---

旧课文。
"""


def _edit(**changes):
    fields = dict(
        title="新标题",
        order=1,
        minutes=5,
        objectives="能够微笑\n\n能够问候",
        axes=["attitude"],
        body="新课文。",
        quiz_yaml="pass_mark: 60\nquestions: []\n",
        file_order=1,
    )
    fields.update(changes)
    return edit_lesson(LESSON, **fields)


def test_the_form_replaces_its_fields_and_keeps_the_others() -> None:
    parts = split_lesson(_edit())
    assert parts.front["title"] == "新标题"
    assert parts.front["objectives"] == ["能够微笑", "能够问候"]
    assert parts.front["scripts"] == ["您好，请坐"]  # not a form field: kept
    assert parts.front["discipline"] == "smile"
    assert parts.front["quiz"]["pass_mark"] == 60
    assert parts.body.strip() == "新课文。"


def test_the_order_in_the_file_name_cannot_change() -> None:
    with pytest.raises(DocumentError) as refused:
        _edit(order=2)
    assert refused.value.field == "order"


def test_a_broken_quiz_names_its_line() -> None:
    with pytest.raises(DocumentError) as refused:
        _edit(quiz_yaml="pass_mark: 60\nquestions: [\n")
    assert refused.value.field == "quiz" and refused.value.line is not None
