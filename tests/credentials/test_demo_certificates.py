"""The demo's certificate history is consistent with the rules it was built from."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select


def test_demo_history_agrees_with_a_fresh_evaluation(app):
    """Bulk demo states equal what re-evaluating everyone gives; nothing more is due."""
    from academy.credentials import services
    from academy.credentials.models import AuditLog, Certificate, CertificateState
    from academy.demo import build_demo
    from academy.extensions import db

    with app.app_context():
        summary = build_demo(employees=60)
        assert "certificate history:" in summary
        certificates = db.session.scalar(select(func.count(Certificate.id)))
        before = {
            (s.user_id, s.certificate_id): (s.status, s.valid_until, s.code)
            for s in db.session.scalars(select(CertificateState))
        }
        statuses = {status for status, _, _ in before.values()}
        assert certificates > 10 and {"certified", "in_progress", "not_started"} <= statuses
        people, issued = services.refresh_everyone()
        assert issued == 0
        after = {
            (s.user_id, s.certificate_id): (s.status, s.valid_until, s.code)
            for s in db.session.scalars(select(CertificateState))
        }
        for key, value in before.items():
            assert after[key] == value, key
        assert db.session.scalar(select(func.count(AuditLog.id))) >= 1  # the assignment


def test_the_featured_employee_has_one_to_renew_soon(app):
    """zhangwei holds look (inside its renewal window) and smile; 'both' follows."""
    from academy.accounts.models import User
    from academy.credentials.models import CertificateState
    from academy.demo import build_demo
    from academy.extensions import db
    from academy.timeutil import utcnow

    with app.app_context():
        build_demo()
        user = db.session.scalar(select(User).where(User.username == "zhangwei"))
        states = {
            s.certificate_id: s
            for s in db.session.scalars(
                select(CertificateState).where(CertificateState.user_id == user.id)
            )
        }
        now = utcnow()
        look = states["look"]
        assert look.status == "certified"
        assert look.renewal_opens_at <= now < look.valid_until <= now + timedelta(days=60)
        assert states["smile"].status == "certified" and states["both"].status == "certified"
