"""Live explorer for chapter 6: price an outcome contract on any terms.

Needs a running kernel (Jupyter or Voila) and ``ipywidgets``. It opens on the book's numbers:
the chapter's children (:func:`~swp_models.outcome_contracts.chapter_draws`, the first
practice-years of the book's one sample, cached), the central scenario's scope, margin,
reserves, term and risk tolerance, and the report's mixed contract, so its first figures are the
chapter's table row for that contract. The children and their outcomes are re-simulated only when
the number of workers, the number of years or the seed changes; every other control re-prices the
contract on the same children.

The other scope's chapter figures (its costs on the chapter's children and its Art. 9 schedule, about
3 s of CPU) are prepared in a background thread as the explorer opens, so that switching the scope
re-prices at once; a switch made before they are ready waits for them (``wait_ready``, which every live panel has).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import contracts, engine
from .. import outcome_contracts as oc
from .. import outcomes as om
from .. import schedule as art9
from ..contracts import PracticeYears
from ..scenario import SCOPE_NAMES, Scenario
from ..validation import check_instance, check_integer, check_one_of
from . import LivePanel, html_table
from .workbook import add_download

__all__ = ["OutcomeExplorer", "YEAR_OPTIONS", "explorer", "price_terms"]

_SIM_CONTROLS = ("social_workers", "n_years", "seed")
#: Smaller samples the explorer offers besides the book's own (10,000 years took 1.7 s of CPU to re-simulate).
YEAR_OPTIONS: tuple[int, ...] = (2_000, 5_000)
_INDICATORS = [("All three (sum)", "all"), ("Fewer than three placements", "stable_placement"),
               ("Same social worker all year", "same_worker"), ("Attainment target reached", "attainment")]


@dataclass(frozen=True)
class _Sim:
    key: tuple
    draws: om.OutcomeDraws


def price_terms(scn: Scenario, terms: oc.OutcomeTerms, draws: om.OutcomeDraws | None = None,
                costs: PracticeYears | None = None) -> dict[str, Any]:
    """The explorer's computation without widgets: one contract's figures and its reserves over a term.

    Parameters
    ----------
    scn : Scenario
        The risk tolerance, reserves (:func:`swp_models.engine.reserves`) and term.
    terms : OutcomeTerms
    draws : OutcomeDraws, optional
        Default the chapter's (:func:`~swp_models.outcome_contracts.chapter_draws`).
    costs : PracticeYears, optional
        The practice's own costs in the draws' years; default the chapter's for the scenario's
        scope with the chapter's draws (:func:`~swp_models.outcome_contracts.chapter_costs`),
        the scenario's scope applied to the draws' children otherwise.

    Returns
    -------
    dict
        ``price`` (:func:`~swp_models.outcome_contracts.price`), ``rate`` (£ per unit),
        ``fixed`` (£), ``p_failed`` (by year of ``scn.term_years``, constant terms) and
        ``p_failed_2008`` (by year under the 2008 schedule with the same other terms, four years).
    """
    check_instance("scn", scn, Scenario, "Scenario (swp_models.scenario.Scenario.central())")
    check_instance("terms", terms, oc.OutcomeTerms, "OutcomeTerms")
    if draws is None:
        draws = oc.chapter_draws(scn)
        own = oc.chapter_costs(scn) if costs is None else costs
    else:
        check_instance("draws", draws, om.OutcomeDraws, "OutcomeDraws")
        own = engine.scope(scn).apply(draws.years) if costs is None else costs
    ref = draws.at(draws.reference_effort)
    c = oc.build_contract(terms, draws, ref, own)
    other = {k: getattr(terms, k) for k in ("bonus_per_child", "indicator", "measure", "bonus_cap", "surplus_cap",
                                            "surplus_return_share", "basis", "margin")}
    reserves = engine.reserves(scn)
    const = oc.reserve_paths(oc.term_paths((terms.share_on_outcomes,) * scn.term_years, draws, own, **other), reserves)
    sched = oc.reserve_paths(oc.term_paths(oc.funding_schedule(), draws, own, **other), reserves)
    return {"price": oc.price(c, draws, scn.risk_tolerance, ref, costs=own), "rate": c.rate, "fixed": c.fixed,
            "p_failed": const["p_failed"], "p_failed_2008": sched["p_failed"]}


def _scenario_of(v: dict[str, Any]) -> Scenario:
    """The scenario the explorer's settings ``v`` describe (the central one with its controls applied)."""
    central = Scenario.central()
    changes = {k: v[k] for k in ("scope", "margin", "reserve_months", "term_years", "risk_tolerance")
               if v[k] != getattr(central, k)}
    return central.replace(label="explorer", **changes) if changes else central


def _gbp(x: float) -> str:
    return f"{'−' if x < -0.5 else ''}£{abs(x):,.0f}"


_TOLERANCE_TIP = "Risk tolerance (1/r in chapter 5): the larger it is, the less a risky year costs the practice"


class OutcomeExplorer(LivePanel):
    """An ipywidgets panel: the terms of an outcome contract as controls, and its figures.

    Attributes: ``controls`` (every input's widget by name), ``result`` (the HTML output),
    ``timing`` and ``last_seconds`` (how long the last recomputation took).
    """

    def __init__(self, n_years: int | None = None, seed: int | None = None) -> None:
        central = Scenario.central()
        self._book = (int(om.assumption("social_workers")), central.simulation.outcome_years, central.simulation.seed)
        n_years = central.simulation.outcome_years if n_years is None else n_years
        check_one_of("n_years", n_years, (*YEAR_OPTIONS, central.simulation.outcome_years))
        seed = central.simulation.seed if seed is None else check_integer("seed", seed, low=0, high=2**31 - 1)
        super().__init__()
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
            add("margin", widgets.FloatSlider(value=central.margin, min=0, max=0.1, step=0.005,
                                              readout_format=".3f", description="Margin over expected cost")),
        ]
        practice = [
            add("scope", widgets.Dropdown(options=[(name, key) for key, name in SCOPE_NAMES.items()],
                                          value=central.scope, description="What the practice pays for")),
            add("reserve_months", widgets.FloatSlider(value=central.reserve_months, min=0, max=24, step=0.5,
                                                      description="Reserves (months of running cost)")),
            add("term_years", widgets.IntSlider(value=central.term_years, min=1, max=10,
                                                description="Contract term (years)")),
            add("risk_tolerance", widgets.FloatLogSlider(value=central.risk_tolerance, base=10, min=4,
                                                         max=7, step=0.05, readout_format=",.0f",
                                                         description="Risk the practice will bear (£)",
                                                         tooltip=_TOLERANCE_TIP)),
            add("social_workers", widgets.IntSlider(value=self._book[0], min=1, max=20,
                                                    description="Social workers (caseloads)")),
            add("n_years", widgets.Dropdown(options=sorted({*YEAR_OPTIONS, central.simulation.outcome_years}),
                                            value=n_years, description="Simulated practice-years")),
            add("seed", widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Random seed")),
        ]
        tabs = widgets.Tab(children=[widgets.VBox(terms), widgets.VBox(practice)])
        tabs.set_title(0, "Contract terms")
        tabs.set_title(1, "Practice and simulation")
        self._sim: _Sim | None = None
        self.wire(tabs)  # the first figures (the opening scope's), then the other scope's in the background
        self.prepare(lambda: self._prepare_other_scopes(central.scope), "swp-outcome-explorer-scopes")

    @staticmethod
    def _prepare_other_scopes(opened: str) -> None:
        """Price the chapter's figures of every scope but ``opened`` (cached by the engine and the schedule)."""
        for scope in SCOPE_NAMES:
            if scope != opened:
                scn = Scenario.central(scope=scope)
                oc.chapter_costs(scn)
                art9.financial_schedule(scn, art9.chosen_terms(scn))

    def _draws(self, v: dict[str, Any]) -> om.OutcomeDraws | None:
        """The children's outcomes for the settings; ``None`` for the book's own (the chapter's cached draws)."""
        key = tuple(v[name] for name in _SIM_CONTROLS)
        if key == self._book:
            return None
        # Only the book's own children come at the book's size; new children are drawn at most YEAR_OPTIONS' largest.
        key = (key[0], min(key[1], max(YEAR_OPTIONS)), key[2])
        if self._sim is None or self._sim.key != key:
            model = om.default_outcome_model(int(key[0]))
            self._sim = _Sim(key, om.simulate_outcomes(model, key[1], key[2]))
        return self._sim.draws

    def terms(self, v: dict[str, Any]) -> oc.OutcomeTerms:
        """The contract terms the settings ``v`` describe."""
        return oc.OutcomeTerms(
            share_on_outcomes=v["share_on_outcomes"], bonus_per_child=v["bonus_per_child"],
            indicator=v["indicator"], measure=v["measure"], basis=v["basis"],
            bonus_cap=v["bonus_cap"] or None, surplus_cap=v["surplus_cap"] or None,
            surplus_return_share=v["surplus_return_share"], margin=v["margin"])

    def compute(self, v: dict[str, Any]) -> str:
        """Price the contract on the settings ``v`` and return the result's HTML."""
        scn = _scenario_of(v)
        if scn.scope != Scenario.central().scope:
            self.wait_ready()  # the other scope's figures: prepared in the background since the explorer opened
        draws = self._draws(v)
        terms = self.terms(v)
        out = price_terms(scn, terms, draws)
        if draws is None:
            # The book's schedule for this scope with these outcome terms, priced under these settings.
            chosen = dataclasses.replace(art9.chosen_terms(Scenario.central(scope=scn.scope)), outcome=terms)
            schedule = art9.financial_schedule(scn, chosen)
            n = scn.simulation.outcome_years
        else:
            schedule = None
            n = draws.years.n_years
        return self._render(out, schedule, n, scn)

    @staticmethod
    def _render(out: dict[str, Any], schedule: Any, n_years: int, scn: Scenario) -> str:
        p = out["price"]
        summary = (f"<p>Outcome rate <b class='swp-explorer-rate'>{_gbp(out['rate'])}</b> a unit; fixed part "
                   f"{_gbp(out['fixed'])} a year; {scn.scope_name}; {n_years:,} simulated years; £ at "
                   f"{scn.price_year} prices.</p>")
        rows = [("Paid on outcomes (mean)", _gbp(p["outcome_pay"])), ("Practice: sd of surplus", _gbp(p["sd_surplus"])),
                ("Chance of a loss in a year", f"{100 * p['p_loss']:.0f}%"),
                ("Worst year in 20", _gbp(p["surplus_p5"])), ("Risk premium", _gbp(p["risk_premium"])),
                ("Reward for 0.1 more effort", _gbp(p["incentive"])), ("Returned to the council (s.7)", _gbp(p["returned"])),
                ("Council: value plus premium", _gbp(p["council_cost"]))]
        years = np.arange(1, len(out["p_failed"]) + 1)
        fail = [(f"Year {t}", f"{100 * f:.1f}%") for t, f in zip(years, out["p_failed"])]
        n4 = len(out["p_failed_2008"])
        fail2008 = [(f"Year {t}", f"{100 * f:.1f}%") for t, f in zip(range(1, n4 + 1), out["p_failed_2008"])]
        shares = ", ".join(f"{100 * s:.0f}%" for s in oc.funding_schedule())
        if schedule is None:
            art = ("<p>The financial schedule (Art. 9) is priced on the book's own children: set the simulated "
                   "children back to the book's to see it.</p>")
        else:
            art = html_table("Financial schedule (Art. 9)", [tuple(str(x) for x in r) for r in
                                                             schedule.itertuples(index=False)],
                             ("Item", "Term", "Basis"))
        return (summary + html_table("The practice and the council (£ a year)", rows, ("Figure", "Value"))
                + html_table("Practice failed by (these terms every year)", fail, ("Year", "Chance"))
                + html_table(f"Practice failed by (2008 schedule, {n4} years: {shares} on outcomes)", fail2008,
                             ("Year", "Chance"))
                + art)


def explorer(n_years: int | None = None, seed: int | None = None) -> OutcomeExplorer:
    """The chapter 6 explorer: the terms of an outcome contract as controls, re-priced on change.

    Parameters
    ----------
    n_years : int, optional
        Simulated practice-years to start with: the book's (``outcome_years`` of the central
        scenario, the default) or one of :data:`YEAR_OPTIONS`.
    seed : int, optional
        Random seed of the simulated children; default the book's.
    """
    return add_download(OutcomeExplorer(n_years=n_years, seed=seed), "outcomes")
