"""Bad input, for each kind of file: exit 2, a message naming the file and the field, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import main

POLICY = """\
doc: 济政发〔2020〕1号
title_zh: 测试
title_en: Test
issuer: 济南市人民政府
issued: 2020-03-02
measures:
  - id: key_supply_hiring_subsidy
    clause: "2"
    title_zh: 用工补贴
    title_en: Hiring subsidy
    instrument: per_person_per_day
    fiscal_class: A
    funding_source: 就业补助资金
    period: {start: 2020-01-24, end: 2020-02-09}
    parameters:
      rate: {value: 200, unit: 元/人/天, quote: "给予每人每天 200 元的一次性用工补贴"}
      firm_cap: {value: 50, unit: 万元/企业, quote: "每个企业最高补贴 50 万元"}
"""

TARGET = """\
doc: 济政办发〔2020〕2号
targets:
  - id: platforms_over_1bn
    clause: "一（二）"
    metric_zh: 年交易额10亿元以上的平台企业
    metric_en: Platform firms with yearly transactions of 1bn yuan or more
    comparator: ">="
    value: 50
    unit: 家
    start: 2020-01-01
    deadline: 2022-12-31
    quote: "达到 50 家以上"
"""

BASELINE = """\
assumptions:
  key_supply_firms:
    low: 30
    central: 60
    high: 120
    unit: 家
    source: "assumption: a few dozen producers of epidemic supplies in a city of 9 million"
    data_quality: low
  take_up:
    low: 50
    central: 70
    high: 90
    unit: "%"
    source: "assumption: most eligible firms claim a subsidy paid on application"
    data_quality: low
"""

SCENARIO = """\
name: variant
title_zh: 变体
title_en: Variant
extends: central
draws: 1000
seed: 1
parameters:
  key_supply_hiring_subsidy.rate: 250
"""

GOOD = {"policies": POLICY, "targets": TARGET, "baseline": BASELINE, "scenarios": SCENARIO}

# (kind, description, text transform, the field the message must name, words the message must hold)
CASES = [
    (
        "policies",
        "malformed YAML",
        lambda t: t.replace('clause: "2"', 'clause: ["2"'),
        "line",
        "invalid YAML",
    ),
    (
        "policies",
        "unknown key",
        lambda t: t.replace("fiscal_class: A", "fiscal_clas: A"),
        "fiscal_clas",
        "fiscal_class",
    ),
    (
        "policies",
        "string for number",
        lambda t: t.replace("value: 200,", "value: '200',"),
        "rate.value",
        "string",
    ),
    ("policies", "NaN", lambda t: t.replace("value: 200,", "value: .nan,"), "rate.value", "finite"),
    (
        "policies",
        "infinity",
        lambda t: t.replace("value: 200,", "value: .inf,"),
        "rate.value",
        "finite",
    ),
    (
        "policies",
        "negative amount",
        lambda t: t.replace("value: 200,", "value: -200,"),
        "rate.value",
        "greater than or equal to 0",
    ),
    (
        "policies",
        "rate of 150 %",
        lambda t: t.replace("value: 200, unit: 元/人/天", "value: 150, unit: '%'"),
        "rate",
        "outside [0, 1]",
    ),
    (
        "policies",
        "reversed period",
        lambda t: t.replace("start: 2020-01-24", "start: 2020-03-24"),
        "period",
        "before it starts",
    ),
    (
        "policies",
        "unknown unit",
        lambda t: t.replace("元/人/天", "元/人/日子"),
        "rate.unit",
        "unknown unit",
    ),
    ("policies", "empty file", lambda t: "", "(file)", "empty"),
    (
        "policies",
        "python tag",
        lambda t: t.replace("title_en: Test", "title_en: !!python/object/apply:os.system ['true']"),
        "line",
        "YAML",
    ),
    (
        "policies",
        "unknown instrument",
        lambda t: t.replace("per_person_per_day", "per_persn_per_day"),
        "instrument",
        "per_person_per_day",
    ),
    (
        "targets",
        "malformed YAML",
        lambda t: t.replace("value: 50", "value: [50"),
        "line",
        "invalid YAML",
    ),
    ("targets", "unknown key", lambda t: t.replace("deadline:", "dedline:"), "dedline", "deadline"),
    (
        "targets",
        "string for number",
        lambda t: t.replace("value: 50", "value: fifty"),
        "value",
        "string",
    ),
    ("targets", "NaN", lambda t: t.replace("value: 50", "value: .nan"), "value", "finite"),
    ("targets", "infinity", lambda t: t.replace("value: 50", "value: .inf"), "value", "finite"),
    (
        "targets",
        "negative amount",
        lambda t: t.replace("value: 50", "value: -50"),
        "value",
        "greater than or equal to 0",
    ),
    (
        "targets",
        "rate of 150 %",
        lambda t: t.replace("value: 50\n    unit: 家", "value: 150\n    unit: '%'"),
        "targets[0]",
        "outside [0, 1]",
    ),
    (
        "targets",
        "reversed period",
        lambda t: t.replace("start: 2020-01-01", "start: 2023-01-01"),
        "targets[0]",
        "precedes start",
    ),
    (
        "targets",
        "unknown unit",
        lambda t: t.replace("unit: 家", "unit: 家伙"),
        "unit",
        "unknown unit",
    ),
    ("targets", "empty file", lambda t: "", "(file)", "empty"),
    (
        "targets",
        "python tag",
        lambda t: t.replace("metric_en: Platform", "metric_en: !!python/name:os.system Platform"),
        "line",
        "YAML",
    ),
    (
        "baseline",
        "malformed YAML",
        lambda t: t.replace("low: 30", "low: {30"),
        "line",
        "invalid YAML",
    ),
    (
        "baseline",
        "unknown key",
        lambda t: t.replace("data_quality: low\n  take_up", "data_qualty: low\n  take_up"),
        "data_qualty",
        "data_quality",
    ),
    (
        "baseline",
        "string for number",
        lambda t: t.replace("central: 60", "central: sixty"),
        "central",
        "string",
    ),
    ("baseline", "NaN", lambda t: t.replace("central: 60", "central: .nan"), "central", "finite"),
    ("baseline", "infinity", lambda t: t.replace("high: 120", "high: .inf"), "high", "finite"),
    (
        "baseline",
        "negative amount",
        lambda t: t.replace("low: 30", "low: -30"),
        "key_supply_firms",
        "negative",
    ),
    (
        "baseline",
        "rate of 150 %",
        lambda t: t.replace("high: 90", "high: 150"),
        "take_up",
        "outside [0, 1]",
    ),
    (
        "baseline",
        "reversed range",
        lambda t: t.replace("low: 30", "low: 130"),
        "key_supply_firms",
        "low <= central <= high",
    ),
    (
        "baseline",
        "unknown unit",
        lambda t: t.replace("unit: 家", "unit: 家家"),
        "unit",
        "unknown unit",
    ),
    ("baseline", "empty file", lambda t: "", "(file)", "empty"),
    (
        "baseline",
        "python tag",
        lambda t: t.replace("low: 30", "low: !!python/object:builtins.object {}"),
        "line",
        "YAML",
    ),
    (
        "scenarios",
        "malformed YAML",
        lambda t: t.replace("draws: 1000", "draws: [1000"),
        "line",
        "invalid YAML",
    ),
    ("scenarios", "unknown key", lambda t: t.replace("extends:", "extend:"), "extend", "extends"),
    (
        "scenarios",
        "string for number",
        lambda t: t.replace("draws: 1000", "draws: many"),
        "draws",
        "string",
    ),
    (
        "scenarios",
        "NaN",
        lambda t: t.replace("rate: 250", "rate: .nan"),
        "key_supply_hiring_subsidy.rate",
        "finite",
    ),
    (
        "scenarios",
        "infinity",
        lambda t: t.replace("rate: 250", "rate: .inf"),
        "key_supply_hiring_subsidy.rate",
        "finite",
    ),
    (
        "scenarios",
        "zero draws",
        lambda t: t.replace("draws: 1000", "draws: 0"),
        "draws",
        "positive",
    ),
    (
        "scenarios",
        "negative seed",
        lambda t: t.replace("seed: 1", "seed: -1"),
        "seed",
        "greater than or equal to 0",
    ),
    ("scenarios", "empty file", lambda t: "", "(file)", "empty"),
    (
        "scenarios",
        "python tag",
        lambda t: t.replace("title_en: Variant", "title_en: !!python/object/new:str [x]"),
        "line",
        "YAML",
    ),
]


def _write(tmp_path: Path, kind: str, text: str) -> Path:
    folder = tmp_path / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _listing(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_valid_samples_pass(tmp_path, capsys, kind):
    path = _write(tmp_path, kind, GOOD[kind])
    assert main(["validate", str(path)]) == 0
    assert "ok:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kind,what,change,field,words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_bad_input_exits_2_naming_file_and_field(
    tmp_path, capsys, kind, what, change, field, words
):
    bad = change(GOOD[kind])
    assert bad != GOOD[kind] or what == "empty file", f"the test's change did not apply: {what}"
    path = _write(tmp_path, kind, bad)
    before = _listing(tmp_path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert str(path) in err
    assert field in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert _listing(tmp_path) == before


def test_every_kind_covers_every_listed_fault():
    faults = {
        "malformed YAML",
        "unknown key",
        "string for number",
        "NaN",
        "infinity",
        "empty file",
        "python tag",
    }
    for kind in GOOD:
        covered = {c[1] for c in CASES if c[0] == kind}
        assert faults <= covered, (kind, faults - covered)


def test_python_tag_builds_nothing(tmp_path, capsys):
    marker = tmp_path / "pwned"
    text = POLICY.replace(
        "title_en: Test", f"title_en: !!python/object/apply:os.system ['touch {marker}']"
    )
    path = _write(tmp_path, "policies", text)
    assert main(["validate", str(path)]) == 2
    assert not marker.exists()


def test_all_errors_in_a_file_reported_together(tmp_path, capsys):
    text = POLICY.replace("fiscal_class: A", "fiscal_clas: A").replace("元/人/天", "元/人/日子")
    path = _write(tmp_path, "policies", text)
    assert main(["validate", str(path)]) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 2, lines


def test_kind_from_flag_and_unknown_kind(tmp_path, capsys):
    path = tmp_path / "elsewhere.yaml"
    path.write_text(BASELINE, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "--kind" in capsys.readouterr().err
    assert main(["validate", str(path), "--kind", "baseline"]) == 0
    assert main(["validate", str(path), "--kind", "baselin"]) == 2
    assert "did you mean 'baseline'" in capsys.readouterr().err


def test_duplicate_key_rejected(tmp_path, capsys):
    text = POLICY.replace("    fiscal_class: A\n", "    fiscal_class: A\n    fiscal_class: B\n")
    path = _write(tmp_path, "policies", text)
    assert main(["validate", str(path)]) == 2
    assert "appears twice" in capsys.readouterr().err


def test_broken_data_dir_fails_catalog_without_writing(data_copy, capsys):
    target = next(
        p
        for p in sorted((data_copy / "policies").glob("*.yaml"))
        if "instrument:" in p.read_text("utf-8")
    )
    target.write_text(
        target.read_text(encoding="utf-8").replace("instrument:", "instrumnt:", 1), encoding="utf-8"
    )
    before = _listing(data_copy.parent)
    assert main(["catalog", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "instrumnt" in err and "did you mean 'instrument'" in err
    assert _listing(data_copy.parent) == before


def test_cli_bad_input_has_no_traceback_in_a_real_process(tmp_path):
    path = _write(tmp_path, "policies", POLICY.replace("value: 200,", "value: .nan,"))
    run = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"error: {path}: " in run.stderr


def test_unknown_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["catalog", "--jsn"])
    assert exc.value.code == 2


def test_an_id_used_in_two_files_is_an_error(data_copy, capsys):
    """Measures, other numbers (facts) and targets share one id space across the catalog."""
    path = data_copy / "policies" / "ji_zheng_ban_zi_2020_6.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("id: zzfl_abolished_items", "id: platform_turnover_threshold"),
        encoding="utf-8",
    )
    assert main(["catalog", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "facts.platform_turnover_threshold" in err and "id also used in" in err
