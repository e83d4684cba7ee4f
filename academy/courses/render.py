"""Authored Markdown → safe HTML. The one place authored text becomes markup.

Rendering happens once, when content is synced; pages only serve the stored
result. Sanitising with nh3 (ammonia) removes scripts, event handlers,
``javascript:`` URLs, iframes, forms and styles while ordinary formatting
(headings, lists, tables, code, quotes, images, links) survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3

_EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "sane_lists", "attr_list"]

_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map", "center", "strike", "tt", "acronym"}
_ATTRIBUTES: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
for _heading in ("h1", "h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES.setdefault(_heading, set()).add("id")
# Admonitions and code highlighting are styled by class; ids only come from the toc.
for _tag in ("div", "p", "code", "span", "pre", "table", "td", "th"):
    _ATTRIBUTES.setdefault(_tag, set()).add("class")

_URL_SCHEMES = {"http", "https", "mailto", "tel"}

#: Limits on authored Markdown. Python-Markdown's inline patterns cost time that
#: grows with the square of the links in one paragraph (5,000 links: 97 s) and its
#: block parser recurses per nesting level, so text beyond these is refused with a
#: line number instead of rendered (measured worst case within them: bench/render_limits.py).
MAX_MARKDOWN_CHARS = 300_000
MAX_NESTING = 16  # list, quote and bracket levels
MAX_INDENT = 4 * MAX_NESTING
MAX_LINKS_PER_PARAGRAPH = 60
MAX_LINKS = 1_000


class MarkdownLimitError(ValueError):
    """Markdown beyond a limit; `line` is 1-based within the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def markdown_limit(text: str) -> MarkdownLimitError | None:
    """The first limit `text` exceeds (size, nesting, links), or None. Linear time."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return MarkdownLimitError(
            1, f"the text has {len(text):,} characters; at most {MAX_MARKDOWN_CHARS:,}"
        )
    links = in_paragraph = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            in_paragraph = 0
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        stripped = line.lstrip("> \t")
        quotes = line[: len(line) - len(stripped)].count(">")
        if indent > MAX_INDENT or quotes > MAX_NESTING:
            return MarkdownLimitError(
                number, f"nested more than {MAX_NESTING} levels deep (lists or quotes)"
            )
        depth = 0
        for char in line:
            if char in "[(":
                depth += 1
                if depth > MAX_NESTING:
                    return MarkdownLimitError(
                        number, f"brackets nested more than {MAX_NESTING} levels deep"
                    )
            elif char in "])" and depth:
                depth -= 1
        opened = line.count("[")
        in_paragraph += opened
        links += opened
        if in_paragraph > MAX_LINKS_PER_PARAGRAPH:
            return MarkdownLimitError(
                number,
                f"more than {MAX_LINKS_PER_PARAGRAPH} links or brackets in one paragraph;"
                " split it with blank lines",
            )
        if links > MAX_LINKS:
            return MarkdownLimitError(number, f"more than {MAX_LINKS:,} links or brackets")
    return None


@dataclass(frozen=True)
class Rendered:
    """A rendered document: sanitised body HTML and its table of contents."""

    html: str
    toc: tuple[tuple[int, str, str], ...]  # (level, anchor id, title)


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML down to the allowed formatting tags."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_TASK = re.compile(r"^(\s*(?:[-*+]|\d+\.)\s+)\[([ xX])\]\s", re.MULTILINE)


def render_markdown(text: str) -> Rendered:
    """Render Markdown (tables, fenced code, toc, admonitions) and sanitise it.

    Checklist items (``- [ ] …``) become printable boxes (☐ / ☑). Raises
    `MarkdownLimitError` for text beyond the limits above (validators report it
    as ``file:line`` first, so published content never reaches that).
    """
    problem = markdown_limit(text)
    if problem is not None:
        raise problem
    md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    text = _TASK.sub(lambda m: m.group(1) + ("☐ " if m.group(2) == " " else "☑ "), text)
    try:
        html = md.convert(text)
    except RecursionError:
        raise MarkdownLimitError(1, "the text is nested too deeply to render") from None
    toc = tuple(_flatten_toc(getattr(md, "toc_tokens", [])))
    return Rendered(sanitise_html(html), toc)


def render_inline(text: str) -> str:
    """Render a short Markdown text (a scenario line, a feedback note) to safe HTML."""
    return render_markdown(text).html


def _flatten_toc(tokens: list[dict]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for token in tokens:
        out.append((int(token["level"]), str(token["id"]), _plain(str(token["name"]))))
        out.extend(_flatten_toc(token.get("children", [])))
    return out


def _plain(name: str) -> str:
    return nh3.clean(name, tags=set())
