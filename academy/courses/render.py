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

    Checklist items (``- [ ] …``) become printable boxes (☐ / ☑).
    """
    md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    text = _TASK.sub(lambda m: m.group(1) + ("☐ " if m.group(2) == " " else "☑ "), text)
    html = md.convert(text)
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
