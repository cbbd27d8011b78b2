"""``--keep N``: the oldest complete runs go; the run `latest` points to, a run in progress and
anything that is not a run stay."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.publish.prune import PruneRefused, prune_reports


def _run(out: Path, day: str, stamp: str = "20260101T000000000000") -> Path:
    run = out / ".runs" / f"{day}_{stamp}"
    (run / "central").mkdir(parents=True)
    (run / "index.html").write_text("<html></html>", encoding="utf-8")
    (run / "central" / "01.html").write_text("x" * 100, encoding="utf-8")
    os.symlink(f".runs/{run.name}", out / day)
    return run


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    out.mkdir()
    for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"):
        _run(out, day)
    os.symlink("2026-01-05", out / "latest")
    return out


def _days(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_symlink() and p.name != "latest")


def test_keeps_the_newest_and_removes_the_folders_of_the_rest(reports):
    result = prune_reports(reports, 2)
    assert result.removed == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert _days(reports) == ["2026-01-04", "2026-01-05"]
    assert sorted(p.name[:10] for p in (reports / ".runs").iterdir()) == [
        "2026-01-04",
        "2026-01-05",
    ]
    assert (reports / "latest").resolve() == (reports / "2026-01-05").resolve()
    # again: nothing more to do
    assert prune_reports(reports, 2).removed == []


def test_never_removes_the_run_latest_points_to(reports):
    # `latest` at an older day (say a re-run for that date was the last thing published)
    (reports / "latest").unlink()
    os.symlink("2026-01-02", reports / "latest")
    result = prune_reports(reports, 1)
    assert _days(reports) == ["2026-01-02", "2026-01-05"]
    assert "2026-01-02" not in result.removed
    assert (reports / "latest" / "index.html").is_file()


def test_never_touches_a_run_in_progress(reports):
    staging = reports / ".runs" / ".staging-2026-01-06_20260106T000000000000"
    (staging / "central").mkdir(parents=True)
    # while a report run holds the lock, pruning refuses and removes nothing
    with FileLock(str(reports / ".lock")):
        with pytest.raises(PruneRefused, match="holds"):
            prune_reports(reports, 1, wait=0)
        assert len(_days(reports)) == 5
    # once it is free, the staging folder of a run still building is left alone
    prune_reports(reports, 1)
    assert staging.is_dir()
    assert _days(reports) == ["2026-01-05"]


def test_leaves_what_is_not_a_run(reports, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(str(elsewhere), reports / "2025-12-31")  # a date link pointing outside .runs/
    (reports / "README.md").write_text("notes", encoding="utf-8")
    prune_reports(reports, 1)
    assert elsewhere.is_dir() and (reports / "2025-12-31").is_symlink()
    assert (reports / "README.md").is_file()


@pytest.mark.parametrize("bad", ["0", "-3", "two"])
def test_bad_keep_is_refused_before_anything_runs(reports, bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--keep", bad, "--out", str(reports), "--quiet"])
    assert exit_info.value.code == 2
    assert "--keep" in capsys.readouterr().err
    assert len(_days(reports)) == 5


def test_bad_keep_in_the_library_is_a_data_error(reports):
    from jnpolicy_analysis.errors import DataError

    with pytest.raises(DataError, match="keep"):
        prune_reports(reports, 0)
