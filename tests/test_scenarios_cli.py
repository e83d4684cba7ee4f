"""`academy scenarios import-twee` and `export-twee` on a temporary scenarios folder."""

from __future__ import annotations

import shutil

import pytest
from helpers import DATA, make_test_app

from academy.cli import cli
from academy.scenarios import parse_twee, story_ifid, validate_scenario_text

# Written as Twine users write: every link form, a sentence link, tags for speakers
# and endings, annotations for what Twee cannot say.
STORY = """\
:: StoryTitle
The leaking meter

:: StoryData
{
  "ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC",
  "format": "Harlowe",
  "start": "Counter"
}

:: StoryAcademy [academy]
disciplines: [look, speak, act]
state:
  mood: 6
pass_score: 60

:: Counter [speaker-resident]
My water meter is leaking all over the floor!

[[Offer a seat and write it down->Log]]
<!-- academy {"effects": {"mood": -2}, "scores": {"look": 1, "act": 1},
              "feedback": "A seat and a record."} -->
[[Tell them to call the hotline|Hotline]]
<!-- academy {"effects": {"mood": 2}, "scores": {"speak": -1}, "feedback": "Pushing them away."} -->
[[Log]]
<!-- academy {"scores": {"act": 1}, "feedback": "Straight to the log."} -->
[[Gone<-Shrug]]
<!-- academy {"effects": {"mood": 3}, "scores": {"speak": -2},
              "feedback": "A shrug is an answer too."} -->

:: Log [speaker-narrator]
You write the address and call the dispatcher, who can [[send a fitter now->Fixed]]
<!-- academy {"if": "mood <= 6", "scores": {"act": 2, "speak": 1},
              "feedback": "Needs are commands."} --> this morning.

:: Hotline [ending-failure]
The resident leaves to ring the hotline from home.

:: Gone [ending-failure]
The resident walks out.

:: Fixed [ending-success]
The meter is fixed within the hour.
<!-- academy {"summary": "Recorded, arranged, done."} -->
"""

BROKEN = """\
:: StoryTitle
Broken

:: StoryData
{"start": "a"}

:: a
Hello
[[Go->nowhere]]
<!-- academy {"feedback": "x"} -->
[[Again->a]]
<!-- academy {"feedback": "y", "scores": {"charisma": 1}} -->

:: a
A second passage with the same name.
"""


@pytest.fixture
def folder(tmp_path):
    """A writable scenarios folder holding the web tests' drills."""
    target = tmp_path / "scenarios"
    shutil.copytree(DATA / "app_scenarios", target)
    return target


@pytest.fixture
def run(tmp_path, folder):
    """Invoke `academy …` with the copy as the scenarios folder."""
    app = make_test_app(tmp_path, SCENARIOS_DIR=folder)
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(cli, list(args))


def write(tmp_path, text, name="The Leaking Meter.twee"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reads_every_link_form(run, tmp_path, folder):
    """[[text->target]], [[text|target]], [[target]], [[target<-text]] and a sentence link."""
    result = run("scenarios", "import-twee", str(write(tmp_path, STORY)))
    assert result.exit_code == 0, result.output
    target = folder / "the-leaking-meter.yaml"
    assert f"{target}: 5 nodes written" in result.output
    scenario, problems = validate_scenario_text(target.read_text("utf-8"), str(target))
    assert problems == [] and scenario is not None
    counter = scenario.node("Counter")
    assert [(c.text, c.goto) for c in counter.choices] == [
        ("Offer a seat and write it down", "Log"),
        ("Tell them to call the hotline", "Hotline"),
        ("Log", "Log"),
        ("Shrug", "Gone"),
    ]
    assert counter.speaker == "resident" and counter.choices[0].effects == {"mood": -2}
    log = scenario.node("Log")
    assert [(c.text, c.goto, c.condition) for c in log.choices] == [
        ("send a fitter now", "Fixed", "mood <= 6")
    ]
    assert scenario.node("Fixed").ending == "success"
    assert scenario.node("Fixed").summary == "Recorded, arranged, done."
    assert scenario.title == "The leaking meter" and scenario.pass_score == 60


def test_import_honours_slug_and_never_overwrites_without_force(run, tmp_path, folder):
    """--slug names the file; an existing file stays unless --force."""
    story = write(tmp_path, STORY)
    before = (folder / "hotline.yaml").read_text("utf-8")
    result = run("scenarios", "import-twee", str(story), "--slug", "hotline")
    assert result.exit_code == 1 and "exists; nothing was written" in result.output
    assert (folder / "hotline.yaml").read_text("utf-8") == before
    result = run("scenarios", "import-twee", str(story), "--slug", "hotline", "--force")
    assert result.exit_code == 0, result.output
    assert "The leaking meter" in (folder / "hotline.yaml").read_text("utf-8")
    assert not list(folder.glob(".*.tmp"))  # the atomic write left no temporary file


def test_a_bad_story_prints_line_numbered_problems_and_writes_nothing(run, tmp_path, folder):
    """Problems come out as FILE:line: message, exit 1, and no file appears."""
    story = write(tmp_path, BROKEN, "broken.twee")
    before = sorted(p.name for p in folder.iterdir())
    result = run("scenarios", "import-twee", str(story))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{story}:14: duplicate passage name 'a' (first at line 7)" in lines, lines
    assert any(line.startswith(f"{story}:9: ") and "nowhere" in line for line in lines), lines
    assert any(line.startswith(f"{story}:12: ") and "charisma" in line for line in lines), lines
    assert f"{story}: not imported; nothing was written." in lines
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_bad_slug_or_encoding_is_refused(run, tmp_path, folder):
    """A slug that cannot name a file, or a file that is not UTF-8, writes nothing."""
    story = write(tmp_path, STORY)
    result = run("scenarios", "import-twee", str(story), "--slug", "Not A Slug")
    assert result.exit_code == 1 and "is not a slug" in result.output
    latin = tmp_path / "latin.twee"
    latin.write_bytes(":: StoryTitle\ncaf\xe9\n".encode("latin-1"))
    result = run("scenarios", "import-twee", str(latin))
    assert result.exit_code == 1 and f"{latin}:1: the Twee file is not UTF-8 text" in result.output
    assert not (folder / "not-a-slug.yaml").exists() and not (folder / "latin.yaml").exists()


@pytest.mark.parametrize("slug", ["front-desk", "hotline"])
def test_export_then_import_gives_back_the_same_scenario(run, tmp_path, folder, slug):
    """export-twee prints Twee 3 for Twine; importing it again yields an equal scenario."""
    original, problems = validate_scenario_text((folder / f"{slug}.yaml").read_text("utf-8"), slug)
    assert original is not None, problems
    result = run("scenarios", "export-twee", slug)
    assert result.exit_code == 0, result.output
    twee = result.output
    assert twee.startswith(":: StoryTitle\n") and ":: StoryData" in twee and '"ifid"' in twee
    data, twee_problems = parse_twee(twee, slug)
    assert twee_problems == []
    story = write(tmp_path, twee, "exported.twee")
    result = run("scenarios", "import-twee", str(story), "--slug", f"{slug}-copy")
    assert result.exit_code == 0, result.output
    copy, problems = validate_scenario_text(
        (folder / f"{slug}-copy.yaml").read_text("utf-8"), f"{slug}-copy.yaml"
    )
    assert problems == []
    copied = copy.to_data()
    # The copy has another slug but is the same Twine story: its IFID is kept.
    assert copied.pop("twine") == {"ifid": story_ifid(slug)}
    assert copied == original.to_data()


def test_export_of_a_missing_or_broken_drill_fails(run, folder):
    """An unknown slug, or a file with errors, prints why and exits 1."""
    result = run("scenarios", "export-twee", "nope")
    assert result.exit_code == 1 and "no scenario file" in result.output
    result = run("scenarios", "export-twee", "../etc/passwd")
    assert result.exit_code == 1
    (folder / "hotline.yaml").write_text("title: x\nstart: a\nnodes: {}\n", "utf-8")
    result = run("scenarios", "export-twee", "hotline")
    assert result.exit_code == 1 and "hotline.yaml:" in result.output
