"""Surface strategies: play a drill without reading it, with the real engine.

A test-wise learner who does not know the job still has clues: the longest
answer, the shortest, the first or last one offered, the one with the most
polite words. `play` follows one such rule from the start to an ending with
`academy.scenarios.engine` (conditions, effects and bounds exactly as a real
run) and scores the run with `academy.scenarios.debrief`. A strategy is a
problem when its run passes (score >= pass_score) or ends in a success ending;
picking a defensible second-best choice at a judgement node is not in itself
a problem: only the total score and the ending count.

Rules, deterministic so that a warning can be replayed:

* ``longest`` / ``shortest`` — the choice with the most / fewest characters
  (whitespace not counted), ties to the earlier choice in the file;
* ``first`` / ``last`` — the first / last available choice in file order (the
  order the file gives, before the per-run shuffle);
* ``politest`` — the most occurrences of the polite words
  (``courses/quality.yaml``), ties to the longer, then the earlier choice.

A run that has not ended after `DrillSettings.max_steps` steps (a strategy
going round a loop) counts as failed. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from academy.scenarios.debrief import debrief
from academy.scenarios.engine import available_choices, choose, is_finished, start_run
from academy.scenarios.model import Choice, Scenario
from academy.sourcemap import PathProblem

STRATEGIES: Final = ("longest", "shortest", "first", "last", "politest")
LABELS: Final = {
    "longest": "always the longest choice",
    "shortest": "always the shortest choice",
    "first": "always the first choice in the file",
    "last": "always the last choice in the file",
    "politest": "always the choice with the most polite words",
}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DrillSettings:
    """Limits of the drill strategy simulation."""

    max_steps: int = 200


def choice_length(choice: Choice) -> int:
    """Characters of a choice text, whitespace not counted."""
    return len(_SPACE.sub("", choice.text))


def polite_count(text: str, words: Sequence[str]) -> int:
    """Occurrences of the polite words in `text` (each word counted on its own)."""
    return sum(text.count(word) for word in words if word)


def pick(strategy: str, offered: Sequence[tuple[int, Choice]], words: Sequence[str] = ()) -> int:
    """The file index of the choice `strategy` takes among the offered ones."""
    if not offered:
        raise ValueError("no choice is offered")
    if strategy == "first":
        return min(index for index, _ in offered)
    if strategy == "last":
        return max(index for index, _ in offered)
    if strategy == "longest":
        return min(offered, key=lambda item: (-choice_length(item[1]), item[0]))[0]
    if strategy == "shortest":
        return min(offered, key=lambda item: (choice_length(item[1]), item[0]))[0]
    if strategy == "politest":
        return min(
            offered,
            key=lambda item: (
                -polite_count(item[1].text, words),
                -choice_length(item[1]),
                item[0],
            ),
        )[0]
    raise ValueError(f"unknown strategy {strategy!r} (one of {', '.join(STRATEGIES)})")


@dataclass(frozen=True)
class StrategyRun:
    """Where a strategy led: the steps, the ending and the score."""

    strategy: str
    steps: tuple[tuple[str, int], ...]  # (node id, file index of the choice)
    ending: str | None  # the ending node's id, None when the run did not end
    ending_type: str | None
    score: float
    pass_score: float
    passed: bool

    @property
    def succeeded(self) -> bool:
        """The run ended in a success ending."""
        return self.ending_type == "success"

    @property
    def is_problem(self) -> bool:
        """The strategy passes or reaches a success ending."""
        return self.passed or self.succeeded

    def describe(self) -> str:
        """The strategy, score against pass score, ending and path in one phrase."""
        label = LABELS.get(self.strategy, self.strategy)
        if self.ending is None:
            return f"{label}: no ending after {len(self.steps)} steps (counts as failed)"
        verdict = "≥" if self.passed else "<"
        path = " → ".join(node for node, _ in self.steps)
        return (
            f"{label}: score {self.score:g} {verdict} pass score {self.pass_score:g}, ending"
            f" '{self.ending}' ({self.ending_type}) after {len(self.steps)} steps ({path})"
        )


def play(
    scenario: Scenario,
    strategy: str,
    polite_words: Sequence[str] = (),
    settings: DrillSettings | None = None,
) -> StrategyRun:
    """Play the drill by `strategy` with the engine; the run's score and ending."""
    limit = (settings or DrillSettings()).max_steps
    run = start_run(scenario)
    while not is_finished(scenario, run) and len(run.path) < limit:
        offered = available_choices(scenario, run)
        if not offered:  # pragma: no cover - the validator rejects dead ends
            break
        run = choose(scenario, run, run.node, pick(strategy, offered, polite_words))
    steps = tuple((step.node, step.choice) for step in run.path)
    pass_score = float(scenario.pass_score)
    if not is_finished(scenario, run):
        return StrategyRun(strategy, steps, None, None, 0.0, pass_score, False)
    report = debrief(scenario, run)
    return StrategyRun(
        strategy,
        steps,
        report.ending,
        report.ending_type,
        float(report.score),
        pass_score,
        report.passed,
    )


def play_all(
    scenario: Scenario,
    polite_words: Sequence[str] = (),
    settings: DrillSettings | None = None,
) -> list[StrategyRun]:
    """Every surface strategy's run, in `STRATEGIES` order."""
    return [play(scenario, name, polite_words, settings) for name in STRATEGIES]


def strategy_problems(
    scenario: Scenario,
    polite_words: Sequence[str] = (),
    settings: DrillSettings | None = None,
) -> list[PathProblem]:
    """A warning per surface strategy that passes or reaches a success ending."""
    problems: list[PathProblem] = []
    for run in play_all(scenario, polite_words, settings):
        if not run.is_problem:
            continue
        what = " and ".join(
            part
            for part, flag in (("passes", run.passed), ("reaches a success ending", run.succeeded))
            if flag
        )
        problems.append(
            PathProblem(
                ("nodes",),
                f"surface strategy {what}: {run.describe()}; a learner who does not read the"
                " situation must not pass: make the best choice shorter/plainer or not first"
                " or last, and let long, polite answers be wrong where they promise too much",
                "warning",
            )
        )
    return problems


__all__ = [
    "LABELS",
    "STRATEGIES",
    "DrillSettings",
    "StrategyRun",
    "pick",
    "play",
    "play_all",
    "polite_count",
    "strategy_problems",
]
