"""Search text: Chinese segmentation, safe full-text queries, highlighted snippets.

Pure code (no Flask, no SQLAlchemy). Documents are indexed as space-separated
lower-case tokens so SQLite FTS5's ``unicode61`` tokenizer and PostgreSQL's
``simple`` configuration see the same words:

* Chinese runs are cut by jieba's search mode (words and the shorter words
  inside long ones: 微笑服务 → 微笑 服务 微笑服务);
* every Chinese character is also indexed on its own in a separate ``grams``
  column, so a query word jieba cut differently in the document still matches
  as a phrase of characters (substring semantics, like a person expects);
* Latin words and numbers are lower-cased; punctuation separates tokens.

A query is never passed to the database as typed: it is reduced to the same
tokens (letters, digits and CJK characters only) and each token is quoted, so
``"``, ``*``, ``NEAR(``, ``OR``, ``:`` or ``'`` are just text. Terms are ANDed;
the last Latin token is a prefix (search while typing).
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

#: Longest query kept (characters); the rest is ignored.
MAX_QUERY = 100
#: At most this many terms reach the database (more adds cost, not precision).
MAX_TERMS = 8

_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK unified ideographs, ext. A, compatibility
    "\U00020000-\U0002ebef"  # extensions B–F
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
#: A token: letters/digits (no underscore), CJK runs split out separately.
_WORD = re.compile(r"[^\W_]+")

_lock = threading.Lock()
_tokenizer = None


def _jieba():
    """One jieba tokenizer per process, loaded on first use (about half a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the dictionary now (a server calls this in the background at start)."""
    _jieba()


def _pieces(text: str) -> Iterable[tuple[bool, str]]:
    """(is_cjk, token) for every word-ish run of `text`, in order."""
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        position = 0
        for run in _CJK_RUN.finditer(word):
            if run.start() > position:
                yield False, word[position : run.start()]
            yield True, run.group()
            position = run.end()
        if position < len(word):
            yield False, word[position:]


def index_tokens(text: str) -> str:
    """The words of `text` for the index: jieba's search-mode cut of Chinese, Latin as is."""
    tokens: list[str] = []
    for is_cjk, piece in _pieces(text):
        if is_cjk:
            tokens.extend(w for w in _jieba().cut_for_search(piece, HMM=True) if w.strip())
        else:
            tokens.append(piece)
    return " ".join(tokens)


def index_grams(text: str) -> str:
    """Every Chinese character of `text` on its own, in order (the substring fallback)."""
    return " ".join(_CJK_CHAR.findall(text))


@dataclass(frozen=True)
class Term:
    """One query term: a word, and for Chinese its characters (the phrase fallback)."""

    word: str
    chars: tuple[str, ...] = ()
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: the terms every result must contain (all of them)."""

    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms

    def highlight_words(self) -> list[str]:
        """What to mark in titles and snippets, longest first."""
        words = {t.word for t in self.terms}
        return sorted(words, key=lambda w: (-len(w), w))

    def pattern(self) -> re.Pattern[str] | None:
        """Where the terms occur in plain text: Chinese anywhere, Latin at a word's start
        (and whole words unless the term is a prefix)."""
        parts = []
        for term in sorted(self.terms, key=lambda t: (-len(t.word), t.word)):
            escaped = re.escape(term.word)
            if _CJK_CHAR.match(term.word):
                parts.append(escaped)
            else:
                end = "" if term.prefix else r"(?![^\W_])"
                parts.append(rf"(?<![^\W_]){escaped}{end}")
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def parse_query(raw: str | None) -> Query:
    """The terms of what a person typed. Never raises, whatever the string."""
    typed = (raw or "")[:MAX_QUERY]
    text = typed.strip()
    terms: list[Term] = []
    seen: set[str] = set()
    pieces = list(_pieces(text))
    for position, (is_cjk, piece) in enumerate(pieces):
        if is_cjk:
            words = [w for w in _jieba().lcut(piece, HMM=True) if w.strip()]
            for word in words:
                if word not in seen:
                    seen.add(word)
                    terms.append(Term(word, tuple(word) if len(word) > 1 else ()))
        elif piece not in seen:
            seen.add(piece)
            last = position == len(pieces) - 1 and not typed[-1:].isspace()
            terms.append(Term(piece, prefix=last))
    return Query(text, tuple(terms[:MAX_TERMS]))


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5_match(query: Query) -> str:
    """An FTS5 MATCH expression for `query` (every token quoted; terms ANDed).

    A Chinese word matches as a word, or as its characters in sequence in ``grams``.
    """
    parts = []
    for term in query.terms:
        word = _fts_string(term.word) + ("*" if term.prefix else "")
        if term.chars:
            phrase = _fts_string(" ".join(term.chars))
            parts.append(f"({{title objectives body}} : {word} OR grams : {phrase})")
        else:
            parts.append(f"{{title objectives body grams}} : {word}")
    return " AND ".join(parts)


def _ts_lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def tsquery(query: Query) -> str:
    """A PostgreSQL tsquery text for `query` (for ``to_tsquery('simple', …)``)."""
    parts = []
    for term in query.terms:
        word = _ts_lexeme(term.word) + (":*" if term.prefix else "")
        if term.chars:
            phrase = " <-> ".join(_ts_lexeme(c) for c in term.chars)
            parts.append(f"({word} | ({phrase}))")
        else:
            parts.append(word)
    return " & ".join(parts)


# --- documents: plain text from sanitised HTML, highlighted snippets --------------------


class _TextOnly(HTMLParser):
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "div", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")


def html_text(markup: str) -> str:
    """The readable text of (already sanitised) HTML, whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(markup or "")
    parser.close()
    return " ".join("".join(parser.parts).split())


def _marked(text: str, pattern: re.Pattern[str] | None) -> str:
    """`text` escaped, with every match of `pattern` in <mark>."""
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def highlight(text: str, query: Query) -> str:
    """`text` as safe HTML with the query's words marked."""
    return _marked(text, query.pattern())


def snippet(text: str, query: Query, width: int = 120) -> str:
    """About `width` characters of `text` around the first match, as safe HTML.

    Starts at the beginning when nothing matches (the title matched).
    """
    pattern = query.pattern()
    first = pattern.search(text) if pattern is not None else None
    start = 0
    if first is not None:
        start = max(0, first.start() - width // 3)
        # begin at a word or sentence boundary when one is close
        for cut in range(start, min(start + 12, len(text))):
            if cut == 0 or text[cut - 1] in " 。，；：！？、.,;:!?":
                start = cut
                break
    end = min(len(text), start + width)
    body = _marked(text[start:end], pattern)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def person_matches(raw: str | None, *fields: str | None) -> bool:
    """The in-memory twin of `academy.search.queries.people_match`: every word typed is
    contained (any case) in one of `fields` (name, username, employee number)."""
    terms = (raw or "").lower().split()[:5]
    values = [(f or "").lower() for f in fields]
    return all(any(term[:MAX_QUERY] in value for value in values) for term in terms)
