"""Drill files in the content store: publish, keep the old version of a broken file,
unpublish a removed one; `academy content check` reports drills as `file:line`."""

from __future__ import annotations

import shutil

import pytest
from helpers import DATA
from sqlalchemy import func, select

from academy.cli import cli

BROKEN_GOTO = """\
title: Broken
start: a
nodes:
  a:
    text: Hello
    choices:
      - text: Go
        goto: nowhere
        feedback: Nothing there.
"""


@pytest.fixture
def folder(tmp_path):
    """A writable copy of the web tests' drills."""
    target = tmp_path / "scenarios"
    shutil.copytree(DATA / "app_scenarios", target)
    return target


@pytest.fixture
def sync(app, folder):
    """sync(): run the scenario syncer on the copy and commit; returns the report."""
    from academy.catalog.scenario_sync import sync_scenarios
    from academy.extensions import db

    def run():
        with app.app_context():
            report = sync_scenarios(courses_dir=app.config["COURSES_DIR"], scenarios_dir=folder)
            db.session.commit()
            return report

    return run


def rows(app):
    """slug → (revision, published, version_id) of the stored drills."""
    from academy.catalog.scenario_models import Scenario
    from academy.extensions import db

    with app.app_context():
        return {
            s.slug: (s.revision, s.published, s.version_id)
            for s in db.session.scalars(select(Scenario))
        }


def test_the_content_sync_publishes_drills(app):
    """The app's sync (the SYNCERS registry) publishes both test drills, rendered once."""
    from academy.catalog.models import ContentRevision
    from academy.catalog.scenario_models import Scenario, ScenarioVersion
    from academy.extensions import db

    with app.app_context():
        row = db.session.scalar(select(Scenario).where(Scenario.slug == "front-desk"))
        assert (row.title, row.node_count, row.ending_count, row.revision) == (
            "A resident at the window",
            6,
            3,
            1,
        )
        assert row.disciplines == ["look", "listen", "smile", "speak", "act"]
        assert (row.minutes, row.pass_score, row.max_points) == (3, 70, 7)
        assert row.source_path == "app_scenarios/front-desk.yaml"
        assert "<strong>service window</strong>" in row.setting_html
        assert "<script" not in row.setting_html
        version = db.session.get(ScenarioVersion, row.version_id)
        assert version.definition["start"] == "arrive" and version.revision == 1
        nodes = version.rendered["nodes"]
        assert nodes["arrive"]["text"] == (
            '<p>You promised me <em>Tuesday</em>! It\'s Friday! <img src="x"></p>'
        )
        assert nodes["arrive"]["choices"][0]["text"].startswith("Stand, smile")  # inline
        assert nodes["arrive"]["choices"][0]["feedback"].startswith("<p>The seven")
        assert nodes["listening"]["choices"][1]["better"].startswith("Ring the dispatcher")
        assert nodes["resolved"]["summary"] == "Promise made and arranged."
        assert version.discipline_max == {"look": 1, "listen": 1, "smile": 2, "speak": 1, "act": 2}
        revisions = db.session.scalars(
            select(ContentRevision).where(ContentRevision.kind == "scenario")
        ).all()
        assert sorted(r.key for r in revisions) == ["front-desk", "hotline"]


def test_sync_again_changes_nothing(app, sync):
    """An unchanged file is reported unchanged and keeps its revision."""
    first = sync()
    assert sorted(first.added) == ["scenarios/front-desk", "scenarios/hotline"] or sorted(
        first.unchanged
    ) == ["scenarios/front-desk", "scenarios/hotline"]
    before = rows(app)
    report = sync()
    assert sorted(report.unchanged) == ["scenarios/front-desk", "scenarios/hotline"]
    assert rows(app) == before


def test_a_changed_file_becomes_a_new_revision_and_keeps_the_old(app, sync, folder):
    """Editing a file publishes revision 2; revision 1's version and source stay."""
    from academy.catalog.models import ContentRevision
    from academy.catalog.scenario_models import ScenarioVersion
    from academy.extensions import db

    sync()
    path = folder / "hotline.yaml"
    path.write_text(path.read_text("utf-8").replace("in anger", "angrily"), "utf-8")
    report = sync()
    assert report.updated == ["scenarios/hotline"]
    revision, published, version_id = rows(app)["hotline"]
    assert (revision, published) == (2, True)
    with app.app_context():
        versions = db.session.scalars(
            select(ScenarioVersion.revision).where(ScenarioVersion.slug == "hotline")
        ).all()
        assert sorted(versions) == [1, 2]
        assert db.session.get(ScenarioVersion, version_id).revision == 2
        texts = db.session.scalars(
            select(ContentRevision.revision).where(ContentRevision.key == "hotline")
        ).all()
        assert sorted(texts) == [1, 2]


def test_a_broken_file_keeps_its_published_version(app, sync, folder):
    """Errors are reported with file:line and the old revision stays live."""
    sync()
    before = rows(app)["hotline"]
    (folder / "hotline.yaml").write_text(BROKEN_GOTO, "utf-8")
    report = sync()
    assert report.kept == ["scenarios/hotline"]
    lines = [str(p) for p in report.problems]
    assert any(
        line.endswith("hotline.yaml:8: goto 'nowhere' is not a node of this scenario")
        for line in lines
    ), lines
    assert any("not published: revision 1 of drill 'hotline' stays live" in line for line in lines)
    assert rows(app)["hotline"] == before


def test_a_broken_new_file_is_not_published(app, sync, folder):
    """A new file with errors publishes nothing."""
    (folder / "broken-one.yaml").write_text(BROKEN_GOTO, "utf-8")
    report = sync()
    assert report.errors and "broken-one" not in rows(app)


def test_a_removed_file_is_unpublished_and_comes_back_without_a_new_revision(app, sync, folder):
    """Deleting the file unpublishes it; restoring the same text republishes revision 1."""
    sync()
    text = (folder / "hotline.yaml").read_text("utf-8")
    (folder / "hotline.yaml").unlink()
    report = sync()
    assert report.unpublished == ["scenarios/hotline"]
    assert rows(app)["hotline"][:2] == (1, False)
    (folder / "hotline.yaml").write_text(text, "utf-8")
    report = sync()
    assert report.updated == ["scenarios/hotline"]
    assert rows(app)["hotline"][:2] == (1, True)


def test_unpublished_drills_are_not_listed_but_started_runs_finish(app, sync, folder, auth, client):
    """Once removed, a drill is gone from the list and its page is 404; a run finishes."""
    from drill_fixtures import form_of, post_choice, start

    sync()
    auth.login_as("employee")
    run_id = start(auth, client, "hotline")
    (folder / "hotline.yaml").unlink()
    sync()
    html = client.get("/scenarios/").get_data(as_text=True)
    assert 'data-scenario="hotline"' not in html
    assert "Unfinished runs of withdrawn drills" in html and f"/scenarios/runs/{run_id}" in html
    assert client.get("/scenarios/hotline").status_code == 404
    assert auth.post("/scenarios/hotline/runs").status_code == 404
    assert form_of(client, run_id)["node"] == "ring"
    post_choice(auth, run_id, "ring", 0, 0)
    page = client.get(f"/scenarios/runs/{run_id}/debrief")
    assert page.status_code == 200 and 'data-score="100"' in page.get_data(as_text=True)


def test_a_syntax_error_is_reported_with_its_line(app, sync, folder):
    """Bad YAML is a problem at its line, not a crash."""
    (folder / "bad-yaml.yaml").write_text("title: x\nnodes: [\n", "utf-8")
    report = sync()
    assert any(str(p).startswith("scenarios/bad-yaml.yaml:") for p in report.problems)


# --- academy content check -------------------------------------------------------------------


def check(runner, monkeypatch, folder, *paths, courses=DATA / "courses"):
    monkeypatch.setenv("ACADEMY_COURSES", str(courses))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(folder))
    return runner.invoke(cli, ["content", "check", *map(str, paths)])


def test_content_check_prints_file_line_for_a_broken_drill(runner, monkeypatch, folder):
    """A broken scenario makes `academy content check` print file:line and exit 1."""
    (folder / "broken-one.yaml").write_text(BROKEN_GOTO, "utf-8")
    result = check(runner, monkeypatch, folder)
    assert result.exit_code == 1
    assert (
        "scenarios/broken-one.yaml:8: goto 'nowhere' is not a node of this scenario"
        in result.output
    )
    result = check(runner, monkeypatch, folder, folder / "broken-one.yaml")
    assert result.exit_code == 1 and "broken-one.yaml:8:" in result.output


def test_content_check_passes_good_drills(runner, monkeypatch, folder):
    """The test drills are valid: exit 0, no errors. (The tiny test drills and quizzes do
    get assessment-quality warnings — a 2-question quiz is no bank — which keep exit 0.)"""
    result = check(runner, monkeypatch, folder)
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


@pytest.mark.parametrize(
    "name,message",
    [
        ("no-success.yaml", "warning: no success ending can be reached in any state"),
        ("unscored-discipline.yaml", "warning: discipline 'look' is listed but never scored"),
    ],
)
def test_content_check_warnings_exit_0(runner, monkeypatch, folder, name, message):
    """Warnings are printed with their line and do not fail the check."""
    shutil.copy(DATA / "scenarios" / name, folder / name)
    result = check(runner, monkeypatch, folder)
    assert result.exit_code == 0, result.output
    assert message in result.output and f"{name}:" in result.output


@pytest.mark.parametrize(
    "name,line,message",
    [
        ("unreachable.yaml", None, "cannot be reached from"),
        ("trap-cycle.yaml", None, "a cycle with no way out"),
        ("condition-syntax.yaml", None, "condition"),
        ("duplicate-ids.yaml", None, "duplicate key"),
    ],
)
def test_content_check_reports_each_kind_of_error(
    runner, monkeypatch, tmp_path, name, line, message
):
    """Errors of the validator come out of the CLI as `file:line: message`, exit 1."""
    result = check(runner, monkeypatch, tmp_path / "none", DATA / "scenarios" / name)
    assert result.exit_code == 1
    assert any(f"{name}:" in out and message in out for out in result.output.splitlines()), (
        result.output
    )


def test_content_check_leaves_other_yaml_in_the_courses_folder_alone(
    runner, monkeypatch, folder, tmp_path
):
    """A chosen .yaml inside the courses folder (the rules file) is not read as a drill."""
    courses = tmp_path / "courses"
    shutil.copytree(DATA / "courses", courses)
    other = courses / "notes.yaml"
    other.write_text("just: data\n", "utf-8")
    result = check(runner, monkeypatch, folder, other, courses=courses)
    assert "notes.yaml" not in result.output, result.output
    outside = tmp_path / "notes.yaml"
    outside.write_text("just: data\n", "utf-8")
    result = check(runner, monkeypatch, folder, outside, courses=courses)
    assert result.exit_code == 1 and "notes.yaml:1:" in result.output


def test_content_check_reads_twee_stories(runner, monkeypatch, folder, tmp_path):
    """A .twee file is checked as a drill, problems at their Twee line."""
    story = tmp_path / "story.twee"
    story.write_text(
        ':: StoryTitle\nA story\n\n:: StoryData\n{"start": "a"}\n\n'
        ':: a\nHello\n[[Go->nowhere]]\n<!-- academy {"feedback": "x"} -->\n',
        "utf-8",
    )
    result = check(runner, monkeypatch, folder, story)
    assert result.exit_code == 1
    assert "story.twee:9: goto 'nowhere' is not a node of this scenario" in result.output


def test_count_of_scenario_rows_matches_the_files(app):
    """The test app's sync stored one row per file in app_scenarios."""
    from academy.catalog.scenario_models import Scenario
    from academy.extensions import db

    with app.app_context():
        assert db.session.scalar(select(func.count(Scenario.id))) == len(
            list((DATA / "app_scenarios").glob("*.yaml"))
        )
