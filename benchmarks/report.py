"""Benchmark: `jnpolicy report --all` against running the same notebooks one after another with
the `papermill` command line, in the same run. Prints one JSON line:
{"ours_s", "papermill_loop_s", "speedup", "bytes_a_day", "mb_a_day"} (targets on a 2-core machine:
speedup >= 3; a day's report, everything under reports/<date>/, <= 25 MB).

    .venv/bin/python benchmarks/report.py [--draws N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from jnpolicy_analysis.inputs.scenarios import list_scenarios  # noqa: E402
from jnpolicy_analysis.publish.runner import BRIEFING_NOTEBOOK, SCENARIO_NOTEBOOKS  # noqa: E402


def timed(cmd: list[str]) -> float:
    for arg in cmd:  # papermill writes into an existing folder only
        if arg.endswith(".ipynb") and "/loop/" in arg:
            Path(arg).parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--draws", type=int, default=None, help="draws for both (default: each scenario's own)"
    )
    args = parser.parse_args()
    extra = ["--draws", str(args.draws)] if args.draws else []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = timed(
            [
                str(BIN / "jnpolicy"),
                "report",
                "--all",
                "--quiet",
                "--as-of",
                "2026-01-01",
                "--out",
                str(tmp / "ours"),
                *extra,
            ]
        )
        day = (tmp / "ours" / "2026-01-01").resolve()
        size = sum(p.stat().st_size for p in day.rglob("*") if p.is_file())
        loop = 0.0
        draws = ["-p", "draws", str(args.draws)] if args.draws else []
        for scenario in list_scenarios():
            for nb in SCENARIO_NOTEBOOKS:
                out = tmp / "loop" / scenario
                cmd = [
                    str(BIN / "papermill"),
                    str(ROOT / "notebooks" / f"{nb}.ipynb"),
                    str(out / f"{nb}.ipynb"),
                ]
                cmd += [
                    "-p",
                    "scenario",
                    scenario,
                    "-p",
                    "as_of",
                    "2026-01-01",
                    "-p",
                    "out_dir",
                    str(out),
                    *draws,
                ]
                loop += timed(cmd)
        out = tmp / "loop" / "briefing"
        cmd = [
            str(BIN / "papermill"),
            str(ROOT / "notebooks" / f"{BRIEFING_NOTEBOOK}.ipynb"),
            str(out / "b.ipynb"),
        ]
        loop += timed([*cmd, "-p", "as_of", "2026-01-01", "-p", "out_dir", str(out), *draws])
    print(
        json.dumps(
            {
                "ours_s": round(ours, 1),
                "papermill_loop_s": round(loop, 1),
                "speedup": round(loop / ours, 2),
                "bytes_a_day": size,
                "mb_a_day": round(size / 1e6, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
