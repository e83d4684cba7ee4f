"""Papers: drawing and shuffling per attempt, storage, and what a page may show."""

from __future__ import annotations

import json
import random

import pytest
from quizzes.quiz_samples import ALL_KINDS, MATCHING, ORDERING, SINGLE, TRUE_FALSE, quiz_of

from academy.quizzes import (
    Paper,
    PaperItem,
    QuizError,
    check_paper,
    grade,
    make_paper,
    paper_fits,
    present,
    read_answers,
)


def test_same_seed_gives_the_same_paper() -> None:
    """A paper is a function of the quiz and the random generator's seed."""
    quiz = quiz_of(*ALL_KINDS, draw=4)
    assert make_paper(quiz, random.Random(42)) == make_paper(quiz, random.Random(42))


def test_different_seeds_give_different_papers() -> None:
    """Across seeds both the draw and the option order vary."""
    quiz = quiz_of(*ALL_KINDS, draw=4)
    papers = {make_paper(quiz, random.Random(seed)) for seed in range(30)}
    assert len({paper.indices for paper in papers}) > 5
    single_orders = {paper.items[0].order for paper in papers if paper.indices[0] == 0}
    assert len(single_orders) > 1


def test_draw_picks_that_many_distinct_questions_in_file_order() -> None:
    """With draw: N the paper has N distinct questions, sorted by file position."""
    quiz = quiz_of(*ALL_KINDS, draw=3)
    for seed in range(50):
        indices = make_paper(quiz, random.Random(seed)).indices
        assert len(indices) == 3
        assert list(indices) == sorted(set(indices))
        assert all(0 <= i < len(ALL_KINDS) for i in indices)


def test_without_draw_every_question_is_on_the_paper() -> None:
    """No draw means the whole quiz, in file order."""
    quiz = quiz_of(*ALL_KINDS)
    assert make_paper(quiz, random.Random(1)).indices == tuple(range(len(ALL_KINDS)))


def test_true_false_keeps_no_order_and_options_are_permutations() -> None:
    """Only choice, matching and ordering questions carry a shuffled order."""
    quiz = quiz_of(*ALL_KINDS)
    paper = make_paper(quiz, random.Random(3))
    sizes = [len(item.order) for item in paper.items]
    assert sizes == [3, 4, 0, 4, 4, 0, 0]
    assert all(sorted(item.order) == list(range(len(item.order))) for item in paper.items)


def test_ordering_is_never_shown_in_the_correct_order() -> None:
    """Ordering items are always shuffled away from the answer, even with two items."""
    two = quiz_of({"kind": "ordering", "prompt": "p", "items": ["first", "second"]})
    for seed in range(100):
        assert make_paper(two, random.Random(seed)).items[0].order == (1, 0)
    four = quiz_of(ORDERING)
    for seed in range(100):
        assert make_paper(four, random.Random(seed)).items[0].order != (0, 1, 2, 3)


def test_paper_round_trips_through_json() -> None:
    """A stored paper reads back equal, so a reload shows the same paper."""
    quiz = quiz_of(*ALL_KINDS, draw=5)
    paper = make_paper(quiz, random.Random(7))
    assert Paper.from_data(json.loads(json.dumps(paper.to_data()))) == paper


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"questions": None},
        {"questions": [{"index": "0"}]},
        {"questions": [{"index": 0, "order": ["1"]}]},
        {"questions": [{"index": True}]},
    ],
)
def test_paper_from_bad_data_raises_quiz_error(data: object) -> None:
    """Stored paper data of the wrong shape raises QuizError."""
    with pytest.raises(QuizError):
        Paper.from_data(data)


@pytest.mark.parametrize(
    "paper",
    [
        Paper(()),
        Paper((PaperItem(9),)),
        Paper((PaperItem(0, (0, 1, 2)), PaperItem(0, (0, 1, 2)))),
        Paper((PaperItem(0, (0, 1)),)),
        Paper((PaperItem(0, (0, 1, 1)),)),
        Paper((PaperItem(1, (0,)),)),
    ],
)
def test_papers_that_do_not_fit_are_rejected(paper: Paper) -> None:
    """A paper of another quiz revision is refused by present, read_answers and grade."""
    quiz = quiz_of(SINGLE, TRUE_FALSE)
    assert not paper_fits(quiz, paper)
    with pytest.raises(QuizError):
        check_paper(quiz, paper)
    with pytest.raises(QuizError):
        present(quiz, paper)
    with pytest.raises(QuizError):
        read_answers(quiz, paper, {})


def test_presented_questions_follow_the_paper() -> None:
    """Numbers are file positions; options carry file indices in the paper's order."""
    quiz = quiz_of(TRUE_FALSE, SINGLE, MATCHING, ORDERING)
    paper = Paper(
        (
            PaperItem(1, (2, 0, 1)),
            PaperItem(2, (3, 1, 0, 2)),
            PaperItem(3, (1, 0, 3, 2)),
        )
    )
    single, matching, ordering = present(quiz, paper)
    assert (single.number, single.field, single.kind) == (2, "q2", "single")
    assert single.options == (
        (2, "Point at the queue"),
        (0, "Wait until they speak"),
        (1, "Greet them and ask"),
    )
    assert matching.lefts == ((0, "看"), (1, "听"), (2, "笑"), (3, "说"))
    assert matching.choices == ((3, "speak"), (1, "listen"), (0, "look"), (2, "smile"))
    assert matching.subfield(2) == "q3-2"
    assert [text for _, text in ordering.items] == [
        "offer a seat",
        "present a smiling face",
        "listen and write it down",
        "greet",
    ]
    assert ordering.positions == (1, 2, 3, 4)


SECRETS = [
    "FEEDBACK-SENTINEL",
    "GENERAL-SENTINEL",
    "SECRET-ANSWER",
    "98765",
    "0.4321",
    "37",
    "correct",
    "weight",
    "feedback",
    '"answer',
    "answer=",
    "answers",
    "tolerance",
    "credit",
]


def test_presented_view_leaks_no_key_weight_or_feedback() -> None:
    """Serialised, the pre-submission view contains no correct flag, weight, feedback or answer."""
    quiz = quiz_of(
        {
            "kind": "single",
            "prompt": "Pick one",
            "options": [
                {"text": "alpha", "correct": True, "feedback": "FEEDBACK-SENTINEL a"},
                {"text": "beta", "weight": 37, "feedback": "FEEDBACK-SENTINEL b"},
            ],
            "feedback": "GENERAL-SENTINEL",
        },
        {
            "kind": "multiple",
            "prompt": "Pick some",
            "options": [
                {"text": "gamma", "weight": 63, "feedback": "FEEDBACK-SENTINEL c"},
                {"text": "delta", "weight": 37},
                {"text": "epsilon", "weight": -37},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "Say so",
            "answer": True,
            "feedback_true": "FEEDBACK-SENTINEL t",
            "feedback_false": "FEEDBACK-SENTINEL f",
        },
        {"kind": "short_answer", "prompt": "Type it", "answers": ["SECRET-ANSWER"]},
        {"kind": "numeric", "prompt": "Number", "answer": 98765.4321, "tolerance": 0.4321},
        {"kind": "matching", "prompt": "Match", "pairs": [["one", "uno"], ["two", "dos"]]},
        {"kind": "ordering", "prompt": "Order", "items": ["first", "second", "third"]},
    )
    for seed in range(10):
        shown = present(quiz, make_paper(quiz, random.Random(seed)))
        serialised = json.dumps([q.to_data() for q in shown], ensure_ascii=False) + repr(shown)
        for secret in SECRETS:
            assert secret not in serialised, secret


def test_order_on_the_paper_does_not_change_the_grade() -> None:
    """Form values are file indices, so the display order never changes the result."""
    quiz = quiz_of(*ALL_KINDS)
    form = {"q1": ["1"], "q2": ["0", "3"], "q4-0": ["0"], "q4-1": ["2"], "q5-0": ["1"]}
    results = {
        grade(quiz, paper, read_answers(quiz, paper, form))
        for paper in (make_paper(quiz, random.Random(seed)) for seed in range(20))
    }
    assert len(results) == 1
