"""Properties of evaluation and issuing over generated evidence and histories (hypothesis)."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import datetime, timedelta

from certification.cert_support import (
    CONTENT,
    DAY,
    T0,
    apply_due,
    listen_evidence,
    look_evidence,
    rules,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.certification import IssuedCertificate, Status, due_certificates, evaluate
from academy.evidence import Evidence

#: CERT_EXAMPLES=2000 for a longer search.
SETTINGS = settings(
    max_examples=int(os.environ.get("CERT_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
RULESET = rules()
HORIZON_HOURS = 900 * 24
MODULE_KEYS = [m.key for m in CONTENT.modules] + ["look/retired-lesson"]
SLUGS = [s.slug for s in CONTENT.scenarios] + ["retired-drill"]

# Mostly on a 15-day grid, so issues, renewal windows and evidence often coincide.
moments = st.one_of(
    st.integers(0, HORIZON_HOURS // (15 * 24)).map(lambda k: T0 + 15 * k * DAY),
    st.integers(0, HORIZON_HOURS).map(lambda h: T0 + timedelta(hours=h)),
)


@st.composite
def one_evidence(draw: st.DrawFn) -> Evidence:
    """A lesson completion, quiz attempt, drill run or observation at a random time."""
    at = draw(moments)
    kind = draw(st.sampled_from(["module", "quiz", "scenario", "observation"]))
    if kind == "module":
        verb = draw(st.sampled_from(["completed", "experienced"]))
        return Evidence(verb, "module", draw(st.sampled_from(MODULE_KEYS)), at)
    if kind == "quiz":
        score = draw(st.integers(0, 100))
        mark = draw(st.sampled_from([None, 70, 80, 90]))
        passed = score >= (mark if mark is not None else 80)
        detail = {} if mark is None else {"pass_mark": mark}
        key = draw(st.sampled_from(MODULE_KEYS))
        verb = "passed" if passed else "failed"
        return Evidence(verb, "quiz", key, at, score=score, success=passed, detail=detail)
    if kind == "scenario":
        score = draw(st.integers(0, 100))
        success = draw(st.sampled_from([True, False, None]))
        slug = draw(st.sampled_from(SLUGS))
        return Evidence("completed", "scenario", slug, at, score=score, success=success)
    return Evidence("observed", "observation", str(draw(st.integers(1, 9))), at)


@st.composite
def bundle(draw: st.DrawFn) -> list[Evidence]:
    """All (or all but one) of what 'look' or 'listen' asks for, at one random time."""
    at = draw(moments)
    items = draw(st.sampled_from([look_evidence, listen_evidence]))(at)
    if draw(st.booleans()):
        items.pop(draw(st.integers(0, len(items) - 1)))
    return items


evidence_lists = st.lists(st.one_of(one_evidence().map(lambda e: [e]), bundle()), max_size=12).map(
    lambda groups: [e for group in groups for e in group]
)


def revoke(issued: list[IssuedCertificate], certificate: str, at: datetime) -> list:
    """Revoke like HR does: the period in force at `at` and any renewal issued before it."""
    return [
        replace(r, revoked_at=at)
        if r.certificate_id == certificate
        and r.revoked_at is None
        and r.issued_at <= at < r.expires_at
        else r
        for r in issued
    ]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Evidence], list[IssuedCertificate], datetime]:
    """Evidence and the records that issuing made at moments going forward: some inside
    renewal windows with fresh evidence, some revocations; and the last moment of all."""
    evidence = draw(evidence_lists)
    issued: list[IssuedCertificate] = []
    moment = T0
    for _ in range(draw(st.integers(0, 7))):
        step = draw(st.sampled_from(["wait", "renew", "revoke"]) if issued else st.just("wait"))
        if step == "renew":
            # Go into the renewal window of a record and bring fresh evidence for it.
            held = draw(st.sampled_from(issued))
            opens = held.expires_at - 60 * DAY
            at = opens + timedelta(hours=draw(st.integers(0, 59 * 24)))
            maker = listen_evidence if held.certificate_id == "listen" else look_evidence
            evidence = [*evidence, *maker(at)]
            moment = max(moment, at + timedelta(hours=draw(st.integers(0, 24))))
        elif step == "revoke":
            moment += timedelta(hours=draw(st.integers(0, 200 * 24)))
            certificate = draw(st.sampled_from(sorted({r.certificate_id for r in issued})))
            issued = revoke(issued, certificate, moment)
        else:
            moment += timedelta(hours=draw(st.integers(0, 400 * 24)))
        issued = apply_due(RULESET, evidence, issued, moment)
    return evidence, issued, max([moment, *(e.at for e in evidence)])


def met_requirements(statuses) -> set[tuple[str, int]]:
    """(certificate, requirement index) pairs that are met."""
    return {
        (cert_id, index)
        for cert_id, status in statuses.items()
        for index, result in enumerate(status.requirements)
        if result.met
    }


@SETTINGS
@given(histories(), evidence_lists, moments)
def test_adding_evidence_never_removes_a_met_requirement(history, extra, now):
    """With the same records and moment, more evidence only adds met requirements."""
    evidence, issued, _ = history
    before = met_requirements(evaluate(RULESET, CONTENT, evidence, issued, now))
    after = met_requirements(evaluate(RULESET, CONTENT, evidence + extra, issued, now))
    assert before <= after


RANK = {Status.CERTIFIED: 0, Status.EXPIRING: 1, Status.EXPIRED: 2}


@SETTINGS
@given(histories(), st.integers(0, 800 * 24), st.integers(0, 800 * 24))
def test_status_over_time_is_monotone_without_new_facts(history, first, second):
    """After the last fact, statuses only move certified → expiring → expired; revoked stays."""
    evidence, issued, last = history
    early = last + timedelta(hours=min(first, second))
    late = last + timedelta(hours=max(first, second))
    before = evaluate(RULESET, CONTENT, evidence, issued, early)
    after = evaluate(RULESET, CONTENT, evidence, issued, late)
    for cert_id, status in before.items():
        then, now = status.status, after[cert_id].status
        if then in RANK:
            assert now in RANK and RANK[then] <= RANK[now], (cert_id, then, now)
        else:
            assert now == then, (cert_id, then, now)


@SETTINGS
@given(histories(), moments, st.integers(0, 2**32))
def test_evaluate_is_deterministic_and_order_free(history, now, seed):
    """The same inputs in any order give equal statuses."""
    evidence, issued, _ = history
    first = evaluate(RULESET, CONTENT, evidence, issued, now)
    shuffled_evidence, shuffled_issued = list(evidence), list(issued)
    rng = random.Random(seed)
    rng.shuffle(shuffled_evidence)
    rng.shuffle(shuffled_issued)
    assert evaluate(RULESET, CONTENT, evidence, issued, now) == first
    assert evaluate(RULESET, CONTENT, shuffled_evidence, shuffled_issued, now) == first
    assert due_certificates(RULESET, CONTENT, shuffled_evidence, shuffled_issued, now) == (
        due_certificates(RULESET, CONTENT, evidence, issued, now)
    )


later = st.integers(0, 800 * 24).map(lambda h: timedelta(hours=h))


@SETTINGS
@given(histories(), later)
def test_due_certificates_is_idempotent(history, wait):
    """Applying the issues and asking again at the same moment issues nothing more."""
    evidence, issued, last = history
    now = last + wait
    after = apply_due(RULESET, evidence, issued, now)
    assert due_certificates(RULESET, CONTENT, evidence, after, now) == []
    statuses = evaluate(RULESET, CONTENT, evidence, after, now)
    assert not any(s.due for s in statuses.values())


@SETTINGS
@given(histories(), later)
def test_issued_periods_never_overlap(history, wait):
    """Issuing at any later moment never makes two unrevoked periods of one certificate overlap."""
    evidence, issued, last = history
    now = last + wait
    after = apply_due(RULESET, evidence, issued, now)
    for cert_id in RULESET.certificates:
        periods = sorted(
            (r.valid_from, r.expires_at)
            for r in after
            if r.certificate_id == cert_id and r.revoked_at is None
        )
        for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
            assert end <= start, (cert_id, periods)


@SETTINGS
@given(histories())
def test_nothing_is_due_again_before_the_renewal_window(history):
    """Right after issuing, nothing is due until a renewal window opens (no new evidence)."""
    evidence, issued, last = history
    after = apply_due(RULESET, evidence, issued, last)
    quiet = last + 300 * DAY - timedelta(seconds=1)  # 365-day validity, 60-day window
    due = due_certificates(RULESET, CONTENT, evidence, after, quiet)
    fresh = {i.certificate_id for i in due}
    held = {r.certificate_id for r in after if r.issued_at == last}
    assert not fresh & held
