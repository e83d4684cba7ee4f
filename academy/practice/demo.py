"""Demo history for growth: a year of observations, cards, reflections and refreshers.

Importing this module registers `add_demo_growth` in `academy.demo.DEMO_EXTENSIONS`.
It runs after the quiz, drill and certificate demos (which write lessons,
quizzes and drill runs), and adds the evidence only this feature records:

- the twelve named demo employees and the first `FULL_HISTORY` people of the
  service window (客服窗口) get a full year along one of the personas of
  `academy.growth.synthetic` (directed, compliant, growing, self-disciplined):
  monthly observations by the trainer, residents' cards, journal entries with
  self-ratings, and refreshers of the quizzes they passed (on time and
  unprompted, or late after a reminder, as the persona goes). zhangwei grows
  from 他律 towards 自律 over the year: his dashboard shows the shift, and he
  has a refresher or two due to try;
- everyone else gets a light history (a few observations and cards in the last
  eight months), so ``academy demo --employees 10000`` stays quick;
- every department gets residents' cards that name no one, the service
  window's improving over the year.

Rows are bulk-inserted (the tables and their ledger statements), not written
one request at a time. Refreshers are ledger statements only (like the
certificate demo's quizzes). When the organisation is small, HR's growth
snapshot is built at the end.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from academy.accounts.models import Department, User
from academy.catalog.queries import published_modules
from academy.catalog.scenario_models import Scenario
from academy.demo import DEMO_EXTENSIONS, EMPLOYEES
from academy.extensions import db
from academy.growth.synthetic import PERSONAS, Persona
from academy.practice.models import FeedbackCard, Observation, Reflection
from academy.progress.models import Statement
from academy.timeutil import utcnow
from academy.vocabulary import AXES, SEVEN_ONES

logger = logging.getLogger(__name__)

DAY = timedelta(days=1)
YEAR = 365
FEATURED_DEPARTMENT = "客服窗口"
#: Keeps a refresher or two due, so the dashboard shows one to try.
FEATURED_EMPLOYEE = "zhangwei"
#: People of the featured department with a full year (besides the named ones).
FULL_HISTORY = 60
#: Snapshots for HR are built by the demo up to this many employees.
SNAPSHOT_LIMIT = 3000
NAMED = {username for username, _name, _dep in EMPLOYEES}
PERSONA_OF = {
    "zhangwei": "growing",
    "lina": "self_disciplined",
    "zhouyang": "directed",
    "wangqiang": "compliant",
    "liujie": "growing",
    "chenjing": "self_disciplined",
    "yangfan": "directed",
    "zhaolei": "growing",
    "huangmin": "compliant",
    "wuxia": "growing",
    "xuhao": "compliant",
    "sunli": "growing",
}
MIX = (("growing", 45), ("compliant", 25), ("self_disciplined", 15), ("directed", 15))

NOTES = {
    "low": (
        "居民进门时没有起身，也没有让座，故障没有写进记录本。",
        "回答生硬，说了“这不归我们管”，居民很不高兴。",
        "承诺的维修时间含糊，没有当场派单。",
        "接电话时语气不耐烦，没有复述居民的地址。",
    ),
    "mid": (
        "笑脸相迎，也让了座，但忘了记下联系电话。",
        "问候和记录都做到了，承诺的时间不够明确。",
        "记录完整，派单及时，送别时有些匆忙。",
        "对老人很耐心，但解释停水原因时用了专业术语。",
    ),
    "high": (
        "起身相迎、让座、记录清楚，当场派单并告诉居民维修时间。",
        "面对情绪激动的居民始终耐心，先听完再解释，处理得体。",
        "主动回访上周的停水投诉，居民很满意。",
        "计划停电有变化，提前在公告栏和短信里通知到每户。",
    ),
}
GOOD = (
    "态度好，很耐心。",
    "当天就来修好了。",
    "说话客气，解释得很清楚。",
    "主动帮我填了报修单。",
    "回访电话很及时。",
)
BAD = (
    "等了很久没人理。",
    "说话不客气。",
    "答应的时间没有来。",
    "让我跑了两趟。",
    "没说清楚什么时候来电。",
)
SITUATIONS = (
    "今天在演练里遇到一位很生气的居民。",
    "上午窗口来了一位反映暖气不热的老人。",
    "今天接到一个停水投诉电话。",
    "周四协调会上，机修厂提出了两次断水的问题。",
    "下午有居民来问计划停电为什么改了时间。",
)
NOTICED = (
    "我一开始有点急，语气生硬。",
    "我没有先让座，就直接问他什么事。",
    "我解释了很多，却没有先听完他的话。",
    "我答应了时间，但没有写进记录本。",
    "我差点说出“这不归我们管”。",
)
NEXT_TIME = (
    "下次我会先起身、微笑、请他坐下，再把情况记下来。",
    "以后答复之前，我先把居民的需求复述一遍，确认没有听错。",
    "我会给出明确的时间，并在当天回访。",
    "遇到不归我们管的事，我会说“我帮您联系”，并把电话转给对的人。",
    "停水停电有变化时，我会提前在公告栏和短信里通知。",
    "换位思考：如果是我家停了暖气，我也会着急。",
)


def _level(pair: tuple[float, float], progress: float) -> float:
    start, end = pair
    return start + (end - start) * max(0.0, min(1.0, progress))


class _Person:
    """Draws one person's evidence along their persona (deterministic per username)."""

    def __init__(self, user: User, persona: Persona, now: datetime, trainer_id: int | None):
        self.user = user
        self.persona = persona
        self.now = now
        self.trainer_id = trainer_id
        self.rng = random.Random(f"academy-demo-growth:{user.username}")
        self.start = now - DAY * YEAR
        self.observations: list[dict[str, Any]] = []
        self.cards: list[dict[str, Any]] = []
        self.reflections: list[dict[str, Any]] = []
        self.refreshers: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}  # the trainer's latest rating per axis
        self.keep_due = user.username == FEATURED_EMPLOYEE

    def progress(self, at: datetime) -> float:
        return (at - self.start) / (self.now - self.start)

    def skill(self, at: datetime, spread: float = 0.1) -> float:
        value = self.rng.gauss(_level(self.persona.quality, self.progress(at)), spread)
        return min(1.0, max(0.0, value))

    def rating(self, at: datetime, boost: float = 0.0) -> int:
        return max(1, min(5, round(1 + 4 * min(1.0, self.skill(at, 0.12) + boost))))

    def when(self, at: datetime) -> datetime:
        """A working-hours moment on the day of `at`."""
        base = at.replace(hour=1, minute=0, second=0, microsecond=0)  # 09:00 in Beijing
        return base + timedelta(minutes=self.rng.uniform(0, 8 * 60))

    def observation(self, at: datetime) -> None:
        ones = {}
        for one in SEVEN_ONES:
            if self.rng.random() < 0.15:
                continue  # not seen this time
            s = self.skill(at, 0.15)
            ones[one] = "done" if s > 0.58 else "partly" if s > 0.35 else "not"
        ratings = {}
        for axis in AXES:
            if self.rng.random() < 0.85:
                boost = 0.0
                if axis == "behaviour":  # initiative shows in behaviour
                    boost = 0.35 * (_level(self.persona.initiative, self.progress(at)) - 0.4)
                ratings[axis] = self.rating(at, boost)
        if not ratings and not ones:
            ratings["attitude"] = self.rating(at)
        self.seen.update(ratings)
        mean = sum(ratings.values()) / len(ratings) if ratings else 3
        band = "low" if mean < 2.6 else "mid" if mean < 3.8 else "high"
        self.observations.append(
            {
                "employee_id": self.user.id,
                "observer_id": self.trainer_id,
                "department_id": self.user.department_id,
                "observed_at": at,
                "seven_ones": ones,
                "ratings": ratings,
                "note": self.rng.choice(NOTES[band]),
                "created_at": at,
            }
        )

    def card(self, at: datetime) -> None:
        rating = self.rating(at, 0.1)
        good = self.rng.choice(GOOD) if rating >= 4 or self.rng.random() < 0.3 else ""
        bad = self.rng.choice(BAD) if rating <= 2 or self.rng.random() < 0.15 else ""
        self.cards.append(
            {
                "employee_id": self.user.id,
                "department_id": self.user.department_id,
                "rating": rating,
                "good": good,
                "bad": bad,
                "source": self.rng.choice(("window", "paper")),
                "received_at": at,
                "entered_by_id": self.trainer_id if self.rng.random() < 0.5 else self.user.id,
                "created_at": at,
            }
        )

    def reflection(self, at: datetime, drills: Sequence[str]) -> None:
        s = self.skill(at)
        parts = [self.rng.choice(SITUATIONS), self.rng.choice(NOTICED)]
        parts += self.rng.sample(NEXT_TIME, 1 + (s > 0.5) + (s > 0.75))
        text = "".join(parts)
        bias = _level(self.persona.self_bias, self.progress(at))
        ratings = {}
        for axis in self.rng.sample(AXES, self.rng.randint(1, 4)):
            seen = self.seen.get(axis, self.rating(at))
            ratings[axis] = max(1, min(5, round(seen + bias + self.rng.gauss(0, 0.4))))
        self.reflections.append(
            {
                "user_id": self.user.id,
                "department_id": self.user.department_id,
                "text": text,
                "self_ratings": ratings,
                "about": self.rng.choice(drills) if drills and self.rng.random() < 0.6 else None,
                "run_id": None,
                "written_at": at,
            }
        )

    def refreshers_after(self, passes: Sequence[tuple[str, datetime]]) -> None:
        """Refreshers of passed quizzes at 7, 21 and 60 days: early and unprompted, or late."""
        intervals = (7, 21, 60)
        for module, passed_at in passes:
            since, step = passed_at, 0
            while step < len(intervals):
                due = since + DAY * intervals[step]
                if due >= self.now or (self.keep_due and due > self.now - DAY * 12):
                    break  # not yet due (or left due, for the featured employee to try)
                p = self.progress(due)
                if self.rng.random() < _level(self.persona.initiative, p):
                    at, initiative = due - DAY * self.rng.uniform(0, intervals[step] * 0.3), "self"
                else:  # after a reminder: the less punctual, the later
                    lateness = 2 + 40 * (1 - _level(self.persona.on_time, p))
                    at, initiative = due + DAY * self.rng.uniform(1, lateness), "assigned"
                if at >= self.now:
                    break
                at = self.when(at)
                right = round(3 * min(1.0, self.skill(at) + 0.15))  # of three questions
                score = round(100 * right / 3, 2)
                passed = score >= 60
                self.refreshers.append(
                    _statement(
                        self.user.id,
                        "passed" if passed else "failed",
                        "refresher",
                        module,
                        at,
                        score=score,
                        success=passed,
                        initiative=initiative,
                        result={"interval": step, "questions": 3, "demo": True},
                    )
                )
                since, step = at, step + 1 if passed else 0

    def full_year(self, drills: Sequence[str], passes: Sequence[tuple[str, datetime]]) -> None:
        at = self.start + DAY * self.rng.uniform(3, 20)
        while at < self.now:  # an observation every four to six weeks
            self.observation(self.when(at))
            at += DAY * self.rng.uniform(26, 42)
        at = self.start + DAY * self.rng.uniform(1, 15)
        while at < self.now:
            self.card(self.when(at))
            at += DAY * self.rng.uniform(10, 24)
        at = self.start + DAY * self.rng.uniform(5, 30)
        while at < self.now:
            rate = _level(self.persona.reflections, self.progress(at))
            if self.rng.random() < min(1.0, 0.15 + 0.55 * rate):
                self.reflection(self.when(at), drills)
            at += DAY * self.rng.uniform(14, 28)
        self.refreshers_after(passes)

    def light(self, drills: Sequence[str]) -> None:
        for _ in range(self.rng.randint(1, 3)):
            self.observation(self.when(self.now - DAY * self.rng.uniform(2, 240)))
        for _ in range(self.rng.randint(1, 3)):
            self.card(self.when(self.now - DAY * self.rng.uniform(1, 240)))
        if self.rng.random() < 0.4:
            self.reflection(self.when(self.now - DAY * self.rng.uniform(1, 120)), drills)


def _statement(
    actor_id: int,
    verb: str,
    object_type: str,
    object_id: str,
    at: datetime,
    *,
    score: float | None = None,
    success: bool | None = None,
    initiative: str = "self",
    result: dict[str, Any] | None = None,
    recorded_by_id: int | None = None,
) -> dict[str, Any]:
    return {
        "actor_id": actor_id,
        "verb": verb,
        "object_type": object_type,
        "object_id": object_id,
        "score": score,
        "success": success,
        "duration_s": None,
        "result": result,
        "initiative": initiative,
        "assignment_id": None,
        "on_time": None,
        "context": {"demo": True},
        "recorded_by_id": recorded_by_id if recorded_by_id is not None else actor_id,
        "timestamp": at,
        "stored_at": at,
        "dedupe_key": None,
    }


def _insert_with_statements(
    model: Any,
    rows: list[dict[str, Any]],
    statement_of: Any,
) -> int:
    """Insert rows, then their ledger statements, then link each row to its statement."""
    if not rows:
        return 0
    ids = db.session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    ).all()
    statements = [
        (row_id, statement_of(row_id, row)) for row_id, row in zip(ids, rows, strict=True)
    ]
    wanted = [(row_id, st) for row_id, st in statements if st is not None]
    if not wanted:
        return 0
    statement_ids = db.session.scalars(
        insert(Statement).returning(Statement.id, sort_by_parameter_order=True),
        [st for _, st in wanted],
    ).all()
    db.session.execute(
        update(model.__table__)
        .where(model.__table__.c.id == bindparam("row_id"))
        .values(statement_id=bindparam("statement_id")),
        [
            {"row_id": row_id, "statement_id": sid}
            for (row_id, _), sid in zip(wanted, statement_ids, strict=True)
        ],
    )
    return len(wanted)


def _observation_statement(row_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return _statement(
        row["employee_id"],
        "observed",
        "observation",
        str(row_id),
        row["observed_at"],
        result={"seven_ones": row["seven_ones"], "axes": row["ratings"], "note": row["note"]},
        recorded_by_id=row["observer_id"],
    )


def _card_statement(row_id: int, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["employee_id"] is None:
        return None
    return _statement(
        row["employee_id"],
        "rated",
        "feedback_card",
        str(row_id),
        row["received_at"],
        score=(row["rating"] - 1) * 25.0,
        result={"rating": row["rating"], "good": row["good"], "bad": row["bad"]},
        recorded_by_id=row["entered_by_id"],
    )


def _reflection_statement(row_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return _statement(
        row["user_id"],
        "reflected",
        "reflection",
        str(row_id),
        row["written_at"],
        result={
            "self_ratings": row["self_ratings"],
            "about": row["about"],
            "length": len(row["text"]),
        },
    )


def _department_cards(now: datetime, trainer_id: int | None) -> list[dict[str, Any]]:
    """Cards naming no one: the service window's get better over the year."""
    rows = []
    for department in db.session.scalars(select(Department).order_by(Department.id)):
        rng = random.Random(f"academy-demo-growth-cards:{department.name}")
        featured = department.name == FEATURED_DEPARTMENT
        at = now - DAY * YEAR + DAY * rng.uniform(1, 6)
        while at < now:
            progress = 1 - (now - at) / (DAY * YEAR)
            mean = 2.7 + 1.6 * progress if featured else 3.6
            rating = max(1, min(5, round(rng.gauss(mean, 0.8))))
            rows.append(
                {
                    "employee_id": None,
                    "department_id": department.id,
                    "rating": rating,
                    "good": rng.choice(GOOD) if rating >= 4 else "",
                    "bad": rng.choice(BAD) if rating <= 2 else "",
                    "source": "paper",
                    "received_at": at.replace(hour=3, minute=rng.randint(0, 59)),
                    "entered_by_id": trainer_id,
                    "created_at": at,
                }
            )
            at += DAY * rng.uniform(4, 9 if featured else 14)
    return rows


def _passes(user_ids: Sequence[int]) -> dict[int, list[tuple[str, datetime]]]:
    """Each person's first pass of each quiz (from the ledger the other demos wrote)."""
    found: dict[int, dict[str, datetime]] = {}
    for start in range(0, len(user_ids), 500):
        rows = db.session.execute(
            select(Statement.actor_id, Statement.object_id, Statement.timestamp)
            .where(
                Statement.actor_id.in_(user_ids[start : start + 500]),
                Statement.verb == "passed",
                Statement.object_type == "quiz",
            )
            .order_by(Statement.timestamp)
        )
        for actor, module, at in rows:
            found.setdefault(actor, {}).setdefault(module, at)
    return {actor: sorted(mods.items(), key=lambda kv: kv[1]) for actor, mods in found.items()}


def add_demo_growth(users: list[User], now: datetime | None = None) -> str | None:
    """Observations, cards, reflections and refreshers for the new demo employees."""
    employees = [u for u in users if u.role == "employee"]
    if not employees:
        return None
    now = now or utcnow()
    trainer = db.session.scalar(select(User).where(User.role == "trainer").order_by(User.id))
    trainer_id = trainer.id if trainer is not None else None
    featured = db.session.scalar(
        select(Department.id).where(Department.name == FEATURED_DEPARTMENT)
    )
    drills = list(db.session.scalars(select(Scenario.slug).where(Scenario.published.is_(True))))
    modules = {m.key for m in published_modules()}
    full = [u for u in employees if u.username in NAMED or u.department_id == featured]
    full = [u for u in full if u.username in NAMED] + [u for u in full if u.username not in NAMED][
        :FULL_HISTORY
    ]
    full_ids = {u.id for u in full}
    passes = _passes([u.id for u in full])
    people: list[_Person] = []
    for user in employees:
        name = PERSONA_OF.get(user.username)
        if name is None:
            rng = random.Random(f"academy-demo-growth-persona:{user.username}")
            name = rng.choices([n for n, _ in MIX], [w for _, w in MIX])[0]
        person = _Person(user, PERSONAS[name], now, trainer_id)
        if user.id in full_ids:
            mine = [(m, at) for m, at in passes.get(user.id, []) if m in modules]
            person.full_year(drills, mine)
        else:
            person.light(drills)
        people.append(person)
    observations = [row for p in people for row in p.observations]
    cards = [row for p in people for row in p.cards] + _department_cards(now, trainer_id)
    journal = [row for p in people for row in p.reflections]
    refreshers = [row for p in people for row in p.refreshers]
    statements = _insert_with_statements(Observation, observations, _observation_statement)
    statements += _insert_with_statements(FeedbackCard, cards, _card_statement)
    statements += _insert_with_statements(Reflection, journal, _reflection_statement)
    if refreshers:
        db.session.execute(insert(Statement), refreshers)
        statements += len(refreshers)
    snapshot = ""
    if len(employees) <= SNAPSHOT_LIMIT:
        from academy.practice import snapshots

        db.session.flush()
        report = snapshots.rebuild(now)
        snapshot = f"; HR growth figures for {report.employees} employee(s)"
    else:
        snapshot = "; run `academy growth snapshot` for HR's growth figures"
    logger.info("demo growth: %d statements", statements)
    return (
        f"  growth history: {len(observations)} observation(s), {len(cards)} feedback card(s),"
        f" {len(journal)} journal entr(ies), {len(refreshers)} refresher(s)"
        f" ({len(full)} with a full year){snapshot}"
    )


if add_demo_growth not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(add_demo_growth)
