"""People services: validation, passwords, CSV import all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_passwords_are_scrypt_hashed(ctx):
    """Passwords are stored as werkzeug scrypt hashes."""
    from academy.accounts import services

    user = services.create_user(services.UserInput("lina", "李娜"), "a-long-password")
    assert user.password_hash.startswith("scrypt:")
    assert services.authenticate("LINA", "a-long-password") is user
    assert services.authenticate("lina", "wrong") is None


def test_user_input_is_validated_field_by_field(ctx):
    """Each bad field raises AccountError naming it."""
    from academy.accounts import services

    cases = [
        (services.UserInput("a", "x"), "username"),
        (services.UserInput("ok.name", ""), "display_name"),
        (services.UserInput("ok.name", "x", role="boss"), "role"),
        (services.UserInput("ok.name", "x", department="nowhere"), "department"),
        (services.UserInput("ok.name", "x", email="nope"), "email"),
    ]
    for data, field in cases:
        with pytest.raises(services.AccountError) as info:
            services.create_user(data, "a-long-password")
        assert info.value.field == field
    with pytest.raises(services.AccountError) as info:
        services.create_user(services.UserInput("ok.name", "x"), "short")
    assert info.value.field == "password"


def test_first_admin_is_created_once(ctx):
    """ensure_first_admin creates 'admin' once, with a generated password if none given."""
    from academy.accounts import services

    created = services.ensure_first_admin(None)
    assert created is not None
    user, generated = created
    assert user.role == "admin" and generated
    assert services.authenticate("admin", generated) is user
    assert services.ensure_first_admin(None) is None


CSV_GOOD = (
    "username,display name,role,department,employee number,email\n"
    "zhangwei,张伟,employee,客服窗口,E001,zw@example.com\n"
    "lina,李娜,trainer,客服窗口,E002,\n"
)


def test_csv_import_creates_users_with_passwords(ctx):
    """A good CSV creates everyone, each with a generated password."""
    from academy.accounts import services

    services.create_department("客服窗口")
    report = services.import_users_csv(CSV_GOOD)
    assert report.ok
    assert [u.username for u, _ in report.created] == ["zhangwei", "lina"]
    assert all(len(p) >= 8 for _, p in report.created)


def test_csv_import_reports_every_bad_row_and_creates_nobody(app):
    """Bad rows are listed by row number; nothing is imported."""
    from academy.accounts import services
    from academy.accounts.models import User
    from academy.extensions import db

    text = (
        "用户名,姓名,角色,部门,工号,邮箱\n"
        "zhangwei,张伟,员工,客服窗口,E001,\n"
        "bad name,王五,employee,,,\n"
        "lisi,李四,wizard,,,\n"
        "zhangwei,张伟二,employee,,,\n"
        "wangwu,王五,employee,不存在,,\n"
    )
    with app.app_context():
        services.create_department("客服窗口")
        db.session.commit()
        report = services.import_users_csv(text)
        assert not report.ok
        rows = [line for line, _ in report.errors]
        assert rows == [3, 4, 5, 6]
        messages = " ".join(m for _, m in report.errors)
        assert "role" in messages and "repeats row 2" in messages and "不存在" in messages
        db.session.rollback()
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_csv_import_can_create_departments(ctx):
    """--create-departments makes the departments the file names."""
    from academy.accounts import services

    report = services.import_users_csv(CSV_GOOD, create_departments=True)
    assert report.ok
    assert services.find_department("客服窗口") is not None


def test_csv_missing_columns_and_empty_file(ctx):
    """A file without the required columns, or empty, is reported on row 1."""
    from academy.accounts import services

    assert services.import_users_csv("").errors == [(1, "the file is empty")]
    report = services.import_users_csv("name_only\nx\n")
    assert report.errors[0][0] == 1 and "username" in report.errors[0][1]


def test_csv_decoding_accepts_gbk_from_excel():
    """CSV saved by Chinese Excel (GB18030) decodes as well as UTF-8 with BOM."""
    from academy.accounts.services import decode_csv

    assert decode_csv("用户名\n".encode("gb18030")) == "用户名\n"
    assert decode_csv("\ufeff用户名\n".encode()) == "用户名\n"


def test_last_admin_cannot_be_disabled(ctx):
    """The only active administrator cannot be demoted by another path."""
    from academy.accounts import services

    admin, _ = services.ensure_first_admin("admin-password-1")
    with pytest.raises(services.AccountError):
        services.update_user(
            admin, services.UserInput("admin", "管理员", role="employee"), active=True
        )


def test_csv_import_names_every_bad_field_of_a_row(ctx):
    """A row with several bad cells gets one message per field, all on its row number."""
    from academy.accounts import services

    text = (
        "username,display name,role,department,employee number,email\n"
        "ok,好,wizard,无此部门,E9,nope\n"
    )
    report = services.import_users_csv(text)
    assert not report.ok
    fields = [message.split(":")[0] for line, message in report.errors if line == 2]
    assert fields == ["role", "department", "email"]
