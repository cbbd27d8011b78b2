"""The funds' solvency: each social-insurance fund's income, spending, balance and months of cover
(可支付月数) for 2019-2022 under a scenario, with P5-P95 from the costing's own draws.

The funds and their assumptions are the ``solvency:`` block of ``data/baseline/funds.yaml``. For
a fund pooled at Jinan's level the 2019 income and spending grow each year at their drawn rates
(the path without the policy); the measures' class-A draws on the fund then lower its income (the
instruments named ``income_instruments``: relief and rate cuts) or raise its spending (refunds,
benefits), and the balance rolls forward from the end-2019 stock:

    balance(y) = balance(y-1) + income(y) - spending(y),  months of cover = balance / (spending / 12)

Same draws. A fund's 2019 income may be a derived quantity of the baseline (the contributions on
the insured wage bill at the rates in force in 2019): it is then computed from the ledger's own
draws of the wage bill and rates, the draws the relief is costed from, so what the measures forgo
never exceeds what would have been collected. A rate cut already in force in 2019 that a measure
only extends (a ``continuation``: clause 7's unemployment and work-injury cuts) is in that base
already: the path without the policy would have returned to the higher rate, and the extension
takes exactly that back, so its forgone income is not subtracted again (each measure's forgone
income is subtracted once, against a base at the rates then in force). What the measures pay
from a fund in 2020-22 that the documents do not hold is listed under the fund's ``excluded``.

A fund pooled at Jinan's level bears the whole of the measures' draws on it (its pooling level is
the stated assumption; the 'who pays' split weighs the other case in). A fund pooled higher up
shows instead Jinan's contribution to the pool's shortfall: what the measures take from it, year
by year. Each measure-fund row of the costing is split by year in the proportions of its central
cost by year. Series are summed a chunk of draws at a time and their quantiles streamed, as in
``financing.summarise``, so memory does not grow with the draws; central is the mean of the draws
(the point in a stress case). Amounts in 元.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError, Problem
from ..inputs.schemas import Assumption, Instrument
from ..inputs.schemas.baseline import Solvency
from ..units import did_you_mean, get_unit
from . import grid
from .montecarlo import CLASSES
from .montecarlo import stat_dict as _stats
from .sampling import DTYPE, draw, spec_of

YEARS = (2019, *grid.YEARS)
FIGURES = ("income", "spending", "balance", "months_of_cover")
MONEY_FIELDS = ("income_2019", "spending_2019", "balance_2019")
RATE_FIELDS = ("income_growth", "spending_growth")


@dataclass
class FundsSpec:
    """The ``solvency:`` block and the file it came from."""

    solvency: Solvency
    file: str


# --------------------------------------------------------------------------- loading


def load(
    data_dir: Path | str,
    assumptions: Mapping[str, Assumption],
    known_funds: list[str] | None = None,
    derived: Mapping | None = None,
) -> FundsSpec | None:
    """The ``solvency:`` block of ``data_dir/baseline`` (None when no file has one), checked:
    one block only, known instruments, fund names the measures pay from (``known_funds``), and
    assumptions that exist in the right units. Raises DataError with every problem."""
    from ..inputs.loader import parse_many, yaml_files

    files = yaml_files(Path(data_dir) / "baseline")
    parsed = parse_many(files, "baseline")
    found = [(str(f), bf.solvency) for f, bf in zip(files, parsed, strict=True) if bf.solvency]
    if not found:
        return None
    problems: list[Problem] = []
    if len(found) > 1:
        problems.append(
            Problem(found[1][0], "solvency", f"also given in {found[0][0]}; keep one block")
        )
    file, block = found[0]
    problems += check(block, file, assumptions, known_funds, derived)
    if problems:
        raise DataError(problems)
    return FundsSpec(block, file)


def check(
    block: Solvency,
    file: str,
    assumptions: Mapping[str, Assumption],
    known_funds: list[str] | None = None,
    derived: Mapping | None = None,
) -> list[Problem]:
    """Every problem of a ``solvency:`` block (a 2019 amount may name a derived quantity in 元,
    one of ``derived``)."""
    derived = derived or {}
    problems: list[Problem] = []
    instruments = [i.value for i in Instrument]
    for k, name in enumerate(block.income_instruments):
        if name not in instruments:
            problems.append(
                Problem(
                    file,
                    f"solvency.income_instruments[{k}]",
                    f"unknown instrument '{name}'" + did_you_mean(name, instruments),
                )
            )
    for fund, spec in block.funds.items():
        where = f"solvency.funds.{fund}"
        hint = "" if known_funds is None or fund in known_funds else did_you_mean(fund, known_funds)
        if hint:  # a fund no measure pays from is shown with its path alone; a near name is a slip
            problems.append(Problem(file, where, f"no measure is paid from '{fund}'" + hint))
        for field in (*MONEY_FIELDS, *RATE_FIELDS):
            name = getattr(spec, field)
            if name is None:
                continue
            if field in MONEY_FIELDS and name in derived:
                if derived[name].unit != "元":
                    problems.append(
                        Problem(
                            file,
                            f"{where}.{field}",
                            f"derived quantity '{name}' is in {derived[name].unit}, not 元",
                        )
                    )
                continue
            a = assumptions.get(name)
            if a is None:
                problems.append(
                    Problem(
                        file,
                        f"{where}.{field}",
                        f"unknown assumption '{name}'" + did_you_mean(name, assumptions),
                    )
                )
                continue
            want = "money" if field in MONEY_FIELDS else "rate"
            dim = get_unit(a.unit).dimension
            if dim != want:
                problems.append(
                    Problem(
                        file,
                        f"{where}.{field}",
                        f"assumption '{name}' is in {a.unit}, not "
                        + (
                            "an amount of money (元, 万元, 亿元)"
                            if want == "money"
                            else "a rate (%)"
                        ),
                    )
                )
    return problems


def known_funds(catalog) -> list[str]:
    """The funds the catalog's costed measures pay from."""
    from .financing import measure_funds

    return sorted({f for _, m in catalog.measures for f in measure_funds(m)})


# --------------------------------------------------------------------------- the arithmetic


def roll_forward(
    income_2019,
    spending_2019,
    balance_2019,
    income_growth,
    spending_growth,
    forgone,
    paid,
) -> dict[int, dict[str, object]]:
    """The fund's path, 2019-2022: for each year its income, spending, end-of-year balance and
    months of cover. ``forgone[k]`` and ``paid[k]`` are what the measures take from income and
    add to spending in year 2020 + k. Works on numbers or arrays of draws alike."""
    out: dict[int, dict[str, object]] = {}
    balance = balance_2019
    out[2019] = {
        "income": income_2019,
        "spending": spending_2019,
        "balance": balance,
        "months_of_cover": balance / (spending_2019 / 12.0),
    }
    for k, year in enumerate(grid.YEARS):
        t = year - 2019
        income = income_2019 * (1.0 + income_growth) ** t - forgone[k]
        spending = spending_2019 * (1.0 + spending_growth) ** t + paid[k]
        balance = balance + income - spending
        out[year] = {
            "income": income,
            "spending": spending,
            "balance": balance,
            "months_of_cover": balance / (spending / 12.0),
        }
    return out


# --------------------------------------------------------------------------- the summary


def summarise(result, spec: FundsSpec) -> list[dict]:
    """The ``funds`` list of ``cost --json``: for each fund of ``spec``, its pooling level and,
    by year, income, spending, balance and months of cover (a fund pooled at Jinan's level), or
    Jinan's contribution to the pool's shortfall (a fund pooled higher up), each as
    {central, p5, p50, p95} in 元 (months for months of cover). What the measures forgo and pay
    each year is read from the ledger's cells of the fund, draw by draw (each cell split by year
    along its own timing), and the fund's own assumptions are the ledger's draws of them."""
    L = result.ledger
    block = spec.solvency
    ids = list(result.costed.index)
    class_a = CLASSES.index("A")
    instrument = result.costed["instrument"]
    income_kinds = set(block.income_instruments)
    n_cells = len(L.cells)
    years = L.year_shares()  # (cells, 3)
    measure, fund_of = L.attribute("measure"), L.attribute("fund")
    is_a = L.attribute("class") == class_a

    sc = result.scenario
    # per fund: (years, cells) weights of what the measures forgo and pay, and the measures
    weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    members: dict[str, list[str]] = {}
    in_base: dict[str, list[str]] = {}
    for fund in block.funds:
        w_in = np.zeros((len(grid.YEARS), n_cells))
        w_out = np.zeros((len(grid.YEARS), n_cells))
        from_wage_bill = block.funds[fund].income_2019 in sc.derived  # at the 2019 rates
        if fund in L.fund_names:
            for c in np.flatnonzero(is_a & (fund_of == L.fund_names.index(fund))):
                mid = ids[int(measure[c])]
                if mid not in members.get(fund, []):
                    members.setdefault(fund, []).append(mid)
                lowers_income = instrument.get(mid) in income_kinds
                if lowers_income and from_wage_bill and _extends_a_cut_in_force(sc, mid):
                    if mid not in in_base.get(fund, []):
                        in_base.setdefault(fund, []).append(mid)
                    continue  # in the 2019 base at the cut rate: not subtracted again
                (w_in if lowers_income else w_out)[:, c] = years[c]
        weights[fund] = (w_in, w_out)
    local = [f for f, s in block.funds.items() if s.pooling_level == "municipal"]
    higher = [f for f in block.funds if f not in local]
    n_series = len(YEARS) * len(FIGURES) * len(local) + len(YEARS) * len(higher)
    # the cells each fund draws on (most cells pay from another fund), and their weights
    used: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for fund, (w_in, w_out) in weights.items():
        idx = np.flatnonzero((w_in != 0).any(axis=0) | (w_out != 0).any(axis=0))
        used[fund] = (idx, w_in[:, idx], w_out[:, idx], w_in[:, idx] + w_out[:, idx])
    # the share of draws below the threshold needs only a mean: summed apart, chunk by chunk
    below: dict[int, np.ndarray] = {}
    negative: dict[int, np.ndarray] = {}  # draws whose income is below zero, by fund and year

    from .bindings import derived_function

    names = {
        name
        for fs in block.funds.values()
        for name in (getattr(fs, f) for f in (*MONEY_FIELDS, *RATE_FIELDS))
        if name is not None
    }
    derived = {n: derived_function(sc, n) for n in sorted(names) if n in sc.derived}
    needed = (names - set(derived)) | {a for d in derived.values() for a in d.uses}
    specs = {n: spec_of(n, sc.assumptions[n], sc.point, sc.factors) for n in sorted(needed)}

    def value(name: str, chunk: int, n: int, drawn: dict):
        """The chunk's draws of a fund assumption: the ledger's own where the costing draws it
        too, else from the assumption's stream (the same numbers the ledger would draw); a derived
        quantity from those draws of what it reads (the wage bill the relief is costed on)."""
        if name in derived:
            d = derived[name]
            return d({a: value(a, chunk, n, drawn) for a in d.uses})
        if name in drawn:
            return drawn[name]
        if sc.stress_case:
            return specs[name].mode
        return draw(specs[name], n, result.seed, chunk)

    def path(fund: str, get, forgone, paid):
        s = block.funds[fund]
        return roll_forward(*(get(getattr(s, f)) for f in (*MONEY_FIELDS, *RATE_FIELDS)),
                            forgone, paid)  # fmt: skip

    def chunk_series(i: int) -> np.ndarray:
        chunk = L.chunks(i)
        drawn = L.chunks.values(i)
        n = chunk.shape[1]
        out = np.zeros((n_series, n), dtype=DTYPE)
        counts = np.zeros(len(YEARS) * len(local))
        short = np.zeros(len(YEARS) * len(local))
        s = 0
        for f, fund in enumerate(local):
            idx, w_in, w_out, _ = used[fund]
            rows = chunk[idx].astype(np.float64)
            p = path(fund, lambda name: value(name, i, n, drawn), w_in @ rows, w_out @ rows)
            threshold = block.funds[fund].threshold_months
            for k, y in enumerate(YEARS):
                for fig in FIGURES:
                    out[s] = p[y][fig]
                    s += 1
                counts[f * len(YEARS) + k] = np.count_nonzero(
                    np.asarray(p[y]["months_of_cover"]) < threshold
                )
                short[f * len(YEARS) + k] = np.count_nonzero(np.asarray(p[y]["income"]) < 0)
        below[i] = counts
        negative[i] = short
        for fund in higher:
            idx, _, _, w_both = used[fund]
            effect = w_both @ chunk[idx].astype(np.float64)
            s += 1  # 2019: nothing
            for k in range(len(grid.YEARS)):
                out[s] = effect[k]
                s += 1
        return out

    acc = L.chunk_quantiles(chunk_series, n_series)
    q, means = acc.result(), acc.means
    share_below = sum(below[i] for i in range(L.n_chunks)) / L.draws
    n_negative = sum(negative[i] for i in range(L.n_chunks))

    def entry(fund: str, years: dict, threshold, threshold_source, note) -> dict:
        fs = block.funds[fund]
        return {
            "fund": fund,
            "name_en": fs.name_en,
            "pooling_level": fs.pooling_level,
            "pooling_source": fs.pooling_source,
            "measures": members.get(fund, []),
            "years": years,
            "threshold_months": threshold,
            "threshold_source": threshold_source,
            "income_from_wage_bill": fs.income_2019 in sc.derived,
            "in_2019_base": in_base.get(fund, []),
            "excluded": list(fs.excluded),
            "note": note,
        }

    funds_out = []
    s = 0
    for f, fund in enumerate(local):
        fs = block.funds[fund]
        years = {}
        for k, y in enumerate(YEARS):
            item = {}
            for fig in FIGURES:
                item[fig] = _stats(means[s], q[s])
                s += 1
            central_months = item["months_of_cover"]["central"]
            item["below_threshold"] = bool(central_months < fs.threshold_months)
            item["share_of_draws_below_threshold"] = float(share_below[f * len(YEARS) + k])
            item["draws_with_negative_income"] = int(n_negative[f * len(YEARS) + k])
            years[str(y)] = item
        funds_out.append(entry(fund, years, fs.threshold_months, fs.threshold_source, fs.note))
    for fund in higher:
        fs = block.funds[fund]
        years = {}
        for y in YEARS:
            years[str(y)] = {"jinan_contribution_to_shortfall": _stats(means[s], q[s])}
            s += 1
        note = (
            f"pooled at {fs.pooling_level} level: Jinan's measures lower the pool's "
            "income or raise its spending by this much a year (its contribution to the "
            "pool's shortfall); the pool's own balance is not modelled"
        )
        funds_out.append(entry(fund, years, None, None, note))
    return funds_out


def _extends_a_cut_in_force(scenario, measure_id: str) -> bool:
    """Whether a measure continues a relief already in force in 2019 (its counterfactual status
    is ``continuation``): a fund's 2019 base at the rates then in force holds it already."""
    assert scenario.catalog is not None
    f = scenario.catalog.measure(measure_id).financing
    return f is not None and f.counterfactual.status == "continuation"


FUNDS_NOTE = (
    "funds: a fund pooled at Jinan's level shows income, spending and end-of-year balance (元) "
    "and months of cover (balance / monthly spending), 2019 the stated base and 2020-2022 its "
    "path without the policy less what the class-A measures forgo and plus what they pay; "
    "below_threshold compares the central months with threshold_months; a fund pooled higher up "
    "shows Jinan's contribution to the pool's shortfall. Central is the mean of the draws. Where "
    "income_from_wage_bill, the 2019 income is the contributions at the 2019 rates on the same "
    "draws of the insured wage bill as the relief; in_2019_base lists the rate cuts that only "
    "extend one in force in 2019 (in that base already, not subtracted again); excluded lists "
    "what the measures pay from the fund that the documents do not hold."
)
