"""Benchmark the scenario engine and validator on generated scenarios.

Run from the repository root::

    python bench/scenario_engine.py [--nodes 200] [--validate-nodes 1000] [--runs 300]

Prints the per-step latency of ``available_choices`` + ``choose`` on a
200-node scenario (µs) and the time ``parse_scenario`` takes to validate a
1,000-node scenario, state-space exploration and scoring included (ms).
The generated scenarios look like real drills: a mood of 0..10 moved by every
choice, conditional choices (``mood <= 6``), loops back to earlier nodes that
cost points, and several ending types.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from academy.scenarios import (  # noqa: E402
    available_choices,
    choose,
    is_finished,
    parse_scenario,
    start_run,
)
from academy.vocabulary import AXES, DISCIPLINES  # noqa: E402

ENDING_TYPES = ("success", "partial", "failure")


def generate(nodes: int, seed: int = 1) -> dict[str, Any]:
    """Scenario data with `nodes` nodes; valid by construction."""
    rng = random.Random(seed)
    first_ending = nodes - max(3, nodes // 10)
    table: dict[str, Any] = {}
    for i in range(nodes):
        node_id = f"n{i}"
        if i >= first_ending:
            table[node_id] = {
                "speaker": "narrator",
                "text": f"Ending {i}.",
                "ending": ENDING_TYPES[i % 3],
            }
            continue
        choices = [
            {
                "text": f"Carry on from {i}",
                "goto": f"n{i + 1}",
                "effects": {"mood": rng.choice([-2, -1, 1])},
                "scores": {rng.choice(DISCIPLINES): rng.randint(0, 2)},
                "axes": {rng.choice(AXES): 1},
                "feedback": "Plain progress.",
            },
            {
                "text": f"Jump ahead from {i}",
                "goto": f"n{min(i + rng.randint(2, 5), nodes - 1)}",
                "if": "mood <= 6",
                "effects": {"mood": rng.choice([-1, 1, 2])},
                "scores": {rng.choice(DISCIPLINES): rng.randint(-1, 2)},
                "feedback": "Only when the resident is calm enough.",
            },
        ]
        endings = nodes - first_ending
        if i >= first_ending - endings:
            # The last stretch fans out so that every ending has a way in.
            choices[1]["goto"] = f"n{first_ending + i - (first_ending - endings)}"
            del choices[1]["if"]
        if i > 2 and rng.random() < 0.3:
            # Going back costs more than two steps forward can earn: no positive loop.
            choices.append(
                {
                    "text": f"Ask again at {i}",
                    "goto": f"n{i - rng.randint(1, 2)}",
                    "effects": {"mood": 1},
                    "scores": {"listen": -5},
                    "feedback": "Making them repeat themselves costs goodwill.",
                }
            )
        table[node_id] = {"speaker": "resident", "text": f"Moment {i}.", "choices": choices}
    return {
        "title": f"Generated {nodes}",
        "disciplines": list(DISCIPLINES),
        "start": "n0",
        "state": {"mood": 5},
        "nodes": table,
    }


def bench_steps(nodes: int, runs: int) -> tuple[float, int]:
    """Median-of-runs per-step latency (µs) of available_choices + choose."""
    scenario, problems = parse_scenario(generate(nodes), f"bench-{nodes}")
    assert scenario is not None, problems
    rng = random.Random(7)
    per_run: list[float] = []
    steps = 0
    for _ in range(runs):
        run = start_run(scenario)
        taken = 0
        began = time.perf_counter()
        while not is_finished(scenario, run) and taken < 2000:
            offered = available_choices(scenario, run)
            index, _ = rng.choice(offered)
            run = choose(scenario, run, run.node, index)
            taken += 1
        elapsed = time.perf_counter() - began
        if taken:
            per_run.append(elapsed / taken * 1e6)
            steps += taken
    return statistics.median(per_run), steps


def bench_validate(nodes: int, repeat: int = 5) -> tuple[float, int]:
    """Median wall time (ms) to validate a scenario of `nodes` nodes."""
    data = generate(nodes)
    times: list[float] = []
    configurations = 0
    for _ in range(repeat):
        began = time.perf_counter()
        scenario, problems = parse_scenario(data, f"bench-{nodes}")
        times.append((time.perf_counter() - began) * 1e3)
        assert scenario is not None, problems[:3]
        configurations = scenario.analysis.configurations
    return statistics.median(times), configurations


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--validate-nodes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    step_us, steps = bench_steps(args.nodes, args.runs)
    print(
        f"step latency ({args.nodes} nodes, {args.runs} runs, {steps} steps):"
        f" {step_us:.1f} µs per available_choices + choose (median)"
    )
    valid_ms, configurations = bench_validate(args.validate_nodes)
    print(
        f"validation ({args.validate_nodes} nodes, {configurations} configurations):"
        f" {valid_ms:.1f} ms (median of 5)"
    )


if __name__ == "__main__":
    main()
