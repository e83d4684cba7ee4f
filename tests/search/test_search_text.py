"""Segmentation, query building and snippets (pure code, no Flask)."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.search import text as words

NASTY = [
    '"',
    "*",
    "NEAR(",
    "NEAR(a b",
    "OR",
    "AND",
    "NOT",
    "a OR b",
    "x:*",
    "'",
    "\\",
    "(",
    ")",
    "{title}: x",
    "^x",
    "-x",
    "title:x",
    "a & !b",
    "<->",
    "%",
    "_",
    "\x00",
    "；：“”",
]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    """An FTS5 table shaped like the real one with two documents."""
    from academy.search.models import CREATE_FTS

    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE_FTS)
    docs = [
        (
            "倾听一本记录",
            "边听边记，不打断用户",
            "请认真倾听客户的诉求，微笑服务。Listen carefully.",
        ),
        ("一米见微笑", "一米之内，先见微笑", "微笑是服务的开始 NEAR the desk OR the door"),
    ]
    for rowid, (title, objectives, body) in enumerate(docs, start=1):
        conn.execute(
            "INSERT INTO search_fts (rowid, title, objectives, body, grams) VALUES (?, ?, ?, ?, ?)",
            (
                rowid,
                words.index_tokens(title),
                words.index_tokens(objectives),
                words.index_tokens(body),
                words.index_grams(title + objectives + body),
            ),
        )
    return conn


def found(conn: sqlite3.Connection, raw: str) -> list[int]:
    query = words.parse_query(raw)
    if query.empty:
        return []
    rows = conn.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
        "ORDER BY bm25(search_fts, 10, 5, 1, .2)",
        (words.fts5_match(query),),
    )
    return [r[0] for r in rows]


def test_chinese_is_segmented_into_words_and_their_parts():
    tokens = words.index_tokens("请认真倾听客户的诉求，微笑服务").split()
    assert {"倾听", "客户", "诉求", "微笑", "服务"} <= set(tokens)
    assert "，" not in tokens


def test_latin_is_lower_cased_and_punctuation_separates():
    assert words.index_tokens("Listen, CAREFULLY! e-mail_x") == "listen carefully e mail x"


def test_grams_hold_every_chinese_character_only():
    assert words.index_grams("倾听 A1 客户！") == "倾 听 客 户"


def test_query_words_and_prefix():
    query = words.parse_query("微笑 liste")
    assert [t.word for t in query.terms] == ["微笑", "liste"]
    assert query.terms[0].chars == ("微", "笑") and not query.terms[0].prefix
    assert query.terms[1].prefix  # the last Latin word while typing
    assert not words.parse_query("liste ").terms[0].prefix


def test_empty_and_punctuation_only_queries_are_empty():
    for raw in ["", "   ", '"', "*", "()", "，。", None]:
        assert words.parse_query(raw).empty


def test_query_is_bounded():
    query = words.parse_query(" ".join(f"w{i}" for i in range(100)))
    assert len(query.terms) == words.MAX_TERMS


def test_search_finds_words_substrings_and_ranks_titles_first(fts):
    assert found(fts, "倾听") == [1]
    assert found(fts, "听客") == [1]  # not a jieba word: matched as characters in a row
    assert found(fts, "微笑")[0] == 2  # in the title of 2, in the body of 1
    assert set(found(fts, "微笑")) == {1, 2}
    assert found(fts, "lis") == [1]  # prefix while typing
    assert found(fts, "倾听 微笑") == [1]  # every term
    assert found(fts, "倾听 door") == []


@pytest.mark.parametrize("raw", NASTY)
def test_query_syntax_is_text_not_operators(fts, raw):
    found(fts, raw)  # never an FTS5 syntax error
    words.tsquery(words.parse_query(raw))


def test_operator_words_are_searched_as_words(fts):
    assert found(fts, "NEAR") == [2]
    assert found(fts, "OR the") == [2]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_string_is_a_valid_fts5_query(fts, raw):
    found(fts, raw)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\"*()NEAROT:^-{} 倾听微笑aé'\\")), max_size=40))
def test_any_operator_soup_is_a_valid_fts5_query(fts, raw):
    found(fts, raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_tsquery_quotes_every_lexeme(raw):
    """Outside quotes a tsquery has only operators and parentheses."""
    rendered = words.tsquery(words.parse_query(raw))
    outside = re.sub(r"'(?:[^']|'')*'", "", rendered)
    assert re.fullmatch(r"[\s()&|<\->:*]*", outside), rendered


def _unmarked(markup: str) -> str:
    return html.unescape(markup.replace("<mark>", "").replace("</mark>", ""))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=30))
def test_snippets_escape_the_text_and_only_add_marks(text, raw):
    query = words.parse_query(raw)
    marked = words.highlight(text, query)
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")
    assert _unmarked(marked) == text
    snippet = words.snippet(text, query)
    assert _unmarked(snippet).strip("…") in text


def test_snippet_is_cut_around_the_first_match():
    text = "开头的话。" * 30 + "请认真倾听客户的诉求。" + "结尾。" * 30
    snippet = words.snippet(text, words.parse_query("倾听"), width=60)
    assert "<mark>倾听</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(_unmarked(snippet)) <= 62


def test_latin_marks_start_at_word_starts():
    marked = words.highlight("A cat at the bat", words.parse_query("at"))
    assert marked == "A cat <mark>at</mark> the bat"


def test_html_text_drops_markup_and_keeps_words_apart():
    assert words.html_text("<h2>标题</h2><p>一 &amp; <b>二</b></p><ul><li>三</li></ul>") == (
        "标题 一 & 二 三"
    )


def test_person_matches_every_word_in_some_field():
    assert words.person_matches("李 yy", "李明", "yyli", None)
    assert words.person_matches("B0012", "李明", "x", "b00123")
    assert not words.person_matches("王", "李明", "x", "B1")
    assert words.person_matches("", "李明", "x", None)
