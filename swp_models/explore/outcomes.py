"""Live explorer for chapter 6: price an outcome contract on any terms.

Needs a running kernel (Jupyter or Voila) and ``ipywidgets``. The children and their
outcomes are re-simulated only when the number of workers, the number of years or the seed
changes; every other control re-prices the contract on the same children.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import contracts
from .. import outcome_contracts as oc
from .. import outcomes as om
from ..validation import check_integer, check_one_of, check_positive
from . import LivePanel, html_table

__all__ = ["OutcomeExplorer", "YEAR_OPTIONS", "explorer", "price_terms"]

_SIM_CONTROLS = ("social_workers", "n_years", "seed")
#: The numbers of simulated practice-years the explorer offers (10,000 took 1.7 s of CPU to re-simulate).
YEAR_OPTIONS: tuple[int, ...] = (2_000, 5_000)
_INDICATORS = [("All three (sum)", "all"), ("Fewer than three placements", "stable_placement"),
               ("Same social worker all year", "same_worker"), ("Attainment target reached", "attainment")]


@dataclass(frozen=True)
class _Sim:
    key: tuple
    draws: om.OutcomeDraws


def price_terms(draws: om.OutcomeDraws, terms: oc.OutcomeTerms, risk_tolerance: float, reserves: float,
                term_years: int = oc.TERM_YEARS) -> dict[str, Any]:
    """The explorer's computation without widgets: one contract's figures and its reserves over a term.

    Parameters
    ----------
    draws : OutcomeDraws
    terms : OutcomeTerms
    risk_tolerance : float
        ``1/r``, £ > 0.
    reserves : float
        Reserves at the start, £ >= 0.
    term_years : int, default 4
        Years of the term, 1 to 10.

    Returns
    -------
    dict
        ``price`` (:func:`~swp_models.outcome_contracts.price`), ``rate`` (£ per unit),
        ``fixed`` (£), ``p_failed`` (by year, constant terms) and ``p_failed_2008`` (by
        year under the 2008 schedule with the same other terms, four years).
    """
    tol = check_positive("risk_tolerance", risk_tolerance)
    n = check_integer("term_years", term_years, low=1, high=10)
    ref = draws.at(draws.reference_effort)
    c = oc.build_contract(terms, draws, ref)
    other = {k: getattr(terms, k) for k in ("bonus_per_child", "indicator", "measure", "bonus_cap", "surplus_cap",
                                            "surplus_return_share", "basis", "margin")}
    const = oc.reserve_paths(oc.term_paths((terms.share_on_outcomes,) * n, draws, **other), reserves)
    sched = oc.reserve_paths(oc.term_paths(oc.funding_schedule(), draws, **other), reserves)
    return {"price": oc.price(c, draws, tol, ref), "rate": c.rate, "fixed": c.fixed,
            "p_failed": const["p_failed"], "p_failed_2008": sched["p_failed"]}


def _gbp(x: float) -> str:
    return f"{'−' if x < -0.5 else ''}£{abs(x):,.0f}"


class OutcomeExplorer(LivePanel):
    """An ipywidgets panel: the terms of an outcome contract as controls, and its figures.

    Attributes: ``controls`` (every input's widget by name), ``result`` (the HTML output),
    ``timing`` and ``last_seconds`` (how long the last recomputation took).
    """

    def __init__(self, n_years: int = 5_000, seed: int = oc.CHAPTER_SEED) -> None:
        check_one_of("n_years", n_years, YEAR_OPTIONS)
        check_integer("seed", seed, low=0, high=2**31 - 1)
        super().__init__()
        a = om.assumption
        add = self.add
        terms = [
            add("share_on_outcomes", widgets.FloatSlider(value=0.0, min=0, max=1, step=0.05,
                                                         description="Share of the contract paid on outcomes")),
            add("bonus_per_child", widgets.FloatSlider(value=contracts.assumption("outcome_bonus"), min=0, max=10_000,
                                                       step=250, readout_format=",.0f",
                                                       description="Bonus per unit on top (£)")),
            add("indicator", widgets.Dropdown(options=_INDICATORS, value="all", description="Paid on")),
            add("measure", widgets.Dropdown(options=[("levels", "level"), ("value added", "value_added")],
                                            value="level", description="Counted as")),
            add("basis", widgets.Dropdown(options=[("per child counted", "count"), ("share of children", "share")],
                                          value="count", description="Outcome pay follows")),
            add("bonus_cap", widgets.FloatSlider(value=0, min=0, max=500_000, step=10_000, readout_format=",.0f",
                                                 description="Outcome pay at most this above expected (£, 0 = none)")),
            add("surplus_cap", widgets.FloatSlider(value=0, min=0, max=500_000, step=10_000, readout_format=",.0f",
                                                   description="Surplus cap, s.7 (£ a year, 0 = none)")),
            add("surplus_return_share", widgets.FloatSlider(value=1.0, min=0, max=1, step=0.05,
                                                            description="Share above the cap returned")),
            add("margin", widgets.FloatSlider(value=a("contract_margin"), min=0, max=0.1, step=0.005,
                                              readout_format=".3f", description="Margin over expected cost")),
        ]
        practice = [
            add("reserves", widgets.FloatSlider(value=a("practice_reserves"), min=0, max=1_000_000, step=25_000,
                                                readout_format=",.0f", description="Reserves at the start (£)")),
            add("term_years", widgets.IntSlider(value=oc.TERM_YEARS, min=1, max=10, description="Contract term (years)")),
            add("risk_tolerance", widgets.FloatLogSlider(value=contracts.assumption("risk_tolerance"), base=10, min=4,
                                                         max=7, step=0.05, readout_format=",.0f",
                                                         description="Practice's risk tolerance 1/r (£)")),
            add("social_workers", widgets.IntSlider(value=int(a("social_workers")), min=1, max=20,
                                                    description="Social workers (caseloads)")),
            add("n_years", widgets.Dropdown(options=list(YEAR_OPTIONS), value=n_years,
                                            description="Simulated practice-years")),
            add("seed", widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Random seed")),
        ]
        tabs = widgets.Tab(children=[widgets.VBox(terms), widgets.VBox(practice)])
        tabs.set_title(0, "Contract terms")
        tabs.set_title(1, "Practice and simulation")
        self._sim: _Sim | None = None
        self.wire(tabs)

    def _draws(self, v: dict[str, Any]) -> om.OutcomeDraws:
        key = tuple(v[name] for name in _SIM_CONTROLS)
        if self._sim is None or self._sim.key != key:
            model = om.default_outcome_model(int(v["social_workers"]))
            self._sim = _Sim(key, om.simulate_outcomes(model, v["n_years"], v["seed"]))
        return self._sim.draws

    def compute(self, v: dict[str, Any]) -> str:
        """Price the contract on the settings ``v`` and return the result's HTML."""
        draws = self._draws(v)
        terms = oc.OutcomeTerms(
            share_on_outcomes=v["share_on_outcomes"], bonus_per_child=v["bonus_per_child"],
            indicator=v["indicator"], measure=v["measure"], basis=v["basis"],
            bonus_cap=v["bonus_cap"] or None, surplus_cap=v["surplus_cap"] or None,
            surplus_return_share=v["surplus_return_share"], margin=v["margin"])
        out = price_terms(draws, terms, v["risk_tolerance"], v["reserves"], v["term_years"])
        schedule = oc.financial_schedule(terms, v["term_years"], draws)
        return self._render(out, schedule, draws)

    @staticmethod
    def _render(out: dict[str, Any], schedule: Any, draws: om.OutcomeDraws) -> str:
        p = out["price"]
        summary = (f"<p>Outcome rate <b class='swp-explorer-rate'>{_gbp(out['rate'])}</b> a unit; fixed part "
                   f"{_gbp(out['fixed'])} a year; {draws.years.n_years:,} simulated years.</p>")
        rows = [("Paid on outcomes (mean)", _gbp(p["outcome_pay"])), ("Practice: sd of surplus", _gbp(p["sd_surplus"])),
                ("Chance of a loss in a year", f"{100 * p['p_loss']:.0f}%"),
                ("Worst year in 20", _gbp(p["surplus_p5"])), ("Risk premium", _gbp(p["risk_premium"])),
                ("Reward for 0.1 more effort", _gbp(p["incentive"])), ("Returned to the council (s.7)", _gbp(p["returned"])),
                ("Council: value plus premium", _gbp(p["council_cost"]))]
        years = np.arange(1, len(out["p_failed"]) + 1)
        fail = [(f"Year {t}", f"{100 * f:.1f}%") for t, f in zip(years, out["p_failed"])]
        fail2008 = [(f"Year {t}", f"{100 * f:.1f}%") for t, f in zip(range(1, 5), out["p_failed_2008"])]
        sched = [tuple(str(x) for x in r) for r in schedule.itertuples(index=False)]
        return (summary + html_table("The practice and the council (£ a year)", rows, ("Figure", "Value"))
                + html_table("Practice failed by (these terms every year)", fail, ("Year", "Chance"))
                + html_table("Practice failed by (2008 schedule: 0%, 20%, 40%, 60% on outcomes)", fail2008,
                             ("Year", "Chance"))
                + html_table("Financial schedule (Art. 9)", sched, ("Item", "Term", "Basis")))


def explorer(n_years: int = 5_000, seed: int = oc.CHAPTER_SEED) -> OutcomeExplorer:
    """The chapter 6 explorer: the terms of an outcome contract as controls, re-priced on change.

    Parameters
    ----------
    n_years : int
        Simulated practice-years to start with, one of :data:`YEAR_OPTIONS` (2,000 or 5,000).
    seed : int
        Random seed of the simulated children.
    """
    return OutcomeExplorer(n_years=n_years, seed=seed)
