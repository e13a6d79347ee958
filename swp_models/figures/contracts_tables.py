"""Chapter 5's page tables, key results and precomputed grids ("Paying a practice").

Everything here is built from the public model API of :mod:`swp_models.contracts`,
:mod:`swp_models.liability` and :mod:`swp_models.commissioning` on the chapter's simulated
years, and formatted for the page: the tables return :class:`swp_models.tables.Table`, the
grids and ``*_figures`` functions unformatted frames that the charts
(:mod:`swp_models.figures.contracts`) and the prose share. Grids and tables are cached
where the page reuses them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import commissioning, data, engine, liability, practice
from ..contracts import (
    BASES,
    Contract,
    CostAndVolume,
    CostSharing,
    OptimalShare,
    PracticeYears,
    ThresholdSharing,
    assumption,
    compare,
    council_expected_cost,
    default_contracts,
    effort_comparison,
    optimal_share,
    risk_premium,
    simulate_practice_years,
    simulated_optimal_share,
    skimming_gain,
    with_effort,
)
from ..contracts.comparison import effort_from_power, measured_power
from ..contracts.payments import contract_items
from ..costs import default_caseload, default_cost_model, total_cost_moments
from ..liability import SCOPE_LABELS, SCOPES, default_scope, failure_comparison, limited_liability
from ..scenario import Scenario, Simulation
from ..tables import Table
from ..validation import (
    check_effort_cost,
    check_in_range,
    check_instance,
    check_integer,
    check_nonnegative,
    check_one_of,
    check_positive,
    check_sequence,
    check_shares,
    check_size,
    check_work,
)

#: The most values one axis of a precomputed grid may take.
_MAX_GRID = 1_000


def _scn(scope: str = "placements", seed: int | None = None) -> Scenario:
    """The central scenario under ``scope`` (and another seed of the one sample, when given)."""
    check_one_of("scope", scope, SCOPES)
    scn = Scenario.central(scope=scope)
    return scn if seed is None else scn.replace(seed=check_integer("seed", seed, low=0))


def _sim() -> Simulation:
    return Scenario.central().simulation


def _table(scope: str = "placements") -> pd.DataFrame:
    return engine.table(_scn(scope))


def _years(scope: str = "placements", n_years: int | None = None, seed: int | None = None) -> PracticeYears:
    return engine.own_costs(_scn(scope, seed), n_years)


def _book(scope: str = "placements") -> dict[str, Contract]:
    return engine.book(_scn(scope))


def _reserves(scope: str = "placements", months: float | None = None) -> float:
    return engine.reserves(_scn(scope), months)


def scenario_card() -> Table:
    """The chapter's scenario box: the settings its prices rest on (both scopes shown side by side)."""
    return Scenario.central().card(rows=("scope", "price base", "contract term", "reserves", "shared yearly cost shock",
                             "risk tolerance", "effort cost k", "cost of a failure", "simulated practice-years"),
                       both_scopes=True)


def _defaults() -> dict[str, float]:
    scn = _scn()
    return {"risk_tolerance": scn.risk_tolerance, "effort_cost": scn.effort_cost}

__all__ = [
    # grids and unformatted figures
    "DESIGN_SHARES",
    "DESIGN_THRESHOLDS",
    "DESIGN_TOLERANCES",
    "DESIGN_BASES",
    "DESIGN_RESERVE_MONTHS",
    "FRONTIER_TOLERANCES",
    "FRONTIER_EFFORT_COSTS",
    "FRONTIER_SHARES",
    "SHOCK_CONTRACTS",
    "chapter_optimum",
    "skimming_table",
    "needs_mix_comparison",
    "shock_comparison",
    "surplus_histograms",
    "design_grid",
    "chapter_design_grid",
    "frontier_grid",
    "threshold_discounts",
    "scope_heading",
    "scope_figures",
    "service_cut_figures",
    "gaming_figures",
    "needs_mix_figures",
    "needs_mix_prose",
    # tables
    "key_results",
    "scenario_card",
    "scope_table",
    "contracts_table",
    "risk_table",
    "surplus_table",
    "failure_table",
    "shock_table",
    "incentive_table",
    "council_cost_table",
    "service_cut_table",
    "gaming_table",
    "council_side_table",
    "claims_table",
    "needs_mix_table",
]


#: Grid of the "design your contract" chart (the practice's share beyond the threshold; with the
#: thresholds, risk tolerances and baselines below).
DESIGN_SHARES: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(21))


#: Thresholds on the design chart, £ a year.
DESIGN_THRESHOLDS: tuple[float, ...] = (0.0, 25_000.0, 50_000.0, 100_000.0, 200_000.0)


#: Practice's risk tolerances on the design chart, £.
DESIGN_TOLERANCES: tuple[float, ...] = (100_000.0, 250_000.0, 500_000.0, 1_000_000.0)


#: How the baseline follows the year on the design chart (the names of :data:`swp_models.contracts.BASES`).
DESIGN_BASES: tuple[str, ...] = BASES


#: Reserves on the design chart, months of the practice's running cost.
DESIGN_RESERVE_MONTHS: tuple[float, ...] = (1.0, 3.0, 6.0)


#: Risk tolerances 1/r (£) on the trade-off chart (with the effort costs and shares below).
FRONTIER_TOLERANCES: tuple[float, ...] = (100_000.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0)


#: Effort costs k on the trade-off chart.
FRONTIER_EFFORT_COSTS: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0)


#: Practice's cost shares on the trade-off chart, 0 to 1.
FRONTIER_SHARES: tuple[float, ...] = tuple(round(0.025 * i, 3) for i in range(41))


def _chapter_optimum(scope: str) -> OptimalShare:
    return engine.optimum(_scn(scope))


def chapter_optimum(scope: str = "placements") -> OptimalShare:
    """The cost-and-volume share that minimises the council's expected cost, on the chapter's years under ``scope``."""
    check_one_of("scope", scope, SCOPES)
    return _chapter_optimum(scope)


@cached(maxsize=4)
def _skimming_table(scope: str, key: tuple) -> pd.DataFrame:
    model = default_cost_model()
    frames = []
    for name, contract in _book(scope).items():
        gains = skimming_gain(contract, model, default_caseload(), n_years=_sim().grid_years, seed=_sim().seed,
                              scope=default_scope(scope))
        gains.insert(0, "contract", name)
        gains["gain_average_child"] = gains["gain_extra_child"] - gains["gain_vs_average"]
        frames.append(gains)
    return pd.concat(frames, ignore_index=True)


def skimming_table(scope: str = "placements") -> pd.DataFrame:
    """:func:`~swp_models.contracts.skimming_gain` for every chapter contract under ``scope``, stacked.

    Columns ``contract``, ``group``, ``mean_cost``, ``gain_extra_child``,
    ``gain_vs_average`` and ``gain_average_child`` (the gain from one more child drawn
    from all referrals: the incentive to take on, or turn away, children), £ a year.
    """
    check_one_of("scope", scope, SCOPES)
    return _skimming_table(scope, _scn(scope).key()).copy()


@cached(maxsize=4)
def _needs_mix_comparison(n_years: int, seed: int, key: tuple) -> pd.DataFrame:
    from ..costs import needs_mix_models

    d = _defaults()
    r, k = d["risk_tolerance"], d["effort_cost"]  # r: the risk tolerance, £
    scope = default_scope("placements")
    reserves = _reserves("placements")
    term = int(assumption("contract_term_years"))
    rows = []
    for label, model in needs_mix_models().items():
        years = scope.apply(simulate_practice_years(model, default_caseload(), n_years, seed))
        contracts = default_contracts(model, scope=scope, years=years)
        block = {"Block": contracts["Block"]}
        fixed = compare(block, years, r).iloc[0]
        fail = failure_comparison(block, years, reserves, term_years=term, failure_cost=assumption("failure_cost"),
                                  risk_tolerance=r).iloc[0]
        effort = effort_comparison(contracts, years, r, k).set_index("contract")["council_cost_effort"].sort_values()
        totals = years.totals
        rows.append({
            "mix": label,
            "expected_cost": years.expected_total,
            "sd_cost": float(totals.std()),
            "block_p_loss": float(fixed["practice_p_loss"]),
            "block_p_fail_year": float(fail["p_fail_year"]),
            "block_risk_premium": float(fixed["risk_premium_exact"]),
            "optimal_share": optimal_share(float(totals.mean()), float(totals.var()), r, k),
            "cheapest_effort": str(effort.index[0]),
            "cheapest_effort_cost": float(effort.iloc[0]),
            "runner_up_gap": float(effort.iloc[1] - effort.iloc[0]),
        })
    return pd.DataFrame(rows)


def needs_mix_comparison(n_years: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """The chapter's headline figures under each needs mix of chapter 3, social work and placements in scope.

    For every mix of :func:`swp_models.costs.needs_mix_models` the practice-years are
    simulated afresh (same seed for every mix), the placements scope applied, and the
    chapter's contracts rebuilt on that mix (capitation rates and threshold baselines
    follow it) and priced with the chapter's risk aversion, effort cost and reserves
    (the central scenario's, :func:`swp_models.engine.reserves`). Cached.

    Parameters
    ----------
    n_years : int, default the scenario's ``grid_years``
        Simulated practice-years per mix, 1,000 to 100,000.
    seed : int, default the scenario's seed
        Seed of every mix's simulation, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per mix: ``mix`` (label); ``expected_cost`` (exact, £ a practice-year) and
        ``sd_cost`` (simulated, £); for the block contract ``block_p_loss`` (chance of a
        loss in a year), ``block_p_fail_year`` (chance the loss exceeds the reserves in a
        year) and ``block_risk_premium`` (exact CARA premium, unlimited liability, £ a
        year); ``optimal_share`` (the closed-form cost-sharing share that minimises the
        council's expected cost, :func:`~swp_models.contracts.optimal_share` on the simulated mean and variance);
        ``cheapest_effort`` (the contract with the lowest council cost once effort
        responds, :func:`~swp_models.contracts.effort_comparison`), ``cheapest_effort_cost`` (£ a year) and
        ``runner_up_gap`` (how much dearer the next cheapest is, £ a year).
    """
    n = check_integer("n_years", _sim().grid_years if n_years is None else n_years, low=1_000, high=_sim().n_years)
    s = _sim().seed if seed is None else check_integer("seed", seed, low=0)
    return _needs_mix_comparison(n, s, _scn().key()).copy()


#: Contracts the shock comparison shows (name prefixes of :func:`~swp_models.contracts.default_contracts`'s names).
SHOCK_CONTRACTS: tuple[str, ...] = ("Block", "Capitation by needs group", "Cost and volume", "Threshold at",
                                    "Full reimbursement")


def _shock_comparison(shock_cv: float, n_years: int | None, seed: int | None) -> pd.DataFrame:
    frames = []
    for scope in SCOPES:
        for label, cv in (("none", 0.0), ("shared", shock_cv)):
            scn = _scn(scope, seed).replace(shock_cv=cv)
            t = engine.table(scn, n_years)
            out = t[t["contract"].str.startswith(SHOCK_CONTRACTS)][
                ["contract", "practice_p_loss", "practice_sd_surplus", "risk_premium_exact", "council_sd_spend",
                 "p_fail_year", "absorbed"]].reset_index(drop=True)
            out.insert(0, "shock", label)
            out.insert(0, "scope", scope)
            out["shock_cv"] = cv
            frames.append(out)
    return pd.concat(frames, ignore_index=True)


def shock_comparison(shock_cv: float | None = None, *, n_years: int | None = None,
                     seed: int | None = None) -> pd.DataFrame:
    """Risk to practice and council without and with chapter 3's shared yearly cost shock, under both scopes.

    The shock multiplies every child's cost in a year by one lognormal factor of mean 1
    (:class:`swp_models.costs.CostModel`'s ``shock_cv``); the practice's own budget is fixed
    and not shocked. For each scope and each contract of :data:`SHOCK_CONTRACTS` the
    same children are priced without the shock and with it (:func:`swp_models.engine.table` with the
    scenario's ``shock_cv``: one factor a year on the same sample), the contracts rebuilt on each
    (:func:`~swp_models.contracts.default_contracts`) and priced with the chapter's risk aversion,
    reserves and contract term: the rows without the shock are the chapter's main tables.

    Parameters
    ----------
    shock_cv : float, optional
        Coefficient of variation of the shared yearly factor, in (0, 1]; default the
        assumption ``shared_shock_cv`` (:func:`swp_models.costs.default_shock_cv`).
    n_years : int, optional
        The first ``n_years`` of the sample, 1,000 to its size; default all of it.
    seed : int, default the scenario's seed
        Seed, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per scope, shock (``"none"`` or ``"shared"``) and contract: ``scope``,
        ``shock``, ``contract``, ``practice_p_loss``, ``practice_sd_surplus`` (£),
        ``risk_premium_exact`` (£ a year, unlimited liability), ``council_sd_spend`` (£),
        ``p_fail_year``, ``absorbed`` (£ a year) and ``shock_cv``.
    """
    from ..costs import default_shock_cv

    cv = default_shock_cv() if shock_cv is None else check_in_range("shock_cv", shock_cv, 0.0, 1.0, low_open=True)
    n = None if n_years is None else check_integer("n_years", n_years, low=1_000, high=_sim().n_years)
    s = None if seed is None else check_integer("seed", seed, low=0)
    return _shock_comparison(float(cv), n, s).copy()


def surplus_histograms(
    years: PracticeYears | None = None,
    contracts: Mapping[str, Contract] | None = None,
    *,
    limit: float = 1_200_000.0,
    width: float = 40_000.0,
) -> pd.DataFrame:
    """Distributions of the practice's surplus and of the council's spend, binned, per contract.

    Parameters
    ----------
    years : PracticeYears, optional
        Default :func:`swp_models.engine.own_costs` of the central scenario with placements in scope.
    contracts : mapping, optional
        Default :func:`swp_models.engine.book` for that scope.
    limit : float
        Bins cover ``[-limit, limit]``, £ (> 0); years beyond fall in the outer bins.
    width : float
        Bin width, £ (> 0, dividing ``2 limit`` into at most 400 bins).

    Returns
    -------
    pandas.DataFrame
        ``contract``, ``party`` ("Practice's surplus" or "Council's spend above E[C]"),
        ``low`` and ``high`` (bin edges, £), ``share`` (of practice-years in the bin).
    """
    lim = check_positive("limit", limit)
    w = check_positive("width", width)
    n_bins = int(round(2 * lim / w))
    if n_bins < 2 or n_bins > 400 or abs(n_bins * w - 2 * lim) > 1e-6 * lim:
        raise ValueError(f"width must divide 2 * limit into 2 to 400 bins; got width={width!r}, limit={limit!r}")
    yrs = _years() if years is None else check_instance("years", years, PracticeYears, "PracticeYears")
    items = contract_items(_book() if contracts is None else contracts)
    edges = np.linspace(-lim, lim, n_bins + 1)
    expected = yrs.expected_total
    rows = []
    for name, contract in items:
        pay = contract.payment(yrs)
        for party, values in (("Practice's surplus", pay - yrs.totals), ("Council's spend above E[C]", pay - expected)):
            idx = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, n_bins - 1)
            share = np.bincount(idx, minlength=n_bins) / values.size
            rows.append(pd.DataFrame({"contract": name, "party": party, "low": edges[:-1], "high": edges[1:],
                                      "share": share}))
    return pd.concat(rows, ignore_index=True)


@cached(maxsize=2)
def _chapter_design_grid(key: tuple) -> pd.DataFrame:
    return design_grid()


def chapter_design_grid() -> pd.DataFrame:
    """:func:`design_grid` with its defaults (cached: the page's chart and key results share it)."""
    return _chapter_design_grid(_scn().key()).copy()


def design_grid(
    shares: Sequence[float] = DESIGN_SHARES,
    thresholds: Sequence[float] = DESIGN_THRESHOLDS,
    tolerances: Sequence[float] = DESIGN_TOLERANCES,
    bases: Sequence[str] = DESIGN_BASES,
    *,
    scopes: Sequence[str] = SCOPES,
    reserve_months: Sequence[float] = DESIGN_RESERVE_MONTHS,
    effort_cost: float | None = None,
    n_years: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """:class:`~swp_models.contracts.CostSharing` contracts priced on a grid, for the static "design your contract" chart.

    Every combination of scope, share ``s``, threshold ``T``, basis and risk tolerance
    ``1/r`` is priced on the same ``n_years`` practice-years (default cost model and
    caseload, the scope applied).

    Returns
    -------
    pandas.DataFrame
        One row per combination: ``scope``, ``share``, ``threshold`` (£), ``basis``,
        ``tolerance`` (£), ``power``, ``effort``, ``sd_surplus``, ``p_loss``, for each
        reserve ``m`` of ``reserve_months`` the chance of failing in a year ``p_fail_m``
        and the council's expected absorbed loss ``absorbed_m`` (£ a year),
        ``surplus_p5`` (the 5% worst year), ``risk_premium`` (exact, costs fixed),
        ``admin_cost``, ``council_cost_fixed`` and ``council_cost_effort`` (as in
        :func:`~swp_models.contracts.effort_comparison`), all £ per practice-year except the shares.
        Administration: contract management, plus the cost audit unless ``s = 1`` and
        ``T = 0`` (nothing then depends on cost), plus the per-child needs assessment
        with the ``"needs"`` basis.
    """
    k = check_effort_cost("effort_cost", assumption("effort_cost") if effort_cost is None else effort_cost)
    grid_s = check_shares("shares", check_sequence("shares", shares, max_len=_MAX_GRID)).ravel()
    grid_t = [check_nonnegative("thresholds", t) for t in check_sequence("thresholds", thresholds, max_len=_MAX_GRID)]
    grid_tol = [check_in_range("tolerances", t, 1.0, None)
                for t in check_sequence("tolerances", tolerances, max_len=_MAX_GRID)]
    grid_b = [check_one_of("bases", b, BASES) for b in check_sequence("bases", bases, max_len=len(BASES))]
    grid_sc = [check_one_of("scopes", x, SCOPES) for x in check_sequence("scopes", scopes, max_len=len(SCOPES))]
    grid_m = [check_nonnegative("reserve_months", x)
              for x in check_sequence("reserve_months", reserve_months, max_len=_MAX_GRID)]
    n = check_size("n_years", _sim().grid_years if n_years is None else n_years, _sim().n_years, low=2)
    check_work(len(grid_sc) * len(grid_b) * len(grid_t) * grid_s.size * n,
               "scopes × bases × thresholds × shares × n_years")
    seed = None if seed is None else check_integer("seed", seed, low=0)
    manage, audit = assumption("admin_contract_management"), assumption("admin_cost_audit")
    assess = assumption("admin_needs_assessment")
    rows = []
    for scope in grid_sc:
        years = _years(scope, n, seed)
        reserves = {mo: _reserves(scope, mo) for mo in grid_m}
        rows += _design_rows(years, scope, grid_b, grid_t, grid_s, grid_tol, reserves, k, (manage, audit, assess))
    return pd.DataFrame(rows)


def _design_rows(years: PracticeYears, scope: str, grid_b: list, grid_t: list, grid_s: np.ndarray, grid_tol: list,
                 reserves: dict[float, float], k: float, admin_costs: tuple[float, float, float]) -> list[dict]:
    manage, audit, assess = admin_costs
    bumped = years.scaled(1.001)
    m = float(years.totals.mean())
    mean_count = float(years.counts.mean())
    rows = []
    for basis in grid_b:
        for t in grid_t:
            for s in grid_s:
                admin = manage + (0.0 if (s == 1.0 and t == 0.0) else audit)
                admin += assess * mean_count if basis == "needs" else 0.0
                c = CostSharing(share=float(s), threshold=t, basis=basis)
                pay = c.payment(years)
                surplus = pay - years.totals
                power = measured_power(c, years, bumped, pay)
                e = effort_from_power(c.label, power, k)
                surplus_e = c.surplus(with_effort(years, e))
                base = {
                    "scope": scope, "share": float(s), "threshold": t, "basis": basis, "power": power, "effort": e,
                    "sd_surplus": float(surplus.std()), "p_loss": float(np.mean(surplus < 0)),
                    "surplus_p5": float(np.percentile(surplus, 5)), "admin_cost": admin,
                }
                for mo, r in reserves.items():
                    split = limited_liability(surplus, r)
                    base[f"p_fail_{mo:g}"] = split.p_fail
                    base[f"absorbed_{mo:g}"] = split.expected_absorbed
                for tol in grid_tol:
                    rp = risk_premium(surplus, tol)
                    rp_e = risk_premium(surplus_e, tol)
                    rows.append(base | {
                        "tolerance": tol, "risk_premium": rp,
                        "council_cost_fixed": m + rp + admin,
                        "council_cost_effort": (1 - e) * m + k * e * e * m / 2 + rp_e + admin,
                    })
    return rows


def frontier_grid(
    tolerances: Sequence[float] = FRONTIER_TOLERANCES,
    effort_costs: Sequence[float] = FRONTIER_EFFORT_COSTS,
    shares: Sequence[float] = FRONTIER_SHARES,
    *,
    scope: str = "placements",
    n_years: int | None = None,
    seed: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficiency-versus-risk trade-off of cost-and-volume, on a grid of ``1/r`` and ``k``.

    Priced on the first years of :func:`swp_models.engine.own_costs` under ``scope`` (``"placements"`` or
    ``"social_work"``).

    Returns
    -------
    curves : pandas.DataFrame
        One row per tolerance, effort cost and share: ``tolerance`` (£), ``effort_cost``,
        ``share``, ``efficiency_gain`` (``e m - k e**2 m / 2``), ``risk_premium`` (exact,
        on the reduced costs), ``net_saving`` (their difference: what the council saves
        against full reimbursement, administration aside) and ``net_saving_closed_form``
        (the same from :func:`~swp_models.contracts.council_expected_cost`), all £ per practice-year.
    optima : pandas.DataFrame
        One row per tolerance and effort cost: ``closed_form_share``, ``simulated_share``,
        ``net_saving_at_optimum`` (simulated, £) and ``closed_form_saving`` (closed form at
        its own optimum, £).
    """
    grid = check_shares("shares", check_sequence("shares", shares, min_len=2, max_len=_MAX_GRID)).ravel()
    tolerances = [check_in_range("tolerances", t, 1.0, None)
                  for t in check_sequence("tolerances", tolerances, max_len=_MAX_GRID)]
    effort_costs = [check_effort_cost("effort_cost", k) for k in check_sequence("effort_costs", effort_costs, max_len=_MAX_GRID)]
    check_work(len(tolerances) * len(effort_costs) * grid.size * check_size("n_years", _sim().grid_years if n_years is None else n_years, _sim().n_years, low=2),
               "tolerances × effort_costs × shares × n_years")
    check_one_of("scope", scope, SCOPES)
    years = _years(scope, check_size("n_years", _sim().grid_years if n_years is None else n_years, _sim().n_years, low=2),
                   None if seed is None else check_integer("seed", seed, low=0))
    m = float(years.totals.mean())
    v = float(years.totals.var())
    curves, optima = [], []
    for tol in tolerances:
        r = check_in_range("tolerances", tol, 1.0, None)  # the risk tolerance, £
        for k in effort_costs:
            k = check_effort_cost("effort_cost", k)
            res = simulated_optimal_share(years, r, k, shares=grid)
            g = res.grid
            curves.append(pd.DataFrame({
                "tolerance": tol, "effort_cost": k, "share": g["share"],
                "efficiency_gain": m - g["expected_cost"] - g["effort_cost"],
                "risk_premium": g["risk_premium_exact"],
                "net_saving": m - g["council_cost"],
                "net_saving_closed_form": m - g["council_cost_closed_form"],
            }))
            s_cf = optimal_share(m, v, r, k)
            optima.append({
                "tolerance": tol, "effort_cost": k, "closed_form_share": s_cf, "simulated_share": res.share,
                "net_saving_at_optimum": m - res.council_cost,
                "closed_form_saving": m - council_expected_cost(s_cf, m, v, r, k),
            })
    return pd.concat(curves, ignore_index=True), pd.DataFrame(optima)


_MINUS = "\u2212\u2060"  # a minus sign that a line never breaks after


def _k(x: float) -> str:
    """£ thousands with the sign in front: ``-496289 -> '−£496k'``."""
    if abs(x) < 50:
        return "£0"
    if abs(x) < 9_950:
        return f"{_MINUS if x < 0 else ''}£{abs(x) / 1000:.1f}k"
    sign = _MINUS if x < -500 else ""
    return f"{sign}£{abs(x) / 1000:,.0f}k"


def _m(x: float) -> str:
    return f"£{x / 1e6:,.3f}m"


def _pct1(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pct(x: float) -> str:
    v = round(100 * x)
    return f"{v if v != 0 else 0:.0f}%"


_TERMS = {
    "Block": "A fixed sum each year",
    "Volume band": "A fixed sum for caseloads inside the band; each child outside it paid or deducted at the "
                   "variable cost of a child",
    "Capitation, flat rate": "The average cost of a child for each child in the practice",
    "Capitation by needs group": "The mean cost of each child's recorded needs group",
    "Full reimbursement": "Each child's actual cost (capitation at actual cost)",
    "Cost and volume": "A baseline, plus half of any overspend (less half of any underspend): the practice bears "
                       "half of either",
    "Two-way threshold": "As the threshold contract, but underspend beyond the threshold goes back to the council "
                           "(a cap on surplus, s.7)",
    "Threshold": "The practice bears overspend up to the threshold, the council the rest; the practice keeps any "
                 "underspend",
    "Reinsurance": "A fixed sum, plus every child's cost above a per-child threshold",
    "Outcome": "A fixed sum, plus a bonus for each child who keeps one social worker all year",
    "Mixed": "The cost-and-volume payment, plus the same bonus",
}


def threshold_discounts(scope: str = "placements") -> dict[str, float]:
    """How far below the expected cost each threshold contract's baseline is set so that it pays that cost on average.

    Returns ``{contract name: baseline_discount}`` (fractions of the expected cost) for the
    chapter's threshold contracts under ``scope``.
    """
    return {name: c.baseline_discount for name, c in _book(scope).items()
            if isinstance(c, ThresholdSharing)}


def contracts_table() -> Table:
    """The chapter's eleven contracts: family, how the payment is set, administration (£ a year)."""
    table = _table()
    terms = [next(v for k, v in _TERMS.items() if name.startswith(k)) for name in table["contract"]]
    frame = pd.DataFrame({
        "Contract": table["contract"], "Family (report s.6.1.6)": table["family"], "Payment": terms,
        "Administration (£ a year)": [_admin(x) for x in table["admin_cost"]],
    })
    first, second = (100 * v for v in threshold_discounts().values())
    return Table(frame, caption="The eleven contracts priced in this chapter",
                 notes="Every baseline is set so that each contract without a bonus pays the expected cost on average: "
                       "the expected cost itself, except the threshold contracts: the one-way threshold's baseline "
                       f"sits {first:.1f}% below it and the two-way one's {second:.1f}% (social work and placements), "
                       "because a practice that keeps more of a good year than it bears of a bad one would otherwise "
                       "be paid more than the cost on average. The two with a bonus pay the expected "
                       "bonus on top. Terms and administrative costs are assumptions.")


def scope_heading(scope: str) -> str:
    """The scope's name on the page with the pilots that used it, e.g. "Social work only (as in all but one pilot)".

    In the pilots "only one" practice held the placement budget (``data/pilots.csv``).
    """
    check_one_of("scope", scope, SCOPES)
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013"))
    one = "one pilot" if held == 1 else f"{held} pilots"
    pilots = f"as in all but {one}" if scope == "social_work" else f"as in {one}"
    return f"{SCOPE_LABELS[scope]} ({pilots})"


def _scoped(scope: str) -> str:
    """Caption prefix naming the scope."""
    return f"{scope_heading(scope)}: "


def risk_table(scope: str = "placements") -> Table:
    """Who bears which risk: the share of each part of cost variation falling on the practice."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Number of children": t["caseload"].map(_pct),
        "Needs groups (case mix)": t["case_mix"].map(_pct),
        "Cost within a needs group": t["within_group"].map(_pct),
        "All cost": t["overall"].map(_pct),
    })
    return Table(frame, caption=_scoped(scope) + "Who bears the risk: share of each part of the variation in cost that falls on the "
                                "practice",
                 notes="Coefficients of a regression of the practice's shortfall on the three parts of cost together "
                       "(all cost: on the total alone): 100% means every £ of a part falls on the practice, 0% that "
                       f"the council pays it all. {_sim().n_years:,} simulated years.")


def surplus_table(scope: str = "placements") -> Table:
    """The practice's surplus under each contract, and the risk premium it would charge (£ a year)."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Spread (sd)": t["practice_sd_surplus"].map(_k),
        "Chance of a loss": t["practice_p_loss"].map(_pct),
        "Worst year in 20": t["practice_surplus_p5"].map(_k),
        "Risk premium, variance only": t["risk_premium_approx"].map(_k),
        "Risk premium, exact": t["risk_premium_exact"].map(_k),
    })
    return Table(frame, caption=_scoped(scope) + "The practice's surplus and the risk premium it would charge (£ a year)",
                 notes="Risk tolerance 1/r = £250,000 (assumption). Worst year in 20: the 5th percentile of the "
                       f"surplus. {_sim().n_years:,} simulated years.")


def incentive_table(scope: str = "placements") -> Table:
    """The report's qualitative comparison as numbers: incentives and administration, per contract."""
    t = _table(scope).set_index("contract")
    sk = skimming_table(scope)
    gain = sk.pivot(index="contract", columns="group", values="gain_vs_average")
    one_more = sk.drop_duplicates("contract").set_index("contract")["gain_average_child"]
    names = list(t.index)
    frame = pd.DataFrame({
        "Contract": names,
        "Keeps of each £ saved": [_pct(t.loc[n, "power"]) for n in names],
        "Cost cut by effort": [f"{100 * t.loc[n, 'effort']:.1f}%" for n in names],
        "One more child": [_gbp_signed(one_more[n]) for n in names],
        "An easy child instead of an average one": [_gbp_signed(gain.loc[n, "no_additional_needs"]) for n in names],
        "A complex-needs child instead": [_gbp_signed(gain.loc[n, "complex_needs"]) for n in names],
        "Administration": [_admin(x) for x in t["admin_cost"]],
    })
    return Table(frame, caption=_scoped(scope) + "Incentives: what the practice keeps of a £ saved, and what taking or choosing a "
                                "child is worth to it (£ a year)",
                 notes="Effort at an effort cost k = 10 (assumption). Child gains: change in the practice's expected "
                       f"surplus; {_sim().grid_years:,} simulated years, paired across needs groups.")


def _gbp_signed(x: float) -> str:
    if abs(x) < 0.5:
        return "£0"
    return f"{_MINUS if x < 0 else '+'}£{abs(x):,.0f}"


def _admin(x: float) -> str:
    """An administrative cost to the nearest £100 (per-child costs vary with the simulated caseload)."""
    return f"£{round(x, -2):,.0f}"


def council_cost_table(scope: str = "placements") -> Table:
    """The council's expected total cost per contract, costs fixed and with the effort response (£ a year)."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Costs fixed: premium": t["risk_premium_exact"].map(_k),
        "Costs fixed: total": t["council_cost_fixed"].map(_m),
        "Effort: net saving": t["efficiency_gain"].map(_k),
        "Effort: premium": t["risk_premium_effort"].map(_k),
        "Effort: total": t["council_cost_effort"].map(_m),
        "Rank": t["council_cost_effort"].rank(method="min").astype(int).astype(str),
    })
    return Table(frame, caption=_scoped(scope) + "The council's expected total cost of each contract, with costs fixed and with the "
                                "practice's effort (£ a year)",
                 notes="Total: expected cost of the children, risk premium and administration, with terms set so that "
                       "the practice just accepts. Effort e = s/k cuts every cost by the fraction e at a cost "
                       "k e² E[C]/2 to the practice, which the council pays; net saving = cost saved minus that cost. "
                       "Rank: with effort, 1 = cheapest.")


def _claims(scope: str) -> list[tuple[str, str]]:
    """The report's claims (s.6.1.6) and what the simulation says of each under ``scope``."""
    t = _table(scope).set_index("contract")
    names = list(t.index)
    block, needs, full = names[0], "Capitation by needs group", "Full reimbursement"
    cv, thr, both, outcome, mixed = (next(n for n in names if n.startswith(p)) for p in
                                     ("Cost and volume", "Threshold at", "Two-way", "Outcome", "Mixed"))
    discount = threshold_discounts(scope)
    sk = skimming_table(scope).set_index(["contract", "group"])
    one_more = sk.xs("no_additional_needs", level="group")["gain_average_child"]
    opt = chapter_optimum(scope)
    cv_share = next(c.share for c in _book(scope).values() if isinstance(c, CostAndVolume))
    return [
        ("Block: the practice “bears the entire risk of variability in its caseload and of variability in the cost "
         "per child” and would charge a risk premium",
         f"It bears {_pct(t.loc[block, 'caseload'])} of both. Its chance of a loss in a year is "
         f"{_pct(t.loc[block, 'practice_p_loss'])}, its worst year in 20 {_k(t.loc[block, 'practice_surplus_p5'])}; "
         f"the risk premium is {_k(t.loc[block, 'risk_premium_exact'])} a year."),
        ("Block: a payment that includes “an additional contingency reserve”",
         f"A reserve that holds the chance of failing in a year to 1 in 20 is {_k(t.loc[block, 'reserve_1_in_20'])}"
         + (", several times a practice's likely reserves" if t.loc[block, "reserve_1_in_20"] > 2 * _reserves(scope)
            else "") +
         f"; with {assumption('reserve_months'):g} months' running cost it fails in "
         f"{_pct(t.loc[block, 'p_fail_year'])} of years and the council absorbs {_k(t.loc[block, 'absorbed'])} a "
         "year."),
        ("Block: an incentive “to reduce caseloads” and “the service provided for each child”",
         f"Each extra child lowers the practice's surplus by £{abs(one_more[block]):,.0f} a year; it keeps "
         f"{_pct(t.loc[block, 'power'])} of any £ saved."),
        ("Risk-adjusted capitation: “the risk is borne entirely by the local authority”",
         f"Only if the payment follows each child's actual cost (full reimbursement: "
         f"{_pct(t.loc[full, 'overall'])}). Paid by needs group, the practice bears "
         f"{_pct(t.loc[needs, 'caseload'])} of caseload and {_pct(t.loc[needs, 'case_mix'])} of case-mix risk but "
         f"{_pct(t.loc[needs, 'within_group'])} of the variation within groups (premium "
         f"{_k(t.loc[needs, 'risk_premium_exact'])})."),
        ("Risk-adjusted capitation: “little incentive to cut its costs”, and “substantial administrative costs”",
         f"True of full reimbursement: it keeps {_pct(t.loc[full, 'power'])} of a £ saved. Paid by needs group it "
         f"keeps {_pct(t.loc[needs, 'power'])}. The assumed assessment cost adds "
         f"{_k(t.loc[needs, 'admin_cost'] - t.loc[block, 'admin_cost'])} a year."),
        ("Cost and volume: risks shared and “a more satisfactory balance of positive and negative incentives”",
         f"At s = {cv_share:g} the practice bears "
         f"{_pct(t.loc[cv, 'overall'])} of all cost risk for a premium of {_k(t.loc[cv, 'risk_premium_exact'])} and "
         f"keeps {_pct(t.loc[cv, 'power'])} of a £ saved. The share that minimises the council's cost is "
         f"{opt.closed_form_share:.2f} (closed form), {opt.share:.2f} (simulated)."),
        ("Threshold: extra costs below the threshold “borne by the SWP and all those above by the local "
         "authority”, with “a similar arrangement” for underspends",
         (f"Leaving the practice every underspend pays it more than the cost on average unless the baseline is set "
          f"{100 * discount[thr]:.1f}% lower; returning underspend beyond the threshold (a cap on surplus, s.7) needs "
          f"{100 * discount[both]:.1f}%. The two-way version keeps {_pct(t.loc[both, 'power'])} of the incentive.")
         if discount[thr] >= 5e-4 else
         "The year's cost never moves as far as the threshold, so both threshold contracts are block contracts: the "
         "practice keeps every underspend and bears every overspend, and the baseline needs no adjustment."),
        ("Mixed outcome-based: the fixed amount “ensure[s] that, whatever happens to outcomes, the SWP remains in "
         "business”",
         f"A fixed base leaves all cost risk with the practice: chance of a loss "
         f"{_pct(t.loc[outcome, 'practice_p_loss'])}, premium {_k(t.loc[outcome, 'risk_premium_exact'])}. On a "
         f"cost-and-volume base: {_pct(t.loc[mixed, 'practice_p_loss'])} and "
         f"{_k(t.loc[mixed, 'risk_premium_exact'])}."),
    ]


def claims_table() -> Table:
    """What the report says about each kind of contract (s.6.1.6), and what the simulation says under each scope."""
    placements, social = _claims("placements"), _claims("social_work")
    frame = pd.DataFrame({
        "The report says (s.6.1.6)": [claim for claim, _ in placements],
        scope_heading("placements"): [says for _, says in placements],
        scope_heading("social_work"): [says for _, says in social],
    })
    return Table(frame, caption="The report's comparison of contracts, put to numbers under each scope",
                 notes=f"Quotations from Le Grand (2007) s.6.1.6. Default assumptions; {_sim().n_years:,} simulated years.")


def key_results() -> Table:
    """The chapter's key-results table, every figure computed from the model and its data.

    The fourth column names the labelled assumption that drives each figure.
    """
    from ..tables import key_results as table

    model = default_cost_model()
    load = default_caseload()
    moments = total_cost_moments(model, load)
    caseload_share = load.variance * model.mean**2 / moments.variance
    t = _table("placements").set_index("contract")
    w = _table("social_work").set_index("contract")
    names = list(t.index)
    block, thr = names[0], next(n for n in names if n.startswith("Threshold at"))
    fixed_best = t["council_cost_fixed"].idxmin()
    effort_best = t["council_cost_effort"].idxmin()
    effort_worst = t["council_cost_effort"].idxmax()
    opt = chapter_optimum()
    saving = float(_years().totals.mean()) - opt.council_cost
    sk = skimming_table().set_index(["contract", "group"])["gain_vs_average"]
    grid = chapter_design_grid()
    grid = grid[grid["tolerance"] == assumption("risk_tolerance")]
    basis_words = {"fixed": "fixed baseline", "caseload": "baseline following the number of children",
                   "needs": "baseline following needs groups"}

    def best_design(scope: str) -> str:
        g = grid[grid["scope"] == scope]
        b = g.loc[g["council_cost_effort"].idxmin()]
        thresh = "" if b["threshold"] == 0 else f", all of the first £{b['threshold']:,.0f} over or under"
        return f"{basis_words[b['basis']]}, practice's share {b['share']:.2f}{thresh}: {_m(b['council_cost_effort'])}"

    scopes = {name: _years(name) for name in SCOPES}
    sc = default_scope("placements")
    margin = sc.flat_rate(model, load) - sc.marginal_cost(model)
    years_p = scopes["placements"]
    undiscounted = replace(_book()[thr], baseline_discount=0.0)
    thr_unbalanced = float(undiscounted.payment(years_p).mean())
    outcome = commissioning.service_cuts(t["effort"].to_numpy(), float(t["expected_cost_fixed"].iloc[0]),
                                         years_p.expected_count)["outcome_cost"]
    with_outcomes = t["council_cost_effort"] + outcome
    cut_best = with_outcomes.idxmin()
    upcode = commissioning.upcoding_cost(_book()["Capitation by needs group"], years_p)
    s = practice.summary()
    side = commissioning.council_side(s["running_cost"], s["out_of_scope"] * practice.PracticeDesign().caseload)
    total = side.set_index("item").loc["Total"]
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013"))
    term = int(assumption("contract_term_years"))
    months = assumption("reserve_months")
    from ..costs import default_shock_cv, shock_exceedance

    shock = shock_comparison()
    shock_block = shock[(shock["scope"] == "placements") & (shock["contract"] == "Block")].sort_values("shock_cv")
    sim = f"simulated, {_sim().n_years:,} practice-years"
    spread = "within-group cost spread (chapter 3)"
    rtol = "risk tolerance £250,000"
    return table(
        [
            ("Expected cost of a practice's year, 100 ± 10 children: social work and placements; social work only",
             f"{_m(scopes['placements'].expected_total)} (sd {_k(float(scopes['placements'].totals.std()))}); "
             f"{_m(scopes['social_work'].expected_total)} (sd {_k(float(scopes['social_work'].totals.std()))})",
             "chapter 3 costs, chapter 4 budget; draft contract Art. 4",
             f"{spread}; variable social-work cost £{assumption('social_work_variable_cost'):,.0f} a child"),
            ("Pilots that held the placement budget", "only one" if held == 1 else f"{held}",
             "Community Care (2013)"),
            ("Share of the variance of the children's cost due to their number", _pct(caseload_share),
             "chapter 3 cost model, exact", "caseload spread evenly over 90 to 110 children"),
            ("Margin a per-child rate that includes staff pays on each extra child", f"£{margin:,.0f} a year",
             "chapter 4 budget, fixed between 90 and 110 children"),
            ("Block contract, social work and placements: chance of a loss; worst year in 20",
             f"{_pct(t.loc[block, 'practice_p_loss'])}; {_k(t.loc[block, 'practice_surplus_p5'])}", sim, spread),
            (f"Block contract: chance the practice fails in a year; within a {term}-year term "
             "(social work and placements; social work only)",
             f"{_pct(t.loc[block, 'p_fail_year'])}; {_pct(t.loc[block, 'p_fail_term'])} "
             f"({_pct(w.loc[block, 'p_fail_year'])}; {_pct(w.loc[block, 'p_fail_term'])})", sim,
             f"reserves of {months:g} months' running cost"),
            ("Block contract, social work and placements: losses the council absorbs when the practice fails",
             f"{_k(t.loc[block, 'absorbed'])} a year", sim, f"reserves of {months:g} months' running cost"),
            ("Risk premium a practice would charge for a block contract: unlimited; limited liability",
             f"{_k(t.loc[block, 'risk_premium_exact'])}; {_k(t.loc[block, 'risk_premium_limited'])} a year",
             sim, f"{rtol}; reserves"),
            ("Threshold contract: average payment with its baseline at the expected cost; as priced here",
             f"{_m(thr_unbalanced)}; {_m(float(t.loc[thr, 'council_mean_spend']))} (baseline "
             f"{100 * _book()[thr].baseline_discount:.1f}% lower)", sim),
            ("Cheapest for the council with costs fixed", f"{fixed_best}, {_m(t.loc[fixed_best, 'council_cost_fixed'])}",
             sim, rtol),
            ("Cheapest once the practice's effort responds to its incentive; dearest",
             f"{effort_best}, {_m(t.loc[effort_best, 'council_cost_effort'])}; "
             f"{effort_worst.lower()}, {_m(t.loc[effort_worst, 'council_cost_effort'])}",
             sim, f"effort cost {assumption('effort_cost'):g}; {rtol}"),
            ("Cheapest once half of every saving is a service cut that moves children",
             f"{cut_best}, {_m(with_outcomes[cut_best])}", sim,
             "share of service cuts; cost of a placement move"),
            ("Cost-and-volume share that minimises the council's cost: closed form; simulated",
             f"{opt.closed_form_share:.2f}; {opt.share:.2f}", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Council's saving at that share against full reimbursement, administration aside",
             f"{_k(saving)} a year", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Gain from choosing a child with no additional needs over an average referral: block or flat "
             "capitation; capitation by needs group",
             f"{_gbp_signed(sk[(block, 'no_additional_needs')])} a year; "
             f"{_gbp_signed(sk[('Capitation by needs group', 'no_additional_needs')])}",
             f"simulated, {_sim().grid_years:,} practice-years"),
            ("Capitation by needs group: council's extra cost if one child in ten is recorded a group higher",
             f"{_k(upcode)} a year", "needs-group rates", "share recorded higher"),
            ("Council's own yearly cost of contracting out (commissioning, paying twice, stranded overheads, managing)",
             f"{_k(total['central'])} ({_k(total['low'])} to {_k(total['high'])})", "computed",
             "commissioning and overhead assumptions"),
            ("Cheapest design on the chapter's grid: social work and placements",
             best_design("placements"), f"cost-sharing grid, {_sim().grid_years:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
            ("Cheapest design on the chapter's grid: social work only",
             best_design("social_work"), f"cost-sharing grid, {_sim().grid_years:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
            ("Shared yearly cost shock, social work and placements: block contract's risk premium; chance of "
             "failing in a year (without; with the shock)",
             f"{_k(shock_block['risk_premium_exact'].iloc[0])}; {_k(shock_block['risk_premium_exact'].iloc[1])} "
             f"({_pct(shock_block['p_fail_year'].iloc[0])}; {_pct(shock_block['p_fail_year'].iloc[1])})",
             f"simulated, {_sim().n_years:,} practice-years, the same with and without the shock", f"shared shock {100 * default_shock_cv():.0f}%; {rtol}"),
            ("Council's pooling floor: chance its cost per child runs over 10% however many children it pools",
             _pct1(shock_exceedance(default_shock_cv(), 0.10)), "chapter 3 cost model, exact",
             f"shared shock {100 * default_shock_cv():.0f}%"),
        ],
        caption="Key results: paying a practice of 100 children (default assumptions)",
    )


# ---------------------------------------------------------------------------------------
# Tables: scope, failure, service cuts, exit and upcoding, the council's side
# ---------------------------------------------------------------------------------------


def _gbp(x: float) -> str:
    return _gbp_signed(x).replace("+", "")


def scope_figures() -> pd.DataFrame:
    """What each scope puts on the practice: one row per scope, numbers unformatted.

    Columns ``scope``, ``label``, ``expected`` (£ a year), ``fixed`` (the practice's
    budget, £ a year), ``variable_per_child`` (£ a child a year), ``sd`` (£ a year) and
    ``margin`` (what a flat per-child rate that pays the expected total gives the practice
    on each extra child, £ a year).
    """
    rows = []
    model = engine.children(_scn()).cost_model
    for name in liability.SCOPES:
        sc = liability.default_scope(name)
        years = _years(name)
        rate = sc.flat_rate(model, years.caseload)
        rows.append({"scope": name, "label": sc.label, "expected": years.expected_total, "fixed": sc.fixed_cost,
                     "variable_per_child": sc.marginal_cost(model), "sd": float(years.totals.std()),
                     "margin": rate - sc.marginal_cost(model)})
    return pd.DataFrame(rows)


def scope_table() -> Table:
    """The two scopes side by side: what the practice pays for and how uncertain it is."""
    f = scope_figures()
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013"))
    frame = pd.DataFrame({
        "What the practice pays for": f["label"],
        "Expected cost (a year)": f["expected"].map(_m),
        "of which fixed (its own budget)": f["fixed"].map(_k),
        "Variable cost of one more child": f["variable_per_child"].map(lambda x: f"£{x:,.0f}"),
        "Spread of the year's cost (sd)": f["sd"].map(_k),
        "Margin a flat per-child rate pays on one more child": f["margin"].map(lambda x: f"£{x:,.0f}"),
    })
    return Table(frame, caption="Who holds the placement budget: the two scopes of a contract",
                 notes="Social work only: chapter 4's running cost plus a variable cost that follows each child's "
                       "needs (assumption). Social work and placements: chapter 4's running cost plus each child's "
                       "cost of care less the practice's staff cost already inside it. In the pilots, "
                       f"{'only one' if held == 1 else held} held the placement budget (Community Care, 2013). "
                       f"{_sim().n_years:,} simulated years.")


def failure_table(scope: str = "placements") -> Table:
    """Each contract's chance of ending the practice, and what the council then absorbs (£ a year)."""
    t = _table(scope)
    term = int(assumption("contract_term_years"))
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Fails in a year": t["p_fail_year"].map(_pct),
        f"Fails within a {term}-year term": t["p_fail_term"].map(_pct),
        "Council absorbs (a year)": t["absorbed"].map(_k),
        "Reserves for a 1-in-20 chance of failing": t["reserve_1_in_20"].map(_k),
        "Risk premium: unlimited; limited liability": [f"{_k(a)}; {_k(b)}" for a, b in
                                                       zip(t["risk_premium_exact"], t["risk_premium_limited"])],
        "Council's total, limited liability": t["council_cost_limited"].map(_m),
    })
    months = assumption("reserve_months")
    return Table(frame, caption=f"{scope_heading(scope)}: failure, and the losses that fall back on the "
                                "council",
                 notes=f"Reserves of {months:g} months of the practice's running cost, "
                       f"{_k(_reserves(scope))} (assumption). A year's loss beyond them ends the "
                       "practice (Art. 8: insolvency) and the council absorbs the rest; over a term, surpluses add to "
                       f"the reserves and losses draw them down. Council's total: expected cost, the premium a "
                       f"practice with limited liability charges, administration and a one-off "
                       f"{_k(assumption('failure_cost'))} per failure (assumption), costs fixed. "
                       f"{_sim().n_years:,} simulated years.")


def service_cut_figures(scope: str = "placements") -> pd.DataFrame:
    """Per contract: the effort's cut, its service part, the placement moves and their outcome cost (unformatted)."""
    t = _table(scope)
    n = _years(scope).expected_count
    cuts = commissioning.service_cuts(t["effort"].to_numpy(), float(t["expected_cost_fixed"].iloc[0]), n)
    out = pd.DataFrame({"contract": t["contract"], "effort": t["effort"], "cut": cuts["cut"],
                        "service": cuts["service"], "moves_per_100": cuts["moves_per_100"],
                        "outcome_cost": cuts["outcome_cost"], "council_cost_effort": t["council_cost_effort"]})
    out["with_outcomes"] = out["council_cost_effort"] + out["outcome_cost"]
    return out


def service_cut_table(scope: str = "placements") -> Table:
    """Efficiency against service cuts: the council's cost once the outcome cost of cuts is counted."""
    f = service_cut_figures(scope)
    frame = pd.DataFrame({
        "Contract": f["contract"],
        "Cost cut (a year)": f["cut"].map(_k),
        "of which service cuts": f["service"].map(_k),
        "Extra placement moves a year, per 100 children": f["moves_per_100"].map(lambda x: f"{x:.1f}"),
        "Outcome cost of the moves": f["outcome_cost"].map(_k),
        "Council's total with effort: cost only; counting outcomes": [
            f"{_m(a)}; {_m(b)}" for a, b in zip(f["council_cost_effort"], f["with_outcomes"])],
        "Rank counting outcomes": f["with_outcomes"].rank(method="min").astype(int).astype(str),
    })
    a = assumption
    return Table(frame, caption=f"{scope_heading(scope)}: effort that cuts the service",
                 notes=f"Assumptions: {100 * a('service_cut_share'):.0f}% of every cut is a service cut; each "
                       f"£{a('cut_per_placement_move'):,.0f} of service cut brings one more placement move, valued at "
                       f"£{a('placement_move_cost'):,.0f}. Effort cost k = {a('effort_cost'):g} (assumption). "
                       "Rank: 1 = cheapest.")


def gaming_figures(scope: str = "placements") -> pd.DataFrame:
    """Per contract: gains from handing back a child and from recording a child one group higher (unformatted)."""
    years = _years(scope, _sim().grid_years)
    model = years.cost_model
    top = len(model.components) - 1
    costly = float(model.quantile(0.99))
    rows = []
    for name, c in _book(scope).items():
        up = commissioning.upcoding_gain(c, years)
        rows.append({
            "contract": name,
            "exit_average": float(sum(w * commissioning.exit_gain(c, years, k, float(mean)) for k, (w, mean) in
                                      enumerate(zip(model.component_weights, model.component_means)))),
            "exit_costly": commissioning.exit_gain(c, years, top, costly),
            "upcode_low": up[model.groups[0]], "upcode_mid": up[model.groups[1]],
            "upcoding_cost": commissioning.upcoding_cost(c, years),
        })
    return pd.DataFrame(rows)


def gaming_table(scope: str = "placements") -> Table:
    """The channels the report leaves open: exit (handing a child back) and upcoding (£ a year)."""
    f = gaming_figures(scope)
    years = _years(scope, _sim().grid_years)
    costly = float(years.cost_model.quantile(0.99))
    share = assumption("upcoding_share")
    frame = pd.DataFrame({
        "Contract": f["contract"],
        "Hands back a child of average needs and cost": f["exit_average"].map(_gbp_signed),
        "Hands back one of the costliest 1 in 100": f["exit_costly"].map(_gbp_signed),
        "Records a child one group higher": [
            "£0" if a == 0 and b == 0 else f"+£{a:,.0f} or +£{b:,.0f}" for a, b in zip(f["upcode_low"], f["upcode_mid"])],
        f"Council's cost if {100 * share:.0f}% are recorded higher": f["upcoding_cost"].map(_k),
    })
    return Table(frame, caption=f"{scope_heading(scope)}: what exit and classification are worth to the "
                                "practice (£ a year)",
                 notes="Gain to the practice's expected surplus. Handing back: the child's variable cost saved less "
                       f"the payment lost; the costliest 1 in 100 children cost over £{costly:,.0f} a year. Recording "
                       "higher: from no additional needs to emotional, behavioural or offending needs, or from those "
                       f"to complex needs. Share recorded higher: assumption. {_sim().grid_years:,} simulated "
                       "years.")


def shock_table() -> Table:
    """Chapter 3's shared yearly cost shock: the practice's and the council's risk without and with it, both scopes."""
    from .. import costs

    f = shock_comparison()
    cv = float(f["shock_cv"].max())
    wide = f[f["shock"] == "none"].merge(f[f["shock"] == "shared"], on=["scope", "contract"], suffixes=("", "_s"))

    def pair(column: str, fmt) -> list[str]:  # noqa: ANN001 - a formatter
        return [f"{fmt(a)}; {fmt(b)}" for a, b in zip(wide[column], wide[column + "_s"])]

    frame = pd.DataFrame({
        "Pays for": wide["scope"].map(liability.SCOPE_LABELS),
        "Contract": wide["contract"],
        "Practice: spread of surplus (sd)": pair("practice_sd_surplus", _k),
        "Practice fails in a year": pair("p_fail_year", _pct),
        "Practice's risk premium": pair("risk_premium_exact", _k),
        "Council: spread of spend (sd)": pair("council_sd_spend", _k),
    })
    floor = costs.shock_exceedance(cv, 0.10)
    return Table(frame, caption="The shared yearly cost shock: each pair is without; with the shock (£ a year)",
                 notes=f"A shock of {100 * cv:.0f}% (coefficient of variation; assumption, 2% to 10%, chapter 3) "
                       "multiplies every child's cost in a year; the practice's own budget is fixed. Pooling does not "
                       "remove it: however many children a council pools, the shock alone takes its cost per child "
                       f"more than 10% over the expected in {100 * floor:.1f}% of years. Reserves "
                       f"{_k(_reserves())}; risk tolerance £250,000 (assumptions). "
                       f"The same {_sim().n_years:,} simulated years for each scope, with and without the shock.")


def council_side_table() -> Table:
    """The council's yearly cost of contracting out, on top of the contract (low, central, high)."""
    s = practice.summary()
    n = practice.PracticeDesign().caseload
    f = commissioning.council_side(s["running_cost"], s["out_of_scope"] * n)
    frame = pd.DataFrame({
        "Item": f["item"],
        "Low": f["low"].map(_k), "Central": f["central"].map(_k), "High": f["high"].map(_k),
    })
    kept = "; ".join(commissioning.RETAINED_FUNCTIONS)
    term = assumption("contract_term_years")
    return Table(frame, caption="The council's side: what contracting out adds each year (£ a year)",
                 notes=f"One-off costs spread over a {term:g}-year term. Every figure is an assumption with a range, "
                       "and the columns take every one at its low, central or high value. Stranded overheads: a share "
                       "of a council overhead taken equal to the practice's own overheads the census leaves out. "
                       f"Kept by the council whoever holds the children, and so not counted: {kept}.")


def needs_mix_figures() -> pd.DataFrame:
    """:func:`needs_mix_comparison` at its defaults (unformatted; see there for the columns)."""
    return needs_mix_comparison()


def needs_mix_table() -> Table:
    """The chapter's headline figures under each of chapter 3's needs mixes (social work and placements)."""
    f = needs_mix_figures()
    frame = pd.DataFrame({
        "Needs mix (chapter 3)": f["mix"],
        "Expected cost (sd) a year": [f"{_m(a)} ({_k(b)})" for a, b in zip(f["expected_cost"], f["sd_cost"])],
        "Block: chance of a loss in a year": f["block_p_loss"].map(_pct),
        "Block: chance of failing in a year": f["block_p_fail_year"].map(_pct),
        "Block: risk premium (a year)": f["block_risk_premium"].map(_k),
        "Practice's share that minimises the council's cost": f["optimal_share"].map(lambda x: f"{x:.2f}"),
        "Cheapest once effort responds (next cheapest dearer by)": [
            f"{name}, {_m(cost)} ({_k(gap)})" for name, cost, gap in
            zip(f["cheapest_effort"], f["cheapest_effort_cost"], f["runner_up_gap"])],
    })
    months = assumption("reserve_months")
    return Table(frame, caption="Social work and placements: how the results change with the needs mix",
                 notes="Each mix as chapter 3 shows it (assumptions there); contracts rebuilt on each mix, so "
                       "capitation rates follow it. Reserves of "
                       f"{months:g} months' running cost, {_k(_reserves())}; risk premium with "
                       "unlimited liability, risk tolerance £250,000; share: closed form, effort cost "
                       f"{assumption('effort_cost'):g} (assumptions). {_sim().grid_years:,} simulated "
                       "years per mix, the same seed for every mix.")


def needs_mix_prose() -> dict[str, str]:
    """Numbers the chapter's prose quotes from :func:`needs_mix_table`, as glue names and formatted text."""
    f = needs_mix_figures()

    def span(column: str, fmt) -> str:  # noqa: ANN001 - a formatter
        return f"{fmt(f[column].min())} to {fmt(f[column].max())}"

    return {
        "ch5_mix_expected": span("expected_cost", _m),
        "ch5_mix_premium": span("block_risk_premium", _k),
        "ch5_mix_loss": span("block_p_loss", _pct),
        "ch5_mix_fail": span("block_p_fail_year", _pct),
        "ch5_mix_share": span("optimal_share", lambda x: f"{x:.2f}"),
        "ch5_mix_cheapest": " and ".join(f"“{name}” under {n} of the {len(f)}" for name, n in
                                         f["cheapest_effort"].value_counts().items()),
    }


