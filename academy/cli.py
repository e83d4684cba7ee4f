"""The `academy` command: set up, serve, check content, manage people, demo data."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup

from academy import config


def _create_app() -> Any:
    from academy import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Academy: training and certification of the five service disciplines."""


def main() -> None:
    """Console entry point."""
    cli.main(prog_name="academy")


def _print_init(result: Any) -> None:
    click.echo(f"content: {result.report.summary()}")
    for problem in result.report.problems:
        click.echo(f"  {problem}", err=True)
    if result.admin_created:
        if result.generated_password:
            click.echo("First administrator created: username 'admin', password (shown once):")
            click.secho(f"    {result.generated_password}", bold=True)
        else:
            click.echo(
                "First administrator created: username 'admin' "
                "(password from ACADEMY_ADMIN_PASSWORD)."
            )


@cli.command("init", with_appcontext=False)
def init_command() -> None:
    """Create or upgrade the database, sync content, create the first admin."""
    from academy.setup import initialise

    result = initialise(_create_app())
    _print_init(result)


@cli.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default: 2×CPU+1, at most 8)."
)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
@click.option("--demo", is_flag=True, help="Add the demo organisation first if it is not there.")
def serve_command(host: str, port: int, workers: int | None, threads: int, demo: bool) -> None:
    """Initialise if needed, then serve with gunicorn."""
    from academy.setup import initialise

    app = _create_app()
    result = initialise(app)
    _print_init(result)
    if demo:
        from academy.demo import build_demo

        with app.app_context():
            summary = build_demo()
        click.echo(summary)
    workers = workers or min(8, (os.cpu_count() or 1) * 2 + 1)
    click.echo(f"Academy on http://{host}:{port}/  ({workers} workers × {threads} threads)")
    run_gunicorn(host, port, workers, threads)


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Run the app under gunicorn (each worker builds its own app)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", os.environ.get("ACADEMY_ACCESS_LOG", "-"))
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 20)

        def load(self) -> Any:
            return _create_app()

    Server().run()


# --- content -------------------------------------------------------------------


@cli.group("content")
def content_group() -> None:
    """Validate and publish course and scenario files."""


@content_group.command("check", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def content_check(paths: tuple[Path, ...]) -> None:
    """Validate content; print `file:line: message` per problem; exit 1 on errors."""
    from academy.contentcheck import check_paths

    problems = check_paths(
        list(paths),
        courses=config.content_path("courses"),
        scenarios=config.content_path("scenarios"),
    )
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    warnings = len(problems) - len(errors)
    click.echo(f"{len(errors)} error(s), {warnings} warning(s)", err=bool(errors))
    sys.exit(1 if errors else 0)


@content_group.command("sync")
@click.option(
    "--prefer-files",
    is_flag=True,
    help="Publish files even where the studio published a different version since.",
)
def content_sync(prefer_files: bool) -> None:
    """Publish changed content files in one transaction (broken files keep the old version).

    Content last published from the studio is kept when its file differs (a warning
    names both); `academy content export` writes the studio versions to the files.
    """
    from academy.catalog.sync import sync_content
    from academy.extensions import db

    report = sync_content(
        current_app.config["COURSES_DIR"],
        current_app.config["SCENARIOS_DIR"],
        prefer_files=prefer_files,
    )
    db.session.commit()
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(report.summary())
    sys.exit(1 if report.errors else 0)


@content_group.command("reindex")
def content_reindex() -> None:
    """Rebuild the search index of lessons and drills from what is published."""
    from academy.extensions import db
    from academy.search.index import rebuild

    count = rebuild()
    db.session.commit()
    click.echo(f"{count} lessons and drills indexed")


@content_group.command("export")
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write courses/ and scenarios/ into (default: the configured folders).",
)
@click.argument("keys", nargs=-1)
def content_export(target: Path | None, keys: tuple[str, ...]) -> None:
    """Write published modules and drills (studio edits included) as content files.

    KEYS: module keys (look/reading-the-need) or drill slugs; all content when none.
    The files are exactly what `academy content sync` reads.
    """
    from academy.studio.services import export_content

    if target is None:
        courses = current_app.config["COURSES_DIR"]
        scenarios = current_app.config["SCENARIOS_DIR"]
        if courses.parent != scenarios.parent or (courses.name, scenarios.name) != (
            "courses",
            "scenarios",
        ):
            raise click.UsageError("the content folders are not siblings: pass --to DIR")
        target = courses.parent
    written = export_content(target, set(keys) or None)
    for path in written:
        click.echo(path)
    click.echo(f"{len(written)} file(s) written under {target}")


# --- users -----------------------------------------------------------------------


@cli.group("users")
def users_group() -> None:
    """Add and import people."""


@users_group.command("add")
@click.argument("username")
@click.option(
    "--role",
    default="employee",
    show_default=True,
    type=click.Choice(["employee", "trainer", "hr", "admin"]),
)
@click.option("--name", "display_name", default=None, help="Display name (default: the username).")
@click.option("--department", default=None)
@click.option("--employee-no", default=None)
@click.option("--email", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(
    username: str,
    role: str,
    display_name: str | None,
    department: str | None,
    employee_no: str | None,
    email: str | None,
    password_stdin: bool,
) -> None:
    """Create one user; without --password-stdin a password is generated and printed."""
    from academy.accounts import services
    from academy.extensions import db

    password = (
        sys.stdin.readline().rstrip("\r\n") if password_stdin else services.generate_password()
    )
    data = services.UserInput(
        username=username,
        display_name=display_name or username,
        role=role,
        department=department,
        employee_no=employee_no,
        email=email,
    )
    try:
        user = services.create_user(data, password)
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.field}: {exc.message}") from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")
    if not password_stdin:
        click.echo(f"password: {password}")


@users_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--create-departments", is_flag=True, help="Create departments the file names.")
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write username,password CSV here instead of printing.",
)
def users_import(file: Path, create_departments: bool, passwords_out: Path | None) -> None:
    """Import users from CSV (username, display name, role, department, employee number, email).

    All or nothing: if any row is bad, every bad row is listed and nobody is created.
    """
    import csv

    from academy.accounts import services
    from academy.extensions import db

    try:
        text = services.decode_csv(file.read_bytes())
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 or GB18030 text") from None
    report = services.import_users_csv(text, create_departments=create_departments)
    if not report.ok:
        db.session.rollback()
        for line, message in report.errors:
            click.echo(f"{file}:{line}: {message}", err=True)
        bad_rows = len({line for line, _ in report.errors})
        click.echo(f"{bad_rows} bad row(s); nothing was imported.", err=True)
        sys.exit(1)
    db.session.commit()
    rows = [(user.username, password) for user, password in report.created]
    if passwords_out:
        with passwords_out.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["username", "password"])
            writer.writerows(rows)
        os.chmod(passwords_out, 0o600)
        click.echo(f"imported {len(rows)} user(s); passwords written to {passwords_out}")
    else:
        click.echo(f"imported {len(rows)} user(s). Initial passwords (shown once):")
        for username, password in rows:
            click.echo(f"  {username}\t{password}")


# --- quizzes -----------------------------------------------------------------------


@cli.group("quiz")
def quiz_group() -> None:
    """Import and export module quizzes in Moodle's GIFT format."""


def _author(username: str | None) -> Any:
    """The studio author named by --author (None: no author recorded)."""
    if username is None:
        return None
    from sqlalchemy import select

    from academy.accounts.models import User
    from academy.extensions import db

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or user.role not in ("trainer", "admin"):
        raise click.ClickException(f"no trainer or admin '{username}'")
    return user


@quiz_group.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--module", "module_key", required=True, help="The module: discipline/slug.")
@click.option("--print", "print_only", is_flag=True, help="Show the YAML; write nothing.")
@click.option(
    "--skip-problems",
    is_flag=True,
    help="Write the questions that were read even if others were reported and skipped.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Make a new studio draft lesson DISCIPLINE/SLUG with the questions as its quiz"
    " (lenient: what changes is printed as warnings).",
)
@click.option("--title", default=None, help="With --draft: the lesson's title.")
@click.option("--author", default=None, help="With --draft: the trainer's username.")
def quiz_import_gift(
    file: Path,
    module_key: str,
    print_only: bool,
    skip_problems: bool,
    draft: bool,
    title: str | None,
    author: str | None,
) -> None:
    """Replace a module's quiz questions with those of a GIFT file (other quiz keys stay).

    Problems are printed as `FILE:line: message`; with any, nothing is written
    and the exit status is 1 (unless --skip-problems). With --draft a new studio
    draft lesson is made instead (the file is read leniently; nothing on disk changes).
    """
    from academy.courses import quiz_files
    from academy.quizzes import questions_to_yaml

    if draft:
        _gift_draft(file, module_key, title, author)
        return
    root = current_app.config["COURSES_DIR"]
    try:
        module_file = quiz_files.find_module_file(root, module_key)
    except quiz_files.QuizFileError as exc:
        raise click.ClickException(str(exc)) from None
    gift_text = _read_upload(file, "GIFT")
    shown = quiz_files.shown_path(module_file, root)
    outcome = quiz_files.import_gift(module_file, shown, gift_text)
    for problem in outcome.gift_problems:
        click.echo(f"{file}:{problem.line}: {problem.message}", err=True)
    for problem in outcome.module_problems:
        click.echo(str(problem), err=True)
    if not outcome.questions:
        click.echo(f"{file}: no question could be imported; nothing written.", err=True)
        sys.exit(1)
    skipped = len(outcome.gift_problems)
    if print_only:
        click.echo(questions_to_yaml(outcome.questions), nl=False)
        sys.exit(1 if skipped or outcome.module_problems else 0)
    if outcome.text is None or (skipped and not skip_problems):
        hint = "" if outcome.text is None else " (--skip-problems writes the others)"
        click.echo(f"{shown}: not changed{hint}.", err=True)
        sys.exit(1)
    quiz_files.write_text_atomically(module_file, outcome.text)
    click.echo(
        f"{shown}: {len(outcome.questions)} question(s) written"
        + (f", {skipped} skipped" if skipped else "")
        + ". Publish with: academy content sync"
    )


#: Import files (GIFT, Twee) read from the command line: at most this many bytes.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _read_upload(file: Path, what: str) -> str:
    """The text of an import file: a regular UTF-8 file of bounded size, or exit 1."""
    from academy.courses.loader import UnreadableFile, read_limited

    try:
        return read_limited(file, MAX_IMPORT_BYTES).decode("utf-8-sig")
    except UnreadableFile as exc:
        click.echo(f"{file}:1: the {what} file cannot be imported: {exc}", err=True)
    except OSError as exc:
        click.echo(f"{file}:1: cannot read the {what} file: {exc.strerror}", err=True)
    except UnicodeDecodeError:
        click.echo(f"{file}:1: the {what} file is not UTF-8 text", err=True)
    sys.exit(1)


def _gift_draft(file: Path, module_key: str, title: str | None, author: str | None) -> None:
    from academy.extensions import db
    from academy.studio import imports, services

    text = _read_upload(file, "GIFT")
    discipline, _, slug = module_key.partition("/")
    try:
        document, result = imports.import_gift(
            _author(author),
            text,
            discipline=discipline,
            slug=slug,
            title=title or slug,
            shown=file.name,
        )
    except services.StudioError as exc:
        raise click.ClickException(exc.message) from None
    for problem in result.problems:
        click.echo(f"{file}:{problem}", err=True)
    if document is None:
        click.echo(f"{file}: no question could be imported; no draft made.", err=True)
        sys.exit(1)
    db.session.commit()
    skipped = f", {result.skipped} not imported" if result.skipped else ""
    click.echo(
        f"studio draft '{document.key}': {result.imported} question(s){skipped}."
        " Open it in the studio (/studio/) to finish and publish it."
    )


@quiz_group.command("export-gift")
@click.argument("module_key", metavar="DISCIPLINE/SLUG")
def quiz_export_gift(module_key: str) -> None:
    """Print a module's quiz questions as GIFT (read from its file in the courses folder)."""
    from academy.courses import quiz_files

    root = current_app.config["COURSES_DIR"]
    try:
        module_file = quiz_files.find_module_file(root, module_key)
    except quiz_files.QuizFileError as exc:
        raise click.ClickException(str(exc)) from None
    gift, problems = quiz_files.export_gift(module_file, quiz_files.shown_path(module_file, root))
    for problem in problems:
        click.echo(str(problem), err=True)
    if gift is None:
        sys.exit(1)
    click.echo(gift, nl=not gift.endswith("\n"))


# --- drills ------------------------------------------------------------------------


@cli.group("scenarios")
def scenarios_group() -> None:
    """Import and export role-play drills in Twine's Twee 3 format."""


@scenarios_group.command("import-twee")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="The drill's slug (default: from the file name).")
@click.option("--force", is_flag=True, help="Replace an existing scenario file.")
@click.option(
    "--draft",
    is_flag=True,
    help="Make a studio draft drill instead (a plain Twine story is accepted: missing"
    " feedback and scores become TODO placeholders, printed as warnings).",
)
@click.option("--author", default=None, help="With --draft: the trainer's username.")
def scenarios_import_twee(
    file: Path, slug: str | None, force: bool, draft: bool, author: str | None
) -> None:
    """Validate a Twee 3 story and write it as scenarios/<slug>.yaml.

    Problems are printed as `FILE:line: message`; with any error nothing is
    written and the exit status is 1. An existing file is replaced only with
    --force, and the new file is written atomically. With --draft the story
    becomes a studio draft (nothing on disk changes).
    """
    from academy.catalog import scenario_files

    root: Path = current_app.config["SCENARIOS_DIR"]
    slug = slug or scenario_files.twee_slug(file)
    if draft:
        _twee_draft(file, slug, author)
        return
    text = _read_upload(file, "Twee")
    policy = scenario_files.drill_policy(current_app.config["COURSES_DIR"])
    outcome = scenario_files.import_twee(text, str(file), slug, policy)
    for problem in outcome.problems:
        click.echo(str(problem), err=True)
    if outcome.yaml_text is None:
        click.echo(f"{file}: not imported; nothing was written.", err=True)
        sys.exit(1)
    target = root / f"{slug}.yaml"
    if target.exists() and not force:
        click.echo(f"{target}: exists; nothing was written (--force replaces it).", err=True)
        sys.exit(1)
    root.mkdir(parents=True, exist_ok=True)
    scenario_files.write_text_atomically(target, outcome.yaml_text)
    nodes = len(outcome.scenario.nodes) if outcome.scenario else 0
    click.echo(f"{target}: {nodes} nodes written. Publish with: academy content sync")


def _twee_draft(file: Path, slug: str, author: str | None) -> None:
    from academy.extensions import db
    from academy.studio import imports, services

    text = _read_upload(file, "Twee")
    try:
        document, result = imports.import_twee(_author(author), text, slug, file.name)
    except services.StudioError as exc:
        raise click.ClickException(exc.message) from None
    for problem in result.warnings:
        click.echo(f"{file}:{problem}", err=True)
    if document is None:
        click.echo(f"{file}: not a Twine story; no draft made.", err=True)
        sys.exit(1)
    db.session.commit()
    for problem in result.blocking:
        click.echo(f"{problem} (fix in the studio)", err=True)
    click.echo(
        f"studio draft drill '{slug}' made. Fill in every 'TODO:' in the studio (/studio/),"
        " then submit it for review."
    )


@scenarios_group.command("export-twee")
@click.argument("slug")
def scenarios_export_twee(slug: str) -> None:
    """Print a drill as Twee 3 for Twine 2 (read from scenarios/<slug>.yaml)."""
    from academy.catalog import scenario_files
    from academy.scenarios.parse import SLUG_RE

    root: Path = current_app.config["SCENARIOS_DIR"]
    target = root / f"{slug}.yaml"
    if not SLUG_RE.fullmatch(slug) or not target.is_file():
        raise click.ClickException(f"no scenario file {target}")
    policy = scenario_files.drill_policy(current_app.config["COURSES_DIR"])
    twee, problems = scenario_files.export_twee(target, root, policy)
    for problem in problems:
        click.echo(str(problem), err=True)
    if twee is None:
        sys.exit(1)
    click.echo(twee, nl=not twee.endswith("\n"))


# --- certificates --------------------------------------------------------------------


@cli.group("certs")
def certs_group() -> None:
    """Certificates: re-evaluate everyone, report who holds what."""


@certs_group.command("refresh")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
def certs_refresh(batch_size: int) -> None:
    """Re-evaluate everyone (after a rules change): issue what is due, store each state."""
    from academy.credentials.services import refresh_everyone

    people, issued = refresh_everyone(
        batch_size=batch_size, progress=lambda n: click.echo(f"  {n} people…", err=True)
    )
    click.echo(f"{people} people evaluated, {issued} certificate(s) issued")


@certs_group.command("report")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--department", help="Department name.")
@click.option("--certificate", help="Certificate id, e.g. look or five-disciplines.")
@click.option(
    "--status",
    type=click.Choice(
        ["certified", "expiring", "expired", "revoked", "in_progress", "not_started"]
    ),
)
@click.option(
    "--expiring-days", type=click.IntRange(0, 3650), help="Valid, and expiring within N days."
)
@click.option("--overdue", is_flag=True, help="Only people with overdue assignments.")
def certs_report(
    fmt: str,
    department: str | None,
    certificate: str | None,
    status: str | None,
    expiring_days: int | None,
    overdue: bool,
) -> None:
    """Employees × certificates with status and dates, as CSV (UTF-8 with BOM) or JSON."""
    from academy.accounts.services import find_department
    from academy.credentials.services import certificate_titles
    from academy.reports import certifications as reports

    titles = certificate_titles()
    if certificate and certificate not in titles:
        raise click.BadParameter(f"unknown certificate {certificate!r}", param_hint="--certificate")
    department_id = None
    if department:
        found = find_department(department)
        if found is None:
            raise click.BadParameter(
                f"unknown department {department!r}", param_hint="--department"
            )
        department_id = found.id
    filters = reports.Filters(
        department_id=department_id,
        certificate_id=certificate,
        status=status,
        expiring_days=expiring_days,
        overdue=overdue,
    )
    rows = reports.stream_rows(reports.rows_query(filters, list(titles), reports.now()))
    chunks = reports.csv_chunks(rows, titles) if fmt == "csv" else reports.json_chunks(rows, titles)
    # UTF-8 whatever the terminal's locale: the bytes go to stdout's buffer.
    out = getattr(sys.stdout, "buffer", None)
    sys.stdout.flush()
    for chunk in chunks:
        if out is None:
            sys.stdout.write(chunk)
        else:
            out.write(chunk.encode("utf-8"))
    sys.stdout.flush()
    if out is not None:
        out.flush()


# --- growth ------------------------------------------------------------------------


@cli.group("growth")
def growth_group() -> None:
    """The growth model: HR's materialised figures."""


@growth_group.command("snapshot")
@click.option(
    "--workers", default=1, show_default=True, type=int, help="Processes that assess in parallel."
)
@click.option("--full", is_flag=True, help="Run the model for everyone, not only for news.")
def growth_snapshot(workers: int, full: bool) -> None:
    """Bring HR's growth figures up to date (run it nightly, e.g. from cron)."""
    from academy.extensions import db
    from academy.practice import snapshots

    update = snapshots.rebuild if full else snapshots.refresh
    report = update(workers=max(1, workers))
    db.session.commit()
    click.echo(
        f"growth snapshot: {report.employees} employees ({report.assessed} assessed),"
        f" {report.statements} statements,"
        f" {report.rows} rows in {report.total_s:.1f} s (load {report.load_s:.1f} s,"
        f" assess {report.assess_s:.1f} s, store {report.store_s:.1f} s,"
        f" {report.workers} worker(s))"
    )


# --- demo --------------------------------------------------------------------------


@cli.command("demo", with_appcontext=False)
@click.option(
    "--employees", default=12, show_default=True, type=int, help="Number of demo employees."
)
def demo_command(employees: int) -> None:
    """Add a demo organisation (departments, a trainer, HR, employees) to try every role."""
    from academy.demo import build_demo
    from academy.setup import initialise

    app = _create_app()
    _print_init(initialise(app))
    with app.app_context():
        click.echo(build_demo(employees=employees))


if __name__ == "__main__":
    main()
