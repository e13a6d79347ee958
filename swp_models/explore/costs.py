"""Live explorer for chapter 3: the cost of a child in care and the risk a practice carries.

:func:`explorer` returns an ipywidgets container. Every control rebuilds the cost model of
:mod:`swp_models.costs` and recomputes, exactly (no simulation), the spread of a child's
cost and the distribution of a practice's annual total; a change takes a few tens of
milliseconds. It needs a running kernel (Jupyter or Voila); the static book shows
precomputed sliders instead.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from .. import costs as cm
from ..figures.costs_tables import fmt_chance
from ..validation import check_in_range, check_instance, check_one_of, check_probability
from . import html_table
from .workbook import add_download

__all__ = ["ExplorerInputs", "build_model", "explorer", "results_html"]

_SHARE_MODES = ("calibrated", "by hand")
#: Grid resolution of the exact total-cost distribution (a relative variance error of about 2e-4).
_POINTS_PER_SD = 20


@dataclass(frozen=True)
class ExplorerInputs:
    """Everything the explorer's controls set. Shares and overspends are fractions, money in £.

    Parameters
    ----------
    target_mean : float
        Average cost per child the calibrated shares must match, £ per child per year, in (0, 10^7].
    share_mode : str
        ``"calibrated"`` (shares on the feasible line for ``target_mean``, at ``position``) or
        ``"by hand"`` (``ebd_share`` and ``complex_share`` as given; the mean follows).
    position : float
        Where the complex-needs share lies in its feasible range, in [0, 1].
    ebd_share, complex_share : float
        Shares of the needs-group children with EBD or offending, and with complex needs,
        used when ``share_mode`` is ``"by hand"``; each in [0, 1], summing to at most 1.
    cv : float
        Within-group coefficient of variation, in (0, 10].
    tail_share : float
        Share of all children in the exceptional component, in [0, 1).
    tail_multiple : float
        Exceptional cost as a multiple of the complex-needs cost, in (1, 1000].
    caseload : Caseload
        The practice's caseload.
    excess : float
        Overspend per child of interest, as a fraction of the mean (>= 0).
    shock_cv : float, default 0
        Coefficient of variation of a yearly cost shock shared by all the practice's
        children, in [0, 1].
    """

    target_mean: float
    share_mode: str
    position: float
    ebd_share: float
    complex_share: float
    cv: float
    tail_share: float
    tail_multiple: float
    caseload: cm.Caseload
    excess: float
    shock_cv: float = 0.0

    def __post_init__(self) -> None:
        check_in_range("target_mean", self.target_mean, 0.0, 1e7, low_open=True)
        check_in_range("cv", self.cv, 0.0, 10.0, low_open=True)
        check_in_range("tail_share", self.tail_share, 0.0, 1.0, high_open=True)
        check_in_range("tail_multiple", self.tail_multiple, 1.0, 1000.0, low_open=True)
        check_instance("caseload", self.caseload, cm.Caseload, "Caseload")
        check_one_of("share_mode", self.share_mode, _SHARE_MODES)
        check_probability("position", self.position)
        check_probability("ebd_share", self.ebd_share)
        check_probability("complex_share", self.complex_share)
        check_in_range("excess", self.excess, 0.0, None)
        check_in_range("shock_cv", self.shock_cv, 0.0, 1.0)


def build_model(inputs: ExplorerInputs) -> cm.CostModel:
    """The cost model the inputs describe (raises ``ValueError`` for an impossible combination)."""
    check_instance("inputs", inputs, ExplorerInputs, "ExplorerInputs")
    if inputs.share_mode == "calibrated":
        return cm.default_cost_model(
            target_mean=inputs.target_mean,
            cv=inputs.cv,
            tail_share=inputs.tail_share,
            tail_multiple=inputs.tail_multiple,
            position=inputs.position,
            shock_cv=inputs.shock_cv,
        )
    if inputs.ebd_share + inputs.complex_share > 1.0:
        raise ValueError(
            "ebd_share + complex_share must be at most 1 (the rest have no additional needs); "
            f"got {inputs.ebd_share + inputs.complex_share:.3f}"
        )
    means = cm.group_costs()
    none = 1.0 - inputs.ebd_share - inputs.complex_share
    return cm.CostModel(
        cm.NEEDS_GROUPS,
        tuple(means[g] for g in cm.NEEDS_GROUPS),
        (none, inputs.ebd_share, inputs.complex_share),
        inputs.cv,
        tail_share=inputs.tail_share,
        tail_multiple=inputs.tail_multiple,
        shock_cv=inputs.shock_cv,
    )


def results_html(inputs: ExplorerInputs) -> str:
    """The explorer's output for one set of inputs, as HTML (three tables, or the error in words).

    Parameters
    ----------
    inputs : ExplorerInputs

    Returns
    -------
    str
        HTML: the needs groups (share, mean, sd), one child's cost (mean, sd, percentiles),
        and the practice's annual total (mean, sd with its two parts, percentiles exact and
        normal, chance of an overspend per child).
    """
    check_instance("inputs", inputs, ExplorerInputs, "ExplorerInputs")
    try:
        model = build_model(inputs)
    except ValueError as err:
        return f"<p style='color:#b00'><b>These inputs describe no valid model:</b> {html.escape(str(err))}</p>"
    load = inputs.caseload
    groups = model.group_summary()
    group_rows = [
        (label, f"{100 * r.share:.1f}%", f"£{r.mean:,.0f}", f"£{r.sd:,.0f}")
        for label, r in zip(("No additional needs", "EBD or offending", "Complex needs (incl. exceptional)"),
                               groups.itertuples(index=False))
    ]
    qs = np.array([0.05, 0.5, 0.95, 0.99])
    child_q = model.quantile(qs)
    child_rows = [
        ("Mean", f"£{model.mean:,.0f}"),
        ("Standard deviation (CV)", f"£{model.std:,.0f} ({model.cv_overall:.2f})"),
    ] + [(f"{100 * q:.0f}th percentile", f"£{v:,.0f}") for q, v in zip(qs, child_q)]
    moments = cm.total_cost_moments(model, load)
    parts = cm.variance_decomposition(model, load)
    try:
        dist = cm.total_cost_distribution(model, load, points_per_sd=_POINTS_PER_SD)
        exact_q = dist.quantile(qs)
    except ValueError as err:  # a grid too large, or percentiles it cannot resolve to 1%: said, not guessed
        return (f"<p style='color:#b00'><b>The exact distribution cannot be given for these inputs:</b> "
                f"{html.escape(str(err))}</p>")
    normal_q = moments.mean + special.ndtri(qs) * moments.std
    e = inputs.excess
    practice_rows = [
        ("Expected total", f"£{moments.mean:,.0f}", ""),
        ("Standard deviation", f"£{moments.std:,.0f}", ""),
        ("... from children's costs differing", f"£{parts['sd'].iloc[0]:,.0f}", f"{100 * parts['share'].iloc[0]:.0f}% of variance"),
        ("... from the caseload varying", f"£{parts['sd'].iloc[1]:,.0f}", f"{100 * parts['share'].iloc[1]:.0f}% of variance"),
    ] + [
        (f"{100 * q:.0f}th percentile", f"£{a:,.0f}", f"normal approx. £{b:,.0f}")
        for q, a, b in zip(qs, exact_q, normal_q)
    ] + [
        (f"Chance cost per child is more than {100 * e:g}% over £{model.mean:,.0f}",
         fmt_chance(dist.prob_cost_per_child_exceeds(e)),
         f"normal approx. {fmt_chance(cm.prob_cost_per_child_exceeds(model, load.mean, e, 'normal')) if load.margin == 0 else 'n/a'}"),
    ]
    caseload = (f"{load.mean} children" if load.margin == 0
                else f"{load.mean} ± {load.margin} children ({'spread evenly' if load.kind == 'uniform' else 'bunched'})")
    return (
        html_table("Needs groups", group_rows, ("", "Share of children", "Mean cost", "Sd of cost"))
        + html_table("One child's annual cost (exact)", child_rows, ("", ""))
        + html_table(f"A practice's annual cost: {caseload} (exact, FFT)", practice_rows, ("", "", ""))
    )


def explorer() -> Any:
    """An ipywidgets explorer over every parameter of chapter 3's cost model.

    Controls: the shares of children by needs group, set by hand (the default: the book's
    central mix) or calibrated to a target average on the feasible line, the within-group CV, the exceptional component, the caseload (centre,
    margin and how caseloads spread), the overspend of interest and a yearly cost shock
    shared by all the children. The output is
    recomputed on every change; the time it took is shown under it.

    Returns
    -------
    ipywidgets.VBox
        The controls and the output. Its ``output`` attribute (an ``HTML`` widget) holds the
        tables and ``timing`` (an ``HTML`` widget) the last recompute time.
    """
    import ipywidgets as w

    base = cm.default_cost_model()
    load = cm.default_caseload()
    style = {"description_width": "230px"}
    layout = w.Layout(width="460px")

    def fslider(label: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f") -> Any:
        return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=label, style=style, layout=layout,
                             continuous_update=False, readout_format=fmt)

    def islider(label: str, value: int, lo: int, hi: int) -> Any:
        return w.IntSlider(value=value, min=lo, max=hi, description=label, style=style, layout=layout,
                           continuous_update=False)

    target = fslider("Average cost to match (£ a year)", cm.census_average_cost(), 33100, 94000, 10, ",.0f")
    mode = w.ToggleButtons(options=[("Calibrated to the average", "calibrated"), ("Set by hand", "by hand")],
                           value="by hand", description="Shares", style=style)
    position = fslider("Position on the feasible line (0-1)", cm.assumption("complex_share_position"), 0, 1, 0.01)
    ebd = fslider("EBD or offending (% of children)", 100 * base.shares[1], 0, 100, 0.1, ".1f")
    complex_ = fslider("Complex needs (% of children)", 100 * base.shares[2], 0, 100, 0.1, ".1f")
    cv = fslider("Within-group CV", cm.assumption("within_group_cv"), 0.05, 2.0, 0.05)
    tail = fslider("Exceptional children (% of all)", 100 * cm.assumption("tail_share"), 0, 5, 0.1, ".1f")
    multiple = fslider("Exceptional cost (× complex-needs cost)", cm.assumption("tail_multiple"), 1.5, 10, 0.5, ".1f")
    centre = islider("Caseload (children)", load.mean, 10, 300)
    margin = islider("Caseload margin (±)", load.margin, 0, 30)
    kind = w.Dropdown(options=[("spread evenly", "uniform"), ("bunched near the centre", "binomial")],
                      value=load.kind, description="Caseloads in the margin", style=style, layout=layout)
    excess = fslider("Overspend per child of interest (%)", 10, 0, 50, 1, ".0f")
    shock = fslider("Shared yearly cost shock (CV, %)", 0, 0, 20, 0.5, ".1f")
    output = w.HTML()
    timing = w.HTML()
    controls = [target, mode, position, ebd, complex_, cv, tail, multiple, centre, margin, kind, excess, shock]

    def update(*_: Any) -> None:
        start = time.perf_counter()
        calibrated = mode.value == "calibrated"
        target.disabled = position.disabled = not calibrated
        ebd.disabled = complex_.disabled = calibrated
        margin.max = max(0, centre.value - 1)
        try:
            inputs = ExplorerInputs(
                target_mean=target.value,
                share_mode=mode.value,
                position=position.value,
                ebd_share=ebd.value / 100,
                complex_share=complex_.value / 100,
                cv=cv.value,
                tail_share=tail.value / 100,
                tail_multiple=multiple.value,
                caseload=cm.Caseload(centre.value, min(margin.value, centre.value - 1), kind.value),
                excess=excess.value / 100,
                shock_cv=shock.value / 100,
            )
            output.value = results_html(inputs)
        except ValueError as err:
            output.value = f"<p style='color:#b00'>{html.escape(str(err))}</p>"
        timing.value = f"<small>recomputed in {1000 * (time.perf_counter() - start):.0f} ms</small>"

    for control in controls:
        control.observe(update, names="value")
    update()
    box = w.VBox([w.HTML("<b>Chapter 3 explorer: what a child in care costs</b>"), *controls, output, timing])
    box.output = output
    box.timing = timing
    box.controls = dict(target=target, mode=mode, position=position, ebd=ebd, complex=complex_, cv=cv, tail=tail,
                        multiple=multiple, centre=centre, margin=margin, kind=kind, excess=excess, shock=shock)
    return add_download(box, "costs")
