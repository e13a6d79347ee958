"""Live explorer for chapter 4: the practice budget on any staffing, pay and overheads.

Every control of :class:`swp_models.practice.PracticeDesign`, :func:`swp_models.practice.salary_scale`
and :class:`swp_models.practice.Overheads`, and the cost of a child's care, is a widget; any
change re-runs :func:`swp_models.practice.running_cost` and :func:`swp_models.practice.summary`
and redraws the tables. Needs a running kernel (Jupyter or Voila).
"""

from __future__ import annotations

import html
from typing import Any

from .. import practice
from . import check_values
from .workbook import add_download

__all__ = ["explorer", "render"]


def _fmt_money(x: float) -> str:
    return "" if x != x else f"£{x:,.0f}"  # NaN shows as empty


#: The control values :func:`render` reads.
_KEYS: tuple[str, ...] = (
    "admin_pay_ratio", "admin_ratio", "caseload", "child_cost", "direct_costs_per_fte", "employer_ni_rate",
    "fixed_overheads", "frontline", "legal_services", "manager_fte", "multiplier", "ni_threshold",
    "on_call_per_night", "on_duty", "pdo_fte", "pension_rate", "position", "premises_it_per_fte", "student_cost",
    "students", "support_fte", "support_pay_ratio"
)


def render(values: dict[str, Any]) -> str:
    """HTML of the budget and its key figures for one set of control values.

    Parameters
    ----------
    values : dict
        Keys: the fields of :class:`~swp_models.practice.PracticeDesign` and
        :class:`~swp_models.practice.Overheads`, the arguments of
        :func:`~swp_models.practice.salary_scale` (``position``, ``multiplier``,
        ``admin_pay_ratio``, ``support_pay_ratio``, ``employer_ni_rate``, ``ni_threshold``,
        ``pension_rate``) and ``child_cost`` (£ per child per year).

    Returns
    -------
    str
        An HTML fragment; if an input is out of range, the error message in its place.
    """
    values = check_values(values, _KEYS)
    try:
        design = practice.PracticeDesign(
            frontline=values["frontline"], admin_ratio=values["admin_ratio"], manager_fte=values["manager_fte"],
            support_fte=values["support_fte"], pdo_fte=values["pdo_fte"], students=values["students"],
            caseload=values["caseload"], on_duty=values["on_duty"],
        )
        scale = practice.salary_scale(
            values["position"], values["multiplier"], admin_pay_ratio=values["admin_pay_ratio"],
            support_pay_ratio=values["support_pay_ratio"], employer_ni_rate=values["employer_ni_rate"],
            ni_threshold=values["ni_threshold"], pension_rate=values["pension_rate"],
        )
        overheads = practice.Overheads(
            student_cost=values["student_cost"], on_call_per_night=values["on_call_per_night"],
            legal_services=values["legal_services"], direct_costs_per_fte=values["direct_costs_per_fte"],
            premises_it_per_fte=values["premises_it_per_fte"], fixed_overheads=values["fixed_overheads"],
        )
        budget = practice.running_cost(design, scale, overheads)
        s = practice.summary(design, scale, overheads, values["child_cost"])
    except ValueError as exc:
        return f'<p style="color:#b00020"><b>Input not accepted:</b> {html.escape(str(exc))}</p>'
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(r.role)}{'' if r.in_census_scope else ' &dagger;'}</td>"
        f"<td style='text-align:right'>{'' if r.fte != r.fte else f'{r.fte:.1f}'}</td>"
        f"<td style='text-align:right'>{_fmt_money(r.salary)}</td>"
        f"<td style='text-align:right'>{_fmt_money(r.on_costs) if r.kind == 'staff' else ''}</td>"
        f"<td style='text-align:right'>{_fmt_money(r.total)}</td>"
        "</tr>"
        for r in budget.itertuples(index=False)
    )
    table = (
        "<table class='swp-table'><thead><tr><th>Line</th><th>FTE</th><th>Salary per FTE</th>"
        "<th>On-costs</th><th>Total a year</th></tr></thead>"
        f"<tbody>{rows}<tr><td><b>Total</b></td><td style='text-align:right'><b>{s['staff_fte']:.1f}</b></td>"
        f"<td></td><td></td><td style='text-align:right'><b>{_fmt_money(s['running_cost'])}</b></td></tr>"
        "</tbody></table>"
    )
    facts = (
        "<ul>"
        f"<li>Running cost <b>{_fmt_money(s['cost_per_child'])}</b> per child a year; "
        f"{s['caseload_per_worker']:.1f} children per front-line worker.</li>"
        f"<li>Pay and on-costs {s['staff_share']:.0f}% of the budget; front-line staff {s['frontline_share']:.0f}%.</li>"
        f"<li>Against a child's care of {_fmt_money(s['child_cost'])} a year: running cost {s['share_of_child_cost']:.1f}%, "
        f"of which {_fmt_money(s['in_scope'])} per child ({s['in_scope_share']:.1f}%) is the kind of cost the census "
        f"average already counts and {_fmt_money(s['out_of_scope'])} ({s['out_of_scope_share']:.1f}%) overheads it "
        "leaves out (&dagger; lines).</li>"
        "</ul>"
    )
    return facts + table


def _defaults() -> dict[str, Any]:
    d = practice.PracticeDesign()
    o = practice.Overheads()
    scale = practice.salary_scale()
    return {
        "frontline": d.frontline, "admin_ratio": d.admin_ratio, "manager_fte": d.manager_fte,
        "support_fte": d.support_fte, "pdo_fte": d.pdo_fte, "students": d.students, "caseload": d.caseload,
        "on_duty": d.on_duty,
        "position": practice.assumption("scale_position"), "multiplier": 1.0,
        "admin_pay_ratio": practice.assumption("admin_pay_ratio"),
        "support_pay_ratio": practice.assumption("support_pay_ratio"),
        "employer_ni_rate": scale.employer_ni_rate, "ni_threshold": scale.ni_threshold,
        "pension_rate": scale.pension_rate,
        "student_cost": o.student_cost, "on_call_per_night": o.on_call_per_night, "legal_services": o.legal_services,
        "direct_costs_per_fte": o.direct_costs_per_fte, "premises_it_per_fte": o.premises_it_per_fte,
        "fixed_overheads": o.fixed_overheads,
        "child_cost": round(practice.child_cost(), 2),
    }


# (key, label, kind, min, max, step); kind "int" or "float"
_CONTROLS: dict[str, list[tuple[str, str, str, float, float, float]]] = {
    "Staffing": [
        ("frontline", "Front-line staff (FTE)", "int", 1, 30, 1),
        ("admin_ratio", "Admin per front-line FTE", "float", 0.0, 0.5, 0.01),
        ("manager_fte", "Practice manager (FTE)", "float", 0.0, 2.0, 0.1),
        ("support_fte", "Education/research support (FTE)", "float", 0.0, 5.0, 0.1),
        ("pdo_fte", "Prof.-development officer (FTE)", "float", 0.0, 2.0, 0.1),
        ("students", "Students", "int", 0, 10, 1),
        ("caseload", "Children", "int", 50, 200, 1),
        ("on_duty", "Workers on night duty", "int", 0, 3, 1),
    ],
    "Pay and on-costs": [
        ("position", "Position on pay scale (0 min, 1 max)", "float", 0.0, 1.0, 0.05),
        ("multiplier", "Multiplier on all pay", "float", 0.7, 1.5, 0.01),
        ("admin_pay_ratio", "Admin pay / social-worker pay", "float", 0.3, 1.2, 0.05),
        ("support_pay_ratio", "Support pay / social-worker pay", "float", 0.5, 1.5, 0.05),
        ("employer_ni_rate", "Employer NI rate", "float", 0.0, 0.2, 0.001),
        ("ni_threshold", "NI threshold (£ a year)", "float", 0.0, 10_000.0, 1.0),
        ("pension_rate", "Employer pension rate", "float", 0.0, 0.3, 0.001),
    ],
    "Other costs": [
        ("student_cost", "£ per student a year", "float", 0.0, 10_000.0, 100.0),
        ("on_call_per_night", "£ per night on duty", "float", 0.0, 100.0, 1.0),
        ("legal_services", "Legal services, £ a year", "float", 0.0, 100_000.0, 1000.0),
        ("direct_costs_per_fte", "Travel/training, £ per FTE", "float", 0.0, 10_000.0, 100.0),
        ("premises_it_per_fte", "Premises/IT, £ per FTE", "float", 0.0, 15_000.0, 100.0),
        ("fixed_overheads", "Insurance/audit/HR, £ a year", "float", 0.0, 100_000.0, 1000.0),
        ("child_cost", "Child's care, £ a year", "float", 10_000.0, 100_000.0, 10.0),
    ],
}


def explorer() -> Any:
    """An ipywidgets panel: tabs of controls for every input and the budget they give.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of the widgets by input name) and ``output`` (the
        HTML widget redrawn on every change).
    """
    import ipywidgets as w

    values = _defaults()
    style = {"description_width": "220px"}
    layout = w.Layout(width="440px")
    controls: dict[str, Any] = {}
    pages = []
    for title, specs in _CONTROLS.items():
        items = []
        for key, label, kind, lo, hi, step in specs:
            cls = w.IntSlider if kind == "int" else w.FloatSlider
            extra = {} if kind == "int" else {"readout_format": ".3g" if hi <= 2 else ",.0f"}
            widget = cls(value=values[key], min=lo, max=hi, step=step, description=label, style=style, layout=layout,
                         continuous_update=False, **extra)
            controls[key] = widget
            items.append(widget)
        pages.append(w.VBox(items))
    tabs = w.Tab(children=pages, titles=tuple(_CONTROLS))
    output = w.HTML(value=render(values))

    def update(_: Any = None) -> None:
        output.value = render({k: c.value for k, c in controls.items()})

    for c in controls.values():
        c.observe(update, names="value")
    box = w.VBox([tabs, output])
    box.controls = controls
    box.output = output
    return add_download(box, "practice")
