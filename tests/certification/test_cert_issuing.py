"""Issuing decisions: new, chained, renewed, requalified and revoked certificates; idempotence."""

from __future__ import annotations

import copy

from certification.cert_support import (
    CONTENT,
    DAY,
    RULES,
    T0,
    apply_due,
    drill,
    listen_evidence,
    look_evidence,
    quiz,
    record,
    rules,
)

from academy.certification import Reason, Status, due_certificates, evaluate

EXPIRY = T0 + 365 * DAY
IN_WINDOW = EXPIRY - 30 * DAY


def fresh_look(at):
    """What renewing 'look' asks for again: the quizzes and two drills, dated `at`."""
    return [
        quiz("look/reading-the-need", 88, at),
        quiz("look/first-three-seconds", 90, at),
        drill("window", 75, at),
        drill("outage", 80, at),
    ]


def fresh_listen(at):
    """What renewing 'listen' asks for again, dated `at`."""
    return [quiz("listen/the-log", 80, at, 70), drill("heating", 90, at)]


def test_a_newly_met_rule_is_due_once():
    """Meeting every requirement makes the certificate due, with its evidence and rule version."""
    evidence = look_evidence()
    (issue,) = due_certificates(rules(), CONTENT, evidence, [], T0)
    assert issue.certificate_id == "look" and issue.reason == Reason.NEW
    assert (issue.starts_at, issue.expires_at) == (T0, EXPIRY)
    assert issue.rule_version == "3" and issue.follows is None
    assert sorted(map(id, issue.evidence)) == sorted(map(id, evidence))
    issued = issue.to_issued("CODE", T0)
    assert (issued.code, issued.valid_from, issued.revoked_at) == ("CODE", T0, None)
    assert due_certificates(rules(), CONTENT, evidence, [issued], T0) == []
    assert due_certificates(rules(), CONTENT, evidence, [issued], T0 + 100 * DAY) == []


def test_nothing_due_while_a_requirement_is_missing():
    """One missing drill keeps the certificate in progress and not due."""
    evidence = look_evidence()[:-1]
    assert due_certificates(rules(), CONTENT, evidence, [], T0) == []
    assert evaluate(rules(), CONTENT, evidence, [], T0)["look"].status == Status.IN_PROGRESS


def test_combined_certificate_follows_in_the_same_call():
    """The last discipline certificate and the combined one are issued together, in order."""
    evidence = [*look_evidence(), *listen_evidence()]
    issues = due_certificates(rules(), CONTENT, evidence, [], T0)
    assert [i.certificate_id for i in issues] == ["look", "listen", "both"]
    both = issues[2]
    assert [e.object_id for e in both.evidence] == ["look", "listen"]
    assert all(e.detail["code"] is None for e in both.evidence)
    # Without chaining, the combined certificate waits: evaluate does not pretend.
    assert not evaluate(rules(), CONTENT, evidence, [], T0)["both"].due


def test_combined_certificate_uses_held_records():
    """Holding the prerequisites already, the combined certificate names their codes."""
    issued = [record("look", code="L"), record("listen", code="S")]
    (issue,) = due_certificates(rules(), CONTENT, [], issued, T0 + DAY)
    assert issue.certificate_id == "both"
    assert [e.detail["code"] for e in issue.evidence] == ["L", "S"]


def test_renewal_inside_the_window_starts_at_the_old_expiry():
    """Fresh quizzes and drills inside the window renew from the old expiry; lessons carry over."""
    old = record("look", code="old")
    evidence = [*look_evidence(T0), *fresh_look(IN_WINDOW)]
    (issue,) = due_certificates(rules(), CONTENT, evidence, [old], IN_WINDOW)
    assert issue.reason == Reason.RENEWAL and issue.follows == "old"
    assert (issue.starts_at, issue.expires_at) == (EXPIRY, EXPIRY + 365 * DAY)
    lessons = issue.requirements[0]
    assert all(e.at == T0 for e in lessons.evidence)
    assert all(e.at == IN_WINDOW for r in issue.requirements[1:] for e in r.evidence)
    after = apply_due(rules(), evidence, [old], IN_WINDOW)
    assert due_certificates(rules(), CONTENT, evidence, after, IN_WINDOW) == []
    assert evaluate(rules(), CONTENT, evidence, after, IN_WINDOW)["look"].status == Status.CERTIFIED


def test_evidence_before_the_window_does_not_renew():
    """Quizzes and drills from before the window opened do not count for the renewal."""
    old = record("look")
    evidence = [*look_evidence(T0), *fresh_look(EXPIRY - 61 * DAY)]
    assert due_certificates(rules(), CONTENT, evidence, [old], IN_WINDOW) == []
    status = evaluate(rules(), CONTENT, evidence, [old], IN_WINDOW)["look"]
    assert status.status == Status.EXPIRING
    assert [m.action for m in status.missing] == ["pass_quiz", "pass_quiz", "pass_drills"]


def test_no_renewal_before_the_window_opens():
    """Certified outside the window: even fresh evidence issues nothing."""
    old = record("look")
    moment = EXPIRY - 61 * DAY
    evidence = [*look_evidence(T0), *fresh_look(moment)]
    assert due_certificates(rules(), CONTENT, evidence, [old], moment) == []


def test_window_evidence_still_renews_just_after_expiry():
    """Evidence from the window counts after a lapse; the new period starts now."""
    old = record("look", code="old")
    late = EXPIRY + 3 * DAY
    evidence = [*look_evidence(T0), *fresh_look(IN_WINDOW)]
    assert evaluate(rules(), CONTENT, evidence, [old], late)["look"].status == Status.EXPIRED
    (issue,) = due_certificates(rules(), CONTENT, evidence, [old], late)
    assert issue.reason == Reason.REQUALIFIED and issue.starts_at == late
    assert issue.follows == "old"


def test_renewal_of_a_lesson_can_be_demanded_explicitly():
    """renewal: recent on modules_completed asks for lessons completed inside the window."""
    data = copy.deepcopy(RULES)
    data["certificates"]["look"]["requirements"][0]["renewal"] = "recent"
    old = record("look")
    evidence = [*look_evidence(T0), *fresh_look(IN_WINDOW)]
    assert due_certificates(rules(data), CONTENT, evidence, [old], IN_WINDOW) == []


def test_combined_renewal_needs_prerequisites_valid_at_its_new_start():
    """The combined certificate renews only once its prerequisites outlast its current expiry."""
    issued = [record("look", code="L"), record("listen", code="S"), record("both", code="B")]
    # Prerequisites expire with it: not yet renewable.
    assert due_certificates(rules(), CONTENT, [], issued, IN_WINDOW) == []
    # Renew both disciplines in the same call: the combined one follows at once.
    evidence = [*look_evidence(T0), *listen_evidence(T0)]
    evidence += [*fresh_look(IN_WINDOW), *fresh_listen(IN_WINDOW)]
    issues = due_certificates(rules(), CONTENT, evidence, issued, IN_WINDOW)
    assert [(i.certificate_id, i.reason, i.starts_at) for i in issues] == [
        ("look", Reason.RENEWAL, EXPIRY),
        ("listen", Reason.RENEWAL, EXPIRY),
        ("both", Reason.RENEWAL, EXPIRY),
    ]
    after = apply_due(rules(), evidence, issued, IN_WINDOW)
    assert due_certificates(rules(), CONTENT, evidence, after, IN_WINDOW) == []


def test_revocation_is_not_undone_by_the_old_evidence():
    """After a revocation, only evidence dated after it can earn the certificate again."""
    revoked = record("look", code="R", revoked_at=T0 + 10 * DAY)
    evidence = look_evidence(T0)
    moment = T0 + 20 * DAY
    assert due_certificates(rules(), CONTENT, evidence, [revoked], moment) == []
    status = evaluate(rules(), CONTENT, evidence, [revoked], moment)["look"]
    assert status.status == Status.REVOKED and status.counts_since == T0 + 10 * DAY
    evidence += fresh_look(T0 + 15 * DAY)
    (issue,) = due_certificates(rules(), CONTENT, evidence, [revoked], moment)
    assert issue.reason == Reason.REQUALIFIED and issue.follows == "R"
    assert issue.starts_at == moment


def test_revoked_combined_certificate_waits_for_a_newer_prerequisite():
    """A revoked combined certificate comes back only when a prerequisite is issued after it."""
    issued = [
        record("look", code="L"),
        record("listen", code="S"),
        record("both", code="B", revoked_at=T0 + DAY),
    ]
    assert due_certificates(rules(), CONTENT, [], issued, T0 + 2 * DAY) == []
    issued.append(record("listen", T0 + 3 * DAY, code="S2"))
    (issue,) = due_certificates(rules(), CONTENT, [], issued, T0 + 4 * DAY)
    assert issue.certificate_id == "both" and issue.follows == "B"


def test_a_pending_period_blocks_a_second_issue():
    """With a renewal issued but its predecessor revoked, nothing is issued on top of it."""
    revoked = record("look", code="R", revoked_at=IN_WINDOW + DAY)
    renewal = record("look", IN_WINDOW, starts_at=EXPIRY, code="N")
    evidence = [*look_evidence(T0), *fresh_look(IN_WINDOW + 2 * DAY)]
    moment = IN_WINDOW + 3 * DAY
    assert evaluate(rules(), CONTENT, evidence, [revoked, renewal], moment)["look"].status == (
        Status.REVOKED
    )
    assert due_certificates(rules(), CONTENT, evidence, [revoked, renewal], moment) == []


def test_the_same_records_give_the_same_follows_code():
    """Two decisions on the same records agree on `follows` (the store's uniqueness key)."""
    old = record("look", code="old")
    evidence = [*look_evidence(T0), *fresh_look(IN_WINDOW)]
    first = due_certificates(rules(), CONTENT, evidence, [old], IN_WINDOW)
    second = due_certificates(rules(), CONTENT, list(reversed(evidence)), [old], IN_WINDOW + DAY)
    assert [i.follows for i in first] == [i.follows for i in second] == ["old"]
    assert first[0].starts_at == second[0].starts_at == EXPIRY
