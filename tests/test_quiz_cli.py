"""`academy quiz import-gift` and `export-gift` on a temporary copy of the course files."""

from __future__ import annotations

import shutil

import pytest
from helpers import DATA, make_test_app

from academy.cli import cli
from academy.courses.loader import parse_module
from academy.quizzes import parse_gift

GIFT = """\
// Imported from the Moodle question bank of the service window.
::Greeting::[markdown]A resident waits at the window. What do you do **first**?{
  =Greet them and ask what brought them in #Read the need, then open the conversation.
  ~Wait until they speak #The look discipline acts one step ahead.
  ~%25%Point at the queue machine
}

::Latent::A latent need is one the user has said.{FALSE#Said needs are present needs.#Right.}

Match each character to its discipline. {
  =看 -> look
  =听 -> listen
  =笑 -> smile
}

How many "ones" are there at reception?{#7:0}

Name the follow-up after a repair. {=follow-up call =回访}
"""

BROKEN = """\
::Fine::Planned outages need notice.{TRUE}

Write an essay about service.{}

::Unclosed::What is {=this
"""


@pytest.fixture
def courses(tmp_path):
    """A writable copy of the test courses folder."""
    target = tmp_path / "courses"
    shutil.copytree(DATA / "courses", target)
    return target


@pytest.fixture
def run(tmp_path, courses):
    """Invoke `academy …` with the copy as the courses folder."""
    app = make_test_app(tmp_path, COURSES_DIR=courses)
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(cli, list(args))


def write_gift(tmp_path, text, name="bank.gift"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_questions_into_a_module_without_quiz(run, tmp_path, courses):
    """The questions land in a new quiz: block; the rest of the file is untouched."""
    target = courses / "look" / "02-second-look.md"
    before = target.read_text(encoding="utf-8")
    result = run(
        "quiz", "import-gift", str(write_gift(tmp_path, GIFT)), "--module", "look/second-look"
    )
    assert result.exit_code == 0, result.output
    assert "5 question(s) written" in result.output
    after = target.read_text(encoding="utf-8")
    assert after.endswith(before.split("---\n", 2)[2])  # the Markdown body
    assert "title: 入户观察" in after and "pass_mark: 80" in after
    module, problems = parse_module(after, "courses/look/02-second-look.md")
    assert problems == [] and module is not None
    kinds = [question.kind for question in module.quiz.questions]
    assert kinds == ["single", "true_false", "matching", "numeric", "short_answer"]
    assert list(target.parent.glob(".*.tmp")) == []


def test_import_replaces_questions_and_keeps_the_other_quiz_keys(run, tmp_path, courses):
    """An existing quiz keeps its pass mark and the front matter around it."""
    target = courses / "look" / "01-first-look.md"
    text = target.read_text(encoding="utf-8").replace("pass_mark: 80", "pass_mark: 75  # agreed")
    target.write_text(text, encoding="utf-8")
    result = run(
        "quiz", "import-gift", str(write_gift(tmp_path, GIFT)), "--module", "look/first-look"
    )
    assert result.exit_code == 0, result.output
    after = target.read_text(encoding="utf-8")
    assert "pass_mark: 75  # agreed" in after
    assert "居民拿着缴费单" not in after and "Greet them and ask" in after
    assert after.endswith(text.split("\n---\n", 1)[1])


def test_print_shows_yaml_and_writes_nothing(run, tmp_path, courses):
    """--print shows the questions as YAML and leaves the module file alone."""
    target = courses / "look" / "01-first-look.md"
    before = target.read_bytes()
    result = run(
        "quiz",
        "import-gift",
        str(write_gift(tmp_path, GIFT)),
        "--module",
        "look/first-look",
        "--print",
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("questions:\n") and "kind: matching" in result.output
    assert "- [看, look]" in result.output
    assert target.read_bytes() == before


def test_bad_gift_reports_lines_exits_1_and_changes_nothing(run, tmp_path, courses):
    """Unsupported or broken questions are listed as FILE:line: message; the file stays."""
    target = courses / "look" / "01-first-look.md"
    before = target.read_bytes()
    gift = write_gift(tmp_path, BROKEN)
    result = run("quiz", "import-gift", str(gift), "--module", "look/first-look")
    assert result.exit_code == 1
    assert f"{gift}:3: " in result.output and "essay" in result.output
    assert f"{gift}:5: " in result.output
    assert "not changed" in result.output
    assert target.read_bytes() == before


def test_skip_problems_writes_the_questions_that_were_read(run, tmp_path, courses):
    """With --skip-problems the good questions are written and the skipped ones reported."""
    target = courses / "look" / "01-first-look.md"
    gift = write_gift(tmp_path, BROKEN)
    result = run("quiz", "import-gift", str(gift), "--module", "look/first-look", "--skip-problems")
    assert result.exit_code == 0, result.output
    assert f"{gift}:3: " in result.output and "1 question(s) written, 2 skipped" in result.output
    assert "Planned outages need notice." in target.read_text(encoding="utf-8")


def test_result_that_breaks_the_module_is_not_written(run, tmp_path, courses):
    """The new file is validated first: a draw larger than the questions is refused."""
    target = courses / "look" / "01-first-look.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace("pass_mark: 80", "pass_mark: 80\n  draw: 2"),
        encoding="utf-8",
    )
    before = target.read_bytes()
    gift = write_gift(tmp_path, "One question only.{TRUE}\n")
    result = run("quiz", "import-gift", str(gift), "--module", "look/first-look")
    assert result.exit_code == 1
    assert "courses/look/01-first-look.md:" in result.output
    assert "draw (2) is more than the number of questions (1)" in result.output
    assert target.read_bytes() == before


def test_not_utf8_and_unknown_modules_are_clear_errors(run, tmp_path):
    """A GIFT file in another encoding, or a module that does not exist, is an error."""
    gift = tmp_path / "latin.gift"
    gift.write_bytes("Caf\u00e9 open?{T}".encode("latin-1"))
    result = run("quiz", "import-gift", str(gift), "--module", "look/first-look")
    assert result.exit_code == 1 and f"{gift}:1: the GIFT file is not UTF-8 text" in result.output
    result = run("quiz", "import-gift", str(write_gift(tmp_path, GIFT)), "--module", "look/nope")
    assert result.exit_code != 0 and "no module file for 'look/nope'" in result.output
    result = run("quiz", "export-gift", "nowhere/first-look")
    assert result.exit_code != 0 and "is not a module key" in result.output


def test_export_prints_gift_that_imports_back_to_the_same_questions(run, tmp_path, courses):
    """export-gift prints the module's questions; importing that text gives them back."""
    from academy.courses.loader import load_library

    result = run("quiz", "export-gift", "look/first-look")
    assert result.exit_code == 0, result.output
    questions, problems = parse_gift(result.output)
    assert problems == []
    library = load_library(courses)
    module = next(m for m in library.modules if m.key == "look/first-look")
    assert tuple(questions) == module.quiz.questions
    run(
        "quiz",
        "import-gift",
        str(write_gift(tmp_path, result.output)),
        "--module",
        "look/first-look",
    )
    again = run("quiz", "export-gift", "look/first-look")
    assert again.output == result.output


def test_export_of_a_module_without_quiz_fails(run):
    """A module with no quiz has nothing to export: exit 1 with a message."""
    result = run("quiz", "export-gift", "listen/listen-log")
    assert result.exit_code == 1 and "this module has no quiz" in result.output
