"""Live explorer for chapter 7: the tender model and Kansas's two contracts on any input.

Needs a running kernel (Jupyter or Voila) and ``ipywidgets``. Every control change re-runs
:func:`swp_models.abroad.expected_tender` (checked against a fresh simulation of tenders) or
re-prices Kansas's contracts with :func:`swp_models.abroad.kansas_comparison` on the first years
of the book's one sample of children, under the scope chosen.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from .. import abroad
from ..scenario import SCOPE_NAMES, Scenario
from ..validation import check_finite, check_in_range, check_instance, check_integer, check_one_of, check_positive
from . import LivePanel, html_table
from .workbook import add_download

__all__ = ["AbroadExplorer", "explorer", "tender_rows", "kansas_rows"]



def _gbp(x: float) -> str:
    return f"{'−' if x < -0.5 else ''}£{abs(x):,.0f}"


def _scenario(scn: Scenario | None) -> Scenario:
    return Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario or None")


def tender_rows(max_bidders: int, spread: float, reserve_markup: float, potential_entrants: int,
                entry_probability: float, children: float, n_tenders: int, seed: int,
                scope: str = "social_work", scn: Scenario | None = None) -> list[tuple[str, ...]]:
    """The explorer's tender table: for 1 to ``max_bidders`` bidders, closed form beside simulation.

    The average cost of a child is chapter 5's flat rate under ``scope`` (:func:`swp_models.abroad.child_rate`).

    Parameters
    ----------
    max_bidders : int
        Bidders from 1 to this (1 to 20).
    spread : float
        Bidders' costs uniform within this fraction either side of the average cost of a child, in (0, 1).
    reserve_markup : float
        Reserve price as a mark-up on the average cost, in [0, 1].
    potential_entrants : int
        Rivals who could bid at a re-tender (0 to 10).
    entry_probability : float
        Chance each rival bids, in [0, 1].
    children : float
        Children under the contract, > 0.
    n_tenders : int
        Simulated tenders per row, 1 to 200,000.
    seed : int
        Seed of the simulated tenders, >= 0.
    scope : str
        What the practice pays for: ``"social_work"`` or ``"placements"``.
    scn : Scenario, optional
        The scenario (default the central one); ``scope`` replaces its scope.

    Returns
    -------
    list of tuple of str
        One row per number of bidders, then one for the re-tender: bidders, chance of an award, price
        (by formula; simulated), commissioner's cost a year for the whole contract (£, the scenario's prices).
    """
    top = check_integer("max_bidders", max_bidders, low=1, high=20)
    sc = _scenario(scn).replace(scope=check_one_of("scope", scope, tuple(SCOPE_NAMES)))
    m = abroad.child_rate(sc)
    sp = check_in_range("spread", spread, 0.0, 1.0, low_open=True, high_open=True)
    mark = check_in_range("reserve_markup", reserve_markup, 0.0, 1.0)
    n = check_in_range("children", children, 0.0, 1e6, low_open=True)
    sims = check_integer("n_tenders", n_tenders, low=1, high=200_000)
    seed = check_integer("seed", seed, low=0)
    low, high, reserve = m * (1 - sp), m * (1 + sp), m * (1 + mark)
    rows = []
    for k in range(1, top + 1):
        cf = abroad.expected_tender(k, low, high, reserve)
        sim = abroad.simulate_tenders(k, low, high, reserve, sims, seed + k)
        rows.append((str(k), f"{100 * cf.p_award:.1f}%", f"{_gbp(cf.price)}; {_gbp(sim.price)}",
                     _gbp(n * cf.commissioner_cost)))
    re = abroad.retender_price(potential_entrants, entry_probability, low, high, reserve)
    rows.append((f"1 + re-tender ({potential_entrants} rival(s) at {100 * entry_probability:.0f}%)", "",
                 "", _gbp(n * re)))
    return rows


def kansas_rows(served_above: float, risk_tolerance: float, n_years: int, scope: str = "social_work",
                scn: Scenario | None = None) -> list[tuple[str, ...]]:
    """The explorer's Kansas table: :func:`swp_models.abroad.kansas_comparison` formatted, one row per contract.

    Parameters
    ----------
    served_above : float
        Children served above the number the flat rate was priced for, a fraction in [0, 1].
    risk_tolerance : float
        The contractor's risk tolerance ``1/r``, £ (> 0).
    n_years : int
        The first ``n_years`` of the book's sample, 100 to the scenario's ``simulation.n_years``.
    scope : str
        What the practice pays for: ``"social_work"`` or ``"placements"``.
    scn : Scenario, optional
        The scenario (default the central one); ``scope`` and ``risk_tolerance`` replace its own.
    """
    check_finite("served_above", served_above)
    check_positive("risk_tolerance", risk_tolerance)
    sc = _scenario(scn).replace(scope=check_one_of("scope", scope, tuple(SCOPE_NAMES)), risk_tolerance=risk_tolerance)
    years = check_integer("n_years", n_years, low=100, high=sc.simulation.n_years)
    k = abroad.kansas_comparison(sc, served_above, n_years=years)
    return [(rec.contract, _gbp(rec.practice_sd_surplus), f"{100 * rec.within_group:.0f}%",
             _gbp(rec.practice_mean_surplus), f"{100 * rec.practice_p_loss:.0f}%", _gbp(rec.practice_surplus_p5),
             _gbp(rec.risk_premium_exact), _gbp(rec.council_sd_spend))
            for rec in k.itertuples(index=False)]


class AbroadExplorer(LivePanel):
    """Two tabs of controls (the tender, Kansas) and their results tables, recomputed on every change.

    Attributes: ``controls`` (every input's widget by name), ``result`` (the HTML widget with the
    tables), ``timing`` (how long the last recomputation took), ``last_seconds`` and ``scn`` (the scenario
    it starts from; the scope and risk-tolerance controls replace its own).
    """

    done_text = "Recomputed in"
    refused_text = "Cannot compute these inputs:"

    def __init__(self, scn: Scenario | None = None) -> None:
        self.scn = _scenario(scn)
        super().__init__()
        scn = self.scn

        def add(name: str, widget: widgets.ValueWidget) -> widgets.ValueWidget:
            return self.add(name, widget, description_width="280px", width="580px")

        a = scn.value
        tender = [
            add("scope", widgets.Dropdown(options=[(v, k) for k, v in SCOPE_NAMES.items()], value=scn.scope,
                                          description="The practice pays for (both tables)")),
            add("max_bidders", widgets.IntSlider(value=6, min=1, max=20, description="Bidders (up to)")),
            add("spread", widgets.FloatSlider(value=a("bidder_cost_spread"), min=0.01, max=0.5, step=0.01,
                                              description="How far bidders' costs differ (share)",
                                              tooltip="Bidders' costs uniform within ± this share of the average")),
            add("reserve_markup", widgets.FloatSlider(value=a("reserve_markup"), min=0.0, max=0.5, step=0.01,
                                                      description="Reserve: mark-up on the average cost")),
            add("potential_entrants", widgets.IntSlider(value=int(a("potential_entrants")), min=0, max=10,
                                                        description="Re-tender: rivals who could bid")),
            add("entry_probability", widgets.FloatSlider(value=a("retender_entry_probability"), min=0, max=1,
                                                         step=0.05, description="Re-tender: chance each bids")),
            add("children", widgets.IntSlider(value=100, min=10, max=1000, step=10,
                                              description="Children under the contract")),
        ]
        kansas = [
            add("served_above", widgets.FloatSlider(value=a("kansas_served_above_contracted") / 100, min=0, max=1,
                                                    step=0.05, description="Children served above contracted (share)")),
            add("risk_tolerance", widgets.FloatLogSlider(value=scn.risk_tolerance, base=10, min=4,
                                                         max=7, step=0.05, readout_format=",.0f",
                                                         description="Contractor's tolerance of risk (£)",
                                                         tooltip="Risk tolerance 1/r: the loss, in £, at which the "
                                                                 "contractor's dislike of risk bites (glossary)")),
            add("n_years", widgets.Dropdown(options=[5_000, 20_000], value=5_000,
                                            description="Years of the book's children (and tenders)")),
        ]
        tabs = widgets.Tab(children=[widgets.VBox(tender), widgets.VBox(kansas)])
        for i, title in enumerate(("Tender (South Australia)", "Kansas and simulation")):
            tabs.set_title(i, title)
        self._last: dict[str, tuple[tuple, list[tuple[str, ...]]]] = {}
        self.wire(tabs)
        # The other scope's costs of the book's children (about 0.7 s: every cost of the sample rescaled), in the
        # background as the explorer opens, so that switching the scope is quick.
        opened = self.settings()
        self.prepare(lambda: [kansas_rows(opened["served_above"], opened["risk_tolerance"], opened["n_years"], scope,
                                          self.scn) for scope in SCOPE_NAMES if scope != opened["scope"]],
                     "swp-abroad-explorer-scopes")

    def _rows(self, which: str, fn: Any, *args: Any) -> list[tuple[str, ...]]:
        # Each table is recomputed only when one of its own inputs changed.
        key = (which, *args)
        if self._last.get(which, (None,))[0] != key:
            self._last[which] = (key, fn(*args))
        return self._last[which][1]

    def compute(self, v: dict[str, Any]) -> str:
        """Both tables' HTML on the settings ``v`` (a table whose inputs did not change is not recomputed)."""
        if self.preparing and v["scope"] != self.scn.scope:
            self.wait_ready()  # the other scope's costs: prepared in the background since the explorer opened
        tender = self._rows("tender", tender_rows, v["max_bidders"], v["spread"], v["reserve_markup"],
                            v["potential_entrants"], v["entry_probability"], v["children"], v["n_years"],
                            self.scn.simulation.seed, v["scope"], self.scn)
        kansas = self._rows("kansas", kansas_rows, v["served_above"], v["risk_tolerance"], v["n_years"], v["scope"],
                            self.scn)
        prices = f"£ a year, {self.scn.price_year} prices"
        return (html_table(f"Tender: expected price against the number of bidders ({prices})", tender,
                           ("Bidders", "Chance of an award", "Price a child, by formula; simulated",
                            "Commissioner's cost a year"))
                + html_table(f"Kansas: a flat rate per child referred against payment per child served ({prices})",
                             kansas,
                             ("Contract", "Spread of its surplus (sd)", "Bears: cost per child",
                              "Expected surplus", "Chance of a loss", "Worst year in 20", "Risk premium",
                              "State's spend, sd")))


def explorer(scn: Scenario | None = None) -> AbroadExplorer:
    """The chapter 7 explorer: the tender model and Kansas's two contracts, recomputed on every change.

    Parameters
    ----------
    scn : Scenario, optional
        The scenario whose children, seed and settings the explorer starts from (default the central one).
    """
    return add_download(AbroadExplorer(scn), "abroad")

