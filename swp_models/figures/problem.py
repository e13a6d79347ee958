"""Charts for chapter 1, "The problem in numbers"."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from .. import data, problem
from ..charts import PALETTE, finish, selector, series_cues, slider

__all__ = ["workforce_chart", "recruitment_chart", "agency_chart", "wmtd_chart", "census_chart"]

_REPORT = "Le Grand (2007)"


def workforce_chart() -> alt.VConcatChart:
    """Vacancy or turnover by region against England, 2005, with a measure selector."""
    frame = problem.workforce_by_region()
    pick = selector(
        "workforce_measure", "Measure", ["vacancy_rate", "turnover_rate"], "vacancy_rate",
        labels=["Vacancy rate", "Turnover rate"], radio=True,
    )
    base = alt.Chart(frame).transform_filter(alt.datum.measure == pick)
    bars = base.mark_bar().encode(
        y=alt.Y("region:N", title=None, sort="-x"),
        x=alt.X("rate:Q", title="Rate in 2005 (% of posts or staff)", scale=alt.Scale(domain=[0, 20]), stack=None),
        color=alt.condition(alt.datum.region == "England", alt.value(PALETTE[1]), alt.value(PALETTE[0])),
        tooltip=[alt.Tooltip("region:N", title="Region"), alt.Tooltip("label:N", title="Measure"),
                 alt.Tooltip("rate:Q", title="Rate (%)"), alt.Tooltip("gap:Q", title="Points above England")],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        y=alt.Y("region:N", sort="-x"),
        x="rate:Q", text=alt.Text("rate:Q", format=".0f"),
    )
    chart = (bars + labels).add_params(pick).properties(height=170)
    return finish(
        chart,
        "Vacancies and turnover were highest in London",
        subtitle="Children's field social workers, 2005. England in orange. Choose the measure below.",
        source=f"{_REPORT} s.4.3, citing LAWIG (2006) Table 8; regions are those the report names",
    )


def recruitment_chart() -> alt.VConcatChart:
    """Councils reporting recruitment difficulties, 2001 and 2005."""
    frame = problem.recruitment().assign(
        year=lambda d: d["year"].astype(str),
        label=lambda d: d.apply(lambda r: ("nearly " if r["approx"] else "") + f"{r['percent']:.0f}%", axis=1),
    )
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("percent:Q", title="Councils with recruitment difficulties (%)", scale=alt.Scale(domain=[0, 100])),
    )
    chart = (base.mark_bar(width=60) + base.mark_text(dy=-8).encode(text="label:N")).properties(width=300, height=240)
    return finish(
        chart,
        "More councils found social workers hard to recruit",
        subtitle="Local authorities in England reporting recruitment difficulties.",
        source=f"{_REPORT} s.4.3, citing LAWIG (2006) Table 14. 2005 is given as 'nearly 70%'",
    )


def agency_chart(*, data_dir: str | Path | None = None) -> alt.VConcatChart:
    """Use of agency staff by councils, England and London, 2005."""
    frame = data.load("agency_staff_use_2005", data_dir=data_dir)
    names = {
        "long_term_agency_used": "Used long-term agency staff",
        "short_term_agency_used": "Used short-term agency staff",
        "cover_vacant_posts": "Used agency staff to cover vacant posts",
        "cover_absence": "... to cover absence",
        "cover_short_term_assignments": "... for short-term assignments",
    }
    frame = frame.assign(use=frame["measure"].map(names))
    order = list(names.values())
    # A dot an area (colour and shape), so England and London are told apart without colour.
    chart = alt.Chart(frame).mark_point(filled=True, size=70, opacity=1).encode(
        y=alt.Y("use:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title="Councils (%)", scale=alt.Scale(domain=[0, 100])),
        **series_cues("area:N", ["England", "London"], title="Area", line=False, shape=True,
                      legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("use:N", title="Use"),
                 alt.Tooltip("value:Q", title="Councils (%)")],
    ).properties(width=360, height=alt.Step(22))
    return finish(
        chart,
        "Nine in ten councils that responded relied on agency social workers",
        subtitle="Share of the councils that responded to the 2005 survey using agency staff; London where the report gives it.",
        source=f"{_REPORT} s.4.3, citing the 2005 workforce survey (LAWIG 2006)",
    )


def wmtd_chart() -> alt.VConcatChart:
    """The WMTD consultation results with Wilson intervals; a slider picks the confidence level."""
    frame = problem.wmtd_intervals([k / 100 for k in range(80, 100)])
    level = slider("wmtd_confidence", "Confidence level (%)", 80, 99, 1, 95)
    base = alt.Chart(frame).transform_filter(alt.datum.confidence == level).encode(
        y=alt.Y("statement:N", title=None, axis=alt.Axis(labelLimit=200)),
    )
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title="Young people agreeing (%)", scale=alt.Scale(domain=[60, 100])),
        x2="high:Q",
        tooltip=[alt.Tooltip("percent:Q", title="Reported (%)"), alt.Tooltip("low:Q", title="Lower (%)", format=".1f"),
                 alt.Tooltip("high:Q", title="Upper (%)", format=".1f"), alt.Tooltip("confidence:Q", title="Level (%)")],
    )
    point = base.mark_point(size=90, filled=True, color=PALETTE[1]).encode(x="percent:Q")
    text = base.mark_text(dy=-14).encode(
        x="percent:Q",
        text=alt.Text("label:N"),
    ).transform_calculate(label="format(datum.low, '.1f') + '% to ' + format(datum.high, '.1f') + '%'")
    chart = (interval + point + text).add_params(level).properties(height=140)
    return finish(
        chart,
        "Young people in care want fewer professionals and one consistent lead",
        subtitle=["339 young people in or leaving care, four events, Dec 2006 - Jan 2007.",
                  "Bars: Wilson interval, sampling error only (attendees chose to come)."],
        source=f"{_REPORT} s.4.1 (What Makes the Difference? consultation); intervals computed here",
    )


def census_chart() -> alt.VConcatChart:
    """Children supported and the week's cost, census week February 2005."""
    frame = problem.census_week()
    frame = frame[frame["group"] != "all"].assign(
        group_label=lambda d: d["group"].map({"looked_after": "Looked after", "in_families": "Supported in families"}),
    )
    long = pd.concat(
        [
            frame.assign(measure="Children (thousands)", amount=frame["children"] / 1e3),
            frame.assign(measure="Cost that week (£ million)", amount=frame["weekly_cost_gbp"] / 1e6),
            frame.assign(measure="Cost per child that week (£)", amount=frame["weekly_cost_per_child"]),
        ],
        ignore_index=True,
    )[["group_label", "measure", "amount"]]
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("amount:Q", title=None, axis=alt.Axis(tickCount=4)),
        y=alt.Y("group_label:N", title=None),
        color=alt.Color("group_label:N", legend=None),
        tooltip=[alt.Tooltip("group_label:N", title="Group"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("amount:Q", title="Amount", format=",.1f")],
    ).properties(width=140, height=70).facet(
        column=alt.Column("measure:N", title=None, sort=["Children (thousands)", "Cost that week (£ million)",
                                                         "Cost per child that week (£)"]),
    ).resolve_scale(x="independent")
    return finish(
        chart,
        "A fifth of the children, two thirds of the cost",
        subtitle="Children in Need census, England, a typical week in February 2005.",
        source=f"{_REPORT} s.6.1.5 (Children in Need Census 2005); cost per child computed here",
    )
