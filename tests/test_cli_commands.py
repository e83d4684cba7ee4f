"""The `academy` command line: init, content check/sync, users add/import, demo."""

from __future__ import annotations

from pathlib import Path

from helpers import DATA
from sqlalchemy import func, select


def test_content_check_passes_on_good_content(runner, monkeypatch):
    """`academy content check` exits 0 on valid content."""
    from academy.cli import cli

    monkeypatch.setenv("ACADEMY_COURSES", str(DATA / "courses"))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(DATA / "app_scenarios"))
    result = runner.invoke(cli, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_content_check_reports_file_line_and_exits_1(runner, tmp_path, monkeypatch):
    """A broken module prints `file:line: message` and exit code 1."""
    from academy.cli import cli

    folder = tmp_path / "courses" / "look"
    folder.mkdir(parents=True)
    (folder / "01-bad.md").write_text(
        "---\ntitle: x\ndiscipline: listen\norder: 1\n---\nbody\n", encoding="utf-8"
    )
    monkeypatch.setenv("ACADEMY_COURSES", str(tmp_path / "courses"))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(tmp_path / "scenarios"))
    result = runner.invoke(cli, ["content", "check"])
    assert result.exit_code == 1
    assert "courses/look/01-bad.md:3: discipline 'listen' does not match its folder 'look'" in (
        result.output
    )
    result = runner.invoke(cli, ["content", "check", str(folder / "01-bad.md")])
    assert result.exit_code == 1


def test_content_sync_keeps_good_version_when_file_breaks(app, tmp_path):
    """A broken file never replaces its published version; the report says why."""
    import shutil

    from academy.catalog.models import Module
    from academy.catalog.sync import sync_content
    from academy.extensions import db

    library = tmp_path / "courses"
    shutil.copytree(DATA / "courses", library)
    with app.app_context():
        first = sync_content(library, tmp_path / "none")
        db.session.commit()
        assert first.errors == []
        target = library / "look" / "01-first-look.md"
        target.write_text(
            target.read_text(encoding="utf-8").replace("discipline: look", "discipline: ?"),
            encoding="utf-8",
        )
        second = sync_content(library, tmp_path / "none")
        db.session.commit()
        module = db.session.scalar(select(Module).where(Module.key == "look/first-look"))
        assert module.published and module.revision == 1
        assert "look/first-look" in second.kept
        assert any("stays live" in p.message for p in second.problems)
        (library / "smile" / "01-one-metre.md").unlink()
        third = sync_content(library, tmp_path / "none")
        db.session.commit()
        assert third.unpublished == ["smile/one-metre"]


def test_content_sync_updates_revision_on_change(app, tmp_path):
    """Changing a file publishes revision 2 and keeps revision history."""
    import shutil

    from academy.catalog.models import ContentRevision, Module
    from academy.catalog.sync import sync_content
    from academy.extensions import db

    library = tmp_path / "courses"
    shutil.copytree(DATA / "courses", library)
    with app.app_context():
        sync_content(library, tmp_path / "none")
        target = library / "speak" / "01-civil-words.md"
        target.write_text(target.read_text(encoding="utf-8") + "\n更多内容。\n", encoding="utf-8")
        report = sync_content(library, tmp_path / "none")
        db.session.commit()
        assert report.updated == ["speak/civil-words"]
        module = db.session.scalar(select(Module).where(Module.key == "speak/civil-words"))
        assert module.revision == 2 and "更多内容" in module.body_html
        revisions = db.session.scalar(
            select(func.count(ContentRevision.id)).where(ContentRevision.key == "speak/civil-words")
        )
        assert revisions == 2


def test_users_add_and_import(app, runner, tmp_path):
    """`users add` prints a password; `users import` is all-or-nothing with row numbers."""
    from academy.accounts.models import User
    from academy.cli import cli
    from academy.extensions import db

    result = runner.invoke(
        cli, ["users", "add", "WangQiang", "--role", "trainer", "--name", "王强"]
    )
    assert result.exit_code == 0, result.output
    assert "created wangqiang (trainer)" in result.output and "password:" in result.output
    result = runner.invoke(cli, ["users", "add", "x", "--role", "hr"])
    assert result.exit_code != 0 and "username" in result.output

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "username,display name,role\nok1,好,employee\nbad one,坏,employee\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["users", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: username" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1

    good = tmp_path / "good.csv"
    good.write_text(
        "username,display name,role,department\nok1,好,employee,新部门\nok2,也好,hr,新部门\n",
        encoding="utf-8",
    )
    out = tmp_path / "passwords.csv"
    result = runner.invoke(
        cli, ["users", "import", str(good), "--create-departments", "--passwords-out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("username,password")
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3


def test_users_add_reads_password_from_stdin(app, runner):
    """--password-stdin takes the password from standard input."""
    from academy.accounts import services
    from academy.cli import cli

    result = runner.invoke(cli, ["users", "add", "lina", "--password-stdin"], input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert services.authenticate("lina", "s3cret-pass") is not None


def test_init_and_demo_on_a_fresh_instance(tmp_path, monkeypatch):
    """`academy demo` on an empty instance migrates, syncs, makes the admin and demo people."""
    from click.testing import CliRunner

    from academy.cli import cli

    if __import__("os").environ.get("ACADEMY_TEST_DATABASE_URL"):
        import pytest

        pytest.skip("uses its own SQLite instance")
    monkeypatch.setenv("ACADEMY_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setenv("ACADEMY_COURSES", str(DATA / "courses"))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(DATA / "app_scenarios"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ACADEMY_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    runner = CliRunner()
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "First administrator created" in result.output
    assert "demo organisation: 14 new account(s) in 4 departments" in result.output
    assert Path(tmp_path / "inst" / "academy.db").exists()
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(cli, ["demo"])
    assert again.exit_code == 0, again.output
    assert "First administrator created" not in again.output
    assert "0 new account(s)" in again.output
