"""Live explorer for chapter 5: re-price all eleven contracts on any input.

Needs a running kernel (Jupyter or Voila) and ``ipywidgets``. Every control change
re-prices the contracts on simulated practice-years and redraws a results table; the
children are re-simulated only when a control of the cost model or caseload changes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import contracts, engine, liability
from ..costs import Caseload, CostModel, default_cost_model, default_caseload, total_cost_moments
from ..costs import assumption as cost_assumption
from ..scenario import Scenario
from ..validation import check_in_range, check_integer, check_one_of, check_positive
from . import LivePanel
from .workbook import add_download

__all__ = ["ContractExplorer", "MAX_CASELOAD", "YEAR_OPTIONS", "explorer", "price_contracts"]

#: The numbers of simulated practice-years the explorer offers. Re-pricing takes about 170 ms of CPU per million
#: child-years on the benchmark machine: 20,000 years of 100 children took 250-360 ms and 10,000 years of 300
#: children 234 ms, over the 200 ms a live control should take. With at most 5,000 years and a caseload of at most
#: :data:`MAX_CASELOAD` children every re-pricing stays near or under 1 million child-years.
YEAR_OPTIONS: tuple[int, ...] = (2_000, 5_000)
#: The largest central caseload the explorer offers (children).
MAX_CASELOAD: int = 200
#: Controls whose change means new simulated children.
_CHILD_CONTROLS = ("caseload", "margin", "caseload_kind", "cv", "tail_share", "tail_multiple", "n_years", "seed")


@dataclass(frozen=True)
class _Children:
    key: tuple
    years: contracts.PracticeYears


def price_contracts(years: contracts.PracticeYears, risk_tolerance: float, effort_cost: float, *,
                    scope: str = "placements", reserve_months: float | None = None, term_years: int | None = None,
                    **terms: float) -> tuple[pd.DataFrame, contracts.OptimalShare]:
    """Price the chapter's contracts on ``years``: the explorer's computation, without widgets.

    Parameters
    ----------
    years : PracticeYears
        The simulated children (no scope applied yet).
    risk_tolerance : float
        ``1/r``, £ (> 0).
    effort_cost : float
        ``k`` (> 1, so that full cost-bearing leaves some cost).
    scope : str
        ``"placements"`` or ``"social_work"`` (:data:`swp_models.liability.SCOPES`).
    reserve_months : float, optional
        The practice's reserves in months of its running cost, 0 to 120; default the assumption.
    term_years : int, optional
        Years in a contract term; default the assumption.
    **terms : float
        Contract terms (:data:`swp_models.contracts.CONTRACT_TERMS`).

    Returns
    -------
    table : pandas.DataFrame
        :func:`~swp_models.contracts.compare` joined with
        :func:`~swp_models.contracts.effort_comparison` and
        :func:`~swp_models.liability.failure_comparison`, one row per contract.
    optimum : OptimalShare
        The cost-and-volume share minimising the council's expected cost (41 shares, refined).
    """
    tol = check_positive("risk_tolerance", risk_tolerance)
    check_one_of("scope", scope, liability.SCOPES)
    changes: dict[str, Any] = {"scope": scope, "risk_tolerance": tol, "effort_cost": effort_cost, **terms}
    if reserve_months is not None:
        changes["reserve_months"] = check_in_range("reserve_months", reserve_months, 0.0, 120.0)
    if term_years is not None:
        changes["term_years"] = term_years
    unknown = sorted(set(terms) - set(contracts.CONTRACT_TERMS))
    if unknown:
        raise ValueError(f"terms must be among {list(contracts.CONTRACT_TERMS)}; got {unknown}")
    scn = Scenario.central(**changes)
    table = engine.price(scn, years)
    optimum = contracts.simulated_optimal_share(engine.scope(scn).apply(years), tol, effort_cost,
                                                shares=np.linspace(0, 1, 41))
    return table, optimum


@cached(maxsize=64)
def _cost_model(cv: float, tail_share: float, tail_multiple: float) -> CostModel:
    # Calibrating the needs-group shares reads the data tables; the spread does not enter it.
    return replace(_calibrated(tail_share, tail_multiple), cv=cv)


@cached(maxsize=64)
def _calibrated(tail_share: float, tail_multiple: float) -> CostModel:
    return default_cost_model(tail_share=tail_share, tail_multiple=tail_multiple)


def _gbp(x: float) -> str:
    return f"{'−' if x < -0.5 else ''}£{abs(x):,.0f}"


class ContractExplorer(LivePanel):
    """An ipywidgets panel: controls for every input of the contract model, and a results table.

    Its attributes: ``controls``, a dict of every input's widget by name; ``result``, the
    HTML widget holding the results table (re-rendered on every change); ``timing``, an
    HTML widget saying how long the last recomputation took; and ``last_seconds``, that
    time in seconds.
    """

    def __init__(self, n_years: int = 5_000, seed: int | None = None) -> None:
        check_one_of("n_years", n_years, YEAR_OPTIONS)
        seed = Scenario.central().simulation.seed if seed is None else check_integer("seed", seed, low=0, high=2**31 - 1)
        super().__init__()
        a = contracts.assumption
        load = default_caseload()
        add = self.add
        children = [
            add("caseload", widgets.IntSlider(value=load.mean, min=10, max=MAX_CASELOAD, step=5,
                                              description="Children in the practice (central)")),
            add("margin", widgets.IntSlider(value=load.margin, min=0, max=50, description="± margin (children)")),
            add("caseload_kind", widgets.Dropdown(options=[("uniform (cautious)", "uniform"), ("binomial", "binomial")],
                                                  value=load.kind, description="Caseload within the margin")),
            add("cv", widgets.FloatSlider(value=cost_assumption("within_group_cv"), min=0.1, max=1.5, step=0.05,
                                          description="Cost spread within a needs group (cv)")),
            add("tail_share", widgets.FloatSlider(value=cost_assumption("tail_share"), min=0.0, max=0.02, step=0.001,
                                                  readout_format=".3f", description="Share of exceptional children")),
            add("tail_multiple", widgets.FloatSlider(value=cost_assumption("tail_multiple"), min=1.5, max=6.0, step=0.5,
                                                     description="Their cost, × complex-needs mean")),
            add("n_years", widgets.Dropdown(options=list(YEAR_OPTIONS), value=n_years,
                                            description="Simulated practice-years")),
            add("seed", widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Random seed")),
        ]
        risk = [
            add("scope", widgets.Dropdown(options=[(liability.SCOPE_LABELS[x], x) for x in liability.SCOPES],
                                          value="placements", description="What the practice pays for")),
            add("reserve_months", widgets.FloatSlider(value=a("reserve_months"), min=0, max=12, step=0.5,
                                                      description="Practice's reserves (months of running cost)")),
            add("term_years", widgets.IntSlider(value=int(a("contract_term_years")), min=1, max=10,
                                                description="Contract term (years)")),
            add("risk_tolerance", widgets.FloatLogSlider(value=a("risk_tolerance"), base=10, min=4, max=7, step=0.05,
                                                         readout_format=",.0f",
                                                         description="Practice's risk tolerance 1/r (£)")),
            add("effort_cost", widgets.FloatSlider(value=a("effort_cost"), min=1.5, max=50, step=0.5,
                                                   description="Effort cost k")),
        ]
        terms = [
            add("cost_share", widgets.FloatSlider(value=a("cost_share"), min=0, max=1, step=0.05,
                                                  description="Cost and volume: practice's share s")),
            add("overspend_threshold", widgets.FloatSlider(value=a("overspend_threshold"), min=0, max=500_000,
                                                           step=5_000, readout_format=",.0f",
                                                           description="Threshold contract: T (£ a year)")),
            add("reinsurance_threshold", widgets.FloatSlider(value=a("reinsurance_threshold"), min=10_000,
                                                             max=300_000, step=5_000, readout_format=",.0f",
                                                             description="Reinsurance above (£ per child)")),
            add("outcome_bonus", widgets.FloatSlider(value=a("outcome_bonus"), min=0, max=10_000, step=250,
                                                     readout_format=",.0f", description="Outcome bonus (£ per child)")),
            add("outcome_base_probability", widgets.FloatSlider(value=a("outcome_base_probability"), min=0, max=1,
                                                                step=0.01, description="Chance of the outcome, no effort")),
            add("outcome_effort_gain", widgets.FloatSlider(value=a("outcome_effort_gain"), min=0, max=1, step=0.01,
                                                           description="Its rise at full effort")),
            add("volume_band_margin", widgets.IntSlider(value=int(a("volume_band_margin")), min=0, max=10,
                                                        description="Volume band: ± children at the fixed price")),
            add("outcome_effort", widgets.FloatSlider(value=a("outcome_effort"), min=0, max=1, step=0.05,
                                                      description="Effort on the outcome (0 to 1)")),
        ]
        admin = [
            add(name, widgets.FloatSlider(value=a(name), min=0, max=maximum, step=step, readout_format=",.0f",
                                          description=label))
            for name, label, maximum, step in (
                ("admin_contract_management", "Managing any contract (£ a year)", 40_000, 500),
                ("admin_cost_audit", "Auditing costs (£ a year)", 50_000, 1_000),
                ("admin_needs_assessment", "Assessing needs (£ per child a year)", 2_000, 50),
                ("admin_outcome_monitoring", "Monitoring outcomes (£ a year)", 30_000, 1_000),
            )
        ]
        tabs = widgets.Tab(children=[widgets.VBox(children), widgets.VBox(risk + terms), widgets.VBox(admin)])
        for i, title in enumerate(("Children", "Risk and terms", "Administration")):
            tabs.set_title(i, title)
        self._children: _Children | None = None
        self._book_settings: dict[str, Any] | None = None
        self._book_settings = dict(self.settings())
        self.wire(tabs)

    # -- model ----------------------------------------------------------------------

    def _years(self, v: dict[str, Any]) -> contracts.PracticeYears:
        key = tuple(v[name] for name in _CHILD_CONTROLS)
        if self._children is None or self._children.key != key:
            book = self._book_settings or {}
            if all(v[name] == book.get(name) for name in _CHILD_CONTROLS if name != "n_years"):
                # The book's children: the first years of the one simulated sample, not a new draw.
                years = engine.children(Scenario.central(), v["n_years"])
            else:
                model = _cost_model(v["cv"], v["tail_share"], v["tail_multiple"])
                load = Caseload(mean=v["caseload"], margin=v["margin"], kind=v["caseload_kind"])
                years = contracts.simulate_practice_years(model, load, v["n_years"], v["seed"])
            self._children = _Children(key, years)
        return self._children.years

    def _at_book(self, v: dict[str, Any]) -> bool:
        book = self._book_settings
        return book is not None and all(v[k] == book[k] for k in book if k != "n_years")

    def compute(self, v: dict[str, Any]) -> str:
        """Re-price every contract on the settings ``v`` and return the results table's HTML.

        At the book's settings (whatever the number of years chosen) the table is the book's own: the
        engine's pricing of the whole simulated sample (:func:`swp_models.engine.table`), so the explorer
        opens on the chapter's numbers; any other setting re-prices the first ``n_years`` of the sample.
        """
        if self._at_book(v):
            scn = Scenario.central(scope=v["scope"])
            return self._render(engine.own_costs(scn), engine.table(scn), engine.optimum(scn), v)
        years = self._years(v)
        terms = {name: v[name] for name in contracts.CONTRACT_TERMS}
        table, optimum = price_contracts(years, v["risk_tolerance"], v["effort_cost"], scope=v["scope"],
                                         reserve_months=v["reserve_months"], term_years=v["term_years"], **terms)
        return self._render(years, table, optimum, v)

    @staticmethod
    def _render(years: contracts.PracticeYears, table: pd.DataFrame, optimum: contracts.OptimalShare,
                v: dict[str, Any]) -> str:
        moments = total_cost_moments(years.cost_model, years.caseload)
        scope = liability.SCOPE_LABELS[v["scope"]].lower()
        best = table["council_cost_effort"].min()
        rows = []
        for rec in table.itertuples(index=False):
            mark = ' style="font-weight:bold"' if rec.council_cost_effort == best else ""
            rows.append(
                f"<tr{mark}><td style='text-align:left'>{html.escape(rec.contract)}</td>"
                f"<td>{100 * rec.practice_p_loss:.0f}%</td><td>{_gbp(rec.practice_surplus_p5)}</td>"
                f"<td>{_gbp(rec.risk_premium_exact)}</td><td>{100 * rec.p_fail_year:.0f}%</td>"
                f"<td>{100 * rec.p_fail_term:.0f}%</td><td>{_gbp(rec.absorbed)}</td><td>{100 * rec.power:.0f}%</td>"
                f"<td>{_gbp(rec.council_cost_fixed)}</td><td>{_gbp(rec.council_cost_effort)}</td></tr>"
            )
        head = ("<tr><th style='text-align:left'>Contract</th><th>Practice: chance of a loss</th>"
                "<th>Practice: worst year in 20</th><th>Risk premium</th><th>Practice fails in a year</th>"
                "<th>Fails over the term</th><th>Council absorbs (a year)</th><th>Keeps of each £ saved</th>"
                "<th>Council: total, costs fixed</th><th>Council: total, with effort</th></tr>")
        summary = (
            f"<p>Expected cost of the children <b class='swp-explorer-mean'>{_gbp(moments.mean)}</b> a year "
            f"(sd {_gbp(moments.std)}); {years.n_years:,} simulated years. The practice pays for {scope}; "
            f"it fails when a loss exceeds its reserves, which then fall on the council. Cost-and-volume share minimising the "
            f"council's cost: closed form <b class='swp-explorer-share'>{optimum.closed_form_share:.2f}</b>, "
            f"simulated <b>{optimum.share:.2f}</b>. Bold: cheapest for the council with effort.</p>"
        )
        return (
            summary + "<table class='swp-explorer-table' style='border-collapse:collapse;text-align:right'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
            "<p style='color:#666;font-size:90%'>£ a year. Council's totals: expected cost + risk premium + "
            "administration (+ effort cost, net of its saving), terms set so that the practice just accepts.</p>"
        )


def explorer(n_years: int = 5_000, seed: int | None = None) -> ContractExplorer:
    """The chapter 5 explorer: every input of the contract model as a control, all contracts re-priced on change.

    Parameters
    ----------
    n_years : int
        Simulated practice-years to start with, one of :data:`YEAR_OPTIONS` (2,000 or 5,000).
    seed : int, optional
        Random seed of the simulated children; default the book's (:class:`swp_models.scenario.Simulation`).
    """
    return add_download(ContractExplorer(n_years=n_years, seed=seed), "contracts")
