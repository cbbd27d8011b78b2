"""The ledger: every draw's cost, split into cells of one measure, fund, timing, budget, level of
government and counterfactual part, from which every total and breakdown is summed.

A cell is one part of one measure's cost: what it pays from one fund (a costing component), along
one timing profile (36 month weights), from one budget, borne by one level of government, and
either the part Jinan itself decided (``discretionary``) or the part it would have paid anyway.
Its amount in draw d is

    cell[c, d] = amount_k[d] x weight_sum_k x take_up[d] x (1 + response[d]) x share_l[d] x part[d]

where k is the component, ``share_l`` the level's share (a sourced fraction, a drawn assumption,
or the rest, so that the four levels add up to one in every draw) and ``part`` the discretionary
share (1 for a new measure, a drawn share for a local top-up, 0 otherwise) or one minus it. A
flow outside general government (budget ``outside``) has one cell per component, with no level.

Every output is a linear map of the cells: a measure's cost, a fund's, a budget's, a level's, the
budget x level matrix, the discretionary total, the cost by year (each profile's share of each
year) and by month. Summed draw by draw from the same cells, the parts add up to their totals in
every draw, and the central of a total (the mean of its draws) is the sum of its parts' centrals.

Draws are evaluated a chunk at a time (``sampling.CHUNK`` draws: streams are keyed by chunk, so the
results depend neither on the number of threads nor on how many chunks a run has). A run's chunks
are kept while they fit in ``CACHE_BYTES``; beyond that every pass evaluates them again from their
streams, which gives the same numbers bit for bit, and quantiles are streamed
(``montecarlo.StreamQuantiles``): memory does not grow with the draws. The cells are float32: 7
significant digits, far finer than any assumption.
"""

from __future__ import annotations

import ast
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..inputs.scenarios import ResolvedScenario
from ..inputs.schemas import Measure
from ..inputs.schemas.policy import BUDGETS, LEVELS, STATUSES, GovernmentShares, ShareBinding
from . import grid, montecarlo, sampling
from .engine import Costing, Plan, evaluate
from .montecarlo import (
    CLASSES,
    GROUP,
    Linear,
    Quantiles,
    StreamQuantiles,
    default_threads,
    each_item,
    map_chunks,
    quantiles,
    stream_quantiles,
)
from .montecarlo import QUANTILES as QS
from .sampling import DTYPE, Spec, draw, spec_of

OUTSIDE = "outside"
FISCAL_BUDGETS = tuple(b for b in BUDGETS if b != OUTSIDE)
NO_LEVEL = -1


# --------------------------------------------------------------------------- who pays, per row


@dataclass(frozen=True)
class Phase:
    """One period of a measure's counterfactual status: the share of each grid month inside it
    (36 values in [0, 1]), the status (index into ``STATUSES``) and its discretionary share (1.0
    new, 0.0 otherwise, or the drawn or computed share of a local top-up)."""

    months: np.ndarray
    status: int
    discretionary: ShareBinding | float


@dataclass(frozen=True)
class RowFinancing:
    """Budget, level shares and counterfactual phases of one measure's payments from one fund."""

    budget: str
    shares: GovernmentShares | None  # None for an outside flow
    phases: tuple[Phase, ...]

    @property
    def discretionary(self) -> ShareBinding | float:
        """The discretionary share when the status does not change (the first phase's)."""
        return self.phases[0].discretionary


ALL_MONTHS = np.ones(grid.N_MONTHS)


def _phase_share(status: str, share: ShareBinding | None) -> ShareBinding | float:
    if status == "new":
        return 1.0
    if status == "local_top_up":
        assert share is not None
        return share
    return 0.0


def phases_of(m: Measure) -> tuple[Phase, ...]:
    """The counterfactual phases of measure ``m``: from the register (``Counterfactual.phases``,
    each covering the days from its start to the next one's), else one phase of its own status
    over the whole grid."""
    f = m.financing
    if f is None:
        return (Phase(ALL_MONTHS, STATUSES.index("new"), 1.0),)
    cf = f.counterfactual
    if not cf.phases:
        share = _phase_share(cf.status, cf.discretionary_share)
        return (Phase(ALL_MONTHS, STATUSES.index(cf.status), share),)
    out = []
    for i, p in enumerate(cf.phases):
        nxt = cf.phases[i + 1].start if i + 1 < len(cf.phases) else None
        end = nxt - dt.timedelta(days=1) if nxt is not None else None
        months = grid.coverage(p.start, end)
        share = _phase_share(p.status, p.discretionary_share)
        out.append(Phase(months, STATUSES.index(p.status), share))
    return tuple(out)


def row_financing(m: Measure, fund: str) -> RowFinancing:
    """The financing of measure ``m``'s payments from ``fund``: its ``by_fund`` entry where it
    has one, else the measure's own. A measure with no financing block (no fiscal flow) is
    borne by the municipal general budget, all of it discretionary."""
    f = m.financing
    if f is None:
        return RowFinancing("一般公共预算", None, phases_of(m))
    ff = f.by_fund.get(fund)
    budget = (ff.budget if ff and ff.budget else None) or f.budget
    shares = (ff.government_shares if ff and ff.government_shares else None) or f.government_shares
    if budget == OUTSIDE:
        return RowFinancing(
            budget, None, (Phase(ALL_MONTHS, STATUSES.index(f.counterfactual.status), 0.0),)
        )
    return RowFinancing(budget, shares, phases_of(m))


def expr_names(expr: str) -> tuple[set[str], set[str]]:
    """(assumption names, param names) an ``expr`` share reads."""
    names, params = set(), set()
    for node in ast.walk(ast.parse(expr, mode="eval")):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            params.add(node.attr)
        elif isinstance(node, ast.Name) and node.id != "param":
            names.add(node.id)
    return names, params


def eval_share(expr: str, values: Mapping[str, object], m: Measure | None):
    """The value of an ``expr`` share: + - * / and parentheses over numbers, assumption values
    (floats or arrays over draws) and ``param.name`` (the measure's printed base value)."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "param":
            assert m is not None
            return m.value(node.attr)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError(f"expr: '{ast.unparse(node)}' is not + - * / over names and numbers")

    return ev(ast.parse(expr, mode="eval"))


_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _bindings_of(f) -> list[ShareBinding]:
    out = []
    blocks = [f.government_shares, *(ff.government_shares for ff in f.by_fund.values())]
    for block in blocks:
        if block is None:
            continue
        out += [s for _, s in block.items() if isinstance(s, ShareBinding)]
    cf = f.counterfactual
    out += [b for b in [cf.discretionary_share] if b is not None]
    out += [p.discretionary_share for p in cf.phases if p.discretionary_share is not None]
    return out


def share_assumptions(plans: Iterable[Plan]) -> set[str]:
    """The assumptions the costed plans' financing draws: level and discretionary shares."""
    names: set[str] = set()
    for p in plans:
        if not p.costed or p.measure.financing is None:
            continue
        for s in _bindings_of(p.measure.financing):
            if s.assumption:
                names.add(s.assumption)
            elif s.expr:
                names |= expr_names(s.expr)[0]
    return names


def _share(s, values: Mapping[str, object], m: Measure | None = None):
    if isinstance(s, ShareBinding):
        if s.expr is not None:
            return eval_share(s.expr, values, m)
        return float(s.value) if s.value is not None else values[s.assumption]
    return float(s)


def level_shares(shares: GovernmentShares, values: Mapping[str, object]) -> list:
    """Each level's share (a float or an array over draws), the rest one minus the others."""
    out: dict[str, object] = {}
    rest = None
    for level, s in shares.items():
        if s == "rest":
            rest = level
            continue
        out[level] = _share(s, values)
    if rest is not None:
        out[rest] = 1.0 - sum(out.values())
    return [out[lv] for lv in LEVELS]


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Cell:
    measure: int  # index of the costed measure
    fund: int  # index into fund_names
    profile: int  # index into the profiles
    budget: int  # index into BUDGETS
    level: int  # index into LEVELS, NO_LEVEL for an outside flow
    discretionary: bool
    status: int = 0  # index into STATUSES: the counterfactual status of the cell's period


@dataclass
class Layout:
    """The cells of a run and, per costed measure and component, the cells it pays into with
    their factor: (cell, level index or NO_LEVEL, discretionary part or None for outside, the
    counterfactual phase and the share of the component's payments that fall in it)."""

    cells: list[Cell]
    profiles: np.ndarray  # (profiles, 36): month weights, each summing to 1 (or all 0)
    # measure -> component -> cells: (cell, level or NO_LEVEL, part or None, phase, its share)
    slots: list[list[list[tuple[int, int, bool | None, int, float]]]]
    financing: list[list[RowFinancing]]  # measure -> component -> its financing


def make_layout(costed: list[Plan], central: list[Costing], fund_names: list[str]) -> Layout:
    """Every cell of every component of every costed measure, from its deterministic costing
    (which fixes the components and their timing) and the measure's financing block. A level
    whose share is fixed at 0 gets no cell; a part that is always 0 gets none either."""
    fund_index = {f: i for i, f in enumerate(fund_names)}
    cells: dict[Cell, int] = {}
    profiles: list[np.ndarray] = []
    profile_keys: dict[bytes, int] = {}
    slots: list[list[list[tuple[int, int, bool | None, int, float]]]] = []
    financing: list[list[RowFinancing]] = []

    def profile_of(w: np.ndarray) -> int:
        key = np.ascontiguousarray(w).tobytes()
        if key not in profile_keys:
            profile_keys[key] = len(profiles)
            profiles.append(w)
        return profile_keys[key]

    for j, (plan, costing) in enumerate(zip(costed, central, strict=True)):
        m_slots, m_fin = [], []
        for comp in costing.components:
            total = comp.weight_sum
            w = np.asarray(comp.weights, dtype=float) / total if total else comp.weights * 0.0
            rf = row_financing(plan.measure, comp.fund)
            f = fund_index[comp.fund]
            b = BUDGETS.index(rf.budget)
            here: list[tuple[int, int, bool | None, int, float]] = []
            # the component's payments split by counterfactual phase, month by month: a phase's
            # cells pay along the part of the timing inside it, its share of the payments
            split = []
            for ph, phase in enumerate(rf.phases):
                part_w = w * phase.months
                frac = float(part_w.sum())
                if len(rf.phases) == 1:
                    split.append((ph, w, 1.0))
                elif frac > 1e-12:
                    split.append((ph, part_w / frac, frac))
            if not split:  # no payment at all: one empty cell keeps the component
                split = [(0, w, 1.0)]
            for ph, pw, frac in split:
                g = profile_of(pw)
                phase = rf.phases[ph]
                if rf.shares is None:
                    cell = Cell(j, f, g, b, NO_LEVEL, False, phase.status)
                    here.append((cells.setdefault(cell, len(cells)), NO_LEVEL, None, ph, frac))
                    continue
                parts = [True, False]
                d = phase.discretionary
                if isinstance(d, float):
                    parts = [d == 1.0] if d in (0.0, 1.0) else parts
                elif d.value is not None and d.value in (0.0, 1.0):
                    parts = [d.value == 1.0]
                for k, (_, s) in enumerate(rf.shares.items()):
                    if not isinstance(s, str) and _fixed_zero(s):
                        continue
                    for part in parts:
                        cell = Cell(j, f, g, b, k, part, phase.status)
                        here.append((cells.setdefault(cell, len(cells)), k, part, ph, frac))
            m_slots.append(here)
            m_fin.append(rf)
        slots.append(m_slots)
        financing.append(m_fin)
    matrix = np.array(profiles) if profiles else np.zeros((0, grid.N_MONTHS))
    return Layout(list(cells), matrix, slots, financing)


def _fixed_zero(s) -> bool:
    if isinstance(s, ShareBinding):
        return s.value is not None and s.value == 0.0
    return float(s) == 0.0


# --------------------------------------------------------------------------- chunks


class Sampler:
    """The assumption values of chunk i of a run: each uncertain assumption drawn from its own
    stream (``sampling.draw``: seed, name and chunk), the others at their fixed value. The one
    place a run's inputs are drawn; a caller may give its own values instead (``Ledger`` with
    ``inputs``: the Sobol design, the what-if's moved controls)."""

    def __init__(self, specs: Mapping[str, Spec], draws: int, seed: int, chunk: int):
        self.specs = dict(specs)
        self.uncertain = [s for s in specs.values() if s.uncertain]
        self.fixed = {s.name: s.mode for s in specs.values() if not s.uncertain}
        self.draws, self.seed, self.chunk = draws, seed, chunk

    def __call__(self, index: int, local) -> dict[str, object]:
        n = min(self.chunk, self.draws - index * self.chunk)
        if not hasattr(local, "block"):
            local.block = np.empty((len(self.uncertain), self.chunk), dtype=DTYPE)
            local.scratch = (np.empty(self.chunk, dtype=DTYPE), np.empty(self.chunk, dtype=bool))
        values: dict[str, object] = dict(self.fixed)
        for i, spec in enumerate(self.uncertain):
            values[spec.name] = draw(spec, n, self.seed, index, local.block[i], local.scratch)
        return values


class _Chunks:
    """Evaluates chunk i of a run (the same numbers every time), keeping it when the run's cells
    fit in ``CACHE_BYTES``."""

    def __init__(self, costed, scenario, layout, sampler, draws, chunk, inputs=None):
        self.costed, self.scenario, self.layout = costed, scenario, layout
        self.sampler, self.draws, self.chunk = sampler, draws, chunk
        self.inputs = inputs  # name -> array over all draws, instead of the sampler's
        self.n_cells = len(layout.cells)
        # one draw (a stress case's point) is kept in float64: its sums are a hand calculation's
        self.dtype = np.float64 if draws == 1 else DTYPE
        self.n_chunks = -(-draws // chunk)
        self.keep = self.n_cells * draws * np.dtype(DTYPE).itemsize <= montecarlo.CACHE_BYTES
        self.kept: dict[int, np.ndarray] = {}
        self.local = threading.local()  # per-thread buffers, reused from chunk to chunk

    def __getstate__(self) -> dict:  # pickled with its result: no thread-local buffers
        state = self.__dict__.copy()
        del state["local"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.local = threading.local()

    def values(self, index: int) -> dict[str, object]:
        """The assumption values of chunk ``index`` (arrays of its draws, floats where fixed)."""
        if self.inputs is not None:
            lo = index * self.chunk
            hi = min(lo + self.chunk, self.draws)
            return {
                k: (v[lo:hi] if isinstance(v, np.ndarray) and v.ndim else v)
                for k, v in self.inputs.items()
            }
        return self.sampler(index, self.local)

    def __call__(self, index: int) -> np.ndarray:
        """The (cells, n) amounts of chunk ``index``. Without the cache the array is the calling
        thread's buffer, valid until its next call."""
        if index in self.kept:
            return self.kept[index]
        n = min(self.chunk, self.draws - index * self.chunk)
        local = self.local
        if self.keep:
            out = np.zeros((self.n_cells, n), dtype=self.dtype)
        else:
            if not hasattr(local, "cells"):
                local.cells = np.empty((self.n_cells, self.chunk), dtype=self.dtype)
            out = local.cells[:, :n]
            out[...] = 0.0
        values = self.values(index)
        for j, costing in enumerate(evaluate(self.costed, self.scenario, values, cache=True)):
            assert costing is not None
            mult = costing.multiplier()
            for comp, slots, rf in zip(
                costing.components, self.layout.slots[j], self.layout.financing[j], strict=True
            ):
                base = np.asarray(comp.amount * mult * comp.weight_sum, dtype=np.float64)
                if rf.shares is None:
                    for c, _, _, _, frac in slots:
                        out[c] += base * frac
                    continue
                levels = level_shares(rf.shares, values)
                measure = self.costed[j].measure
                disc = [_share(p.discretionary, values, measure) for p in rf.phases]
                for c, k, part, ph, frac in slots:
                    factor = levels[k] * frac * (disc[ph] if part else 1.0 - disc[ph])
                    out[c] += base * factor
        if self.keep:
            self.kept[index] = out
        return out


# --------------------------------------------------------------------------- the ledger


@dataclass
class Ledger:
    """A Monte Carlo run, held as its cells (``cells[c, d]``: the final cost in 元 of cell c in
    draw d), produced a chunk at a time. Every output is a linear map of the cells (``weights``)
    and its quantiles are selected or streamed (``series_quantiles``). ``cells_whole`` builds the
    whole (cells, draws) array, for tests and small runs: it grows with the draws."""

    chunks: _Chunks = field(repr=False)
    draws: int
    cells: list[Cell]
    measure_class: np.ndarray  # (costed measures,): index into CLASSES
    fund_names: list[str]
    profiles: np.ndarray  # (profiles, 36): month shares, summing to 1
    variates: int  # draws x uncertain assumptions drawn
    threads: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ cell attributes

    def attribute(self, name: str) -> np.ndarray:
        """Per cell: measure, fund, profile, budget, level (-1 none), discretionary (0/1), status
        (index into ``STATUSES``), or class (the measure's IMF class index)."""
        key = ("attr", name)
        if key not in self._cache:
            if name == "class":
                out = self.measure_class[self.attribute("measure")]
            else:
                out = np.array([int(getattr(c, name)) for c in self.cells], dtype=np.intp)
            self._cache[key] = out
        return self._cache[key]

    def mask(self, **where) -> np.ndarray:
        """A 0/1 row over the cells: those whose attributes equal every value given (a value may
        be a collection of allowed values)."""
        keep = np.ones(len(self.cells), dtype=bool)
        for name, value in where.items():
            attr = self.attribute(name)
            if isinstance(value, list | tuple | set | frozenset | np.ndarray):
                keep &= np.isin(attr, list(value))
            else:
                keep &= attr == value
        return keep.astype(DTYPE)

    def group(self, name: str, n: int | None = None, **where) -> np.ndarray:
        """The (groups, cells) 0/1 matrix summing the cells (those matching ``where``) by
        attribute ``name``: group i holds the cells whose attribute is i."""
        attr = self.attribute(name)
        n = int(attr.max()) + 1 if n is None else n
        base = self.mask(**where) if where else np.ones(len(self.cells), dtype=DTYPE)
        w = np.zeros((n, len(self.cells)), dtype=DTYPE)
        ok = attr >= 0
        w[attr[ok], np.flatnonzero(ok)] = base[ok]
        return w

    def weights(self, kind: str) -> np.ndarray:
        """The (groups, cells) 0/1 matrix summing the cells into each measure ("measure"), fund
        ("fund") or IMF class ("class")."""
        sizes = {
            "measure": len(self.measure_class),
            "fund": len(self.fund_names),
            "class": len(CLASSES),
        }
        if kind not in sizes:
            raise ValueError(kind)
        return self.group(kind, sizes[kind])

    def year_shares(self) -> np.ndarray:
        """(cells, 3): the share of each cell paid in each year of the grid."""
        p = np.stack([self.profiles[:, grid.MONTH_YEAR == y].sum(axis=1) for y in grid.YEARS], 1)
        return p[self.attribute("profile")] if len(self.cells) else np.zeros((0, 3))

    def month_shares(self, cumulative: bool = False) -> np.ndarray:
        """(cells, 36): the share of each cell paid in (or up to) each month."""
        p = self.profiles[self.attribute("profile")] if len(self.cells) else np.zeros((0, 36))
        return np.cumsum(p, axis=1) if cumulative else p

    def by_year(self, row: np.ndarray) -> np.ndarray:
        """(3, cells): the cells of 0/1 row ``row`` summed by year."""
        return (self.year_shares() * np.asarray(row, dtype=float)[:, None]).T

    def by_month(self, row: np.ndarray, cumulative: bool = False) -> np.ndarray:
        """(36, cells): the cells of ``row`` summed by month (or up to each month)."""
        return (self.month_shares(cumulative) * np.asarray(row, dtype=float)[:, None]).T

    # ------------------------------------------------------------------ means and quantiles

    @property
    def n_chunks(self) -> int:
        return self.chunks.n_chunks

    def cell_means(self) -> np.ndarray:
        """Mean over the draws of each cell (元), summed a chunk at a time in float64."""
        if "means" not in self._cache:
            total = np.zeros(len(self.cells))
            for i in range(self.n_chunks):
                total += self.chunks(i).sum(axis=1, dtype=np.float64)
            self._cache["means"] = total / self.draws
        return self._cache["means"]

    def central(self, w: np.ndarray) -> np.ndarray:
        """The central (mean over the draws) of each series of weights ``w`` (series, cells):
        the weighted sum of the cells' means, so a total's central is its parts' sum."""
        return np.asarray(w, dtype=np.float64) @ self.cell_means()

    def series_quantiles(self, w: np.ndarray, qs: tuple[float, ...] = QS) -> np.ndarray:
        """Quantiles (series, len(qs)) of the series ``w @ cells``, draw by draw (``quantiles``)."""
        return self.quantiles([w], qs)[0]

    def quantiles(self, ws: list[np.ndarray], qs: tuple[float, ...] = QS) -> list[np.ndarray]:
        """Quantiles (series, len(qs)) of each of the series ``w @ cells`` of ``ws``, draw by
        draw, each computed once: the ones not yet known together, from the kept chunks a few
        series at a time when the run fits in ``CACHE_BYTES``, else streamed over the chunks in
        one run of two passes for all of them."""
        ws = [np.atleast_2d(np.asarray(w)) for w in ws]
        keys = [("q", w.tobytes(), w.shape, tuple(qs)) for w in ws]
        todo: dict[tuple, np.ndarray] = {}
        for key, w in zip(keys, ws, strict=True):
            if key not in self._cache and key not in todo:
                todo[key] = w
        if todo:
            stacked = np.vstack([w.reshape(-1, len(self.cells)) for w in todo.values()])
            out = self._quantiles(stacked, qs)
            at = 0
            for key, w in todo.items():
                self._cache[key] = out[at : at + len(w)]
                at += len(w)
        return [self._cache[key] for key in keys]

    def _quantiles(self, w: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
        n_series = len(w)
        if n_series == 0:
            return np.zeros((0, len(qs)))
        on = Linear(w)
        if not self.chunks.keep:
            return stream_quantiles(
                self.n_chunks,
                lambda i: on.apply(self.chunks(i)),
                n_series,
                self.draws,
                qs,
                self.threads,
            ).result()
        map_chunks(self.n_chunks, lambda i, _: self.chunks(i), None, self.threads)
        out = np.empty((n_series, len(qs)))

        def group(lo: int) -> None:
            hi = min(lo + GROUP, n_series)
            series = np.empty((hi - lo, self.draws), dtype=DTYPE)
            for i in range(self.n_chunks):
                start = i * self.chunks.chunk
                part = on.apply(self.chunks(i), lo, hi)
                series[:, start : start + part.shape[1]] = part
            out[lo:hi] = [quantiles(row, qs) for row in series]

        each_item(range(0, n_series, GROUP), group, self.threads)
        return out

    def stats(self, w: np.ndarray, qs: tuple[float, ...] = QS) -> tuple[np.ndarray, np.ndarray]:
        """(centrals (series,), quantiles (series, len(qs))) of the series ``w @ cells``."""
        w = np.atleast_2d(np.asarray(w))
        return self.central(w), self.series_quantiles(w, qs)

    def chunk_quantiles(
        self, series: Callable[[int], np.ndarray], n_series: int, qs: tuple[float, ...] = QS
    ) -> Quantiles | StreamQuantiles:
        """Quantiles (and means) of the (n_series, chunk) arrays ``series(i)`` of every chunk i,
        any function of the chunk's cells and values (a fund's balance path, which is not
        linear in the cells). When the chunks are kept and the series fit in ``CACHE_BYTES``,
        each chunk's series are computed once and the quantiles selected on whole series; else
        they are streamed in two passes."""
        too_big = n_series * self.draws * np.dtype(DTYPE).itemsize > montecarlo.CACHE_BYTES
        if not self.chunks.keep or too_big:
            return stream_quantiles(self.n_chunks, series, n_series, self.draws, qs, self.threads)
        whole = np.empty((n_series, self.draws), dtype=DTYPE)
        sums = np.empty((self.n_chunks, n_series))

        def fill(i: int, _) -> None:
            start = i * self.chunks.chunk
            part = series(i)
            whole[:, start : start + part.shape[1]] = part
            sums[i] = part.sum(axis=1, dtype=np.float64)

        map_chunks(self.n_chunks, fill, None, self.threads)
        values = np.empty((n_series, len(qs)))

        def select(s: int) -> None:
            values[s] = quantiles(whole[s], qs)

        each_item(range(n_series), select, self.threads)
        return Quantiles(values, sums.sum(axis=0) / self.draws)

    # ------------------------------------------------------------------ whole arrays

    @property
    def cells_whole(self) -> np.ndarray:
        """Every (cell, draw) amount at once: grows with the draws."""
        out = np.empty((len(self.cells), self.draws), dtype=DTYPE)
        for i in range(self.n_chunks):
            lo = i * self.chunks.chunk
            part = self.chunks(i)
            out[:, lo : lo + part.shape[1]] = part
        return out

    def series_whole(self, w: np.ndarray) -> np.ndarray:
        """The series ``w @ cells`` over every draw at once, summed exactly as the quantiles
        sum them: grows with the draws."""
        return Linear(np.atleast_2d(w)).apply(self.cells_whole)

    @property
    def measures(self) -> list[np.ndarray]:
        """Final cost per draw of each costed measure, every draw at once (grows with draws)."""
        return list(self.series_whole(self.weights("measure")))

    @property
    def classes(self) -> list[np.ndarray]:
        """Total per draw of each IMF class, every draw at once (grows with draws)."""
        return list(self.series_whole(self.weights("class")))


def paired_quantiles(
    a: Ledger, wa: np.ndarray, b: Ledger, wb: np.ndarray, qs: tuple[float, ...] = QS
) -> np.ndarray:
    """Quantiles of ``wa @ cells_a - wb @ cells_b`` draw by draw, for two runs of the same draws
    and seed (hence the same chunks): the difference of two scenarios with common random
    numbers. Streamed chunk by chunk, one chunk of each run at a time."""
    assert a.draws == b.draws and a.chunks.chunk == b.chunks.chunk
    la, lb = Linear(wa), Linear(wb)
    return stream_quantiles(
        a.n_chunks,
        lambda i: la.apply(a.chunks(i)) - lb.apply(b.chunks(i)),
        len(wa),
        a.draws,
        qs,
        a.threads,
    ).result()


def specs_for(plans: list[Plan], scenario: ResolvedScenario) -> dict[str, Spec]:
    """How each assumption the plans and their financing use is drawn, at the scenario's point."""
    used = sorted({name for p in plans for name in p.uses} | share_assumptions(plans))
    return {n: spec_of(n, scenario.assumptions[n], scenario.point, scenario.factors) for n in used}


def build(
    plans: list[Plan],
    scenario: ResolvedScenario,
    central: list[Costing | None],
    *,
    draws: int,
    seed: int,
    specs: Mapping[str, Spec] | None = None,
    inputs: Mapping[str, object] | None = None,
    threads: int | None = None,
    chunk: int | None = None,
) -> Ledger:
    """The ledger of the costed ``plans`` over ``draws`` draws: of the assumptions in ``specs``
    (default: every assumption they use, drawn around the scenario's point), or of ``inputs``
    (name -> an array over the draws, or a float: a design given by the caller). ``central``
    (the deterministic costings, one per plan) fixes the components and their timing. ``chunk``
    (default ``sampling.CHUNK``) is the draws per chunk; the draws depend on it, never on
    ``threads``."""
    pairs = [(p, c) for p, c in zip(plans, central, strict=True) if p.costed and c is not None]
    costed = [p for p, _ in pairs]
    fund_names = sorted({comp.fund for _, c in pairs for comp in c.components})
    layout = make_layout(costed, [c for _, c in pairs], fund_names)
    measure_class = np.array(
        [CLASSES.index(p.measure.fiscal_class or "A") for p in costed], dtype=np.intp
    )
    specs = specs_for(plans, scenario) if specs is None else specs
    chunk = chunk or sampling.CHUNK
    sampler = Sampler(specs, draws, seed, chunk)
    chunks = _Chunks(costed, scenario, layout, sampler, draws, chunk, inputs)
    variates = draws * (len(sampler.uncertain) if inputs is None else len(inputs))
    return Ledger(
        chunks,
        draws,
        layout.cells,
        measure_class,
        fund_names,
        layout.profiles,
        variates,
        threads or default_threads(),
    )
