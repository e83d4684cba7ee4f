"""`employee_trend`: one employee's month-end scores, the values `monthly_trend` averages."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from academy.growth import (
    DEFAULT,
    assess,
    employee_trend,
    extract,
    last_months,
    month_end,
    monthly_trend,
)
from academy.growth.synthetic import synthetic_history

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def test_each_month_equals_a_full_assessment_at_that_month_end():
    """Score where enough evidence (else None) equals `assess` at the month's last instant."""
    history = synthetic_history(random.Random(5), NOW - timedelta(days=365), statements=90)
    months = last_months(NOW, 12)
    trend = employee_trend(extract(history, DEFAULT), months)
    for index, month in enumerate(months):
        result = assess(history, month_end(month), explain=False)
        for axis, values in trend.items():
            found = result.axes[axis]
            expected = found.score if found.enough_evidence else None
            assert values[index] == (pytest.approx(expected) if expected is not None else None)


def test_monthly_trend_is_the_mean_of_employee_trends():
    """Averaging the per-employee values over those with a value gives `monthly_trend`."""
    staff = {
        n: synthetic_history(random.Random(n), NOW - timedelta(days=300), statements=40 + 10 * n)
        for n in range(4)
    }
    months = last_months(NOW, 6)
    expected = monthly_trend(staff, months)
    per = [employee_trend(extract(ev, DEFAULT), months) for ev in staff.values()]
    for axis, points in expected.items():
        for index, (_month, mean) in enumerate(points):
            values = [p[axis][index] for p in per if p[axis][index] is not None]
            assert mean == (pytest.approx(sum(values) / len(values)) if values else None)


def test_no_months_no_values():
    """An empty month list gives empty lists, not an error."""
    assert employee_trend(extract([], DEFAULT), []) == {
        "behaviour": [],
        "language": [],
        "attitude": [],
        "work": [],
    }
