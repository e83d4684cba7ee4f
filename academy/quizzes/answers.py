"""A submitted attempt's answers, read from the posted form against the paper.

Form contract: question N (1-based position in the quiz file) is field ``qN``;
options are identified by their 0-based index in the file whatever order they
were shown in. Missing or malformed answers are recorded with a note and count
as wrong; nothing a client posts makes `read_answers` raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .paper import Paper, check_paper
from .quiz import Quiz, QuizError
from .responses import FormView, Response


@dataclass(frozen=True)
class Answers:
    """The responses to the questions on one paper, in paper order."""

    responses: tuple[Response, ...]

    def get(self, index: int) -> Response | None:
        """The response to the question with 0-based file index `index`, if any."""
        for response in self.responses:
            if response.index == index:
                return response
        return None

    def to_data(self) -> dict[str, Any]:
        """JSON-able data; `Answers.from_data` reads it back."""
        return {"responses": [response.to_data() for response in self.responses]}

    @classmethod
    def from_data(cls, data: object) -> Answers:
        """Read `to_data` output back; raises `QuizError` on anything else."""
        responses = data.get("responses") if isinstance(data, Mapping) else None
        if not isinstance(responses, list):
            raise QuizError("stored answers must be a mapping with a list of responses")
        try:
            return cls(tuple(Response.from_data(entry) for entry in responses))
        except ValueError as exc:
            raise QuizError(f"stored answers are invalid: {exc}") from None


def read_answers(quiz: Quiz, paper: Paper, form: object) -> Answers:
    """Read the posted form for the questions on the paper (other fields are ignored).

    `form` is ``Mapping[str, list[str]]`` (``request.form.to_dict(flat=False)``) or
    a Werkzeug ``MultiDict``. Raises `QuizError` only if the paper does not fit
    the quiz, never because of what was posted.
    """
    check_paper(quiz, paper)
    view = FormView(form)
    return Answers(
        tuple(
            quiz.questions[item.index].read(view, f"q{item.index + 1}", item.index)
            for item in paper.items
        )
    )


def key_form(quiz: Quiz, paper: Paper) -> dict[str, list[str]]:
    """A form that answers every question on the paper with full credit (tests, demos)."""
    check_paper(quiz, paper)
    form: dict[str, list[str]] = {}
    for item in paper.items:
        form.update(quiz.questions[item.index].key_form(f"q{item.index + 1}"))
    return form
