"""The condition language of scenario choices (``if: mood <= 4 and trust > 2``).

A tiny, safe expression language: numbers, state names, comparisons
(``< <= > >= == !=``, chainable like ``2 <= mood < 6``), unary minus,
``and`` / ``or`` / ``not`` and parentheses. Precedence from loosest to
tightest: ``or``, ``and``, ``not``, comparison, unary minus. Text is
tokenised, parsed by recursive descent into a small AST and evaluated over a
mapping of state values; nothing is ever handed to Python's ``eval``.
Every mistake raises :class:`ConditionError` carrying the 1-based column.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

#: How deep parentheses and ``not`` may nest (keeps recursion bounded).
MAX_DEPTH = 50

#: Longest condition accepted, in characters.
MAX_LENGTH = 1000


class ConditionError(ValueError):
    """A condition that cannot be parsed or evaluated; `column` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message


# --- AST ---------------------------------------------------------------------

Values = Mapping[str, Decimal]


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: Decimal

    def number(self, values: Values) -> Decimal:
        """The literal's value."""
        return self.value

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions (none)."""
        return ()


@dataclass(frozen=True)
class Name:
    """A state name, looked up at evaluation time."""

    name: str
    column: int

    def number(self, values: Values) -> Decimal:
        """The state value this name refers to."""
        try:
            return values[self.name]
        except KeyError:
            raise ConditionError(self.column, f"unknown state name '{self.name}'") from None

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions (none)."""
        return ()


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Numeric

    def number(self, values: Values) -> Decimal:
        """The negated operand."""
        return -self.operand.number(values)

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions."""
        return (self.operand,)


@dataclass(frozen=True)
class Compare:
    """``a < b`` or a chain ``a <= b < c`` (each adjacent pair must hold)."""

    operands: tuple[Numeric, ...]
    operators: tuple[str, ...]

    def holds(self, values: Values) -> bool:
        """Whether every adjacent comparison holds."""
        left = self.operands[0].number(values)
        for op, operand in zip(self.operators, self.operands[1:], strict=True):
            right = operand.number(values)
            if not _COMPARATORS[op](left, right):
                return False
            left = right
        return True

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions."""
        return self.operands


@dataclass(frozen=True)
class And:
    """All parts true."""

    parts: tuple[Boolean, ...]

    def holds(self, values: Values) -> bool:
        """Whether every part holds."""
        return all(part.holds(values) for part in self.parts)

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions."""
        return self.parts


@dataclass(frozen=True)
class Or:
    """At least one part true."""

    parts: tuple[Boolean, ...]

    def holds(self, values: Values) -> bool:
        """Whether some part holds."""
        return any(part.holds(values) for part in self.parts)

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions."""
        return self.parts


@dataclass(frozen=True)
class Not:
    """Negation."""

    operand: Boolean

    def holds(self, values: Values) -> bool:
        """Whether the operand does not hold."""
        return not self.operand.holds(values)

    def children(self) -> tuple[Expr, ...]:
        """Sub-expressions."""
        return (self.operand,)


Numeric = Num | Name | Neg
Boolean = Compare | And | Or | Not
Expr = Numeric | Boolean

_COMPARATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


# --- tokens ------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One token; `column` is 1-based."""

    kind: str  # "num" | "name" | "op" | "kw" | "(" | ")" | "-" | "end"
    text: str
    column: int


_KEYWORDS = frozenset({"and", "or", "not"})
_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<num>\d+(?:\.\d+)?|\.\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<paren>[()])
  | (?P<minus>-)
    """,
    re.VERBOSE,
)


def tokenize(text: str) -> list[Token]:
    """Split condition text into tokens, ending with an ``end`` token."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise ConditionError(pos + 1, f"unexpected character {text[pos]!r}")
        kind = match.lastgroup or ""
        value = match.group()
        column = pos + 1
        pos = match.end()
        if kind == "space":
            continue
        if kind == "name" and value in _KEYWORDS:
            tokens.append(Token("kw", value, column))
        elif kind == "paren":
            tokens.append(Token(value, value, column))
        elif kind == "minus":
            tokens.append(Token("-", value, column))
        else:
            tokens.append(Token(kind, value, column))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --- parser ------------------------------------------------------------------


def _numeric(expr: Expr, column: int, message: str) -> Numeric:
    if isinstance(expr, Num | Name | Neg):
        return expr
    raise ConditionError(column, message)


def _boolean(expr: Expr, column: int, message: str) -> Boolean:
    if isinstance(expr, Compare | And | Or | Not):
        return expr
    raise ConditionError(column, message)


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at_keyword(self, word: str) -> bool:
        return self.token.kind == "kw" and self.token.text == word

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(column, f"nested more than {MAX_DEPTH} levels deep")

    def parse(self) -> Boolean:
        # condition := or_expr END
        if self.token.kind == "end":
            raise ConditionError(self.token.column, "empty condition")
        expr, column = self.or_expr()
        if self.token.kind != "end":
            raise ConditionError(self.token.column, f"unexpected {_describe(self.token)}")
        return _boolean(expr, column, "a condition must compare, e.g. 'mood <= 4'")

    def or_expr(self) -> tuple[Expr, int]:
        # or_expr := and_expr ("or" and_expr)*
        return self.joined("or", self.and_expr, Or)

    def and_expr(self) -> tuple[Expr, int]:
        # and_expr := not_expr ("and" not_expr)*
        return self.joined("and", self.not_expr, And)

    def joined(
        self,
        word: str,
        rule: Callable[[], tuple[Expr, int]],
        make: Callable[[tuple[Boolean, ...]], Expr],
    ) -> tuple[Expr, int]:
        first, column = rule()
        if not self.at_keyword(word):
            return first, column
        parts = [_boolean(first, column, f"expected a comparison before '{word}'")]
        while self.at_keyword(word):
            keyword = self.advance()
            expr, part_column = rule()
            parts.append(
                _boolean(expr, part_column, f"expected a comparison after '{keyword.text}'")
            )
        return make(tuple(parts)), column

    def not_expr(self) -> tuple[Expr, int]:
        # not_expr := "not" not_expr | comparison
        if not self.at_keyword("not"):
            return self.comparison()
        token = self.advance()
        self.enter(token.column)
        expr, column = self.not_expr()
        self.depth -= 1
        return Not(_boolean(expr, column, "expected a comparison after 'not'")), token.column

    def comparison(self) -> tuple[Expr, int]:
        # comparison := operand (OP operand)*
        first, column = self.operand()
        if self.token.kind != "op":
            return first, column
        operands = [_numeric(first, column, "cannot compare the result of a comparison")]
        operators: list[str] = []
        while self.token.kind == "op":
            op = self.advance()
            right, right_column = self.operand()
            message = f"expected a number or a state name after '{op.text}'"
            operands.append(_numeric(right, right_column, message))
            operators.append(op.text)
        return Compare(tuple(operands), tuple(operators)), column

    def operand(self) -> tuple[Expr, int]:
        # operand := NUMBER | NAME | "-" operand | "(" or_expr ")"
        token = self.token
        if token.kind == "num":
            self.advance()
            return Num(Decimal(token.text)), token.column
        if token.kind == "name":
            self.advance()
            return Name(token.text, token.column), token.column
        if token.kind == "-":
            self.advance()
            self.enter(token.column)
            inner, inner_column = self.operand()
            self.depth -= 1
            value = _numeric(inner, inner_column, "'-' needs a number or a state name")
            if isinstance(value, Num):
                return Num(-value.value), token.column
            return Neg(value), token.column
        if token.kind == "(":
            self.advance()
            self.enter(token.column)
            inner, _ = self.or_expr()
            self.depth -= 1
            if self.token.kind != ")":
                raise ConditionError(
                    self.token.column,
                    f"expected ')' to close the '(' at column {token.column},"
                    f" found {_describe(self.token)}",
                )
            self.advance()
            return inner, token.column
        raise ConditionError(
            token.column, f"expected a number or a state name, found {_describe(token)}"
        )


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the condition"
    return f"'{token.text}'"


def parse_condition(text: str) -> Boolean:
    """Parse condition text into an expression tree (raises `ConditionError`)."""
    if not isinstance(text, str):
        raise ConditionError(1, "a condition must be text")
    if len(text) > MAX_LENGTH:
        raise ConditionError(MAX_LENGTH + 1, f"longer than {MAX_LENGTH} characters")
    return _Parser(tokenize(text)).parse()


# --- evaluation --------------------------------------------------------------


def evaluate(expr: Boolean, values: Values) -> bool:
    """Whether a parsed condition holds for the given state values."""
    return expr.holds(values)


def names(expr: Expr) -> list[Name]:
    """Every state name the expression reads, in order of appearance."""
    found: list[Name] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            found.append(node)
        stack.extend(reversed(node.children()))
    return found
