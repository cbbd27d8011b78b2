"""Benchmark: the what-if's latency, one change re-costed at 2,000 draws, warm (the panel's model
built once, as when the notebook has opened it). Every movable control of "all measures" and of
the three largest measures is set in turn to its low, central and high value (each reading of a
discrete assumption), then to a value drawn within its bounds. Prints one JSON line:
{"draws", "changes", "median_ms", "p95_ms", "max_ms", "mean_recosted", "build_s", "target_ms"}
(target: median <= 150 ms at 2,000 draws on the 2-core machine).

    .venv/bin/python benchmarks/what_if.py [--draws N] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jnpolicy_analysis.analysis import open_analysis  # noqa: E402
from jnpolicy_analysis.whatif import ALL, WhatIf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the controls")
    args = parser.parse_args()
    started = time.perf_counter()
    model = WhatIf(open_analysis("central", draws=args.draws))
    build = time.perf_counter() - started
    rng = random.Random(1)
    scopes = [ALL, *[mid for mid, _ in model.measures()[:3]]]
    plan = [(scope, c) for scope in scopes for c in model.controls(scope)]
    model.set(plan[0][1].key, plan[0][1].value, plan[0][0])  # warm
    times, recosted = [], []
    for _ in range(args.rounds):
        for scope, c in plan:
            values = c.settings()
            if not c.choice:
                values = [*values, c.low + (c.high - c.low) * rng.random()]
            for value in values:
                s = model.set(c.key, value, scope)
                times.append(s.seconds * 1000)
                recosted.append(s.recosted)
            model.set(c.key, c.value, scope)  # back to the start
    ms = np.array(times)
    print(
        json.dumps(
            {
                "draws": args.draws,
                "changes": len(times),
                "median_ms": round(float(np.median(ms)), 2),
                "p95_ms": round(float(np.percentile(ms, 95)), 2),
                "max_ms": round(float(ms.max()), 2),
                "mean_recosted": round(float(np.mean(recosted)), 2),
                "build_s": round(build, 2),
                "target_ms": 150,
            }
        )
    )


if __name__ == "__main__":
    main()
