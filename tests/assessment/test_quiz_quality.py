"""Quiz assessment quality: the statistics and each rule, without Flask."""

from __future__ import annotations

import itertools
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.quizzes import parse_quiz
from academy.quizzes.quality import (
    QuizSettings,
    chance_keyed,
    length_clue,
    pooled_length_problems,
    quiz_problems,
    tail_probability,
    text_length,
)

RULES = QuizSettings()


def quiz_of(*questions, **extra):
    quiz, problems = parse_quiz({"pass_mark": 80, **extra, "questions": list(questions)})
    assert quiz is not None, problems
    return quiz


def single(
    key: str, *others: str, prompt: str = "居民在窗口说……您先做什么？", feedback="见第二节。"
):
    options = [{"text": key, "correct": True, "feedback": feedback}]
    options += [{"text": text, "feedback": feedback} for text in others]
    return {"kind": "single", "prompt": prompt, "options": options}


def multiple(correct: list[str], wrong: list[str]):
    options = [{"text": t, "correct": True, "feedback": "对。"} for t in correct]
    options += [{"text": t, "feedback": "不对。"} for t in wrong]
    return {"kind": "multiple", "prompt": "哪些做法对？", "options": options}


LONG_KEY = [
    single("先请他坐下，听他把话说完再记录", "让他排队等候", "马上解释规定", "叫班长来")
    for _ in range(8)
]


def messages(quiz, body=""):
    return [p.message for p in quiz_problems(quiz, body, RULES, ("这不是我的事",))]


# --- statistics -----------------------------------------------------------------------


def test_chance_keyed_is_the_share_of_marked_options_for_one_key():
    assert chance_keyed(4, 1, 1) == pytest.approx(0.25)
    assert chance_keyed(4, 1, 2) == pytest.approx(0.5)
    assert chance_keyed(4, 4, 1) == 1.0
    assert chance_keyed(5, 2, 1) == pytest.approx(2 / 5)
    assert chance_keyed(0, 1, 1) == 0.0


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 7), st.data())
def test_chance_keyed_matches_enumeration(options, data):
    """Over every way to place k keys, the share that hits one of m marked options."""
    keyed = data.draw(st.integers(1, options))
    marked = data.draw(st.integers(1, options))
    placements = list(itertools.combinations(range(options), keyed))
    hits = sum(1 for keys in placements if set(keys) & set(range(marked)))
    assert chance_keyed(options, keyed, marked) == pytest.approx(hits / len(placements))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.floats(0.0, 1.0), st.data())
def test_tail_with_equal_chances_is_the_binomial_tail(items, chance, data):
    hits = data.draw(st.integers(0, items))
    expected = sum(
        comb(items, k) * chance**k * (1 - chance) ** (items - k) for k in range(hits, items + 1)
    )
    assert tail_probability([chance] * items, hits) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=0, max_size=8), st.data())
def test_tail_is_a_probability_decreasing_in_hits_and_matches_enumeration(chances, data):
    hits = data.draw(st.integers(0, len(chances)))
    value = tail_probability(chances, hits)
    assert 0.0 <= value <= 1.0
    assert tail_probability(chances, 0) == pytest.approx(1.0)
    if hits < len(chances):
        assert tail_probability(chances, hits + 1) <= value + 1e-12
    brute = 0.0
    for outcome in itertools.product((0, 1), repeat=len(chances)):
        if sum(outcome) >= hits:
            weight = 1.0
            for bit, chance in zip(outcome, chances, strict=True):
                weight *= chance if bit else 1 - chance
            brute += weight
    assert value == pytest.approx(brute, abs=1e-9)


def test_text_length_ignores_whitespace():
    assert text_length(" 先 听\n再说 ") == 4


# --- length clue ------------------------------------------------------------------------


def test_key_always_longest_is_warned_with_the_numbers():
    quiz = quiz_of(*LONG_KEY)
    clue = length_clue(quiz.questions, "longest")
    assert (len(clue.hits), clue.items, clue.expected) == (8, 8, 2.0)
    assert clue.p_value == pytest.approx(0.25**8)
    (warning,) = [m for m in messages(quiz) if m.startswith("length clue")]
    assert "longest option in 8 of 8 choice items" in warning
    assert "chance 2.0 of 8, p=1.5e-05" in warning and "p < 0.05" in warning


def test_key_longest_by_chance_is_not_warned():
    rotated = [
        single("让他排队等候", "先请他坐下，听他把话说完再记录", "马上解释规定", "叫班长来"),
        single("马上解释规定", "让他排队等候", "先请他坐下，听他把话说完再记录", "叫班长来"),
        single("先请他坐下，听他把话说完再记录", "让他排队等候", "马上解释规定", "叫班长来"),
        single("叫班长来", "让他排队等候", "马上解释规定", "先请他坐下，听他把话说完再记录"),
    ]
    quiz = quiz_of(*rotated)
    assert not [m for m in messages(quiz) if m.startswith("length clue")]


def test_too_few_items_are_not_tested():
    quiz = quiz_of(*LONG_KEY[:3])
    assert not [m for m in messages(quiz) if m.startswith("length clue")]


def test_key_always_shortest_is_warned():
    quiz = quiz_of(
        *[single("先听", "让他排队等候", "马上解释规定", "叫班长来处理") for _ in range(6)]
    )
    assert any("shortest option in 6 of 6" in m for m in messages(quiz))


def test_pooled_length_clue_across_quizzes():
    few = quiz_of(*LONG_KEY[:3])
    (message,) = pooled_length_problems([("look/a", few), ("look/b", few)], RULES, "look")
    assert "6 of 6 choice items" in message and "look/a #1" in message and "look/b #3" in message


# --- choose-all items -----------------------------------------------------------------


def test_all_but_one_and_all_correct_are_warned():
    quiz = quiz_of(
        multiple(["先听", "再记", "后答"], ["先争"]),
        multiple(["先听", "再记"], []),
        multiple(["先听", "再记"], ["先争", "推走"]),
    )
    found = messages(quiz)
    assert any("question 1: all options but one are correct (3 of 4)" in m for m in found)
    assert any("question 2: every option is correct (2 of 2)" in m for m in found)
    assert not any("question 3" in m for m in found)


def test_share_outside_a_third_to_two_thirds_and_same_count_everywhere():
    quiz = quiz_of(*[multiple(["先听"], ["先争", "推走", "挂断"]) for _ in range(3)])
    found = messages(quiz)
    assert any("1 of 4 options are correct (25%)" in m for m in found)
    assert any("all 3 choose-all items have exactly 1 correct options" in m for m in found)


# --- caricatures and short options ----------------------------------------------------


def test_caricature_phrase_in_a_distractor_is_warned_but_not_in_the_key():
    quiz = quiz_of(single("先听他说完再记录", "告诉他这不是我的事", "让他去别的窗口排队"))
    found = messages(quiz)
    assert any("caricature option, question 1 option 2" in m for m in found)
    quiz = quiz_of(single("识别“这不是我的事”这种推诿", "马上解释规定", "让他去别的窗口排队"))
    assert not any("caricature" in m for m in messages(quiz))


def test_option_far_shorter_than_the_rest_is_warned_with_its_share():
    quiz = quiz_of(
        single("先请他坐下，听他说完再记录", "不理", "马上解释收费规定和依据", "请他去别的窗口排队")
    )
    (found,) = [m for m in messages(quiz) if "far shorter" in m]
    assert "question 1 option 2 (a distractor): 2 characters" in found and "below 40%" in found


# --- recall items ---------------------------------------------------------------------


def test_numeric_short_answer_and_true_false_on_a_number_are_recall():
    quiz = quiz_of(
        {"kind": "numeric", "prompt": "回访时限几小时？", "answers": [{"answer": 24}]},
        {"kind": "short_answer", "prompt": "“一访三问”的第一问？", "answers": ["问需求"]},
        {"kind": "true_false", "prompt": "停电需提前7天通知。", "answer": True},
        {"kind": "true_false", "prompt": "先听后说。", "answer": True},
    )
    found = [m for m in messages(quiz) if m.startswith("recall item")]
    assert [m.split(":")[0] for m in found] == [
        "recall item, question 1",
        "recall item, question 2",
        "recall item, question 3",
    ]


def test_key_that_is_a_number_or_copied_from_the_lesson_is_recall():
    body = "## 一访三问\n\n上门时要做到**一访三问**，先问需求。"
    quiz = quiz_of(
        single("24小时", "48小时", "三天"),
        single("一访三问", "一访一问", "三访一问"),
        single("先请他坐下，听他说完", "让他去别的窗口排队", "马上解释收费规定"),
    )
    found = [m for m in messages(quiz, body) if m.startswith("recall item")]
    assert len(found) == 2
    assert "question 1: the answer is a number ('24小时')" in found[0]
    assert "question 2: the answer '一访三问' is a word or phrase copied verbatim" in found[1]


# --- bank and feedback ----------------------------------------------------------------


def test_small_bank_no_draw_and_missing_feedback():
    small = quiz_of(single("先听他说完", "先解释", "先排队", feedback=""))
    found = messages(small)
    assert any("1 questions, at least 15" in m for m in found)
    assert any("no feedback on option 1, 2, 3" in m for m in found)
    bank = quiz_of(*LONG_KEY, *LONG_KEY)
    assert any("no 'draw'" in m for m in messages(bank))
    drawn = quiz_of(*LONG_KEY, *LONG_KEY, draw=10)
    assert not any("no 'draw'" in m or "a bank" in m for m in messages(drawn))


def test_warnings_are_located_under_the_quiz_path():
    quiz = quiz_of(single("先听他说完再记录", "告诉他这不是我的事", "让他去别的窗口排队"))
    problems = quiz_problems(quiz, "", RULES, ("这不是我的事",))
    assert all(p.severity == "warning" for p in problems)
    caricature = next(p for p in problems if "caricature" in p.message)
    assert caricature.path == ("quiz", "questions", 0, "options", 1)
