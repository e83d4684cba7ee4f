"""Numbers in content that contradict courses/policy.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.courses.policy import contradictions, load_policy, parse_number

REPO = Path(__file__).resolve().parents[2]
POLICY, _ = load_policy(REPO / "courses")


def found(text: str) -> list[tuple[str, float, str]]:
    return [(c.key, c.number, c.unit) for c in contradictions(text, POLICY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工单办结后48小时内回访用户。", [("follow_up_call_hours", 48, "小时")]),
        ("我们三天后回访您。", [("follow_up_call_hours", 3, "天")]),
        ("提前24小时张贴停电通知。", [("power_outage_notice_days", 24, "小时")]),
        ("停电 | 至少提前三天", [("power_outage_notice_days", 3, "天")]),
        ("5天内书面答复您", [("written_reply_working_days", 5, "天")]),
        ("热线响铃5声内接起", [("answer_within_rings", 5, "")]),
        ("紧急抢修人员60分钟内到场", [("urgent_arrival_minutes", 60, "分钟")]),
        ("提前7天通知停水", [("water_outage_notice_hours", 7, "天")]),
    ],
)
def test_contradicting_numbers_are_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "24小时内回访",
        "二十四小时内回访",
        "第二天回访",  # "the next day" is not a number of days
        "计划停电提前7天通知，停水提前24小时",
        "提前一周通知停电",  # one week is 7 days
        "3个工作日内书面答复",
        "10分钟内给您回电话",
        "45分钟内赶到现场",
        "他等了三天，还没有人来",  # no policy keyword
    ],
)
def test_agreeing_or_unrelated_numbers_are_quiet(text):
    assert found(text) == []


def test_description_names_the_key_value_and_the_placeholder():
    (item,) = contradictions("我们三天后回访您", POLICY)
    message = item.describe(POLICY)
    assert "'三天后回访' says 3 天" in message
    assert (
        "follow_up_call_hours: 24 小时" in message and "{{policy.follow_up_call_hours}}" in message
    )


CHINESE = "零一二三四五六七八九"


def chinese(number: int) -> str:
    """0..199 written in Chinese numerals (二十四, 十, 一百零五 is left out: 一百五)."""
    if number < 10:
        return CHINESE[number]
    if number < 20:
        return "十" + (CHINESE[number % 10] if number % 10 else "")
    if number < 100:
        return CHINESE[number // 10] + "十" + (CHINESE[number % 10] if number % 10 else "")
    rest = number - 100
    if rest == 0:
        return "一百"
    if rest < 10:
        return "一百零" + CHINESE[rest]
    return "一百" + (CHINESE[rest // 10] + "十" + (CHINESE[rest % 10] if rest % 10 else ""))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 199))
def test_parse_number_reads_digits_and_chinese_numerals(number):
    assert parse_number(str(number)) == number
    assert parse_number(chinese(number)) == number


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 200))
def test_follow_up_hours_other_than_24_are_always_found(hours):
    text = f"维修结束后{hours}小时内回访。"
    assert bool(found(text)) == (hours != 24)
