"""Paying a practice on outcomes: mixed and pure outcome payment, caps, and reserves over the term (chapter 6).

A contract here pays a practice-year ``P = F + O`` where ``O = min(beta K, cap)`` is paid on
an outcome count ``K`` (:mod:`swp_models.outcomes`; level or value added) and ``F`` is fixed.
The rate ``beta = phi V / E[K] + b`` combines a share ``phi`` of the contract's value
``V = E[C] (1 + margin)`` paid on outcomes (the 2008 proposal: from nothing in year one to
60% in year four) and a bonus ``b`` per unit (the report's mixed contract, s.6.1.6); ``F``
is set so that the expected payment at the reference effort is ``V`` whatever the terms, so
contracts differ only in who bears which risk. The practice's surplus is ``P - C`` (``C``
the children's cost, chapter 3), less any part above a surplus cap returned to the council
(s.7).

Over a term of several years the practice's reserves start at ``R0`` and move by each
year's surplus; it fails when they fall below zero, and nobody loses more than they have:
the shortfall falls on the council (:func:`reserve_paths`). Years are independent draws:
the same children staying from year to year would make good and bad years run together,
which would raise the chance of failure.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from . import assumptions, contracts, engine, liability
from .scenario import Scenario
from .outcomes import (
    INDICATORS,
    MEASURES,
    OutcomeDraws,
    YearOutcomes,
    assumption,
    default_outcome_model,
    evidence,
    simulate_outcomes,
)
from .validation import (check_finite, check_in_range, check_instance, check_integer, check_nonnegative, check_one_of,
                         check_positive, check_probability)

__all__ = [
    "OutcomeTerms",
    "OutcomeContract",
    "build_contract",
    "funding_schedule",
    "price",
    "reserve_paths",
    "term_paths",
    "chapter_draws",
    "chapter_contracts",
    "contract_table",
    "mixed_grid",
    "term_grid",
    "schedule_by_year",
    "term_shortfall",
    "financial_schedule",
    "financial_schedule_csv",
    "CHAPTER_YEARS",
    "CHAPTER_SEED",
    "TERM_YEARS",
]

#: Practice-years behind the chapter's figures.
CHAPTER_YEARS = 20_000
#: Seed of the chapter's simulations.
CHAPTER_SEED = 2008
#: The longest contract term priced (years).
TERM_YEARS = 4
_STEP = 0.05
_MAX_CHILDREN = 100_000  # an expected caseload above this is a mistake, not a practice


@dataclass(frozen=True)
class OutcomeTerms:
    """The terms of an outcome contract.

    Parameters
    ----------
    share_on_outcomes : float, default 0
        ``phi`` in [0, 1]: share of the contract's value paid in proportion to the outcome count.
    bonus_per_child : float, default 0
        ``b`` >= 0: £ per unit of the count on top (a child with the outcome; with
        ``indicator="all"`` each child can count up to three times).
    indicator : str, default "all"
        One of :data:`swp_models.outcomes.INDICATORS` or ``"all"`` (their sum).
    measure : str, default "level"
        ``"level"`` or ``"value_added"``.
    bonus_cap : float, optional
        Most by which the outcome payment ``O`` may exceed its expected value in a year, £ >= 0;
        default none.
    surplus_cap : float, optional
        Surplus above which a share returns to the council, £ >= 0 (s.7); default none.
    surplus_return_share : float, default 1
        Share in [0, 1] of surplus above the cap returned (1: a hard cap).
    basis : str, default "count"
        ``"count"``: pay on the number of children counted (so pay also grows with the
        caseload); ``"share"``: pay on the share of the year's children counted, times the
        expected caseload (pay on outcomes alone).
    margin : float, optional
        Expected margin over the children's expected cost, share in [0, 0.5]; default the
        assumption ``contract_margin``.
    """

    share_on_outcomes: float = 0.0
    bonus_per_child: float = 0.0
    indicator: str = "all"
    measure: str = "level"
    bonus_cap: float | None = None
    surplus_cap: float | None = None
    surplus_return_share: float = 1.0
    basis: str = "count"
    margin: float | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "share_on_outcomes", check_probability("share_on_outcomes", self.share_on_outcomes))
        s(self, "bonus_per_child", check_in_range("bonus_per_child", self.bonus_per_child, 0.0, 1e7))
        check_one_of("indicator", self.indicator, INDICATORS + ("all",))
        check_one_of("measure", self.measure, MEASURES)
        check_one_of("basis", self.basis, ("count", "share"))
        if self.bonus_cap is not None:
            s(self, "bonus_cap", check_nonnegative("bonus_cap", self.bonus_cap))
        if self.surplus_cap is not None:
            s(self, "surplus_cap", check_nonnegative("surplus_cap", self.surplus_cap))
        s(self, "surplus_return_share", check_probability("surplus_return_share", self.surplus_return_share))
        margin = assumptions.value("contract_margin") if self.margin is None else self.margin
        s(self, "margin", check_in_range("margin", margin, 0.0, 0.5))


@dataclass(frozen=True)
class OutcomeContract:
    """Terms made concrete on simulated children: the value ``V``, the rate ``beta``, the fixed part ``F``
    and the largest outcome payment (£)."""

    terms: OutcomeTerms
    value: float
    rate: float
    fixed: float
    expected_count: float
    cap_level: float | None
    counts: np.ndarray

    def __post_init__(self) -> None:
        check_instance("terms", self.terms, OutcomeTerms, "OutcomeTerms")
        check_nonnegative("value", self.value)
        check_nonnegative("rate", self.rate)
        check_finite("fixed", self.fixed)
        check_in_range("expected_count", self.expected_count, 0.0, float(_MAX_CHILDREN), low_open=True)
        if self.cap_level is not None:
            check_nonnegative("cap_level", self.cap_level)
        check_instance("counts", self.counts, np.ndarray, "numpy array")
        if self.counts.ndim != 1 or self.counts.size == 0:
            raise ValueError(f"counts must be a non-empty one-dimensional array; got shape {self.counts.shape}")

    def outcome_payment(self, outcomes: YearOutcomes) -> np.ndarray:
        """The part of each year's payment that depends on outcomes, £."""
        pay = self.rate * _counted(self.terms, outcomes, self.counts)
        return pay if self.cap_level is None else np.minimum(pay, self.cap_level)

    def surplus(self, outcomes: YearOutcomes, costs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The practice's surplus after any cap, and the amount returned to the council, each year (£)."""
        raw = self.fixed + self.outcome_payment(outcomes) - costs
        if self.terms.surplus_cap is None:
            return raw, np.zeros_like(raw)
        back = self.terms.surplus_return_share * np.maximum(raw - self.terms.surplus_cap, 0.0)
        return raw - back, back


def _check_reference(reference: object) -> YearOutcomes:
    return check_instance("reference", reference, YearOutcomes, "YearOutcomes (draws.at(effort))")


def build_contract(terms: OutcomeTerms, draws: OutcomeDraws, reference: YearOutcomes | None = None) -> OutcomeContract:
    """Set ``V``, ``beta`` and ``F`` for ``terms`` on ``draws`` (at the reference effort).

    Parameters
    ----------
    terms : OutcomeTerms
    draws : OutcomeDraws
    reference : YearOutcomes, optional
        ``draws.at(draws.reference_effort)``, when already computed.
    """
    if not isinstance(terms, OutcomeTerms):
        raise ValueError(f"terms must be OutcomeTerms; got {terms!r}")
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    ref = draws.at(draws.reference_effort) if reference is None else _check_reference(reference)
    value = draws.years.expected_total * (1.0 + terms.margin)
    kids = draws.years.counts
    count = _counted(terms, ref, kids)
    expected = float(count.mean())
    rate = terms.share_on_outcomes * value / expected + terms.bonus_per_child if expected > 0 else 0.0
    cap = None if terms.bonus_cap is None else rate * expected + terms.bonus_cap
    pay = rate * count if cap is None else np.minimum(rate * count, cap)
    return OutcomeContract(terms, value, rate, value - float(pay.mean()), expected, cap, kids)


def _counted(terms: OutcomeTerms, outcomes: YearOutcomes, kids: np.ndarray) -> np.ndarray:
    count = outcomes.count(terms.indicator, terms.measure)
    if terms.basis == "share":
        return count * (float(kids.mean()) / kids)
    return count


def price(contract: OutcomeContract, draws: OutcomeDraws, risk_tolerance: float,
          reference: YearOutcomes | None = None, step: float = _STEP) -> dict[str, float]:
    """One contract's figures for the practice and the council, per year, at the reference effort.

    Returns
    -------
    dict
        ``outcome_pay`` (mean £), ``sd_surplus``, ``p_loss``, ``surplus_p5`` (worst year in
        20), ``risk_premium`` (exact CARA), ``incentive`` (£ a year the practice gains from
        0.1 more effort), ``returned`` (mean £ back to the council under a surplus cap) and
        ``council_cost`` (the contract value plus the premium, £: terms set so that the
        practice just accepts, its baseline raised by whatever a cap returns).
    """
    check_instance("contract", contract, OutcomeContract, "OutcomeContract")
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    contracts.risk_aversion(risk_tolerance)  # checks risk_tolerance by name
    step = check_in_range("step", step, 0.0, 0.5, low_open=True)
    e = draws.reference_effort
    ref = draws.at(e) if reference is None else _check_reference(reference)
    costs = draws.years.totals
    surplus, back = contract.surplus(ref, costs)
    lo, hi = max(e - step, 0.0), min(e + step, 1.0)
    gain = (contract.surplus(draws.at(hi), costs)[0].mean() - contract.surplus(draws.at(lo), costs)[0].mean())
    rp = contracts.risk_premium(surplus, risk_tolerance)
    return {
        "outcome_pay": float(contract.outcome_payment(ref).mean()),
        "sd_surplus": float(surplus.std()),
        "p_loss": float(np.mean(surplus < 0)),
        "surplus_p5": float(np.quantile(surplus, 0.05)),
        "risk_premium": rp,
        "incentive": float(gain / (hi - lo) * 0.1),
        "returned": float(back.mean()),
        "council_cost": float(contract.value + rp),
    }


def funding_schedule() -> tuple[float, ...]:
    """Share of funding paid on outcomes in years one to four of the 2008 proposal.

    Years one and four are the reported figures (nothing, 60%; Community Care, 2 June 2008);
    years two and three are assumptions on a straight line between them.
    """
    return (evidence("schedule_first_year_share") / 100, assumption("schedule_year_two_share") / 100,
            assumption("schedule_year_three_share") / 100, evidence("schedule_year_four_share") / 100)


def reserve_paths(surplus: np.ndarray, reserves: float) -> dict[str, np.ndarray]:
    """Reserves year by year over a contract term, with failure when they run out.

    ``R_t = R_0 + pi_1 + ... + pi_t``; the practice has failed by year ``t`` if any
    ``R_s < 0`` for ``s <= t``. A failed practice stops; its shortfall ``-R_s`` in the year
    it fails falls on the council (limited liability).

    Parameters
    ----------
    surplus : numpy.ndarray
        Shape ``(n_paths, years)``, £ per year, finite; 1 to 10,000,000 values.
    reserves : float
        ``R_0`` >= 0, £.

    Returns
    -------
    dict
        ``p_failed`` (by each year, shape ``(years,)``), ``reserves_p5``, ``reserves_median``
        (of surviving and failed paths alike, with failed paths held at their shortfall)
        and ``council_shortfall`` (mean £ over paths, a scalar array).
    """
    paths = liability.term_paths(surplus, reserves)
    return {
        "p_failed": paths.p_failed,
        "reserves_p5": paths.reserves_p5,
        "reserves_median": paths.reserves_median,
        "council_shortfall": np.asarray(paths.council_shortfall),
    }


def term_paths(shares_by_year: tuple[float, ...] | list[float], draws: OutcomeDraws, **terms: object) -> np.ndarray:
    """Surplus paths over a term: year ``t`` of every path paid with ``share_on_outcomes = shares_by_year[t]``.

    The simulated years are read as consecutive ``(n_years // T, T)`` paths.

    Parameters
    ----------
    shares_by_year : sequence of float
        ``phi`` for each year of the term, 1 to 10 years, each in [0, 1].
    draws : OutcomeDraws
    **terms
        Other :class:`OutcomeTerms` fields (the same every year).
    """
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    shares = list(shares_by_year) if isinstance(shares_by_year, (list, tuple)) else None
    if not shares or len(shares) > 10:
        raise ValueError(f"shares_by_year must hold 1 to 10 shares; got {shares_by_year!r}")
    years = len(shares)
    n_paths = draws.years.n_years // years
    if n_paths < 1:
        raise ValueError(f"draws must hold at least {years} practice-years; got {draws.years.n_years}")
    ref = draws.at(draws.reference_effort)
    costs = draws.years.totals
    out = np.empty((n_paths, years))
    for t, phi in enumerate(shares):
        contract = build_contract(OutcomeTerms(share_on_outcomes=phi, **terms), draws, ref)  # type: ignore[arg-type]
        surplus = contract.surplus(ref, costs)[0]
        out[:, t] = surplus[: n_paths * years].reshape(n_paths, years)[:, t]
    return out


# ---------------------------------------------------------------------------------------
# Chapter 6: contracts on the page
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def chapter_draws(n_years: int = CHAPTER_YEARS, seed: int = CHAPTER_SEED, clustered: bool = True) -> OutcomeDraws:
    """The chapter's simulated practice-years with outcomes (cached)."""
    return simulate_outcomes(default_outcome_model(), n_years, seed, clustered=clustered)


def _reserves() -> float:
    return engine.reserves(Scenario.central(scope="placements"))


def _risk_tolerance() -> float:
    return contracts.assumption("risk_tolerance")


def chapter_contracts() -> dict[str, OutcomeTerms]:
    """The contracts compared in the chapter, by name (assumed terms from the data)."""
    b = contracts.assumption("outcome_bonus")
    schedule = funding_schedule()
    out = {"Block (nothing on outcomes)": OutcomeTerms()}
    out[f"Mixed: £{b:,.0f} per unit, levels"] = OutcomeTerms(bonus_per_child=b)
    out[f"Mixed: £{b:,.0f} per unit, value added"] = OutcomeTerms(bonus_per_child=b, measure="value_added")
    for t, phi in enumerate(schedule[1:], start=2):
        out[f"2008 proposal, year {t}: {100 * phi:.0f}% on outcomes"] = OutcomeTerms(share_on_outcomes=phi)
    out["Wholly on outcomes (per child counted)"] = OutcomeTerms(share_on_outcomes=1.0)
    out["Wholly on outcomes (share of children)"] = OutcomeTerms(share_on_outcomes=1.0, basis="share")
    out[f"60% on outcomes, at most £{assumption('bonus_cap') / 1000:,.0f}k above expected"] = OutcomeTerms(
        share_on_outcomes=schedule[-1], bonus_cap=assumption("bonus_cap"))
    cap = assumption("surplus_cap")
    out[f"Mixed, surplus capped at £{cap / 1000:,.0f}k (s.7)"] = OutcomeTerms(bonus_per_child=b, surplus_cap=cap)
    share = assumption("surplus_return_share")
    out[f"Mixed, {100 * share:.0f}% of surplus above £{cap / 1000:,.0f}k returned"] = OutcomeTerms(
        bonus_per_child=b, surplus_cap=cap, surplus_return_share=share)
    return out


@lru_cache(maxsize=1)
def _contract_table() -> pd.DataFrame:
    draws = chapter_draws()
    ref = draws.at(draws.reference_effort)
    tol = _risk_tolerance()
    reserves = _reserves()
    rows = []
    for name, terms in chapter_contracts().items():
        c = build_contract(terms, draws, ref)
        row = {"contract": name, "rate": c.rate, **price(c, draws, tol, ref)}
        surplus = c.surplus(ref, draws.years.totals)[0]
        row["p_fail_year"] = float(np.mean(surplus < -reserves))
        rows.append(row)
    return pd.DataFrame(rows)


def contract_table() -> pd.DataFrame:
    """:func:`price` for every chapter contract, with ``rate`` (£ per unit) and ``p_fail_year``
    (chance that one year's loss exceeds the assumed reserves)."""
    return _contract_table().copy()


#: Grid of the mixed-contract chart: bonus per unit (£), measure and bonus cap (£; 0 = none).
GRID_BONUSES: tuple[float, ...] = tuple(float(b) for b in range(0, 5001, 500))
GRID_CAPS: tuple[float, ...] = (0.0, 25_000.0, 50_000.0, 100_000.0)


@lru_cache(maxsize=1)
def mixed_grid() -> pd.DataFrame:
    """The mixed contract over bonus per unit, level or value added, and a bonus cap (precomputed).

    Columns ``bonus``, ``measure``, ``cap`` (0 = none) and :func:`price`'s figures.
    """
    draws = chapter_draws()
    ref = draws.at(draws.reference_effort)
    tol = _risk_tolerance()
    rows = []
    for measure in MEASURES:
        for cap in GRID_CAPS:
            for b in GRID_BONUSES:
                terms = OutcomeTerms(bonus_per_child=b, measure=measure, bonus_cap=cap or None)
                c = build_contract(terms, draws, ref)
                rows.append({"bonus": b, "measure": measure, "cap": cap, **price(c, draws, tol, ref)})
    return pd.DataFrame(rows)


GRID_SHARES: tuple[float, ...] = tuple(round(0.1 * i, 1) for i in range(11))
GRID_RESERVES: tuple[float, ...] = (100_000.0, 250_000.0, 500_000.0)


@lru_cache(maxsize=1)
def term_grid() -> pd.DataFrame:
    """Chance of failure by year over a four-year term: a constant share on outcomes, or the 2008 schedule.

    Columns ``plan`` (``"constant"`` or ``"2008 schedule"``), ``share`` (the constant share;
    NaN for the schedule), ``reserves`` (£), ``year`` (1-4), ``p_failed``, ``reserves_median``.
    """
    draws = chapter_draws()
    rows = []
    plans = [("constant", s, (s,) * TERM_YEARS) for s in GRID_SHARES]
    plans.append(("2008 schedule", float("nan"), funding_schedule()))
    for plan, share, shares in plans:
        paths = term_paths(shares, draws)
        for r0 in GRID_RESERVES:
            res = reserve_paths(paths, r0)
            for t in range(TERM_YEARS):
                rows.append({"plan": plan, "share": share, "reserves": r0, "year": t + 1,
                             "p_failed": float(res["p_failed"][t]), "reserves_median": float(res["reserves_median"][t])})
    return pd.DataFrame(rows)


def schedule_by_year() -> pd.DataFrame:
    """The 2008 schedule year by year: the share on outcomes, the rate per unit and the practice's risk.

    Columns ``year``, ``share``, ``rate`` (£ per unit of the count), ``sd_surplus``,
    ``p_loss``, ``risk_premium``, ``p_failed`` (by that year, assumed reserves).
    """
    draws = chapter_draws()
    ref = draws.at(draws.reference_effort)
    tol = _risk_tolerance()
    shares = funding_schedule()
    failed = reserve_paths(term_paths(shares, draws), _reserves())["p_failed"]
    rows = []
    for t, phi in enumerate(shares):
        c = build_contract(OutcomeTerms(share_on_outcomes=phi), draws, ref)
        p = price(c, draws, tol, ref)
        rows.append({"year": t + 1, "share": phi, "rate": c.rate, "sd_surplus": p["sd_surplus"], "p_loss": p["p_loss"],
                     "risk_premium": p["risk_premium"], "p_failed": float(failed[t])})
    return pd.DataFrame(rows)


def term_shortfall(shares_by_year: tuple[float, ...] | None = None, reserves: float | None = None) -> float:
    """Mean £ of losses beyond the practice's reserves that fall on the council over a term (limited liability).

    Parameters
    ----------
    shares_by_year : tuple of float, optional
        Share on outcomes each year; default the 2008 schedule (:func:`funding_schedule`).
    reserves : float, optional
        £ >= 0; default the assumption ``practice_reserves``.
    """
    shares = funding_schedule() if shares_by_year is None else shares_by_year
    r0 = _reserves() if reserves is None else reserves
    return float(reserve_paths(term_paths(shares, chapter_draws()), r0)["council_shortfall"])


def financial_schedule(terms: OutcomeTerms | None = None, years: int = TERM_YEARS,
                       draws: OutcomeDraws | None = None) -> pd.DataFrame:
    """The draft contract's Art. 9 "Financial Arrangements" filled in from the chosen terms.

    Parameters
    ----------
    terms : OutcomeTerms, optional
        Default: the report's mixed contract on value added, with the assumed bonus,
        bonus cap and surplus sharing.
    years : int, default 4
        Contract term, 1 to 10 years; one review date a year (Art. 5: "on an annual basis").
    draws : OutcomeDraws, optional
        The simulated children that set the figures; default :func:`chapter_draws`.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``term`` (in words and £), ``basis``.
    """
    n = check_integer("years", years, low=1, high=10)
    if terms is None:
        terms = OutcomeTerms(bonus_per_child=contracts.assumption("outcome_bonus"), measure="value_added",
                             bonus_cap=assumption("bonus_cap"), surplus_cap=assumption("surplus_cap"),
                             surplus_return_share=assumption("surplus_return_share"))
    if not isinstance(terms, OutcomeTerms):
        raise ValueError(f"terms must be OutcomeTerms; got {terms!r}")
    if draws is None:
        draws = chapter_draws()
    elif not isinstance(draws, OutcomeDraws):
        raise ValueError(f"draws must be OutcomeDraws; got {draws!r}")
    c = build_contract(terms, draws)
    words = {"all": "each child with fewer than three placements, each with the same social worker all year, and "
                    "each reaching the attainment target (up to three units a child)",
             "stable_placement": "each child with fewer than three placements in the year",
             "same_worker": "each child with the same social worker all year",
             "attainment": "each child reaching the attainment target"}
    per_child = draws.years.expected_total / draws.years.expected_count
    review = int(evidence("review_interval"))
    rows = [
        ("Children", "100 children, plus or minus 10", "Art. 4"),
        ("Contract value (expected payment)", f"£{c.value:,.0f} a year (£{c.value / 100:,.0f} a child)",
         f"expected cost of the children (£{per_child:,.0f} a child) plus a {100 * terms.margin:.0f}% margin"),
        ("Baseline (fixed) payment", f"£{c.fixed:,.0f} a year, paid monthly", "contract value less the expected outcome payment"),
        ("Outcome payment", f"£{c.rate:,.0f} per unit: {words[terms.indicator]}", "Art. 3 and Arts. 22 and 25"),
        ("How outcomes are counted", "value added: the count less its expected value given each child's needs group "
         "and prior attainment at referral, plus the expected count" if terms.measure == "value_added" else
         "levels: the count at the year end", "s.6.1.6 footnote 2; baseline data, Art. 6"),
        ("Expected outcome payment", f"£{c.value - c.fixed:,.0f} a year", "at the practice's assumed effort"),
        ("Cap on the outcome payment", "none" if terms.bonus_cap is None else
         f"at most £{terms.bonus_cap:,.0f} a year above the expected outcome payment", "assumption"),
        ("Surplus cap and sharing (s.7)", "none" if terms.surplus_cap is None else
         f"{100 * terms.surplus_return_share:.0f}% of any surplus above £{terms.surplus_cap:,.0f} a year returned to the council",
         "s.7: a cap on surplus or a share returned"),
        ("Reunifications and permanent homes", f"counted only after {12:d} continuous months", "Illinois rule, Annex A.3"),
        ("Review dates", ", ".join(f"month {review * (k + 1)}" for k in range(n)) + f" (term {n} years)", "Art. 5: annual review"),
    ]
    return pd.DataFrame(rows, columns=["item", "term", "basis"])


def financial_schedule_csv(terms: OutcomeTerms | None = None, years: int = TERM_YEARS) -> tuple[str, str]:
    """:func:`financial_schedule` as CSV text and as a ``data:`` URI for a download link (no server needed)."""
    buf = io.StringIO()
    financial_schedule(terms, years).to_csv(buf, index=False, lineterminator="\n")
    text = buf.getvalue()
    uri = "data:text/csv;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")
    return text, uri
