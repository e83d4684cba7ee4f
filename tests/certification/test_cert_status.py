"""Certificate statuses over time: certified, expiring, expired, revoked, and their boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from certification.cert_support import CONTENT, DAY, T0, look_evidence, record, rules

from academy.certification import Status, evaluate

SECOND = timedelta(seconds=1)
EXPIRY = T0 + 365 * DAY
WINDOW_OPENS = EXPIRY - 60 * DAY


def status_of(issued, now, evidence=(), certificate="look"):
    """The status of one certificate at `now`."""
    return evaluate(rules(), CONTENT, list(evidence), list(issued), now)[certificate]


def test_every_certificate_in_file_order():
    """evaluate answers for every certificate, in the order of the rules file."""
    statuses = evaluate(rules(), CONTENT, [], [], T0)
    assert list(statuses) == ["look", "listen", "both"]
    assert {s.status for s in statuses.values()} == {Status.NOT_STARTED}
    assert all(not s.due and s.record is None for s in statuses.values())


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (T0, Status.CERTIFIED),
        (WINDOW_OPENS - SECOND, Status.CERTIFIED),
        (WINDOW_OPENS, Status.EXPIRING),
        (EXPIRY - SECOND, Status.EXPIRING),
        (EXPIRY, Status.EXPIRED),
        (EXPIRY + 1000 * DAY, Status.EXPIRED),
    ],
)
def test_validity_boundaries(moment, expected):
    """Certified until the window opens, expiring inside it, expired from the expiry on."""
    assert status_of([record("look")], moment).status == expected


def test_status_carries_the_record_and_its_dates():
    """A held certificate shows its record, its end of validity and when renewal opens."""
    issued = record("look", code="K-1")
    status = status_of([issued], T0 + DAY)
    assert status.record is issued
    assert status.valid_until == EXPIRY and status.renewal_opens_at == WINDOW_OPENS
    assert status.counts_since == WINDOW_OPENS
    assert Status.CERTIFIED.valid and Status.EXPIRING.valid and not Status.EXPIRED.valid


def test_a_renewal_already_issued_keeps_it_certified():
    """Once renewed, the old window is over: certified, valid until the new period ends."""
    old = record("look", code="old")
    renewal = record("look", EXPIRY - 10 * DAY, starts_at=EXPIRY, code="new")
    status = status_of([old, renewal], EXPIRY - 5 * DAY)
    assert status.status == Status.CERTIFIED
    assert status.record is old and status.valid_until == EXPIRY + 365 * DAY
    later = status_of([old, renewal], EXPIRY + DAY)
    assert later.status == Status.CERTIFIED and later.record is renewal


def test_revoked_from_the_moment_of_revocation():
    """A revoked record shows revoked from its revocation on, and certified before it."""
    issued = record("look", revoked_at=T0 + 10 * DAY)
    assert status_of([issued], T0 + 9 * DAY).status == Status.CERTIFIED
    assert status_of([issued], T0 + 10 * DAY).status == Status.REVOKED
    assert status_of([issued], EXPIRY + DAY).status == Status.REVOKED


def test_revoked_then_earned_again_is_certified():
    """A newer record issued after a revocation is what counts."""
    revoked = record("look", revoked_at=T0 + 10 * DAY, code="r")
    again = record("look", T0 + 40 * DAY, code="a")
    status = status_of([revoked, again], T0 + 41 * DAY)
    assert status.status == Status.CERTIFIED and status.record is again


def test_latest_started_record_decides_between_expired_and_revoked():
    """Expired after a revoked period shows expired; revoked after an expired one, revoked."""
    first_revoked = record("look", revoked_at=T0 + DAY, code="1")
    second = record("look", T0 + 30 * DAY, code="2")
    assert status_of([first_revoked, second], T0 + 400 * DAY).status == Status.EXPIRED
    first = record("look", code="1")
    second_revoked = record("look", EXPIRY + DAY, code="2", revoked_at=EXPIRY + 2 * DAY)
    assert status_of([first, second_revoked], EXPIRY + 3 * DAY).status == Status.REVOKED


def test_records_issued_after_now_are_ignored():
    """Replaying a moment before the issue shows the certificate as not yet held."""
    status = status_of([record("look", T0 + DAY)], T0, look_evidence(T0 - DAY))
    assert status.status == Status.IN_PROGRESS and status.record is None and status.due


def test_naive_record_datetimes_are_utc():
    """Records read back naive from SQLite compare as UTC."""
    naive = record("look", T0.replace(tzinfo=None))
    assert status_of([naive], WINDOW_OPENS).status == Status.EXPIRING


def test_expired_shows_what_is_missing_to_requalify():
    """An expired certificate lists the recent evidence it needs again."""
    status = status_of([record("look")], EXPIRY + DAY, look_evidence(T0))
    assert status.status == Status.EXPIRED and not status.due
    assert status.counts_since == WINDOW_OPENS
    assert [m.action for m in status.missing] == ["pass_quiz", "pass_quiz", "pass_drills"]


def test_progress_counts_done_over_total():
    """progress sums the requirements' done and total counts."""
    status = status_of([], T0, look_evidence(T0)[:3])
    assert status.progress == (3, 3 + 2 + 2)
    assert status.status == Status.IN_PROGRESS
