"""Live explorer for chapters 8-9: what a pilot of any size could detect.

Every input of :func:`swp_models.evaluation.minimum_detectable_difference` is a widget (the
outcome's baseline, practices, children per practice, years, clustering (the intra-practice
correlation), false-alarm rate (significance), chance of detecting (power), control teams); any change re-solves the exact MDD, the closed form, the design effect, the power
against the book's predicted effects and the practices needed for each, and redraws the
tables. Needs a running kernel (Jupyter or Voila).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from ..assumptions import cached
from .. import evaluation as ev
from ..scenario import Scenario
from . import check_values, html_table
from .workbook import add_download

__all__ = ["explorer", "render"]


@cached(maxsize=1)
def _predicted() -> pd.DataFrame:
    """The book's predicted effects under the central scenario: chapter 2's gain on each reading, both effort lifts."""
    scn = Scenario.central()
    gains = ev.predicted_effects_over_readings(scn)
    lifts = ev.effort_lifts(scn)
    rows = [(f"Continuity gain ({r.reading} reading)", r.baseline, r.difference) for r in gains.itertuples()]
    rows += [(f"Effort lift ({r.model_name})", r.baseline, r.difference) for r in lifts.itertuples()]
    return pd.DataFrame(rows, columns=["effect", "baseline", "difference"])


def _pts(x: float) -> str:
    return "not detectable" if x != x else f"{100 * x:.1f} points"


#: The control values :func:`render` reads.
_KEYS: tuple[str, ...] = (
    "alpha", "baseline", "children", "control_teams", "direction", "icc", "power", "practices", "years"
)


def render(values: dict[str, Any]) -> str:
    """HTML of the power results for one set of control values.

    Parameters
    ----------
    values : dict
        Keys ``baseline`` (proportion), ``direction`` ("increase" or "decrease"),
        ``practices``, ``children``, ``years``, ``icc``, ``alpha``, ``power`` and
        ``control_teams`` (teams in the comparison arm).

    Returns
    -------
    str
        An HTML fragment; if an input is out of range, the error message in its place.
    """
    values = check_values(values, _KEYS)
    try:
        design = ev.PilotDesign(values["practices"], values["children"], values["years"], values["icc"],
                                values["alpha"], control_practices=values["control_teams"],
                                control_children=values["children"])
        exact = ev.minimum_detectable_difference(values["baseline"], design, values["power"],
                                                 direction=values["direction"])
        approx = ev.minimum_detectable_difference(values["baseline"], design, values["power"],
                                                  direction=values["direction"], method="approximate")
        de = ev.design_effect(values["children"] * values["years"], values["icc"])
        rows = []
        for r in _predicted().itertuples():
            pw = ev.power_of_difference(r.difference, r.baseline, design)
            need = ev.practices_needed(r.difference, r.baseline, values["children"], values["years"], values["icc"],
                                       values["alpha"], values["power"])
            rows.append((r.effect, f"{100 * r.difference:.1f} points", f"{100 * pw:.0f}%",
                         "more than 2,000" if need is None else f"{need:,}"))
    except ValueError as exc:
        return f'<p style="color:#b00020"><b>Input not accepted:</b> {html.escape(str(exc))}</p>'
    facts = (
        "<ul>"
        f"<li>Smallest detectable difference: <b class='swp-explorer-mdd'>{_pts(exact)}</b> "
        f"(closed form {_pts(approx)}).</li>"
        f"<li>Design effect {de:.2f}: {values['practices'] * values['children'] * values['years']:,} child-years in the "
        f"practices count as {values['practices'] * values['children'] * values['years'] / de:,.0f} independent ones.</li>"
        "</ul>"
    )
    table = html_table("The book's predicted effects (baselines from their own models)", rows,
                       ("Effect", "Size", "Power of this design", "Practices per arm needed"))
    return facts + table


def _outcome_options() -> list[tuple[str, str]]:
    """The outcome drop-down's options, each with its baseline share (from the models and data)."""
    same = float(ev.predicted_effects(Scenario.central()).iloc[0]["baseline"])
    place = ev.input_value("three_plus_placements_share")
    return [(f"Same social worker all year (council, {100 * same:.0f}%)", "same"),
            (f"Three or more placements in the year (England, {place:g}%)", "placements")]


def _baseline(key: str) -> tuple[float, str]:
    if key == "placements":
        return ev.input_value("three_plus_placements_share") / 100.0, "decrease"
    return float(ev.predicted_effects(Scenario.central()).iloc[0]["baseline"]), "increase"


def explorer() -> Any:
    """An ipywidgets panel of the power model.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of widgets by input name) and ``output`` (the HTML
        widget redrawn on every change).
    """
    import ipywidgets as w

    style = {"description_width": "200px"}
    layout = w.Layout(width="440px")
    controls = {
        "outcome": w.Dropdown(options=_outcome_options(), value="same", description="Outcome", style=style,
                              layout=layout, tooltip="The yes-or-no fact about each child that the pilot compares; "
                              "its share in the control teams is the baseline"),
        "practices": w.IntSlider(value=9, min=2, max=200, description="Practices", style=style, layout=layout,
                                 continuous_update=False),
        "control_teams": w.IntSlider(value=9, min=2, max=600, description="Control teams", style=style,
                                     layout=layout, continuous_update=False,
                                     tooltip="Council teams in the comparison, each of the practices' size"),
        "children": w.IntSlider(value=100, min=10, max=600, step=10, description="Children per practice",
                                style=style, layout=layout, continuous_update=False),
        "years": w.IntSlider(value=2, min=1, max=10, description="Years", style=style, layout=layout,
                             continuous_update=False),
        "icc": w.FloatSlider(value=Scenario.central().icc, min=0.0, max=0.5, step=0.005, readout_format=".3f",
                             description="Clustering within a practice", style=style, layout=layout,
                             continuous_update=False,
                             tooltip="Intra-practice correlation (ICC, \u03c1): how alike the outcomes "
                             "of two children in the same practice are; 0 means no more alike than any two children"),
        "alpha": w.FloatSlider(value=ev.input_value("alpha"), min=0.001, max=0.2, step=0.001, readout_format=".3f",
                               description="False-alarm rate (two-sided)", style=style, layout=layout,
                               continuous_update=False,
                               tooltip="Significance level (alpha): the chance of declaring a difference where "
                               "there is none"),
        "power": w.FloatSlider(value=ev.input_value("power"), min=0.5, max=0.99, step=0.01, readout_format=".2f",
                               description="Chance of detecting", style=style, layout=layout,
                               continuous_update=False,
                               tooltip="Power (1 - beta): the chance that the pilot detects a true difference of "
                               "the size shown"),
    }

    def values() -> dict[str, Any]:
        out = {k: c.value for k, c in controls.items() if k != "outcome"}
        out["baseline"], out["direction"] = _baseline(controls["outcome"].value)
        return out

    output = w.HTML(value=render(values()))

    def update(_: Any = None) -> None:
        output.value = render(values())

    for c in controls.values():
        c.observe(update, names="value")
    box = w.VBox([*controls.values(), output])
    box.controls = controls
    box.output = output
    return add_download(box, "evaluation")
