"""One next activity: the weakest discipline or axis leads to a lesson, drill or refresher."""

from __future__ import annotations

from growth.growth_samples import NOW, card, drill, lesson, observation, quiz, reflection

from academy.growth import (
    Catalogue,
    CatalogueModule,
    CatalogueScenario,
    assess,
    recommend,
    refreshers_due,
    weakest_targets,
)
from academy.vocabulary import AXES, DISCIPLINES

CATALOGUE = Catalogue(
    modules=tuple(
        CatalogueModule(
            f"{d}/m{n}", f"{d.title()} {n}", d, ("attitude",) if n == 1 else ("work",), n
        )
        for d in DISCIPLINES
        for n in (2, 1)  # deliberately out of order: the recommender sorts by `order`
    ),
    scenarios=(
        CatalogueScenario("window", "At the window", ("look", "smile"), ("attitude", "language")),
        CatalogueScenario("outage", "Outage call", ("speak", "act"), ("language", "work")),
    ),
)


def test_a_newcomer_starts_with_the_first_lesson():
    """No evidence at all: the first lesson of the first discipline."""
    pick = recommend(assess([], NOW), CATALOGUE)
    assert (pick.kind, pick.key, pick.title) == ("module", "look/m1", "Look 1")
    assert (pick.target, pick.target_kind, pick.reason) == ("look", "discipline", "next_lesson")
    assert pick.params["score"] is None


def test_weakest_discipline_gets_its_next_uncompleted_lesson():
    """Strong everywhere but listen: listen's first lesson not yet completed."""
    history = [quiz(f"{d}/m1", 5, 95) for d in DISCIPLINES if d != "listen"]
    history += [quiz("listen/m1", 4, 40), lesson("listen/m1", 6)]
    history += [observation("o1", 3, dict.fromkeys(AXES, 5))] * 1
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("discipline", "listen")
    pick = recommend(result, CATALOGUE)
    assert (pick.kind, pick.key, pick.reason) == ("module", "listen/m2", "next_lesson")


def test_discipline_with_every_lesson_done_gets_a_drill():
    """When the weak discipline's lessons are all completed, the least-run drill training it."""
    history = [lesson("smile/m1", 9), lesson("smile/m2", 8), quiz("smile/m1", 7, 20)]
    history += [quiz(f"{d}/m1", 5, 95) for d in DISCIPLINES if d != "smile"]
    history += [drill("window", 2, points={"look": 4}, best={"look": 4})]
    history += [observation("o1", 3, dict.fromkeys(AXES, 5))]
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("discipline", "smile")
    pick = recommend(result, CATALOGUE)
    assert (pick.kind, pick.key, pick.reason) == ("scenario", "window", "drill_for_discipline")
    assert pick.params["runs"] == 1


def test_weak_axis_gets_the_least_run_drill_that_evidences_it():
    """A weak language axis: the drill with language evidence run fewest times."""
    history = [quiz(f"{d}/m{n}", 5, 95) for d in DISCIPLINES for n in (1, 2)]
    history += [
        drill("window", 3, axes={"language": -2}),
        drill("window", 2, axes={"language": -1}),
        card("c1", 1, 4),
        observation("o1", 2, {"language": 1, "attitude": 4, "work": 4, "behaviour": 4}),
    ]
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("axis", "language")
    pick = recommend(result, CATALOGUE)
    assert (pick.kind, pick.key, pick.reason) == ("scenario", "outage", "drill_for_axis")
    assert pick.params["stage"] == result.axes["language"].stage


def test_weak_axis_without_drills_gets_a_lesson_training_it():
    """No drill evidences the axis: a lesson listing it among its axes."""
    catalogue = Catalogue(modules=CATALOGUE.modules, scenarios=())
    history = [quiz(f"{d}/m1", 5, 95) for d in DISCIPLINES]
    history += [observation("o1", 2, {"work": 1, "attitude": 5, "language": 5, "behaviour": 5})]
    history += [card("c1", 1, 5)]
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("axis", "work")
    pick = recommend(result, catalogue)
    assert (pick.kind, pick.key, pick.reason) == ("module", "look/m2", "lesson_for_axis")


def weak_behaviour() -> list:
    """A history whose weakest point is behaviour: good results, always late."""
    late = {"initiative": "assigned", "on_time": False}
    history = [quiz(f"{d}/m{n}", 40, 95, **late) for d in DISCIPLINES for n in (1, 2)]
    history += [observation("o1", 2, {"behaviour": 2, "attitude": 5, "language": 5, "work": 5})]
    history += [card("c1", 1, 5), drill("window", 1, axes={"attitude": 2, "language": 2}, **late)]
    history += [drill("outage", 1, axes={"language": 2, "work": 2}, **late)]
    return history


def test_weak_behaviour_with_a_due_refresher_asks_for_it_now():
    """Behaviour weakest and a refresher due: do it now, unprompted (self-initiated)."""
    history = weak_behaviour()
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("axis", "behaviour")
    due = refreshers_due(history, NOW)
    assert due
    pick = recommend(result, CATALOGUE, due)
    assert (pick.kind, pick.reason, pick.target) == ("refresher", "refresher_due", "behaviour")
    assert pick.key == due[0].module and pick.params["overdue"] is True
    assert pick.title is not None


def test_weak_behaviour_without_refreshers_asks_for_a_reflection():
    """Behaviour weakest, nothing due, no reflection yet: write one (with self-ratings)."""
    pick = recommend(assess(weak_behaviour(), NOW), CATALOGUE)
    assert (pick.kind, pick.key, pick.reason) == ("reflection", None, "reflect")
    assert pick.params["self_rate"] is True
    assert pick.params["about"] in ("window", "outage")


def test_weak_behaviour_with_reflections_done_asks_for_self_practice():
    """Reflected and calibrated already: any lesson or drill, started on one's own."""
    history = weak_behaviour() + [reflection("j1", 1, ratings={"behaviour": 2})]
    result = assess(history, NOW)
    assert weakest_targets(result)[0] == ("axis", "behaviour")
    pick = recommend(result, CATALOGUE)
    assert (pick.kind, pick.reason) == ("scenario", "self_practice_drill")
    catalogue = Catalogue(CATALOGUE.modules + (CatalogueModule("act/m9", "Act 9", "act"),), ())
    pick = recommend(result, catalogue)
    assert (pick.kind, pick.key, pick.reason) == ("module", "act/m9", "self_practice_lesson")


def test_nothing_to_offer_is_said_plainly():
    """An empty catalogue: the recommendation says so."""
    pick = recommend(assess([], NOW), Catalogue())
    assert (pick.kind, pick.key, pick.reason) == ("none", None, "all_done")


def test_weakest_targets_lists_every_target_once():
    """Five disciplines and four axes, unassessed ones first, disciplines before axes on ties."""
    order = weakest_targets(assess([], NOW))
    assert order[:5] == [("discipline", d) for d in DISCIPLINES]
    assert order[5:] == [("axis", a) for a in AXES]
