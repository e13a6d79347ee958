"""Tables, key results and charts for chapter 7, "Lessons from abroad".

Everything is built from :mod:`swp_models.abroad` and the data tables it reads, and returned
finished (title, axes with units, source line). Parameters bound to the page's controls carry
names starting ``ch7_``. Every builder takes the scenario (default
:meth:`~swp_models.scenario.Scenario.central`); the tender, the referral payments and Kansas are
shown under both scopes, social work only (the central scope) and social work and placements.
"""

from __future__ import annotations

from pathlib import Path

import math

import altair as alt
import numpy as np
import pandas as pd

from .. import abroad, assumptions, data, outcomes
from ..scenario import SCOPE_NAMES, Scenario
from ..costs import default_caseload
from ..validation import check_instance
from ..charts import PALETTE, finish, selector, series_cues, slider
from ..tables import Table
from ..tables import key_results as _key_results

__all__ = [
    "comparison_table",
    "payment_evidence_chart",
    "diagram_frame",
    "managed_care_diagram",
    "model_risk_table",
    "ontario_table",
    "ontario_chart",
    "referral_table",
    "tender_chart",
    "tender_table",
    "kansas_table",
    "kansas_frame",
    "kansas_chart",
    "illinois_table",
    "illinois_chart",
    "illinois_rates_table",
    "bonus_table",
    "bonus_chart",
    "bonus_icc_table",
    "case_rate_table",
    "levers_table",
    "levers_markdown",
    "levers_targets",
    "SECTION_LABELS",
    "LEVERS_LABEL",
    "key_results",
    "prose_numbers_abroad",
    "SCENARIO_ROWS",
]

_ANNEX = "Le Grand (2007), Annex A.3"
_ASSUMED = "assumptions as logged"
_SIM = "the book's simulated children (chapter 3 costs, chapter 5 contracts and scopes)"
_MINUS = "\u2212"

#: The settings of the scenario this chapter uses (the rows of its scenario box).
SCENARIO_ROWS = ("scope", "price base", "risk tolerance", "clustering within a practice (correlation)", "simulated practice-years")


def _scn(scn: Scenario | None) -> Scenario:
    return Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario or None")


def _scopes(scn: Scenario) -> tuple[Scenario, ...]:
    """The scenario under each scope, social work only (the central scope) first."""
    return tuple(scn.replace(scope=name) for name in SCOPE_NAMES)


def _scope_title(scn: Scenario) -> str:
    return scn.scope_name[0].upper() + scn.scope_name[1:]


def _prices(scn: Scenario, what: str = "£ a year") -> str:
    """The units and price base of a table's figures, e.g. ``£ a year, 2005-06 prices``."""
    return f"{what}, {scn.price_year} prices"


def _pct(x: float, digits: int = 0) -> str:
    v = round(100 * x, digits)
    return f"{_MINUS if v < 0 else ''}{abs(v):.{digits}f}%"


def _gbp(x: float) -> str:
    return f"{_MINUS if x < -0.5 else ''}£{abs(x):,.0f}"


def _k(x: float) -> str:
    return f"{_MINUS if x < -500 else ''}£{abs(x) / 1000:,.0f}k"


def _m(x: float) -> str:
    return f"{_MINUS if x < -5000 else ''}£{abs(x) / 1e6:,.2f}m"


def _amount(x: float) -> str:
    """£ to the pound below £10,000, in thousands up to a million, in millions above."""
    if abs(x) < 10_000:
        return _gbp(x)
    return _k(x) if abs(x) < 1e6 else _m(x)


# ---------------------------------------------------------------------------------------
# The systems compared
# ---------------------------------------------------------------------------------------

_EVIDENCE_ORDER = ["Favourable", "Mixed", "Unfavourable", "None reported", "Not stated"]
_PAYMENT_ORDER = ["Spot purchase", "Tendered contract", "Transfer payments", "Capitation",
                  "Capitation, then per child served", "Performance-based"]


def comparison_table() -> Table:
    """The annex's systems side by side: who commissions, who provides, how providers are paid, evidence, lesson."""
    f = abroad.comparison_frame()
    frame = pd.DataFrame({
        "Where": f["jurisdiction"], "Who commissions": f["commissioner"], "Who provides": f["provider"],
        "How providers are paid": f["payment"], "What the annex reports": f["evidence"],
        "Lesson": f["lesson"],
    })
    return Table(frame, caption="Child welfare systems abroad, as the report's international annex describes them",
                 notes="Every cell from Le Grand (2007), Annex A.3, in this book's words; the annex's own words are in "
                       "data/international_systems.csv. 'Not stated': the annex says nothing on it. Payment for Michigan "
                       "and Indiana is what the annex says of the US managed-care initiatives generally.")


def payment_evidence_chart() -> alt.VConcatChart:
    """Small multiples: for each kind of payment scheme, what the annex reports of each jurisdiction using it."""
    f = abroad.comparison_frame()
    frame = pd.DataFrame({"jurisdiction": f["jurisdiction"], "payment": f["payment_category"],
                          "evidence": f["evidence_category"], "detail": f["evidence"]})
    colour = alt.Color("evidence:N", title="What the annex reports", sort=_EVIDENCE_ORDER,
                       scale=alt.Scale(domain=_EVIDENCE_ORDER,
                                       range=[PALETTE[2], PALETTE[1], PALETTE[3], "#8c8c8c", "#cccccc"]),
                       legend=alt.Legend(orient="bottom", columns=3, labelLimit=200))
    chart = alt.Chart(frame).mark_point(filled=True, size=140, opacity=1).encode(
        x=alt.X("evidence:N", sort=_EVIDENCE_ORDER, title=None, scale=alt.Scale(domain=_EVIDENCE_ORDER),
                axis=alt.Axis(labelAngle=-35, labelLimit=110)),
        y=alt.Y("jurisdiction:N", title=None, axis=alt.Axis(labelLimit=170)),
        color=colour,
        tooltip=[alt.Tooltip("jurisdiction:N", title="Where"), alt.Tooltip("payment:N", title="Payment"),
                 alt.Tooltip("evidence:N", title="Evidence"), alt.Tooltip("detail:N", title="The annex reports")],
    ).properties(width=160, height=alt.Step(20)).facet(
        row=alt.Row("payment:N", sort=_PAYMENT_ORDER, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontWeight="bold", labelFontSize=12, labelLimit=380)),
        spacing={"row": 6},
    ).resolve_scale(y="independent")
    return finish(
        chart,
        "No way of paying comes with clear evidence",
        subtitle=["One panel per way of paying providers; each dot a place,",
                  "put by what the annex says was found. Grey: no evidence",
                  "reported, or none stated."],
        source=[_ANNEX, "grouping by this book"],
    )


# ---------------------------------------------------------------------------------------
# The four managed-care models as a diagram
# ---------------------------------------------------------------------------------------

_LABELS = {
    "Public agency": "Public agency",
    "Lead agency": "Lead agency",
    "Administrative services organisation": "Administrative\nservices org.",
    "Managed care organisation": "Managed care\norganisation",
    "Service providers": "Service\nproviders",
    "Children and families": "Children and\nfamilies",
}
_X = {"Administrative services organisation": 1.0, "Service providers": 1.0}
_SHORT = {"Administrative services organisation": "Admin. services org.", "Managed care organisation": "Managed care org."}
_BOTTOM = 3


def _layers(edges: pd.DataFrame) -> dict[str, int]:
    """Longest-path depth of every party from the public agency; children and families at the bottom."""
    depth = {"Public agency": 0}
    for _ in range(len(edges) + 1):
        for rec in edges.itertuples(index=False):
            if rec.from_party in depth and rec.to_party != "Children and families":
                depth[rec.to_party] = max(depth.get(rec.to_party, 0), depth[rec.from_party] + 1)
    depth["Children and families"] = _BOTTOM
    return depth


def diagram_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions of the managed-care diagram, computed from ``data/managed_care_models.csv``.

    Returns
    -------
    nodes : pandas.DataFrame
        ``model``, ``title`` (model and example), ``party``, ``label``, ``x``, ``y`` (layer),
        ``analogue`` (the chapter 5 contract nearest to how the party is paid, or empty),
        ``overall`` (the party's share of the variation in cost under it, or NaN) and ``risk`` (words).
    edges : pandas.DataFrame
        ``model``, ``title``, ``from_party``, ``to_party``, ``relation`` (links between the same
        two parties joined), ``x``, ``y``, ``x2``, ``y2`` and the label position ``mx``, ``my``.
    """
    links = abroad.managed_care_links()
    risk = abroad.model_risk().set_index(["model", "party"])
    nodes, edges = [], []
    for model in dict.fromkeys(links["model"]):
        sub = links[links["model"] == model]
        title = f"{_SHORT.get(model, model)} ({sub['example'].iloc[0]})"
        depth = _layers(sub)
        pos = {p: (_X.get(p, 0.0), float(d)) for p, d in depth.items()}
        for party, (x, y) in pos.items():
            key = (model, party)
            if key in risk.index:
                r = risk.loc[key]
                words = (f"Paid like chapter 5's '{r['analogue']}': bears {_pct(r['caseload'])} of caseload, "
                         f"{_pct(r['case_mix'])} of case-mix and {_pct(r['within_group'])} of within-group cost risk")
                nodes.append({"model": model, "title": title, "party": party, "label": _LABELS[party], "x": x, "y": y,
                              "analogue": r["analogue"], "overall": round(float(r["overall"]), 3), "risk": words})
            else:
                words = ("Bears the cost risk the paid parties do not" if party == "Public agency"
                         else "Not a contracting party")
                nodes.append({"model": model, "title": title, "party": party, "label": _LABELS[party], "x": x, "y": y,
                              "analogue": "", "overall": np.nan, "risk": words})
        grouped = sub.groupby(["from_party", "to_party"], sort=False)["relation"].apply(lambda s: "; ".join(s))
        for (a, b), relation in grouped.items():
            (x1, y1), (x2, y2) = pos[a], pos[b]
            edges.append({"model": model, "title": title, "from_party": a, "to_party": b, "relation": relation,
                          "x": x1, "y": y1, "x2": x2, "y2": y2, "mx": (x1 + x2) / 2, "my": (y1 + y2) / 2})
    return pd.DataFrame(nodes), pd.DataFrame(edges)


def managed_care_diagram() -> alt.VConcatChart:
    """Who contracts with whom in each of the four US managed-care models, and who bears the cost risk."""
    nodes, edges = diagram_frame()
    # The share is written under the party's name as well as shaded, so colour is not the only cue.
    nodes = nodes.assign(kind="node",
                         label=[name if np.isnan(v) else f"{name}\nbears {100 * v:.0f}%"
                                for name, v in zip(nodes["label"], nodes["overall"])])
    edges = edges.assign(kind="edge")
    frame = pd.concat([nodes, edges], ignore_index=True)
    order = list(dict.fromkeys(nodes["title"]))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.5, 2.3]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.5, _BOTTOM + 0.5], reverse=True))
    base = alt.Chart()
    lines = base.transform_filter(alt.datum.kind == "edge").mark_rule(color="#777", strokeWidth=1.5).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        tooltip=[alt.Tooltip("from_party:N", title="From"), alt.Tooltip("relation:N", title="Link"),
                 alt.Tooltip("to_party:N", title="To")],
    )
    tips = [alt.Tooltip("party:N", title="Party"), alt.Tooltip("risk:N", title="Risk")]
    # White (bears none of the cost variation) to the house blue (all of it); grey: not paid by contract.
    shade = alt.Color("overall:Q", legend=None,
                      scale=alt.Scale(domain=[0, 1], range=["#ffffff", PALETTE[0]], clamp=True, interpolate="rgb"))
    circle = dict(size=520, opacity=1, stroke="#333", strokeWidth=1)
    nodes_at = base.transform_filter(alt.datum.kind == "node")
    paid = nodes_at.transform_filter("isValid(datum.overall)").mark_circle(**circle).encode(
        x=x, y=y, tooltip=tips, color=shade)
    unpaid = nodes_at.transform_filter("!isValid(datum.overall)").mark_circle(color="#d9d9d9", **circle).encode(
        x=x, y=y, tooltip=tips)
    names = base.transform_filter(alt.datum.kind == "node").mark_text(
        align="left", dx=14, fontSize=10, lineBreak="\n", baseline="middle").encode(x=x, y=y, text="label:N")
    chart = alt.layer(lines, paid, unpaid, names).properties(width=145, height=190).facet(
        facet=alt.Facet("title:N", sort=order, title=None,
                        header=alt.Header(labelFontWeight="bold", labelFontSize=11, labelLimit=300)),
        columns=2, data=frame, spacing={"row": 10, "column": 8},
    )
    return finish(
        chart,
        "Four ways a US state contracts out care",
        subtitle=["Lines: who contracts with, refers to or serves whom (hover).",
                  "Fill and figure: share of cost variation a paid party bears if paid",
                  "like its nearest chapter 5 contract, none (white) to all (blue);",
                  "grey: not paid by contract (the public agency bears the rest)."],
        source=[_ANNEX + ", after the US GAO", "risk shares from chapter 5"],
    )


def model_risk_table() -> Table:
    """Each paid party of the managed-care models, its nearest chapter 5 contract and the risks it bears."""
    r = abroad.model_risk()
    frame = pd.DataFrame({
        "Model": r["model"], "Paid party": r["party"], "Paid like (chapter 5)": r["analogue"],
        "Number of children": r["caseload"].map(_pct), "Needs groups (case mix)": r["case_mix"].map(_pct),
        "Cost within a needs group": r["within_group"].map(_pct), "All cost": r["overall"].map(_pct),
    })
    return Table(frame, caption="Who bears the risk in each managed-care model: the paid party's share of each part of "
                                "the variation in cost",
                 notes=f"Shares from chapter 5's risk table for the contract named ({Scenario.central().simulation.n_years:,} "
                       f"simulated years of {_load(True)} children); the public agency bears the rest. Which contract "
                       "is nearest is this book's reading "
                       "of the annex (capitation for lead agencies and managed care organisations) and of the Illinois "
                       "account (a steady payment plus a bonus).")


# ---------------------------------------------------------------------------------------
# Ontario
# ---------------------------------------------------------------------------------------


def ontario_table() -> Table:
    """Ontario's unit-cost growth: the figures as stated and the interval their words allow."""
    b = abroad.ontario_bounds()
    r = b.set_index("reading")
    vol = {k: _pct(r.loc[k, "volume_growth"]) for k in r.index}
    top = f"{r.loc['highest', 'spending_ratio']:g}"
    names = {"as stated": f"As stated: doubled, volumes up {vol['as stated']}",
             "lowest": f"Lowest reading: exactly doubled, volumes up {vol['lowest']}",
             "highest": f"Highest reading: up {top} times, volumes up {vol['highest']}"}
    frame = pd.DataFrame({
        "Reading": b["reading"].map(names), "Spending ratio": b["spending_ratio"].map(lambda v: f"{v:.2f}"),
        "Service volumes": b["volume_growth"].map(lambda v: "+" + _pct(v)),
        "Cost per unit of service": b["unit_cost_growth"].map(lambda v: "+" + _pct(v, 1)),
        "A year, over six years": b["annual_rate"].map(lambda v: "+" + _pct(v, 1)),
        "Cost per unit, real terms": b["real_unit_cost_growth"].map(lambda v: "+" + _pct(v, 1)),
        "A year, real terms": b["real_annual_rate"].map(lambda v: "+" + _pct(v, 1)),
    })
    return Table(frame, caption="Ontario, 1998/99 to 2004/05: growth in spending per unit of service, in cash and in "
                                "real terms",
                 notes="Spending 'more than doubled' and volumes rose 'about 40%' (Annex A.3, citing the Auditor "
                       f"General, 2006). The top of 'more than doubled' ({top}) and the range of 'about 40%' "
                       f"({vol['highest']} to {vol['lowest']}) are assumptions. Real terms: spending divided by the rise "
                       f"in Canada's consumer prices from 1998 to 2004 ({_pct(abroad.canada_price_ratio() - 1, 1)}; "
                       "Statistics Canada, all items, annual averages, the nearest calendar years).")


def ontario_chart() -> alt.VConcatChart:
    """Unit-cost growth against the rise in volumes, for a spending ratio chosen with a slider."""
    g = abroad.ontario_grid()
    b = abroad.ontario_bounds().set_index("reading")
    g = g.assign(volume=(100 * g["volume_growth"]).round(0), growth=(100 * g["unit_cost_growth"]).round(2),
                 annual=(100 * g["annual_rate"]).round(2), s=g["spending_ratio"].round(2))
    ratio = slider("ch7_ontario_spending", "Spending at the end, times the start", 2.0, 3.0, 0.05, 2.0)
    lo, hi = 100 * b.loc["lowest", "volume_growth"], 100 * b.loc["highest", "volume_growth"]
    xscale, yscale = alt.Scale(domain=[30, 50]), alt.Scale(domain=[0, 140])
    band = alt.Chart(pd.DataFrame({"x": [hi], "x2": [lo]})).mark_rect(color="#eeeeee").encode(
        x=alt.X("x:Q", scale=xscale), x2="x2:Q")
    line = alt.Chart(g).transform_filter(alt.expr.abs(alt.datum.s - ratio) < 1e-6).mark_line(color=PALETTE[0]).encode(
        x=alt.X("volume:Q", title="Rise in service volumes (%)", scale=xscale),
        y=alt.Y("growth:Q", title="Rise in spending per unit of service (%)", scale=yscale),
        tooltip=[alt.Tooltip("s:Q", title="Spending ratio"), alt.Tooltip("volume:Q", title="Volumes up (%)"),
                 alt.Tooltip("growth:Q", title="Per unit up (%)", format=".1f"),
                 alt.Tooltip("annual:Q", title="A year (%)", format=".1f")],
    )
    stated = pd.DataFrame({"volume": [round(100 * b.loc["as stated", "volume_growth"], 2)],
                           "growth": [round(100 * b.loc["as stated", "unit_cost_growth"], 2)],
                           "text": [f"as stated: +{100 * b.loc['as stated', 'unit_cost_growth']:.0f}%"]})
    point = alt.Chart(stated).mark_point(filled=True, size=90, color=PALETTE[3]).encode(x="volume:Q", y="growth:Q")
    label = alt.Chart(stated).mark_text(align="left", dx=8, dy=-8, fontSize=11).encode(
        x="volume:Q", y="growth:Q", text="text:N")
    chart = (band + line + point + label).add_params(ratio).properties(width=300, height=240)
    return finish(
        chart,
        f"Ontario: spending per unit rose at least {_pct(b.loc['as stated', 'unit_cost_growth'])}",
        subtitle=["Grey band: the range read into 'about 40%'. Slider: 'more",
                  f"than doubled' allows any ratio of 2 or more ({b.loc['highest', 'spending_ratio']:g} taken as "
                  "top)."],
        source=[_ANNEX + ", citing the Auditor General", _ASSUMED],
    )


def _referral_range(scn: Scenario, group: str | None, column: int) -> tuple[float, float]:
    """The practice's expected surplus under one payment, at the low and high readings of 'nearly doubled'."""
    high = data.value("international", jurisdiction="Ontario", measure="families_referred_ratio_since_oram")
    low = scn.value("nearly_doubled_lower")
    return tuple(abroad.referral_shift(scn, f, group)["surplus"].iloc[column] for f in (low, high))


def referral_table(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> Table:
    """Referrals nearly doubling: the practice's expected surplus under payments set before the change, both scopes."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    high = data.value("international", jurisdiction="Ontario", measure="families_referred_ratio_since_oram", data_dir=data_dir)
    low = scn.value("nearly_doubled_lower")
    cases = [(None, "like those before"), ("no_additional_needs", "with no additional needs")]
    cols = {}
    for sc in _scopes(scn):
        for group, words in cases:
            a = abroad.referral_shift(sc, low, group)
            b = abroad.referral_shift(sc, high, group)
            cols[f"{_scope_title(sc)}: added children {words}"] = [f"{_amount(x)} to {_amount(y)}"
                                                                    for x, y in zip(a["surplus"], b["surplus"])]
    frame = pd.DataFrame({"Payment set before the change": abroad.referral_shift(scn, high)["payment"], **cols})
    rates = "; ".join(f"{sc.scope_name}: {_gbp(abroad.child_rate(sc))} a child on average, "
                      f"{_gbp(abroad.child_rate(sc, 'no_additional_needs'))} for a child with no additional needs"
                      for sc in _scopes(scn))
    return Table(frame, caption="If a practice's referrals nearly doubled: its expected surplus under payments "
                                f"set before the change ({_prices(scn)})",
                 notes=f"A practice of {default_caseload().mean} children whose referrals rise {low:g} to {high:g} "
                       "times ('nearly doubled', Annex A.3; the lower end is an assumption). Its staff grow with its "
                       f"children, so each child costs it chapter 5's rate under the scope ({rates}). Any rise beyond "
                       f"{_load(margin=True)} children is outside the draft contract's Art. 4, which would have to be "
                       "agreed again.")


# ---------------------------------------------------------------------------------------
# South Australia: the tender
# ---------------------------------------------------------------------------------------


_TENDER_SERIES = {"commissioner_cost": "Commissioner's expected cost", "price": "Price paid, given an award",
                  "winning_cost": "Winner's own cost"}


def _tender_frames(scn: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tender grid of every scope in one frame each (lines, simulated prices), so the panels share their data."""
    lines, sims = [], []
    for sc in _scopes(scn):
        g = abroad.tender_grid(sc)
        frame = g.assign(markup=(100 * g["markup"]).round(1), scope=sc.scope)
        long = frame.melt(id_vars=["scope", "bidders", "markup", "p_award"], value_vars=list(_TENDER_SERIES),
                          var_name="key", value_name="value")
        lines.append(long.assign(series=long.pop("key").map(_TENDER_SERIES), value=long["value"].round(0),
                                 p_award=long["p_award"].round(3)))
        sims.append(frame[["scope", "bidders", "markup"]].assign(sim_price=frame["sim_price"].round(0)))
    return pd.concat(lines, ignore_index=True), pd.concat(sims, ignore_index=True)


def _tender_panel(scn: Scenario, lines: pd.DataFrame, sims: pd.DataFrame, mark: alt.Parameter) -> alt.LayerChart:
    """One scope's panel of the tender chart: the three lines, the simulated prices and the average cost."""
    d = abroad.tender_defaults(scn)
    pick = (alt.expr.abs(alt.datum.markup - mark) < 1e-6) & (alt.datum.scope == scn.scope)
    x = alt.X("bidders:Q", title="Bidders at the tender", scale=alt.Scale(domain=[1, 8]), axis=alt.Axis(tickMinStep=1))
    step = 10 ** max(math.floor(math.log10(d["mean_cost"])) - 1, 0)
    yscale = alt.Scale(domain=[math.floor(d["cost_low"] / step - 1) * step, math.ceil(d["cost_high"] / step + 2) * step])
    drawn = alt.Chart(lines).transform_filter(pick).mark_line(point=True).encode(
        x=x, y=alt.Y("value:Q", title=f"£ per child per year ({scn.price_year} prices)", scale=yscale),
        **series_cues("series:N", list(_TENDER_SERIES.values()), [PALETTE[3], PALETTE[0], PALETTE[2]],
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320)),
        tooltip=[alt.Tooltip("series:N", title="Line"), alt.Tooltip("bidders:Q", title="Bidders"),
                 alt.Tooltip("value:Q", title="£ a child", format=",.0f"),
                 alt.Tooltip("p_award:Q", title="Chance of an award", format=".0%")],
    )
    simulated = alt.Chart(sims).transform_filter(pick).mark_point(shape="cross", size=60, color="#333").encode(
        x=x, y="sim_price:Q",
        tooltip=[alt.Tooltip("bidders:Q", title="Bidders"),
                 alt.Tooltip("sim_price:Q", title="Simulated price (£)", format=",.0f")],
    )
    mean = alt.Chart(pd.DataFrame({"y": [round(d["mean_cost"], 0)]})).mark_rule(strokeDash=[4, 3], color="#999") \
        .encode(y=alt.Y("y:Q", scale=yscale))
    head = f"{_scope_title(scn)}: {_gbp(d['mean_cost'])} a child"
    return (mean + drawn + simulated).properties(width=240, height=240, title=head)


def _tender_gap(scn: Scenario) -> dict[str, float]:
    """How far the commissioner's expected cost lies above the price paid (Fig. 7.4's two lines), over every panel.

    They differ only when no bidder comes in under the reserve and the council takes the service back at the
    reserve price. ``gap`` is the largest difference, £ a child a year, over both scopes, every reserve and every
    number of bidders (closed form); ``share`` that difference over the price; ``markup`` the smallest reserve
    mark-up at which every tender is awarded (the spread of bidders' costs).
    """
    gaps = []
    for sc in _scopes(scn):
        g = abroad.tender_grid(sc, n_tenders=1)
        gaps.append(((g["commissioner_cost"] - g["price"]).max(), ((g["commissioner_cost"] - g["price"]) / g["price"]).max()))
    return {"gap": max(a for a, _ in gaps), "share": max(b for _, b in gaps), "markup": scn.value("bidder_cost_spread")}


def tender_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """Expected price against the number of bidders, closed form and simulation, for each scope; slider: the reserve."""
    scn = _scn(scn)
    mark = slider("ch7_tender_reserve", "Reserve: mark-up on the average cost (%)", 0, 25, 2.5,
                  round(100 * scn.value("reserve_markup"), 1))
    lines, sims = _tender_frames(scn)
    chart = alt.hconcat(*(_tender_panel(sc, lines, sims, mark) for sc in _scopes(scn)), spacing=24).add_params(mark)
    return finish(
        chart,
        "Each bidder lost raises the price",
        subtitle=[f"Costs uniform within {_pct(scn.value('bidder_cost_spread'))} of the average cost of a child to "
                  "the practice (dashed),",
                  "chapter 5's flat rate under each scope. Lowest bidder wins, paid the runner-up's cost",
                  f"up to the reserve; a lone bidder gets the reserve. Crosses: {abroad.TENDER_SIMS:,} simulated "
                  "tenders.",
                  "The commissioner's cost lies on the price line: they part only when a tender fails."],
        source=["model here; chapter 3 and 5 costs", _ASSUMED],
    )


def tender_table(scn: Scenario | None = None) -> Table:
    """What losing the second provider costs a commissioner, and what re-tendering wins back, under each scope."""
    scn = _scn(scn)
    scopes = _scopes(scn)
    mcs = [abroad.monopoly_cost(sc) for sc in scopes]
    ds = [abroad.tender_defaults(sc) for sc in scopes]
    entrants = int(scn.value("potential_entrants"))
    rows = [
        ("Two bidders", *(_m(mc["two_bidders"]) for mc in mcs), "The runner-up's cost sets the price"),
        ("One bidder (the second provider lost)", *(_m(mc["one_bidder"]) for mc in mcs),
         "The lone bidder is paid the reserve"),
        ("Cost of losing the second provider", *(_k(mc["loss"]) for mc in mcs),
         f"{' and '.join(_gbp(mc['loss_per_child']) for mc in mcs)} a child; "
         f"{_pct(mcs[0]['loss_share'], 1)} of the two-bidder cost under either"),
    ]
    for q in (0.25, 0.5, 1.0):
        re = [abroad.retender_price(entrants, q, d["cost_low"], d["cost_high"], d["reserve"]) * d["children"]
              for d in ds]
        back = (mcs[0]["one_bidder"] - re[0]) / mcs[0]["loss"]
        rows.append((f"Re-tender, a rival bids with chance {q:.0%}", *(_m(r) for r in re),
                     f"Wins back {_pct(back)} of the loss"))
    frame = pd.DataFrame(rows, columns=["Tender", *(_scope_title(sc) for sc in scopes), "Note"])
    costs = " and ".join(f"{_gbp(d['mean_cost'])} a child ({sc.scope_name})" for sc, d in zip(scopes, ds))
    return Table(frame, caption=f"South Australia's lesson for a practice of {_load()} children: what a second "
                                f"bidder is worth (commissioner's expected cost, {_prices(scn)})",
                 notes=f"Bidders' costs uniform within {_pct(ds[0]['spread'])} of the average cost of a child to the "
                       f"practice, chapter 5's flat rate: {costs}; reserve {_pct(ds[0]['markup'])} above it, the "
                       "council's cost of taking the service back in-house (report s.5.6). Spread, reserve and the "
                       "rival's chance of bidding are assumptions.")


# ---------------------------------------------------------------------------------------
# Kansas
# ---------------------------------------------------------------------------------------

_KANSAS_SCENARIOS = tuple(round(0.05 * i, 2) for i in range(7))
#: The step of children served above the number priced for that the text prices (a fraction).
_KANSAS_STEP = 0.10


def _load(margin: bool = False) -> str:
    """The draft contract's caseload as the page writes it: ``100``, or with its margin ``100 ± 10``."""
    c = default_caseload()
    return f"{c.mean} ± {c.margin}" if margin else f"{c.mean}"


def _kansas(scn: Scenario) -> pd.DataFrame:
    """Both scopes' Kansas comparison at the scenario's children served above the contracted number."""
    return pd.concat([abroad.kansas_comparison(sc) for sc in _scopes(scn)], ignore_index=True)


def kansas_table(scn: Scenario | None = None) -> Table:
    """Kansas's two ways of paying under each scope, priced on the book's children: who bears which risk."""
    scn = _scn(scn)
    k = _kansas(scn)
    frame = pd.DataFrame({
        "Practice pays for": k["scope"].map(lambda v: SCOPE_NAMES[v]),
        "Contract": k["contract"],
        "Contractor: spread of its surplus (sd)": k["practice_sd_surplus"].map(_amount),
        "Contractor: chance of a loss": k["practice_p_loss"].map(_pct),
        "Contractor: worst year in 20": k["practice_surplus_p5"].map(_amount),
        "Risk premium": k["risk_premium_exact"].map(_amount),
        "State's spend: spread (sd)": k["council_sd_spend"].map(_amount),
    })
    above = k["served_above"].iloc[0]
    priced = (f"priced for the {_load()} children it expects" if above == 0 else
              f"priced for {k['contracted_children'].iloc[0]:.1f} children")
    return Table(frame, caption="Kansas before and after 2000: the contractor's risk under a flat rate and under "
                                f"payment per child served ({_prices(scn)})",
                 notes=f"The book's practice of {_load(True)} children, {priced}: "
                       f"{scn.simulation.n_years:,} simulated years of the book's children (seed "
                       f"{scn.simulation.seed}), the years chapter 5 prices its contracts on. Both contracts pay chapter "
                       "5's flat rate a child; the flat rate is chapter 5's block contract, the payment per child served "
                       "its flat capitation. With social work only the practice's own costs are mostly fixed, so "
                       f"payment per child adds to its risk. Risk tolerance {_gbp(scn.risk_tolerance)} (assumption).")


def kansas_frame(scn: Scenario | None = None) -> pd.DataFrame:
    """Kansas's two contracts under each scope for children served 0% to 30% above the number priced for.

    Priced on the first ``scn.simulation.grid_years`` of the book's sample.

    Returns
    -------
    pandas.DataFrame
        One row per scope, scenario and contract: ``scope`` (in words), ``served_above`` (%),
        ``contract``, and the contractor's expected surplus ``mean``, its worst year in 20 ``p5``
        (5th percentile) and its spread ``sd``, all £ thousand a year.
    """
    scn = _scn(scn)
    rows = []
    for sc in _scopes(scn):
        for above in _KANSAS_SCENARIOS:
            k = abroad.kansas_comparison(sc, above, n_years=scn.simulation.grid_years)
            for rec in k.itertuples(index=False):
                rows.append({"scope": _scope_title(sc), "served_above": round(100 * above), "contract": rec.contract,
                             "mean": round(rec.practice_mean_surplus / 1000, 1),
                             "p5": round(rec.practice_surplus_p5 / 1000, 1),
                             "sd": round(rec.practice_sd_surplus / 1000, 1)})
    return pd.DataFrame(rows)


def kansas_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """The contractor's expected surplus and worst year in 20 as more children arrive than the contract expected."""
    scn = _scn(scn)
    frame = kansas_frame(scn)
    order = list(abroad.KANSAS_NAMES)
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=320)
    colour = series_cues("contract:N", order, [PALETTE[3], PALETTE[0]], line=False, legend=legend)["color"]
    x = alt.X("served_above:Q", title="Children served above the number priced for (%)",
              scale=alt.Scale(domain=[0, 30]))
    panels = []
    for title in dict.fromkeys(frame["scope"]):
        sub = frame[frame["scope"] == title]
        band = alt.Chart(sub).mark_area(opacity=0.18).encode(
            x=x, y=alt.Y("p5:Q", title=f"Contractor's surplus (£ thousand a year, {scn.price_year} prices)"),
            y2="mean:Q", color=colour)
        line = alt.Chart(sub).mark_line(point=True).encode(
            x=x, y="mean:Q", **series_cues("contract:N", order, [PALETTE[3], PALETTE[0]], legend=legend),
            tooltip=[alt.Tooltip("contract:N", title="Contract"), alt.Tooltip("served_above:Q", title="Served above (%)"),
                     alt.Tooltip("mean:Q", title="Expected surplus (£k)", format=",.1f"),
                     alt.Tooltip("p5:Q", title="Worst year in 20 (£k)", format=",.1f"),
                     alt.Tooltip("sd:Q", title="Spread, sd (£k)", format=",.1f")],
        )
        zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#333").encode(y="y:Q")
        panels.append((band + zero + line).properties(width=240, height=240, title=title))
    chart = alt.hconcat(*panels, spacing=24).resolve_scale(y="independent")
    return finish(
        chart,
        "Flat rate: extra children cost the contractor",
        subtitle=["Lines: expected surplus; shading to the worst year in 20. The practice",
                  f"serves {_load(True)} children; the flat rate was priced for fewer.",
                  f"{scn.simulation.grid_years:,} years of the book's children a point. Scales differ."],
        source=[_SIM, _ASSUMED],
    )


# ---------------------------------------------------------------------------------------
# Kansas's failure: a case rate set below cost
# ---------------------------------------------------------------------------------------

#: The shortfalls the page's case-rate table shows (fractions).
_CASE_RATE_ROWS = (0.0, 0.02, 0.05, 0.075, 0.1, 0.15)
#: The two shortfalls the text quotes (rows of the table above).
_CASE_RATE_QUOTED = (0.05, 0.1)


def _case_rate(scn: Scenario) -> dict[str, dict]:
    """The case-rate grid and breaking points under each scope, keyed ``"sw"`` and ``"pl"``."""
    return {key: {"scn": sc, "grid": abroad.case_rate_grid(sc, _CASE_RATE_ROWS),
                  "point": abroad.case_rate_breaking_point(sc)}
            for key, sc in zip(("sw", "pl"), _scopes(scn))}


def case_rate_table(scn: Scenario | None = None) -> Table:
    """Kansas's failure: a provider paid a case rate set below cost, its loss and its chance of failing, each scope."""
    scn = _scn(scn)
    both = _case_rate(scn)
    sw, pl = both["sw"]["grid"], both["pl"]["grid"]

    def loss(g: pd.DataFrame) -> pd.Series:
        return pd.Series([("none: a fair rate" if x == 0 else _amount(-s)) for x, s in zip(g["shortfall"], g["mean_surplus"])])

    frame = pd.DataFrame({
        "Rate below the true cost": sw["shortfall"].map(lambda x: _pct(x, 1 if round(1000 * x) % 10 else 0)),
        "Social work only: loss a year": loss(sw),
        "Social work only: chance of failing in the term": sw["p_fail_term"].map(_pct),
        "With placements: loss a year": loss(pl),
        "With placements: chance of failing in the term": pl["p_fail_term"].map(_pct),
    })
    term = int(scn.term_years)
    return Table(frame, caption=f"Kansas's failure: a case rate set from a cost estimate that is too low, a practice "
                                f"of {_load()} children ({_prices(scn)})",
                 notes=f"The 1997 flat rate per child referred, at chapter 5's rate under each scope times one minus the "
                       f"shortfall, priced on {scn.simulation.n_years:,} simulated years of the book's practice. The "
                       f"provider fails when its reserves ({_k(sw['reserves'].iloc[0])}, "
                       f"{scn.reserve_months:g} months of its own running cost) run out within a {term}-year term. At a fair "
                       "rate the expected loss is nil. How far the estimate is out is the unknown: the table runs over it.")


def _case_rate_numbers(scn: Scenario) -> dict[str, str]:
    """The case-rate figures the text quotes (``ch7_cr_...``)."""
    both = _case_rate(scn)
    small, large = _CASE_RATE_QUOTED
    out = {"ch7_cr_term": f"{int(scn.term_years)}",
           "ch7_ks_bankrupt_year": f"{data.value('international', jurisdiction='Kansas', measure='contractor_bankruptcy_year'):.0f}",
           "ch7_ks_cwla_issues": f"{data.value('international', jurisdiction='Kansas', measure='cwla_issues'):.0f}",
           "ch7_cr_reserves": _thousands(both["sw"]["grid"]["reserves"].iloc[0]),
           "ch7_cr_reserve_months": f"{scn.reserve_months:g}",
           "ch7_cr_x5": _pct(small), "ch7_cr_x10": _pct(large)}
    for key, x in both.items():
        g = x["grid"].set_index("shortfall")
        out.update({
            f"ch7_cr_expected_{key}": _pct(x["point"]["expected"], 1),
            f"ch7_cr_p5_{key}": _pct(g.loc[small, "p_fail_term"]),
            f"ch7_cr_p10_{key}": _pct(g.loc[large, "p_fail_term"]),
            f"ch7_cr_loss5_{key}": _thousands(-g.loc[small, "mean_surplus"]),
        })
    # Social work only never fails at a fair rate, so its breaking point is a shortfall; with placements it already
    # fails more often than not at a fair rate, so the text quotes that chance instead.
    out["ch7_cr_fail_sw"] = _pct(both["sw"]["point"]["simulated"], 1)
    out["ch7_cr_fair_pl"] = _pct(both["pl"]["point"]["p_fail_fair"])
    return out


# ---------------------------------------------------------------------------------------
# Illinois
# ---------------------------------------------------------------------------------------


def illinois_table(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> Table:
    """The Illinois permanency bonus without and with the 12-month rule: exact and simulated."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    c = abroad.illinois_comparison(scn)
    t = abroad.illinois_terms()
    frame = pd.DataFrame({
        "Rule": c["rule"],
        "Moves that count (a year)": c["expected_moves"].map(lambda v: f"{v:.1f}"),
        "Chance of any bonus": c["p_bonus"].map(lambda v: _pct(v, 1)),
        "Simulated": c["sim_p_bonus"].map(lambda v: _pct(v, 1)),
        "Expected bonus (exact)": c["expected_bonus"].map(_gbp),
        "Simulated ": c["sim_bonus"].map(_gbp),
    })
    loss = data.value("international", jurisdiction="Illinois", measure="max_contract_loss_share", data_dir=data_dir)
    return Table(frame, caption=f"Illinois's bonus for a practice of {_load()} children, with and without the durability rule "
                                f"({_prices(scn)})",
                 notes=f"A bonus of {_gbp(t['bonus'])} for each child moved into a permanent home above "
                       f"{_pct(t['threshold_share'])} of the caseload (ASPE); each child moves with chance "
                       f"{_pct(t['rate'])} a year and {_pct(t['reentry_within_year'])} of moves break down within a "
                       f"year (assumptions of the chapter on contracting for outcomes). Simulated: "
                       f"{scn.simulation.n_years:,} years drawn from the book's seed ({scn.simulation.seed}). The "
                       f"other side of the Illinois contract, an agency missing its standard losing up to "
                       f"{loss:.0f}% of its contract through fewer referrals (ASPE), is not modelled.")


def illinois_rates_table() -> Table:
    """The Illinois bonus with and without the 12-month rule over the plausible permanency rates (exact)."""
    g = abroad.illinois_rates(0.03 / 2)
    t = abroad.illinois_terms()
    frame = pd.DataFrame({
        "Children moved into a permanent home (a year)": g["rate"].map(lambda v: _pct(v, 1)),
        "No rule: chance of a bonus": g["p_bonus_none"].map(lambda v: _pct(v, 1)),
        "No rule: expected bonus": g["bonus_none"].map(_gbp),
        f"Counted after {t['window_months']:g} months: chance of a bonus": g["p_bonus_rule"].map(lambda v: _pct(v, 1)),
        "With the rule: expected bonus": g["bonus_rule"].map(_gbp),
        "Share of the bonus the rule removes": g["cut"].map(lambda v: "—" if v != v else _pct(v)),
    })
    low, value, high = (_pct(x) for x in _permanency_bounds())
    return Table(frame, caption=f"Illinois's bonus over the plausible permanency rates, a practice of {_load()} children "
                                "(£ a year, exact)",
                 notes=f"Permanency rate: {value} a year assumed, {low} to {high} the range (an assumption of the chapter "
                       f"on contracting for outcomes); {_pct(t['reentry_within_year'])} of moves break down within a "
                       f"year; a bonus of {_gbp(t['bonus'])} for each counted move above {_pct(t['threshold_share'])} "
                       "of the caseload.")


def _permanency_bounds() -> tuple[float, float, float]:
    g = abroad.illinois_rates()
    t = abroad.illinois_terms()
    return float(g["rate"].min()), float(t["rate"]), float(g["rate"].max())


def _illinois_range_numbers() -> dict[str, str]:
    """The Illinois lesson at the ends of the permanency rate's range and where it reverses (``ch7_il_...``)."""
    g = abroad.illinois_rates()
    lo, hi = g.iloc[0], g.iloc[-1]
    return {
        "ch7_il_rate_low": _pct(lo["rate"]), "ch7_il_rate_high": _pct(hi["rate"]),
        "ch7_il_p_rule_high": _pct(hi["p_bonus_rule"]),
        "ch7_il_p_none_low": _pct(lo["p_bonus_none"], 1), "ch7_il_p_none_high": _pct(hi["p_bonus_none"]),
        "ch7_il_cut_low": _pct(lo["cut"]), "ch7_il_cut_high": _pct(hi["cut"]),
        "ch7_il_half_rule": _pct(abroad.illinois_reversal(), 1),
        "ch7_il_half_none": _pct(abroad.illinois_reversal(window_months=0.0), 1),
    }


def illinois_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """Expected Illinois bonus against the months a move must last, with a slider for the breakdown rate."""
    scn = _scn(scn)
    g = abroad.illinois_grid()
    g = g.assign(expected_bonus=g["expected_bonus"].round(0), p_bonus=g["p_bonus"].round(4))
    reentry = slider("ch7_illinois_reentry", "Moves breaking down within a year (%)", 10, 40, 5,
                     round(100 * abroad.illinois_terms()["reentry_within_year"]))
    window = abroad.illinois_terms()["window_months"]
    line = alt.Chart(g).transform_filter(alt.datum.reentry == reentry).mark_line(point=True, color=PALETTE[0]).encode(
        x=alt.X("window_months:Q", title="Months a move must last to count", scale=alt.Scale(domain=[0, 24]),
                axis=alt.Axis(values=list(range(0, 25, 3)))),
        y=alt.Y("expected_bonus:Q", title=f"Expected bonus (£ a year, {scn.price_year} prices)",
                scale=alt.Scale(domain=[0, 4500])),
        tooltip=[alt.Tooltip("window_months:Q", title="Months"),
                 alt.Tooltip("expected_bonus:Q", title="Expected bonus (£)", format=",.0f"),
                 alt.Tooltip("p_bonus:Q", title="Chance of any bonus", format=".1%")],
    )
    rule = alt.Chart(pd.DataFrame({"x": [window], "text": [f"Illinois: {window:g} months"]}))
    marker = rule.mark_rule(strokeDash=[4, 3], color="#777").encode(x="x:Q") + rule.mark_text(
        align="left", dx=4, y=8, fontSize=11).encode(x="x:Q", text="text:N")
    chart = (line + marker).add_params(reentry).properties(width=300, height=240)
    return finish(
        chart,
        "Counting only lasting moves makes a bonus rare",
        subtitle=[f"{_load()} children, {_pct(abroad.illinois_terms()['rate'])} a year moving to permanent homes; bonus",
                  f"per child above {_pct(abroad.illinois_terms()['threshold_share'])}. Slider: more breakdowns, less "
                  "bonus."],
        source=["ASPE; Le Grand (2007), Annex A.3", "outcome chapter's assumptions"],
    )


# ---------------------------------------------------------------------------------------
# Massachusetts
# ---------------------------------------------------------------------------------------

_DESIGN_NAMES = {"guess": "Standard guessed, both years paid", "baseline": "Year 1 sets the standard, year 2 paid"}


#: The real improvement the bonus table prices, percentage points.
_IMPROVEMENT_POINTS = 5.0


def _design_effect(scn: Scenario) -> float:
    """How much more a year's count varies than with independent children: ``1 + (n - 1) ICC`` (chapter 6's)."""
    return outcomes.design_effect(default_caseload().mean, scn.icc)


def _bonus_terms(scn: Scenario) -> str:
    return (f"A practice of {_load()} children, {_pct(scn.value('outcome_base_probability'))} of whom keep one social "
            f"worker all year (chapter 5's assumed outcome); {_gbp(scn.value('bonus_per_child_above_standard'))} for "
            f"each child above the standard; a guessed standard is out by "
            f"{100 * scn.value('standard_guess_sd'):.0f} points on average (sd; assumptions). Outcomes of one "
            f"practice's children are clustered within a year, ICC {scn.icc:g} (the scenario's, as in chapters 8 "
            f"and 9): a year's count varies {_design_effect(scn):.2f} times as much as for independent children.")


def bonus_table(scn: Scenario | None = None) -> Table:
    """A two-year pilot's bonus with and without a baseline year, with the scenario's ICC and assumptions."""
    scn = _scn(scn)
    t = abroad.bonus_table(scn, _IMPROVEMENT_POINTS)
    frame = pd.DataFrame({
        "Design": t["design"].map(_DESIGN_NAMES),
        "Bonus for no improvement (exact)": t["windfall"].map(_gbp),
        "Simulated": t["windfall_sim"].map(_gbp),
        "Spread (sd)": t["sd"].map(_gbp),
        "Chance of no bonus": t["p_nothing"].map(_pct),
        f"Extra bonus for a {_IMPROVEMENT_POINTS:g}-point improvement": t["extra_for_improvement"].map(_gbp),
    })
    return Table(frame, caption="Pricing a bonus for a two-year pilot, with and without a baseline "
                                f"({_prices(scn, '£ over the pilot')})",
                 notes=f"{_bonus_terms(scn)} Simulated: {abroad.BONUS_PILOTS:,} pilots drawn from the book's seed "
                       f"({scn.simulation.seed}).")


def bonus_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """Expected bonus against real improvement for the two designs; slider: how far out a guessed standard may be."""
    scn = _scn(scn)
    g = abroad.bonus_grid(scn)
    g = g.assign(design=g["design"].map(_DESIGN_NAMES), bonus=(g["bonus"] / 1000).round(2),
                 sd=(100 * g["guess_sd"]).round(1))
    top = 20 * math.ceil(g["bonus"].max() / 20)
    sd = slider("ch7_bonus_guess_sd", "How far a guessed standard is typically out (points)", 2.5, 20, 2.5,
                round(100 * scn.value("standard_guess_sd"), 1))
    chart = alt.Chart(g).transform_filter(alt.expr.abs(alt.datum.sd - sd) < 1e-6).mark_line(point=True).encode(
        x=alt.X("improvement:Q", title="Real improvement in the outcome (percentage points)"),
        y=alt.Y("bonus:Q", title=f"Expected bonus over the pilot (£ thousand, {scn.price_year} prices)",
                scale=alt.Scale(domain=[0, top])),
        **series_cues("design:N", list(_DESIGN_NAMES.values()), [PALETTE[3], PALETTE[0]],
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320)),
        tooltip=[alt.Tooltip("design:N", title="Design"), alt.Tooltip("improvement:Q", title="Improvement (points)"),
                 alt.Tooltip("sd:Q", title="Guess out by, standard deviation (points)", format=".1f"),
                 alt.Tooltip("bonus:Q", title="Expected bonus (£k)", format=",.1f")],
    ).add_params(sd).properties(width=300, height=250)
    return finish(
        chart,
        "Without a baseline, a bonus pays for luck",
        subtitle=[f"Two-year pilot of {_load()} children, "
                  f"{_gbp(scn.value('bonus_per_child_above_standard'))} a child above the",
                  f"standard; outcomes clustered within a practice (correlation {scn.icc:g}). At zero",
                  "improvement the bonus is all windfall. Slider: a worse guess, a bigger windfall."],
        source=["model here (exact beta-binomial sums)", _ASSUMED],
    )


# ---------------------------------------------------------------------------------------
# Massachusetts over the ICC
# ---------------------------------------------------------------------------------------


def bonus_icc_table(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> Table:
    """The Massachusetts comparison over the plausible range of the intra-practice correlation (ICC)."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    g = abroad.bonus_icc(scn, improvement_points=_IMPROVEMENT_POINTS)
    frame = pd.DataFrame({
        "Correlation of outcomes within a practice": g["icc"].map(lambda v: f"{v:g}"),
        "Count varies this many times more": g["design_effect"].map(lambda v: f"{v:.1f}"),
        "Guessed standard: paid for luck": g["windfall_guess"].map(_gbp),
        "Guessed standard: per paid year": g["guess_per_year"].map(_gbp),
        "Baseline year: paid for luck": g["windfall_baseline"].map(_gbp),
        f"Baseline year: extra for a {_IMPROVEMENT_POINTS:g}-point improvement": g["extra_baseline"].map(_gbp),
    })
    low, value, high = assumptions.bounds("icc", data_dir=data_dir)
    return Table(frame, caption="Massachusetts's lesson over the correlation of outcomes within a practice "
                                f"({_prices(scn, '£ over the pilot')})",
                 notes=f"{_bonus_terms(scn).split(' Outcomes of one')[0]} The ICC is an assumption: {value:g} "
                       f"central, {low:g} to {high:g} its range (chapters 8 and 9). 'Paid for luck': the expected "
                       "bonus for no improvement at all.")


def _bonus_icc_numbers(scn: Scenario) -> dict[str, str]:
    """The ICC figures the Massachusetts text quotes (``ch7_ma_icc_...``)."""
    low, _, high = assumptions.bounds("icc")
    g = abroad.bonus_icc(scn, (low, high), _IMPROVEMENT_POINTS)
    lo, hi = g.iloc[0], g.iloc[1]
    return {
        "ch7_ma_icc_low": f"{low:g}", "ch7_ma_icc_high": f"{high:g}",
        "ch7_ma_ratio_low": f"{lo['ratio']:.1f}", "ch7_ma_ratio_high": f"{hi['ratio']:.1f}",
        "ch7_ma_icc_per_year": f"{abroad.bonus_icc_reversal(scn, 'per_year', _IMPROVEMENT_POINTS):.3f}",
        "ch7_ma_icc_luck": f"{abroad.bonus_icc_reversal(scn, 'luck', _IMPROVEMENT_POINTS):.3f}",
        "ch7_ma_base_low": _gbp(lo["windfall_baseline"]), "ch7_ma_extra_low": _gbp(lo["extra_baseline"]),
        "ch7_ma_base_high": _gbp(hi["windfall_baseline"]), "ch7_ma_guess_year_high": _gbp(hi["guess_per_year"]),
    }


# ---------------------------------------------------------------------------------------
# Lessons and levers
# ---------------------------------------------------------------------------------------

#: Labels of this chapter's sections that the levers table links to (set in ``book/07_abroad.ipynb``).
SECTION_LABELS = ("abroad-ontario", "abroad-tender", "abroad-kansas", "abroad-illinois", "abroad-massachusetts")

#: Label of the levers table on the page (the target of its numbered references).
LEVERS_LABEL = "tbl-abroad-levers"

#: For each lesson key of ``data/international_systems.csv``: where in the book a reader sees it work, as
#: (link text, target) pairs, a target being another page (``doc:``) or a section of this chapter (``ref:``);
#: then the contract parameter and the control.
_LEVERS = {
    "monopoly": ((("This chapter: the tender", "ref:abroad-tender"),),
                 "The number of bidders and the reserve price (the council's cost of taking the service back in-house)",
                 "Reserve-price slider of the tender chart"),
    "performance_contracts": ((("Paying a practice", "doc:05_contracts"),
                               ("Contracting for outcomes", "doc:06_outcomes")),
                              "The outcome bonus per child and the base it sits on",
                              "Outcome-bonus slider of the live contract explorer"),
    "purchaser_provider_split": ((("Continuity", "doc:02_continuity"),),
                                 "The practice's staff turnover and vacancies against the council's",
                                 "Turnover and vacancy sliders of the continuity charts"),
    "regulator_life_cycle": ((("This chapter: Ontario", "ref:abroad-ontario"),),
                             "The cost of auditing costs and monitoring outcomes, and payment that does not follow "
                             "spending", "Spending-ratio slider of the Ontario chart"),
    "cwla_issues": ((("This chapter: Kansas", "ref:abroad-kansas"), ("Paying a practice", "doc:05_contracts"),
                     ("Which contract wins where", "doc:05_sensitivity")),
                    "Whether the baseline follows the number of children",
                    "Baseline menu of the design-your-contract chart"),
    "durable_outcomes": ((("This chapter: Illinois", "ref:abroad-illinois"),
                          ("Contracting for outcomes", "doc:06_outcomes")),
                         "The months an outcome must last before it is paid",
                         "Breakdown-rate slider of the Illinois chart (months on its axis)"),
    "baseline_first": ((("This chapter: Massachusetts", "ref:abroad-massachusetts"),
                        ("Piloting and evaluation", "doc:08_piloting")),
                       "When standards start, and how far a guessed standard may be out",
                       "Guess-error slider of the bonus chart"),
}

_LEVERS_CAPTION = "Each lesson from abroad, and the lever in this book that shows it at work"
_LEVERS_NOTES = ("Lessons from Annex A.3 (its four lessons and its lesson from Canada), and three drawn by this book "
                 "from the annex's accounts of Kansas, Illinois and Massachusetts.")


def levers_targets() -> list[str]:
    """Every link target of the levers table: ``doc:<page>`` (a page under ``book/``) or ``ref:<label>``."""
    return [target for where, _, _ in _LEVERS.values() for _, target in where]


def _lever_rows() -> list[tuple[str, str, tuple[tuple[str, str], ...], str, str]]:
    s = abroad.systems()
    lessons = s[s["aspect"] == "lesson"]
    rows = []
    for key, (where, parameter, control) in _LEVERS.items():
        sub = lessons[lessons["category"] == key]
        if sub.empty:
            raise ValueError(f"no lesson {key!r} in data/international_systems.csv")
        rows.append((sub["entry"].iloc[0], ", ".join(dict.fromkeys(sub["jurisdiction"])), where, parameter, control))
    return rows


def levers_table() -> Table:
    """Each lesson of the annex tied to the chapter, contract parameter and control where a reader can see it work."""
    rows = [(lesson, places, "; ".join(text for text, _ in where), parameter, control)
            for lesson, places, where, parameter, control in _lever_rows()]
    frame = pd.DataFrame(rows, columns=["Lesson", "From", "Where to see it", "Contract parameter", "Control"])
    return Table(frame, caption=_LEVERS_CAPTION, notes=_LEVERS_NOTES)


def _link(text: str, target: str) -> str:
    kind, _, name = target.partition(":")
    return f"{{{kind}}}`{text} <{name}>`"


def levers_markdown() -> str:
    """The levers table as MyST Markdown, each place linked to the page or section that shows it.

    Links to other pages and to this chapter's sections are MyST cross-reference roles, so the
    book's build checks every one. The page stores it with glue and pastes it as MyST Markdown.
    """
    lines = [f"```{{list-table}} {_LEVERS_CAPTION}", ":header-rows: 1", ":class: swp-table", f":name: {LEVERS_LABEL}", "",
             "* - Lesson", "  - From", "  - Where to see it", "  - Contract parameter", "  - Control"]
    for lesson, places, where, parameter, control in _lever_rows():
        links = "; ".join(_link(text, target) for text, target in where)
        lines += [f"* - {lesson}", f"  - {places}", f"  - {links}", f"  - {parameter}", f"  - {control}"]
    lines += ["```", "", _LEVERS_NOTES]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Key results
# ---------------------------------------------------------------------------------------


def _by_scope(scn: Scenario) -> dict[str, dict]:
    """The tender and Kansas figures under each scope, keyed ``"sw"`` (social work only) and ``"pl"`` (placements)."""
    out = {}
    for key, sc in zip(("sw", "pl"), _scopes(scn)):
        k = abroad.kansas_comparison(sc).set_index("contract")
        more = abroad.kansas_comparison(sc, _KANSAS_STEP).set_index("contract")
        out[key] = {"scn": sc, "mc": abroad.monopoly_cost(sc), "tender": abroad.tender_defaults(sc), "k": k,
                    "more": more}
    return out


def key_results(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> Table:
    """The chapter's key-results table, every figure computed from the models and their data."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    b = abroad.ontario_bounds().set_index("reading")
    both = _by_scope(scn)
    sw, pl = both["sw"], both["pl"]
    flat, served = abroad.KANSAS_NAMES
    bonus = abroad.bonus_table(scn).set_index("design")
    s = abroad.systems()
    evidence = s[s["aspect"] == "evidence"]
    with_evidence = int((evidence["category"].isin(["Favourable", "Mixed", "Unfavourable"])).sum())

    def scoped(fmt) -> str:  # noqa: ANN001 - a formatter of one scope's figures
        return "; ".join(f"{x['scn'].scope_name}: {fmt(x)}" for x in (sw, pl))

    basis = f"the book's simulated children, {scn.simulation.n_years:,} years (chapter 5's)"
    rates = _case_rate(scn)
    icc_low, _, icc_high = assumptions.bounds("icc", data_dir=data_dir)
    icc_grid = abroad.bonus_icc(scn, (icc_low, icc_high), _IMPROVEMENT_POINTS)
    bonus_lo, bonus_hi = icc_grid.iloc[0], icc_grid.iloc[1]
    return _key_results(
        [
            ("Places and studies in the annex for which it reports any finding on outcomes or cost",
             f"{with_evidence} of {len(evidence)}", "Annex A.3, classified here"),
            ("Ontario: growth in spending per unit of service, 1998/99 to 2004/05, and a year",
             f"at least {100 * b.loc['as stated', 'unit_cost_growth']:.0f}% "
             f"({100 * b.loc['as stated', 'annual_rate']:.1f}% a year) on the words as stated; "
             f"{100 * b.loc['lowest', 'unit_cost_growth']:.0f}% to {100 * b.loc['highest', 'unit_cost_growth']:.0f}% "
             f"({100 * b.loc['lowest', 'annual_rate']:.1f}% to {100 * b.loc['highest', 'annual_rate']:.1f}% a year) "
             "over their range",
             "Annex A.3 citing the Auditor General (2006)",
             "the readings of 'more than doubled' and 'about 40%'"),
            (f"Tender: cost to the council of losing the second of two bidders, practice of {_load()} children "
             f"(£ a year, {scn.price_year} prices)",
             scoped(lambda x: f"{_k(x['mc']['loss'])} ({_pct(x['mc']['loss_share'], 1)} of the contract)"),
             "closed form, checked by simulation; chapter 5's cost of a child under each scope",
             "bidders' cost spread and the reserve price"),
            (f"Re-tendering with a {_pct(scn.value('retender_entry_probability'))} chance that a rival bids: share "
             "of that loss won back",
             _pct(sw["mc"]["retender_saving"] / sw["mc"]["loss"]), "closed form, either scope",
             "the rival's chance of bidding"),
            (f"Kansas: spread (sd) of the contractor's surplus, flat rate; per child served (£ a year, "
             f"{scn.price_year} prices)",
             scoped(lambda x: f"{_amount(x['k'].loc[flat, 'practice_sd_surplus'])}; "
                              f"{_amount(x['k'].loc[served, 'practice_sd_surplus'])}"),
             basis),
            (f"Kansas: risk premium the contractor would charge, flat rate; per child served (£ a year, "
             f"{scn.price_year} prices)",
             scoped(lambda x: f"{_amount(x['k'].loc[flat, 'risk_premium_exact'])}; "
                              f"{_amount(x['k'].loc[served, 'risk_premium_exact'])}"),
             basis, f"risk tolerance {_gbp(scn.risk_tolerance)}"),
            (f"Two-year pilot: bonus paid for no improvement, standard guessed; standard from a baseline year "
             f"(£ over the pilot, {scn.price_year} prices; outcomes clustered, ICC {scn.icc:g})",
             f"{_gbp(bonus.loc['guess', 'windfall'])}; {_gbp(bonus.loc['baseline', 'windfall'])}",
             "exact beta-binomial sums, checked by simulation",
             f"error of a guessed standard; bonus {_gbp(scn.value('bonus_per_child_above_standard'))} a child; "
             "the ICC"),
            ("Two-year pilot: the ICC above which a baseline year pays more for luck than a guessed standard does per "
             "paid year",
             f"{abroad.bonus_icc_reversal(scn, 'per_year', _IMPROVEMENT_POINTS):.3f} (the assumption's range "
             f"{icc_low:g} to {icc_high:g}); the guess costs {bonus_lo['ratio']:.1f} to {bonus_hi['ratio']:.1f} times "
             "as much over the pilot across that range",
             "exact beta-binomial sums, solved by bisection", "the ICC"),
            (f"Kansas's case rate set below cost: shortfall at which the provider fails within its {int(scn.term_years)}-year "
             "term more often than not",
             "; ".join(f"{x['scn'].scope_name}: " + (f"{_pct(x['point']['simulated'], 1)}" if x["point"]["simulated"] > 0
                                                     else f"none needed (it fails in {_pct(x['point']['p_fail_fair'])} "
                                                          "of terms at a fair rate)") for x in rates.values()),
             f"{basis}; reserves of {scn.reserve_months:g} months' running cost",
             "reserves and the term; the cost estimate's error is the variable shown"),
        ],
        caption=f"Key results: lessons from abroad (the book's central scenario; both scopes where they differ; "
                f"£ at {scn.price_year} prices)",
    )


# ---------------------------------------------------------------------------------------
# Figures quoted in the chapter's text
# ---------------------------------------------------------------------------------------

#: The figures the previous edition of the chapter printed, for the page's note of what changed (£ a year,
#: 2005-06 prices; ratios). Then the tender and the referral payments used chapter 3's cost of a child with every
#: cost following the children; Kansas ran 20,000 years of its own (seed 1997), all costs variable and placements
#: in scope; the Massachusetts bonus treated children's outcomes as independent.
PREVIOUS_EDITION: dict[str, float] = {
    "tender_mean_cost": 42_840.0,
    "tender_loss": 285_600.0,
    "ks_years": 20_000,
    "ks_prem_flat": 269_000.0,
    "ks_prem_served": 142_000.0,
    "ks_prem_cut": 0.47,
    "ks_worst_flat": 610_000.0,
    "ks_worst_served": 440_000.0,
    "ks_per10": 429_000.0,
    "ma_guess": 42_967.0,
    "ma_baseline": 11_254.0,
    "ma_ratio": 3.8,
}


def _thousands(x: float) -> str:
    """£ rounded to the nearest thousand and written out: ``285600 -> '£286,000'``."""
    return f"£{round(abs(x), -3):,.0f}"


def _millions(x: float, digits: int = 2) -> str:
    return f"£{abs(x) / 1e6:.{digits}f} million"


def _money(x: float) -> str:
    """A large sum in words: ``£3.4 million`` from a million up, ``£610,000`` below."""
    return _millions(x, 1) if abs(x) >= 950_000 else _thousands(x)


def _span(a: float, b: float) -> str:
    lo, hi = sorted((abs(a), abs(b)))
    return f"{_money(lo)} to {_money(hi)}"


def prose_numbers_abroad(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> dict[str, str]:
    """Formatted figures that chapter 7's text quotes, keyed by the name the page glues them under.

    Every value is computed from :mod:`swp_models.abroad` and its data under the scenario (default the
    central one), the tender, the referral payments and Kansas under both scopes (suffixes ``_sw``:
    social work only; ``_pl``: social work and placements), so the prose moves with the model. Names
    starting ``ch7_was_`` are the previous edition's figures (``PREVIOUS_EDITION``).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    s = abroad.systems()
    evidence = s[s["aspect"] == "evidence"]
    b = abroad.ontario_bounds().set_index("reading")
    both = _by_scope(scn)
    flat, served = abroad.KANSAS_NAMES
    il = abroad.illinois_comparison(scn).set_index("window_months")
    t = abroad.illinois_terms()
    bonus = abroad.bonus_table(scn, _IMPROVEMENT_POINTS).set_index("design")
    independent = abroad.bonus_table(scn.replace(icc=0.0), _IMPROVEMENT_POINTS).set_index("design")
    low = scn.value("nearly_doubled_lower")
    high = data.value("international", jurisdiction="Ontario", measure="families_referred_ratio_since_oram", data_dir=data_dir)
    vol = b.loc["as stated", "volume_growth"]
    half = scn.value("about_half_width") / 100
    out = {
        "ch7_with_evidence": str(int(evidence["category"].isin(["Favourable", "Mixed", "Unfavourable"]).sum())),
        "ch7_places": str(len(evidence)),
        "ch7_on_growth": _pct(b.loc["as stated", "unit_cost_growth"]),
        "ch7_on_real": _pct(b.loc["as stated", "real_unit_cost_growth"]),
        "ch7_on_real_rate": _pct(b.loc["as stated", "real_annual_rate"], 1),
        "ch7_on_real_high": _pct(b.loc["highest", "real_unit_cost_growth"]),
        "ch7_on_prices": _pct(abroad.canada_price_ratio() - 1, 1),
        "ch7_on_rate": _pct(b.loc["as stated", "annual_rate"], 1),
        "ch7_on_low": _pct(b.loc["lowest", "unit_cost_growth"]),
        "ch7_on_high": _pct(b.loc["highest", "unit_cost_growth"]),
        "ch7_on_rate_low": _pct(b.loc["lowest", "annual_rate"], 1),
        "ch7_on_rate_high": _pct(b.loc["highest", "annual_rate"], 1),
        "ch7_on_vol_low": _pct(vol - half),
        "ch7_on_vol_high": _pct(vol + half),
        "ch7_on_spend_low": f"{b.loc['as stated', 'spending_ratio']:g}",
        "ch7_on_spend_high": f"{b.loc['highest', 'spending_ratio']:g}",
        "ch7_ref_low": f"{low:g}",
        "ch7_ref_high": f"{high:g}",
        "ch7_children": _load(),
        "ch7_art4_margin": f"{default_caseload().margin}",
        "ch7_art4_high": f"{default_caseload().mean + default_caseload().margin}",
        "ch7_art4_share": _pct(default_caseload().margin / default_caseload().mean),
        "ch7_load": _load(True),
        "ch7_price_year": scn.price_year,
        "ch7_spread": _pct(scn.value("bidder_cost_spread")),
        "ch7_reserve": _pct(scn.value("reserve_markup")),
        "ch7_loss_share": _pct(both["sw"]["mc"]["loss_share"], 1),
        "ch7_entry_p": _pct(scn.value("retender_entry_probability")),
        "ch7_winback": _pct(both["sw"]["mc"]["retender_saving"] / both["sw"]["mc"]["loss"]),
        "ch7_ks_years": f"{scn.simulation.n_years:,}",
        "ch7_ks_seed": str(scn.simulation.seed),
        "ch7_ks_step": _pct(_KANSAS_STEP),
        "ch7_risk_tolerance": _gbp(scn.risk_tolerance),
        "ch7_il_threshold": _pct(t["threshold_share"]),
        "ch7_il_rate": _pct(t["rate"]),
        "ch7_il_reentry": _pct(t["reentry_within_year"]),
        "ch7_il_bonus": _gbp(t["bonus"]),
        "ch7_il_moves": f"{il.loc[0.0, 'expected_moves']:g}",
        "ch7_il_p": _pct(il.loc[0.0, "p_bonus"], 1),
        "ch7_il_moves_rule": f"{il.loc[t['window_months'], 'expected_moves']:.1f}",
        "ch7_il_p_rule": _pct(il.loc[t["window_months"], "p_bonus"], 1),
        "ch7_il_seed": str(scn.simulation.seed),
        **_illinois_range_numbers(),
        "ch7_il_years": f"{scn.simulation.n_years:,}",
        "ch7_tender_sims": f"{abroad.TENDER_SIMS:,}",
        "ch7_ma_base": _pct(scn.value("outcome_base_probability")),
        "ch7_ma_bonus": _gbp(scn.value("bonus_per_child_above_standard")),
        "ch7_ma_guess_sd": f"{100 * scn.value('standard_guess_sd'):.0f}",
        "ch7_ma_icc": f"{scn.icc:g}",
        "ch7_ma_deff": f"{_design_effect(scn):.2f}",
        "ch7_ma_points": f"{_IMPROVEMENT_POINTS:g}",
        "ch7_ma_guess": _gbp(bonus.loc["guess", "windfall"]),
        "ch7_ma_baseline": _gbp(bonus.loc["baseline", "windfall"]),
        "ch7_ma_guess_year": _gbp(bonus.loc["guess", "windfall"] / bonus.loc["guess", "paid_years"]),
        "ch7_ma_ratio": f"{bonus.loc['guess', 'windfall'] / bonus.loc['baseline', 'windfall']:.1f}",
        "ch7_ma_sd_guess": _gbp(bonus.loc["guess", "sd"]),
        "ch7_ma_sd_baseline": _gbp(bonus.loc["baseline", "sd"]),
        "ch7_ma_extra_guess": _gbp(bonus.loc["guess", "extra_for_improvement"]),
        "ch7_ma_extra_baseline": _gbp(bonus.loc["baseline", "extra_for_improvement"]),
        "ch7_ma_baseline_indep": _gbp(independent.loc["baseline", "windfall"]),
        "ch7_ma_guess_indep": _gbp(independent.loc["guess", "windfall"]),
        **_case_rate_numbers(scn),
        **_bonus_icc_numbers(scn),
    }
    gap = _tender_gap(scn)
    out.update({"ch7_tender_gap": _gbp(gap["gap"]), "ch7_tender_gap_share": _pct(gap["share"], 1),
                "ch7_tender_gap_markup": _pct(gap["markup"])})
    for key, x in both.items():
        sc, mc, k, more = x["scn"], x["mc"], x["k"], x["more"]
        block = [abroad.referral_shift(sc, f)["surplus"].iloc[0] for f in (low, high)]
        gain = [abroad.referral_shift(sc, f, "no_additional_needs")["surplus"].iloc[1] for f in (low, high)]
        out.update({
            f"ch7_ref_block_{key}": _span(*block),
            f"ch7_ref_gain_{key}": _span(*gain),
            f"ch7_mean_cost_{key}": _gbp(x["tender"]["mean_cost"]),
            f"ch7_two_{key}": _millions(mc["two_bidders"]),
            f"ch7_one_{key}": _millions(mc["one_bidder"]),
            f"ch7_loss_{key}": _thousands(mc["loss"]),
            f"ch7_loss_child_{key}": _gbp(mc["loss_per_child"]),
            f"ch7_ks_sd_flat_{key}": _thousands(k.loc[flat, "practice_sd_surplus"]),
            f"ch7_ks_sd_served_{key}": _thousands(k.loc[served, "practice_sd_surplus"]),
            f"ch7_ks_worst_flat_{key}": _thousands(k.loc[flat, "practice_surplus_p5"]),
            f"ch7_ks_worst_served_{key}": _thousands(k.loc[served, "practice_surplus_p5"]),
            f"ch7_ks_prem_flat_{key}": _gbp(k.loc[flat, "risk_premium_exact"]) if key == "sw"
            else _thousands(k.loc[flat, "risk_premium_exact"]),
            f"ch7_ks_prem_served_{key}": _gbp(k.loc[served, "risk_premium_exact"]) if key == "sw"
            else _thousands(k.loc[served, "risk_premium_exact"]),
            f"ch7_ks_state_sd_{key}": _thousands(k.loc[served, "council_sd_spend"]),
            f"ch7_ks_per10_{key}": _thousands(k.loc[flat, "practice_mean_surplus"]
                                              - more.loc[flat, "practice_mean_surplus"]),
        })
    pl = both["pl"]["k"]
    out["ch7_ks_prem_cut_pl"] = _pct(1 - pl.loc[served, "risk_premium_exact"] / pl.loc[flat, "risk_premium_exact"])
    out["ch7_ks_per10_served"] = _thousands(max(abs(x["k"].loc[served, "practice_mean_surplus"]
                                                    - x["more"].loc[served, "practice_mean_surplus"])
                                                for x in both.values()))
    w = PREVIOUS_EDITION
    out.update({
        "ch7_was_mean_cost": _gbp(w["tender_mean_cost"]),
        "ch7_was_loss": _thousands(w["tender_loss"]),
        "ch7_was_ks_years": f"{w['ks_years']:,}",
        "ch7_was_ks_prem_flat": _thousands(w["ks_prem_flat"]),
        "ch7_was_ks_prem_served": _thousands(w["ks_prem_served"]),
        "ch7_was_ks_prem_cut": _pct(w["ks_prem_cut"]),
        "ch7_was_ks_worst_flat": _thousands(w["ks_worst_flat"]),
        "ch7_was_ks_worst_served": _thousands(w["ks_worst_served"]),
        "ch7_was_ks_per10": _thousands(w["ks_per10"]),
        "ch7_was_ma_guess": _gbp(w["ma_guess"]),
        "ch7_was_ma_baseline": _gbp(w["ma_baseline"]),
        "ch7_was_ma_ratio": f"{w['ma_ratio']:.1f}",
    })
    return out
