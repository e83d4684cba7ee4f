"""Grade 10,000 random quiz attempts and report the time per attempt.

Builds a realistic quiz with every question kind (12 questions, 10 drawn per
attempt), then for each attempt makes a random paper and a random form (mostly
right, sometimes wrong, missing or malformed) and times ``read_answers`` +
``grade``, the work the web layer does on every submission. Paper making and
form building are not timed.

    python bench/grade_quizzes.py [--attempts 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from academy.quizzes import Quiz, grade, key_form, make_paper, parse_quiz, read_answers

QUIZ: dict[str, Any] = {
    "pass_mark": 80,
    "draw": 10,
    "questions": [
        {
            "kind": "single",
            "prompt": "A resident waits at the window, silent, holding a bill. What first?",
            "options": [
                {"text": "Wait until they speak", "feedback": "Look acts one step ahead."},
                {"text": "Greet them and ask what brought them in", "correct": True},
                {"text": "Point at the queue number machine", "weight": 25},
                {"text": "Carry on with the paperwork"},
            ],
            "feedback": "Read the need, then open the conversation.",
        },
        {
            "kind": "multiple",
            "prompt": "Which of these are among the seven ones at reception?",
            "options": [
                {"text": "Present a smiling face", "correct": True},
                {"text": "Offer a seat", "correct": True},
                {"text": "Listen and write it in the log", "correct": True},
                {"text": "Ask for the resident's ID first"},
                {"text": "Explain which department is to blame"},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "A short planned water cut needs no notice to residents.",
            "answer": False,
            "feedback_true": "Every change to a planned cut is announced in advance.",
            "feedback_false": "Right: 计划停送水电变更告知制.",
        },
        {
            "kind": "matching",
            "prompt": "Match each character to its discipline.",
            "pairs": [
                ["看", "look"],
                ["听", "listen"],
                ["笑", "smile"],
                ["说", "speak"],
                ["动", "act"],
            ],
        },
        {
            "kind": "ordering",
            "prompt": "Put the seven ones in order.",
            "items": [
                "捧出一张笑脸",
                "让出一个座位",
                "进门一声问候",
                "倾听一本记录",
                "答应一句承诺",
                "安排一事落实",
                "出门一声再见",
            ],
        },
        {
            "kind": "short_answer",
            "prompt": "What is the listen practice of one visit and three asks called?",
            "answers": [
                "一访三问",
                "one visit three asks",
                {"text": "一访", "weight": 50, "feedback": "And the three asks?"},
            ],
        },
        {
            "kind": "numeric",
            "prompt": "Within how many metres do you smile at a resident?",
            "answers": [
                {"answer": 1, "tolerance": 0.2, "feedback": "一米见微笑."},
                {"min": 1.5, "max": 3, "weight": 50},
            ],
            "points": 2,
        },
        {
            "kind": "single",
            "prompt": "A repair promise names…",
            "options": [
                {"text": "nothing"},
                {"text": "a day", "weight": 25},
                {"text": "a day and a team", "weight": 50},
                {"text": "a time and your name", "correct": True},
            ],
        },
        {
            "kind": "multiple",
            "prompt": "Which rules belong to act?",
            "options": [
                {"text": "efficiency: no delaying, no leaning on others", "weight": 40},
                {"text": "principle: follow the rules and the facts", "weight": 30},
                {"text": "method: finish the details", "weight": 30},
                {"text": "smooth it over", "weight": -50},
                {"text": "muddle through", "weight": -50},
            ],
        },
        {
            "kind": "matching",
            "prompt": "Match each shift to where it ends.",
            "pairs": [["他律", "自律"], ["粗俗", "文明"], ["生硬", "礼貌"], ["习惯", "标准"]],
        },
        {
            "kind": "short_answer",
            "prompt": "Which meeting hears the units' service complaints each week?",
            "answers": ["周四协调会", "Thursday coordination meeting", "Thursday meeting"],
        },
        {
            "kind": "numeric",
            "prompt": "How many service disciplines are there?",
            "answer": 5,
        },
    ],
}

WRONG = ["0", "1", "2", "3", "9", "x", "", "true", "false", "3.5", "三访一问", "７"]


def build_quiz() -> Quiz:
    """The benchmark quiz, validated."""
    quiz, problems = parse_quiz(QUIZ)
    if quiz is None:
        raise SystemExit(f"benchmark quiz is invalid: {problems}")
    return quiz


def random_form(key: dict[str, list[str]], rng: random.Random) -> dict[str, list[str]]:
    """The key with about a third of its fields wrong, missing or malformed."""
    form: dict[str, list[str]] = {}
    for field, values in key.items():
        roll = rng.random()
        if roll < 0.65:
            form[field] = values
        elif roll < 0.9:
            form[field] = [rng.choice(WRONG) for _ in range(rng.randint(1, 2))]
        # else: missing
    if rng.random() < 0.05:
        form["unrelated"] = ["x" * 1000]
    return form


def main() -> None:
    """Run the benchmark and print ms per attempt and the total."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    quiz = build_quiz()
    rng = random.Random(args.seed)
    timings = []
    scores = []
    for _ in range(args.attempts):
        paper = make_paper(quiz, random.Random(rng.getrandbits(64)))
        form = random_form(key_form(quiz, paper), rng)
        start = time.perf_counter()
        result = grade(quiz, paper, read_answers(quiz, paper, form))
        timings.append(time.perf_counter() - start)
        scores.append(result.score)
    total = sum(timings)
    timings.sort()
    print(f"quiz: {len(quiz.questions)} questions, {quiz.draw} drawn per attempt, all 7 kinds")
    print(f"attempts graded: {args.attempts}")
    print(f"read_answers + grade: {1000 * total / args.attempts:.3f} ms per attempt (mean)")
    median = 1000 * timings[len(timings) // 2]
    p99 = 1000 * timings[int(len(timings) * 0.99)]
    print(f"  median {median:.3f} ms, p99 {p99:.3f} ms")
    print(f"total: {total:.2f} s")
    passed = sum(score >= quiz.pass_mark for score in scores)
    print(f"mean score {statistics.fmean(scores):.1f}, passed {passed} of {args.attempts}")


if __name__ == "__main__":
    main()
