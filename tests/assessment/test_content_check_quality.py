"""`academy content check` reports assessment-quality warnings with file:line; warnings
alone keep the exit status 0."""

from __future__ import annotations

from pathlib import Path

from academy.contentcheck import check_paths

DATA = Path(__file__).resolve().parent.parent / "data" / "quality"
COURSES = DATA / "courses"
SCENARIOS = DATA / "scenarios"
MODULE = "courses/look/01-look-first.md"
DRILL = "scenarios/longest-wins.yaml"


def problems(paths=()):
    return check_paths(list(paths), courses=COURSES, scenarios=SCENARIOS)


def lines(found, file, needle):
    return [p.line for p in found if p.file.endswith(file) and needle in p.message]


def test_fixture_has_no_errors_only_warnings():
    found = problems()
    assert [p for p in found if p.severity == "error"] == []
    assert found and all(p.severity == "warning" for p in found)


def test_module_warnings_are_located():
    found = problems()
    clue = "length clue: the keyed option is the longest option in 5 of 6"
    assert lines(found, MODULE, clue) == [7]
    assert lines(found, MODULE, "all options but one are correct (3 of 4)") == [68]
    assert lines(found, MODULE, "caricature option, question 6 option 4") == [80]
    assert lines(found, MODULE, "recall item, question 7: kind numeric") == [82]
    assert lines(found, MODULE, "policy contradiction: '48小时内回访'") == [89]
    assert lines(found, MODULE, "no 'draw'") == [5]


def test_drill_warnings_are_located():
    found = problems()
    strategies = [p.message for p in found if p.file.endswith(DRILL) and "surface" in p.message]
    assert any("always the longest choice: score 100" in m for m in strategies)
    assert any("always the choice with the most polite words" in m for m in strategies)
    assert any("always the first choice in the file" in m for m in strategies)
    assert not any("always the shortest choice" in m for m in strategies)
    assert lines(found, DRILL, "1 of 2 decisions are tagged 'judgement' (arrive)")
    assert lines(found, DRILL, "no decision is tagged 'constraint'")
    assert lines(found, DRILL, "policy contradiction: '三天后回访'") == [25]


def test_chosen_files_are_checked_alone():
    found = problems([SCENARIOS / "longest-wins.yaml"])
    assert found and all(p.file.endswith(DRILL) for p in found)


def test_warnings_keep_exit_status_0(runner, monkeypatch):
    from academy.cli import cli

    monkeypatch.setenv("ACADEMY_COURSES", str(COURSES))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(SCENARIOS))
    result = runner.invoke(cli, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output and "warning: surface strategy" in result.output
