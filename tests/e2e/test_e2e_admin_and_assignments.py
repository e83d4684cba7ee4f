"""In Chromium: an administrator sets up a department and a person; a trainer assigns work."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def _sign_out(page) -> None:
    page.click(".user-menu summary")
    page.click(".user-menu button[type=submit]")
    page.wait_for_url("**/login")


def test_admin_adds_a_department_and_a_person_who_then_signs_in(live_server, page, make_user):
    """Departments → add; People → new (a bad field first, then right); the person logs in."""
    admin = make_user("admin", username="admin", display_name="管理员")
    login(page, live_server.url, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/departments")
    page.fill("#name", "热力车间")
    page.click("form >> text=添加")
    page.wait_for_selector("table >> text=热力车间")

    page.goto(f"{live_server.url}/admin/users/new")
    page.fill("#username", "sunli")
    page.fill("#display_name", "")
    page.fill("#password", "warm-homes-2026")
    page.click("main button[type=submit]")
    error = page.locator("#display_name-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.locator("#display_name").get_attribute("aria-invalid") == "true"

    page.fill("#display_name", "孙莉")
    page.select_option("#role", "employee")
    page.select_option("#department", label="热力车间")
    page.fill("#password", "warm-homes-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/users**")
    row = page.locator("tr", has_text="sunli")
    assert "孙莉" in row.inner_text() and "热力车间" in row.inner_text()

    _sign_out(page)
    login(page, live_server.url, "sunli", "warm-homes-2026")
    page.wait_for_url("**/me/")
    assert "孙莉" in page.locator("h1").inner_text()
    page.click(".user-menu summary")
    assert "热力车间" in page.locator(".user-menu__panel").inner_text()


def test_trainer_assigns_a_lesson_and_the_employee_sees_it_due(live_server, page, make_user):
    """Trainer: assign a lesson to their department; the employee sees it due, does it, done."""
    trainer = make_user("trainer", username="teacher", display_name="王秀兰", department="供水车间")
    worker = make_user("employee", username="zhangwei", display_name="张伟", department="供水车间")
    login(page, live_server.url, trainer.username, PASSWORD)
    page.goto(f"{live_server.url}/assignments/new")
    page.select_option("#item", "module:look/second-look")
    page.check("input[name=departments]")
    from academy.assignments.services import COMPANY_TZ

    # "Due in 2 days" counts company days (Asia/Shanghai), not the test machine's.
    due = datetime.now(COMPANY_TZ).date() + timedelta(days=2)
    page.fill("#due", due.isoformat())
    page.fill("#note", "周四例会前完成。")
    page.click("main button[type=submit]")
    page.wait_for_url("**/assignments/*")
    assert "张伟" in page.locator("main").inner_text()
    _sign_out(page)

    login(page, live_server.url, worker.username, PASSWORD)
    page.wait_for_url("**/me/")
    item = page.locator(".work-list__item").first
    assert "周四例会前完成" in item.inner_text()
    assert item.get_attribute("data-overdue") == "false"
    assert "2 天" in item.locator(".badge").inner_text()
    item.locator("a").click()
    page.wait_for_url("**/courses/look/second-look")
    page.click("#complete-lesson")
    page.wait_for_selector('#lesson-status[data-status="completed"]')
    page.goto(f"{live_server.url}/me/")
    assert page.locator("#assigned-title ~ ul .work-list__item").count() == 0
    page.click("text=最近完成")
    assert "已完成" in page.locator("details .badge--done").first.inner_text()
