"""`jnpolicy observe` changes only the row it adds: the file's encoding mark, line endings and
mode stay; a read-only file is refused; a value, year or metric name that the next reader could
not read as the tracker does (full-width digits, a digit separator, a comment mark, a year of
another century, a share above a whole) is normalised or refused before anything is written, and
on any failure the file is byte for byte what it was."""

from __future__ import annotations

import os
import stat

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.targets import observe

COMMITMENT = "annual_new_tech_fusion_benchmarks"  # 个/年, 2020–2022
SHARE = "key_park_5g_coverage"  # a target in %: a share of a whole


def _path(data_dir):
    return data_dir / "targets" / "observations.csv"


def _enter(data_dir, metric, year, value, unit="个/年", source="Jinan list (test)") -> int:
    return main(
        ["observe", metric, str(year), str(value), "--unit", unit, "--basis", "observed"]
        + ["--source", source, "--data", str(data_dir)]
    )


def test_the_bom_crlf_and_mode_of_the_file_are_kept(data_copy):
    path = _path(data_copy)
    text = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    before = b"\xef\xbb\xbf" + text
    path.write_bytes(before)
    os.chmod(path, 0o640)
    assert _enter(data_copy, COMMITMENT, 2020, 12) == 0
    after = path.read_bytes()
    assert after.startswith(before)  # every old byte, BOM first, as it was
    added = after[len(before) :]
    assert added.endswith(b"\r\n") and added.count(b"\n") == 1 and b"\r\r" not in added
    assert added.startswith(f"{COMMITMENT},2020,12,".encode())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_a_plain_lf_file_without_bom_stays_so(data_copy):
    path = _path(data_copy)
    before = path.read_bytes()
    assert not before.startswith(b"\xef\xbb\xbf") and b"\r\n" not in before
    assert _enter(data_copy, COMMITMENT, 2021, 7) == 0
    after = path.read_bytes()
    assert after.startswith(before) and b"\r" not in after
    assert after[len(before) :].count(b"\n") == 1


def test_a_read_only_file_is_refused_and_unchanged(data_copy, capsys):
    path = _path(data_copy)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        assert _enter(data_copy, COMMITMENT, 2020, 12) == 2
        err = capsys.readouterr().err
        assert err.count("error:") == 1 and "read-only" in err and "Traceback" not in err
        assert path.read_bytes() == before
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    finally:
        os.chmod(path, 0o644)


@pytest.mark.parametrize(
    "value,written",
    [("１２", "12"), ("1_000", "1000"), ("1,000", "1000"), ("12.5", "12.5")],
)
def test_numbers_are_written_in_plain_ascii_digits(data_copy, value, written):
    assert _enter(data_copy, COMMITMENT, 2020, value) == 0
    last = _path(data_copy).read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith(f"{COMMITMENT},2020,{written},")
    assert last.isascii() or "个" in last  # the digits are ASCII (the unit is Chinese)


def test_a_full_width_year_is_written_in_ascii(data_copy):
    assert _enter(data_copy, COMMITMENT, "２０２１", 9) == 0
    last = _path(data_copy).read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith(f"{COMMITMENT},2021,9,")


BAD = [
    ("a comment mark before the metric", ["#firms_on_cloud", "2021", "5", "家"], "METRIC", "unknown metric"),
    ("a quote in the metric", ['firms_on_cloud"', "2021", "5", "家"], "METRIC", "unknown metric"),
    ("a separator in the metric", ["firms_on_cloud,x", "2021", "5", "家"], "METRIC", "unknown metric"),
    ("a metric of 5,000 characters", ["m" * 5000, "2021", "5", "家"], "METRIC", "unknown metric"),
    ("a year of 1999", [COMMITMENT, "1999", "5", "个/年"], "YEAR", "2000–2100"),
    ("a year of 2101", [COMMITMENT, "2101", "5", "个/年"], "YEAR", "2000–2100"),
    ("a year of 20200", [COMMITMENT, "20200", "5", "个/年"], "YEAR", "expected a year"),
    ("a share of 500 %", [SHARE, "2021", "500", "%"], "VALUE", "outside [0, 1]"),
    ("a share of -50 %", [SHARE, "2021", "-50", "%"], "VALUE", "negative"),
    ("infinity", [COMMITMENT, "2020", "inf", "个/年"], "VALUE", "finite"),
    ("1e400", [COMMITMENT, "2020", "1e400", "个/年"], "VALUE", "finite"),
    ("a hex number", [COMMITMENT, "2020", "0x10", "个/年"], "VALUE", "expected a number"),
    ("money for a count", [COMMITMENT, "2020", "5", "万元"], "--unit", "does not match"),
]  # fmt: skip


@pytest.mark.parametrize("what,args,flag,words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_row_is_refused_and_the_file_is_unchanged(data_copy, capsys, what, args, flag, words):
    path = _path(data_copy)
    before = path.read_bytes()
    metric, year, value, unit = args
    assert _enter(data_copy, metric, year, value, unit) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1, err
    assert err.startswith(f"error: {flag}: ") and words in err, err
    assert "Traceback" not in err
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "source", ["line one\nline two", "a\rb", "rtl \u202emark", "nul \x00 byte"]
)
def test_a_source_with_a_line_break_or_control_is_blamed_on_source(data_copy, capsys, source):
    path = _path(data_copy)
    before = path.read_bytes()
    assert _enter(data_copy, COMMITMENT, 2020, 3, source=source) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --source: source: ") and err.count("error:") == 1, err
    assert path.read_bytes() == before


def test_a_missing_file_is_made_with_a_header(data_copy):
    path = _path(data_copy)
    path.unlink()
    row = observe(COMMITMENT, 2020, "4", "个/年", "observed", "list (test)", data_copy)
    assert row.value == 4
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("metric,year,value,unit") and len(lines) == 2


def test_a_link_to_the_file_stays_a_link(data_copy):
    path = _path(data_copy)
    real = data_copy / "observations-real.csv"
    path.rename(real)
    path.symlink_to(real)
    assert _enter(data_copy, COMMITMENT, 2020, 3) == 0
    assert path.is_symlink() and real.read_text(encoding="utf-8").splitlines()[-1].startswith(
        f"{COMMITMENT},2020,3,"
    )
