"""Baseline assumptions and scenarios.

A scenario names the scenario it extends and overrides only what differs: gazette parameters
(``measure_id.parameter`` → a value in the parameter's printed unit), baseline assumptions (a number,
or some of low/central/high), measure periods, the point of every assumption used for the
deterministic estimate, and the Monte Carlo draws and seed. The whole chain is parsed and checked
before anything is applied, so a bad key never leaves a half-applied scenario.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import DataError, Problem
from ..paths import DATA_DIR
from ..units import did_you_mean, get_unit
from .catalog import Catalog, load_catalog
from .loader import parse, parse_many, yaml_files
from .schemas import Assumption, BaselineFile, Constant, Derived, Scenario
from .schemas.baseline import Factor
from .schemas.common import Period, value_problem
from .schemas.scenario import AssumptionOverride

DEFAULT_DRAWS = 2000
# The most Monte Carlo draws a run may have, from any source (--draws, a scenario's draws:, a
# notebook's parameters cell): memory does not grow with the draws, time does (seconds a million).
MAX_DRAWS = 1_000_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the plausible years of a date or an observation
DEFAULT_SEED = 20200302
SCENARIO_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 64  # characters of a scenario name (its file and the what-if's temporary file fit)


@dataclass(frozen=True)
class Baseline:
    assumptions: dict[str, Assumption]
    files: dict[str, Path]  # assumption, derived or constant name -> the file it is defined in
    derived: dict[str, Derived] = field(default_factory=dict)
    constants: dict[str, Constant] = field(default_factory=dict)
    factors: dict[str, Factor] = field(default_factory=dict)


def load_baseline(data_dir: Path | str | None = None) -> Baseline:
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    files = yaml_files(data_dir / "baseline")
    parsed = parse_many(files, "baseline")
    out: dict[str, Assumption] = {}
    derived: dict[str, Derived] = {}
    constants: dict[str, Constant] = {}
    factors: dict[str, Factor] = {}
    where: dict[str, Path] = {}
    problems: list[Problem] = []
    fund_labels: dict[str, tuple[str, str]] = {}
    for path, bf in zip(files, parsed, strict=True):
        assert isinstance(bf, BaselineFile)
        fund_labels.update({f: (lab.zh, lab.en) for f, lab in bf.fund_labels.items()})
        groups = [("assumptions", bf.assumptions, out), ("derived", bf.derived, derived)]
        groups.append(("constants", bf.constants, constants))
        groups.append(("factors", bf.factors, factors))
        for group, items, into in groups:
            for name, item in items.items():
                if name in where:
                    problems.append(
                        Problem(str(path), f"{group}.{name}", f"also defined in {where[name]}")
                    )
                into[name] = item
                where[name] = path
    problems += factor_problems(factors, out, where)
    if problems:
        raise DataError(problems)
    from .labels import register

    register("fund", fund_labels)
    return Baseline(out, where, derived, constants, factors)


def factor_problems(
    factors: dict[str, Factor], assumptions: dict[str, Assumption], where: dict[str, Path]
) -> list[Problem]:
    """Every member of a factor is an assumption of the baseline, drawn (not fixed), of one
    factor only."""
    problems: list[Problem] = []
    member_of: dict[str, str] = {}
    for name, f in factors.items():
        for m in f.loadings:
            field_ = f"factors.{name}.loadings.{m}"
            a = assumptions.get(m)
            if a is None:
                problems.append(
                    Problem(
                        str(where[name]),
                        field_,
                        f"unknown assumption '{m}'" + did_you_mean(m, assumptions),
                    )
                )
            elif a.distribution == "fixed" or a.low == a.high:
                problems.append(
                    Problem(str(where[name]), field_, f"'{m}' is fixed: nothing to draw")
                )
            elif m in member_of:
                problems.append(
                    Problem(str(where[name]), field_, f"'{m}' is also in factor '{member_of[m]}'")
                )
            member_of[m] = name
    return problems


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its chain applied: what the costing engine and the tracker read."""

    name: str
    title_zh: str
    title_en: str
    description: str
    chain: list[str]  # this scenario first, then what it extends
    point: str  # low / central / high
    draws: int
    seed: int
    assumptions: dict[str, Assumption]  # after overrides
    parameters: dict[str, float]  # "measure_id.param" -> new value in base units
    parameter_values: dict[str, float]  # the same, as written (printed unit)
    periods: dict[str, Period] = field(default_factory=dict)  # measure id -> new period
    catalog: Catalog | None = field(default=None, repr=False, compare=False)
    # "measure_id.lever" -> value in base units: policy settings the gazette does not print
    # (a measure's ``levers:`` in data/policies), set under ``parameters:`` like a printed parameter
    levers: dict[str, float] = field(default_factory=dict)
    reference: str | None = None
    # the baseline's derived quantities, constants and the file of every baseline name
    derived: dict[str, Derived] = field(default_factory=dict, repr=False, compare=False)
    constants: dict[str, Constant] = field(default_factory=dict, repr=False, compare=False)
    baseline_files: dict[str, Path] = field(default_factory=dict, repr=False, compare=False)
    # common drivers of the baseline's assumptions (schemas.baseline.Factor)
    factors: dict[str, Factor] = field(default_factory=dict, repr=False, compare=False)

    @property
    def stress_case(self) -> bool:
        """Every assumption at a bound of its range (point ``low`` or ``high``): a stress case, a
        point and not a distribution; its central is that point and it has no P5–P95 of its own."""
        return self.point != "central"

    def assumption(self, name: str, point: str | None = None) -> float:
        """The base value of an assumption at ``point`` (default: the scenario's point)."""
        if name not in self.assumptions:
            raise KeyError(f"no assumption '{name}'" + did_you_mean(name, self.assumptions))
        return self.assumptions[name].base(point or self.point)

    def parameter(self, measure_id: str, name: str) -> float:
        """A gazette parameter in base units, with this scenario's override if it has one."""
        key = f"{measure_id}.{name}"
        if key in self.parameters:
            return self.parameters[key]
        assert self.catalog is not None
        return self.catalog.measure(measure_id).parameters[name].base_value

    def lever(self, measure_id: str, name: str) -> float | None:
        """A lever's value in base units, or None when no scenario in the chain sets it."""
        return self.levers.get(f"{measure_id}.{name}")

    def period(self, measure_id: str) -> Period | None:
        if measure_id in self.periods:
            return self.periods[measure_id]
        assert self.catalog is not None
        return self.catalog.measure(measure_id).period


def draws_too_many(draws: int) -> str:
    """The sentence refusing ``draws`` above ``MAX_DRAWS``, whatever gave them."""
    shown = f"{draws:,}" if draws < 10**24 else f"a number of {len(str(draws))} digits"
    return (
        f"{shown} is more than the {MAX_DRAWS:,} draws a run may have (its memory does not "
        "grow with the draws, but its time does: seconds a million)"
    )


def scenario_files(data_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in yaml_files(data_dir / "scenarios")}


def check_scenario_name(name: str, data_dir: Path) -> Path:
    """The file of scenario ``name``; a name that is not a plain identifier (``../x``) or that does
    not exist is refused with DataError before anything runs."""
    folder = data_dir / "scenarios"
    if not SCENARIO_NAME.match(name):
        raise DataError.single(
            folder, "scenario", f"'{name}' is not a scenario name (lower-case letters, digits, _)"
        )
    files = scenario_files(data_dir)
    if name not in files:
        raise DataError.single(
            folder,
            "scenario",
            f"unknown scenario '{name}'" + did_you_mean(name, files),
        )
    return files[name]


def list_scenarios(data_dir: Path | str | None = None) -> list[str]:
    return sorted(scenario_files(Path(data_dir) if data_dir else DATA_DIR))


def with_settings(
    scenario: ResolvedScenario, draws: int | None = None, seed: int | None = None
) -> ResolvedScenario:
    """``scenario`` with its Monte Carlo draws and seed replaced where given. The functions that
    compute take a resolved scenario, never a name: ``load_scenario`` (or
    ``analysis.open_analysis``) is where a name is read."""
    if not isinstance(scenario, ResolvedScenario):
        raise TypeError(
            f"a resolved scenario is needed, not {scenario!r}: "
            "load it with inputs.scenarios.load_scenario(name, data_dir)"
        )
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws <= 0):
        raise DataError.single("--draws", "draws", f"must be a positive whole number, got {draws}")
    changes = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    return dataclasses.replace(scenario, **changes) if changes else scenario


def load_scenario(
    name: str,
    data_dir: Path | str | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
    catalog: Catalog | None = None,
    baseline: Baseline | None = None,
) -> ResolvedScenario:
    """Resolve scenario ``name`` through its ``extends`` chain, check every override against the
    catalog and the baseline, and apply them. ``draws``/``seed`` override the scenario's own."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    if draws is not None and (not isinstance(draws, int) or draws <= 0):
        raise DataError.single("--draws", "draws", f"must be a positive whole number, got {draws}")
    if draws is not None and draws > MAX_DRAWS:
        raise DataError.single("--draws", "draws", draws_too_many(draws))
    if seed is not None and (not isinstance(seed, int) or seed < 0):
        raise DataError.single("--seed", "seed", f"must be a whole number >= 0, got {seed}")
    catalog = catalog or load_catalog(data_dir)
    baseline = baseline or load_baseline(data_dir)

    # Parse the whole chain first.
    chain: list[tuple[Path, Scenario]] = []
    current: str | None = name
    while current is not None:
        path = check_scenario_name(current, data_dir)
        if any(s.name == current for _, s in chain):
            names = " -> ".join([s.name for _, s in chain] + [current])
            raise DataError.single(
                path, "extends", f"scenarios extend each other in a loop: {names}"
            )
        sc = parse(path, "scenarios")
        assert isinstance(sc, Scenario)
        if sc.name != path.stem:
            raise DataError.single(
                path, "name", f"name '{sc.name}' differs from the file name '{path.stem}'"
            )
        if sc.extends is not None and not SCENARIO_NAME.match(sc.extends):
            raise DataError.single(path, "extends", f"'{sc.extends}' is not a scenario name")
        if sc.extends is not None and sc.extends not in scenario_files(data_dir):
            raise DataError.single(
                path,
                "extends",
                f"extends '{sc.extends}', which does not exist"
                + did_you_mean(sc.extends, scenario_files(data_dir)),
            )
        chain.append((path, sc))
        current = sc.extends

    # Check every override of every scenario in the chain, collecting all problems.
    levers_known = catalog.levers()  # the levers of the measures (data/policies)
    problems: list[Problem] = []
    param_paths = set(catalog.parameter_paths())
    measure_ids = {m.id for _, m in catalog.measures}
    for path, sc in chain:
        if sc.draws is not None and sc.draws > MAX_DRAWS:
            problems.append(Problem(str(path), "draws", draws_too_many(sc.draws)))
        for key, value in sc.parameters.items():
            if key in levers_known and key not in param_paths:
                lever = levers_known[key]
                if lever.measure_id not in measure_ids:
                    problems.append(
                        Problem(
                            str(path),
                            f"parameters.{key}",
                            f"lever of measure '{lever.measure_id}', which the catalog lacks",
                        )
                    )
                    continue
                why = value_problem(value, lever.unit, allow_above_one=lever.allow_above_one)
                if why:
                    problems.append(
                        Problem(
                            str(path),
                            f"parameters.{key}",
                            f"lever value {value:g} {lever.unit} is outside its range: {why}",
                        )
                    )
                continue
            if key not in param_paths:
                problems.append(
                    Problem(
                        str(path),
                        f"parameters.{key}",
                        "unknown parameter" + did_you_mean(key, param_paths | set(levers_known)),
                    )
                )
                continue
            p = catalog.parameter(key)
            # the same rule as the policy file's own value (schemas.common.value_problem)
            why = value_problem(value, p.unit, allow_above_one=p.allow_above_one)
            if why:
                problems.append(Problem(str(path), f"parameters.{key}", why))
        for key in sc.assumptions:
            if key not in baseline.assumptions:
                problems.append(
                    Problem(
                        str(path),
                        f"assumptions.{key}",
                        "unknown assumption" + did_you_mean(key, baseline.assumptions),
                    )
                )
        for key, pov in sc.periods.items():
            if key not in measure_ids:
                problems.append(
                    Problem(
                        str(path),
                        f"periods.{key}",
                        "unknown measure" + did_you_mean(key, measure_ids),
                    )
                )
            for end, day in (("start", pov.start), ("end", pov.end)):
                if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                    problems.append(
                        Problem(
                            str(path),
                            f"periods.{key}.{end}",
                            f"{day} is not plausible: a measure's dates lie within "
                            f"{FIRST_YEAR}–{LAST_YEAR}",
                        )
                    )
            if pov.start and pov.end and pov.end < pov.start:
                problems.append(
                    Problem(
                        str(path),
                        f"periods.{key}",
                        f"period ends ({pov.end}) before it starts ({pov.start})",
                    )
                )
    if problems:
        raise DataError(problems)

    # Apply from the root of the chain down to this scenario.
    assumptions = dict(baseline.assumptions)
    parameters: dict[str, float] = {}
    written: dict[str, float] = {}
    levers: dict[str, float] = {}
    periods: dict[str, Period] = {}
    point, n_draws, n_seed = "central", DEFAULT_DRAWS, DEFAULT_SEED
    for path, sc in reversed(chain):
        point = sc.point or point
        n_draws = sc.draws or n_draws
        n_seed = sc.seed if sc.seed is not None else n_seed
        for key, value in sc.parameters.items():
            if key in levers_known and key not in param_paths:
                levers[key] = get_unit(levers_known[key].unit).to_base(value)
                written[key] = value
                continue
            parameters[key] = get_unit(catalog.parameter(key).unit).to_base(value)
            written[key] = value
        for key, over in sc.assumptions.items():
            try:
                assumptions[key] = _override(assumptions[key], over)
            except ValueError as exc:
                raise DataError.single(path, f"assumptions.{key}", str(exc)) from None
        for key, pov in sc.periods.items():
            old = periods.get(key) or catalog.measure(key).period or Period()
            start = pov.start or old.start
            end = pov.end or old.end
            if start and end and end < start:
                raise DataError.single(
                    path, f"periods.{key}", f"period ends ({end}) before it starts ({start})"
                )
            periods[key] = Period(start=start, end=end, note=f"scenario {sc.name}")
    top = chain[0][1]
    return ResolvedScenario(
        name=top.name,
        title_zh=top.title_zh,
        title_en=top.title_en,
        description=top.description,
        chain=[sc.name for _, sc in chain],
        point=point,
        draws=draws or n_draws,
        seed=seed if seed is not None else n_seed,
        assumptions=assumptions,
        parameters=parameters,
        parameter_values=written,
        periods=periods,
        catalog=catalog,
        levers=levers,
        reference=top.reference,
        derived=dict(baseline.derived),
        constants=dict(baseline.constants),
        baseline_files=dict(baseline.files),
        factors=dict(baseline.factors),
    )


def fix_reading(a: Assumption, value: float) -> Assumption:
    """A discrete assumption held at one of its readings, with certainty: a fixed assumption of
    that value. Raises ValueError naming the readings when ``value`` is not one of them."""
    values = [c.value for c in a.choices]
    if float(value) not in values:
        readings = ", ".join(f"{c.value:g} ({c.reading[:40].strip()})" for c in a.choices)
        raise ValueError(f"{value:g} is not one of its readings: {readings}")
    return Assumption.model_validate(
        a.model_dump()
        | {"low": value, "central": value, "high": value, "distribution": "fixed", "choices": []}
    )


def _override(a: Assumption, over: float | AssumptionOverride) -> Assumption:
    if isinstance(over, AssumptionOverride):
        values = {k: v for k, v in over.model_dump().items() if v is not None}
    else:
        values = {"low": over, "central": over, "high": over}
    if a.distribution == "discrete" and len(set(values.values())) == 1 and len(values) == 3:
        # one number for a discrete assumption: that reading, with certainty
        return fix_reading(a, next(iter(values.values())))
    merged = a.model_dump() | values
    try:
        return Assumption.model_validate(merged)
    except ValidationError as exc:
        raise ValueError(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from None
