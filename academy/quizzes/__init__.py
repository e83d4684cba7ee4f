"""Quizzes (pure domain): question kinds, papers, grading, statistics, GIFT.

No web, no database: the web layer parses the request, calls these functions
and stores their JSON-able data (`Quiz.to_data`, `Paper.to_data`,
`Answers.to_data`, `Result.to_data`). The flow of one attempt::

    quiz, problems = parse_quiz(front_matter["quiz"])      # validated at sync
    paper = make_paper(quiz, random.Random(seed))          # stored with the attempt
    shown = present(quiz, paper)                           # the page: no answer keys
    answers = read_answers(quiz, paper, form)              # form: Mapping[str, list[str]]
    result = grade(quiz, paper, answers)                   # score, passed, feedback

See ``docs/formats-quiz.md`` for the quiz YAML schema, the form contract,
grading rules and the GIFT mapping.
"""

from __future__ import annotations

from .answers import Answers, key_form, read_answers
from .frontmatter import questions_to_yaml, replace_quiz_questions
from .gift import GiftProblem, parse_gift, to_gift
from .grading import QuestionResult, QuestionStats, Result, grade, question_stats
from .kinds import (
    FALSE_TEXT,
    QUESTION_KINDS,
    TRUE_TEXT,
    AnswerKey,
    Choice,
    Marking,
    Matching,
    MultipleChoice,
    Numeric,
    NumericAnswer,
    Option,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    parse_question,
)
from .paper import (
    Paper,
    PaperItem,
    PresentedQuestion,
    check_paper,
    draw_indices,
    make_paper,
    paper_fits,
    present,
    prompt_key,
    seen_prompts,
)
from .quiz import AttemptGate, Quiz, QuizError, attempt_gate, parse_quiz
from .responses import (
    ANSWERED,
    MALFORMED,
    MISSING,
    NOTE_INVALID_ITEMS,
    NOTE_MORE_THAN_ONE,
    NOTE_NO_ANSWER,
    NOTE_NOT_A_NUMBER,
    NOTE_NOT_AN_OPTION,
    NOTE_NOT_TRUE_FALSE,
    NOTE_SOME_ITEMS,
    PARTIAL,
    Response,
)
from .text import normalise_answer, parse_number

__all__ = [
    "ANSWERED",
    "FALSE_TEXT",
    "MALFORMED",
    "MISSING",
    "NOTE_INVALID_ITEMS",
    "NOTE_MORE_THAN_ONE",
    "NOTE_NOT_AN_OPTION",
    "NOTE_NOT_A_NUMBER",
    "NOTE_NOT_TRUE_FALSE",
    "NOTE_NO_ANSWER",
    "NOTE_SOME_ITEMS",
    "PARTIAL",
    "QUESTION_KINDS",
    "TRUE_TEXT",
    "AnswerKey",
    "Answers",
    "AttemptGate",
    "Choice",
    "GiftProblem",
    "Marking",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "NumericAnswer",
    "Option",
    "Ordering",
    "Paper",
    "PaperItem",
    "PresentedQuestion",
    "Question",
    "QuestionResult",
    "QuestionStats",
    "Quiz",
    "QuizError",
    "Response",
    "Result",
    "ShortAnswer",
    "SingleChoice",
    "TextAnswer",
    "TrueFalse",
    "attempt_gate",
    "check_paper",
    "draw_indices",
    "grade",
    "key_form",
    "make_paper",
    "normalise_answer",
    "paper_fits",
    "parse_gift",
    "parse_number",
    "parse_question",
    "parse_quiz",
    "present",
    "prompt_key",
    "question_stats",
    "questions_to_yaml",
    "read_answers",
    "replace_quiz_questions",
    "seen_prompts",
    "to_gift",
]
