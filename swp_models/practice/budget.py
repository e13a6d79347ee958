"""What a practice costs to run: the budget line by line, its totals, and grids of designs.

* :func:`running_cost` — the budget line by line; :func:`total_running_cost`,
  :func:`cost_per_child`, :func:`caseload_per_worker` and :func:`summary` condense it.
* :func:`compare_with_child_cost` — the running cost per child beside the cost of the child's
  care (chapter 3's cost model; its mean is the census average of £35,360 a year).
* :func:`budget_grid`, :func:`summary_grid`, :func:`caseload_table` — designs over a grid (the
  book's static sliders) and caseloads per worker.
* :func:`employer_cost_by_level`, :func:`london_premium`, :func:`pay_scenarios` — pay levels,
  the London premium and the pay scenarios.

Units: the practice's totals in £ per practice per year; per-child figures in £ per child per year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import data
from ..data import data_folder
from ..validation import check_in_range, check_integer, check_one_of, check_sequence
from .design import (
    IN_CENSUS_SCOPE,
    NIGHTS_PER_YEAR,
    OTHER_ITEMS,
    ROLE_LABELS,
    SALARY_LEVELS,
    STAFF_ROLES,
    Overheads,
    PracticeDesign,
    SalaryScale,
    _MAX_SUM,
    assumption,
    on_costs,
    salary_scale,
)

__all__ = [
    "GRID_FRONTLINE",
    "GRID_ADMIN_ONE_IN",
    "GRID_LEVELS",
    "running_cost",
    "total_running_cost",
    "cost_per_child",
    "caseload_per_worker",
    "workers_for_cap",
    "child_cost",
    "summary",
    "compare_with_child_cost",
    "budget_grid",
    "summary_grid",
    "caseload_table",
    "london_premium",
    "employer_cost_by_level",
    "pay_scenarios",
]

def _check_types(design: object, salaries: object, overheads: object) -> tuple[PracticeDesign, SalaryScale, Overheads]:
    if not isinstance(design, PracticeDesign):
        raise ValueError(f"design must be a PracticeDesign; got {design!r}")
    salaries = salary_scale() if salaries is None else salaries
    if not isinstance(salaries, SalaryScale):
        raise ValueError(f"salaries must be a SalaryScale; got {salaries!r}")
    overheads = Overheads() if overheads is None else overheads
    if not isinstance(overheads, Overheads):
        raise ValueError(f"overheads must be an Overheads; got {overheads!r}")
    return design, salaries, overheads


def running_cost(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
) -> pd.DataFrame:
    """The practice's annual budget, line by line.

    Parameters
    ----------
    design : PracticeDesign, optional
        Default :class:`PracticeDesign` ().
    salaries : SalaryScale, optional
        Default :func:`salary_scale` ().
    overheads : Overheads, optional
        Default :class:`Overheads` ().

    Returns
    -------
    pandas.DataFrame
        One row per budget line (staff roles first), columns ``item``, ``role`` (label),
        ``kind`` ("staff" or "other"), ``fte``, ``salary`` (£ per FTE per year), ``pay``,
        ``employer_ni``, ``pension``, ``on_costs``, ``other`` (non-pay cost) and ``total``, all
        in £ a year (``fte`` and ``salary`` are NaN on non-staff lines), and ``in_census_scope``.
    """
    design = PracticeDesign() if design is None else design
    design, salaries, overheads = _check_types(design, salaries, overheads)
    fte = design.fte
    pay = salaries.pay()
    f = np.array([fte[r] for r in STAFF_ROLES])
    s = np.array([pay[r] for r in STAFF_ROLES])
    ni, pension = on_costs(s, salaries)
    staff = pd.DataFrame(
        {
            "item": STAFF_ROLES,
            "kind": "staff",
            "fte": f,
            "salary": s,
            "pay": f * s,
            "employer_ni": f * ni,
            "pension": f * pension,
            "other": 0.0,
        }
    )
    staff_fte = design.staff_fte
    other_amounts = {
        "students": design.students * overheads.student_cost,
        "on_call": NIGHTS_PER_YEAR * design.on_duty * overheads.on_call_per_night,
        "direct": staff_fte * overheads.direct_costs_per_fte,
        "legal": overheads.legal_services,
        "premises_it": staff_fte * overheads.premises_it_per_fte,
        "fixed": overheads.fixed_overheads,
    }
    other = pd.DataFrame(
        {
            "item": OTHER_ITEMS,
            "kind": "other",
            "fte": np.nan,
            "salary": np.nan,
            "pay": 0.0,
            "employer_ni": 0.0,
            "pension": 0.0,
            "other": [other_amounts[k] for k in OTHER_ITEMS],
        }
    )
    out = pd.concat([staff, other], ignore_index=True)
    out["on_costs"] = out["employer_ni"] + out["pension"]
    out["total"] = out["pay"] + out["on_costs"] + out["other"]
    out["role"] = out["item"].map(ROLE_LABELS)
    out["in_census_scope"] = out["item"].map(IN_CENSUS_SCOPE).astype(bool)
    return out[["item", "role", "kind", "fte", "salary", "pay", "employer_ni", "pension", "on_costs", "other",
                "total", "in_census_scope"]]


def total_running_cost(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
) -> float:
    """The practice's annual running cost, £ per practice per year."""
    return float(running_cost(design, salaries, overheads)["total"].sum())


def cost_per_child(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
) -> float:
    """Running cost divided by the caseload, £ per child per year."""
    design = PracticeDesign() if design is None else design
    return total_running_cost(design, salaries, overheads) / design.caseload


def caseload_per_worker(design: PracticeDesign | None = None) -> float:
    """Children per front-line full-time equivalent: ``caseload / frontline``."""
    design = PracticeDesign() if design is None else design
    if not isinstance(design, PracticeDesign):
        raise ValueError(f"design must be a PracticeDesign; got {design!r}")
    return design.caseload / design.frontline


def workers_for_cap(children: int, cap: int) -> int:
    """Front-line workers needed so that no worker holds more than ``cap`` children.

    Parameters
    ----------
    children : int
        Children to allocate, >= 0.
    cap : int
        Most children per worker, >= 1 (ten in Committee evidence Q239).

    Returns
    -------
    int
        ``ceil(children / cap)``.
    """
    children = check_integer("children", children, low=0, high=10**9)
    cap = check_integer("cap", cap, low=1, high=10**9)
    return -(-children // cap)


@cached(maxsize=1)
def _child_cost_default() -> float:
    from ..costs import census_average_cost

    return float(census_average_cost())


def child_cost(value: float | None = None, *, data_dir: str | Path | None = None) -> float:
    """Expected cost of a looked-after child's care, £ per child per year.

    Default: the census average (£35,360 in 2005, :func:`swp_models.costs.census_average_cost`),
    the figure whose scope the report describes (s.6.1.5) and so the one the practice's budget
    can be set against line by line. A value passed in is checked (> 0, at most £10m) and
    returned.

    Parameters
    ----------
    value : float, optional
        £ per child per year.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    if value is None and data_dir is not None:
        from ..costs import census_average_cost

        return float(census_average_cost(data_dir=data_dir))
    if value is None:
        return _child_cost_default()
    return check_in_range("value", value, 0.0, _MAX_SUM, low_open=True)


def summary(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
    child_cost_per_year: float | None = None,
) -> dict[str, float]:
    """Key figures of one practice budget.

    Returns
    -------
    dict
        ``staff_fte``; ``running_cost`` (£ a year); ``cost_per_child`` (£ per child per year);
        ``caseload_per_worker``; ``staff_share`` (percent of the running cost that is pay and
        on-costs); ``frontline_share`` (percent spent on front-line staff); ``in_scope`` and
        ``out_of_scope`` (£ per child per year, by census scope); ``child_cost`` (£ per child per
        year); ``share_of_child_cost`` (running cost per child as a percent of the child's cost);
        ``in_scope_share`` and ``out_of_scope_share`` (each as a percent of the child's cost).
    """
    design = PracticeDesign() if design is None else design
    budget = running_cost(design, salaries, overheads)
    total = float(budget["total"].sum())
    n = design.caseload
    c = child_cost() if child_cost_per_year is None else \
        check_in_range("child_cost_per_year", child_cost_per_year, 0.0, _MAX_SUM, low_open=True)
    in_scope = float(budget.loc[budget["in_census_scope"], "total"].sum()) / n
    out_scope = float(budget.loc[~budget["in_census_scope"], "total"].sum()) / n
    staff_total = float(budget.loc[budget["kind"] == "staff", "total"].sum())
    frontline_total = float(budget.loc[budget["item"] == "frontline", "total"].sum())
    return {
        "staff_fte": design.staff_fte,
        "running_cost": total,
        "cost_per_child": total / n,
        "caseload_per_worker": design.caseload / design.frontline,
        "staff_share": 100.0 * staff_total / total,
        "frontline_share": 100.0 * frontline_total / total,
        "in_scope": in_scope,
        "out_of_scope": out_scope,
        "child_cost": c,
        "share_of_child_cost": 100.0 * (total / n) / c,
        "in_scope_share": 100.0 * in_scope / c,
        "out_of_scope_share": 100.0 * out_scope / c,
    }


def compare_with_child_cost(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
    child_cost_per_year: float | None = None,
) -> pd.DataFrame:
    """The running cost per child placed against the cost of the child's care.

    The census average already contains council spending on social-work staff, so the
    practice's in-scope running cost is shown as a part of it; only the out-of-scope lines sit
    on top of it.

    Returns
    -------
    pandas.DataFrame
        Three segments in order: ``running cost inside the census scope``, ``rest of the
        child's cost`` (placements, services and the council's remaining costs: the child's cost
        less the first segment) and ``overheads the census leaves out``; columns ``segment``, ``label``,
        ``amount`` (£ per child per year), ``start`` and ``end`` (cumulative £), ``share`` (percent
        of the child's cost).

    Raises
    ------
    ValueError
        If the in-scope running cost per child exceeds the child's cost (the inputs then
        describe a practice costlier than the whole of the care it is part of).
    """
    s = summary(design, salaries, overheads, child_cost_per_year)
    rest = s["child_cost"] - s["in_scope"]
    if rest < 0:
        raise ValueError(
            f"running cost inside the census scope ({s['in_scope']:,.0f} £ per child) exceeds the child's cost "
            f"({s['child_cost']:,.0f} £ per child); the comparison has no meaning for these inputs"
        )
    amounts = [s["in_scope"], rest, s["out_of_scope"]]
    out = pd.DataFrame(
        {
            "segment": ["in_scope", "rest", "out_of_scope"],
            "label": ["Practice running cost the census already counts", "Rest of the child's cost (placements, services)",
                      "Practice overheads the census leaves out"],
            "amount": amounts,
        }
    )
    out["end"] = out["amount"].cumsum()
    out["start"] = out["end"] - out["amount"]
    out["share"] = 100.0 * out["amount"] / s["child_cost"]
    return out[["segment", "label", "amount", "start", "end", "share"]]


#: Front-line team sizes, "one administrator to N front-line staff" and pay levels on the static page.
GRID_FRONTLINE: tuple[int, ...] = (6, 7, 8, 9, 10)


GRID_ADMIN_ONE_IN: tuple[int, ...] = (4, 5, 6)

GRID_LEVELS: tuple[str, ...] = ("low", "mid", "high")


def _grid_axes(frontline: object, admin_one_in: object, levels: object) -> tuple[list[int], list[int], list[str]]:
    """The axes of a grid of designs, each a non-empty sequence checked by name before any work."""
    teams = [check_integer("frontline", n, low=1, high=50) for n in check_sequence("frontline", frontline, max_len=50)]
    admins = [check_integer("admin_one_in", k, low=1, high=50)
              for k in check_sequence("admin_one_in", admin_one_in, max_len=50)]
    lvls = [check_one_of("levels", lvl, tuple(SALARY_LEVELS)) for lvl in check_sequence("levels", levels, max_len=3)]
    return teams, admins, lvls


def _grid_scenarios(
    frontline: Iterable[int], admin_one_in: Iterable[int], levels: Iterable[str]
) -> Iterable[tuple[int, int, str, PracticeDesign, SalaryScale]]:
    base = PracticeDesign()
    scales = {lvl: salary_scale(lvl) for lvl in levels}
    for n in frontline:
        for k in admin_one_in:
            k = check_integer("admin_one_in", k, low=1)
            design = base.replace(frontline=n, admin_ratio=1.0 / k, on_duty=min(base.on_duty, n))
            for lvl, scale in scales.items():
                yield n, k, lvl, design, scale


def budget_grid(
    frontline: Sequence[int] = GRID_FRONTLINE,
    admin_one_in: Sequence[int] = GRID_ADMIN_ONE_IN,
    levels: Sequence[str] = GRID_LEVELS,
) -> pd.DataFrame:
    """The budget by line and cost component for a grid of designs (for the static sliders).

    Parameters
    ----------
    frontline : sequence of int
        Front-line team sizes.
    admin_one_in : sequence of int
        N in "one administrator to N front-line staff" (admin_ratio = 1/N).
    levels : sequence of {"low", "mid", "high"}
        Pay-scale positions.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per scenario, line and component (``Salary``, ``Employer NI``,
        ``Pension``, ``Non-pay cost``) with a non-zero amount: columns ``frontline``,
        ``admin_one_in``, ``level``, ``item``, ``role``, ``order`` (line position),
        ``in_census_scope``, ``component``, ``amount`` (£ thousand a year, rounded to 0.01) and
        ``line_total`` (£ thousand a year).
    """
    frontline, admin_one_in, levels = _grid_axes(frontline, admin_one_in, levels)
    parts = []
    components = {"pay": "Salary", "employer_ni": "Employer NI", "pension": "Pension", "other": "Non-pay cost"}
    for n, k, lvl, design, scale in _grid_scenarios(frontline, admin_one_in, levels):
        b = running_cost(design, scale)
        b["order"] = np.arange(len(b))
        long = b.melt(id_vars=["item", "role", "order", "in_census_scope", "total"], value_vars=list(components),
                      var_name="component", value_name="amount")
        long = long[long["amount"] > 0]
        long = long.assign(frontline=n, admin_one_in=k, level=lvl, component=long["component"].map(components))
        parts.append(long)
    out = pd.concat(parts, ignore_index=True)
    out["amount"] = (out["amount"] / 1e3).round(2)
    out["line_total"] = (out["total"] / 1e3).round(1)
    return out[["frontline", "admin_one_in", "level", "item", "role", "order", "in_census_scope", "component",
                "amount", "line_total"]]


def summary_grid(
    frontline: Sequence[int] = GRID_FRONTLINE,
    admin_one_in: Sequence[int] = GRID_ADMIN_ONE_IN,
    levels: Sequence[str] = GRID_LEVELS,
    child_cost_per_year: float | None = None,
) -> pd.DataFrame:
    """:func:`summary` and the :func:`compare_with_child_cost` segments for a grid of designs.

    Returns
    -------
    pandas.DataFrame
        One row per scenario: ``frontline``, ``admin_one_in``, ``level``, then the keys of
        :func:`summary`, and ``rest`` (£ per child per year: the child's cost less the in-scope
        running cost).
    """
    frontline, admin_one_in, levels = _grid_axes(frontline, admin_one_in, levels)
    if child_cost_per_year is not None:
        check_in_range("child_cost_per_year", child_cost_per_year, 0.0, _MAX_SUM, low_open=True)
    rows = []
    for n, k, lvl, design, scale in _grid_scenarios(frontline, admin_one_in, levels):
        s = summary(design, scale, None, child_cost_per_year)
        rows.append({"frontline": n, "admin_one_in": k, "level": lvl, **s, "rest": s["child_cost"] - s["in_scope"]})
    return pd.DataFrame(rows)


def caseload_table(
    frontline: Sequence[int] = tuple(range(4, 15)),
    caseloads: Sequence[int] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Children per front-line worker for a range of team sizes and caseloads.

    Parameters
    ----------
    frontline : sequence of int
        Team sizes (each in [1, 50]).
    caseloads : sequence of int, optional
        Default the draft contract's 100 children and its margin of plus or minus 10.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        Columns ``frontline``, ``caseload``, ``per_worker`` (children per front-line FTE) and
        ``in_report_range`` (team of 6-10).
    """
    teams = [check_integer("frontline", n, low=1, high=50) for n in check_sequence("frontline", frontline, max_len=50)]
    if caseloads is not None:
        caseloads = [check_integer("caseloads", c, low=1, high=2000)
                     for c in check_sequence("caseloads", caseloads, max_len=2000)]
    design = data.load("practice_design", data_folder(data_dir)).set_index("parameter")["value"]
    if caseloads is None:
        mid, margin = int(design["caseload_children"]), int(design["caseload_margin"])
        caseloads = (mid - margin, mid, mid + margin)
    lo, hi = int(design["frontline_staff_min"]), int(design["frontline_staff_max"])
    rows = []
    for c in caseloads:
        for n in teams:
            d = PracticeDesign(frontline=n, caseload=c, on_duty=min(1, n))
            rows.append({"frontline": d.frontline, "caseload": d.caseload, "per_worker": caseload_per_worker(d),
                         "in_report_range": lo <= n <= hi})
    return pd.DataFrame(rows)


def london_premium(*, data_dir: str | Path | None = None) -> float:
    """Average pay of a children's social worker in London over the national average, 2004 (a ratio).

    From the year ending September 2004 (Community Care, 2005): £28,771 against £24,487.
    Use it as :func:`salary_scale`'s ``multiplier`` to cost a London practice.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    pay = data.load("salaries", data_folder(data_dir))
    avg = pay[(pay["role"] == "childrens_social_worker") & (pay["measure"] == "average_pay")].set_index("area")["value"]
    return float(avg["London"] / avg["national"])


def employer_cost_by_level(levels: Sequence[str] = GRID_LEVELS, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """What a full-time social worker and a team leader cost the employer at each pay level.

    Parameters
    ----------
    levels : sequence of str
        Pay levels, each one of ``"low"``, ``"mid"``, ``"high"``.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per level and post (``social_worker``, ``team_leader``): ``level``, ``post``,
        ``salary``, ``employer_ni``, ``pension``, ``total`` (£ a year) and ``on_cost_rate``
        (on-costs as a percent of salary).
    """
    levels = [check_one_of("levels", lvl, tuple(SALARY_LEVELS)) for lvl in check_sequence("levels", levels, max_len=3)]
    rows = []
    for lvl in levels:
        scale = salary_scale(lvl, data_dir=data_dir)
        for post, salary in (("social_worker", scale.social_worker), ("team_leader", scale.manager)):
            ni, pension = on_costs(salary, scale)
            rows.append({"level": lvl, "post": post, "salary": salary, "employer_ni": float(ni),
                         "pension": float(pension), "total": salary + float(ni) + float(pension),
                         "on_cost_rate": 100.0 * (float(ni) + float(pension)) / salary})
    return pd.DataFrame(rows)


def pay_scenarios(
    pay_premium: float | None = None,
    partner_surplus_share: float | None = None,
    new_employer_pension_rate: float | None = None,
) -> pd.DataFrame:
    """The default practice's running cost under labelled pay and pension scenarios.

    Parameters
    ----------
    pay_premium : float, optional
        Share added to every salary, in [0, 1]; default the assumption ``pay_premium``.
    partner_surplus_share : float, optional
        Partners' share of surplus, as a share of the running cost added to the price, in
        [0, 1]; default the assumption ``partner_surplus_share``.
    new_employer_pension_rate : float, optional
        Employer pension rate of a new, small employer, in [0, 1); default the assumption
        ``new_employer_pension_rate``.

    Returns
    -------
    pandas.DataFrame
        One row per scenario ("default", "pay_premium", "partners", "pension", "all"):
        ``scenario``, ``label``, ``running_cost`` (£ a year), ``per_child`` (£ a child a
        year) and ``change`` (against the default, £ a year).
    """
    prem = check_in_range("pay_premium", assumption("pay_premium") if pay_premium is None else pay_premium, 0.0, 1.0)
    share = check_in_range("partner_surplus_share", assumption("partner_surplus_share")
                           if partner_surplus_share is None else partner_surplus_share, 0.0, 1.0)
    pension = check_in_range("new_employer_pension_rate", assumption("new_employer_pension_rate")
                             if new_employer_pension_rate is None else new_employer_pension_rate, 0.0, 1.0,
                             high_open=True)
    design = PracticeDesign()
    base = total_running_cost(design)
    premium = total_running_cost(design, salary_scale(multiplier=1.0 + prem))
    pensioned = total_running_cost(design, salary_scale(pension_rate=pension))
    both = total_running_cost(design, salary_scale(multiplier=1.0 + prem, pension_rate=pension))
    rows = [
        ("default", "Council pay scales and pension rate (the chapter's default)", base),
        ("pay_premium", f"A pay premium of {100 * prem:.0f}% on every salary", premium),
        ("partners", f"Partners' share of surplus, {100 * share:.0f}% of the running cost", base * (1.0 + share)),
        ("pension", f"A new employer's pension rate of {100 * pension:.0f}%", pensioned),
        ("all", "All three together", both * (1.0 + share)),
    ]
    out = pd.DataFrame(rows, columns=["scenario", "label", "running_cost"])
    out["per_child"] = out["running_cost"] / design.caseload
    out["change"] = out["running_cost"] - base
    return out

