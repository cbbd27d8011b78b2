"""Three figures compared with stored pictures (matplotlib.testing.compare.compare_images).

The inputs are small and fixed here (not a costing run), so the baselines change only when the
drawing changes, not when the costing or the data do.

To regenerate the baselines after a deliberate change to the charts, run

    JNPOLICY_REGENERATE_BASELINES=1 .venv/bin/pytest tests/test_charts_baseline.py

look at the new tests/baseline_images/*.png, and commit them.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

from jnpolicy_analysis.charts import (  # noqa: E402
    cost_by_measure,
    financing_stack,
    target_paths,
)

BASELINES = Path(__file__).parent / "baseline_images"
REGENERATE = os.environ.get("JNPOLICY_REGENERATE_BASELINES") == "1"
# RMS of the pixel difference (0-255) allowed. matplotlib's pip wheels bundle their own FreeType,
# so the same figure renders to the same pixels on any machine (RMS 0); a changed date on the foot
# line alone gives about 1. A matplotlib built against another FreeType (conda) may need a larger
# tolerance: set JNPOLICY_IMAGE_TOLERANCE.
TOLERANCE = float(os.environ.get("JNPOLICY_IMAGE_TOLERANCE", "0.5"))
DPI = 120
AS_OF = "2020-06-30"
SCENARIO = SimpleNamespace(name="fixed", title_zh="固定测试情景", title_en="Fixed test scenario")


def fixed_cost() -> SimpleNamespace:
    """Five measures (元) with what cost_by_measure reads: a class-C guarantee, a class-D
    deferral and one measure with no amount."""
    measures = pd.DataFrame(
        {
            "title_zh": ["中小微企业免征三险单位缴费", "稳岗返还", "降低住房公积金缴存比例或缓缴住房公积金",
                         "创业担保贷款", "一次性吸纳就业补贴", "平台企业加速器入驻企业租金补贴"],
            "title_en": ["SME social-insurance exemption", "Job-retention refund", "Housing-fund deferral",
                         "Guaranteed start-up loans", "One-off new-hire grant", "Accelerator rent subsidy"],
            "fiscal_class": ["A", "A", "D", "C", "A", "A"],
            "costed": [True, True, True, True, True, False],
            "central": [6.0e9, 4.5e8, 4.8e8, 2.5e7, 8.0e6, float("nan")],
            "p5": [5.0e9, 2.8e8, 1.5e8, 9.0e6, 5.0e6, float("nan")],
            "p95": [8.5e9, 6.1e8, 1.7e9, 1.1e8, 1.5e7, float("nan")],
        },
        index=pd.Index(["sme", "retention", "housing", "loan", "hire", "rent"], name="id"),
    )  # fmt: skip
    monthly = pd.DataFrame({"year": [2020, 2021, 2022]})
    return SimpleNamespace(measures=measures, monthly=monthly, scenario=SCENARIO)


def _component(budget: str, cost: float, **shares: float) -> dict:
    levels = {"central": 0.0, "provincial": 0.0, "municipal": 0.0, "district": 0.0}
    return {"budget": budget, "cost": cost, "government_shares": {**levels, **shares}}


def fixed_financing() -> SimpleNamespace:
    """Seven measures (元) with what financing_stack reads: class-A components in three budgets
    split by level, a flow outside general government (class D, the hatched bar), and a class-D
    deferral and a class-C guarantee inside a budget, which the stack leaves out."""
    costed = pd.DataFrame(
        {"fiscal_class": ["A", "A", "A", "A", "D", "D", "C"]},
        index=pd.Index(
            ["sme", "medical", "hire", "levy", "housing", "levy_deferral", "loan"], name="id"
        ),
    )
    measures = {
        # pension relief on the provincial pool, unemployment and work injury on the city's
        "sme": [
            _component("社会保险基金预算", 4.6e9, provincial=1.0),
            _component("社会保险基金预算", 1.2e9, provincial=0.3, municipal=0.7),
        ],
        "medical": [_component("社会保险基金预算", 1.27e9, municipal=1.0)],
        "hire": [_component("一般公共预算", 3.6e8, central=0.5, provincial=0.2, municipal=0.3)],
        "levy": [_component("政府性基金预算", 1.2e8, provincial=0.1, municipal=0.9)],
        "housing": [{"budget": "outside", "cost": 4.5e8, "government_shares": None}],
        "levy_deferral": [_component("政府性基金预算", 7.2e6, provincial=0.1, municipal=0.9)],
        "loan": [_component("一般公共预算", 2.5e7, municipal=1.0)],
    }
    financing = {"measures": {m: {"components": c} for m, c in measures.items()}}
    return SimpleNamespace(costed=costed, financing=financing, scenario=SCENARIO)


def fixed_targets() -> SimpleNamespace:
    """Two headline targets with their paths, as TargetReport gives them."""
    results = [
        SimpleNamespace(
            id="platforms", kind="headline", metric_zh="年交易额 10 亿元以上的平台企业数量",
            metric_en="Platform enterprises with yearly transactions of 1 billion yuan or more",
            comparator=">=", target_value=50.0, target_value_max=None, unit="家",
            probability_met=0.17, status="off track",
        ),
        SimpleNamespace(
            id="bases", kind="headline", metric_zh="省级工业互联网应用示范产业基地",
            metric_en="Provincial industrial-internet demonstration bases",
            comparator="range", target_value=1.0, target_value_max=2.0, unit="个",
            probability_met=0.78, status="on track",
        ),
    ]  # fmt: skip
    years = [2019, 2020, 2021, 2022]
    paths = pd.concat(
        [
            pd.DataFrame({
                "id": "platforms", "year": years, "p5": [13.0, 15.0, 17.4, 19.0],
                "p50": [21.6, 25.3, 29.5, 33.6], "p95": [30.8, 37.3, 46.4, 60.9],
                "required": [20.0, 27.1, 36.8, 50.0], "observed": [None, 25.0, None, None],
            }),
            pd.DataFrame({
                "id": "bases", "year": years, "p5": [0.0, 0.14, 0.28, 0.42],
                "p50": [0.0, 0.5, 1.0, 1.5], "p95": [0.0, 0.8, 1.6, 2.4],
                "required": [0.0, 0.33, 0.67, 1.0], "observed": [None, None, None, None],
            }),
        ],
        ignore_index=True,
    )  # fmt: skip
    return SimpleNamespace(results=results, paths=paths, scenario="fixed")


def check_against_baseline(fig, name: str, tmp_path: Path) -> None:
    actual = tmp_path / f"{name}.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(actual, dpi=DPI)
    expected = BASELINES / f"{name}.png"
    if REGENERATE:
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        pytest.skip(f"baseline written: {expected}")
    assert expected.is_file(), f"no baseline {expected}; see this file's docstring to make one"
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test_cost_by_measure_matches_baseline(tmp_path):
    fig = cost_by_measure(fixed_cost(), "zh", AS_OF, size="half-a4")
    check_against_baseline(fig, "cost_by_measure_zh", tmp_path)


def test_target_paths_match_baseline(tmp_path):
    fig = target_paths(fixed_targets(), "zh", AS_OF, size="half-a4", scenario=SCENARIO.title_zh)
    check_against_baseline(fig, "target_paths_zh", tmp_path)


def test_financing_stack_matches_baseline(tmp_path):
    fig = financing_stack(fixed_financing(), "zh", AS_OF, size="half-a4")
    check_against_baseline(fig, "financing_stack_zh", tmp_path)
