"""From an explorer to the costing workbook: "download this scenario as a workbook".

Each live explorer offers a button that writes the take-away costing workbook
(:mod:`swp_models.workbook`) with the explorer's current settings as its inputs, as a download link
(a ``data:`` URI, so it works in Jupyter and Voila alike, with no server route). :func:`workbook_inputs`
maps an explorer's control values to the workbook's inputs: the controls that have a workbook input
are carried over (percentages as shares, the scope's key as its name); the rest keep the book's
defaults. Needs a running kernel for the button; :func:`workbook_inputs` needs none.
"""

from __future__ import annotations

import gc
import html
from typing import Any, Callable, Mapping

from ..scenario import SCOPE_NAMES
from ..validation import check_instance, check_one_of

__all__ = ["CHAPTERS", "workbook_inputs", "download_html", "add_download"]


def _pct(x: Any) -> float:
    return float(x) / 100.0


def _same(x: Any) -> Any:
    return x


def _scope(x: Any) -> str:
    return SCOPE_NAMES.get(x, x)


#: For each explorer, its controls that have a workbook input: ``{control: (workbook input, conversion)}``.
_MAPS: dict[str, dict[str, tuple[str, Callable[[Any], Any]]]] = {
    "continuity": {"turnover": ("council_turnover", _pct), "vacancy": ("council_vacancy", _pct),
                   "agency_tenure_years": ("agency_stay_years", _same), "handoffs": ("council_handoffs", _same),
                   "handoff_probability": ("handoff_probability", _same)},
    "costs": {"cv": ("within_group_cv", _same), "centre": ("practice_children", _same),
              "margin": ("caseload_margin", _same), "shock": ("shock_cv", _pct)},
    "practice": {**{k: (k, _same) for k in (
        "frontline", "admin_ratio", "manager_fte", "support_fte", "pdo_fte", "students", "on_duty",
        "admin_pay_ratio", "support_pay_ratio", "employer_ni_rate", "ni_threshold", "pension_rate", "student_cost",
        "on_call_per_night", "legal_services", "direct_costs_per_fte", "premises_it_per_fte", "fixed_overheads")},
        "caseload": ("practice_children", _same), "position": ("scale_position", _same),
        "multiplier": ("pay_multiplier", _same)},
    "contracts": {"caseload": ("practice_children", _same), "margin": ("caseload_margin", _same),
                  "cv": ("within_group_cv", _same), "scope": ("scope", _scope),
                  **{k: (k, _same) for k in ("reserve_months", "term_years", "risk_tolerance", "cost_share",
                                             "outcome_bonus", "outcome_base_probability", "outcome_effort_gain",
                                             "outcome_effort")}},
    "outcomes": {"scope": ("scope", _scope), "bonus_per_child": ("outcome_bonus", _same),
                 **{k: (k, _same) for k in ("margin", "reserve_months", "term_years", "risk_tolerance")}},
    "abroad": {"scope": ("scope", _scope), "risk_tolerance": ("risk_tolerance", _same)},
    "evaluation": {"practices": ("pilot_practices", _same), "children": ("practice_children", _same),
                   "years": ("pilot_years", _same), "icc": ("icc", _same), "alpha": ("pilot_alpha", _same),
                   "power": ("pilot_power", _same)},
}
#: The explorers that offer the download, by the name :func:`workbook_inputs` takes.
CHAPTERS: tuple[str, ...] = tuple(_MAPS)


def workbook_inputs(chapter: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The workbook's inputs for an explorer's current control values.

    Parameters
    ----------
    chapter : str
        The explorer, one of :data:`CHAPTERS`.
    settings : mapping
        The explorer's control values by control name (its ``controls``' values); controls without a
        workbook input are ignored, and workbook inputs without a control keep the book's defaults.

    Returns
    -------
    dict
        ``{workbook input: value}``, checked by :func:`swp_models.workbook.check_inputs` (a value outside
        the workbook's allowed range raises ``ValueError`` naming it). The chapter 3 explorer's shares
        of children by needs group are carried over when they are set by hand.
    """
    from .. import workbook

    check_one_of("chapter", chapter, CHAPTERS)
    settings = dict(check_instance("settings", settings, Mapping, "mapping of control name to value"))
    out = {name: convert(settings[key]) for key, (name, convert) in _MAPS[chapter].items() if key in settings}
    if chapter == "costs" and settings.get("mode") == "by hand" and {"ebd", "complex"} <= set(settings):
        out["additional_needs_share"] = _pct(settings["ebd"]) + _pct(settings["complex"])
        out["complex_share"] = _pct(settings["complex"])
    if chapter == "costs" and {"margin", "centre"} <= set(settings):  # as the explorer caps its margin
        out["caseload_margin"] = min(int(settings["margin"]), int(settings["centre"]) - 1)
    return {k: v for k, v in workbook.check_inputs(out).items() if k in out}


def download_html(chapter: str, settings: Mapping[str, Any]) -> str:
    """An HTML download link of the workbook with these settings, or a message saying which input it refuses.

    Parameters
    ----------
    chapter : str
        One of :data:`CHAPTERS`.
    settings : mapping
        The explorer's control values (see :func:`workbook_inputs`).
    """
    from .. import workbook

    check_one_of("chapter", chapter, CHAPTERS)
    check_instance("settings", settings, Mapping, "mapping of control name to value")
    try:
        values = workbook_inputs(chapter, settings)
    except ValueError as err:
        return f'<p style="color:#b00"><b>Cannot write the workbook:</b> {html.escape(str(err))}</p>'
    name = f"swp-workbook-{chapter}.xlsx"
    return (f'<a download="{name}" href="{workbook.data_uri(values)}">Save the workbook ({name})</a> '
            f'<span style="color:#666">with this explorer\'s {len(values)} settings as its inputs; the rest at the '
            "book's defaults.</span>")


def add_download(box: Any, chapter: str) -> Any:
    """Add "download this scenario as a workbook" (a button and a link) at the foot of an explorer.

    Parameters
    ----------
    box : ipywidgets.Box
        The explorer: a box with a ``controls`` mapping of its widgets.
    chapter : str
        One of :data:`CHAPTERS`.

    Returns
    -------
    ipywidgets.Box
        ``box``, with the button and its link appended to its children.

    Notes
    -----
    This is the last step of opening every explorer, so it also leaves every object the kernel
    holds at that moment out of the garbage collector's full passes (``gc.freeze()``, after
    one collection). Otherwise such a pass, which comes at an unpredictable change, scans the
    hundred thousand objects of the package, its tables and the widgets: 50-70 ms on top of
    the change's own work, against about 1 ms once they are frozen.
    """
    import ipywidgets as w

    check_one_of("chapter", chapter, CHAPTERS)
    controls = getattr(box, "controls", None)
    check_instance("box.controls", controls, Mapping, "mapping of control name to widget")
    button = w.Button(description="Download this scenario as a workbook", icon="download",
                      layout=w.Layout(width="320px"))
    link = w.HTML()

    def write(_: Any = None) -> None:
        link.value = download_html(chapter, {k: c.value for k, c in controls.items()})

    button.on_click(write)
    box.children = (*box.children, w.HBox([button, link]))
    box.workbook_button, box.workbook_link = button, link
    gc.collect()
    gc.freeze()
    return box
