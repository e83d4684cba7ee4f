"""Twee 3 export and import: Twine's link forms, annotations, and exact round trips."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.scenarios import (
    Scenario,
    load_twee,
    parse_scenario,
    parse_twee,
    story_ifid,
    to_twee,
)
from academy.scenarios.parse import NODE_ID_RE, RESERVED_IDS
from academy.scenarios.twee import parse_link
from academy.vocabulary import AXES, DISCIPLINES

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))


def round_trip(scenario: Scenario) -> Scenario:
    """Export to Twee, import, validate; fail on any problem."""
    data, problems = parse_twee(to_twee(scenario), scenario.slug)
    assert problems == []
    again, found = parse_scenario(data, scenario.slug)
    assert again is not None, found
    return again


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("Next room", ("Next room", "Next room")),
        ("Knock on the door|Next room", ("Knock on the door", "Next room")),
        ("Knock on the door->Next room", ("Knock on the door", "Next room")),
        ("Next room<-Knock on the door", ("Knock on the door", "Next room")),
        ("a->b->c", ("a->b", "c")),
        ("c<-b<-a", ("b<-a", "c")),
        ("x|y|z", ("x|y", "z")),
        ("Go->Next][$x to 1", ("Go", "Next")),
        (" spaced -> target ", ("spaced", "target")),
    ],
)
def test_link_forms(inner: str, expected: tuple[str, str]) -> None:
    """The inside of a link splits into (text, target) the way Twine 2 does it."""
    assert parse_link(inner) == expected


TWINE_AUTHORED = """\
:: StoryTitle
At the window


:: StoryData
{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "format": "Harlowe",
 "format-version": "3.3.9", "start": "Window"}


:: Window [speaker-resident] {"position":"100,100","size":"100,100"}
The tap water is brown again.

[[Listen]]
<!-- academy {"scores": {"listen": 2}, "feedback": "You let them finish."} -->
[[Shrug|Shrug]]
<!-- academy {"feedback": "A shrug says: not my problem."} -->
[[Call the dispatcher->Dispatch]]
<!-- academy {"feedback": "Arranged on the spot.", "scores": {"act": 1}} -->
[[Leave<-Send them home]]
<!-- academy {"feedback": "Sent away."} -->


:: Listen [speaker-resident ending-success]
Thank you for listening.


:: Shrug [ending-failure]
They leave angry.


:: Dispatch [ending-success]
A repair is booked.


:: Leave [ending-partial]
They will come back tomorrow.
<!-- academy {"summary": "Nothing solved yet."} -->


:: Style [stylesheet]
tw-story { color: black; }
"""


def test_all_four_link_forms_import() -> None:
    """`[[t]]`, `[[x|t]]`, `[[x->t]]` and `[[t<-x]]` each become a choice in order."""
    data, problems = parse_twee(TWINE_AUTHORED, "window")
    assert problems == []
    choices = data["nodes"]["Window"]["choices"]
    assert [(c["text"], c["goto"]) for c in choices] == [
        ("Listen", "Listen"),
        ("Shrug", "Shrug"),
        ("Call the dispatcher", "Dispatch"),
        ("Send them home", "Leave"),
    ]
    assert choices[0]["scores"] == {"listen": 2}
    assert data["nodes"]["Window"]["text"] == "The tap water is brown again."
    assert data["nodes"]["Window"]["speaker"] == "resident"
    assert data["nodes"]["Leave"] == {
        "ending": "partial",
        "text": "They will come back tomorrow.",
        "summary": "Nothing solved yet.",
    }
    assert "Style" not in data["nodes"]
    scenario, found = parse_scenario(data, "window")
    assert scenario is not None, found
    assert scenario.title == "At the window" and scenario.start == "Window"


def test_inline_links_keep_their_words_in_the_text() -> None:
    """A link inside a sentence becomes a choice; the sentence keeps the link's words."""
    text = (
        ':: StoryTitle\nT\n\n:: StoryData\n{"ifid": "X", "start": "A"}\n\n'
        ":: A\nYou can [[wait->B]] or [[leave|C]] now.\n\n:: B [ending-success]\n\n"
        ":: C [ending-failure]\n"
    )
    data, problems = parse_twee(text, "t")
    assert problems == []
    assert data["nodes"]["A"]["text"] == "You can wait or leave now."
    assert [c["goto"] for c in data["nodes"]["A"]["choices"]] == ["B", "C"]


def test_start_falls_back_to_the_start_passage() -> None:
    """Without a StoryData start, a passage named Start is the start."""
    text = ":: StoryTitle\nT\n\n:: Start\nHi\n[[End]]\n\n:: End [ending-success]\n"
    data, problems = parse_twee(text, "t")
    assert problems == []
    assert data["start"] == "Start"


def test_twee_problems_have_lines() -> None:
    """Bad JSON, unknown annotation keys, duplicates and a missing start are reported by line."""
    text = (
        "junk before\n"
        ":: StoryTitle\nT\n"
        ":: A [speaker-resident speaker-phone]\nHi\n"
        "[[B]]\n<!-- academy {not json} -->\n"
        '[[B]]\n<!-- academy {"colour": 1} -->\n'
        ":: A\nagain\n"
        ":: B [ending-success]\n"
    )
    _, problems = parse_twee(text, "t")
    found = [(p.line, p.severity, p.message) for p in problems]
    assert (1, "warning", "text before the first passage header is ignored") in found
    assert (4, "error", "more than one speaker- tag") in found
    assert any(p.line == 7 and "not valid JSON" in p.message for p in problems)
    assert any(p.line == 9 and "unknown annotation key 'colour'" in p.message for p in problems)
    assert any(p.line == 10 and "duplicate passage name 'A'" in p.message for p in problems)
    assert any("no start passage" in p.message for p in problems)


def test_line_map_points_into_the_twee_file() -> None:
    """`load_twee` maps data paths to Twee lines so scenario errors can say `file:line`."""
    data, lines, problems = load_twee(TWINE_AUTHORED, "window")
    assert problems == []
    data["nodes"]["Window"]["choices"][2]["goto"] = "Nowhere"
    _, found = parse_scenario(data, "window")
    located = lines.locate("window.twee", found)
    assert [str(p) for p in located] == [
        "window.twee:17: goto 'Nowhere' is not a node of this scenario",
        "window.twee:31: node 'Dispatch' cannot be reached from 'Window'",
    ]


def test_export_shape(tiny: Scenario) -> None:
    """The export has StoryTitle, StoryData (IFID from the slug), tags and arrow links."""
    text = to_twee(tiny)
    assert text.startswith(":: StoryTitle\nA resident at the window\n")
    story_data = json.loads(text.split(":: StoryData\n", 1)[1].split("\n\n\n", 1)[0])
    assert story_data["ifid"] == story_ifid("tiny")
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", story_data["ifid"])
    assert story_ifid("tiny") == story_ifid("tiny") != story_ifid("other")
    assert story_data["format"] == "Harlowe" and story_data["start"] == "arrive"
    assert ":: arrive [speaker-resident] {" in text
    assert ":: resolved [speaker-narrator ending-success] {" in text
    assert "[[Call the dispatcher now and give a time and your name.->resolved]]" in text
    assert '<!-- academy {"if": "mood <= 5"' in text


def test_tiny_round_trip(tiny: Scenario) -> None:
    """Export then import gives back an equal scenario."""
    assert round_trip(tiny) == tiny


def test_hostile_text_round_trips(tiny: Scenario) -> None:
    """Text that looks like Twee or link markup is carried exactly."""
    data = tiny.to_data()
    data["nodes"]["arrive"]["text"] = (
        ":: Not a header\n\\:: nor this\n[[not a link]] <!-- academy {} -->"
    )
    data["nodes"]["arrive"]["choices"][0]["text"] = "a -> b | c ]] [[ d <- e ][ f --> g"
    data["nodes"]["arrive"]["choices"][0]["feedback"] = "end --> of comment"
    data["nodes"]["resolved"]["summary"] = "<!-- academy --> ]]"
    data["title"] = ":: Title"
    scenario, problems = parse_scenario(data, "tiny")
    assert scenario is not None, problems
    assert round_trip(scenario) == scenario
    text = to_twee(scenario)
    # Twine must see exactly one link per choice: none hide in text or annotations.
    assert len(re.findall(r"\[\[.*?\]\]", text)) == 4
    # ...and exactly one passage header per node plus the three special passages.
    headers = [line for line in text.splitlines() if line.startswith("::")]
    assert len(headers) == 3 + len(scenario.nodes)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_round_trip(path: Path) -> None:
    """Both shipped scenarios survive Twee export and import unchanged."""
    from academy.scenarios import validate_scenario_text

    scenario, problems = validate_scenario_text(path.read_text("utf-8"), path.name)
    assert scenario is not None, problems
    assert round_trip(scenario) == scenario


# --- hypothesis: generated valid scenarios ------------------------------------

_FRAGMENTS = [
    "a",
    "Z",
    "mood",
    " ",
    "  ",
    "\n",
    "\n\n",
    "->",
    "<-",
    "|",
    "[[",
    "]]",
    "[",
    "]",
    "][",
    "{",
    "}",
    "<!--",
    "-->",
    "<!-- academy",
    "::",
    "\\",
    '"',
    "'",
    "#",
    "*",
    "&",
    "<script>",
    "居民",
    "停水",
    "一米见微笑",
    "\t",
    "é",
    "0.5",
    "$x",
]
TEXT = st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=8).map("".join)
REQUIRED_TEXT = TEXT.filter(lambda t: bool(t.strip()))
_ID_FRAGMENTS = [
    "a",
    "Z",
    "n1",
    "0",
    "-",
    ".",
    "#",
    "_",
    ":",
    "::",
    "'",
    '"',
    "&",
    " x",
    "接待",
    "é",
    "😀",
    "$",
    "Story",
    "Data",
]
NODE_ID = (
    st.lists(st.sampled_from(_ID_FRAGMENTS), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda s: NODE_ID_RE.fullmatch(s) is not None and s not in RESERVED_IDS)
)
CONDITIONS = [
    "mood <= 5",
    "mood > 3 and trust < 1",
    "not (mood == 10)",
    "2 <= mood < 8",
    "trust >= 0.5 or mood < 2",
]
POINTS = st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -0.5, 1.5]))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Scenario data that is valid by construction (acyclic, every node reachable)."""
    ids = draw(st.lists(NODE_ID, min_size=2, max_size=7, unique=True))
    endings = draw(st.integers(1, max(1, len(ids) - 1)))
    inner = ids[: len(ids) - endings]
    if not inner:
        inner, endings = ids[:1], len(ids) - 1
    ends = ids[len(inner) :]

    def choice(target: str, conditional: bool) -> dict[str, Any]:
        data: dict[str, Any] = {"text": draw(REQUIRED_TEXT), "goto": target}
        if conditional and draw(st.booleans()):
            data["if"] = draw(st.sampled_from(CONDITIONS))
        effects = draw(
            st.dictionaries(
                st.sampled_from(["mood", "trust"]),
                st.sampled_from([-2, -1, 1, 3, 0.5, -0.25]),
                max_size=2,
            )
        )
        if effects:
            data["effects"] = effects
        scores = draw(st.dictionaries(st.sampled_from(DISCIPLINES), POINTS, max_size=3))
        if scores:
            data["scores"] = scores
        axes = draw(st.dictionaries(st.sampled_from(AXES), st.integers(-2, 2), max_size=2))
        if axes:
            data["axes"] = axes
        data["feedback"] = draw(REQUIRED_TEXT)
        if draw(st.booleans()):
            data["better"] = draw(REQUIRED_TEXT)
        return data

    nodes: dict[str, Any] = {}
    for position, node_id in enumerate(inner):
        later = ids[position + 1 :]
        choices = [choice(later[0], conditional=False)]
        for _ in range(draw(st.integers(0, 2))):
            choices.append(choice(draw(st.sampled_from(later)), conditional=True))
        nodes[node_id] = {
            "speaker": draw(st.sampled_from(["resident", "narrator", "phone", "dispatcher"])),
            "text": draw(REQUIRED_TEXT),
            "choices": choices,
        }
    for node_id in ends:
        ending: dict[str, Any] = {
            "ending": draw(st.sampled_from(["success", "partial", "failure"]))
        }
        if draw(st.booleans()):
            ending["text"] = draw(TEXT)
        if draw(st.booleans()):
            ending["summary"] = draw(TEXT)
        nodes[node_id] = ending
    for node_id in ends[1:]:
        source = draw(st.sampled_from(inner))
        nodes[source]["choices"].append(choice(node_id, conditional=False))
    data: dict[str, Any] = {
        "title": draw(REQUIRED_TEXT),
        "start": ids[0],
        "state": {
            "mood": draw(st.integers(0, 10)),
            "trust": {"initial": 0.5, "min": 0, "max": draw(st.sampled_from([1, 1.5, 2]))},
        },
        "nodes": nodes,
    }
    for key in ("summary", "setting"):
        if draw(st.booleans()):
            data[key] = draw(TEXT)
    if draw(st.booleans()):
        data["disciplines"] = list(DISCIPLINES)
    data["pass_score"] = draw(st.sampled_from([0, 50, 70, 82.5, 100]))
    if draw(st.booleans()):
        data["minutes"] = draw(st.sampled_from([5, 12, 7.5]))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_round_trip_property(data: dict[str, Any]) -> None:
    """For any valid scenario s: parse_scenario(parse_twee(to_twee(s))) == s."""
    scenario, problems = parse_scenario(data, "generated")
    assert scenario is not None, problems
    assert round_trip(scenario) == scenario
