"""Contracts compared on the same practice-years: risk, incentive, effort and skimming (chapter 5).

Notation, for one practice-year: ``C`` is the practice's total cost (£), ``P`` the
contract's payment, the practice's surplus ``pi = P - C``; the council pays ``P`` plus the
contract's administrative cost. :func:`~swp_models.contracts.compare` prices contracts with costs fixed,
:func:`~swp_models.contracts.effort_comparison` once the practice's effort responds to its incentive,
:func:`~swp_models.contracts.risk_sharing` splits the risk each leaves with the practice, and
:func:`~swp_models.contracts.skimming_gain` prices the incentive to take, or turn away, a child.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..costs import Caseload, CostModel, SeedLike, as_caseload, as_generator, default_caseload
from ..validation import (
    check_effort_cost,
    check_finite,
    check_in_range,
    check_instance,
    check_size,
    check_text,
    check_work,
)
from .liability import Scope
from .payments import Contract, contract_items
from .theory import risk_aversion, risk_premium
from .years import (
    _DRAW_LEVELS,
    MAX_YEARS,
    PracticeYears,
    simulate_practice_years,
    with_effort,
)

__all__ = [
    "power_of_incentive",
    "measured_power",
    "effort_from_power",
    "compare",
    "effort_comparison",
    "risk_sharing",
    "skimming_gain",
]


def power_of_incentive(contract: Contract, years: PracticeYears, step: float = 1e-3) -> float:
    """Share of a £ of extra cost the practice bears, by perturbing every child's cost.

    ``1 - (E[P(C (1 + h))] - E[P(C)]) / (h E[C])`` with ``h = step``: 1 for a block
    contract, 0 for full reimbursement, ``s`` for cost-and-volume. A proportional
    perturbation matches the effort model, in which effort cuts every cost by a fraction.
    """
    check_instance("contract", contract, Contract, "Contract")
    check_instance("years", years, PracticeYears, "PracticeYears")
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    return measured_power(contract, years, years.scaled(1.0 + h), contract.payment(years))


def measured_power(contract: Contract, years: PracticeYears, bumped: PracticeYears, base_payment: np.ndarray) -> float:
    """Share of a £ of extra cost the practice bears, between ``years`` and the same years at higher cost.

    ``1 - (E[P(bumped)] - E[P(years)]) / (E[C_bumped] - E[C])``: :func:`power_of_incentive` with the
    costlier years and the payments on ``years`` given, so that contracts priced on the same years share
    them.

    Parameters
    ----------
    contract : Contract
    years : PracticeYears
    bumped : PracticeYears
        ``years`` with every cost raised (``years.scaled(1 + h)``, ``h > 0``).
    base_payment : numpy.ndarray
        ``contract.payment(years)``, £, one value per practice-year.
    """
    check_instance("contract", contract, Contract, "Contract")
    check_instance("years", years, PracticeYears, "PracticeYears")
    check_instance("bumped", bumped, PracticeYears, "PracticeYears")
    check_instance("base_payment", base_payment, np.ndarray, "numpy array of £ amounts")
    if base_payment.shape != (years.n_years,) or not np.isfinite(base_payment).all():
        raise ValueError(f"base_payment must hold one finite payment per practice-year of years ({years.n_years}); "
                         f"got shape {base_payment.shape}")
    if bumped.n_years != years.n_years:
        raise ValueError(f"bumped must hold as many practice-years as years ({years.n_years}); got {bumped.n_years}")
    d_cost = float(np.mean(bumped.totals - years.totals))
    if d_cost == 0:
        raise ValueError("bumped must cost more than years on average; got the same expected cost")
    d_pay = float(np.mean(contract.payment(bumped) - base_payment))
    return 1.0 - d_pay / d_cost


def compare(
    contracts: Mapping[str, Contract] | Sequence[Contract],
    years: PracticeYears,
    risk_tolerance: float,
    *,
    step: float = 1e-3,
) -> pd.DataFrame:
    """Price contracts on the same practice-years and compare them, one row each.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}``, or Contracts named by their ``label``.
    years : PracticeYears
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ (see :func:`risk_aversion`).
    step : float
        Relative cost perturbation for the power of incentive.

    Returns
    -------
    pandas.DataFrame
        Columns (all £ per practice-year unless stated): ``contract``;
        ``practice_mean_surplus``, ``practice_sd_surplus``, ``practice_p_loss``
        (probability), ``practice_surplus_p5`` (5th percentile: the 5% worst case);
        ``council_mean_spend``, ``council_sd_spend``; ``risk_premium_approx``
        (``r Var/2``), ``risk_premium_exact``; ``power`` (share of a marginal £ of cost
        the practice bears); ``admin_cost`` (mean); ``council_total_cost`` =
        ``E[C] + risk_premium_exact + admin_cost``: what the council must expect to pay
        when the baseline is set so that the practice just accepts (certainty
        equivalent zero), with costs unchanged by the contract.
    """
    risk_aversion(risk_tolerance)
    check_instance("years", years, PracticeYears, "PracticeYears")
    items = contract_items(contracts)
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    bumped = years.scaled(1.0 + h)
    mean_cost = float(years.totals.mean())
    rows = []
    for name, contract in items:
        pay = contract.payment(years)
        surplus = pay - years.totals
        admin = float(contract.admin_cost(years).mean())
        rp_exact = risk_premium(surplus, risk_tolerance, exact=True)
        rows.append(
            {
                "contract": name,
                "practice_mean_surplus": float(surplus.mean()),
                "practice_sd_surplus": float(surplus.std()),
                "practice_p_loss": float(np.mean(surplus < 0)),
                "practice_surplus_p5": float(np.percentile(surplus, 5)),
                "council_mean_spend": float(pay.mean()),
                "council_sd_spend": float(pay.std()),
                "risk_premium_approx": risk_premium(surplus, risk_tolerance, exact=False),
                "risk_premium_exact": rp_exact,
                "power": measured_power(contract, years, bumped, pay),
                "admin_cost": admin,
                "council_total_cost": mean_cost + rp_exact + admin,
            }
        )
    return pd.DataFrame(rows)


def skimming_gain(
    contract: Contract,
    cost_model: CostModel,
    caseload: int | Caseload | None = None,
    *,
    n_years: int,
    seed: SeedLike,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The practice's expected gain from taking one more child, by needs group.

    Simulates ``n_years`` practice-years (the practice's own costs under ``scope`` when it
    is given: an extra child then costs the practice its variable cost only), adds one
    child of each needs group to every year (the same standard normal draw for every group, so the groups are paired) and
    prices the contract with and without that child.

    Returns
    -------
    pandas.DataFrame
        One row per needs group: ``group``, ``mean_cost`` (£ per child per year),
        ``gain_extra_child`` (expected change in the practice's surplus from taking one
        more child of that group, £ a year) and ``gain_vs_average`` (that gain minus the
        gain from an extra child drawn at random from all referrals: what the practice
        wins by picking a child of this group instead — the incentive to skim). Under a
        block contract an extra child costs the practice its full mean cost; under a flat
        capitation cheap children are worth taking; under risk-adjusted capitation at
        true group means no group is better than another.
    """
    check_instance("contract", contract, Contract, "Contract")
    check_instance("cost_model", cost_model, CostModel, "CostModel")
    load = default_caseload() if caseload is None else as_caseload(caseload)
    if scope is not None:
        check_instance("scope", scope, Scope, "Scope or None")
    n = check_size("n_years", n_years, MAX_YEARS)
    check_work(n * (load.maximum + 1), "n_years × caseload")
    rng = as_generator(seed)
    years = simulate_practice_years(cost_model, load, n, rng)
    if scope is not None:
        years = scope.apply(years)
    model = years.cost_model
    # Stratified draws for the extra child (one per n-quantile, shuffled), rescaled so the
    # sample mean cost equals the group mean exactly (a factor within about 1e-4 of one):
    # contracts linear in cost then give exact gains.
    strata = (np.arange(years.n_years) + 0.5) / years.n_years
    z = special.ndtri(rng.permutation(strata))
    draw = np.floor(rng.permutation(strata) * _DRAW_LEVELS).astype(np.uint16)
    base = contract.payment(years)
    gains = np.empty(len(cost_model.components))
    for k in range(gains.size):
        extra = np.exp(model.mu[k] + model.sigma[k] * z)
        extra *= model.component_means[k] / extra.mean()
        more = years.with_extra_child(extra, k, draw)
        # The practice's cost rises by the child's variable cost (its cost less any staff cost per child).
        gains[k] = float(np.mean(contract.payment(more) - base - (more.totals - years.totals)))
    weights = cost_model.component_weights
    average = float(np.dot(weights, gains))
    rows = []
    summary = model.group_summary()
    for j, g in enumerate(cost_model.groups):
        sel = cost_model.recorded_group == j
        w = weights[sel]
        gain = float(np.dot(w, gains[sel]) / w.sum()) if w.sum() > 0 else float(gains[j])
        rows.append(
            {
                "group": g,
                "mean_cost": float(summary.loc[j, "mean"]),
                "gain_extra_child": gain,
                "gain_vs_average": gain - average,
            }
        )
    return pd.DataFrame(rows)


def effort_from_power(name: str, power: float, effort_cost: float) -> float:
    """The practice's effort ``e = s / k`` under a contract whose power of incentive is ``s``.

    Parameters
    ----------
    name : str
        The contract's name, for the error message.
    power : float
        ``s``, the share of a marginal £ of cost the practice bears (:func:`measured_power`), in
        ``[0, effort_cost)``; a measured power within 1e-9 below 0 counts as 0.
    effort_cost : float
        ``k`` >= 1.
    """
    check_text("name", name)
    power = check_finite("power", power)
    k = check_effort_cost("effort_cost", effort_cost)
    # The measured power carries rounding error of order 1e-12 at its natural limits.
    if -1e-9 < power < 0:
        power = 0.0
    if power < 0 or power / k >= 1:
        raise ValueError(
            f"contracts[{name!r}] has a power of incentive of {power:.6g}; the effort model needs "
            f"a power in [0, effort_cost) = [0, {k:g})"
        )
    return power / k


def effort_comparison(
    contracts: Mapping[str, Contract] | Sequence[Contract],
    years: PracticeYears,
    risk_tolerance: float,
    effort_cost: float,
    *,
    step: float = 1e-3,
) -> pd.DataFrame:
    """The council's expected total cost of each contract, with costs fixed and with effort.

    *Costs fixed* is :func:`compare`'s ``council_total_cost``: ``E[C]`` plus the exact
    risk premium plus administration. *With effort*: a contract whose power of incentive
    is ``s`` calls forth effort ``e = s / k``, every cost falls by the fraction ``e``
    (:func:`with_effort`) and the council pays, with the participation constraint
    binding (a lump sum adjusted until the practice just accepts),
    ``(1 - e) E[C] + k e**2 E[C] / 2 + RP + admin``, the risk premium ``RP`` being the
    exact CARA premium of the contract's surplus on the reduced costs.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}``, or Contracts named by their ``label``.
    years : PracticeYears
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    step : float
        Relative cost perturbation for the power of incentive.

    Returns
    -------
    pandas.DataFrame
        One row per contract, £ per practice-year unless stated: ``contract``, ``power``
        (share of a marginal £ the practice bears), ``effort`` (fraction of cost cut),
        ``expected_cost_fixed`` (``E[C]``), ``risk_premium_fixed``, ``admin_cost``,
        ``council_cost_fixed``, ``expected_cost_effort`` (``(1 - e) E[C]``),
        ``effort_cost`` (``k e**2 E[C] / 2``), ``risk_premium_effort``,
        ``council_cost_effort`` and ``efficiency_gain`` (cost saved net of the effort
        cost, ``e E[C] - k e**2 E[C] / 2``).
    """
    risk_aversion(risk_tolerance)
    check_instance("years", years, PracticeYears, "PracticeYears")
    k = check_effort_cost("effort_cost", effort_cost)
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    items = contract_items(contracts)
    bumped = years.scaled(1.0 + h)
    m = float(years.totals.mean())
    reduced: dict[float, PracticeYears] = {}  # contracts of equal power share one set of reduced costs
    rows = []
    for name, contract in items:
        pay = contract.payment(years)
        power = measured_power(contract, years, bumped, pay)
        e = effort_from_power(name, power, k)
        admin = float(contract.admin_cost(years).mean())
        rp_fixed = risk_premium(pay - years.totals, risk_tolerance, exact=True)
        key = round(e, 12)
        if key not in reduced:
            reduced[key] = with_effort(years, e)
        after = reduced[key]
        rp_effort = risk_premium(contract.surplus(after), risk_tolerance, exact=True)
        exp_effort = (1.0 - e) * m
        eff_cost = k * e * e * m / 2.0
        rows.append(
            {
                "contract": name,
                "power": power,
                "effort": e,
                "expected_cost_fixed": m,
                "risk_premium_fixed": rp_fixed,
                "admin_cost": admin,
                "council_cost_fixed": m + rp_fixed + admin,
                "expected_cost_effort": exp_effort,
                "effort_cost": eff_cost,
                "risk_premium_effort": rp_effort,
                "council_cost_effort": exp_effort + eff_cost + rp_effort + admin,
                "efficiency_gain": m - exp_effort - eff_cost,
            }
        )
    return pd.DataFrame(rows)


def risk_sharing(contracts: Mapping[str, Contract] | Sequence[Contract], years: PracticeYears) -> pd.DataFrame:
    """Share of each kind of cost risk that each contract leaves with the practice.

    A year's cost is split into three parts, uncorrelated in the model: *caseload*
    ``X1 = N mean(c)``; *case mix* ``X2 = sum_g N_g mean_g - X1`` (which needs groups the
    children fall in, given their number); and *cost within group*
    ``X3 = C - sum_g N_g mean_g``. The practice's share of each part is its coefficient in
    the least-squares regression of ``-pi`` on the three parts together: 1 when every £ of
    that part falls on the practice's surplus, 0 when the council pays it all. A contract
    whose surplus is a linear function of the parts (block, capitation, cost and volume,
    full reimbursement) gets its shares exactly, whatever the sample.

    Returns
    -------
    pandas.DataFrame
        One row per contract: ``contract``, ``caseload``, ``case_mix``, ``within_group``
        and ``overall`` (the slope of ``-pi`` on ``C`` alone); NaN for a part that does not
        vary (a fixed caseload, or a single needs group).
    """
    items = contract_items(contracts)
    check_instance("years", years, PracticeYears, "PracticeYears")
    model = years.cost_model
    rates = np.array([model.recorded_means()[g] for g in model.groups])
    d = years.staff_per_child
    x1 = (model.mean - d) * years.counts.astype(float)
    expected = years.group_counts @ rates - d * years.counts
    parts = {"caseload": x1, "case_mix": expected - x1, "within_group": years.totals - years.fixed_cost - expected}
    centred = {key: x - x.mean() for key, x in parts.items()}
    # A part that varies by less than a penny in a year is treated as fixed.
    varying = [key for key, x in centred.items() if float(np.mean(x * x)) > 1e-4]
    design = np.column_stack([centred[key] for key in varying]) if varying else np.empty((years.n_years, 0))
    total = years.totals - years.totals.mean()
    var_total = float(np.mean(total * total))
    rows = []
    for name, contract in items:
        surplus = contract.surplus(years)
        y = surplus.mean() - surplus
        row: dict[str, object] = {"contract": name}
        coef = np.linalg.lstsq(design, y, rcond=None)[0] if varying else np.empty(0)
        fitted = dict(zip(varying, coef))
        for key in parts:
            row[key] = float(fitted[key]) if key in fitted else float("nan")
        row["overall"] = float(np.mean(y * total) / var_total) if var_total > 1e-4 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
