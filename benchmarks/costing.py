"""Benchmark of the costing engine (not a test): cost every measure for 1,000,000 draws.

Prints one JSON line on stdout:
  draws          Monte Carlo draws
  seconds        wall time of ``run_costing`` plus its totals (every measure's P5/P50/P95, the totals
                 by IMF class, fund and year): the best of ``--repeats`` runs after one warm-up run
  peak_mib       the process's peak resident memory (ru_maxrss), MiB
  variates       draws x the number of uncertain assumptions the costings draw
  floor_seconds  the time numpy's Generator takes to produce that many variates (float64, its
                 default) and sum them once, one assumption at a time: the least any Monte Carlo
                 over these assumptions must do; best of the same number of runs
  ratio          seconds / floor_seconds
  summaries_seconds  the time, after that, to make the who-pays, funds, horizon and internal-transfer
                 summaries (``CostResult.complete``; made when first read, so a costing asked
                 only for its totals does not pay for them); best of the same runs
  ratio_with_summaries  (seconds + summaries_seconds) / floor_seconds
  peak_mib_10m   peak resident memory (VmHWM, MiB) of a fresh process that runs ``run_costing``,
                 its totals and its summaries for 10,000,000 draws (``--big-draws``): a real peak,
                 not what this process has already touched (ru_maxrss is carried over a fork and
                 exec, so it is not used); 0 with ``--big-draws 0``

Targets on the 2-core machine: ratio <= 4, seconds <= 2.0, peak <= 1.5 GiB, peak_mib_10m <= 1024
(memory must not grow with the draws). The warm-up run is
there because a fresh virtual machine makes the first touch of each page of memory expensive; its
time is reported on stderr with the rest of the detail.

    .venv/bin/python benchmarks/costing.py [--draws N] [--repeats R] [--scenario NAME]
                                           [--big-draws N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario


def cost_once(scenario) -> tuple[float, float, object]:
    """(seconds of the costing and its totals, seconds of its summaries after that, result)."""
    start = time.perf_counter()
    result = run_costing(scenario)
    result.totals()
    middle = time.perf_counter()
    result.complete()
    return middle - start, time.perf_counter() - middle, result


def floor_once(draws: int, n_assumptions: int, seed: int, dtype=np.float64) -> float:
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    total = 0.0
    for _ in range(n_assumptions):
        total += float(rng.random(draws, dtype=dtype).sum())
    elapsed = time.perf_counter() - start
    assert np.isfinite(total)
    return elapsed


def peak_of_fresh_run(draws: int, scenario: str) -> tuple[float, float]:
    """(peak MiB, seconds) of one costing of ``draws`` draws in a new Python process."""
    code = (
        "import json, resource, time\n"
        "from jnpolicy_analysis.costing import run_costing\n"
        "from jnpolicy_analysis.inputs.scenarios import load_scenario\n"
        "start = time.perf_counter()\n"
        f"r = run_costing(load_scenario({scenario!r}, draws={draws}))\n"
        "r.totals()\n"
        "r.complete()\n"
        "seconds = time.perf_counter() - start\n"
        # VmHWM: this process's own peak (ru_maxrss would carry the parent's over the exec)
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "peak = int(status.split()[0]) / 1024\n"
        "print(json.dumps([peak, seconds]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=3600
    )
    peak, seconds = json.loads(run.stdout.strip().splitlines()[-1])
    return peak, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default="central")
    parser.add_argument("--big-draws", type=int, default=10_000_000)
    args = parser.parse_args(argv)

    scenario = load_scenario(args.scenario, draws=args.draws)
    first, _, result = cost_once(scenario)  # warm-up
    variates = result.ledger.variates
    n_assumptions = variates // args.draws
    del result
    runs = []
    summaries = []
    floors = []
    for i in range(args.repeats):
        core, extra, _ = cost_once(scenario)
        runs.append(core)
        summaries.append(extra)
        floors.append(floor_once(args.draws, n_assumptions, seed=i))
    seconds, floor, extra = min(runs), min(floors), min(summaries)
    floor32 = min(floor_once(args.draws, n_assumptions, seed=9, dtype=np.float32) for _ in range(2))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    big_peak, big_seconds = (
        peak_of_fresh_run(args.big_draws, args.scenario) if args.big_draws > 0 else (0.0, 0.0)
    )
    print(
        json.dumps(
            {
                "draws": args.draws,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak_mib, 1),
                "variates": variates,
                "floor_seconds": round(floor, 3),
                "ratio": round(seconds / floor, 2),
                "summaries_seconds": round(extra, 3),
                "ratio_with_summaries": round((seconds + extra) / floor, 2),
                "peak_mib_10m": round(big_peak, 1),
            }
        )
    )
    print(
        f"detail: first (cold) run {first:.3f} s; runs {', '.join(f'{t:.3f}' for t in runs)} s; "
        f"floors {', '.join(f'{t:.3f}' for t in floors)} s; a float32 floor (the engine draws "
        f"float32 variates) {floor32:.3f} s, ratio {seconds / floor32:.2f}; "
        f"{n_assumptions} uncertain assumptions; the {args.big_draws:,}-draw run took "
        f"{big_seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
