"""Demo history: finished drill runs (good, mixed and poor play) for the demo employees.

Importing this module registers `add_demo_drill_runs` in
`academy.demo.DEMO_EXTENSIONS` (`academy.demo` imports it when it builds the
demo). Runs go through the same services as the player (start a run, apply
one choice at a time), so debriefs, best results, the ledger and the
trainers' map statistics all have data on first login. The first employee
also keeps one unfinished run, to show resuming.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from academy.accounts.models import User
from academy.catalog.scenario_models import Scenario
from academy.demo import DEMO_EXTENSIONS
from academy.progress import drills
from academy.progress.run_models import DrillRun
from academy.scenarios import Choice
from academy.timeutil import utcnow

#: Demo players with drill history (the rest of a large demo starts fresh).
MAX_PLAYERS = 12
#: A run that has not ended after this many steps is left unfinished.
MAX_STEPS = 40
#: How each demo player tends to play: the chance of the best available choice.
STYLES = (0.95, 0.3, 0.75, 0.1, 0.6, 0.85)


def add_demo_drill_runs(users: list[User], now: datetime | None = None) -> str | None:
    """Give each new demo employee a few finished runs of every published drill."""
    players = [user for user in users if user.role == "employee"][:MAX_PLAYERS]
    scenarios = drills.published_scenarios()
    if not players or not scenarios:
        return None
    now = now or utcnow()
    finished = 0
    for number, user in enumerate(players):
        rng = random.Random(f"academy-demo-drill:{user.username}")
        skill = STYLES[number % len(STYLES)]
        when = now - timedelta(days=30 - number, hours=rng.uniform(0, 6))
        for scenario in scenarios:
            tries = 1 + (number % 3 == 1) + (skill < 0.5)
            for attempt in range(tries):
                when += timedelta(hours=rng.uniform(2, 30))
                if when >= now - timedelta(minutes=30):
                    break
                # Later tries play better: people learn from the debrief.
                run = play(user, scenario, min(0.98, skill + 0.3 * attempt), rng, when)
                finished += run.finished_at is not None
        if number == 0:  # one step along the best path of the longest drill, to resume
            longest = max(scenarios, key=lambda s: s.node_count)
            play(user, longest, 1.0, rng, now - timedelta(hours=3), stop_after=1)
    return f"  drill history: {finished} finished run(s) by {len(players)} employee(s)"


def play(
    user: User,
    scenario: Scenario,
    skill: float,
    rng: random.Random,
    when: datetime,
    stop_after: int | None = None,
) -> DrillRun:
    """Play one run: with probability `skill` the choice on the best path, else another."""
    run = drills.start_drill(user, scenario, now=when)
    version = drills.playable(run.version_id)
    best = dict(version.scenario.best_path())
    for _ in range(stop_after if stop_after is not None else MAX_STEPS):
        if run.finished_at is not None:
            break
        offered = drills.offered_choices(run)
        if not offered:
            break
        node = run.node
        index = _pick(offered, best.get(node), skill, rng)
        when += timedelta(seconds=rng.uniform(20, 90))
        drills.apply_choice(user, run, node, index, step=run.step, now=when)
    return run


def _pick(
    offered: list[tuple[int, Choice]], best: int | None, skill: float, rng: random.Random
) -> int:
    indexes = [index for index, _ in offered]
    if best in indexes and rng.random() < skill:
        return best  # type: ignore[return-value]
    others = [index for index in indexes if index != best] or indexes
    # Poor play favours the choice that scores least, as real habits do.
    worst = min(offered, key=lambda item: item[1].points)[0]
    return worst if worst in others and rng.random() < 0.5 else rng.choice(others)


if add_demo_drill_runs not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(add_demo_drill_runs)
