"""Import warnings and errors (Twine, GIFT) in the reader's language.

The importers are pure and speak English (the command line prints them as they
are). Here each of their messages is a gettext msgid whose ``%(name)s`` parts
stand for what the message quotes from the file (a passage name, a link, a
macro); the English text is matched against them and the quoted parts are kept
as written. A message not listed here is shown in English, still after its
translated line number.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = (
    # Twine (academy.scenarios.twine_import, academy.scenarios.twee)
    _l("duplicate passage name '%(name)s' (first at line %(first)s): this one is not imported"),
    _l(
        "'%(name)s' is a special passage of the story format (menu, script, style or"
        " decoration), not a step of the drill: not imported"
    ),
    _l("no StoryTitle passage: the drill's title is a placeholder"),
    _l("StoryData is not valid JSON: IFID and story format not kept"),
    _l("StoryData is not a JSON object: not read"),
    _l(
        "the starting value of '%(name)s' (%(value)s) is not a number or true/false: not"
        " imported, conditions on it are offered always"
    ),
    _l(
        "'%(name)s' is a special passage: only its starting values are read (its text is not shown)"
    ),
    _l("nothing in '%(name)s' could be imported"),
    _l("Chapbook insert {%(name)s} is not imported"),
    _l("Snowman JavaScript <%% … %%> is not imported"),
    _l(
        "the link '%(link)s' is inside a condition (%(condition)s, line %(at)s) that cannot be"
        " translated: it is offered always; add an 'if:' in the draft or remove it"
    ),
    _l(
        "text inside the condition %(condition)s is shown always (a drill node's text has no"
        " conditions)"
    ),
    _l("the condition on '%(name)s' is not imported"),
    _l("'%(setting)s' is not a number: not imported"),
    _l("'%(setting)s' is not imported (only +/- a number)"),
    _l("'%(setting)s' in %(passage)s is not imported"),
    _l("Chapbook modifier [%(name)s] is not imported"),
    _l("<<goto>> moves on to '%(target)s' without asking: it became a choice '继续'"),
    _l(
        "<<%(macro)s>> '%(link)s' does not go to another passage: not a choice (its text is"
        " dropped)"
    ),
    _l("<<set %(args)s>> inside a condition is not imported"),
    _l("<<%(name)s>> (go back) is not imported: add a choice if needed"),
    _l("<<%(macro)s>>: the included passage's text is not shown here"),
    _l("SugarCube macro <<%(name)s>> is not imported"),
    _l("%(condition)s is not closed with <</if>>"),
    _l("(goto:) moves on to '%(target)s' without asking: it became a choice '继续'"),
    _l("(%(name)s:) '%(target)s' does not go to another passage: not a choice"),
    _l("(set: %(args)s) inside a condition is not imported"),
    _l("(%(name)s:) is not imported: its text is not shown here"),
    _l("Harlowe macro (%(name)s:) is not imported"),
    _l("the academy annotation after this link is not valid JSON"),
    _l("link without a target passage: not imported"),
    _l(
        "setting '%(name)s' (%(change)s) is not imported: only adding or taking away a number,"
        " or setting true/false, becomes an effect"
    ),
    _l("the start passage '%(name)s' is not a story passage"),
    _l("no start passage given: the drill starts at '%(name)s'"),
    _l(
        "the link '%(link)s' goes to '%(target)s', which is not a passage of the story: not"
        " imported"
    ),
    _l("passage '%(name)s' cannot be reached from '%(start)s': not imported"),
    _l("passage '%(name)s' has no text: fill it in"),
    _l(
        "passage '%(name)s' has no links, so it is an ending: choose success, partial or"
        " failure and write its summary"
    ),
    _l(
        "state '%(name)s' starts at %(initial)s and is kept between %(low)s and %(high)s (a"
        " drill's state has limits; a Twine variable has none)"
    ),
    _l("choice '%(choice)s' has no feedback and no scores: fill it in before publishing"),
    _l("choice '%(choice)s' has no feedback: fill it in before publishing"),
    _l("passage '%(name)s' is named '%(id)s' in the drill"),
    _l("no story passages: this is not a Twine story"),
    _l("text before the first passage header is ignored"),
    _l("tag block is not closed with ']'"),
    _l("passage metadata is not a JSON object; ignored"),
    _l("unexpected text after the passage name: %(rest)s"),
    _l("link without a target passage; ignored"),
    _l("more than one passage annotation; later ones ignored"),
    _l("annotation is not valid JSON: %(error)s"),
    _l("annotation must be a JSON object {…}"),
    _l("unknown annotation key '%(key)s' for a choice"),
    _l("unknown annotation key '%(key)s' for a passage"),
    # GIFT (academy.quizzes.gift)
    _l("essay question ({} with no answers) is not supported; skipped"),
    _l(
        "[html]: %(url)s is a file of the Moodle question bank, not in the GIFT file: upload it"
        " in the studio and insert it"
    ),
    _l("[html]: unsafe link or media address dropped: %(url)s"),
    _l("[html]: formatting dropped (%(tags)s); links and images are kept"),
    _l(
        "matching distractor '%(right)s' (a right side with no left) dropped: Academy's"
        " matching has no extra right sides"
    ),
    _l("'*' (any other answer) is not supported and was dropped"),
    _l("'*' (any other answer%(credit)s) is not supported and was dropped%(lost)s"),
    _l(
        "'~' (feedback for any other answer: '%(lost)s') is not supported in a numerical"
        " question and was dropped"
    ),
    _l("'// academy:points=%(value)s' needs a number"),
    _l("unknown annotation '// academy:%(name)s'"),
    _l("unknown annotation '%(name)s'"),
    _l("'// academy:%(name)s' is not followed by a question"),
    _l("missing-word question: the answers' place in the sentence is shown as %(blank)s"),
    _l("the title is not closed: '::title::' expected"),
    _l("description (text with no answers in { }) is not supported; skipped"),
    _l("unbalanced braces: each question needs one '{' … '}' answer section"),
    _l("more than one answer section ('{ }') in one question is not supported"),
    _l("missing-word question (text after the answers) is not supported; skipped"),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _pattern(msgid: str) -> re.Pattern[str]:
    parts, at = [], 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[at : match.start()]))
        parts.append("%" if match.group(0) == "%%" else f"(?P<{match.group(1)}>.*?)")
        at = match.end()
    parts.append(re.escape(msgid[at:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    msgids = [str(message._args[0]) for message in MESSAGES]  # noqa: SLF001 - the msgid
    return tuple((msgid, _pattern(msgid)) for msgid in msgids)


def known(message: str) -> bool:
    """Whether `message` has a translation pattern here."""
    return any(pattern.fullmatch(message) for _msgid, pattern in _patterns())


def translate(message: str) -> str:
    """`message` of an importer in the reader's language (as it is when not listed)."""
    for msgid, pattern in _patterns():
        match = pattern.fullmatch(message)
        if match is not None:
            return str(_(msgid)) % match.groupdict()
    return message


def problem_text(problem: Any) -> str:
    """``line N: message`` (``line N: warning: message``) of a Twine or GIFT problem."""
    text = translate(problem.message)
    if getattr(problem, "severity", "error") == "error":
        return _("line %(n)d: %(message)s", n=problem.line, message=text)
    return _("line %(n)d: warning: %(message)s", n=problem.line, message=text)
