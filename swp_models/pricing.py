"""Chapter 5's priced comparisons beyond the engine's per-contract table: design and trade-off grids, the
needs mixes, the shared yearly shock, skimming, exit and upcoding, service cuts and surplus histograms.

Every function here prices contracts on the children of :mod:`swp_models.engine` (its one sample, or
a prefix of it; for another needs mix, the engine's sample of that mix) with the settings of a
:class:`~swp_models.scenario.Scenario`, so its figures are those of the engine's tables on the same
children. The page modules (:mod:`swp_models.figures`) format these frames; they price nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import assumptions, commissioning, engine
from .assumptions import cached
from .contracts import (
    BASES,
    Contract,
    CostSharing,
    OptimalShare,
    PracticeYears,
    assumption,
    compare,
    council_expected_cost,
    default_contracts,
    effort_comparison,
    optimal_share,
    risk_premium,
    simulated_optimal_share,
    skimming_gain,
    with_effort,
)
from .contracts import council
from .contracts.comparison import effort_from_power, measured_power
from .contracts.liability import SCOPES, failure_comparison, limited_liability
from .contracts.payments import contract_items
from .costs import default_caseload, default_cost_model
from .scenario import Scenario, Simulation
from .validation import (
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

__all__ = [
    "DESIGN_SHARES", "DESIGN_THRESHOLDS", "DESIGN_TOLERANCES", "DESIGN_BASES", "DESIGN_RESERVE_MONTHS",
    "FRONTIER_TOLERANCES", "FRONTIER_EFFORT_COSTS", "FRONTIER_SHARES", "SHOCK_CONTRACTS",
    "chapter_optimum", "skimming_table", "needs_mix_comparison", "shock_comparison", "surplus_histograms",
    "design_grid", "chapter_design_grid", "frontier_grid", "service_cut_figures", "gaming_figures",
    "unbalanced_threshold_payment", "upcoding_cost", "scenario", "coin_flip_premium", "overhead_range",
]

#: The most values one axis of a precomputed grid may take.
_MAX_GRID = 1_000


def scenario(scope: str = "placements", seed: int | None = None) -> Scenario:
    """The central scenario under ``scope`` (and another seed of the one sample, when given): the chapter's."""
    check_one_of("scope", scope, SCOPES)
    scn = Scenario.central(scope=scope)
    return scn if seed is None else scn.replace(seed=check_integer("seed", seed, low=0))


def _sample() -> Simulation:
    return Scenario.central().simulation


def _years(scope: str = "placements", n_years: int | None = None, seed: int | None = None) -> PracticeYears:
    return engine.own_costs(scenario(scope, seed), n_years)


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
    return engine.optimum(scenario(scope))


def chapter_optimum(scope: str = "placements") -> OptimalShare:
    """The cost-and-volume share that minimises the council's expected cost, on the chapter's years under ``scope``."""
    check_one_of("scope", scope, SCOPES)
    return _chapter_optimum(scope)


@cached(maxsize=4)
def _skimming_table(scope: str, key: tuple) -> pd.DataFrame:
    model = default_cost_model()
    frames = []
    for name, contract in engine.book(scenario(scope)).items():
        gains = skimming_gain(contract, model, default_caseload(), n_years=_sample().grid_years, seed=_sample().seed,
                              scope=engine.scope(scenario(scope)))
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
    return _skimming_table(scope, scenario(scope).key()).copy()


@cached(maxsize=4)
def _needs_mix_comparison(n_years: int, seed: int, key: tuple) -> pd.DataFrame:
    from .costs import needs_mix_models

    scn = scenario("placements", seed)
    r, k = scn.risk_tolerance, scn.effort_cost  # r: the risk tolerance, £
    scope = engine.scope(scn)
    reserves = engine.reserves(scn)
    term = scn.term_years
    rows = []
    for label, model in needs_mix_models().items():
        years = scope.apply(engine.mix_children(scn, label, n_years))
        contracts = default_contracts(model, scope=scope, years=years)
        block = {"Block": contracts["Block"]}
        fixed = compare(block, years, r).iloc[0]
        fail = failure_comparison(block, years, reserves, term_years=term, failure_cost=scn.failure_cost,
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
    n = check_integer("n_years", _sample().grid_years if n_years is None else n_years, low=1_000, high=_sample().n_years)
    s = _sample().seed if seed is None else check_integer("seed", seed, low=0)
    return _needs_mix_comparison(n, s, scenario().key()).copy()


#: Contracts the shock comparison shows (name prefixes of :func:`~swp_models.contracts.default_contracts`'s names).
SHOCK_CONTRACTS: tuple[str, ...] = ("Block", "Capitation by needs group", "Cost and volume", "Threshold at",
                                    "Full reimbursement")


def _shock_comparison(shock_cv: float, n_years: int | None, seed: int | None) -> pd.DataFrame:
    frames = []
    for scope in SCOPES:
        for label, cv in (("none", 0.0), ("shared", shock_cv)):
            scn = scenario(scope, seed).replace(shock_cv=cv)
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
    from .costs import default_shock_cv

    cv = default_shock_cv() if shock_cv is None else check_in_range("shock_cv", shock_cv, 0.0, 1.0, low_open=True)
    n = None if n_years is None else check_integer("n_years", n_years, low=1_000, high=_sample().n_years)
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
        ``contract``, ``party`` ("Practice's surplus" or "Council's overspend": its spend above E[C]),
        ``low`` and ``high`` (bin edges, £), ``share`` (of practice-years in the bin).
    """
    lim = check_positive("limit", limit)
    w = check_positive("width", width)
    n_bins = int(round(2 * lim / w))
    if n_bins < 2 or n_bins > 400 or abs(n_bins * w - 2 * lim) > 1e-6 * lim:
        raise ValueError(f"width must divide 2 * limit into 2 to 400 bins; got width={width!r}, limit={limit!r}")
    yrs = _years() if years is None else check_instance("years", years, PracticeYears, "PracticeYears")
    items = contract_items(engine.book(scenario()) if contracts is None else contracts)
    edges = np.linspace(-lim, lim, n_bins + 1)
    expected = yrs.expected_total
    rows = []
    for name, contract in items:
        pay = contract.payment(yrs)
        for party, values in (("Practice's surplus", pay - yrs.totals), ("Council's overspend", pay - expected)):
            idx = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, n_bins - 1)
            share = np.bincount(idx, minlength=n_bins) / values.size
            rows.append(pd.DataFrame({"contract": name, "party": party, "low": edges[:-1], "high": edges[1:],
                                      "share": share}))
    return pd.concat(rows, ignore_index=True)


@cached(maxsize=2, disk=True)  # 5 s: kept on disk too
def _chapter_design_grid(key: tuple) -> pd.DataFrame:
    return design_grid()


def chapter_design_grid() -> pd.DataFrame:
    """:func:`design_grid` with its defaults (cached: the page's chart and key results share it)."""
    return _chapter_design_grid(scenario().key()).copy()


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
    n = check_size("n_years", _sample().grid_years if n_years is None else n_years, _sample().n_years, low=2)
    check_work(len(grid_sc) * len(grid_b) * len(grid_t) * grid_s.size * n,
               "scopes × bases × thresholds × shares × n_years")
    seed = None if seed is None else check_integer("seed", seed, low=0)
    manage, audit = assumption("admin_contract_management"), assumption("admin_cost_audit")
    assess = assumption("admin_needs_assessment")
    rows = []
    for scope in grid_sc:
        years = _years(scope, n, seed)
        reserves = {mo: engine.reserves(scenario(scope), mo) for mo in grid_m}
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
    check_work(len(tolerances) * len(effort_costs) * grid.size * check_size("n_years", _sample().grid_years if n_years is None else n_years, _sample().n_years, low=2),
               "tolerances × effort_costs × shares × n_years")
    check_one_of("scope", scope, SCOPES)
    years = _years(scope, check_size("n_years", _sample().grid_years if n_years is None else n_years, _sample().n_years, low=2),
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




def service_cut_figures(scope: str = "placements") -> pd.DataFrame:
    """Per contract: the effort's cut, its service part, the placement moves and their outcome cost (unformatted)."""
    t = engine.table(scenario(scope))
    n = _years(scope).expected_count
    cuts = commissioning.service_cuts(t["effort"].to_numpy(), float(t["expected_cost_fixed"].iloc[0]), n)
    out = pd.DataFrame({"contract": t["contract"], "effort": t["effort"], "cut": cuts["cut"],
                        "service": cuts["service"], "moves_per_100": cuts["moves_per_100"],
                        "outcome_cost": cuts["outcome_cost"], "council_cost_effort": t["council_cost_effort"]})
    out["with_outcomes"] = out["council_cost_effort"] + out["outcome_cost"]
    return out


def overhead_range(shares: Sequence[float] | None = None) -> pd.DataFrame:
    """With placements in scope: the practice's cost and the block contract's failure over the share of the
    children's research-basis cost that is the council's wider overheads (``council_overhead_share``).

    The chapter's children and settings, with only the share changed: the scope's other terms, the reserves,
    the term and the cost of a failure are the chapter's, so at the assumption's value the figures are
    :func:`swp_models.engine.table`'s.

    Parameters
    ----------
    shares : sequence of float, optional
        Shares in [0, 0.5], 1 to 11 of them; default the assumption's low value, value and high value.

    Returns
    -------
    pandas.DataFrame
        One row per share: ``share``, ``expected_cost`` and ``sd`` (the practice's own cost, £ a year),
        ``council_overheads`` (what the council keeps paying, £ a year), ``variable_per_child`` (the cost of one
        more average child to the practice, £ a year), ``p_fail_year`` and ``p_fail_term`` (block contract).
    """
    if shares is None:
        shares = tuple(council.assumption("council_overhead_share", which) for which in ("low", "value", "high"))
    grid = [check_in_range("shares", w, 0.0, 0.5) for w in check_sequence("shares", shares, max_len=11)]
    scn = scenario("placements")
    base = engine.scope(scn)
    raw = engine.children(scn)
    if scn.shock_cv > 0:
        raw = raw.shocked(engine.shock_factors(scn), replace(raw.cost_model, shock_cv=scn.shock_cv))
    rows = []
    for w in grid:
        sc = replace(base, overhead_share=w)
        own = sc.apply(raw)
        block = default_contracts(raw.cost_model, scope=sc, years=own)["Block"]
        fail = failure_comparison({"Block": block}, own, engine.reserves(scn), term_years=scn.term_years,
                                  failure_cost=scn.failure_cost, risk_tolerance=scn.risk_tolerance).iloc[0]
        rows.append({"share": w, "expected_cost": float(own.totals.mean()), "sd": float(own.totals.std()),
                     "council_overheads": sc.council_overheads(raw.cost_model, raw.caseload),
                     "variable_per_child": sc.marginal_cost(raw.cost_model),
                     "p_fail_year": float(fail["p_fail_year"]), "p_fail_term": float(fail["p_fail_term"])})
    return pd.DataFrame(rows)


def gaming_figures(scope: str = "placements") -> pd.DataFrame:
    """Per contract: gains from handing back a child and from recording a child one group higher (unformatted)."""
    years = _years(scope, _sample().grid_years)
    model = years.cost_model
    top = len(model.components) - 1
    costly = float(model.quantile(0.99))
    rows = []
    for name, c in engine.book(scenario(scope)).items():
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




def unbalanced_threshold_payment(scope: str = "placements") -> float:
    """What the one-way threshold contract would pay on average with its baseline at the expected cost (£ a year).

    The chapter's threshold contract sets its baseline below the expected cost so that it pays that cost
    on average; this is the average payment without that discount, on the engine's children.
    """
    years = _years(scope)
    name = next(n for n in engine.book(scenario(scope)) if n.startswith("Threshold at"))
    undiscounted = replace(engine.book(scenario(scope))[name], baseline_discount=0.0)
    return float(undiscounted.payment(years).mean())


def upcoding_cost(scope: str = "placements", contract: str = "Capitation by needs group") -> float:
    """The council's yearly cost of upcoding under ``contract`` (:func:`swp_models.commissioning.upcoding_cost`), £."""
    book = engine.book(scenario(scope))
    check_one_of("contract", contract, tuple(book))
    return float(commissioning.upcoding_cost(book[contract], _years(scope)))


def coin_flip_premium(stake: float, risk_tolerance: float) -> float:
    """What a practice would give up to avoid an even chance of gaining or losing ``stake`` (£): its risk premium.

    The exact CARA premium (:func:`swp_models.contracts.risk_premium`) of a surplus of ``-stake`` or
    ``+stake`` with equal chances, for a practice of risk tolerance ``risk_tolerance`` (£, > 0; ``inf``
    for a risk-neutral practice, whose premium is 0).
    """
    s = check_nonnegative("stake", stake)
    return float(risk_premium(np.array([-s, s]), risk_tolerance))
