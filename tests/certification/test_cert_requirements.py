"""Each requirement kind judged on its own: what counts, what is missing, what satisfied it."""

from __future__ import annotations

from certification.cert_support import CONTENT, DAY, T0, done, drill, one, quiz, record, rules

from academy.certification import (
    ContentIndex,
    ContentRef,
    MissingItem,
    ModuleInfo,
    RequirementResult,
    Status,
    evaluate,
)
from academy.evidence import Evidence


def judge(kind: str, evidence: list[Evidence], issued=(), content=CONTENT, **fields):
    """The single requirement's result and the certificate's status."""
    status = evaluate(one(kind, **fields), content, evidence, list(issued), T0 + DAY)["c"]
    assert len(status.requirements) == 1
    return status.requirements[0], status


def test_modules_completed_met_with_each_completion_as_evidence():
    """Every lesson of the discipline completed: met, with the first completion of each."""
    first = done("look/reading-the-need", T0 - DAY)
    evidence = [
        done("look/reading-the-need"),
        first,
        done("look/first-three-seconds"),
        done("look/notes"),
        done("listen/the-log"),
    ]
    result, status = judge("modules_completed", evidence, discipline="look")
    assert result.met and (result.done, result.total) == (3, 3)
    assert result.evidence[0] is first
    assert {e.object_id for e in result.evidence} == {
        "look/reading-the-need",
        "look/first-three-seconds",
        "look/notes",
    }
    assert status.status == Status.IN_PROGRESS and status.due


def test_modules_completed_lists_each_missing_lesson_with_its_title():
    """A lesson not completed (only opened) is a missing item linking to it."""
    evidence = [
        done("look/reading-the-need"),
        Evidence("experienced", "module", "look/first-three-seconds", T0),
    ]
    result, _ = judge("modules_completed", evidence, discipline="look")
    assert not result.met and (result.done, result.total) == (2 - 1, 3)
    assert result.missing == (
        MissingItem(
            "complete_lesson",
            "modules_completed",
            "look",
            (ContentRef("module", "look/first-three-seconds", "进门三秒"),),
        ),
        MissingItem(
            "complete_lesson",
            "modules_completed",
            "look",
            (ContentRef("module", "look/notes", "观察笔记"),),
        ),
    )
    assert str(result.missing[0]) == "complete lesson look/first-three-seconds"


def test_a_discipline_without_content_is_never_met():
    """No published lessons is never vacuously met: the item says it is unavailable."""
    result, status = judge("modules_completed", [], discipline="speak")
    assert not result.met
    assert [m.action for m in result.missing] == ["unavailable"]
    assert str(result.missing[0]) == "not available yet: modules_completed for speak"
    assert status.status == Status.NOT_STARTED and not status.due
    empty, _ = judge("quizzes_passed", [], content=ContentIndex(), discipline="look")
    assert not empty.met and empty.missing[0].action == "unavailable"
    drills, _ = judge("drills_passed", [], content=ContentIndex(), discipline="look")
    assert not drills.met and drills.missing[0].action == "unavailable"


def test_quizzes_passed_best_attempt_counts():
    """Of several attempts the best passing one is the evidence; failures do not hurt."""
    best = quiz("look/reading-the-need", 95, T0 - DAY)
    evidence = [
        quiz("look/reading-the-need", 60),
        quiz("look/reading-the-need", 85),
        best,
        quiz("look/reading-the-need", 95, T0),
        quiz("look/first-three-seconds", 80),
    ]
    result, _ = judge("quizzes_passed", evidence, discipline="look")
    assert result.met and (result.done, result.total) == (2, 2)  # look/notes has no quiz
    assert result.evidence[0] is best


def test_quizzes_passed_missing_item_shows_pass_mark_and_best_score():
    """A quiz not yet passed is missing, with its pass mark and the best score so far."""
    evidence = [quiz("look/reading-the-need", 90), quiz("look/first-three-seconds", 55)]
    evidence.append(quiz("look/first-three-seconds", 70))
    result, status = judge("quizzes_passed", evidence, discipline="look")
    assert not result.met and result.started
    (item,) = result.missing
    assert item.targets == (ContentRef("quiz", "look/first-three-seconds", "进门三秒"),)
    assert (item.min_score, item.best_score) == (80.0, 70.0)
    assert str(item) == "pass the quiz of look/first-three-seconds with ≥ 80 (best so far 70)"
    assert status.status == Status.IN_PROGRESS


def test_quiz_pass_mark_recorded_on_the_attempt_wins():
    """An attempt graded against a lower pass mark at the time still counts after a raise."""
    graded_at_70 = quiz("listen/the-log", 72, pass_mark=70)
    result, _ = judge("quizzes_passed", [graded_at_70], discipline="listen")
    assert result.met
    strict = ContentIndex(
        modules=(ModuleInfo("listen/the-log", "listen", "倾听一本记录", 1, True, 90.0),)
    )
    result, _ = judge("quizzes_passed", [graded_at_70], content=strict, discipline="listen")
    assert result.met
    unrecorded = quiz("listen/the-log", 72, pass_mark=None)
    result, _ = judge("quizzes_passed", [unrecorded], content=strict, discipline="listen")
    assert not result.met and result.missing[0].best_score == 72


def test_quiz_attempt_without_score_uses_its_success():
    """An attempt with no score passes or fails by its own success flag."""
    passed = Evidence("passed", "quiz", "listen/the-log", T0, success=True)
    failed = Evidence("failed", "quiz", "listen/the-log", T0, success=False)
    assert judge("quizzes_passed", [passed], discipline="listen")[0].met
    assert not judge("quizzes_passed", [failed], discipline="listen")[0].met


def test_drills_passed_needs_distinct_drills():
    """Passing the same drill twice is one drill, not two."""
    evidence = [drill("window", 80), drill("window", 95, T0 - DAY)]
    result, _ = judge("drills_passed", evidence, discipline="look", count=2, min_score=70)
    assert not result.met and (result.done, result.total) == (1, 2)
    (item,) = result.missing
    assert item.count == 1 and item.targets == (ContentRef("scenario", "outage", "停电没通知到"),)
    assert str(item) == "pass 1 more drill exercising look with ≥ 70 (candidates: outage)"


def test_drills_passed_score_success_and_discipline_all_matter():
    """A run counts only if it passed, scored at least min_score and the drill exercises it."""
    evidence = [
        drill("window", 65),  # passed but below min_score
        drill("outage", 90, success=False),  # high score, not passed
        drill("heating", 99),  # does not exercise look
        drill("elsewhere", 99),  # not a published drill
    ]
    result, status = judge("drills_passed", evidence, discipline="look", count=1, min_score=70)
    assert not result.met and result.started
    assert status.status == Status.IN_PROGRESS
    assert {t.key for t in result.missing[0].targets} == {"window", "outage"}


def test_drill_run_without_success_is_judged_by_the_drill_pass_score():
    """A run that does not say whether it passed is judged by the drill's own pass score."""
    under = drill("outage", 72, success=None)  # outage's pass score is 75
    over = drill("window", 72, success=None)  # window's pass score is 70
    assert not judge("drills_passed", [under], discipline="look")[0].met
    assert judge("drills_passed", [over], discipline="look")[0].met


def test_drills_passed_keeps_the_best_drills_as_evidence():
    """With more passed drills than needed, the best scores are the evidence."""
    window = drill("window", 91)
    evidence = [drill("outage", 80), window, drill("window", 85)]
    result, _ = judge("drills_passed", evidence, discipline="look", count=1)
    assert result.met and result.evidence == (window,)
    assert result.evidence[0] is window


def test_certificates_held_reads_valid_records():
    """Valid records satisfy it, with certificate evidence carrying the code."""
    data = {
        "version": 1,
        "certificates": {
            "a": {"title": "甲", "title_en": "A", "requirements": [{"kind": "observation"}]},
            "b": {"title": "乙", "title_en": "B", "requirements": [{"kind": "observation"}]},
            "c": {
                "title": "C",
                "title_en": "C",
                "requirements": [{"kind": "certificates_held", "certificates": ["a", "b"]}],
            },
        },
    }
    issued = [record("a", T0 - DAY, code="A1"), record("b", T0, code="B1", revoked_at=T0)]
    status = evaluate(rules(data), CONTENT, [], issued, T0 + DAY)["c"]
    (result,) = status.requirements
    assert not result.met and (result.done, result.total) == (1, 2)
    assert result.evidence[0].verb == "earned" and result.evidence[0].detail["code"] == "A1"
    assert result.missing == (
        MissingItem(
            "hold_certificate", "certificates_held", None, (ContentRef("certificate", "b", "乙"),)
        ),
    )
    assert str(result.missing[0]) == "hold a valid certificate b"
    assert status.status == Status.IN_PROGRESS


def test_certificates_held_ignores_expired_records():
    """An expired prerequisite does not count."""
    issued = [record("look", T0 - 400 * DAY), record("listen", T0)]
    status = evaluate(rules(), CONTENT, [], issued, T0 + DAY)["both"]
    assert not status.met
    assert [m.targets[0].key for m in status.missing] == ["look"]


def test_observation_is_always_missing():
    """Reserved: even with observation evidence it stays missing and never issues."""
    observed = Evidence("observed", "observation", "17", T0, detail={"seven_ones": {}, "axes": {}})
    result, status = judge("observation", [observed], discipline="act")
    assert not result.met and result.started
    assert str(result.missing[0]) == "a trainer's field observation"
    assert status.status == Status.IN_PROGRESS and not status.due


def test_future_evidence_is_ignored():
    """Evidence dated after `now` does not count yet."""
    evidence = [done("listen/the-log", T0 + 2 * DAY)]
    result, status = judge("modules_completed", evidence, discipline="listen")
    assert not result.met and status.status == Status.NOT_STARTED


def test_naive_datetimes_are_read_as_utc():
    """Evidence from SQLite (naive datetimes) mixes with aware ones without error."""
    naive = done("listen/the-log", (T0 - DAY).replace(tzinfo=None))
    result, _ = judge("modules_completed", [naive], discipline="listen")
    assert result.met and result.evidence[0] is naive


def test_requirement_results_describe_themselves():
    """Each result carries a one-line description of its requirement."""
    status = evaluate(rules(), CONTENT, [], [], T0)["look"]
    assert [r.description for r in status.requirements] == [
        "complete every lesson of look",
        "pass every quiz of look at its pass mark",
        "pass 2 drills exercising look with a score of at least 70",
    ]
    assert isinstance(status.requirements[0], RequirementResult)


def test_ties_are_broken_the_same_whatever_the_input_order():
    """Two runs alike but for their detail: the same one is chosen in either order."""
    first = drill("window", 80)
    second = Evidence(
        "completed", "scenario", "window", T0, score=80, success=True, detail={"ending": "partial"}
    )
    a, _ = judge("drills_passed", [first, second], discipline="look")
    b, _ = judge("drills_passed", [second, first], discipline="look")
    assert a == b and a.evidence[0] is (b.evidence[0])
