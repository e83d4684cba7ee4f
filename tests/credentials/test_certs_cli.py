"""`academy certs report` and `academy certs refresh` for scripts."""

from __future__ import annotations

import csv
import io
import json

from credentials_support import ALL, record


def _people(app, make_user):
    done = make_user(username="done", display_name="全部完成", department="客服窗口")
    half = make_user(username="half", display_name="只有笑", department="供水车间")
    record(app, done.id, *ALL)
    record(app, half.id, "smile")
    return done, half


def test_report_csv_with_filters(app, runner, make_user):
    """CSV with a BOM and a header; --certificate and --status select the rows."""
    from academy.cli import cli

    _people(app, make_user)
    result = runner.invoke(
        cli, ["certs", "report", "--certificate", "look", "--status", "certified"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert [(r["username"], r["certificate_id"], r["status"]) for r in rows] == [
        ("done", "look", "certified")
    ]
    assert rows[0]["valid_until"] and len(rows[0]["code"]) >= 20


def test_report_json_by_department(app, runner, make_user):
    """--format json prints an array of objects; --department narrows to one department."""
    from academy.cli import cli

    _people(app, make_user)
    result = runner.invoke(cli, ["certs", "report", "--format", "json", "--department", "供水车间"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {(r["name"], r["certificate_id"], r["status"]) for r in rows} == {
        ("只有笑", "look", "not_started"),
        ("只有笑", "smile", "certified"),
        ("只有笑", "both", "in_progress"),
    }


def test_report_expiring_days_and_unknown_names(app, runner, make_user):
    """--expiring-days selects valid certificates ending soon; unknown names are errors."""
    from academy.cli import cli

    _people(app, make_user)
    result = runner.invoke(cli, ["certs", "report", "--format", "json", "--expiring-days", "400"])
    assert len(json.loads(result.output)) == 4  # look, smile, both + the other smile
    result = runner.invoke(cli, ["certs", "report", "--format", "json", "--expiring-days", "30"])
    assert json.loads(result.output) == []
    assert runner.invoke(cli, ["certs", "report", "--department", "无此部门"]).exit_code == 2
    assert runner.invoke(cli, ["certs", "report", "--certificate", "nope"]).exit_code == 2


def test_refresh_reports_people_and_issues(app, runner, make_user):
    """`academy certs refresh` re-evaluates everyone and says how many were issued."""
    from academy.cli import cli

    _people(app, make_user)
    result = runner.invoke(cli, ["certs", "refresh", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "2 people evaluated, 0 certificate(s) issued" in result.output
