"""Lessons from abroad: the report's international annex as data, its numbers worked (chapter 7).

The report's Annex A.3 surveys how other countries commission care for children. This module
turns its account into numbers the book can test:

* the systems compared (``data/international_systems.csv``) and the four US managed-care
  models as links between parties (``data/managed_care_models.csv``), each contracting party
  linked to the chapter 5 contract nearest to how it is paid;
* **Ontario**: spending "more than doubled" while service volumes rose "about 40%": the implied
  growth of cost per unit of service, kept as an interval (:func:`unit_cost_growth`,
  :func:`ontario_bounds`), and what a rise in referrals does to payments set before it
  (:func:`referral_shift`);
* **South Australia**: a tender model in which bidders' costs are uniform draws, the lowest
  bidder wins and is paid the runner-up's cost (the expected price of a sealed lowest-price
  tender, by revenue equivalence), no more than a reserve price, which a lone bidder is paid
  (:func:`expected_tender`, checked against the order statistics of uniform draws
  :func:`order_statistic_mean` and against :func:`simulate_tenders`), and re-tendering
  (:func:`retender_price`);
* **Kansas**: a flat rate per child against monthly payment per child served, priced by the
  book's pricing engine on the book's one sample of children under either scope
  (:func:`kansas_comparison`);
* **Illinois**: the bonus for moving more than 24% of a caseload into permanent homes, with and
  without the rule that a reunification counts only after 12 continuous months, computed with
  the outcome chapter's machinery (``swp_models.outcomes.durability_rule``,
  ``swp_models.outcomes.permanency_bonus``) and simulated from the scenario's seed
  (:func:`illinois_comparison`, :func:`simulate_illinois`);
* **Massachusetts**: a bonus per child above a performance standard set with or without a
  baseline year, for a two-year pilot, with the outcomes of a practice's children clustered
  by the scenario's ICC (:func:`bonus_expectation`, :func:`simulate_bonus`).

Everything priced takes a :class:`~swp_models.scenario.Scenario`: the tender's costs, the
referral payments and Kansas's contracts are chapter 5's rates under the scenario's scope
(:func:`child_rate`), and Kansas is priced on :func:`swp_models.engine.own_costs`, never on a
sample of its own; the chapter's own simulated checks (tenders, Illinois, Massachusetts) draw
from streams of the scenario's seed.
"""

from __future__ import annotations

from pathlib import Path

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from .assumptions import cached
from . import contracts, engine
from .scenario import Scenario
from . import assumptions, data, outcomes
from .costs import SeedLike, default_caseload, default_cost_model
from .validation import (check_finite, check_finite_array, check_in_range, check_instance, check_integer,
                         check_nonnegative, check_one_of, check_positive, check_probability, check_sequence)

__all__ = [
    "assumption",
    "systems",
    "comparison_frame",
    "managed_care_links",
    "MODEL_ANALOGUES",
    "model_risk",
    "UnitCostGrowth",
    "unit_cost_growth",
    "ontario_bounds",
    "canada_price_ratio",
    "ontario_grid",
    "child_rate",
    "referral_shift",
    "order_statistic_mean",
    "TenderOutcome",
    "expected_tender",
    "simulate_tenders",
    "retender_price",
    "monopoly_cost",
    "tender_defaults",
    "tender_grid",
    "kansas_contracts",
    "kansas_comparison",
    "KANSAS_NAMES",
    "TENDER_SIMS",
    "illinois_terms",
    "illinois_bonus",
    "simulate_illinois",
    "illinois_comparison",
    "illinois_grid",
    "illinois_rates",
    "illinois_reversal",
    "BONUS_DESIGNS",
    "bonus_expectation",
    "simulate_bonus",
    "bonus_table",
    "bonus_grid",
    "BONUS_PILOTS",
    "CASE_RATE_SHORTFALLS",
    "case_rate_shortfall",
    "case_rate_grid",
    "case_rate_breaking_point",
    "BONUS_ICCS",
    "ICC_LESSONS",
    "bonus_icc",
    "bonus_icc_reversal",
]

_ASSUMPTIONS = "assumptions_abroad"
_MAX_YEARS_APART = 1000.0
_MAX_COST = 1e9
#: Simulated tenders per point of the chapter's tender chart.
TENDER_SIMS = 20_000
#: Pilots simulated in the chapter's Massachusetts check.
BONUS_PILOTS = 100_000
# Labels of the random streams of the chapter's own simulated checks: each is drawn from the scenario's seed
# and its label, never from the stream of the book's children.
_TENDER_STREAM = 0x54454E44  # "TEND"
_ILLINOIS_STREAM = 0x494C4C49  # "ILLI"
_BONUS_STREAM = 0x424F4E55  # "BONU"
#: Chapter 5's name of the flat-rate capitation (the payment per child served).
_FLAT = "Capitation, flat rate"
#: Largest number of bidders, tenders and pilots the models accept (bounds the work done).
_MAX_BIDDERS = 1_000
_MAX_DRAWS = 20_000_000


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one assumption in ``data/assumptions_abroad.csv`` (e.g. ``"reserve_markup"``)."""
    return assumptions.value_in(_ASSUMPTIONS, parameter, data_dir=data_dir)


def _intl(jurisdiction: str, measure: str) -> float:
    return data.value("international", jurisdiction=jurisdiction, measure=measure)


def _scenario(scn: object) -> Scenario:
    return check_instance("scn", scn, Scenario, "Scenario (swp_models.scenario.Scenario.central())")


def _stream(scn: Scenario, label: int) -> np.random.Generator:
    """The random stream of one of the chapter's simulated checks: the scenario's seed and the check's label."""
    return np.random.default_rng([scn.simulation.seed, label])


def _generator(seed: SeedLike) -> np.random.Generator:
    """A generator from ``seed`` (an integer >= 0 or a generator), refused by name otherwise."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise ValueError("seed must be an integer >= 0 or a numpy Generator; got None (results must be reproducible)")
    return np.random.default_rng(check_integer("seed", seed, low=0))


def child_rate(scn: Scenario, group: str | None = None) -> float:
    """What a child costs the practice on average under the scenario's scope, £ a year: chapter 5's rates.

    With ``group=None`` the practice's expected total cost per expected child, the rate of chapter 5's
    flat capitation (:meth:`swp_models.contracts.liability.Scope.flat_rate`): with social work only, the practice's
    own budget per child plus the variable social-work cost of a child; with placements in scope,
    chapter 3's expected cost of a child. With a needs group, the rate of chapter 5's capitation by needs
    group for that group (:meth:`swp_models.contracts.liability.Scope.child_rates`).

    Parameters
    ----------
    scn : Scenario
    group : str, optional
        A recorded needs group of chapter 3's cost model (e.g. ``"no_additional_needs"``).
    """
    s = _scenario(scn)
    scope, model, load = engine.scope(s), default_cost_model(), default_caseload()
    if group is None:
        return scope.flat_rate(model, load)
    rates = scope.child_rates(model, load)
    return rates[check_one_of("group", group, list(rates))]


# ---------------------------------------------------------------------------------------
# The annex as data
# ---------------------------------------------------------------------------------------

_ASPECTS = ("commissioner", "provider", "payment", "evidence", "lesson")


def systems(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The annex's systems compared: ``data/international_systems.csv``, validated, in file order."""
    return data.load("international_systems", data_dir=data_dir)


def comparison_frame() -> pd.DataFrame:
    """One row per jurisdiction, one column per aspect (the book's wording), jurisdictions in the annex's order.

    Returns
    -------
    pandas.DataFrame
        Columns ``jurisdiction``, ``commissioner``, ``provider``, ``payment``, ``evidence``,
        ``lesson``, ``payment_category``, ``evidence_category`` and ``lesson_key``.
    """
    frame = systems()
    order = list(dict.fromkeys(frame["jurisdiction"]))
    wide = frame.pivot(index="jurisdiction", columns="aspect", values="entry").reindex(order)
    cats = frame.pivot(index="jurisdiction", columns="aspect", values="category").reindex(order)
    out = wide[list(_ASPECTS)].reset_index()
    out["payment_category"] = cats["payment"].to_numpy()
    out["evidence_category"] = cats["evidence"].to_numpy()
    out["lesson_key"] = cats["lesson"].to_numpy()
    return out


def managed_care_links(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The four US managed-care models as links between parties: ``data/managed_care_models.csv``."""
    return data.load("managed_care_models", data_dir=data_dir)


#: For each managed-care model, each party paid to look after children and the chapter 5 contract
#: nearest to how it is paid. Lead agencies and managed care organisations are "managed care entities
#: operating under a capitated payment scheme" (Annex A.3): capitation at a flat rate. The public-agency
#: model's example, Illinois, keeps an agency's payment steady while its caseload changes and pays a
#: bonus for permanency (ASPE): a fixed base plus a bonus. An administrative services organisation is
#: paid for "administrative services only" and bears none of the children's costs; in Massachusetts the
#: lead agencies it administers are paid as lead agencies are.
MODEL_ANALOGUES: dict[str, dict[str, str]] = {
    "Public agency": {"Service providers": "Outcome: fixed base + bonus"},
    "Lead agency": {"Lead agency": "Capitation, flat rate"},
    "Administrative services organisation": {"Administrative services organisation": "Full reimbursement",
                                             "Lead agency": "Capitation, flat rate"},
    "Managed care organisation": {"Managed care organisation": "Capitation, flat rate"},
}


def model_risk(risk_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The share of each kind of cost risk each paid party bears in each managed-care model.

    Parameters
    ----------
    risk_table : pandas.DataFrame, optional
        Chapter 5's per-contract figures with columns ``contract``, ``caseload``, ``case_mix``,
        ``within_group`` and ``overall`` (default :func:`swp_models.engine.table` of the central
        scenario with placements in scope, the figures of chapter 5's risk table).

    Returns
    -------
    pandas.DataFrame
        One row per model and paid party: ``model``, ``party``, ``analogue`` (the chapter 5
        contract), and the party's share (0 to 1) of the variation in ``caseload``,
        ``case_mix``, ``within_group`` and ``overall`` cost; the public agency bears the rest.
    """
    table = engine.table(Scenario.central(scope="placements")) if risk_table is None else risk_table
    needed = {"contract", "caseload", "case_mix", "within_group", "overall"}
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns):
        raise ValueError(f"risk_table must be a DataFrame with columns {sorted(needed)}")
    t = table.set_index("contract")
    links = managed_care_links()
    rows = []
    for model in dict.fromkeys(links["model"]):
        for party, analogue in MODEL_ANALOGUES[model].items():
            if analogue not in t.index:
                raise ValueError(f"risk_table has no row for contract {analogue!r} (needed for {model}, {party})")
            rows.append({"model": model, "party": party, "analogue": analogue,
                         **{k: float(t.loc[analogue, k]) for k in ("caseload", "case_mix", "within_group", "overall")}})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Ontario: unit-cost growth as an interval
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCostGrowth:
    """Growth of cost per unit of service when spending and volumes grow by given ratios.

    Attributes
    ----------
    spending_ratio : float
        Spending at the end over spending at the start.
    volume_ratio : float
        Service volume at the end over volume at the start.
    years : float
        Years between the two.
    """

    spending_ratio: float
    volume_ratio: float
    years: float

    def __post_init__(self) -> None:
        check_positive("spending_ratio", self.spending_ratio)
        check_positive("volume_ratio", self.volume_ratio)
        check_in_range("years", self.years, 0.0, _MAX_YEARS_APART, low_open=True)

    @property
    def unit_cost_ratio(self) -> float:
        """Cost per unit of service at the end over cost at the start."""
        return self.spending_ratio / self.volume_ratio

    @property
    def growth(self) -> float:
        """Growth of cost per unit over the period, a fraction (0.43 = 43%)."""
        return self.unit_cost_ratio - 1.0

    @property
    def annual_rate(self) -> float:
        """The constant yearly growth that compounds to :attr:`growth`, a fraction per year."""
        return self.unit_cost_ratio ** (1.0 / self.years) - 1.0


def unit_cost_growth(spending_ratio: float, volume_growth: float, years: float) -> UnitCostGrowth:
    """Cost per unit of service implied by spending and volume growth.

    Parameters
    ----------
    spending_ratio : float
        Spending at the end over spending at the start (> 0; 2 = doubled).
    volume_growth : float
        Rise in service volumes, a fraction (> -1; 0.4 = up 40%).
    years : float
        Years between the two, in (0, 1000].
    """
    s = check_positive("spending_ratio", spending_ratio)
    v = check_in_range("volume_growth", volume_growth, -1.0, None, low_open=True)
    y = check_in_range("years", years, 0.0, _MAX_YEARS_APART, low_open=True)
    return UnitCostGrowth(s, 1.0 + v, y)


def _ontario_years() -> float:
    return _intl("Ontario", "spending_period_end") - _intl("Ontario", "spending_period_start")


def ontario_bounds(
    spending_upper: float | None = None, volume_half_width: float | None = None
) -> pd.DataFrame:
    """Ontario's unit-cost growth from 1998/99 to 2004/05: the figures as stated, and the interval.

    Spending "more than doubled": a ratio of at least 2 (from ``data/international.csv``), at
    most ``spending_upper``. Volumes rose "about 40%": between 40 minus and 40 plus
    ``volume_half_width`` per cent. The growth of cost per unit is smallest with the least
    spending and the most volume, largest the other way.

    Parameters
    ----------
    spending_upper : float, optional
        Largest spending ratio read into "more than doubled" (>= 2); default the assumption
        ``more_than_doubled_upper``.
    volume_half_width : float, optional
        Half-width of the range read into "about 40%", percentage points in [0, 40); default the
        assumption ``about_half_width``.

    Returns
    -------
    pandas.DataFrame
        Rows ``as stated`` (ratio 2, volumes up 40%: the "at least" figure), ``lowest`` and
        ``highest``; columns ``reading``, ``spending_ratio``, ``volume_growth`` (fraction),
        ``unit_cost_growth`` (fraction), ``annual_rate`` (fraction a year), and the same two in
        real terms, deflated by Canada's consumer prices (:func:`canada_price_ratio`),
        ``real_unit_cost_growth`` and ``real_annual_rate``.
    """
    low_s = _intl("Ontario", "expenditure_ratio_2004_05_to_1998_99")
    vol = _intl("Ontario", "service_volume_growth_1998_99_to_2004_05") / 100
    high_s = check_in_range("spending_upper", assumption("more_than_doubled_upper") if spending_upper is None
                            else spending_upper, low_s, None)
    hw = check_in_range("volume_half_width", assumption("about_half_width") if volume_half_width is None
                        else volume_half_width, 0.0, 100 * vol, high_open=True) / 100
    years = _ontario_years()
    prices = canada_price_ratio()
    rows = []
    for reading, s, v in (("as stated", low_s, vol), ("lowest", low_s, vol + hw), ("highest", high_s, vol - hw)):
        g = unit_cost_growth(s, v, years)
        real = unit_cost_growth(s / prices, v, years)
        rows.append({"reading": reading, "spending_ratio": s, "volume_growth": v,
                     "unit_cost_growth": g.growth, "annual_rate": g.annual_rate,
                     "real_unit_cost_growth": real.growth, "real_annual_rate": real.annual_rate})
    return pd.DataFrame(rows)


def canada_price_ratio(start: float | None = None, end: float | None = None, *, data_dir: str | Path | None = None) -> float:
    """Canada's consumer prices at the end of Ontario's comparison over its start (``data/cpi_canada.csv``).

    Calendar 1998 and 2004, the nearest whole years to the fiscal years 1998/99 and 2004/05. Dividing a
    spending ratio by it gives the ratio in real terms.

    Parameters
    ----------
    start, end : float, optional
        Index values (> 0) to use instead of the table's, for another index or base.
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    a = data.value("cpi_canada", year=1998, data_dir=data_dir) if start is None else check_positive("start", start)
    b = data.value("cpi_canada", year=2004, data_dir=data_dir) if end is None else check_positive("end", end)
    return b / a


def ontario_grid(
    spending_ratios: np.ndarray | None = None, volume_growths: np.ndarray | None = None
) -> pd.DataFrame:
    """Unit-cost growth over a grid of spending ratios and volume rises (the page's slider chart).

    Parameters
    ----------
    spending_ratios : array-like, optional
        Ratios > 0; default 2.0 to 3.0 in steps of 0.05.
    volume_growths : array-like, optional
        Fractions > -1; default 0.30 to 0.50 in steps of 0.01.

    Returns
    -------
    pandas.DataFrame
        ``spending_ratio``, ``volume_growth``, ``unit_cost_growth`` and ``annual_rate`` (fractions).
    """
    s = np.round(np.arange(2.0, 3.0001, 0.05), 2) if spending_ratios is None else \
        check_finite_array("spending_ratios", spending_ratios, max_len=100_000)
    v = np.round(np.arange(0.30, 0.5001, 0.01), 2) if volume_growths is None else \
        check_finite_array("volume_growths", volume_growths, max_len=100_000)
    if s.size * v.size > 100_000:
        raise ValueError(f"spending_ratios and volume_growths must be non-empty with at most 100,000 pairs; "
                         f"got {s.size} and {v.size}")
    years = _ontario_years()
    rows = [{"spending_ratio": float(a), "volume_growth": float(b),
             "unit_cost_growth": (g := unit_cost_growth(float(a), float(b), years)).growth,
             "annual_rate": g.annual_rate} for a in s for b in v]
    return pd.DataFrame(rows)


def referral_shift(
    scn: Scenario,
    factor: float,
    added_group: str | None = None,
    *,
    children: int | None = None,
) -> pd.DataFrame:
    """What a rise in referrals does to payments set before it, under three ways of paying.

    Before the change a practice looks after ``children`` children of chapter 3's mix. Afterwards
    it has ``factor`` times as many; the added children are all of ``added_group`` (or of the same
    mix). A rise this large takes the practice far outside the caseload its budget is fixed for, so
    its staff grow with its children: every child costs the practice its rate under the scenario's
    scope (:func:`child_rate`, chapter 5's capitation rates). A *block* payment set before the
    change pays for the old number; a *flat capitation* set before pays the old average rate for
    every child; a *capitation by needs group* pays each child its group's rate.

    Parameters
    ----------
    scn : Scenario
        Sets the scope (what the practice pays for) and so the rates.
    factor : float
        Children after over children before, in [1, 3] (Ontario's referrals "nearly doubled").
    added_group : str, optional
        Needs group of the added children; default ``None``: the same mix as before.
    children : int, optional
        Children before the change, 1 to 100,000; default the draft contract's 100.

    Returns
    -------
    pandas.DataFrame
        One row per way of paying: ``payment`` (name), ``paid`` (£ a year), ``cost`` (expected,
        £ a year), ``surplus`` (the practice's expected surplus, £ a year) and ``surplus_share``
        (surplus over cost).
    """
    s = _scenario(scn)
    f = check_in_range("factor", factor, 1.0, 3.0)
    n0 = check_integer("children", default_caseload().mean if children is None else children, low=1, high=100_000)
    mean = child_rate(s)
    if added_group is not None:
        check_one_of("added_group", added_group, list(default_cost_model().recorded_means()))
    added_mean = mean if added_group is None else child_rate(s, added_group)
    added = n0 * (f - 1.0)
    cost = n0 * mean + added * added_mean
    paid = {
        "Block set before the change": n0 * mean,
        "Flat capitation set before the change": (n0 + added) * mean,
        "Capitation by needs group": n0 * mean + added * added_mean,
    }
    return pd.DataFrame([{"payment": k, "paid": p, "cost": cost, "surplus": p - cost, "surplus_share": (p - cost) / cost}
                         for k, p in paid.items()])


# ---------------------------------------------------------------------------------------
# South Australia: a tender with few bidders
# ---------------------------------------------------------------------------------------


def _check_costs(cost_low: float, cost_high: float) -> tuple[float, float]:
    # £ per child a year: beyond _MAX_COST the closed forms lose their precision (and no cost is that large).
    a = check_in_range("cost_low", cost_low, 0.0, _MAX_COST)
    b = check_in_range("cost_high", cost_high, a, _MAX_COST, low_open=True)
    return a, b


def _check_bidders(n_bidders: int, name: str = "n_bidders") -> int:
    return check_integer(name, n_bidders, low=1, high=_MAX_BIDDERS)


def _check_reserve(reserve: float | None, a: float) -> float:
    if reserve is None:
        return math.inf
    r = check_finite("reserve", reserve)
    if r <= a:
        raise ValueError(f"reserve must be above the lowest possible cost cost_low = {a:,.2f} (no bidder could "
                         f"accept less); got {reserve!r}")
    return r


def order_statistic_mean(k: int, n: int, cost_low: float, cost_high: float) -> float:
    """Expected ``k``-th lowest of ``n`` independent uniform draws on ``[cost_low, cost_high]``.

    ``cost_low + (cost_high - cost_low) k / (n + 1)``: the expected minimum is the case ``k = 1``.
    """
    n = _check_bidders(n, "n")
    k = check_integer("k", k, low=1, high=n)
    a, b = _check_costs(cost_low, cost_high)
    return a + (b - a) * k / (n + 1)


@dataclass(frozen=True)
class TenderOutcome:
    """Expected results of one tender (closed form or simulated).

    Attributes
    ----------
    n_bidders : int
    p_award : float
        Chance that some bidder accepts the reserve.
    price : float
        Expected price paid, given an award (£, in the units of the costs); NaN when no tender is
        awarded (``p_award == 0``: every cost above the reserve), as a mean over no awards.
    winning_cost : float
        Expected cost of the winner, given an award; NaN when ``p_award == 0``, as ``price``.
    commissioner_cost : float
        Expected cost to the commissioner, counting a failed tender as provision in-house at the
        reserve price: ``E[price; award] + (1 - p_award) * reserve``.
    """

    n_bidders: int
    p_award: float
    price: float
    winning_cost: float
    commissioner_cost: float

    def __post_init__(self) -> None:
        _check_bidders(self.n_bidders)
        p = check_probability("p_award", self.p_award)
        for name in ("price", "winning_cost"):
            value = getattr(self, name)
            # With no award (p_award = 0) there is no price or winner: NaN says so.
            if not (p == 0.0 and isinstance(value, float) and math.isnan(value)):
                check_nonnegative(name, value)
        check_nonnegative("commissioner_cost", self.commissioner_cost)

    @property
    def margin(self) -> float:
        """Expected price over the winner's cost, given an award (what competition leaves the winner)."""
        return self.price - self.winning_cost


def expected_tender(n_bidders: int, cost_low: float, cost_high: float, reserve: float | None = None) -> TenderOutcome:
    """Closed-form expected results of a tender with bidders' costs uniform on ``[cost_low, cost_high]``.

    The lowest-cost bidder wins and is paid the second-lowest cost, but no more than ``reserve``;
    a lone bidder is paid the reserve; nobody accepts a price below its own cost. With ``u`` the
    costs rescaled to [0, 1] and ``p = min((reserve - cost_low)/(cost_high - cost_low), 1)``,
    for two or more bidders ``E[price; award] = 2 (1 - (1-p)**(n+1)) / (n+1) - 2 p (1-p)**n`` and
    ``E[winning cost; award] = (1 - (1-p)**(n+1)) / (n+1) - p (1-p)**n`` (rescaled), and the
    chance of an award is ``1 - (1-p)**n``. With no binding reserve these are the expected
    second-lowest and lowest of ``n`` uniform draws (:func:`order_statistic_mean`).

    Parameters
    ----------
    n_bidders : int
        Bidders, 1 to 1,000.
    cost_low, cost_high : float
        Range of bidders' costs (0 <= cost_low < cost_high <= 10^9), e.g. £ per child per year.
    reserve : float, optional
        The most the commissioner will pay (> cost_low); default none. Needed when there is one bidder.
    """
    n = _check_bidders(n_bidders)
    a, b = _check_costs(cost_low, cost_high)
    r = _check_reserve(reserve, a)
    if n == 1 and math.isinf(r):
        raise ValueError("reserve must be given when n_bidders is 1 (a lone bidder is paid the reserve); got None")
    w = b - a
    p = min((r - a) / w, 1.0)
    q = 1.0 - p
    p_award = 1.0 - q**n
    win_u = (1.0 - q ** (n + 1)) / (n + 1) - p * q**n
    if n == 1:
        paid = r * p_award
    else:
        paid = a * p_award + w * (2.0 * (1.0 - q ** (n + 1)) / (n + 1) - 2.0 * p * q**n)
    win = a * p_award + w * win_u
    in_house = (1.0 - p_award) * r if p_award < 1.0 else 0.0
    return TenderOutcome(n, p_award, paid / p_award, win / p_award, paid + in_house)


def simulate_tenders(
    n_bidders: int, cost_low: float, cost_high: float, reserve: float | None, n_tenders: int, seed: SeedLike
) -> TenderOutcome:
    """The tender of :func:`expected_tender`, run ``n_tenders`` times on uniform cost draws.

    Parameters
    ----------
    n_bidders, cost_low, cost_high, reserve
        As in :func:`expected_tender`.
    n_tenders : int
        Tenders simulated, >= 1; ``n_tenders * n_bidders`` at most 20 million.
    seed : int or numpy.random.Generator
    """
    n = _check_bidders(n_bidders)
    a, b = _check_costs(cost_low, cost_high)
    r = _check_reserve(reserve, a)
    if n == 1 and math.isinf(r):
        raise ValueError("reserve must be given when n_bidders is 1 (a lone bidder is paid the reserve); got None")
    m = check_integer("n_tenders", n_tenders, low=1, high=_MAX_DRAWS // n)
    rng = _generator(seed)
    costs = rng.uniform(a, b, size=(m, n))
    if n == 1:
        lowest, second = costs[:, 0], np.full(m, np.inf)
    else:
        part = np.partition(costs, 1, axis=1)
        lowest, second = part[:, 0], part[:, 1]
    award = lowest <= r
    price = np.minimum(second, r)
    p_award = float(award.mean())
    if not award.any():
        return TenderOutcome(n, 0.0, float("nan"), float("nan"), float(r))
    paid = float(np.where(award, price, 0.0).mean())
    in_house = (1.0 - p_award) * r if p_award < 1.0 else 0.0
    return TenderOutcome(n, p_award, float(price[award].mean()), float(lowest[award].mean()), paid + in_house)


def retender_price(
    potential_entrants: int, entry_probability: float, cost_low: float, cost_high: float, reserve: float
) -> float:
    """Expected cost to the commissioner of a re-tender against an incumbent.

    The incumbent bids again; each of ``potential_entrants`` rivals bids with chance
    ``entry_probability``, independently, all costs fresh uniform draws. The result is the mixture
    of :func:`expected_tender`'s ``commissioner_cost`` over the binomial number of bidders.

    Parameters
    ----------
    potential_entrants : int
        Rivals who could bid, 0 to 999.
    entry_probability : float
        Chance each bids, in [0, 1].
    cost_low, cost_high, reserve : float
        As in :func:`expected_tender` (the reserve is required).
    """
    m = check_integer("potential_entrants", potential_entrants, low=0, high=_MAX_BIDDERS - 1)
    q = check_probability("entry_probability", entry_probability)
    if reserve is None:
        raise ValueError("reserve must be given (a lone incumbent is paid the reserve); got None")
    weights = stats.binom.pmf(np.arange(m + 1), m, q)
    return float(sum(w * expected_tender(1 + k, cost_low, cost_high, reserve).commissioner_cost
                     for k, w in enumerate(weights) if w > 0))


def tender_defaults(scn: Scenario) -> dict[str, float]:
    """The chapter's tender under the scenario's scope: bidders' costs a child a year and the reserve, £.

    ``mean_cost`` is what a child costs the practice on average under the scope (:func:`child_rate`,
    chapter 5's flat capitation rate); ``cost_low`` and ``cost_high`` are that cost times ``1 -`` and
    ``1 +`` the assumption ``bidder_cost_spread`` (``spread``); ``reserve`` that cost times ``1 +``
    the assumption ``reserve_markup`` (``markup``); ``children`` the draft contract's 100. The
    assumptions are read through the scenario (:meth:`~swp_models.scenario.Scenario.value`), so a scenario can change them.
    """
    s = _scenario(scn)
    m = child_rate(s)
    spread = check_in_range("bidder_cost_spread", s.value("bidder_cost_spread"), 0.0, 1.0, low_open=True,
                            high_open=True)
    markup = check_in_range("reserve_markup", s.value("reserve_markup"), 0.0, 1.0)
    return {"mean_cost": m, "cost_low": m * (1 - spread), "cost_high": m * (1 + spread),
            "reserve": m * (1 + markup), "spread": spread, "markup": markup,
            "children": float(default_caseload().mean)}


def monopoly_cost(
    scn: Scenario, children: float | None = None, reserve_markup: float | None = None, spread: float | None = None
) -> dict[str, float]:
    """What losing the second provider costs the commissioner, and what re-tendering wins back.

    Parameters
    ----------
    scn : Scenario
        Sets the scope, and so the cost of a child the bidders' costs spread around (:func:`tender_defaults`).
    children : float, optional
        Children under the contract, in (0, 1,000,000]; default 100.
    reserve_markup : float, optional
        Reserve as a mark-up on the average cost of a child, in [0, 1]; default the scenario's.
    spread : float, optional
        Bidders' costs uniform within this fraction either side of the average cost, in (0, 1);
        default the scenario's.

    Returns
    -------
    dict
        £ a year for the whole contract: ``two_bidders`` and ``one_bidder`` (the commissioner's
        expected cost), ``loss`` (their difference), ``retender`` (expected cost of a re-tender
        with the assumed entrants), ``retender_saving`` (``one_bidder - retender``); and
        ``loss_per_child`` (£ per child per year) and ``loss_share`` (loss over the two-bidder cost).
    """
    s = _scenario(scn)
    d = tender_defaults(s)
    n = check_in_range("children", d["children"] if children is None else children, 0.0, 1e6, low_open=True)
    mark = check_in_range("reserve_markup", d["markup"] if reserve_markup is None else reserve_markup, 0.0, 1.0)
    sp = check_in_range("spread", d["spread"] if spread is None else spread, 0.0, 1.0, low_open=True, high_open=True)
    m = d["mean_cost"]
    low, high, reserve = m * (1 - sp), m * (1 + sp), m * (1 + mark)
    two = expected_tender(2, low, high, reserve).commissioner_cost
    one = expected_tender(1, low, high, reserve).commissioner_cost
    re = retender_price(int(s.value("potential_entrants")), s.value("retender_entry_probability"),
                        low, high, reserve)
    return {"two_bidders": n * two, "one_bidder": n * one, "loss": n * (one - two), "retender": n * re,
            "retender_saving": n * (one - re), "loss_per_child": one - two, "loss_share": (one - two) / two}


def tender_grid(
    scn: Scenario, max_bidders: int = 8, markups: tuple[float, ...] = tuple(round(0.025 * i, 3) for i in range(11)),
    *, n_tenders: int = TENDER_SIMS
) -> pd.DataFrame:
    """Expected price and the commissioner's cost against the number of bidders, for a grid of reserves.

    Closed form and simulation side by side, on the chapter's costs under the scenario's scope
    (:func:`tender_defaults`); the simulated tenders are drawn from a stream of the scenario's seed.

    Parameters
    ----------
    scn : Scenario
    max_bidders : int
        Bidders from 1 to this (1 to 50).
    markups : tuple of float
        Reserve mark-ups on the average cost of a child, each in [0, 1].
    n_tenders : int
        Simulated tenders per cell, 1 to 200,000.

    Returns
    -------
    pandas.DataFrame
        ``bidders``, ``markup``, ``price``, ``winning_cost``, ``commissioner_cost``, ``p_award``
        (closed form), ``sim_price``, ``sim_commissioner_cost`` (simulated), £ per child per year.
    """
    s = _scenario(scn)
    top = check_integer("max_bidders", max_bidders, low=1, high=50)
    sims = check_integer("n_tenders", n_tenders, low=1, high=200_000)
    marks = [check_in_range("markups", x, 0.0, 1.0) for x in check_sequence("markups", markups, min_len=0)]
    if not marks:
        raise ValueError("markups must hold at least one mark-up; got none")
    d = tender_defaults(s)
    rng = _stream(s, _TENDER_STREAM)
    rows = []
    for mark in marks:
        reserve = d["mean_cost"] * (1 + mark)
        for n in range(1, top + 1):
            cf = expected_tender(n, d["cost_low"], d["cost_high"], reserve)
            sim = simulate_tenders(n, d["cost_low"], d["cost_high"], reserve, sims, rng)
            rows.append({"bidders": n, "markup": mark, "price": cf.price, "winning_cost": cf.winning_cost,
                         "commissioner_cost": cf.commissioner_cost, "p_award": cf.p_award,
                         "sim_price": sim.price, "sim_commissioner_cost": sim.commissioner_cost})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Kansas: a flat rate per child against payment per child served
# ---------------------------------------------------------------------------------------

#: Kansas's two ways of paying, as the page names them.
KANSAS_NAMES: tuple[str, str] = ("Flat rate per child referred (1997)", "Monthly payment per child served (2000)")


def kansas_contracts(scn: Scenario, contracted_children: float) -> dict[str, contracts.Contract]:
    """Kansas's two ways of paying, as chapter 5's contracts under the scenario's scope.

    Both pay one rate a child: chapter 5's flat capitation rate, what a child costs the practice
    on average under the scope (:func:`child_rate`). The 1997 flat rate is paid on the children the
    contract was priced for, whatever the number actually served: chapter 5's block contract with
    the amount ``rate * contracted_children``. The 2000 monthly payment follows the children
    actually served: chapter 5's flat-rate capitation itself (:func:`swp_models.engine.book`).
    With ``contracted_children`` the expected caseload (100) the two are chapter 5's block
    contract and flat capitation.

    Parameters
    ----------
    scn : Scenario
    contracted_children : float
        Children the flat rate is priced for, in (0, 100,000].
    """
    s = _scenario(scn)
    n = check_in_range("contracted_children", contracted_children, 0.0, 100_000.0, low_open=True)
    book = engine.book(s)
    capitation = book[_FLAT]
    block = dataclasses.replace(book["Block"], amount=capitation.flat_rate * n)
    return {KANSAS_NAMES[0]: block, KANSAS_NAMES[1]: capitation}


def kansas_comparison(scn: Scenario, served_above: float | None = None, *, n_years: int | None = None) -> pd.DataFrame:
    """Kansas's flat rate and payment per child served, priced on the book's children under the scenario.

    The contractor is the book's practice: its children and its own costs are
    :func:`swp_models.engine.own_costs` (the first ``n_years`` of the one sample; 100 ± 10 children a
    year), under the scenario's scope. The flat rate was priced for fewer children than it serves:
    ``E[N] / (1 + served_above)``, so that it serves ``served_above`` more than it is paid for. Both
    contracts (:func:`kansas_contracts`) are priced with :func:`swp_models.contracts.compare` at the
    scenario's risk tolerance and split by :func:`swp_models.contracts.risk_sharing` on the same
    years. The payment per child served is chapter 5's flat capitation on chapter 5's years, so its
    row is the same as that contract's row of :func:`swp_models.engine.table` on the same years.

    Parameters
    ----------
    scn : Scenario
    served_above : float, optional
        Children served above the number the flat rate was priced for, a fraction in [0, 1];
        default the scenario's ``kansas_served_above_contracted`` (per cent) / 100.
    n_years : int, optional
        The first ``n_years`` of the book's sample, 100 to ``scn.simulation.n_years``; default all of it.

    Returns
    -------
    pandas.DataFrame
        One row per contract: ``contract``, ``scope``, ``served_above``, ``contracted_children``,
        ``mean_children`` (served, the sample's mean), then the columns of
        :func:`swp_models.contracts.compare` and of :func:`swp_models.contracts.risk_sharing`
        (the contractor's share of caseload, case-mix, within-group and overall cost risk).
    """
    s = _scenario(scn)
    above = check_in_range("served_above", s.value("kansas_served_above_contracted") / 100
                           if served_above is None else served_above, 0.0, 1.0)
    if n_years is not None:
        check_integer("n_years", n_years, low=100, high=s.simulation.n_years)
    years = engine.own_costs(s, n_years)
    contracted = years.expected_count / (1 + above)
    book = kansas_contracts(s, contracted)
    out = contracts.compare(book, years, s.risk_tolerance).merge(contracts.risk_sharing(book, years), on="contract")
    out.insert(1, "scope", s.scope)
    out.insert(2, "served_above", above)
    out.insert(3, "contracted_children", contracted)
    out.insert(4, "mean_children", float(years.counts.mean()))
    return out


# ---------------------------------------------------------------------------------------
# Kansas's failure: a case rate per referral set below cost
# ---------------------------------------------------------------------------------------

#: Shortfalls of the case rate below the true cost of a child priced on the page, as fractions (0.05 is 5% too low).
CASE_RATE_SHORTFALLS: tuple[float, ...] = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2)


def _case_rate_inputs(scn: Scenario, n_years: int | None) -> tuple[Scenario, object, contracts.Contract, float, int]:
    s = _scenario(scn)
    if n_years is not None:
        check_integer("n_years", n_years, low=100, high=s.simulation.n_years)
    years = engine.own_costs(s, n_years)
    fair = kansas_contracts(s, years.expected_count)[KANSAS_NAMES[0]]
    return s, years, fair, engine.reserves(s), int(s.term_years)


def case_rate_shortfall(scn: Scenario, shortfall: float, *, n_years: int | None = None) -> dict[str, float]:
    """A provider paid a case rate per child referred that was set from a cost estimate too low by ``shortfall``.

    Kansas's 1997 contracts paid a rate for each child referred, set before anyone knew what the new
    system would cost. Here the rate is chapter 5's flat rate under the scenario's scope (what a child
    really costs the practice on average, :func:`child_rate`) times ``1 - shortfall``, paid for the
    children the contract expects (the 1997 contract of :func:`kansas_contracts`), on the book's own
    practice-years (:func:`swp_models.engine.own_costs`). The provider's reserves (``engine.reserves``)
    carry its losses over the scenario's contract term; when they run out it fails
    (:func:`swp_models.contracts.liability.term_failure`).

    Parameters
    ----------
    scn : Scenario
        Sets the scope, reserves, term and the children.
    shortfall : float
        How far the cost estimate behind the rate is too low, a fraction in [0, 1) (0.05: 5% too low).
    n_years : int, optional
        The first ``n_years`` of the book's sample, 100 to ``scn.simulation.n_years``; default all of it.

    Returns
    -------
    dict
        ``shortfall``; ``rate`` (£ per child a year) and ``fair_rate`` (the true average cost of a child);
        ``mean_surplus`` (£ a year, negative: a loss); ``p_loss`` (chance of a loss in a year);
        ``p_fail_term`` (chance the provider's reserves run out within the term); ``absorbed`` (losses beyond its
        reserves that fall back on the council, £ per year served); ``reserves`` (£) and ``term_years``.
    """
    x = check_in_range("shortfall", shortfall, 0.0, 1.0, high_open=True)
    s, years, fair, reserves, term = _case_rate_inputs(scn, n_years)
    paid = dataclasses.replace(fair, amount=fair.amount * (1.0 - x))
    surplus = paid.surplus(years)
    fail = contracts.liability.term_failure(surplus, reserves, term)
    rate = child_rate(s)
    return {"shortfall": x, "rate": rate * (1.0 - x), "fair_rate": rate, "mean_surplus": float(surplus.mean()),
            "p_loss": float(np.mean(surplus < 0)), "p_fail_term": fail.p_fail_term,
            "absorbed": fail.absorbed_per_year, "reserves": reserves, "term_years": float(term)}


def case_rate_grid(scn: Scenario, shortfalls: tuple[float, ...] = CASE_RATE_SHORTFALLS, *,
                   n_years: int | None = None) -> pd.DataFrame:
    """:func:`case_rate_shortfall` over a list of shortfalls, one row each, with the scenario's ``scope``.

    Parameters
    ----------
    scn : Scenario
    shortfalls : tuple of float
        1 to 100 shortfalls, each in [0, 1).
    n_years : int, optional
        As in :func:`case_rate_shortfall`.
    """
    s = _scenario(scn)
    xs = [check_in_range("shortfalls", x, 0.0, 1.0, high_open=True)
          for x in check_sequence("shortfalls", shortfalls, min_len=1, max_len=100)]
    rows = [case_rate_shortfall(s, x, n_years=n_years) for x in xs]
    out = pd.DataFrame(rows)
    out.insert(0, "scope", s.scope)
    return out


def case_rate_breaking_point(scn: Scenario, chance: float = 0.5, *, n_years: int | None = None) -> dict[str, float]:
    """How far below cost a case rate can be set before the provider fails.

    Parameters
    ----------
    scn : Scenario
    chance : float, default 0.5
        The chance of failing within the term that counts as failing, in (0, 1): 0.5, more often than not.
    n_years : int, optional
        As in :func:`case_rate_shortfall`.

    Returns
    -------
    dict
        ``simulated``: the smallest shortfall at which the provider fails within the term with at least
        ``chance`` (0 if it already does at a fair rate), by bisection on the simulated terms;
        ``expected``: the shortfall at which the expected loss over the term equals the reserves,
        ``reserves / (term_years * fair_rate * E[N])`` (the loss of a rate too low by ``x`` is ``x`` times the
        fair payment); ``p_fail_fair``: the chance of failing within the term at a fair rate.
    """
    c = check_in_range("chance", chance, 0.0, 1.0, low_open=True, high_open=True)
    s, years, fair, reserves, term = _case_rate_inputs(scn, n_years)

    def p_fail(x: float) -> float:
        paid = dataclasses.replace(fair, amount=fair.amount * (1.0 - x))
        return contracts.liability.term_failure(paid.surplus(years), reserves, term).p_fail_term

    at_fair = p_fail(0.0)
    if at_fair >= c:
        found = 0.0
    else:
        lo, hi = 0.0, 0.999
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if p_fail(mid) < c else (lo, mid)
        found = hi
    return {"simulated": found, "expected": reserves / (term * fair.amount), "p_fail_fair": at_fair}


# ---------------------------------------------------------------------------------------
# Illinois: a permanency bonus and the durability rule
# ---------------------------------------------------------------------------------------

@cached(maxsize=1)
def _illinois_terms() -> tuple[tuple[str, float], ...]:
    return (
        ("threshold_share", outcomes.evidence("illinois_permanency_threshold") / 100),
        ("window_months", _intl("Illinois", "reunification_min_months")),
        ("rate", outcomes.assumption("permanency_rate")),
        ("reentry_within_year", outcomes.assumption("reentry_within_year")),
        ("bonus", outcomes.assumption("permanency_bonus")),
        ("caseload", float(default_caseload().mean)),
    )


def illinois_terms() -> dict[str, float]:
    """The Illinois bonus's terms, from chapter 6's data and assumptions.

    ``threshold_share`` (24% of the caseload, ASPE), ``window_months`` (12, Annex A.3),
    ``rate`` (chance a child moves to a permanent home in a year), ``reentry_within_year`` (share
    of reunifications breaking down within a year), ``bonus`` (£ per child above the threshold)
    and ``caseload`` (100).
    """
    return dict(_illinois_terms())


def _illinois_inputs(window_months: float | None, reentry_within_year: float | None,
                     rate: float | None) -> tuple[dict[str, float], float, float, float]:
    t = illinois_terms()
    w = check_in_range("window_months", t["window_months"] if window_months is None else window_months, 0.0, 60.0)
    p = t["reentry_within_year"] if reentry_within_year is None else reentry_within_year
    hazard = outcomes.reentry_hazard(p)
    r = check_probability("rate", t["rate"] if rate is None else rate)
    return t, w, hazard, r


def illinois_bonus(
    window_months: float | None = None, *, reentry_within_year: float | None = None, rate: float | None = None
) -> dict[str, float]:
    """Expected Illinois bonus for a practice of 100 children in a year, counting moves that last ``window_months``.

    Each child moves to a permanent home with chance ``rate``; a move counts if it lasts the
    window, with chance ``exp(-hazard * window)`` (``swp_models.outcomes.durability_rule``, the
    hazard from ``swp_models.outcomes.reentry_hazard``); the bonus is paid per counted move
    above 24% of the caseload (``swp_models.outcomes.permanency_bonus``, exact). Every
    permanent move is treated as one that can break down, as chapter 6 does.

    Parameters
    ----------
    window_months : float, optional
        Months a move must last to count, in [0, 60]; default Illinois's 12. 0: no rule.
    reentry_within_year : float, optional
        Share of moves breaking down within a year, in [0, 1); default chapter 6's assumption.
    rate : float, optional
        Chance in [0, 1] a child moves in the year; default chapter 6's assumption.

    Returns
    -------
    dict
        ``lasting_share``, ``expected_moves`` (counted), ``threshold`` (children), ``p_bonus``,
        ``expected_bonus`` (£ a year) and ``paid_for_breakdowns`` (£ a year a bonus without any
        rule would pay for moves that break down within the window, before the threshold).
    """
    t, w, hazard, r = _illinois_inputs(window_months, reentry_within_year, rate)
    n = int(t["caseload"])
    rule = outcomes.durability_rule(n * r, t["bonus"], hazard, window_years=w / 12) if w > 0 else None
    lasting = 1.0 if rule is None else rule.lasting_share
    out = outcomes.permanency_bonus(n, r, t["threshold_share"], t["bonus"], lasting_share=lasting)
    return {"lasting_share": lasting, **out, "paid_for_breakdowns": 0.0 if rule is None else rule.paid_for_breakdowns}


def simulate_illinois(
    window_months: float | None = None,
    *,
    n_years: int,
    seed: SeedLike,
    reentry_within_year: float | None = None,
    rate: float | None = None,
) -> pd.DataFrame:
    """Simulated practice-years of the Illinois bonus: moves drawn, each move's duration drawn.

    Moves in a year are ``Binomial(100, rate)``; each lasts an exponential time at the re-entry
    hazard (``swp_models.outcomes.simulate_reunification_spells``) and counts if it lasts
    ``window_months``. Same parameters as :func:`illinois_bonus`, plus ``n_years`` (1 to 2,000,000)
    and ``seed`` (an integer >= 0 or a numpy Generator).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``moves``, ``counted`` and ``bonus`` (£).
    """
    t, w, hazard, r = _illinois_inputs(window_months, reentry_within_year, rate)
    m = check_integer("n_years", n_years, low=1, high=2_000_000)
    rng = _generator(seed)
    n = int(t["caseload"])
    moves = rng.binomial(n, r, size=m)
    total = int(moves.sum())
    if w == 0 or total == 0 or hazard == 0:
        counted = moves.copy()
    else:
        spells = outcomes.simulate_reunification_spells(total, hazard, int(rng.integers(0, 2**31 - 1)))
        lasting = (spells >= w / 12).astype(np.int64)
        year = np.repeat(np.arange(m), moves)
        counted = np.bincount(year, weights=lasting, minlength=m).astype(np.int64)
    cut = math.floor(t["threshold_share"] * n + 1e-9)
    bonus = t["bonus"] * np.maximum(counted - cut, 0)
    return pd.DataFrame({"moves": moves, "counted": counted, "bonus": bonus.astype(float)})


def illinois_comparison(scn: Scenario, n_years: int | None = None) -> pd.DataFrame:
    """The Illinois bonus without a durability rule and with the 12-month rule: exact and simulated.

    Parameters
    ----------
    scn : Scenario
        Its simulation sets the simulated years (default ``scn.simulation.n_years``) and their seed
        (a stream of the scenario's seed of the Illinois check's own).
    n_years : int, optional
        Simulated years, 1 to 2,000,000.

    Returns
    -------
    pandas.DataFrame
        One row per rule (``rule``: "No durability rule", "Counted after 12 months"), with
        ``window_months``, ``lasting_share``, ``expected_moves`` (counted), ``p_bonus``,
        ``expected_bonus`` (exact, £ a year), ``sim_bonus``, ``sim_p_bonus`` and ``sim_sd`` (simulated).
    """
    s = _scenario(scn)
    m = s.simulation.n_years if n_years is None else check_integer("n_years", n_years, low=1, high=2_000_000)
    window = illinois_terms()["window_months"]
    rows = []
    for name, w in (("No durability rule", 0.0), (f"Counted after {window:g} months", window)):
        exact = illinois_bonus(w)
        # The same stream for both rules: the same moves, counted two ways.
        sim = simulate_illinois(w, n_years=m, seed=_stream(s, _ILLINOIS_STREAM))
        rows.append({"rule": name, "window_months": w, "lasting_share": exact["lasting_share"],
                     "expected_moves": exact["expected_moves"], "p_bonus": exact["p_bonus"],
                     "expected_bonus": exact["expected_bonus"], "sim_bonus": float(sim["bonus"].mean()),
                     "sim_p_bonus": float((sim["bonus"] > 0).mean()), "sim_sd": float(sim["bonus"].std())})
    return pd.DataFrame(rows)


def illinois_rates(step: float = 0.01, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The Illinois bonus with and without the 12-month rule over the plausible permanency rates.

    The rates run from the low to the high end of chapter 6's assumption ``permanency_rate`` in
    steps of ``step`` (the assumed value included).

    Parameters
    ----------
    step : float, default 0.01
        Step of the rates, in [0.001, 0.1].

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``rate``, ``p_bonus_none`` and ``bonus_none`` (no durability rule: chance of a
        bonus in a year, expected £ a year), ``p_bonus_rule`` and ``bonus_rule`` (counted after 12 months)
        and ``cut`` (the share of the bonus the rule removes; NaN where no bonus is expected either way).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    h = check_in_range("step", step, 0.001, 0.1)
    low, value, high = assumptions.bounds("permanency_rate", data_dir=data_dir)
    rates = sorted(set(np.round(np.arange(low, high + h / 2, h), 6)) | {round(value, 6)})
    window = illinois_terms()["window_months"]
    rows = []
    for r in rates:
        none, rule = illinois_bonus(0.0, rate=float(r)), illinois_bonus(window, rate=float(r))
        cut = 1 - rule["expected_bonus"] / none["expected_bonus"] if none["expected_bonus"] > 0 else float("nan")
        rows.append({"rate": float(r), "p_bonus_none": none["p_bonus"], "bonus_none": none["expected_bonus"],
                     "p_bonus_rule": rule["p_bonus"], "bonus_rule": rule["expected_bonus"], "cut": cut})
    return pd.DataFrame(rows)


def illinois_reversal(chance: float = 0.5, window_months: float | None = None) -> float:
    """The permanency rate at which the Illinois bonus is paid in a share ``chance`` of years.

    Below it the bonus is the exception; above it, the rule. Solved by bisection on the exact
    chance (:func:`illinois_bonus`, increasing in the rate).

    Parameters
    ----------
    chance : float, default 0.5
        In (0, 1).
    window_months : float, optional
        Months a move must last to count, in [0, 60]; default Illinois's 12.
    """
    c = check_in_range("chance", chance, 0.0, 1.0, low_open=True, high_open=True)
    w = illinois_terms()["window_months"] if window_months is None else check_in_range(
        "window_months", window_months, 0.0, 60.0)
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if illinois_bonus(w, rate=mid)["p_bonus"] < c else (lo, mid)
    return (lo + hi) / 2


def illinois_grid() -> pd.DataFrame:
    """Expected Illinois bonus against the window (0 to 24 months) for re-entry shares of 10% to 40%.

    Returns
    -------
    pandas.DataFrame
        ``reentry`` (%), ``window_months``, ``expected_bonus`` (£ a year) and ``p_bonus``.
    """
    rows = []
    for reentry in (10, 15, 20, 25, 30, 35, 40):
        for w in range(0, 25, 3):
            b = illinois_bonus(float(w), reentry_within_year=reentry / 100)
            rows.append({"reentry": reentry, "window_months": w, "expected_bonus": b["expected_bonus"],
                         "p_bonus": b["p_bonus"]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Massachusetts: a bonus above a standard set with or without a baseline
# ---------------------------------------------------------------------------------------

#: ``"guess"``: the standard is set before the pilot from a guess of the practice's outcome rate
#: and applies in both years; ``"baseline"``: the first year is unpaid and measures the standard,
#: the second is paid against it (Massachusetts's order, squeezed into a two-year pilot).
BONUS_DESIGNS: tuple[str, ...] = ("guess", "baseline")


def _check_bonus_inputs(design: str, improvement: float, base_rate: float, children: int, bonus: float,
                        guess_sd: float, icc: float) -> tuple[str, float, float, int, float, float, float]:
    check_one_of("design", design, BONUS_DESIGNS)
    p = check_in_range("base_rate", base_rate, 0.0, 1.0, low_open=True, high_open=True)
    d = check_in_range("improvement", improvement, -p, 1.0 - p)
    n = check_integer("children", children, low=1, high=10_000)
    b = check_nonnegative("bonus_per_child", bonus)
    s = check_in_range("guess_sd", guess_sd, 0.0, 1.0, low_open=True)
    r = check_in_range("icc", icc, 0.0, 1.0, high_open=True)
    return design, d, p, n, b, s, r


def _bonus_defaults(design: str, improvement: float, base_rate: float | None, children: int | None,
                    bonus: float | None, guess_sd: float | None,
                    icc: float | None) -> tuple[str, float, float, int, float, float, float]:
    return _check_bonus_inputs(
        design, improvement,
        contracts.assumption("outcome_base_probability") if base_rate is None else base_rate,
        default_caseload().mean if children is None else children,
        assumption("bonus_per_child_above_standard") if bonus is None else bonus,
        assumption("standard_guess_sd") if guess_sd is None else guess_sd,
        assumptions.value("icc") if icc is None else icc)


def _beta(rate: float, icc: float) -> tuple[float, float]:
    """The beta distribution of a year's outcome chance with mean ``rate`` and intra-practice correlation ``icc``."""
    scale = (1.0 - icc) / icc
    return rate * scale, (1.0 - rate) * scale


def _count_pmf(n: int, rate: float, icc: float) -> np.ndarray:
    """Chance that 0..n of a practice's ``n`` children have the outcome in a year (beta-binomial; binomial at ICC 0)."""
    k = np.arange(n + 1)
    if icc == 0 or rate in (0.0, 1.0):
        return stats.binom.pmf(k, n, rate)
    return stats.betabinom.pmf(k, n, *_beta(rate, icc))


def _draw_counts(rng: np.random.Generator, n: int, rate: float, icc: float, size: int | tuple[int, ...]) -> np.ndarray:
    """Children with the outcome in simulated practice-years: the year's chance drawn, then the children."""
    if icc == 0 or rate in (0.0, 1.0):
        return rng.binomial(n, rate, size=size)
    return rng.binomial(n, rng.beta(*_beta(rate, icc), size=size))


def _mean_excess_normal(mu: np.ndarray, sd: float) -> np.ndarray:
    """``E[max(mu + sd Z, 0)]`` for standard normal ``Z``."""
    z = mu / sd
    return mu * special.ndtr(z) + sd * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def bonus_expectation(
    design: str,
    improvement: float = 0.0,
    *,
    icc: float | None = None,
    base_rate: float | None = None,
    children: int | None = None,
    bonus_per_child: float | None = None,
    guess_sd: float | None = None,
) -> float:
    """Expected bonus over a two-year pilot paid per child with the outcome above a standard (exact).

    Each year ``K`` of the practice's ``children`` children have the outcome. The children of one
    practice share the year's circumstances, so their outcomes are correlated: the year's chance is
    drawn from a beta distribution with mean ``base_rate + improvement`` and intra-practice
    correlation ``icc``, and ``K`` is beta-binomial, its variance ``1 + (children - 1) icc`` times
    the binomial's (the design effect of chapters 8 and 9). Years are independent. With
    ``design="guess"`` the standard is ``children * (base_rate + e)``, ``e ~ Normal(0, guess_sd)``
    (an unbiased guess), and both years pay ``bonus_per_child * max(K - standard, 0)``; the
    expectation is the exact sum over ``K`` of the normal partial expectation. With
    ``design="baseline"`` year 1 (at the base rate) sets the standard ``K1`` and year 2 pays
    ``bonus_per_child * max(K2 - K1, 0)``, summed exactly over both distributions.

    Parameters
    ----------
    design : str
        ``"guess"`` or ``"baseline"``.
    improvement : float
        Rise in the chance of the outcome the practice achieves in the paid years, in
        ``[-base_rate, 1 - base_rate]``; 0 = none (the bonus is then a windfall).
    icc : float, optional
        Intra-practice correlation of the outcome, in [0, 1) (0: independent children); default
        the central scenario's (the scenario's ``icc``, the assumption ``icc``).
    base_rate : float, optional
        Chance of the outcome without improvement, in (0, 1); default chapter 5's
        ``outcome_base_probability`` (a child keeps one social worker all year).
    children : int, optional
        Children in the practice, 1 to 10,000; default 100.
    bonus_per_child : float, optional
        £ per child above the standard, >= 0; default the assumption.
    guess_sd : float, optional
        Standard deviation of the guess, in (0, 1]; default the assumption (used by ``"guess"``).

    Returns
    -------
    float
        Expected bonus over the pilot, £.
    """
    design, d, p, n, b, s, r = _bonus_defaults(design, improvement, base_rate, children, bonus_per_child,
                                               guess_sd, icc)
    k = np.arange(n + 1)
    pmf_paid = _count_pmf(n, p + d, r)
    if design == "guess":
        per_year = float(np.dot(pmf_paid, n * _mean_excess_normal(k / n - p, s)))
        return 2.0 * b * per_year
    pmf_base = _count_pmf(n, p, r)
    diff = k[:, None] - k[None, :]
    return b * float(pmf_paid @ np.maximum(diff, 0) @ pmf_base)


def simulate_bonus(
    design: str,
    improvement: float = 0.0,
    *,
    n_pilots: int = BONUS_PILOTS,
    seed: SeedLike,
    icc: float | None = None,
    base_rate: float | None = None,
    children: int | None = None,
    bonus_per_child: float | None = None,
    guess_sd: float | None = None,
) -> np.ndarray:
    """The bonus of :func:`bonus_expectation` over ``n_pilots`` simulated two-year pilots, £ each.

    Each pilot year draws the year's chance of the outcome (beta, for the ICC), then the children.
    Parameters are those of :func:`bonus_expectation`, plus ``n_pilots`` (1 to 2,000,000) and
    ``seed`` (an integer >= 0 or a numpy Generator).
    """
    design, d, p, n, b, s, r = _bonus_defaults(design, improvement, base_rate, children, bonus_per_child,
                                               guess_sd, icc)
    m = check_integer("n_pilots", n_pilots, low=1, high=2_000_000)
    rng = _generator(seed)
    if design == "guess":
        standard = n * (p + s * rng.standard_normal(m))
        k = _draw_counts(rng, n, p + d, r, (2, m))
        return b * np.maximum(k - standard, 0.0).sum(axis=0)
    k1 = _draw_counts(rng, n, p, r, m)
    k2 = _draw_counts(rng, n, p + d, r, m)
    return b * np.maximum(k2 - k1, 0).astype(float)


def _bonus_terms(scn: Scenario) -> dict[str, float]:
    """The Massachusetts terms read through the scenario (so a scenario can change any of them)."""
    return {"icc": scn.icc, "base_rate": scn.value("outcome_base_probability"),
            "bonus_per_child": scn.value("bonus_per_child_above_standard"),
            "guess_sd": scn.value("standard_guess_sd")}


def bonus_table(scn: Scenario, improvement_points: float = 5.0) -> pd.DataFrame:
    """The two designs of a pilot's bonus compared, with the scenario's ICC and assumptions.

    Parameters
    ----------
    scn : Scenario
        Gives the ICC (the scenario's ``icc``), the outcome's base rate, the bonus, the guess's error
        and the seed of the simulated check (a stream of its own).
    improvement_points : float
        A real improvement to price, percentage points in (0, 100 * (1 - base rate)].

    Returns
    -------
    pandas.DataFrame
        One row per design: ``design``; ``windfall`` (expected bonus for no improvement, exact, £);
        ``windfall_sim`` (simulated); ``sd`` (spread of that bonus, simulated, £); ``p_nothing``
        (chance the pilot pays nothing with no improvement); ``with_improvement`` (expected bonus
        with the improvement, £); ``extra_for_improvement`` (what the improvement adds to the
        expected bonus, £); ``paid_years``; ``icc``.
    """
    s = _scenario(scn)
    terms = _bonus_terms(s)
    base = check_in_range("outcome_base_probability", terms["base_rate"], 0.0, 1.0, low_open=True, high_open=True)
    pts = check_in_range("improvement_points", improvement_points, 0.0, 100 * (1 - base), low_open=True)
    rng = _stream(s, _BONUS_STREAM)
    rows = []
    for design in BONUS_DESIGNS:
        sims = simulate_bonus(design, 0.0, seed=rng, **terms)
        windfall = bonus_expectation(design, 0.0, **terms)
        better = bonus_expectation(design, pts / 100, **terms)
        rows.append({"design": design, "windfall": windfall, "windfall_sim": float(sims.mean()),
                     "sd": float(sims.std()), "p_nothing": float(np.mean(sims == 0)),
                     "with_improvement": better, "extra_for_improvement": better - windfall,
                     "paid_years": 2 if design == "guess" else 1, "icc": terms["icc"]})
    return pd.DataFrame(rows)


@cached(maxsize=4)
def _bonus_grid(icc: float, base_rate: float, bonus_per_child: float) -> pd.DataFrame:
    rows = []
    for sd in (0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2):
        for pts in range(0, 16):
            for design in BONUS_DESIGNS:
                rows.append({"guess_sd": sd, "improvement": pts, "design": design,
                             "bonus": bonus_expectation(design, pts / 100, guess_sd=sd, icc=icc, base_rate=base_rate,
                                                        bonus_per_child=bonus_per_child)})
    return pd.DataFrame(rows)


def bonus_grid(scn: Scenario) -> pd.DataFrame:
    """Expected bonus over the pilot against real improvement (0 to 15 points), for a grid of guess errors.

    Parameters
    ----------
    scn : Scenario
        Gives the ICC, the outcome's base rate and the bonus.

    Returns
    -------
    pandas.DataFrame
        ``guess_sd`` (0.025 to 0.2), ``improvement`` (percentage points), ``design`` and ``bonus``
        (expected, £ over the pilot); the baseline design does not depend on ``guess_sd``.
    """
    t = _bonus_terms(_scenario(scn))
    return _bonus_grid(t["icc"], t["base_rate"], t["bonus_per_child"]).copy()


def _icc_terms(scn: Scenario, icc: float) -> dict[str, float]:
    return {**_bonus_terms(scn), "icc": check_in_range("icc", icc, 0.0, 1.0, high_open=True)}


def _icc_row(scn: Scenario, icc: float, points: float) -> dict[str, float]:
    t = _icc_terms(scn, icc)
    guess, base = bonus_expectation("guess", 0.0, **t), bonus_expectation("baseline", 0.0, **t)
    extra_guess = bonus_expectation("guess", points / 100, **t) - guess
    extra_base = bonus_expectation("baseline", points / 100, **t) - base
    return {"icc": t["icc"], "design_effect": outcomes.design_effect(default_caseload().mean, t["icc"]),
            "windfall_guess": guess, "windfall_baseline": base, "ratio": guess / base,
            "guess_per_year": guess / 2, "extra_guess": extra_guess, "extra_baseline": extra_base}


#: The ICCs of the page's table, across the range of the assumption ``icc`` (0.01 to 0.2) and at its central 0.05.
BONUS_ICCS: tuple[float, ...] = (0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2)


def bonus_icc(scn: Scenario, iccs: tuple[float, ...] = BONUS_ICCS, improvement_points: float = 5.0) -> pd.DataFrame:
    """The Massachusetts comparison over the intra-practice correlation (ICC), everything else the scenario's.

    Parameters
    ----------
    scn : Scenario
        Gives the outcome's base rate, the bonus and the guess's error.
    iccs : tuple of float
        1 to 50 ICCs, each in [0, 1).
    improvement_points : float
        The real improvement priced, percentage points in (0, 15].

    Returns
    -------
    pandas.DataFrame
        One row per ICC: ``icc``; ``design_effect`` (``1 + (n - 1) ICC`` for the practice's children,
        :func:`swp_models.outcomes.design_effect`); ``windfall_guess`` and ``windfall_baseline`` (expected bonus
        over the pilot for no improvement, £); ``ratio`` (guess over baseline); ``guess_per_year`` (the guess's
        windfall per paid year); ``extra_guess`` and ``extra_baseline`` (what the improvement adds, £).
    """
    s = _scenario(scn)
    xs = [check_in_range("iccs", x, 0.0, 1.0, high_open=True)
          for x in check_sequence("iccs", iccs, min_len=1, max_len=50)]
    pts = check_in_range("improvement_points", improvement_points, 0.0, 15.0, low_open=True)
    return pd.DataFrame([_icc_row(s, x, pts) for x in xs])


#: The two lessons of the Massachusetts section that can reverse with the ICC.
ICC_LESSONS: tuple[str, ...] = ("per_year", "luck")


def bonus_icc_reversal(scn: Scenario, lesson: str, improvement_points: float = 5.0) -> float:
    """The ICC at which a Massachusetts lesson reverses, or NaN if it holds for every ICC in [0, 0.5].

    ``lesson="per_year"``: a baseline year pays less for luck than a guessed standard does per paid year;
    above the ICC returned it pays more. ``lesson="luck"``: a baseline year pays more for luck than the
    improvement adds; below the ICC returned it pays less. Solved by bisection on the exact sums
    (:func:`bonus_expectation`), each difference changing sign once as the ICC rises.

    Parameters
    ----------
    scn : Scenario
    lesson : str
        ``"per_year"`` or ``"luck"``.
    improvement_points : float
        The real improvement priced, percentage points in (0, 15].
    """
    s = _scenario(scn)
    which = check_one_of("lesson", lesson, ICC_LESSONS)
    pts = check_in_range("improvement_points", improvement_points, 0.0, 15.0, low_open=True)

    def gap(icc: float) -> float:
        r = _icc_row(s, icc, pts)
        if which == "per_year":
            return r["windfall_baseline"] - r["guess_per_year"]
        return r["windfall_baseline"] - r["extra_baseline"]

    lo, hi = 0.0, 0.5
    g_lo, g_hi = gap(lo), gap(hi)
    if (g_lo > 0) == (g_hi > 0):
        return float("nan")
    for _ in range(30):
        mid = (lo + hi) / 2
        g = gap(mid)
        lo, hi, g_lo = (mid, hi, g) if (g > 0) == (g_lo > 0) else (lo, mid, g_lo)
    return (lo + hi) / 2
