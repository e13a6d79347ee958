"""Charts for chapter 2, "Continuity: how many social workers does a child have?".

Every chart reads its numbers from :mod:`swp_models.continuity`. Where a slider changes a
result, the results are precomputed over a grid of the slider's values and the slider
filters the grid, so the charts work on a static page with no kernel.
"""

from __future__ import annotations

from pathlib import Path

from typing import Mapping

import altair as alt
import pandas as pd

from .. import continuity as cm
from ..continuity import compare as cc
from .. import data
from ..charts import DASHES, PALETTE, SHAPES, finish, selector, series_cues, slider

__all__ = [
    "decomposition_chart",
    "distribution_chart",
    "episode_chart",
    "queue_chart",
    "rota_chart",
    "same_start_chart",
    "turnover_chart",
]

_SOURCE = "Le Grand (2007) s.4.3 (2005 rates); assumptions in data/assumptions_continuity.csv; computed here"
_YOURS = "Your scenario"
_SHORT = {"Council, England 2005": "Council, England", "Council, London 2005": "Council, London",
          "Practice": "Practice"}
_SCENARIO_COLOURS = [PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[7]]

# Slider ranges shared by the charts (whole percent), matching the precomputed grids.
_TURNOVER = (0, 30)
_VACANCY = (0, 25)
_HANDOFFS = (0, 5)
# How far below 0 the "five or more workers" axis reaches (percentage points), so lines at 0 sit inside the plot.
_FOOT = 10



def _ceil_pct(frame, by: str, at_most: float, column: str) -> int:
    """The largest ``column`` (a chance) where ``by`` is at most ``at_most``, as a whole per cent rounded up."""
    import math

    return max(1, math.ceil(100 * float(frame.loc[frame[by] <= at_most, column].max())))

def _csv(frame: pd.DataFrame) -> alt.InlineData:
    """Embed a numeric frame as CSV text: a third of the size of the same rows as JSON."""
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.5g")
    return alt.InlineData(values=text, format=alt.DataFormat(type="csv", parse={c: "number" for c in frame.columns}))


def _counted_cues(field: str, title: str, domain: list[int],
                  colours: list[str]) -> dict[str, alt.Color | alt.StrokeDash]:
    """Colour and dash (one legend) for lines told apart by a count: colour is never the only cue."""
    return {"color": alt.Color(field, title=title, scale=alt.Scale(domain=domain, range=colours)),
            "strokeDash": alt.StrokeDash(field, title=title,
                                         scale=alt.Scale(domain=domain, range=[list(d) for d in DASHES[:len(domain)]]))}


def _scenarios(scenarios: Mapping[str, cm.ContinuityScenario] | None) -> Mapping[str, cm.ContinuityScenario]:
    return cm.reference_scenarios() if scenarios is None else cm.labelled_scenarios(scenarios)


def _defaults() -> cm.ContinuityScenario:
    return _scenarios(None)["Council, England 2005"]


def turnover_chart() -> alt.VConcatChart:
    """Keeping one worker, and five or more workers, against turnover (slider: vacancy).

    Top: probability of one worker all year in a year with no hand-offs, Poisson and typed
    readings. Bottom: probability of five or more workers in a year, one line per number
    of hand-offs in that year.
    """
    eng = _defaults()
    vac_default = int(round(100 * eng.vacancy))
    vac = slider("ch2_vacancy", "Vacant posts covered by agency staff (%)", *_VACANCY, 1, vac_default)
    same = cm.hazard_grid(range(_TURNOVER[0], _TURNOVER[1] + 1), range(_VACANCY[0], _VACANCY[1] + 1))
    same = same[["turnover", "vacancy", "p_same", "p_same_typed"]]
    five = cm.turnover_grid(range(_TURNOVER[0], _TURNOVER[1] + 1), range(_VACANCY[0], _VACANCY[1] + 1),
                            range(0, 5))[["turnover", "vacancy", "handoffs", "p5"]]
    x = alt.X("turnover:Q", title="Turnover of permanent social workers (% a year)",
              scale=alt.Scale(domain=[0, 30]))
    top = (
        alt.Chart(_csv(same))
        .transform_filter(alt.datum.vacancy == vac)
        .transform_fold(["p_same", "p_same_typed"], as_=["reading", "p"])
        .transform_calculate(
            percent="100 * datum.p",
            reading="datum.reading == 'p_same' ? 'At random, steady rate (headline)' : 'Workers keep their type'",
            symbol="datum.reading == 'At random, steady rate (headline)' ? 'Poisson count' : 'typed process'",
        )
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("percent:Q", title="One worker all year (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("reading:N", title="Reading of the model",
                            scale=alt.Scale(domain=["At random, steady rate (headline)", "Workers keep their type"],
                                            range=[PALETTE[0], PALETTE[1]])),
            strokeDash=alt.StrokeDash("reading:N", legend=None,
                                      scale=alt.Scale(domain=["At random, steady rate (headline)", "Workers keep their type"],
                                                      range=[[1, 0], [5, 3]])),
            tooltip=[alt.Tooltip("turnover:Q", title="Turnover (%)"), alt.Tooltip("vacancy:Q", title="Vacancy (%)"),
                     alt.Tooltip("reading:N", title="Reading"), alt.Tooltip("symbol:N", title="Model"),
                     alt.Tooltip("percent:Q", title="One worker all year (%)", format=".1f")],
        )
        .properties(height=190, title=alt.TitleParams("A year with no hand-offs (later in care)", fontSize=12))
    )
    # The domain reaches a little below 0, so the 0 and 1 hand-off lines (under a few per cent) run on
    # the 0 grid line inside the plot, clear of the axis; no tick is drawn below 0.
    y_five = alt.Y("percent:Q", title="Five or more workers (%)",
                   scale=alt.Scale(domain=[-_FOOT, 100], nice=False, zero=False),
                   axis=alt.Axis(values=list(range(0, 101, 20))))
    bottom = (
        alt.Chart(_csv(five))
        .transform_filter(alt.datum.vacancy == vac)
        .transform_calculate(percent="100 * datum.p5")
        .mark_line()
        .encode(
            x=x,
            y=y_five,
            **_counted_cues("handoffs:O", "Hand-offs in the year", [0, 1, 2, 3, 4],
                            [PALETTE[2], PALETTE[4], PALETTE[0], PALETTE[1], PALETTE[3]]),
            tooltip=[alt.Tooltip("turnover:Q", title="Turnover (%)"), alt.Tooltip("vacancy:Q", title="Vacancy (%)"),
                     alt.Tooltip("handoffs:O", title="Hand-offs"),
                     alt.Tooltip("percent:Q", title="Five or more workers (%)", format=".2f")],
        )
    )
    # The two lowest lines named in the strip between the 0 line and the axis, where no line runs.
    below = _ceil_pct(five, "handoffs", 1, "p5")
    foot = alt.Chart(pd.DataFrame({"turnover": [_TURNOVER[1]], "percent": [-_FOOT / 2],
                                   "label": [f"0 and 1 hand-off: under {below}%"]})).mark_text(
        align="right", baseline="middle", dx=-4, fontSize=11, color="#333").encode(
        x=x, y=y_five, text="label:N")
    bottom = (bottom + foot).properties(height=190, title=alt.TitleParams("Five or more workers in a year",
                                                                          fontSize=12))
    chart = alt.vconcat(top, bottom).resolve_scale(color="independent", strokeDash="independent").add_params(vac)
    return finish(
        chart,
        "Turnover decides who keeps a worker; hand-offs, who has five",
        subtitle=[
            "Top: a year with no hand-offs. Bottom: four hand-offs make five workers certain.",
            f"With 0 or 1 hand-off the chance stays below {below}%: those two lines run along the 0 line, named under it.",
            f"Agency workers stay {cm.assumption('agency_tenure_years'):g} years on average (assumption).",
        ],
        source=_SOURCE,
    )


def _episode_panel(scenarios: Mapping[str, cm.ContinuityScenario], t: alt.Parameter, v: alt.Parameter,
                   k: alt.Parameter, grid: pd.DataFrame) -> alt.LayerChart:
    """Expected workers over 1-5 years from entering care by scenario, with the reader's own (dashed)."""
    fixed = cm.episode_workers(scenarios).assign(scenario=lambda d: d["scenario"].map(lambda s: _SHORT.get(s, s)))
    names = list(fixed["scenario"].drop_duplicates()) + [_YOURS]
    colour = alt.Color("scenario:N", title="Scenario", scale=alt.Scale(domain=names, range=_SCENARIO_COLOURS))
    x = alt.X("years:Q", title="Years since entering care", scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(tickCount=5))
    y = alt.Y("workers:Q", title="Expected social workers so far", scale=alt.Scale(domainMin=0))
    tooltip = [alt.Tooltip("scenario:N", title="Scenario"), alt.Tooltip("years:Q", title="Years"),
               alt.Tooltip("workers:Q", title="Expected workers", format=".2f")]
    # Each scenario's dots have their own shape too, so colour is not the only cue.
    shape = alt.Shape("scenario:N", title="Scenario", scale=alt.Scale(domain=names, range=list(SHAPES[:len(names)])))
    base = alt.Chart(fixed).encode(x=x, y=y, color=colour, tooltip=tooltip)
    lines = base.mark_line() + base.mark_point(filled=True, size=40).encode(shape=shape)
    yours = (
        alt.Chart(_csv(grid))
        .transform_filter((alt.datum.turnover == t) & (alt.datum.vacancy == v))
        .transform_calculate(years="sequence(1, 6)")
        .transform_flatten(["years"])
        .transform_calculate(
            workers=f"1 + {k.name} + (datum.from_turnover + datum.from_agency) * datum.years",
            scenario=f"'{_YOURS}'",
        )
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    yours = yours.mark_line(strokeDash=[5, 3]) + yours.mark_point(filled=True, size=40).encode(shape=shape)
    return alt.layer(lines, yours).properties(height=240, title=alt.TitleParams(
        "Expected social workers since entering care", fontSize=12))


def _causes_panel(scenarios: Mapping[str, cm.ContinuityScenario], years: alt.Parameter, t: alt.Parameter,
                  v: alt.Parameter, k: alt.Parameter, grid: pd.DataFrame) -> alt.LayerChart:
    """Share of expected changes by cause, by scenario and for the reader's own."""
    per_year = pd.DataFrame(
        [
            {"scenario": _SHORT.get(name, name), **cm.changes_by_cause(s, 1.0, first_year=False),
             "handoffs": cm.changes_by_cause(s, 1.0, first_year=True)["handoffs"]}
            for name, s in scenarios.items()
        ]
    )
    causes = ["Turnover", "Agency cover ending", "Team hand-offs"]
    order = list(per_year["scenario"]) + [_YOURS]
    # A dot a cause (colour and shape) rather than a stacked bar: each cause's share reads off one axis.
    encode = dict(
        y=alt.Y("scenario:N", title=None, sort=order),
        x=alt.X("share:Q", title="Share of expected changes of worker", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        **series_cues("cause:N", causes, [PALETTE[0], PALETTE[1], PALETTE[5]], title="Cause", line=False,
                      shape=True),
        tooltip=[alt.Tooltip("scenario:N", title="Scenario"), alt.Tooltip("cause:N", title="Cause"),
                 alt.Tooltip("changes:Q", title="Expected changes", format=".2f"),
                 alt.Tooltip("share:Q", title="Share of changes", format=".0%")],
    )
    fold = dict(fold=["turnover", "agency", "handoffs"], as_=["key", "value"])
    calc = dict(
        changes=f"datum.key == 'handoffs' ? datum.value : datum.value * {years.name}",
        cause="datum.key == 'turnover' ? 'Turnover' : datum.key == 'agency' ? 'Agency cover ending' : 'Team hand-offs'",
    )
    share = dict(joinaggregate=[alt.JoinAggregateFieldDef(op="sum", field="changes", **{"as": "all_changes"})],
                 groupby=["scenario"])
    dot = dict(filled=True, size=90, opacity=0.9)
    part = "datum.all_changes > 0 ? datum.changes / datum.all_changes : 0"
    fixed = (alt.Chart(per_year).transform_fold(**fold).transform_calculate(**calc).transform_joinaggregate(**share)
             .transform_calculate(share=part).mark_point(**dot).encode(**encode))
    # The slider keys get their own names: Vega computes fields in place, so a calculated "turnover"
    # would overwrite the key the filter reads, and the bar would vanish when a slider came back.
    keyed = grid.rename(columns={"turnover": "turnover_pct", "vacancy": "vacancy_pct"})
    yours = (
        alt.Chart(_csv(keyed))
        .transform_filter((alt.datum.turnover_pct == t) & (alt.datum.vacancy_pct == v))
        .transform_calculate(turnover="datum.from_turnover", agency="datum.from_agency", handoffs=k.name,
                             scenario=f"'{_YOURS}'")
        .transform_fold(**fold)
        .transform_calculate(**calc)
        .transform_joinaggregate(**share)
        .transform_calculate(share=part)
        .mark_point(**dot)
        .encode(**encode)
    )
    return alt.layer(fixed, yours).properties(height=alt.Step(30), title=alt.TitleParams(
        "Where the changes come from, over the years on the first slider", fontSize=12))


def episode_chart(scenarios: Mapping[str, cm.ContinuityScenario] | None = None) -> alt.VConcatChart:
    """Expected workers over 1-5 years and the changes by cause, one set of sliders for both panels.

    Top: expected workers since entering care by scenario, with the reader's own scenario
    (dashed). Bottom: the share of expected changes from turnover, agency cover and team
    hand-offs over the years on the first slider. The reader's turnover, vacancy and
    hand-offs drive both panels.
    """
    scenarios = _scenarios(scenarios)
    eng = scenarios.get("Council, England 2005", _defaults())
    grid = cm.hazard_grid(range(_TURNOVER[0], _TURNOVER[1] + 1), range(_VACANCY[0], _VACANCY[1] + 1))
    grid = grid[["turnover", "vacancy", "from_turnover", "from_agency"]]
    years = slider("ch2_episode_years", "Years since entering care (lower panel)", 1, 5, 1, 1)
    t = slider("ch2_episode_turnover", "Your turnover (%)", *_TURNOVER, 1, int(round(100 * eng.turnover)))
    v = slider("ch2_episode_vacancy", "Your vacancy (%)", *_VACANCY, 1, int(round(100 * eng.vacancy)))
    k = slider("ch2_episode_handoffs", "Your hand-offs", *_HANDOFFS, 1, 1)
    chart = alt.vconcat(_episode_panel(scenarios, t, v, k, grid), _causes_panel(scenarios, years, t, v, k, grid))
    chart = chart.resolve_scale(color="independent", shape="independent").add_params(years, t, v, k)
    return finish(
        chart,
        "Hand-offs set the start; turnover and agency cover the slope",
        subtitle=["Top: expected distinct social workers since entering care. Bottom: where the changes come from.",
                  "Councils: 0 to 3 hand-offs (1.5 on average, an assumption). The sliders set your own scenario",
                  "(dashed line, bottom row) in both panels."],
        source=_SOURCE,
    )


def same_start_chart() -> alt.VConcatChart:
    """A council child and a practice child from the same start (slider: chance of each hand-off)."""
    grid = cc.handoff_grid()
    long = grid.assign(child=grid["child"].map({"council": "Council child", "practice": "Practice child"}),
                       five=(100 * grid["five"]).round(4), mean=grid["mean"].round(4))
    default = cm.assumption("handoff_probability")
    q = slider("ch2_handoff_chance", "Chance of each hand-off", 0.0, 1.0, 0.1, default)
    chosen = f"abs(datum.probability - {q.name}) < 1e-6"
    cues = series_cues("child:N", ["Council child", "Practice child"], [PALETTE[0], PALETTE[2]], title="Child",
                       legend=alt.Legend())
    x = alt.X("years:Q", title="Years since entering care", scale=alt.Scale(domain=[0, 5]))
    tip = [alt.Tooltip("child:N", title="Child"), alt.Tooltip("years:Q", title="Years"),
           alt.Tooltip("mean:Q", title="Expected workers", format=".2f"),
           alt.Tooltip("five:Q", title="Five or more (%)", format=".1f")]
    base = alt.Chart(long).transform_filter(chosen)
    top = (base.mark_line(point=True).encode(x=x, y=alt.Y("mean:Q", title="Expected social workers so far",
                                                        scale=alt.Scale(domain=[0, 6])), **cues, tooltip=tip)
           .properties(height=200, title=alt.TitleParams("Expected social workers", fontSize=12)))
    bottom = (base.mark_line(point=True).encode(x=x, y=alt.Y("five:Q", title="Five or more so far (%)",
                                                           scale=alt.Scale(domain=[0, 100])), **cues,
                                                tooltip=tip)
              .properties(height=160, title=alt.TitleParams("Five or more social workers", fontSize=12)))
    transfer = cm.assumption("transfer_time_years")
    rule = alt.Chart(pd.DataFrame({"years": [transfer]})).mark_rule(strokeDash=[3, 3], color="#666").encode(x="years:Q")
    chart = alt.vconcat(top + rule, bottom + rule).add_params(q)
    return finish(
        chart,
        "From the same start, the transfer is one more change",
        subtitle=["Both children have the council's hand-offs; the practice child then moves to the practice",
                  f"after {transfer:g} years (dotted line, an assumption). Slider: chance of each of three hand-offs."],
        source=["Le Grand (2007) s.4.3 and s.6.1.2; assumptions in data/assumptions_continuity.csv; computed here"],
    )


def decomposition_chart() -> alt.VConcatChart:
    """The practice's lead in keeping one worker a year, taken apart (selector: the practice with or without a vacancy)."""
    frames = []
    for label, practice in (("No vacancies", None), ("One post in eight vacant", cc.practice_with_vacancy())):
        part = cc.decomposition("one_worker_later", practice=practice)
        frames.append(part.assign(practice=label))
    frame = pd.concat(frames, ignore_index=True).assign(value=lambda d: d["value"].round(4))
    frame["part"] = frame["part"].map({"no agency cover": "No agency cover", "lower turnover": "Lower turnover",
                                       "anything else": "Anything else", "total": "Total lead"})
    pick = selector("ch2_decomp_practice", "Practice", ["No vacancies", "One post in eight vacant"], "No vacancies",
                    labels=["no vacancies\u00a0\u00a0\u00a0", "one post in eight vacant"], radio=True)
    order = ["No agency cover", "Lower turnover", "Anything else", "Total lead"]
    bars = alt.Chart(frame).transform_filter(alt.datum.practice == pick).mark_bar().encode(
        y=alt.Y("part:N", title=None, sort=order),
        x=alt.X("value:Q", title="Percentage points of children keeping one worker all year",
                scale=alt.Scale(domain=[0, 25])),
        color=alt.condition(alt.datum.part == "Total lead", alt.value("#555"), alt.value(PALETTE[0])),
        tooltip=[alt.Tooltip("part:N", title="Part"), alt.Tooltip("value:Q", title="Points", format=".1f")],
    )
    text = alt.Chart(frame).transform_filter(alt.datum.practice == pick).mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("part:N", sort=order), x="value:Q", text=alt.Text("value:Q", format=".1f"))
    chart = (bars + text).add_params(pick).properties(height=alt.Step(34))
    return finish(
        chart,
        "Most of the practice's lead is the assumption of no agency cover",
        subtitle=["A year later in care, practice against England 2005. Each part is averaged over the orders in",
                  "which the inputs can be switched, so the parts add up to the total lead."],
        source=_SOURCE,
    )


def distribution_chart(scenarios: Mapping[str, cm.ContinuityScenario] | None = None) -> alt.VConcatChart:
    """How many workers a child has in a year: distribution by scenario (selectors: period, reading)."""
    frame = cm.count_distribution(_scenarios(scenarios)).assign(
        scenario=lambda d: d["scenario"].map(lambda s: _SHORT.get(s, s)),
        percent=lambda d: 100 * d["probability"],
    )
    names = list(frame["scenario"].drop_duplicates())
    period = selector("ch2_dist_period", "Year", ["First year of an episode", "A year later in care"],
                      "First year of an episode", radio=True)
    model = selector("ch2_dist_model", "How changes of worker happen", ["Poisson", "Workers keep their type"], "Poisson",
                     labels=["At random, at a steady rate", "Workers keep their type"], radio=True)
    labels = list(frame["label"].drop_duplicates())
    chart = (
        alt.Chart(frame)
        .transform_filter((alt.datum.period == period) & (alt.datum.model == model))
        .mark_bar()
        .encode(
            x=alt.X("label:N", title="Distinct social workers in the year", sort=labels, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("percent:Q", title="Children (%)", scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(values=[0, 50, 100])),
            color=alt.Color("scenario:N", legend=None, sort=names,
                            scale=alt.Scale(domain=names, range=_SCENARIO_COLOURS[: len(names)])),
            tooltip=[alt.Tooltip("scenario:N", title="Scenario"), alt.Tooltip("label:N", title="Workers"),
                     alt.Tooltip("model:N", title="Model (Poisson: at random, at a steady rate)"),
                     alt.Tooltip("percent:Q", title="Children (%)", format=".2f")],
        )
        .properties(width=440, height=80)
        # One small chart a scenario, each named above it: the scenario is read from the label, not the colour.
        .facet(row=alt.Row("scenario:N", sort=names, title=None,
                           header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start",
                                             labelFontWeight="bold", labelPadding=2)))
        .add_params(period, model)
    )
    return finish(
        chart,
        "Five workers in a year: common after hand-offs, rare later in care",
        subtitle=["Share of children with each number of social workers in a year.",
                  "Choose the year and the reading of the model below."],
        source=_SOURCE,
    )


def rota_chart(*, data_dir: str | Path | None = None) -> alt.VConcatChart:
    """Nights on duty a year per worker against team size, with the practice sizes and the quoted frequency."""
    ev = data.row(cm.EVIDENCE_TABLE, measure="team_size", data_dir=data_dir)
    interval = data.row(cm.EVIDENCE_TABLE, measure="night_duty_interval", data_dir=data_dir)
    teams = cm.rota_table(range(2, 25)).reset_index()
    band_x = pd.DataFrame({"lo": [ev["low"]], "hi": [ev["high"]], "label": ["practice of 6-10 (Q226)"]})
    lo_n, hi_n = 365 / (7 * interval["high"]), 365 / (7 * interval["low"])
    band_y = pd.DataFrame({"lo": [lo_n], "hi": [hi_n], "label": ["a night every 2-3 weeks (Q226)"]})
    x = alt.X("team_size:Q", title="Workers sharing a one-person night rota", scale=alt.Scale(domain=[2, 24]))
    y = alt.Y("nights_per_worker:Q", title="Nights on duty per worker a year", scale=alt.Scale(domain=[0, 190]))
    practice = alt.Chart(band_x).mark_rect(opacity=0.15, color=PALETTE[2]).encode(x="lo:Q", x2="hi:Q")
    practice_text = alt.Chart(band_x).mark_text(align="left", dx=3, y=8, fontSize=11, color="#1b5e20").encode(
        x="lo:Q", text="label:N")
    quoted = alt.Chart(band_y).mark_rect(opacity=0.2, color=PALETTE[1]).encode(y="lo:Q", y2="hi:Q")
    quoted_text = alt.Chart(band_y).mark_text(align="right", x="width", dy=-16, fontSize=11, color="#8a5a00").encode(
        y="hi:Q", text="label:N")
    line = alt.Chart(teams).mark_line(point=True).encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("team_size:Q", title="Team"),
                 alt.Tooltip("nights_per_worker:Q", title="Nights a year each", format=".1f"),
                 alt.Tooltip("days_between:Q", title="Days between duties", format=".0f")],
    )
    chart = alt.layer(practice, quoted, line, practice_text, quoted_text).properties(height=260)
    return finish(
        chart,
        "Six to ten workers means a night on duty every six to ten days",
        subtitle=["365 nights shared equally, one worker on duty each night.",
                  "Green: the practice sizes in the evidence; orange: the frequency quoted there."],
        source="Committee evidence (2008) Q226; computed here",
    )


def queue_chart(*, data_dir: str | Path | None = None) -> alt.VConcatChart:
    """Chance a new child waits for a worker against the children on the list (selector: cap)."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    grid = cm.queue_grid()
    cap_default = int(data.value(cm.EVIDENCE_TABLE, measure="caseload_cap", data_dir=data_dir))
    children = data.value(cm.PRACTICE_TABLE, parameter="caseload_children", data_dir=data_dir)
    caps = sorted(grid["cap"].unique().tolist())
    cap = selector("ch2_queue_cap", "Cases per worker (cap)", caps, cap_default, radio=True)
    line = (
        alt.Chart(_csv(grid))
        .transform_filter(alt.datum.cap == cap)
        .transform_calculate(percent="100 * datum.p_wait")
        .mark_line()
        .encode(
            x=alt.X("children:Q", title="Children the practice holds (offered load)",
                    scale=alt.Scale(domain=[20, 180])),
            y=alt.Y("percent:Q", title="Chance a new child waits (%)", scale=alt.Scale(domain=[0, 100])),
            **_counted_cues("workers:O", "Workers taking cases", sorted(grid["workers"].unique().tolist()),
                            [PALETTE[2], PALETTE[0], PALETTE[3], PALETTE[7]]),
            tooltip=[alt.Tooltip("workers:O", title="Workers"), alt.Tooltip("places:Q", title="Places"),
                     alt.Tooltip("children:Q", title="Children"),
                     alt.Tooltip("percent:Q", title="Chance of waiting (%)", format=".1f"),
                     alt.Tooltip("mean_waiting:Q", title="Children waiting (mean)", format=".2f")],
        )
    )
    rule_data = pd.DataFrame({"children": [children], "label": [f"{children:.0f} children (Art. 4)"]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[4, 3], color="#555").encode(x="children:Q")
    text = alt.Chart(rule_data).mark_text(align="left", dx=4, y=10, fontSize=11, color="#333").encode(
        x="children:Q", text="label:N")
    chart = alt.layer(line, rule, text).add_params(cap).properties(height=260)
    return finish(
        chart,
        "Waiting lists appear before a capped team is full",
        subtitle=["Erlang C: children arrive at random and hold a place for a random time.",
                  "Each line stops where children reach the places (workers x cap). Choose the cap below."],
        source="Committee evidence (2008) Q239; Le Grand (2007) Annex A.2 Art. 4; computed here",
    )
