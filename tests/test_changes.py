"""Changes since the last report: two runs' manifests and summaries compared, the change put down
to each input file whose hash differs (re-costed with the files swapped in one at a time), and
"no change" when nothing differs; the front page opens with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jnpolicy_analysis.inputs.snapshot import snapshot_inputs
from jnpolicy_analysis.paths import DATA_DIR
from jnpolicy_analysis.publish.changes import CHANGES, changed_inputs, compare, write_changes
from jnpolicy_analysis.publish.frontpage import index_html, summarise

DRAWS = 120
# a figure for a target the shipped data has no figure for: 60 家 at end-2021 against ">= 50"
NEW_ROW = (
    "platform_firms_turnover_over_1bn,2021,60,家,observed,,,"
    '"public: a count published for the test (a statistical bulletin, 2022)"\n'
)


def _run(folder: Path, data: Path, as_of: str) -> Path:
    """A run folder as the runner leaves it for the front page: its input snapshot, manifest and
    summary (of the central scenario)."""
    from jnpolicy_analysis.analysis import open_analyses

    hashes = snapshot_inputs(data, [], folder / "inputs")
    analyses = open_analyses(["central"], folder / "inputs" / "data", draws=DRAWS, as_of=as_of)
    scenarios = [a.scenario for a in analyses]
    summarise(folder, analyses)
    manifest = {
        "as_of": as_of,
        "created": f"{as_of}T06:00:00",
        "package_version": "0.1.0",
        "git_commit": "0123456789ab",
        "lang": "zh",
        "scenarios": [{"name": "central", "draws": DRAWS, "seed": scenarios[0].seed}],
        "input_hashes": hashes,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("changes")
    out = root / "reports"
    prev = _run(out / ".runs" / "2026-03-01_a", DATA_DIR, "2026-03-01")
    (out / "latest").symlink_to(".runs/2026-03-01_a")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "targets" / "observations.csv").open("a", encoding="utf-8") as fh:
        fh.write(NEW_ROW)
    this = _run(root / "staging", data, "2026-03-01")
    return out, prev, this


def test_an_added_observation_is_named_and_moves_its_target(runs):
    out, prev, this = runs
    report = write_changes(this, out)
    assert json.loads((this / CHANGES).read_text(encoding="utf-8")) == json.loads(
        json.dumps(report, default=str)
    )
    assert report["changed"] is True
    assert report["causes"]["inputs"] == [
        {"file": "data/targets/observations.csv", "change": "changed"}
    ]
    moved = {t["id"]: (t["before"], t["after"]) for t in report["targets"]}
    assert moved["platform_firms_turnover_over_1bn"] == ("no data", "achieved")
    # the costing reads no observation: the cost does not move, at any step
    steps = {s["cause"]: s for s in report["attribution"]}
    assert steps["data/targets/observations.csv"]["effect"] == pytest.approx(0.0, abs=1e-3)
    assert all(abs(t["change"]) < 1e-3 for t in report["totals"])
    # the status change is put down to observations.csv, not to the package or the date
    step = steps["data/targets/observations.csv"]
    assert {t["id"] for t in step["targets"]} == {"platform_firms_turnover_over_1bn"}
    first = report["attribution"][0]
    assert first["cause"].startswith("(") and first["targets"] == []
    # the steps add up: step 0, each swap and the residual give this run's central
    total = sum(s["effect"] for s in report["attribution"] if s["effect"] is not None)
    base = lambda run: json.loads((run / "summary.json").read_text())["scenarios"][0]["central"]  # noqa: E731
    assert total == pytest.approx(base(this) - base(prev), abs=1.0)


def test_the_front_page_opens_with_the_change(runs):
    out, _, this = runs
    write_changes(this, out)
    page = index_html(this, "2026-03-01", [], {"lang": "zh"}, None)
    block = page[page.index("自上次报告") :]
    block = block[: block.index("</ol>")]
    assert "data/targets/observations.csv" in block and "无数据 → 已达成" in block
    assert "年交易额 10 亿元以上的平台企业数量：无数据 → 已达成" in block  # by its name
    assert page.index("自上次报告") < page.index("总成本")  # it opens the page
    en = index_html(this, "2026-03-01", [], {"lang": "en"}, None)
    assert "Since the last report (2026-03-01)" in en and "no data → achieved" in en


def test_nothing_changed_says_no_change(runs, tmp_path):
    out, prev, _ = runs
    same = tmp_path / "same"
    shutil.copytree(prev, same)
    report = write_changes(same, out)
    assert report["changed"] is False and report["attribution"] == []
    page = index_html(same, "2026-03-01", [], {"lang": "en"}, None)
    assert "No change" in page


def test_a_first_run_has_nothing_to_compare_with(tmp_path):
    run = tmp_path / "staging"
    run.mkdir()
    assert write_changes(run, tmp_path / "empty")["previous"] is None


def test_added_and_removed_files_are_told_apart_in_the_stated_order():
    before = {"input_hashes": {"data/targets/a.csv": "1", "data/policies/p.yaml": "1", "x": "1"}}
    after = {"input_hashes": {"data/targets/a.csv": "2", "data/baseline/b.yaml": "1"}}
    assert changed_inputs(before, after) == [
        {"file": "data/policies/p.yaml", "change": "removed"},
        {"file": "data/baseline/b.yaml", "change": "added"},
        {"file": "data/targets/a.csv", "change": "changed"},
    ]
    assert compare  # the module's comparison is what write_changes uses
