"""The HR desk: the matrix, the filtered list, the person page, revocation, CSV, audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from credentials_support import ALL, add_employees, cert_app, certificates_of, record
from sqlalchemy import select

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")
WINDOW, WATER = "客服窗口", "供水车间"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with certification rules published."""
    yield from cert_app(tmp_path)


def _shift(app: Any, user_id: int, days: int) -> None:
    """Move a person's whole history (evidence and periods) `days` into the past."""
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.credentials.models import Certificate
    from academy.extensions import db
    from academy.progress.models import Statement

    with app.app_context():
        for r in db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)):
            r.issued_at -= timedelta(days=days)
            r.starts_at -= timedelta(days=days)
            r.expires_at -= timedelta(days=days)
        for s in db.session.scalars(select(Statement).where(Statement.actor_id == user_id)):
            s.timestamp -= timedelta(days=days)
        db.session.flush()
        services.refresh_person(db.session.get(User, user_id))
        db.session.commit()


def _revoke(app: Any, code: str, **kwargs: Any) -> None:
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.extensions import db

    with app.app_context():
        hr = db.session.scalar(select(User).where(User.role == "hr")) or User(
            username="hr-x", display_name="人事", role="hr", password_hash="x"
        )
        db.session.add(hr)
        db.session.flush()
        services.revoke(hr, services.find_by_code(code), "核实投诉", **kwargs)
        db.session.commit()


@pytest.fixture
def people(app: Any, make_user: Any) -> dict[str, Any]:
    """Six employees in two departments, one for each status of 'look'."""
    found = {
        "all": make_user(username="a-all", display_name="艾全", department=WINDOW),
        "smile": make_user(username="b-smile", display_name="白笑", department=WINDOW),
        "none": make_user(username="c-none", display_name="陈无", department=WINDOW),
        "revoked": make_user(username="d-revoked", display_name="丁撤", department=WATER),
        "expired": make_user(username="e-expired", display_name="鄂过", department=WATER),
        "expiring": make_user(username="f-expiring", display_name="樊临", department=WATER),
    }
    record(app, found["smile"].id, "smile", "look-lessons")
    for key in ("all", "revoked", "expired", "expiring"):
        record(app, found[key].id, *ALL)
    look = next(c for c in certificates_of(app, found["revoked"].id) if c.certificate_id == "look")
    _revoke(app, look.code)
    _shift(app, found["expired"].id, 400)
    _shift(app, found["expiring"].id, 340)
    return found


def _rows(html: str) -> list[tuple[str, str]]:
    """(user id, status) of each list row."""
    return re.findall(r'<tr data-user="(\d+)" data-status="(\w+)">', html)


def test_matrix_counts_each_status_by_department(auth, client, people):
    """Each department × certificate cell counts people by status, with totals."""
    auth.login_as("hr")
    html = client.get("/hr/").get_data(as_text=True)
    table = html[html.index('hr-matrix">') :]
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"<tr[^>]*>\s*<th scope=\"row\">\s*(\S+)[\s\S]*?</tr>", table)
    }
    window, water = rows[WINDOW], rows[WATER]

    def look_counts(row: str) -> dict[str, int]:
        cell = re.split(r"<td[^>]*>", row)[1]  # look is the first certificate
        return {
            s: int(n)
            for s, n in re.findall(
                r'cert-count--(\w+)(?: cert-count--zero)?">[\s\S]*?(\d+)\s*</', cell
            )
        }

    assert look_counts(window) == {
        "certified": 1,
        "expiring": 0,
        "expired": 0,
        "revoked": 0,
        "in_progress": 1,
        "not_started": 1,
    }
    assert look_counts(water) == {
        "certified": 0,
        "expiring": 1,
        "expired": 1,
        "revoked": 1,
        "in_progress": 0,
        "not_started": 0,
    }
    assert "All departments" in table and "6" in table


def test_a_matrix_count_links_to_the_people_it_counts(auth, client, people):
    """Following a cell's link lists exactly the people counted there."""
    auth.login_as("hr")
    html = client.get("/hr/").get_data(as_text=True)
    links = re.findall(r'href="(/hr/people\?[^"]+)"[^>]*data-status="expired"', html)
    look_links = [link.replace("&amp;", "&") for link in links if "certificate=look" in link]
    assert look_links, links
    listed = client.get(look_links[0]).get_data(as_text=True)
    assert _rows(listed) == [(str(people["expired"].id), "expired")]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("certificate=look&status=certified", ["all"]),
        ("certificate=look&status=revoked", ["revoked"]),
        ("certificate=look&status=not_started", ["none"]),
        ("certificate=look&status=in_progress", ["smile"]),
        ("certificate=look&status=expired", ["expired"]),
        ("certificate=look&expiring=30", ["expiring"]),
        ("certificate=look&status=expiring", ["expiring"]),
        ("certificate=look&status=valid", ["all", "expiring"]),
        ("certificate=smile&status=certified", ["all", "smile", "revoked", "expired", "expiring"]),
    ],
)
def test_list_filters(auth, client, people, query, expected):
    """Certificate, status and 'expiring within N days' filters select the right people."""
    auth.login_as("hr")
    html = client.get(f"/hr/people?{query}").get_data(as_text=True)
    ids = [int(user_id) for user_id, _status in _rows(html)]
    assert sorted(ids) == sorted(people[key].id for key in expected)


def test_department_filter_sort_and_overdue(app, auth, client, people):
    """Department narrows, expiry sorts, and 'overdue assignments' finds the late."""
    from academy.accounts.models import Department, User
    from academy.assignments import services as assignments
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db

    hr = auth.login_as("hr")
    with app.app_context():
        water = db.session.scalar(select(Department).where(Department.name == WATER))
        assignments.assign(
            db.session.get(User, hr.id),
            kind="certificate",
            object_id="look",
            due=assignments.today_local(),
            usernames=["c-none"],
        )
        db.session.commit()
        for target in db.session.scalars(select(AssignmentTarget)):
            target.due_at -= timedelta(days=3)
        db.session.commit()
        water_id = water.id
    html = client.get(f"/hr/people?department={water_id}&certificate=look").get_data(as_text=True)
    assert {int(u) for u, _ in _rows(html)} == {
        people[k].id for k in ("revoked", "expired", "expiring")
    }
    html = client.get("/hr/people?certificate=look&sort=expiry").get_data(as_text=True)
    order = [int(u) for u, _ in _rows(html)]
    assert order[:2] == [people["expired"].id, people["expiring"].id]
    assert order[-2:] == [people["smile"].id, people["none"].id] or set(order[-2:]) == {
        people["smile"].id,
        people["none"].id,
    }
    html = client.get("/hr/people?overdue=1").get_data(as_text=True)
    assert {int(u) for u, _ in _rows(html)} == {people["none"].id}


def test_list_is_paginated(app, auth, client, password_hash):
    """Past 50 rows, the list pages."""
    add_employees(app, 30, WINDOW, password_hash)  # 30 × 3 certificates = 90 rows
    auth.login_as("hr")
    first = client.get("/hr/people").get_data(as_text=True)
    assert len(_rows(first)) == 50 and "Page 1 of 2" in first
    second = client.get("/hr/people?page=2").get_data(as_text=True)
    assert len(_rows(second)) == 40


def test_person_page_shows_history_assignments_missing_and_evidence(auth, client, app, people):
    """The employee page: periods with codes, what is missing, evidence timeline."""
    auth.login_as("hr")
    person = people["smile"]
    html = client.get(f"/hr/people/{person.id}").get_data(as_text=True)
    [smile] = certificates_of(app, person.id)  # look and both are still to earn
    assert "白笑" in html and smile.code in html
    look = html[html.index('id="cert-look"') :].split("</article>", 1)[0]
    assert 'href="/courses/look/first-look/quiz"' in look  # missing, linked
    assert "Completed the lesson" in html and "Earned the certificate" in html
    assert "Revoke…" in html


def test_hr_revokes_with_a_reason_and_it_shows_everywhere(auth, client, app, people):
    """No reason: 422 and a message. With one: revoked, flashed, audited, public page says so."""
    auth.login_as("hr")
    person = people["all"]
    look = next(c for c in certificates_of(app, person.id) if c.certificate_id == "look")
    response = auth.post(f"/hr/certificates/{look.code}/revoke", {"reason": " "})
    assert response.status_code == 422 and "Give a reason." in response.get_data(as_text=True)
    response = auth.post(
        f"/hr/certificates/{look.code}/revoke", {"reason": "复核不合格", "dependents": "y"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("changed=look#cert-look")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Reinstate…" in page
    card = page[page.index('id="cert-look"') :].split("</article>", 1)[0]
    assert "Revoked:" in card  # the confirmation is where the page scrolls to
    assert page.count("Revoked: ") == 1
    assert "Revoked certificate" in client.get(f"/verify/{look.code}").get_data(as_text=True)
    states = client.get("/hr/people?certificate=both&status=revoked").get_data(as_text=True)
    assert {int(u) for u, _ in _rows(states)} == {person.id, people["revoked"].id}
    response = auth.post(f"/hr/certificates/{look.code}/reinstate", {"reason": "申诉成立"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Reinstated:" in page[page.index('id="cert-look"') :].split("</article>", 1)[0]
    assert "Valid certificate" in client.get(f"/verify/{look.code}").get_data(as_text=True)


def test_trainers_see_their_departments_read_only(auth, client, app, people):
    """A trainer's desk counts and lists only their department, and cannot revoke."""
    auth.login_as("trainer", department=WINDOW)
    html = client.get("/hr/").get_data(as_text=True)
    assert WINDOW in html and WATER not in html
    listed = client.get("/hr/people?certificate=look").get_data(as_text=True)
    assert {int(u) for u, _ in _rows(listed)} == {people[k].id for k in ("all", "smile", "none")}
    assert client.get(f"/hr/people/{people['revoked'].id}").status_code == 404
    page = client.get(f"/hr/people/{people['all'].id}").get_data(as_text=True)
    assert "Revoke…" not in page
    code = certificates_of(app, people["all"].id)[0].code
    assert auth.post(f"/hr/certificates/{code}/revoke", {"reason": "x"}).status_code == 403
    csv_text = client.get("/hr/certifications.csv").get_data(as_text=True)
    assert "艾全" in csv_text and "丁撤" not in csv_text


def test_csv_is_streamed_utf8_with_bom_and_filtered(auth, client, app, people):
    """The CSV starts with a BOM, has a header, follows the filters, and is streamed."""
    auth.login_as("hr")
    response = client.get("/hr/certifications.csv?certificate=look&status=in_progress")
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("employee_no,name,username,department,certificate_id")
    assert [line.split(",")[1] for line in lines[1:]] == ["白笑"]
    everything = client.get("/hr/certifications.csv").data.decode("utf-8-sig").splitlines()
    assert len(everything) == 1 + 6 * 3


def test_csv_cells_cannot_become_formulas(app, auth, client, make_user):
    """A name starting with '=' is written as text."""
    make_user(display_name="=HYPERLINK(1)", department=WINDOW)
    auth.login_as("hr")
    text = client.get("/hr/certifications.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_query_counts_do_not_grow_with_employees(app, auth, client, queries, password_hash):
    """Every HR page costs the same number of queries for 5 or 40 employees."""
    add_employees(app, 5, WINDOW, password_hash)
    person = add_employees(app, 1, WINDOW, password_hash)[0]
    record(app, person, *ALL)
    auth.login_as("hr")
    paths = [
        "/hr/",
        "/hr/people",
        "/hr/people?certificate=look&status=certified&sort=expiry",
        f"/hr/people/{person}",
        "/hr/certifications.csv",
        "/admin/audit/",
    ]

    def measure() -> list[int]:
        counts = []
        for path in paths:
            with queries() as statements:
                response = client.get(path)
                assert response.status_code in (200, 403), path
                response.get_data()
                response.close()
            counts.append(len(statements))
        return counts

    few = measure()
    more = add_employees(app, 35, WATER, password_hash)
    for user_id in more[:10]:
        record(app, user_id, "smile")
    assert measure() == few


def test_audit_log_lists_and_filters_actions(auth, client, app, people):
    """Admins read who revoked what and why, filtered by action and person."""
    auth.login_as("admin")
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert 'data-action="revoke"' in html and "核实投诉" in html and "丁撤" in html
    assert (
        client.get("/admin/audit/?action=reinstate").get_data(as_text=True).count("data-action=")
        == 0
    )
    html = client.get("/admin/audit/?person=d-revoked").get_data(as_text=True)
    assert html.count('data-action="revoke"') == 2  # look, and 'both' that needed it
    assert "data-action" not in client.get("/admin/audit/?person=nobody").get_data(as_text=True)
    assert "data-action" not in client.get("/admin/audit/?from=2999-01-01").get_data(as_text=True)


def test_assignments_are_audited(auth, client, app, people):
    """Giving and withdrawing work through the Assignments pages is in the audit log."""
    from academy.credentials.models import AuditLog
    from academy.extensions import db

    auth.login_as("hr")
    due = (__import__("datetime").date.today() + timedelta(days=20)).isoformat()
    response = auth.post(
        "/assignments/new", {"item": "certificate:both", "people": "c-none", "due": due}
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "assign"))
        assert entry.detail["object_id"] == "both" and entry.detail["people"] == 1


# --- access: every route × every role ------------------------------------------------------


@pytest.fixture
def codes(app: Any, make_user: Any) -> dict[str, Any]:
    """A holder in the service window (where the trainer coaches) and their codes."""
    holder = make_user(username="holder", department=WINDOW)
    record(app, holder.id, *ALL)
    found = {c.certificate_id: c.code for c in certificates_of(app, holder.id)}
    found["user"] = holder.id
    return found


PAGES = [
    # (path, roles allowed); {look} and {user} are filled in from the holder.
    ("/me/certificates/", ROLES[1:]),
    ("/me/certificates/{look}", ("trainer", "hr", "admin")),
    ("/me/certificates/{look}.pdf", ("trainer", "hr", "admin")),
    ("/verify/{look}", ROLES),
    ("/verify/{look}.json", ROLES),
    ("/badges/look.json", ROLES),
    ("/badges/look.svg", ROLES),
    ("/badges/look", ROLES),
    ("/badges/issuer.json", ROLES),
    ("/hr/", ("trainer", "hr", "admin")),
    ("/hr/people", ("trainer", "hr", "admin")),
    ("/hr/people/{user}", ("trainer", "hr", "admin")),
    ("/hr/certifications.csv", ("trainer", "hr", "admin")),
    ("/admin/audit/", ("admin",)),
]
ACTIONS = [
    ("/hr/certificates/{look}/revoke", ("hr", "admin")),
    ("/hr/certificates/{look}/reinstate", ("hr", "admin")),
]


@pytest.mark.parametrize("path,allowed", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_access(auth, client, codes, role, path, allowed):
    """Allowed roles get the page; others 403, or the login page when anonymous."""
    from academy.credentials import printing

    if path.endswith(".pdf"):
        try:
            printing.find_cjk_font()
        except printing.FontMissingError:
            pytest.skip("no CJK font installed")
    if role != "anonymous":
        auth.login_as(role, department=WINDOW)
    response = client.get(path.format(**codes))
    response.get_data()
    response.close()
    if role in allowed:
        assert response.status_code == 200, response.status_code
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("path,allowed", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_action_access(auth, client, codes, role, path, allowed):
    """Revoking and reinstating: HR and admins only (an empty reason is refused with 422)."""
    if role != "anonymous":
        auth.login_as(role, department=WINDOW)
    response = auth.post(path.format(**codes), {"reason": ""})
    if role in allowed:
        assert response.status_code == 422
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_every_certificate_route_is_in_the_matrix(app):
    """Each route of the certificates, verify, hr and audit blueprints is tested above."""
    tested = {p.split("?")[0] for p, _ in PAGES + ACTIONS}
    pattern = {
        "/me/certificates/<code>": "/me/certificates/{look}",
        "/me/certificates/<code>.pdf": "/me/certificates/{look}.pdf",
        "/verify/<code>": "/verify/{look}",
        "/verify/<code>.json": "/verify/{look}.json",
        "/badges/<certificate_id>.json": "/badges/look.json",
        "/badges/<certificate_id>.svg": "/badges/look.svg",
        "/badges/<certificate_id>": "/badges/look",
        "/hr/people/<int:user_id>": "/hr/people/{user}",
        "/hr/certificates/<code>/revoke": "/hr/certificates/{look}/revoke",
        "/hr/certificates/<code>/reinstate": "/hr/certificates/{look}/reinstate",
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("certificates", "verify", "hr", "audit"):
            assert pattern.get(rule.rule, rule.rule) in tested, rule.rule


def test_people_list_searches_by_name_username_or_number(app, auth, client, password_hash):
    """/hr/people?q= narrows the list (and the CSV) to matching people, in scope."""
    from academy.accounts.models import User
    from academy.extensions import db

    ids = add_employees(app, 3, WINDOW, password_hash)
    with app.app_context():
        db.session.get(User, ids[0]).display_name = "赵小青"
        db.session.commit()
    auth.login_as("hr")
    page = client.get("/hr/people?q=小青").get_data(as_text=True)
    assert "赵小青" in page and "员工" not in page
    assert 'value="小青"' in page
    csv = client.get("/hr/certifications.csv?q=小青").get_data(as_text=True)
    assert "赵小青" in csv and "员工" not in csv
    assert "q=%E5%B0%8F%E9%9D%92" in page  # the CSV link keeps the search
    numbered = client.get("/hr/people?q=B0000").get_data(as_text=True)
    assert "B0000" not in numbered or "赵小青" in numbered


def test_people_list_search_stays_in_a_trainers_scope(app, auth, client, password_hash):
    add_employees(app, 2, WINDOW, password_hash)
    add_employees(app, 2, WATER, password_hash)
    auth.login_as("trainer", department=WATER)
    page = client.get("/hr/people?q=员工").get_data(as_text=True)
    assert WINDOW not in page.split("<tbody>")[1]
