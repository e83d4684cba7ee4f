"""Handouts from content: `scripts:` in front matter, checklists, the pre-shift situation."""

from __future__ import annotations

import pytest

from academy.courses.handouts import checklist_of, module_handout, pocket_card
from academy.courses.loader import parse_module

HEAD = """---
title: 测试
discipline: look
order: 1
{extra}quiz:
  pass_mark: 80
  questions:
    - kind: true_false
      prompt: 判断
      answer: true
    - kind: single
      prompt: 居民站在窗口前，你先做什么？
      options:
        - text: 等他开口
          feedback: 慢了一步。
        - text: 起身问候
          correct: true
          feedback: 对，先问候。
---
## 正文

- [ ] 起身 **问候**
* [x] 看手里的东西
- 普通列表不算
"""


def module(extra: str = ""):
    found, problems = parse_module(HEAD.format(extra=extra), "look/01-test.md")
    return found, problems


def test_scripts_are_read_from_front_matter():
    """Up to four short phrases, trimmed, kept in order."""
    found, problems = module("scripts:\n  - ' 您好，请坐 '\n  - 我帮您看一下\n")
    assert problems == [] and found.scripts == ("您好，请坐", "我帮您看一下")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("scripts: 您好\n", "scripts must be a list"),
        ("scripts: [a, b, c, d, e]\n", "at most 4"),
        ("scripts: ['']\n", "non-empty phrase"),
        (f"scripts: ['{'长' * 61}']\n", "at most 60"),
        ("scripts: [1]\n", "non-empty phrase"),
    ],
)
def test_bad_scripts_are_errors_on_their_line(extra, message):
    """Each problem names the line of `scripts:` or of the phrase."""
    found, problems = module(extra)
    assert found is None
    (problem,) = problems
    assert message in problem.message and problem.line in (5, 6)


def test_the_checklist_is_the_task_list_of_the_body():
    """``- [ ]`` and ``* [x]`` lines, emphasis dropped; plain list items are not."""
    assert checklist_of(module()[0].body) == ("起身 问候", "看手里的东西")


def test_the_handout_takes_the_first_single_choice_situation_with_its_key():
    """The pre-shift guide's situation, options in file order, the key and why."""
    handout = module_handout(module()[0])
    assert handout["situation"] == {
        "prompt": "居民站在窗口前，你先做什么？",
        "options": ["等他开口", "起身问候"],
        "answer": "起身问候",
        "why": "对，先问候。",
    }
    assert sum(minutes for _part, minutes in handout["timing"]) == 10
    assert handout["scripts"] == [] and handout["checklist"] == ["起身 问候", "看手里的东西"]


def test_the_pocket_card_has_scripts_in_front_and_checklists_behind():
    """Modules without scripts or checklists leave that side alone."""
    card = pocket_card(
        [
            ("look/a", "甲", {"scripts": ["您好"], "checklist": []}),
            ("look/b", "乙", {"scripts": [], "checklist": ["看人"]}),
        ]
    )
    assert card == {
        "front": [{"key": "look/a", "title": "甲", "lines": ["您好"]}],
        "back": [{"key": "look/b", "title": "乙", "lines": ["看人"]}],
    }
