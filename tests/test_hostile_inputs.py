"""Odd but legal, or hostile, inputs on a copy of data/: each gives exit 2 with an
``error: <file>: <field>: <what is wrong>`` line and no traceback, never a hang, a crash or a
silently wrong number (issue 10, cases 9-11)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import MAX_ERRORS, main, strict_json
from jnpolicy_analysis.inputs.loader import MAX_FILE_BYTES

POLICY = "policies/ji_zheng_fa_2020_1.yaml"
OBS = "targets/observations.csv"


def _errors(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error: ")]


def _validate(path: Path, capsys) -> tuple[int, list[str]]:
    code = main(["validate", str(path)])
    return code, _errors(capsys)


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# --------------------------------------------------------------------------- 9: CSV


def test_unterminated_quote_names_its_line(data_copy, capsys):
    obs = data_copy / OBS
    lines = obs.read_text(encoding="utf-8").splitlines()
    # line 3 (a spreadsheet's numbering) loses its closing quote: before, line 4 vanished into
    # its source text and validate said ok
    assert lines[2].endswith('"')
    lines[2] = lines[2][:-1]
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, errors = _validate(obs, capsys)
    assert code == 2
    assert any("row 3" in e and "quote" in e for e in errors), errors


def test_quote_never_closed_at_the_end(data_copy, capsys):
    obs = data_copy / OBS
    text = obs.read_text(encoding="utf-8").rstrip("\n")
    n = text.count("\n") + 1
    obs.write_text(text + '\ncross_industry_platforms,2020,1,个,observed,,,"public: 未闭合\n',
                   encoding="utf-8")  # fmt: skip
    code, errors = _validate(obs, capsys)
    assert code == 2
    assert any(f"row {n + 1}" in e and "never closed" in e for e in errors), errors


# --------------------------------------------------------------------------- 10: tracebacks


def test_impossible_date_is_an_error_with_its_line(data_copy, capsys):
    path = data_copy / POLICY
    _replace(path, "issued: 2020-", "issued: 2020-02-30\nx_issued: 2020-")
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("issued: 2020-02-30") + 1
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any(f"line {line}" in e and "2020-02-30" in e for e in errors), errors


def test_complex_key_is_an_error(data_copy, capsys):
    path = data_copy / POLICY
    path.write_text(path.read_text(encoding="utf-8") + "? [a, b]\n: 1\n", encoding="utf-8")
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("plain name" in e and "list" in e for e in errors), errors


def test_deep_nesting_is_an_error(data_copy, capsys):
    path = data_copy / "baseline" / "deep.yaml"
    path.write_text("assumptions: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("nested deeper" in e for e in errors), errors


@pytest.mark.parametrize("name", ["x.yaml", "observations.csv"])
def test_a_directory_under_an_input_name(data_copy, capsys, name):
    folder = data_copy / ("targets" if name.endswith(".csv") else "policies")
    if (folder / name).exists():
        (folder / name).unlink()
    (folder / name).mkdir()
    code = main(["catalog", "--data", str(data_copy)]) if name == "x.yaml" else None
    if code is None:
        code = main(["targets", "--data", str(data_copy)])
    errors = _errors(capsys)
    assert code == 2
    assert any(name in e and "is a directory" in e for e in errors), errors


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_does_not_hang(data_copy):
    os.mkfifo(data_copy / "policies" / "zz.yaml")
    run = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", "catalog", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        timeout=120,  # before: blocked forever opening the FIFO
    )
    assert run.returncode == 2
    assert "zz.yaml" in run.stderr and "not a regular file" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_link_to_dev_zero_is_not_read(data_copy, capsys):
    (data_copy / "policies" / "zero.yaml").symlink_to("/dev/zero")
    code = main(["catalog", "--data", str(data_copy)])
    errors = _errors(capsys)
    assert code == 2
    assert any("zero.yaml" in e and "not a regular file" in e for e in errors), errors


def test_a_file_over_the_size_cap(data_copy, capsys):
    path = data_copy / "baseline" / "huge.yaml"
    path.write_text("# padding\n" * (MAX_FILE_BYTES // 10 + 10), encoding="utf-8")
    assert path.stat().st_size > 5 * 1024 * 1024
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("5 MB limit" in e for e in errors), errors


def test_readme_states_the_size_cap():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert MAX_FILE_BYTES == 5 * 1024 * 1024 and "5 MB" in readme


def test_a_non_utf8_file_name_is_refused(data_copy, capsys):
    name = os.fsdecode(b"bad-\xff.yaml")
    try:
        (data_copy / "baseline" / name).write_text("assumptions: {}\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take non-UTF-8 names")
    code = main(["validate", str(data_copy / "baseline")])
    errors = _errors(capsys)
    assert code == 2
    assert any("not UTF-8" in e and "bad-" in e for e in errors), errors


# --------------------------------------------------------------------------- 11: wrong numbers


def test_1e308_yuan_is_not_plausible(data_copy, capsys):
    path = data_copy / POLICY
    _replace(path, "value: 200\n        unit: 元/人/天", "value: 1.0e+308\n        unit: 元/人/天")
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("rate" in e and "not plausible" in e for e in errors), errors


def test_a_plausible_range_holds_for_baseline_values(data_copy, capsys):
    path = data_copy / "baseline" / "labour_market.yaml"
    text = path.read_text(encoding="utf-8")
    # a count of a billion billion people in Jinan
    absurd = (
        "  absurd_count:\n    low: 1.0e+18\n    central: 1.0e+18\n    high: 1.0e+18\n"
        "    unit: 人\n    source: 'assumption: a test of the plausible range'\n"
        "    data_quality: low\n"
    )
    assert "\nassumptions:\n" in text
    path.write_text(
        text.replace("\nassumptions:\n", "\nassumptions:\n" + absurd, 1), encoding="utf-8"
    )
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("absurd_count" in e and "not plausible" in e for e in errors), errors


def test_wan_yuan_where_yuan_per_person_per_day_is_expected(data_copy, capsys):
    path = data_copy / POLICY
    # 200 万元 is money, not money per person per day; before, cost ran with a changed result
    _replace(path, "value: 200\n        unit: 元/人/天", "value: 200\n        unit: 万元")
    code, errors = _validate(path, capsys)
    assert code == 2
    assert any("rate" in e and "元/人/天" in e and "万元" in e for e in errors), errors


def test_observation_value_must_be_plausible(data_copy, capsys):
    obs = data_copy / OBS
    with obs.open("a", encoding="utf-8") as fh:
        fh.write("cross_industry_platforms,2020,1e300,个,observed,,,public: a test figure\n")
    code, errors = _validate(obs, capsys)
    assert code == 2
    assert any("not plausible" in e for e in errors), errors


def test_json_is_strict():
    out = strict_json({"a": math.inf, "b": [math.nan, 1.5, {"c": -math.inf}], "d": "x"})
    assert out == {"a": None, "b": [None, 1.5, {"c": None}], "d": "x"}
    json.dumps(out, allow_nan=False)  # raises on NaN or Infinity


def test_cost_json_has_no_nan_or_infinity(data_copy, capsys):
    assert main(["cost", "--data", str(data_copy), "--draws", "50", "--json"]) == 0
    text = capsys.readouterr().out

    def refuse(name):
        raise AssertionError(f"{name} in --json output")

    json.loads(text, parse_constant=refuse)


def test_wrong_case_observations_file_is_named(data_copy, capsys):
    (data_copy / OBS).rename(data_copy / "targets" / "Observations.csv")
    code = main(["targets", "--data", str(data_copy)])
    errors = _errors(capsys)
    assert code == 2  # before: silently "no observations"
    assert any("observations.csv" in e and "'Observations.csv'" in e for e in errors), errors


def test_wrong_suffix_yaml_is_named(data_copy, capsys):
    # before: the document silently dropped out of the catalog
    (data_copy / POLICY).rename(data_copy / "policies" / "ji_zheng_fa_2020_1.YAML")
    code = main(["catalog", "--data", str(data_copy)])
    errors = _errors(capsys)
    assert code == 2
    assert any("2020_1.YAML" in e and "'ji_zheng_fa_2020_1.yaml'" in e for e in errors), errors


def test_error_list_is_capped(data_copy, capsys):
    obs = data_copy / OBS
    with obs.open("a", encoding="utf-8") as fh:
        for i in range(2000):
            fh.write(f"no_such_metric_{i},2020,1,个,observed,,,public: row {i}\n")
    code = main(["validate", str(obs)])
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert code == 2
    assert len(lines) == MAX_ERRORS + 1 == 51
    assert lines[-1].startswith("error: ") and "and 1,950 more" in lines[-1]


def test_dollar_text_is_drawn_as_written():
    from matplotlib.figure import Figure

    from jnpolicy_analysis.charts import use_house_style

    use_house_style("en")
    fig = Figure()
    ax = fig.subplots()
    text = ax.text(0.5, 0.5, r"$\frac$ 措施")  # before: a mathtext error while drawing
    fig.canvas.draw()
    assert text.get_text() == r"$\frac$ 措施" and not text._parse_math
