"""The safe condition language of scenario choices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from academy.scenarios import ConditionError, evaluate, parse_condition
from academy.scenarios.condition import MAX_DEPTH, names


def holds(text: str, **values: float) -> bool:
    """Parse and evaluate `text` with the given state values."""
    state = {name: Decimal(str(value)) for name, value in values.items()}
    return evaluate(parse_condition(text), state)


@pytest.mark.parametrize(
    ("text", "mood", "expected"),
    [
        ("mood < 5", 4, True),
        ("mood < 5", 5, False),
        ("mood <= 5", 5, True),
        ("mood > 5", 5, False),
        ("mood >= 5", 5, True),
        ("mood == 5", 5, True),
        ("mood != 5", 5, False),
        ("5 > mood", 4, True),
    ],
)
def test_comparison_operators(text: str, mood: int, expected: bool) -> None:
    """Each of the six comparison operators compares numbers as written."""
    assert holds(text, mood=mood) is expected


def test_and_binds_tighter_than_or() -> None:
    """`a or b and c` reads as `a or (b and c)`."""
    assert holds("mood < 1 or mood > 2 and mood < 4", mood=3)
    assert not holds("(mood < 1 or mood > 2) and mood < 3", mood=3)
    assert holds("mood > 8 or mood < 5 and mood > 1", mood=9)


def test_not_binds_tighter_than_and() -> None:
    """`not a and b` reads as `(not a) and b`."""
    assert holds("not mood > 5 and mood > 1", mood=3)
    # With mood 0, `(not a) and b` is false while `not (a and b)` would be true.
    assert not holds("not mood > 5 and mood > 1", mood=0)
    assert holds("not (mood > 5 and mood > 1)", mood=0)


def test_parentheses_override_precedence() -> None:
    """Parentheses group as written, at any depth."""
    assert not holds("not (mood < 5 or mood > 8)", mood=3)
    assert holds("((mood < 5))", mood=3)


def test_chained_comparison_means_each_pair() -> None:
    """`2 <= mood < 6` holds only inside the range."""
    assert holds("2 <= mood < 6", mood=2)
    assert not holds("2 <= mood < 6", mood=6)
    assert not holds("2 <= mood < 6", mood=1)


def test_decimals_and_negative_numbers() -> None:
    """Decimal literals compare exactly and unary minus applies to numbers and names."""
    assert holds("trust >= 0.3", trust=0.3)
    assert holds("-mood < -2", mood=3)
    assert holds("debt > -1.5", debt=-1)
    assert holds(".5 < trust", trust=0.6)


def test_names_lists_state_names_in_order() -> None:
    """`names` reports every state name read, with its column."""
    found = names(parse_condition("mood < 3 and not trust >= mood"))
    assert [(n.name, n.column) for n in found] == [("mood", 1), ("trust", 18), ("mood", 27)]


def test_keywords_are_not_state_names() -> None:
    """`and`, `or` and `not` are reserved words."""
    with pytest.raises(ConditionError):
        parse_condition("and < 3")


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("mood", 1, "must compare"),
        ("mood <", 7, "expected a number or a state name"),
        ("mood < 3 and", 13, "expected a number or a state name"),
        ("(mood < 3", 10, "expected ')'"),
        ("mood < 3)", 9, "unexpected ')'"),
        ("mood & 3", 6, "unexpected character '&'"),
        ("mood < 3 or trust", 13, "expected a comparison after 'or'"),
        ("not mood", 5, "expected a comparison after 'not'"),
        ("(mood < 1) < 2", 1, "cannot compare"),
        ("mood = 3", 6, "unexpected character '='"),
        ("mood < 1.2.3", 11, "unexpected '.3'"),
        ("mood <= -", 10, "expected a number or a state name"),
    ],
)
def test_syntax_errors_name_the_column(text: str, column: int, fragment: str) -> None:
    """Every syntax error says what is wrong and in which column."""
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert caught.value.column == column
    assert fragment in caught.value.message
    assert str(caught.value).startswith(f"column {column}: ")


def test_unknown_name_at_evaluation_is_a_condition_error() -> None:
    """Evaluating against a state without the name raises ConditionError, not KeyError."""
    with pytest.raises(ConditionError) as caught:
        evaluate(parse_condition("mood < 3 or  trust > 1"), {"mood": Decimal(5)})
    assert caught.value.column == 14


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    """Nesting deeper than the limit is a ConditionError, whatever the construct."""
    with pytest.raises(ConditionError, match="nested"):
        parse_condition("(" * (MAX_DEPTH + 5) + "mood < 1" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(ConditionError, match="nested"):
        parse_condition("not " * (MAX_DEPTH + 5) + "mood < 1")
    with pytest.raises(ConditionError, match="nested"):
        parse_condition("mood < " + "-" * (MAX_DEPTH + 5) + "1")


def test_overlong_condition_is_refused() -> None:
    """A condition longer than the limit is refused before parsing."""
    with pytest.raises(ConditionError, match="longer than"):
        parse_condition("mood < 1 and " * 200 + "mood < 1")


def test_non_text_is_refused() -> None:
    """A number or None is not a condition."""
    with pytest.raises(ConditionError):
        parse_condition(3)  # type: ignore[arg-type]


_ALPHABET = st.sampled_from(
    list("mood trust <>=!() andornt 0123456789.-_&|+*/\"'\\\n\t") + ["and", "or", "not", "mood"]
)


@given(st.text(max_size=60))
def test_random_text_raises_only_condition_error(text: str) -> None:
    """Arbitrary text either parses or raises ConditionError: nothing else escapes."""
    try:
        expr = parse_condition(text)
    except ConditionError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        assert expr is not None


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_random_token_soup_parses_or_fails_cleanly(text: str) -> None:
    """Near-miss conditions built from real tokens parse and evaluate, or raise ConditionError."""
    try:
        expr = parse_condition(text)
        result = evaluate(expr, {"mood": Decimal(5), "trust": Decimal("0.5")})
    except ConditionError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        assert isinstance(result, bool)
