"""Compile the ``costing:`` blocks of ``data/policies`` into the plans the engine runs.

A costing block binds each input of an instrument (``instruments.INSTRUMENTS``) to a printed
parameter, a baseline assumption, a derived quantity or a constant with its unit, names its
timing, take-up, induced response and exposure, and may name a hook (``hooks.HOOKS``). Derived
quantities are expressions (+ - * / and parentheses) over assumptions, constants and other derived
quantities, declared once in ``data/baseline`` (or in the costing block when they use the measure's
own parameters or window). Everything is checked when the files load, before anything is costed:
unknown instruments, inputs, parameters, assumptions, levers and hooks (with the nearest valid
name) and units (``dims``: a 元/人/天 parameter bound where 元/人 is expected is an error). Every
problem of every file is reported together.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError, Problem
from ..inputs.catalog import Catalog
from ..inputs.scenarios import ResolvedScenario
from ..inputs.schemas import Assumption, Constant, Derived, Measure
from ..inputs.schemas.policy import Binding, ComponentBlock, CostingBlock, Timing
from ..units import did_you_mean, get_unit
from . import dims, grid
from .engine import Component, Costing, MeasureContext, Plan, _coverage
from .hooks import HOOKS
from .instruments import INSTRUMENTS

ArrayLike = float | np.ndarray
WINDOW = {"days": "天", "months": "月", "years": "年"}
OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class _Bad(Exception):
    """A problem in one expression or binding (its message), raised inside compilation."""


class _Quiet(_Bad):
    """A binding that fails only because something it uses has a problem, reported already."""


@dataclass(frozen=True)
class WindowInfo:
    start: dt.date
    end: dt.date
    days: int
    months: float
    years: float


class _Ev:
    """What a node reads when it is evaluated."""

    __slots__ = ("values", "scenario", "cache", "window")

    def __init__(self, values, scenario: ResolvedScenario, cache: dict | None, window=None):
        self.values = values
        self.scenario = scenario
        self.cache = cache
        self.window: WindowInfo | None = window


@dataclass(frozen=True)
class Node:
    fn: Callable[[_Ev], ArrayLike]
    dims: dims.Dims
    uses: frozenset[str]  # assumptions read
    unit: str  # the unit as written, for messages


class _Points(Mapping):
    """Assumptions at the scenario's point: what timing is evaluated on."""

    def __init__(self, scenario: ResolvedScenario):
        self.scenario = scenario

    def __getitem__(self, name: str) -> float:
        return self.scenario.assumption(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.scenario.assumptions)

    def __len__(self) -> int:
        return len(self.scenario.assumptions)


# What nodes compute: small picklable callables of an ``_Ev`` (a cached result keeps its plans).
class _Const:
    def __init__(self, value: float):
        self.value = float(value)

    def __call__(self, ev: _Ev) -> ArrayLike:
        return self.value


class _Value:
    """An assumption's value: a float at the point, or an array over draws."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, ev: _Ev) -> ArrayLike:
        return ev.values[self.name]


class _Param:
    """A printed parameter in base units, with the scenario's override."""

    def __init__(self, key: str, base: float):
        self.key, self.base = key, base

    def __call__(self, ev: _Ev) -> ArrayLike:
        return ev.scenario.parameters.get(self.key, self.base)


class _Window:
    def __init__(self, attr: str):
        self.attr = attr

    def __call__(self, ev: _Ev) -> ArrayLike:
        return getattr(ev.window, self.attr)


class _Neg:
    def __init__(self, inner):
        self.inner = inner

    def __call__(self, ev: _Ev) -> ArrayLike:
        return -self.inner(ev)


class _Op:
    def __init__(self, op, left, right):
        self.op, self.left, self.right = op, left, right

    def __call__(self, ev: _Ev) -> ArrayLike:
        return self.op(self.left(ev), self.right(ev))


class _Cached:
    """A baseline derived quantity, computed once per evaluation for every measure using it."""

    def __init__(self, name: str, inner):
        self.name, self.inner = name, inner

    def __call__(self, ev: _Ev) -> ArrayLike:
        if ev.cache is None:
            return self.inner(ev)
        value = ev.cache.get(self.name)
        if value is None:
            value = ev.cache[self.name] = self.inner(ev)
        return value


class _Lever:
    """A lever's value when a scenario sets it, else the ``otherwise`` binding."""

    def __init__(self, key: str, otherwise):
        self.key, self.otherwise = key, otherwise

    def __call__(self, ev: _Ev) -> ArrayLike:
        value = ev.scenario.levers.get(self.key)
        return self.otherwise(ev) if value is None else value


class _Clamp:
    """A value capped (``at_most``) or floored (``at_least``) at a limit, draw by draw."""

    def __init__(self, side: str, inner, limit):
        self.side, self.inner, self.limit = side, inner, limit

    def __call__(self, ev: _Ev) -> ArrayLike:
        clamp = np.minimum if self.side == "at_most" else np.maximum
        return clamp(self.inner(ev), self.limit(ev))


def _const(value: float, d: dims.Dims, unit: str) -> Node:
    return Node(_Const(value), d, frozenset(), unit)


def _parsed(unit: str) -> tuple[float, dims.Dims]:
    try:
        return dims.parse(unit)
    except dims.UnitError as exc:
        raise _Bad(exc) from None


def _loop(names: list[str]) -> str:
    return f"derived quantities refer to each other in a loop: {' -> '.join(names)}"


def _both(unit: str, d: dims.Dims) -> str:
    shown = dims.show(d)
    return unit if shown == unit else f"{unit} ({shown})"


class Compiler:
    """Compiles costing blocks against one catalog and one baseline, collecting problems."""

    def __init__(
        self,
        catalog: Catalog,
        assumptions: Mapping[str, Assumption],
        derived: Mapping[str, Derived],
        constants: Mapping[str, Constant],
        files: Mapping[str, Path],
    ):
        self.catalog = catalog
        self.assumptions = assumptions
        self.derived = derived
        self.constants = constants
        self.files = files
        self.problems: list[Problem] = []
        self.failures = 0
        self._base: dict[str, Node | None] = {}
        self._visiting: list[str] = []
        self._measures = {m.id: m for _, m in catalog.measures}
        self.reads: set[str] = set()  # the printed parameters (measure.name) the costings read

    def problem(self, file: str | Path, field: str, message: str | _Bad) -> None:
        """Note a problem; one caused only by another already reported is counted, not shown."""
        self.failures += 1
        if not isinstance(message, _Quiet):
            self.problems.append(Problem(str(file), field, str(message)))

    def baseline_file(self, name: str) -> str:
        return str(self.files.get(name, self.catalog.data_dir / "baseline"))

    # ------------------------------------------------------------------ expressions

    def base_derived(self, name: str) -> Node:
        """A derived quantity of the baseline, compiled once (None when it has a problem)."""
        if name in self._visiting:
            raise _Bad(_loop(self._visiting + [name]))
        if name not in self._base:
            self._visiting.append(name)
            try:
                self._base[name] = self._derived_node(
                    name,
                    self.derived[name],
                    None,
                    None,
                    self.baseline_file(name),
                    f"derived.{name}",
                )
            finally:
                self._visiting.pop()
        node = self._base[name]
        if node is None:
            raise _Quiet(name)
        return Node(_Cached(name, node.fn), node.dims, node.uses, node.unit)

    def _derived_node(self, name, d: Derived, measure, local, file, field) -> Node | None:
        """Compile a derived quantity; report a problem at ``file: field`` and return None."""
        try:
            return self._derived(d, measure, local)
        except _Quiet as exc:
            self.problem(file, f"{field}.expr", exc)
            return None
        except _Bad as exc:
            sub, message = exc.args if len(exc.args) == 2 else ("expr", exc.args[0])
            self.problem(file, f"{field}.{sub}", message)
            return None

    def _derived(self, d: Derived, measure, local) -> Node:
        try:
            _, want = _parsed(d.unit)
        except _Bad as exc:
            raise _Bad("unit", str(exc)) from None
        if d.unit in dims.UNITS and dims.UNITS[d.unit].factor != 1.0:
            base = dims.UNITS[d.unit].base
            raise _Bad("unit", f"a derived quantity is in base units: write {base}, not {d.unit}")
        try:
            tree = ast.parse(d.expr, mode="eval")
        except SyntaxError as exc:
            raise _Bad("expr", f"not an expression: {exc.msg}") from None
        node = self._node(tree.body, measure, local)
        if node.dims != want:
            shown = f"{dims.show(node.dims)}, not the declared {_both(d.unit, want)}"
            raise _Bad("unit", f"'{d.expr}' comes out in {shown}")
        return Node(node.fn, node.dims, node.uses, d.unit)

    def _names(self, local) -> list[str]:
        return [*(local or {}), *self.derived, *self.constants, *self.assumptions]

    def _node(self, e: ast.AST, measure: Measure | None, local) -> Node:
        if (
            isinstance(e, ast.Constant)
            and isinstance(e.value, int | float)
            and not isinstance(e.value, bool)
        ):
            return _const(e.value, dims.NONE, "1")
        if isinstance(e, ast.Name):
            return self._name(e.id, measure, local)
        if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name):
            return self._dotted(e.value.id, e.attr, measure)
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
            inner = self._node(e.operand, measure, local)
            return Node(_Neg(inner.fn), inner.dims, inner.uses, inner.unit)
        if isinstance(e, ast.BinOp) and type(e.op) in OPS:
            left, right = self._node(e.left, measure, local), self._node(e.right, measure, local)
            op = OPS[type(e.op)]
            if isinstance(e.op, ast.Add | ast.Sub):
                if left.dims != right.dims:
                    word = "adds" if isinstance(e.op, ast.Add) else "subtracts"
                    shown = f"{dims.show(left.dims)} and {dims.show(right.dims)}"
                    raise _Bad(f"'{ast.unparse(e)}' {word} {shown}")
                d = left.dims
            else:
                d = dims.mul(left.dims, right.dims, 1 if isinstance(e.op, ast.Mult) else -1)
            fn = _Op(op, left.fn, right.fn)
            return Node(fn, d, left.uses | right.uses, dims.show(d))
        raise _Bad(
            f"'{ast.unparse(e)}' is not allowed: use names, numbers, + - * / and parentheses"
        )

    def _name(self, name: str, measure: Measure | None, local) -> Node:
        if local and name in local:
            key = f"{measure.id}:{name}"
            if key in self._visiting:
                raise _Bad(_loop(self._visiting + [key]))
            self._visiting.append(key)
            try:
                node = self._local_node(name, local[name], measure, local)
            finally:
                self._visiting.pop()
            return node
        if name in self.derived:
            return self.base_derived(name)
        if name in self.constants:
            c = self.constants[name]
            factor, d = _parsed(c.unit)
            return _const(c.value * factor, d, c.unit)
        if name in self.assumptions:
            a = self.assumptions[name]
            _, d = _parsed(a.unit)
            return Node(_Value(name), d, frozenset([name]), a.unit)
        if name in ("param", "window"):
            raise _Bad(f"write {name}.NAME")
        raise _Bad(f"unknown name '{name}'" + did_you_mean(name, self._names(local)))

    def _local_node(self, name, d: Derived, measure, local) -> Node:
        try:
            return self._derived(d, measure, local)
        except _Bad:
            raise _Quiet(name) from None  # reported where the derived quantity is declared

    def _dotted(self, base: str, attr: str, measure: Measure | None) -> Node:
        if base == "window":
            if measure is None:
                raise _Bad("window.* belongs in a measure's costing block, not in data/baseline")
            if attr not in WINDOW:
                raise _Bad(
                    f"window has no '{attr}'"
                    + did_you_mean(attr, WINDOW)
                    + "; it has days, months, years"
                )
            unit = WINDOW[attr]

            return Node(_Window(attr), _parsed(unit)[1], frozenset(), unit)
        if measure is None:
            raise _Bad(
                f"'{base}.{attr}': a printed parameter belongs in a measure's costing block, "
                "not in data/baseline"
            )
        return self.parameter(
            f"{measure.id}.{attr}" if base == "param" else f"{base}.{attr}", measure
        )

    def parameter(self, path: str, measure: Measure) -> Node:
        if "." in path:
            mid, _, name = path.partition(".")
        else:
            mid, name = measure.id, path
        if mid not in self._measures:
            raise _Bad(f"no measure '{mid}'" + did_you_mean(mid, self._measures))
        owner = self._measures[mid]
        if name not in owner.parameters:
            where = "the measure" if mid == measure.id else f"measure '{mid}'"
            raise _Bad(f"{where} has no parameter '{name}'" + did_you_mean(name, owner.parameters))
        p = owner.parameters[name]
        base, key = p.base_value, f"{mid}.{name}"
        self.reads.add(key)
        _, d = _parsed(p.unit)
        return Node(_Param(key, base), d, frozenset(), p.unit)

    # ------------------------------------------------------------------ bindings

    def binding(self, b: Binding, measure: Measure, local) -> Node:
        """The node of a binding, capped at its ``at_most`` and floored at its ``at_least`` (each
        a binding in the same unit), draw by draw."""
        node = self._source(b, measure, local)
        for side in ("at_most", "at_least"):
            limit_binding = getattr(b, side)
            if limit_binding is None:
                continue
            limit = self.binding(limit_binding, measure, local)
            if limit.dims != node.dims:
                raise _Bad(
                    f"{side}: {limit_binding.describe()} is in {_both(limit.unit, limit.dims)}, "
                    f"but the {b.describe()} it limits is in {_both(node.unit, node.dims)}"
                )
            fn = _Clamp(side, node.fn, limit.fn)
            node = Node(fn, node.dims, node.uses | limit.uses, node.unit)
        return node

    def _source(self, b: Binding, measure: Measure, local) -> Node:
        if b.parameter is not None:
            return self.parameter(b.parameter, measure)
        if b.assumption is not None:
            if b.assumption not in self.assumptions:
                raise _Bad(
                    f"no assumption '{b.assumption}' in data/baseline"
                    + did_you_mean(b.assumption, self.assumptions)
                )
            return self._name(b.assumption, measure, None)
        if b.derived is not None:
            if b.derived not in (local or {}) and b.derived not in self.derived:
                raise _Bad(
                    f"no derived quantity '{b.derived}'"
                    + did_you_mean(b.derived, [*(local or {}), *self.derived])
                )
            return self._name(b.derived, measure, local)
        if b.lever is not None:
            if b.lever not in measure.levers:
                raise _Bad(
                    f"the measure has no lever '{b.lever}' (declare it under levers:)"
                    + did_you_mean(b.lever, measure.levers)
                )
            unit = measure.levers[b.lever].unit
            _, d = _parsed(unit)
            assert b.otherwise is not None
            other = self.binding(b.otherwise, measure, local)
            if other.dims != d:
                raise _Bad(
                    f"otherwise is in {_both(other.unit, other.dims)}, "
                    f"the lever in {_both(unit, d)}"
                )
            return Node(_Lever(f"{measure.id}.{b.lever}", other.fn), d, other.uses, unit)
        assert b.value is not None and b.unit is not None
        factor, d = _parsed(b.unit)
        return _const(b.value * factor, d, b.unit)

    def expect(self, b: Binding, unit: str, measure: Measure, local, what: str) -> Node:
        node = self.binding(b, measure, local)
        _, want = _parsed(unit)
        if node.dims != want:
            have = _both(node.unit, node.dims)
            raise _Bad(f"{b.describe()} is in {have}, but {what} expects {_both(unit, want)}")
        return node

    # ------------------------------------------------------------------ measures

    def plan(self, doc: str, m: Measure) -> Plan:
        file = self.catalog.files.get(doc, self.catalog.data_dir / "policies")
        field = f"measures.{m.id}.costing"
        c = m.costing
        if c is None:
            self.problem(
                file,
                field,
                "missing: bind the measure's instrument (costing.instrument and inputs), "
                "or give costing.not_costed with the reason",
            )
            return Plan(doc, m, None, "no costing block")
        if c.not_costed is not None:
            return Plan(doc, m, None, c.not_costed)
        before = self.failures
        local = dict(c.derived)
        for name in local:
            if name in self.derived or name in self.assumptions or name in self.constants:
                self.problem(
                    file,
                    f"{field}.derived.{name}",
                    "this name is already used in data/baseline; choose another",
                )
        for name, d in local.items():
            self._derived_node(name, d, m, local, file, f"{field}.derived.{name}")
        parts = []
        single = not c.components
        for i, comp in enumerate(c.parts()):
            where = field if single else f"{field}.components[{i}]"
            parts.append(self.component(comp, m, local, file, where))
        take_up = self._optional(
            c.take_up, "fraction", m, local, file, f"{field}.take_up", "take_up"
        )
        response = self._optional(
            c.induced_response,
            "fraction",
            m,
            local,
            file,
            f"{field}.induced_response",
            "induced_response",
        )
        exposure = self._optional(c.exposure, "元", m, local, file, f"{field}.exposure", "exposure")
        hook = self.hook(c, m, local, file, field)
        if self.failures > before:
            return Plan(doc, m, None, "costing block has problems")
        uses = set()
        for part in parts:
            uses |= {n for node in part.nodes() for n in node.uses}
        for node in (take_up, response, exposure, *(hook[1].values() if hook else ())):
            if node is not None:
                uses |= node.uses
        units = {n: get_unit(self.assumptions[n].unit).base for n in sorted(uses)}
        runner = _Runner(m, parts, take_up, response, exposure, hook, str(file))
        return Plan(doc, m, runner, None, units)

    def _optional(self, b, unit, m, local, file, field, what) -> Node | None:
        if b is None:
            return None
        try:
            return self.expect(b, unit, m, local, what)
        except _Bad as exc:
            self.problem(file, field, exc)
            return None

    def hook(self, c: CostingBlock, m: Measure, local, file, field):
        if c.hook is None:
            return None
        spec = HOOKS.get(c.hook.name)
        if spec is None:
            self.problem(
                file,
                f"{field}.hook.name",
                f"unknown hook '{c.hook.name}'"
                + did_you_mean(c.hook.name, HOOKS)
                + f"; hooks: {', '.join(sorted(HOOKS)) or 'none are defined'}",
            )
            return None
        for need in spec.needs:
            if need not in self._measures:
                self.problem(
                    file,
                    f"{field}.hook.name",
                    f"hook '{c.hook.name}' reads measure '{need}', which the catalog lacks",
                )
        nodes = {}
        for name in c.hook.inputs:
            if name not in spec.inputs:
                self.problem(
                    file,
                    f"{field}.hook.inputs.{name}",
                    f"hook '{c.hook.name}' has no input '{name}'" + did_you_mean(name, spec.inputs),
                )
        for name, unit in spec.inputs.items():
            b = c.hook.inputs.get(name)
            if b is None:
                self.problem(file, f"{field}.hook.inputs", f"input '{name}' ({unit}) is not bound")
                continue
            try:
                nodes[name] = self.expect(
                    b, unit, m, local, f"input '{name}' of hook '{c.hook.name}'"
                )
            except _Bad as exc:
                self.problem(file, f"{field}.hook.inputs.{name}", exc)
        return spec.function, nodes

    def component(self, comp: ComponentBlock, m: Measure, local, file, field) -> _Part | None:
        spec = INSTRUMENTS.get(comp.instrument)
        if spec is None:
            self.problem(
                file,
                f"{field}.instrument",
                f"unknown instrument '{comp.instrument}'"
                + did_you_mean(comp.instrument, INSTRUMENTS),
            )
            return None
        for name in comp.inputs:
            if name not in spec.inputs:
                self.problem(
                    file,
                    f"{field}.inputs.{name}",
                    f"{comp.instrument} has no input '{name}'"
                    + did_you_mean(name, spec.inputs)
                    + f"; its inputs: {', '.join(spec.inputs)}",
                )
        args: dict[str, Node | list[Node]] = {}
        for name, inp in spec.inputs.items():
            b = comp.inputs.get(name)
            what = f"input '{name}' of {comp.instrument}"
            try:
                if b is None:
                    if inp.default is None:
                        raise _Bad(f"{what} is not bound (it expects {inp.unit})")
                    args[name] = _const(inp.default, _parsed(inp.unit)[1], inp.unit)
                elif inp.many:
                    if not isinstance(b, list):
                        raise _Bad(f"{what} takes a list, one binding per tier")
                    args[name] = [self.expect(x, inp.unit, m, local, what) for x in b]
                else:
                    if isinstance(b, list):
                        raise _Bad(f"{what} takes one binding, not a list")
                    args[name] = self.expect(b, inp.unit, m, local, what)
            except _Bad as exc:
                self.problem(file, f"{field}.inputs.{name}", exc)
        lists = {n: len(v) for n, v in args.items() if isinstance(v, list)}
        if len(set(lists.values())) > 1:
            self.problem(
                file, f"{field}.inputs", f"the lists must be as long as each other: {lists}"
            )
        if comp.fund is not None and comp.fund not in (m.funding_source or ""):
            self.problem(
                file,
                f"{field}.fund",
                f"'{comp.fund}' is not among the measure's funding sources ({m.funding_source})",
            )
        timing = self.timing(comp.timing, m, local, file, f"{field}.timing")
        basis = {"元": "total", "元/月": "monthly", "元/年": "yearly"}[spec.output]
        if comp.timing.stagger is not None and basis != "total":
            self.problem(
                file,
                f"{field}.timing.stagger",
                f"stagger needs an instrument that gives a total in 元; "
                f"{comp.instrument} gives {spec.output}",
            )
        fund = comp.fund or m.funding_source or "(fund not named)"
        return _Part(spec.function, args, timing, basis, fund)

    def timing(self, t: Timing, m: Measure, local, file, field) -> _Timing:
        if (m.period is None or m.period.start is None) and t.default_window is None:
            self.problem(
                file,
                f"{field}.default_window",
                "the measure has no start date: give the dates the costing assumes "
                "(default_window: start, end, note)",
            )
        if t.default_window is not None and (
            t.default_window.start is None or t.default_window.end is None
        ):
            self.problem(file, f"{field}.default_window", "needs both start and end")
        nodes: dict[str, Node | int | None] = {}
        for name, unit in (
            ("lag", "月"),
            ("spread", "月"),
            ("starts_later_by", "年"),
            ("ends_earlier_by", "年"),
            ("stagger", "月"),
        ):
            b = getattr(t, name)
            if b is None or isinstance(b, int):
                nodes[name] = b
                continue
            try:
                nodes[name] = self.expect(b, unit, m, local, f"timing.{name}")
            except _Bad as exc:
                self.problem(file, f"{field}.{name}", exc)
        return _Timing(m.id, t, nodes)


class _Timing:
    """The month weights of one component and its window, for a scenario (at its point)."""

    def __init__(self, measure_id: str, t: Timing, nodes: dict):
        self.measure_id, self.t, self.nodes = measure_id, t, nodes

    def window(self, sc: ResolvedScenario, ev: _Ev) -> WindowInfo:
        period = sc.period(self.measure_id)
        if period is None or period.start is None:
            d = self.t.default_window
            assert d is not None and d.start is not None and d.end is not None
            start, end = d.start, d.end
        else:
            start, end = period.start, period.end or grid.GRID_END
        later, earlier = self._value("starts_later_by", ev), self._value("ends_earlier_by", ev)
        if later:
            start = dt.date(start.year + int(later), start.month, start.day)
        if earlier:
            end = dt.date(end.year - int(earlier), end.month, end.day)
        months = float(_coverage(start, end).sum())
        return WindowInfo(start, end, grid.days_inclusive(start, end), months, months / 12.0)

    def _value(self, name: str, ev: _Ev) -> float | None:
        node = self.nodes.get(name)
        if node is None or isinstance(node, int):
            return node
        return float(node.fn(ev))

    def weights(self, sc: ResolvedScenario, basis: str) -> tuple[np.ndarray, WindowInfo]:
        ev = _Ev(_Points(sc), sc, None)
        w = self.window(sc, ev)
        ev.window = w
        lag = int(round(self._value("lag", ev) or 0))
        if self.t.follows == "window":
            weights = _coverage(w.start, w.end)
            stagger = self._value("stagger", ev)
            if stagger is not None:
                weights = grid.staggered(grid.spread(weights), stagger) / stagger
            weights = grid.shift(weights, lag) if lag else weights
        else:
            spread = int(round(self._value("spread", ev) or 0))
            anchor = w.end if self.t.follows == "end" else w.start
            weights = grid.months_after(anchor, spread, lag)
        if basis == "total" and self.nodes.get("stagger") is None:
            weights = grid.spread(weights)
        return weights, w


@dataclass
class _Part:
    function: Callable[..., ArrayLike]
    args: dict[str, Node | list[Node]]
    timing: _Timing
    basis: str  # total, monthly or yearly
    fund: str

    def nodes(self) -> list[Node]:
        out: list[Node] = []
        for v in self.args.values():
            out += v if isinstance(v, list) else [v]
        return out


class _Runner:
    """A compiled costing: called with a ``MeasureContext``, returns the measure's ``Costing``."""

    def __init__(
        self, measure: Measure, parts: list[_Part], take_up, response, exposure, hook, file
    ):
        self.measure, self.parts, self.file = measure, parts, file
        self.take_up, self.response, self.exposure, self.hook = take_up, response, exposure, hook
        self._timed: tuple[ResolvedScenario, list] | None = None

    def _fail(self, what: str, exc: Exception) -> DataError:
        field = f"measures.{self.measure.id}.costing"
        return DataError.single(self.file, field, f"{what} under this scenario: {exc}")

    def timings(self, sc: ResolvedScenario) -> list[tuple[np.ndarray, WindowInfo]]:
        timed = self._timed
        if timed is None or timed[0] is not sc:
            try:
                timed = (sc, [p.timing.weights(sc, p.basis) for p in self.parts])
            except (ValueError, OverflowError, ZeroDivisionError) as exc:
                raise self._fail("the timing cannot be placed on the grid", exc) from None
            self._timed = timed
        return timed[1]

    def __call__(self, ctx: MeasureContext) -> Costing:
        try:
            return self._run(ctx)
        except (ZeroDivisionError, OverflowError) as exc:
            raise self._fail("the cost cannot be computed", exc) from None

    def _run(self, ctx: MeasureContext) -> Costing:
        sc = ctx.scenario
        timings = self.timings(sc)
        ev = _Ev(ctx.values, sc, ctx.cache)
        components = []
        for part, (weights, window) in zip(self.parts, timings, strict=True):
            ev.window = window
            args = {
                n: [x.fn(ev) for x in v] if isinstance(v, list) else v.fn(ev)
                for n, v in part.args.items()
            }
            amount = part.function(**args)
            if part.basis == "yearly":
                amount = amount / 12.0
            components.append(Component(amount, weights, part.fund))
        ev.window = timings[0][1]
        if self.hook is not None:
            fn, nodes = self.hook
            first = timings[0][1]
            components += fn(
                sc, components, (first.start, first.end), **{n: x.fn(ev) for n, x in nodes.items()}
            )
        return Costing(
            components,
            self.take_up.fn(ev) if self.take_up else 1.0,
            self.response.fn(ev) if self.response else 0.0,
            self.exposure.fn(ev) if self.exposure else None,
        )


def compile_plans(
    catalog: Catalog,
    assumptions: Mapping[str, Assumption],
    derived: Mapping[str, Derived],
    constants: Mapping[str, Constant],
    files: Mapping[str, Path],
    reads: set[str] | None = None,
) -> list[Plan]:
    """Every measure of the catalog with its compiled costing, or the reason it has none; raises
    DataError with every problem of every costing block and derived quantity. ``reads``, when
    given, gains the printed parameters (``measure.name``) the costings read."""
    c = Compiler(catalog, assumptions, derived, constants, files)
    for name in derived:
        try:
            c.base_derived(name)
        except _Bad:
            pass  # reported on its own line
    drafts = [d for d in catalog.documents.values() if d.draft]
    for d in drafts:
        c.problem(
            catalog.files.get(d.doc, catalog.data_dir / "policies"),
            "draft",
            f"{d.doc} is a draft written by jnpolicy draft: review every entry (measures, "
            "instruments, costing blocks), then remove 'draft: true'; a draft is not costed",
        )
    plans = [c.plan(doc, m) for doc, m in catalog.measures if not catalog.documents[doc].draft]
    from .financing import check as check_financing

    c.problems.extend(check_financing(catalog, assumptions))
    if c.problems:
        raise DataError(list(dict.fromkeys(c.problems)))
    if reads is not None:
        reads |= c.reads
    return plans


def unread_parameters(catalog: Catalog, reads: set[str]) -> list[Problem]:
    """The printed parameters of costed measures that no costing reads (``reads``, from
    ``compile_plans``) and that do not say why under ``unused:``: for validate's warnings."""
    out = []
    for doc, m in catalog.measures:
        if m.costing is None or m.costing.not_costed is not None:
            continue
        file = catalog.files.get(doc, catalog.data_dir / "policies")
        for name, p in m.parameters.items():
            if f"{m.id}.{name}" in reads or p.unused is not None:
                continue
            out.append(
                Problem(
                    str(file),
                    f"measures.{m.id}.parameters.{name}",
                    f"{p.value:g} {p.unit} is printed but no costing reads it: bind it (a "
                    f"printed limit binds as at_most/at_least: {{parameter: {name}}}) or say why "
                    "under unused:",
                )
            )
    return out


def make_plans(scenario: ResolvedScenario) -> list[Plan]:
    assert scenario.catalog is not None
    return compile_plans(
        scenario.catalog,
        scenario.assumptions,
        scenario.derived,
        scenario.constants,
        scenario.baseline_files,
    )


@dataclass(frozen=True)
class DerivedFunction:
    """A derived quantity of the baseline, compiled, for use outside a measure's costing (a
    fund's 2019 contributions from the insured wage bill): ``uses`` are the assumptions it reads;
    called on their values (floats or arrays over draws) it gives its value in base units."""

    name: str
    node: Node
    scenario: ResolvedScenario

    @property
    def uses(self) -> frozenset[str]:
        return self.node.uses

    @property
    def unit(self) -> str:
        return self.node.unit

    def __call__(self, values: Mapping[str, ArrayLike]) -> ArrayLike:
        return self.node.fn(_Ev(values, self.scenario, None))


def derived_function(scenario: ResolvedScenario, name: str) -> DerivedFunction:
    """Derived quantity ``name`` of the scenario's baseline, compiled (``make_plans`` has checked
    every derived quantity of the baseline)."""
    assert scenario.catalog is not None
    c = Compiler(
        scenario.catalog,
        scenario.assumptions,
        scenario.derived,
        scenario.constants,
        scenario.baseline_files,
    )
    return DerivedFunction(name, c.base_derived(name), scenario)
