"""A run that a link of the user's resolves into is never pruned (``--keep``) nor removed when a
same-day re-run replaces it: links at any depth under the reports folder, relative or absolute,
to the run or to a file inside it, are all found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jnpolicy_analysis.publish.prune import links_into_runs, prune_reports

DAYS = ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04")


def _run(out: Path, day: str) -> Path:
    run = out / ".runs" / f"{day}_20260101T000000000000"
    (run / "central").mkdir(parents=True)
    (run / "index.html").write_text("<html></html>", encoding="utf-8")
    (run / "central" / "01.html").write_text("x", encoding="utf-8")
    os.symlink(f".runs/{run.name}", out / day)
    return run


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    out.mkdir()
    for day in DAYS:
        _run(out, day)
    os.symlink(DAYS[-1], out / "latest")
    return out


def _link(out: Path, depth: int, run: Path, absolute: bool, inside: bool) -> Path:
    """A link ``depth`` folders down from ``out`` (1: in ``out`` itself) to ``run`` or a file
    inside it."""
    folder = out.joinpath(*[f"archive{i}" for i in range(1, depth)])
    folder.mkdir(parents=True, exist_ok=True)
    target = run / "central" / "01.html" if inside else run
    if absolute:
        where: Path | str = target.resolve()
    else:
        where = os.path.relpath(target, folder)
    link = folder / f"keep-{depth}-{'abs' if absolute else 'rel'}"
    link.symlink_to(where)
    return link


CASES = [(d, a, i) for d in (1, 2, 3) for a in (False, True) for i in (False, True)]


@pytest.mark.parametrize("depth,absolute,inside", CASES)
def test_keep_never_prunes_a_linked_run(reports, depth, absolute, inside):
    oldest = (reports / DAYS[0]).resolve()
    link = _link(reports, depth, oldest, absolute, inside)
    result = prune_reports(reports, 1)
    assert DAYS[0] in result.linked and DAYS[0] not in result.removed
    assert oldest.is_dir() and (reports / DAYS[0]).is_symlink()
    assert link.resolve().exists()  # the link does not dangle
    assert result.removed == list(DAYS[1:-1])  # the others go as before
    link.unlink()  # once nothing of the user's points at it, it may go
    assert prune_reports(reports, 1).removed == [DAYS[0]]
    assert not oldest.exists()


@pytest.mark.parametrize("depth,absolute,inside", CASES)
def test_a_replaced_run_that_a_link_resolves_into_is_found(reports, depth, absolute, inside):
    # what the runner asks before it removes a run a same-day re-run replaced
    old = (reports / DAYS[1]).resolve()
    (reports / DAYS[1]).unlink()  # the re-run's dated link now points elsewhere
    assert old.name not in links_into_runs(reports)
    _link(reports, depth, old, absolute, inside)
    assert old.name in links_into_runs(reports)


def test_a_link_inside_a_run_to_itself_does_not_pin_it(reports):
    run = (reports / DAYS[0]).resolve()
    (run / "self").symlink_to("central")
    assert prune_reports(reports, 1).removed == list(DAYS[:-1])


def test_a_loop_of_links_and_a_dangling_link_are_ignored(reports):
    (reports / "a").symlink_to("b")
    (reports / "b").symlink_to("a")
    (reports / "gone").symlink_to(".runs/nothing-here")
    assert prune_reports(reports, 2).removed == list(DAYS[:2])
