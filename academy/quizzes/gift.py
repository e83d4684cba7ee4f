"""GIFT (Moodle's quiz text format): import to and export from Academy questions.

`parse_gift` reads the kinds GIFT shares with Academy (multiple choice with one
or several right answers, true/false, matching, short answer, numerical) and
reports everything else (essay, description, missing word in mid-sentence,
numerical ``~`` catch-all feedback) as a `GiftProblem` with its line, never
skipping silently. Parsed questions go through the same validator as the YAML
schema, so a GIFT file that imports is a quiz that works.

GIFT has no ordering kind and no points, so `to_gift` writes them as comment
annotations that Moodle ignores and `parse_gift` reads back::

    // academy:ordering        the matching question that follows is an ordering
    // academy:points=2        the question's points weight

An ordering is written as a matching question whose right sides are the
positions ``1..n``. To keep ``->`` inside an answer text, `to_gift` writes
``-\\>`` (``\\>`` is an Academy escape; Moodle would show the backslash).
See ``docs/formats-quiz.md`` for the full mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Final

from academy.sourcemap import LineMap, PathKey

from .frontmatter import questions_to_yaml, replace_quiz_questions
from .kinds import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    parse_question,
)
from .text import clean_text, number_text

__all__ = [
    "BLANK",
    "ESCAPABLE",
    "FORMATS",
    "GiftProblem",
    "html_to_text",
    "parse_gift",
    "questions_to_yaml",
    "replace_quiz_questions",
    "to_gift",
]

#: Characters a backslash escapes (GIFT's six, the backslash, and Academy's ``>``).
ESCAPABLE: Final = "~=#{}:\\>"
FORMATS: Final = ("moodle", "html", "plain", "markdown")
BLANK: Final = "_____"

_FORMAT_TAG = re.compile(r"\[(moodle|html|plain|markdown)\]")
_WEIGHT = re.compile(r"%\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)
_ANNOTATION = re.compile(r"//\s*academy:\s*([a-z_]+)\s*(?:=\s*(\S+))?\s*$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
#: A prompt with any of these is written with GIFT's ``[markdown]`` tag.
_MARKDOWN = re.compile(r"\*\*|__|`|\]\(|^\s*(?:[-*+] |\d+\. |#{1,6} |> )", re.M)


@dataclass(frozen=True)
class GiftProblem:
    """Something in a GIFT file that was not imported; `line` is 1-based."""

    line: int
    message: str
    #: "error": the question was not imported; "warning": imported, with this change.
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"line {self.line}: {prefix}{self.message}"


@dataclass
class _Mode:
    """How `parse_gift` runs: lenient mode imports more and says what it changed."""

    lenient: bool = False
    warnings: list[GiftProblem] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(GiftProblem(line, message, "warning"))


_MODE: ContextVar[_Mode] = ContextVar("gift_mode", default=_Mode())  # noqa: B039
_SAFE_URL = re.compile(r"^(?:https?://|mailto:|/|\./|\.\./|#|[\w.-]+(?:/|$|\?|#))", re.I)


class _Src:
    """GIFT text with escapes decoded, remembering which characters were escaped
    (they never act as syntax) and the source line of each character."""

    __slots__ = ("chars", "escaped", "lines")

    def __init__(self, chars: str, escaped: list[bool], lines: list[int]) -> None:
        self.chars = chars
        self.escaped = escaped
        self.lines = lines

    @classmethod
    def from_lines(cls, numbered: list[tuple[int, str]], keep_indent: bool = False) -> _Src:
        chars: list[str] = []
        escaped: list[bool] = []
        lines: list[int] = []
        for position, (number, raw) in enumerate(numbered):
            if position:
                chars.append("\n")
                escaped.append(False)
                lines.append(number)
            # Markdown keeps the indentation of continuation lines (lists, code).
            line = raw.rstrip() if keep_indent and position else raw.strip()
            i = 0
            while i < len(line):
                char = line[i]
                follower = line[i + 1] if i + 1 < len(line) else ""
                if char == "\\" and follower and (follower in ESCAPABLE or follower == "n"):
                    chars.append("\n" if follower == "n" else follower)
                    escaped.append(True)
                    lines.append(number)
                    i += 2
                    continue
                chars.append(char)
                escaped.append(char == "\\")
                lines.append(number)
                i += 1
        return cls("".join(chars), escaped, lines)

    @classmethod
    def literal(cls, text: str, line: int) -> _Src:
        return cls(text, [True] * len(text), [line] * len(text))

    def __add__(self, other: _Src) -> _Src:
        return _Src(
            self.chars + other.chars, self.escaped + other.escaped, self.lines + other.lines
        )

    def cut(self, start: int, end: int | None = None) -> _Src:
        stop = len(self.chars) if end is None else end
        return _Src(self.chars[start:stop], self.escaped[start:stop], self.lines[start:stop])

    def find(self, needle: str, start: int = 0) -> int:
        at = self.chars.find(needle, start)
        while at != -1 and any(self.escaped[at : at + len(needle)]):
            at = self.chars.find(needle, at + 1)
        return at

    def rfind(self, needle: str) -> int:
        at = self.chars.rfind(needle)
        while at != -1 and any(self.escaped[at : at + len(needle)]):
            at = self.chars.rfind(needle, 0, at + len(needle) - 1)
        return at

    def strip(self) -> _Src:
        start, end = 0, len(self.chars)
        while start < end and self.chars[start].isspace():
            start += 1
        while end > start and self.chars[end - 1].isspace():
            end -= 1
        return self.cut(start, end)

    def starts(self, prefix: str) -> bool:
        return self.chars.startswith(prefix) and not any(self.escaped[: len(prefix)])

    def line(self, default: int) -> int:
        return self.lines[0] if self.lines else default

    def pieces(self, markers: str) -> list[tuple[str | None, _Src]]:
        """Split at unescaped marker characters: (marker or None for the lead, text)."""
        found: list[tuple[str | None, _Src]] = []
        marker: str | None = None
        start = 0
        for at, char in enumerate(self.chars):
            if char in markers and not self.escaped[at]:
                found.append((marker, self.cut(start, at)))
                marker, start = char, at + 1
        found.append((marker, self.cut(start)))
        return [(m, text) for m, text in found if m is not None or text.strip().chars]


class _TextOnly(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\n\r\f]+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on lines."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


class _KeepLinks(_TextOnly):
    """Like `_TextOnly`, but links and media stay, as Markdown, when their URL is safe."""

    _MEDIA = frozenset({"img", "audio", "video", "source", "iframe", "embed", "object"})

    def __init__(self) -> None:
        super().__init__()
        self.href: list[str | None] = []
        self.unsafe: list[str] = []
        self.missing: list[str] = []
        self.formatting: set[str] = set()

    def safe(self, url: str | None) -> str | None:
        url = (url or "").strip()
        if not url:
            return None
        if "@@PLUGINFILE@@" in url:
            self.missing.append(url)
            return None
        if not _SAFE_URL.match(url) or re.match(r"\s*(javascript|data|vbscript):", url, re.I):
            self.unsafe.append(url)
            return None
        return url.replace(" ", "%20").replace(")", "%29")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            href = self.safe(values.get("href"))
            self.href.append(href)
            if href:
                self.parts.append("[")
        elif tag in self._MEDIA and not self.hidden:
            src = self.safe(values.get("src") or values.get("data"))
            if src:
                alt = (values.get("alt") or values.get("title") or tag).replace("]", ")")
                self.parts.append(f"![{alt}]({src})" if tag == "img" else f"[{alt}]({src})")
        else:
            if tag not in self._BREAKS and tag not in self._HIDDEN:
                self.formatting.add(tag)
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            href = self.href.pop() if self.href else None
            if href:
                self.parts.append(f"]({href})")
        else:
            super().handle_endtag(tag)


def html_to_markdown(html: str, line: int = 1) -> str:
    """Text of an HTML fragment keeping links and media as Markdown (safe URLs only).

    Formatting other than line breaks, unsafe URLs (``javascript:`` …) and scripts
    are dropped; in lenient GIFT mode each drop is a warning at `line`.
    """
    parser = _KeepLinks()
    parser.feed(html)
    parser.close()
    mode = _MODE.get()
    for url in parser.missing:
        mode.warn(
            line,
            f"[html]: {url!r} is a file of the Moodle question bank, not in the GIFT file:"
            " upload it in the studio and insert it",
        )
    if parser.unsafe:
        mode.warn(line, f"[html]: unsafe link or media address dropped: {parser.unsafe[0]!r}")
    dropped = parser.formatting - {"span"}
    if dropped:
        tags = ", ".join(f"<{tag}>" for tag in sorted(dropped))
        mode.warn(line, f"[html]: formatting dropped ({tags}); links and images are kept")
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _formatted(src: _Src | None, default: str) -> tuple[str, str]:
    """Apply a leading ``[format]`` tag: (format, text); html becomes plain text."""
    if src is None:
        return default, ""
    text = src.strip()
    tag = _FORMAT_TAG.match(text.chars)
    fmt = default
    if tag:
        fmt = tag.group(1)
        text = text.cut(tag.end())
    if fmt == "html":
        mode = _MODE.get()
        if mode.lenient:
            value = html_to_markdown(text.chars, text.line(1))
        else:
            value = html_to_text(text.chars)
    else:
        value = text.chars
    return fmt, clean_text(value)


def _weight(src: _Src) -> tuple[float | None, _Src]:
    src = src.strip()
    match = _WEIGHT.match(src.chars)
    if match is None:
        return None, src
    return float(match.group(1)), src.cut(match.end())


def _split_feedback(src: _Src, fmt: str) -> tuple[str, str]:
    at = src.find("#")
    if at == -1:
        return _formatted(src, fmt)[1], ""
    return _formatted(src.cut(0, at), fmt)[1], _formatted(src.cut(at + 1), fmt)[1]


class _Block:
    """One question's answer section being turned into Academy question data."""

    def __init__(self, answer: _Src, fmt: str, line: int) -> None:
        self.answer = answer
        self.fmt = fmt
        self.line = line
        self.lines: dict[tuple[PathKey, ...], int] = {}
        self.problems: list[GiftProblem] = []

    def problem(self, src: _Src | None, message: str) -> None:
        self.problems.append(GiftProblem(src.line(self.line) if src else self.line, message))

    def choice(self, kind: str) -> dict[str, Any]:
        options: list[dict[str, Any]] = []
        for marker, piece in self.answer.pieces("~="):
            weight, rest = _weight(piece)
            text, feedback = _split_feedback(rest, self.fmt)
            option: dict[str, Any] = {"text": text}
            if weight is not None:
                option["weight"] = weight
            elif marker == "=":
                option["correct"] = True
            elif kind == "multiple":
                option["weight"] = 0  # Moodle gives an unweighted wrong answer 0%, no penalty
            if feedback:
                option["feedback"] = feedback
            self.lines[("options", len(options))] = piece.strip().line(self.line)
            options.append(option)
        return {"kind": kind, "options": options}

    def pairs(self) -> list[list[str]]:
        pairs: list[list[str]] = []
        for _, piece in self.answer.pieces("="):
            piece = piece.strip()
            arrow = piece.find("->")
            if arrow == -1:
                self.problem(piece, f"matching pair '{piece.chars}' has no '->'")
                continue
            left = _formatted(piece.cut(0, arrow), self.fmt)[1]
            if not left and _MODE.get().lenient:
                right = clean_text(piece.cut(arrow + 2).chars)
                _MODE.get().warn(
                    piece.line(self.line),
                    f"matching distractor '{right}' (a right side with no left) dropped:"
                    " Academy's matching has no extra right sides",
                )
                continue
            if not left:
                self.problem(
                    piece, "matching distractors (a pair with no left side) are not supported"
                )
                continue
            right = clean_text(piece.cut(arrow + 2).chars)
            self.lines[("pairs", len(pairs))] = piece.line(self.line)
            pairs.append([left, right])
        return pairs

    def matching(self) -> dict[str, Any]:
        return {"kind": "matching", "pairs": self.pairs()}

    def ordering(self) -> dict[str, Any]:
        pairs = self.pairs()
        positions = [right for _, right in pairs]
        wanted = [str(n) for n in range(1, len(pairs) + 1)]
        if sorted(positions, key=lambda p: (len(p), p)) != wanted:
            self.problem(
                self.answer,
                "a question marked '// academy:ordering' needs right sides that are "
                f"the positions 1 to {len(pairs)}",
            )
            return {"kind": "ordering", "items": []}
        ordered = sorted(pairs, key=lambda pair: int(pair[1]))
        for number in range(len(ordered)):
            self.lines[("items", number)] = self.line
        return {"kind": "ordering", "items": [left for left, _ in ordered]}

    def true_false(self) -> dict[str, Any]:
        first = self.answer.find("#")
        word = self.answer if first == -1 else self.answer.cut(0, first)
        wrong = right = ""
        if first != -1:
            rest = self.answer.cut(first + 1)
            second = rest.find("#")
            wrong = _formatted(rest if second == -1 else rest.cut(0, second), self.fmt)[1]
            if second != -1:
                right = _formatted(rest.cut(second + 1), self.fmt)[1]
        answer = _TRUE_FALSE[word.strip().chars]
        data: dict[str, Any] = {"kind": "true_false", "answer": answer}
        feedback_true, feedback_false = (right, wrong) if answer else (wrong, right)
        if feedback_true:
            data["feedback_true"] = feedback_true
        if feedback_false:
            data["feedback_false"] = feedback_false
        return data

    def short_answer(self) -> dict[str, Any]:
        answers: list[Any] = []
        for _, piece in self.answer.pieces("="):
            weight, rest = _weight(piece)
            text, feedback = _split_feedback(rest, self.fmt)
            if text in ("*", "") and _MODE.get().lenient:
                credit = f" ({number_text(weight)}% credit)" if weight else ""
                lost = f"; its feedback '{feedback}' is not shown" if feedback else ""
                _MODE.get().warn(
                    piece.strip().line(self.line),
                    f"'*' (any other answer{credit}) is not supported and was dropped{lost}",
                )
                continue
            self.lines[("answers", len(answers))] = piece.strip().line(self.line)
            if weight is None and not feedback:
                answers.append(text)
                continue
            entry: dict[str, Any] = {"text": text}
            if weight is not None:
                entry["weight"] = weight
            if feedback:
                entry["feedback"] = feedback
            answers.append(entry)
        return {"kind": "short_answer", "answers": answers}

    def numeric(self) -> dict[str, Any]:
        body = self.answer.cut(1)
        if body.find("~") != -1 and _MODE.get().lenient:
            other = body.cut(body.find("~"))
            lost = other.cut(1).strip().chars.lstrip("#")
            _MODE.get().warn(
                other.line(self.line),
                f"'~' (feedback for any other answer: '{lost}') is not"
                " supported in a numerical question and was dropped",
            )
            body = body.cut(0, body.find("~"))
        if body.find("~") != -1:
            self.problem(
                body.cut(body.find("~")),
                "'~' feedback for any other answer in a numerical question is not supported",
            )
            return {"kind": "numeric", "answers": []}
        answers: list[dict[str, Any]] = []
        for _, piece in body.pieces("="):
            weight, rest = _weight(piece)
            at = rest.find("#")
            value = (rest if at == -1 else rest.cut(0, at)).strip().chars
            entry = self.numeric_value(value, piece)
            if entry is None:
                continue
            if weight is not None:
                entry["weight"] = weight
            if at != -1:
                feedback = _formatted(rest.cut(at + 1), self.fmt)[1]
                if feedback:
                    entry["feedback"] = feedback
            self.lines[("answers", len(answers))] = piece.strip().line(self.line)
            answers.append(entry)
        if not answers and not self.problems:
            self.problem(self.answer, "numerical question has no answer")
        return {"kind": "numeric", "answers": answers}

    def numeric_value(self, value: str, piece: _Src) -> dict[str, Any] | None:
        if value.find("..") > 0:
            low, high = value.split("..", 1)
            numbers = [_number(low), _number(high)]
            keys: tuple[str, ...] = ("min", "max")
        elif value.find(":") > 0:
            answer, tolerance = value.split(":", 1)
            numbers = [_number(answer), _number(tolerance)]
            keys = ("answer", "tolerance")
        else:
            numbers = [_number(value)]
            keys = ("answer",)
        if any(number is None for number in numbers):
            self.problem(piece, f"numerical answer '{value}' is not a number")
            return None
        return dict(zip(keys, numbers, strict=True))


def _number(text: str) -> float | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    return float(text)


def _detect(answer: _Src) -> Callable[[_Block], dict[str, Any]] | str:
    """The kind of an answer section, in Moodle's order; a string names an unsupported one."""
    if not answer.chars:
        return "essay question ({} with no answers) is not supported; skipped"
    if answer.chars[0] == "#" and not answer.escaped[0]:
        return _Block.numeric
    if answer.find("~") != -1:
        if answer.find("=") != -1:
            return lambda block: block.choice("single")
        return lambda block: block.choice("multiple")
    if answer.find("=") != -1 and answer.find("->") != -1:
        return _Block.matching
    first = answer.find("#")
    word = answer if first <= 0 else answer.cut(0, first)
    if word.strip().chars in _TRUE_FALSE and not any(word.strip().escaped):
        return _Block.true_false
    return _Block.short_answer


#: GIFT limits: a file of 2,000 ordinary questions is about 270 KB and parses in
#: under a second; one question's answers are parsed in time that grows with the
#: square of their number, so both are bounded.
MAX_GIFT_CHARS = 400_000
MAX_GIFT_ANSWERS = 60


def gift_limit(text: str) -> GiftProblem | None:
    """Why `text` cannot be GIFT at all (too large, binary), or None."""
    if len(text) > MAX_GIFT_CHARS:
        return GiftProblem(
            1,
            f"the GIFT text has {len(text):,} characters; at most {MAX_GIFT_CHARS:,}"
            " (split it into several files)",
        )
    nul = text.find("\x00")
    if nul != -1:
        return GiftProblem(text.count("\n", 0, nul) + 1, "this is not a text file (a NUL byte)")
    return None


def parse_gift(text: str, *, lenient: bool = False) -> tuple[list[Question], list[GiftProblem]]:
    """Questions from GIFT text, and what could not be imported (with 1-based lines).

    With ``lenient=True`` (drafts) missing-word questions, matching distractors,
    ``*`` / ``~`` "any other answer" entries and ``[html]`` links and media are
    imported too; each change of meaning is a problem with severity "warning"
    (the question was imported). Problems with severity "error" name questions
    that were not imported.
    """
    if (refused := gift_limit(text)) is not None:
        return [], [refused]
    mode = _Mode(lenient=lenient)
    token = _MODE.set(mode)
    try:
        questions: list[Question] = []
        problems: list[GiftProblem] = []
        for number, (notes, body, first) in enumerate(_items(text, problems), start=1):
            before = len(mode.warnings)
            question, found = _parse_item(notes, body, first, number)
            problems.extend(found)
            if question is not None:
                questions.append(question)
            else:
                del mode.warnings[before:]  # the question is reported as not imported
        problems.extend(mode.warnings)
    finally:
        _MODE.reset(token)
    problems.sort(key=lambda problem: problem.line)
    return questions, problems


def _items(
    text: str, problems: list[GiftProblem]
) -> Iterable[tuple[dict[str, tuple[int, str]], list[tuple[int, str]], int]]:
    """Blank-line separated items: (annotations, body lines, first body line)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if not block:
            continue
        annotations: dict[str, tuple[int, str]] = {}
        body = []
        for at, raw in block:
            stripped = raw.strip()
            if stripped.startswith("//"):
                match = _ANNOTATION.match(stripped)
                if match:
                    annotations[match.group(1)] = (at, match.group(2) or "")
                elif stripped.startswith("// academy:") or stripped.startswith("//academy:"):
                    problems.append(GiftProblem(at, f"unknown annotation '{stripped}'"))
            elif not stripped.startswith("$CATEGORY:"):
                body.append((at, raw))
        block = []
        if body:
            yield annotations, body, body[0][0]
        else:
            for name, (at, _) in annotations.items():
                problems.append(
                    GiftProblem(at, f"'// academy:{name}' is not followed by a question")
                )


def _parse_item(
    annotations: dict[str, tuple[int, str]],
    body: list[tuple[int, str]],
    first: int,
    number: int,
) -> tuple[Question | None, list[GiftProblem]]:
    def fail(message: str, line: int = first) -> tuple[None, list[GiftProblem]]:
        return None, [GiftProblem(line, message)]

    answers = sum(raw.count("~") + raw.count("=") for _, raw in body)
    if answers > MAX_GIFT_ANSWERS:
        return fail(f"more than {MAX_GIFT_ANSWERS} answers in one question; skipped")
    markdown = any("[markdown]" in raw for _, raw in body)
    text = _Src.from_lines(body, keep_indent=markdown).strip()
    title = ""
    if text.starts("::"):
        end = text.find("::", 2)
        if end == -1:
            return fail("the title is not closed: '::title::' expected")
        title = clean_text(text.cut(2, end).chars)
        text = text.cut(end + 2).strip()
    start, close = text.find("{"), text.find("}")
    if start == -1 and close == -1:
        return fail("description (text with no answers in { }) is not supported; skipped")
    if start == -1 or close == -1 or close < start:
        return fail("unbalanced braces: each question needs one '{' … '}' answer section")
    after = text.cut(close + 1).strip()
    if after.find("{") != -1 or after.find("}") != -1:
        return fail("more than one answer section ('{ }') in one question is not supported")
    missing_word = any(unicodedata.category(char)[0] in "LN" for char in after.chars)
    if missing_word and not _MODE.get().lenient:
        return fail("missing-word question (text after the answers) is not supported; skipped")
    prompt_src = text.cut(0, start)
    if missing_word:
        _MODE.get().warn(
            first,
            f"missing-word question: the answers' place in the sentence is shown as {BLANK}",
        )
        gap = " " if after.chars[:1].isalnum() else ""
        prompt_src = prompt_src.strip() + _Src.literal(f" {BLANK}{gap}", first) + after
    elif after.chars:  # only punctuation follows: the blank goes before it, as Moodle shows it
        prompt_src = prompt_src + _Src.literal(BLANK, first) + after
    answer = text.cut(start + 1, close)
    general = None
    split = answer.rfind("####")
    if split != -1:
        general, answer = answer.cut(split + 4), answer.cut(0, split)
    fmt, prompt = _formatted(prompt_src, "moodle")
    answer = answer.strip()
    detected = _detect(answer)
    if isinstance(detected, str):
        return fail(detected)
    block = _Block(answer, fmt, first)
    data = detected(block)
    if "ordering" in annotations:
        if data["kind"] != "matching":
            return fail(
                "'// academy:ordering' must come before a matching question whose right "
                "sides are the positions 1 to n",
                annotations["ordering"][0],
            )
        data = block.ordering()
    if block.problems:
        return None, block.problems
    data.update({"prompt": prompt})
    if title:
        data["title"] = title
    general_text = _formatted(general, fmt)[1]
    if general_text:
        data["feedback"] = general_text
    problems: list[GiftProblem] = []
    if "points" in annotations:
        at, value = annotations["points"]
        points = _number(value)
        if points is None:
            problems.append(GiftProblem(at, f"'// academy:points={value}' needs a number"))
        else:
            data["points"] = points
    for name, (at, _) in annotations.items():
        if name not in ("ordering", "points"):
            problems.append(GiftProblem(at, f"unknown annotation '// academy:{name}'"))
    question, found = parse_question(data, (), number)
    where = LineMap(lines=dict(block.lines), default=first)
    problems.extend(GiftProblem(where.line(p.path), p.message) for p in found)
    return (question if not problems else None), problems


# -- export ------------------------------------------------------------------------


def _escape(text: str) -> str:
    escaped = "".join(
        "\\n" if char == "\n" else ("\\" + char if char in "~=#{}:\\" else char) for char in text
    )
    return escaped.replace("->", "-\\>")


def _text(text: str) -> str:
    """A formattable text: ``[moodle]`` guards a text that would read as a tag or weight."""
    guard = "[moodle]" if text.startswith(("[", "%", "//")) else ""
    return guard + _escape(text)


def _feedback(text: str) -> str:
    return f"#{_text(text)}" if text else ""


def _head(question: Question, *annotations: str) -> str:
    lines = list(annotations)
    if question.points != 1:
        lines.append(f"// academy:points={number_text(question.points)}")
    title = f"::{_escape(question.title)}::" if question.title else ""
    prompt = question.prompt
    markdown = "\n" in prompt or _MARKDOWN.search(prompt)
    lines.append(title + ("[markdown]" + _escape(prompt) if markdown else _text(prompt)))
    return "\n".join(lines)


def _general(question: Question) -> str:
    return f"\t####{_text(question.feedback)}\n" if question.feedback else ""


def _block(question: Question, lines: Iterable[str], *annotations: str) -> str:
    body = "".join(f"\t{line}\n" for line in lines)
    return f"{_head(question, *annotations)}{{\n{body}{_general(question)}}}"


def _write_single(question: SingleChoice) -> str:
    lines = []
    for option in question.options:
        if option.credit == 100:
            mark = "="
        elif option.credit == 0:
            mark = "~"
        else:
            mark = f"~%{number_text(option.credit)}%"
        lines.append(mark + _text(option.text) + _feedback(option.feedback))
    return _block(question, lines)


def _write_multiple(question: MultipleChoice) -> str:
    return _block(
        question,
        (
            f"~%{number_text(option.credit)}%{_text(option.text)}{_feedback(option.feedback)}"
            for option in question.options
        ),
    )


def _write_true_false(question: TrueFalse) -> str:
    right, wrong = question.feedback_true, question.feedback_false
    if not question.answer:
        right, wrong = wrong, right
    answer = "TRUE" if question.answer else "FALSE"
    if wrong:
        answer += f"#{_text(wrong)}"
    elif right:
        answer += "#"
    if right:
        answer += f"#{_text(right)}"
    if question.feedback:
        answer += f"####{_text(question.feedback)}"
    return f"{_head(question)}{{{answer}}}"


def _write_matching(question: Matching) -> str:
    return _block(
        question, (f"={_text(left)} -> {_escape(right)}" for left, right in question.pairs)
    )


def _write_ordering(question: Ordering) -> str:
    return _block(
        question,
        (f"={_text(item)} -> {n}" for n, item in enumerate(question.items, start=1)),
        "// academy:ordering",
    )


def _write_short_answer(question: ShortAnswer) -> str:
    lines = []
    for answer in question.answers:
        weight = "" if answer.weight == 100 else f"%{number_text(answer.weight)}%"
        lines.append(f"={weight}{_text(answer.text)}{_feedback(answer.feedback)}")
    return _block(question, lines)


def _numeric_value(question: Numeric, index: int) -> str:
    answer = question.answers[index]
    if answer.value is None:
        return f"{number_text(answer.minimum or 0.0)}..{number_text(answer.maximum or 0.0)}"
    tolerance = f":{number_text(answer.tolerance)}" if answer.tolerance else ""
    return number_text(answer.value) + tolerance


def _write_numeric(question: Numeric) -> str:
    only = question.answers[0]
    if len(question.answers) == 1 and only.weight == 100 and not only.feedback:
        general = f"\n{_general(question)}" if question.feedback else ""
        return f"{_head(question)}{{#{_numeric_value(question, 0)}{general}}}"
    lines = []
    for index, answer in enumerate(question.answers):
        weight = "" if answer.weight == 100 else f"%{number_text(answer.weight)}%"
        lines.append(f"={weight}{_numeric_value(question, index)}{_feedback(answer.feedback)}")
    body = "".join(f"\t{line}\n" for line in lines)
    return f"{_head(question)}{{#\n{body}{_general(question)}}}"


_WRITERS: Final[dict[str, Callable[[Any], str]]] = {
    "single": _write_single,
    "multiple": _write_multiple,
    "true_false": _write_true_false,
    "matching": _write_matching,
    "ordering": _write_ordering,
    "short_answer": _write_short_answer,
    "numeric": _write_numeric,
}


def to_gift(questions: Iterable[Question]) -> str:
    """GIFT text for the questions; `parse_gift` reads it back to equal questions."""
    blocks = [_WRITERS[question.kind](question) for question in questions]
    return "\n\n".join(blocks) + "\n" if blocks else ""
