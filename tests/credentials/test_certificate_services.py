"""Issuing, renewing, revoking and reinstating certificates, and the stored states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from credentials_support import ALL, certificates_of, record, states_of
from sqlalchemy import func, select

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock(monkeypatch):
    """Set the time the certificate services judge by: clock(datetime)."""
    from academy.credentials import services

    def set_time(moment):
        monkeypatch.setattr(services, "utcnow", lambda: moment)

    set_time(T0)
    return set_time


def _count(app, model, **where):
    from academy.extensions import db

    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def test_the_last_requirement_issues_the_certificate_with_its_evidence(app, make_user, clock):
    """Completing a rule issues the period at once, with code, rule version and evidence ids."""
    from academy.extensions import db
    from academy.progress.models import Statement

    user = make_user()
    record(app, user.id, "look-lessons", "look-quiz", at=T0 - DAY)
    assert certificates_of(app, user.id) == []
    assert states_of(app, user.id)["look"][0] == "in_progress"
    record(app, user.id, "drill", at=T0)
    [look] = certificates_of(app, user.id)
    assert look.certificate_id == "look" and look.reason == "new" and look.follows == ""
    assert look.rule_version == "3" and look.title == "看 · 修炼合格证"
    assert len(look.code) >= 20 and look.code.replace("-", "").replace("_", "").isalnum()
    assert look.issued_at == T0 and look.expires_at == T0 + 365 * DAY
    with app.app_context():
        satisfying = db.session.scalars(
            select(Statement.id).where(
                Statement.actor_id == user.id, Statement.verb.in_(["completed", "passed"])
            )
        ).all()
        earned = db.session.scalar(
            select(Statement).where(Statement.verb == "earned", Statement.actor_id == user.id)
        )
        assert sorted(look.evidence["statements"]) == sorted(satisfying)
        assert earned.object_id == "look" and earned.result["code"] == look.code
    status, valid_until, _done, _total = states_of(app, user.id)["look"]
    assert status == "certified" and valid_until == T0 + 365 * DAY


def test_evidence_and_certificate_share_one_transaction(app, make_user):
    """Rolling back the evidence also rolls back the certificate it issued."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    user = make_user()
    record(app, user.id, "look-lessons", "look-quiz")
    with app.app_context():
        person = db.session.get(User, user.id)
        ledger.record(person, "completed", "scenario", "front-desk", score=90, success=True)
        from academy.credentials.models import Certificate

        assert db.session.scalar(select(func.count(Certificate.id))) == 1
        db.session.rollback()
    assert certificates_of(app, user.id) == []


def test_more_evidence_never_issues_the_same_period_twice(app, make_user):
    """Repeating the last requirement, or re-evaluating, leaves exactly one period each."""
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.extensions import db
    from academy.progress.models import Statement

    user = make_user()
    record(app, user.id, *ALL)
    record(app, user.id, "drill", "drill", "smile")
    with app.app_context():
        services.refresh_person(db.session.get(User, user.id))
        db.session.commit()
        earned = db.session.scalar(
            select(func.count(Statement.id)).where(Statement.verb == "earned")
        )
    ids = sorted(c.certificate_id for c in certificates_of(app, user.id))
    assert ids == ["both", "look", "smile"]
    assert earned == 3


def test_a_certificate_needing_others_is_issued_with_the_last_of_them(app, make_user):
    """'both' is issued in the same call as the last of look and smile, pointing at their codes."""
    user = make_user()
    record(app, user.id, "smile")
    assert [c.certificate_id for c in certificates_of(app, user.id)] == ["smile"]
    record(app, user.id, "look-lessons", "look-quiz", "drill")
    records = {c.certificate_id: c for c in certificates_of(app, user.id)}
    held = records["both"].evidence["requirements"][0]["items"]
    assert {item["certificate"]: item["code"] for item in held} == {
        "look": records["look"].code,
        "smile": records["smile"].code,
    }


def test_a_stale_decision_is_refused_by_the_unique_constraint(app, make_user):
    """Storing a decision made before another request issued the period keeps one, no error."""
    from academy.accounts.models import User
    from academy.certification import due_certificates
    from academy.credentials import rules, services
    from academy.extensions import db

    user = make_user()
    record(app, user.id, "smile")  # the hook issues smile
    with app.app_context():
        person = db.session.get(User, user.id)
        facts = services.load_facts([user.id])[user.id]
        published = rules.published()
        # Judged as if the records were not there yet: what a concurrent request saw.
        [issue] = [
            i
            for i in due_certificates(
                published.ruleset, published.content, facts.evidence, [], services.utcnow()
            )
            if i.certificate_id == "smile"
        ]
        stored = services._store(person, issue, facts, {}, services.utcnow(), published)
        assert stored is None
        db.session.commit()
    assert [c.certificate_id for c in certificates_of(app, user.id)] == ["smile"]


def test_renewal_inside_the_window_starts_at_the_old_expiry(app, make_user, clock):
    """Fresh quiz and drill in the last 60 days issue the next period, following the first."""
    user = make_user()
    record(app, user.id, "look-lessons", "look-quiz", "drill", at=T0 - DAY)
    [first] = certificates_of(app, user.id)
    later = T0 + 320 * DAY
    clock(later)
    record(app, user.id, "drill", at=later)  # the quiz is still from before the window
    assert len(certificates_of(app, user.id)) == 1
    assert states_of(app, user.id)["look"][0] == "certified"
    clock(later + DAY)
    record(app, user.id, "look-quiz", at=later + DAY)
    first, renewal = certificates_of(app, user.id)
    assert renewal.reason == "renewal" and renewal.follows == first.code
    assert renewal.starts_at == first.expires_at
    assert renewal.expires_at == first.expires_at + 365 * DAY
    assert states_of(app, user.id)["look"][1] == renewal.expires_at


def test_expired_certificate_is_earned_again_as_requalified(app, make_user, clock):
    """After expiry, fresh evidence issues a new period starting now."""
    user = make_user()
    record(app, user.id, "smile", at=T0)
    [first] = certificates_of(app, user.id)
    later = T0 + 400 * DAY
    clock(later)
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.extensions import db

    with app.app_context():
        services.refresh_person(db.session.get(User, user.id))
        db.session.commit()
    # smile needs only its lesson, done once: any date counts, so it is earned again now.
    first, again = certificates_of(app, user.id)
    assert again.reason == "requalified" and again.follows == first.code
    assert again.starts_at == later


def _revoke(app, actor_id, code, reason="投诉核实", **kwargs):
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.extensions import db

    with app.app_context():
        record_ = services.find_by_code(code)
        result = services.revoke(db.session.get(User, actor_id), record_, reason, **kwargs)
        db.session.commit()
        return [r.code for r in result]


def test_revoking_covers_the_renewal_and_what_depends_on_it(app, make_user, clock):
    """Revoking look revokes its renewal and 'both'; audit, ledger and states say so."""
    from academy.credentials.models import AuditLog
    from academy.extensions import db
    from academy.progress.models import Statement

    hr = make_user("hr")
    user = make_user()
    record(app, user.id, *ALL, at=T0 - DAY)
    clock(T0 + 320 * DAY)
    record(app, user.id, "look-quiz", "drill", at=T0 + 320 * DAY)
    records = certificates_of(app, user.id)
    looks = [c for c in records if c.certificate_id == "look"]
    assert len(looks) == 2
    clock(T0 + 321 * DAY)
    revoked = _revoke(app, hr.id, looks[0].code, reason="窗口服务投诉核实")
    assert set(revoked) == {looks[0].code, looks[1].code} | {
        c.code for c in records if c.certificate_id == "both"
    }
    after = {c.code: c for c in certificates_of(app, user.id)}
    assert all(after[code].revoked_at == T0 + 321 * DAY for code in revoked)
    assert after[looks[0].code].revoke_reason == "窗口服务投诉核实"
    smile = next(c for c in after.values() if c.certificate_id == "smile")
    assert smile.revoked_at is None
    states = states_of(app, user.id)
    assert states["look"][0] == "revoked" and states["both"][0] == "revoked"
    assert states["smile"][0] == "certified"
    with app.app_context():
        entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert [(e.action, e.certificate_id, e.actor_id) for e in entries] == [
            ("revoke", "look", hr.id),
            ("revoke", "both", hr.id),
        ]
        assert entries[0].reason == "窗口服务投诉核实"
        assert entries[1].detail["because_of"] == looks[0].code
        revoked_statements = db.session.scalars(
            select(Statement).where(Statement.verb == "revoked")
        ).all()
        assert {s.object_id for s in revoked_statements} == {"look", "both"}
        assert all(s.recorded_by_id == hr.id for s in revoked_statements)


def test_revoking_without_dependents_leaves_them_valid(app, make_user):
    """With dependents=False only the chosen certificate is revoked."""
    hr = make_user("hr")
    user = make_user()
    record(app, user.id, *ALL)
    look = next(c for c in certificates_of(app, user.id) if c.certificate_id == "look")
    assert _revoke(app, hr.id, look.code, dependents=False) == [look.code]
    states = states_of(app, user.id)
    assert states["look"][0] == "revoked" and states["both"][0] == "certified"


def test_revocation_needs_a_reason_and_happens_once(app, make_user):
    """No reason, or revoking twice, is refused with a message."""
    from academy.credentials.services import CredentialError

    hr = make_user("hr")
    user = make_user()
    record(app, user.id, "smile")
    [smile] = certificates_of(app, user.id)
    with pytest.raises(CredentialError):
        _revoke(app, hr.id, smile.code, reason="  ")
    _revoke(app, hr.id, smile.code)
    with pytest.raises(CredentialError):
        _revoke(app, hr.id, smile.code)


def test_reinstating_restores_everything_revoked_together(app, make_user):
    """Reinstate undoes the whole revocation (dependents too) and is audited."""
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.credentials.models import AuditLog
    from academy.extensions import db

    hr = make_user("hr")
    user = make_user()
    record(app, user.id, *ALL)
    look = next(c for c in certificates_of(app, user.id) if c.certificate_id == "look")
    _revoke(app, hr.id, look.code)
    with app.app_context():
        with pytest.raises(services.CredentialError):
            services.reinstate(db.session.get(User, hr.id), services.find_by_code(look.code), "")
        services.reinstate(
            db.session.get(User, hr.id), services.find_by_code(look.code), "误撤，已核实"
        )
        db.session.commit()
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert all(c.revoked_at is None for c in certificates_of(app, user.id))
    assert {k: v[0] for k, v in states_of(app, user.id).items()} == dict.fromkeys(
        ("look", "smile", "both"), "certified"
    )
    assert actions == ["revoke", "revoke", "reinstate", "reinstate"]


def test_revoked_evidence_alone_does_not_bring_it_back(app, make_user, clock):
    """After a revocation, only evidence dated after it issues the certificate again."""
    hr = make_user("hr")
    user = make_user()
    record(app, user.id, "look-lessons", "look-quiz", "drill", at=T0 - DAY)
    [look] = certificates_of(app, user.id)
    clock(T0 + 10 * DAY)
    _revoke(app, hr.id, look.code, dependents=False)
    clock(T0 + 11 * DAY)
    record(app, user.id, "smile", at=T0 + 11 * DAY)  # unrelated evidence re-evaluates look
    assert [c.certificate_id for c in certificates_of(app, user.id)] == ["look", "smile"]
    clock(T0 + 12 * DAY)
    record(app, user.id, "look-quiz", "drill", at=T0 + 12 * DAY)
    again = [c for c in certificates_of(app, user.id) if c.certificate_id == "look"][-1]
    assert again.reason == "requalified" and again.follows == look.code


def test_states_are_upserted_one_row_per_certificate(app, make_user):
    """Each evaluation updates the person's rows in place: one per certificate."""
    from academy.credentials.models import CertificateState

    user = make_user()
    record(app, user.id, "look-lessons")
    first = states_of(app, user.id)
    assert set(first) == {"look", "smile", "both"}
    assert first["look"][0] == "in_progress" and first["smile"][0] == "not_started"
    record(app, user.id, "smile")
    assert states_of(app, user.id)["smile"][0] == "certified"
    assert _count(app, CertificateState, user_id=user.id) == 3


def test_refresh_everyone_evaluates_people_whose_evidence_came_in_bulk(app, make_user):
    """Evidence written without the hook is picked up, in batches, by refresh_everyone."""
    from academy.credentials import services
    from academy.credentials.models import CertificateState
    from academy.extensions import db
    from academy.progress.models import Statement

    users = [make_user() for _ in range(5)]
    with app.app_context():
        for user in users[:3]:
            db.session.add(
                Statement(
                    actor_id=user.id,
                    verb="completed",
                    object_type="module",
                    object_id="smile/one-metre",
                    success=True,
                    recorded_by_id=user.id,
                )
            )
        db.session.commit()
        seen = []
        people, issued = services.refresh_everyone(batch_size=2, progress=seen.append)
    assert (people, issued) == (5, 3)
    assert seen == [2, 4, 5]
    assert _count(app, CertificateState, status="certified") == 3
    assert _count(app, CertificateState) == 15


def test_a_certificate_assignment_is_closed_when_it_is_earned(app, make_user):
    """Certificates are assignable; the earned statement closes the assignment."""
    from academy.accounts.models import User
    from academy.assignments import services as assignments
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db

    hr = make_user("hr")
    user = make_user()
    with app.app_context():
        assert assignments.find_assignable("certificate", "both").title == "看笑合格证"
        assignments.assign(
            db.session.get(User, hr.id),
            kind="certificate",
            object_id="smile",
            due=assignments.today_local() + timedelta(days=10),
            usernames=[user.username],
        )
        db.session.commit()
    record(app, user.id, "smile")
    with app.app_context():
        target = db.session.scalar(select(AssignmentTarget))
        assert target.completed_at is not None and target.on_time is True


def test_rules_are_published_by_the_content_sync(app, tmp_path):
    """A valid change is a new revision; a broken file keeps the old rules and says why."""
    from credentials_support import RULES

    from academy.catalog.models import ContentRevision
    from academy.catalog.sync import sync_content
    from academy.credentials import rules
    from academy.extensions import db

    changed = tmp_path / "rules.yaml"
    changed.write_text(RULES.read_text(encoding="utf-8").replace("version: 3", "version: 4"))
    app.config["CERTIFICATION_RULES"] = changed
    with app.app_context():
        report = sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
        assert "rules:certifications" in report.updated
        assert rules.published().ruleset.version == "4"
        changed.write_text("version: 5\ncertificates:\n  look:\n    title: x\n")
        report = sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
        assert "rules:certifications" in report.kept
        assert any("rules.yaml:" in str(p) for p in report.errors)
        assert rules.published().ruleset.version == "4"
        revisions = db.session.scalar(select(func.count()).where(ContentRevision.kind == "rules"))
        assert revisions == 2


def test_without_rules_nothing_is_issued(tmp_path):
    """An app without a rules file records evidence as usual and issues nothing."""
    from credentials_support import cert_app

    (tmp_path / "norules").mkdir()
    gen = cert_app(tmp_path / "norules", CERTIFICATION_RULES=tmp_path / "missing.yaml")
    bare = next(gen)
    from academy.accounts.models import User
    from academy.credentials import rules
    from academy.extensions import db

    with bare.app_context():
        user = User(username="x", display_name="x", role="employee", password_hash="x")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
        assert rules.published().ruleset is None
    record(bare, user_id, *ALL)
    assert certificates_of(bare, user_id) == []
    gen.close()
