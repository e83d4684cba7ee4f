"""Lenient Twee import: plain Twine stories become draft drills, every change reported."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.scenarios import parse_scenario, to_twee, validate_scenario_text
from academy.scenarios.parse import PLACEHOLDER_RE
from academy.scenarios.twine_import import (
    CODE_TAGS,
    FEEDBACK_PLACEHOLDER,
    TwineDraft,
    import_twine_draft,
)

PEERS = sorted((Path(__file__).resolve().parents[1] / "data" / "twee-peers").glob("*.twee"))


def story(body: str, fmt: str = "Harlowe", start: str = "Start") -> str:
    return (
        ":: StoryTitle\nA story\n\n:: StoryData\n"
        f'{{"ifid": "11111111-2222-4333-8444-555555555555", "format": "{fmt}",'
        f' "format-version": "1.0.0", "start": "{start}"}}\n\n{body}'
    )


def draft(text: str) -> tuple[TwineDraft, dict]:
    result = import_twine_draft(text, "story")
    assert result.yaml_text is not None
    return result, yaml.safe_load(result.yaml_text)


def messages(result: TwineDraft) -> list[str]:
    return [str(w) for w in result.warnings]


def fill(yaml_text: str) -> str:
    return PLACEHOLDER_RE.sub("写好了：", yaml_text)


# --- peers -----------------------------------------------------------------------------


def test_at_least_nine_in_ten_peer_stories_arrive_as_drafts() -> None:
    """Cookbook / extwee style stories (Harlowe, SugarCube, Chapbook, Snowman)."""
    assert len(PEERS) >= 10
    results = {p.name: import_twine_draft(p.read_text("utf-8"), "peer", p.name) for p in PEERS}
    arrived = [name for name, r in results.items() if r.imported]
    share = len(arrived) / len(results)
    assert share >= 0.9, {n: r.blocking for n, r in results.items() if not r.imported}
    # The one that does not is a hub with no ending at all: said so, not hidden.
    refused = results["10-open-hub.twee"]
    assert not refused.imported
    assert any("never reaches an ending" in p.message for p in refused.blocking)


def test_every_peer_draft_is_refused_for_publishing_until_filled() -> None:
    for peer in PEERS:
        result = import_twine_draft(peer.read_text("utf-8"), "peer", peer.name)
        if not result.imported:
            continue
        scenario, problems = validate_scenario_text(result.yaml_text, "peer.yaml")
        assert scenario is None
        assert any("import placeholder" in p.message for p in problems)
        filled, problems = validate_scenario_text(fill(result.yaml_text), "peer.yaml")
        assert filled is not None, (peer.name, problems)


# --- placeholders ----------------------------------------------------------------------


def test_plain_story_gets_placeholders_and_warnings_at_their_lines() -> None:
    text = story(":: Start\nA fork in the road.\n[[Go left]]\n[[Go right]]\n\n:: Go left\nEnd.\n")
    result, data = draft(text)
    choice = data["nodes"]["Start"]["choices"][0]
    assert choice == {
        "text": "Go left",
        "goto": "Go left",
        "scores": {},
        "feedback": FEEDBACK_PLACEHOLDER,
    }
    assert (
        "line 9: warning: choice 'Go left' has no feedback and no scores:"
        " fill it in before publishing" in messages(result)
    )
    assert data["nodes"]["Go left"]["ending"] == "partial"
    assert PLACEHOLDER_RE.search(data["nodes"]["Go left"]["summary"])
    assert "line 10: warning: the link 'Go right' goes to 'Go right', which is not a passage" in (
        " ".join(messages(result))
    )
    scenario, problems = validate_scenario_text(result.yaml_text, "story.yaml")
    assert scenario is None
    assert {p.message for p in problems if p.severity == "error"} == {
        "'feedback' still holds an import placeholder (TODO: …): write it before publishing",
        "'summary' still holds an import placeholder (TODO: …): write it before publishing",
    }


def test_special_passages_are_not_nodes() -> None:
    body = (
        ":: StoryAuthor\nMe\n\n:: StoryMenu\n[[Start]]\n\n:: StoryInit\n<<set $x to 1>>\n\n"
        ":: Style [stylesheet]\nbody {}\n\n:: Code [script]\nvar a;\n\n"
        ":: PassageHeader\nHead\n\n:: Start\nHi\n[[End]]\n\n:: End\nBye\n"
    )
    _, data = draft(story(body, "SugarCube"))
    assert list(data["nodes"]) == ["Start", "End"]
    assert data["state"] == {"x": {"initial": 1, "min": 0, "max": 10}}


def test_all_link_forms() -> None:
    body = (
        ":: Start\nPick.\n[[A]]\n[[to b|B]]\n[[to c->C]]\n[[D<-to d]]\n"
        '(link-goto: "to e", "E")\n'
        '(click-goto: "to f", "F")\n(link: "to g")[(goto: "G")]\n'
        + "".join(f":: {n}\n{n}.\n\n" for n in "ABCDEFG")
    )
    _, data = draft(story(body))
    choices = [(c["text"], c["goto"]) for c in data["nodes"]["Start"]["choices"]]
    assert choices == [
        ("A", "A"),
        ("to b", "B"),
        ("to c", "C"),
        ("to d", "D"),
        ("to e", "E"),
        ("to f", "F"),
        ("to g", "G"),
    ]


def test_sugarcube_link_macros_and_setters() -> None:
    body = (
        ":: StoryInit\n<<set $trust to 2>>\n\n"
        ':: Start\nHello.\n<<link "Ask" "B">><</link>>\n'
        '<<link "Wait">><<set $trust -= 1>><<goto "B">><</link>>\n'
        "<<button [[Leave|B]]>><</button>>\n[[Smile|B][$trust to $trust + 1]]\n\n"
        ":: B\nBye.\n"
    )
    _, data = draft(story(body, "SugarCube"))
    choices = data["nodes"]["Start"]["choices"]
    assert [(c["text"], c.get("effects")) for c in choices] == [
        ("Ask", None),
        ("Wait", {"trust": -1}),
        ("Leave", None),
        ("Smile", {"trust": 1}),
    ]


def test_sugarcube_if_becomes_conditions() -> None:
    body = (
        ":: StoryInit\n<<set $mood to 5>>\n\n"
        ":: Start\nHm.\n<<if $mood gte 4>>[[Calm|A]]<<elseif $mood is 2>>[[Odd|A]]"
        "<<else>>[[Angry|A]]<</if>>\n[[Always|A]]\n\n:: A\nEnd.\n"
    )
    result, data = draft(story(body, "SugarCube"))
    conditions = [c.get("if") for c in data["nodes"]["Start"]["choices"]]
    assert conditions == [
        "mood >= 4",
        "not (mood >= 4) and (mood == 2)",
        "not (mood >= 4) and not (mood == 2)",
        None,
    ]
    scenario, _ = parse_scenario(yaml.safe_load(fill(result.yaml_text)), "story")
    assert scenario is not None


def test_untranslatable_condition_is_reported_and_the_choice_offered_always() -> None:
    body = ':: Start\nHm.\n<<if $bag.includes("key")>>\n[[Open|A]]\n<</if>>\n\n:: A\nEnd.\n'
    result, data = draft(story(body, "SugarCube"))
    assert "if" not in data["nodes"]["Start"]["choices"][0]
    assert any(
        "line 10:" in m and "cannot be translated: it is offered always" in m
        for m in messages(result)
    )


def test_harlowe_if_else_hooks_and_set() -> None:
    body = (
        ":: Setup [startup]\n(set: $gold to 1)\n\n"
        ":: Start\nShop.\n(if: $gold > 0)[[[Buy->A]]](else:)[[[Beg->A]]]\n\n"
        ":: A\n(set: $gold to it - 1)Done.\n[[End]]\n\n:: End\nBye.\n"
    )
    _, data = draft(story(body))
    choices = data["nodes"]["Start"]["choices"]
    assert [(c["text"], c.get("if"), c.get("effects")) for c in choices] == [
        ("Buy", "gold > 0", {"gold": -1}),
        ("Beg", "not (gold > 0)", {"gold": -1}),
    ]
    assert data["nodes"]["A"]["text"] == "Done."


def test_chapbook_vars_section_and_modifiers() -> None:
    body = (
        ":: Start\nluck: 1\n--\nA coin.\n[[Flip->B]]\n\n"
        ":: B\nluck: luck + 1\n--\n[if luck > 1]\n[[Win->C]]\n[else]\n[[Lose->C]]\n"
        "[continue]\n{link to: 'C', label: 'Walk away'}\n\n:: C\nEnd.\n"
    )
    _, data = draft(story(body, "Chapbook"))
    assert data["state"]["luck"]["initial"] == 1
    assert data["nodes"]["Start"]["choices"][0]["effects"] == {"luck": 1}
    assert [(c["text"], c.get("if")) for c in data["nodes"]["B"]["choices"]] == [
        ("Win", "luck > 1"),
        ("Lose", "not (luck > 1)"),
        ("Walk away", None),
    ]


def test_snowman_links() -> None:
    body = ':: Start\nGo <a href="#" data-passage="B">there</a>.\n\n:: B\nEnd.\n'
    result, data = draft(story(body, "Snowman"))
    assert data["nodes"]["Start"]["choices"][0]["goto"] == "B"
    assert data["nodes"]["Start"]["text"] == "Go there."


def test_changes_of_meaning_are_warnings() -> None:
    body = (
        ':: Start\n(text-colour: red)[Red] text.\n<<goto "B">>\n[[B]]\n\n'
        ':: Lost\nNobody links here.\n\n:: B\n(display: "Lost")End.\n'
    )
    result = import_twine_draft(story(body, "Harlowe"), "story")
    found = " | ".join(messages(result))
    assert "Harlowe macro (text-colour:) is not imported" in found
    assert "passage 'Lost' cannot be reached from 'Start': not imported" in found
    assert "(display:) is not imported" in found
    assert all(w.severity == "warning" for w in result.warnings)


def test_goto_becomes_a_continue_choice() -> None:
    body = ':: Start\nThe phone rings.\n<<goto "B">>\n\n:: B\nEnd.\n'
    result, data = draft(story(body, "SugarCube"))
    assert data["nodes"]["Start"]["choices"][0]["text"] == "继续"
    assert any("<<goto>> moves on to 'B'" in m for m in messages(result))


def test_bad_passage_names_are_renamed_with_a_warning() -> None:
    body = ":: Start\nGo.\n[[Next->A|B]]\n\n:: A|B\nEnd.\n"
    result, data = draft(story(body))
    assert "A-B" in data["nodes"]
    assert any("is named 'A-B'" in m for m in messages(result))


def test_not_a_story() -> None:
    result = import_twine_draft("just some text\n", "story")
    assert result.yaml_text is None and not result.imported


# --- Twine's data is kept --------------------------------------------------------------


def test_ifid_format_and_tags_are_kept_and_exported() -> None:
    body = ":: Start [intro loud]\nGo.\n[[End]]\n\n:: End [outro]\nBye.\n"
    result, data = draft(story(body, "SugarCube"))
    assert data["twine"] == {
        "ifid": "11111111-2222-4333-8444-555555555555",
        "format": "SugarCube",
        "format-version": "1.0.0",
        "tags": {"Start": ["intro", "loud"], "End": ["outro"]},
    }
    scenario, problems = validate_scenario_text(fill(result.yaml_text), "story.yaml")
    assert scenario is not None, problems
    twee = to_twee(scenario)
    assert '"ifid": "11111111-2222-4333-8444-555555555555"' in twee
    assert '"format": "SugarCube"' in twee and '"format-version": "1.0.0"' in twee
    assert re.search(r"^:: Start \[speaker-narrator intro loud\]", twee, re.M)
    again = import_twine_draft(twee, "story")
    assert not again.lenient and yaml.safe_load(again.yaml_text)["twine"] == data["twine"]


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ifid=st.uuids().map(lambda u: str(u).upper()),
    fmt=st.sampled_from(["Harlowe", "SugarCube", "Chapbook", "Snowman"]),
    version=st.from_regex(r"[1-4]\.[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True),
    start_tags=st.lists(_WORD, max_size=3, unique=True),
    end_tags=st.lists(_WORD, max_size=3, unique=True),
)
def test_export_then_import_round_trips_twine_data(
    ifid: str, fmt: str, version: str, start_tags: list[str], end_tags: list[str]
) -> None:
    twine: dict = {"ifid": ifid, "format": fmt, "format-version": version}
    tags = {k: v for k, v in (("start", start_tags), ("end", end_tags)) if v}
    reserved = {"judgement", "constraint", *CODE_TAGS}
    tags = {k: [t for t in v if t not in reserved] for k, v in tags.items()}
    tags = {k: v for k, v in tags.items() if v}
    if tags:
        twine["tags"] = tags
    data = {
        "title": "T",
        "start": "start",
        "nodes": {
            "start": {
                "text": "Hi",
                "choices": [{"text": "Go", "goto": "end", "feedback": "Fine."}],
            },
            "end": {"ending": "success", "text": "Bye"},
        },
        "twine": twine,
    }
    scenario, problems = parse_scenario(data, "story")
    assert scenario is not None, problems
    again = import_twine_draft(to_twee(scenario), "story")
    assert again.imported
    assert yaml.safe_load(again.yaml_text)["twine"] == twine
