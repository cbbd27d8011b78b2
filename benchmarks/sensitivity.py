"""Benchmark of the Sobol sensitivity (not a test): 4,096 base samples over every uncertain assumption.

Prints one JSON line on stdout:
  assumptions        uncertain assumptions the costings draw (D)
  samples            base samples N
  evaluations        N x (D + 2): the costings evaluated, as one vectorised batch
  seconds            wall time of ``run_sobol`` (sampling, the costing of every point, SALib's
                     analysis of the class-A total and each document's): the best of ``--repeats``
  evaluations_per_s  evaluations / seconds
  mc_draws_per_s     Monte Carlo draws per second of ``run_costing`` on the same scenario with as
                     many draws as evaluations, for comparison (best of the same repeats)

Target on the 2-core machine: 4,096 base samples in <= 10 s.

    .venv/bin/python benchmarks/sensitivity.py [--samples N] [--repeats R] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import json
import time

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.costing.sobol import run_sobol
from jnpolicy_analysis.inputs.scenarios import load_scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--scenario", default="central")
    args = parser.parse_args(argv)

    scenario = load_scenario(args.scenario)
    runs = []
    result = None
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = run_sobol(scenario, samples=args.samples)
        runs.append(time.perf_counter() - start)
    assert result is not None
    seconds = min(runs)
    mc = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run_costing(scenario, draws=result.evaluations).totals()
        mc.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "assumptions": len(result.assumptions),
                "samples": result.samples,
                "evaluations": result.evaluations,
                "seconds": round(seconds, 3),
                "evaluations_per_s": round(result.evaluations / seconds),
                "mc_draws_per_s": round(result.evaluations / min(mc)),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
