"""What a social work practice costs to run: a staffing budget (chapter 4).

The report (s.6.1.3) describes the practice as 6-10 front-line staff plus a practice manager,
reception and administrative staff at about one to five front-line staff, education, research
and legal support, a named officer for professional development and social-work students.
This module turns that description into an annual budget.

* :class:`PracticeDesign` — who works in the practice and how many children it looks after.
* :class:`SalaryScale` — pay per full-time post and the employer's on-costs (National
  Insurance and pension). :func:`salary_scale` builds one from the sourced 2006 pay scales.
* :class:`Overheads` — the costs that are not pay: night-duty allowance, students, legal
  services, travel and training, premises and IT, insurance and central services.
* :func:`running_cost` — the budget line by line; :func:`total_running_cost`,
  :func:`cost_per_child`, :func:`caseload_per_worker` and :func:`summary` condense it.
* :func:`compare_with_child_cost` — the running cost per child beside the cost of the child's
  care (chapter 3's cost model; its mean is the census average of £35,360 a year).

What the census averages include
--------------------------------
The report's annual cost per looked-after child "include[s] the local authority expenditure on
staff", but not "the wider overhead costs of local authorities" such as human resources, the
central finance department, IT and the layers of management above social services (s.6.1.5).
A practice's running cost therefore replaces part of the £35,360, not an addition to it, except
for the items that stand where a council's central functions stand. Each budget line carries a
flag ``in_census_scope``:

* inside the scope (the practice's version of what the census counts): front-line staff,
  administration, education and research support, the professional-development officer,
  students, night duty, travel and training;
* outside the scope (what the census leaves out): the practice manager (finance and office
  management, the practice's only layer of management), legal services (a council central
  department), premises and IT, and insurance, audit, payroll and HR.

The split is the book's reading of s.6.1.5 and is stated as such in the chapter.

Units: pay and costs in £ a year (per full-time-equivalent post where stated); the practice's
totals in £ per practice per year; per-child figures in £ per child per year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
import pandas as pd

from . import data
from .validation import check_in_range, check_integer, check_one_of

if TYPE_CHECKING:
    from .tables import Table

__all__ = [
    "NIGHTS_PER_YEAR",
    "WEEKS_PER_YEAR",
    "SALARY_LEVELS",
    "SALARY_LEVEL_LABELS",
    "STAFF_ROLES",
    "OTHER_ITEMS",
    "GRID_FRONTLINE",
    "GRID_ADMIN_ONE_IN",
    "GRID_LEVELS",
    "ROLE_LABELS",
    "IN_CENSUS_SCOPE",
    "PracticeDesign",
    "SalaryScale",
    "Overheads",
    "assumption",
    "salary_scale",
    "on_costs",
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
    "sourced_pay",
    "london_premium",
    "employer_cost_by_level",
    "line_basis",
    "oncost_note",
    "pay_table",
    "employer_cost_table",
    "budget_table",
    "key_results",
    "pay_scenarios",
    "pay_scenario_table",
]

#: Weeks in a year, to turn the weekly National Insurance threshold into an annual one.
WEEKS_PER_YEAR = 52
#: Nights a year the practice covers with its night-duty rota (Committee evidence, Q226).
NIGHTS_PER_YEAR = 365

#: Named points on the pay scales (the average scale minimum, the midpoint and the maximum).
SALARY_LEVELS: dict[str, float] = {"low": 0.0, "mid": 0.5, "high": 1.0}
SALARY_LEVEL_LABELS: dict[str, str] = {"low": "Scale minimum", "mid": "Scale midpoint", "high": "Scale maximum"}

#: Staff posts, in the order the budget lists them.
STAFF_ROLES: tuple[str, ...] = ("frontline", "manager", "admin", "support", "pdo")
#: Budget lines that are not salaried posts.
OTHER_ITEMS: tuple[str, ...] = ("students", "on_call", "direct", "legal", "premises_it", "fixed")

ROLE_LABELS: dict[str, str] = {
    "frontline": "Front-line social workers",
    "manager": "Practice manager",
    "admin": "Reception and administration",
    "support": "Education and research support",
    "pdo": "Professional-development officer",
    "students": "Social-work students",
    "on_call": "Night-duty allowance",
    "direct": "Travel, training, telephones",
    "legal": "Legal services",
    "premises_it": "Premises and IT",
    "fixed": "Insurance, audit, payroll, HR",
}

#: Whether each budget line is the kind of cost the census averages already include (see the module notes).
IN_CENSUS_SCOPE: dict[str, bool] = {
    "frontline": True,
    "manager": False,
    "admin": True,
    "support": True,
    "pdo": True,
    "students": True,
    "on_call": True,
    "direct": True,
    "legal": False,
    "premises_it": False,
    "fixed": False,
}

_ASSUMPTIONS = "assumptions_practice"
_MAX_PAY = 250_000.0
_MAX_SUM = 10_000_000.0


# ---------------------------------------------------------------------------------------
# Defaults read from data/
# ---------------------------------------------------------------------------------------


def assumption(parameter: str) -> float:
    """Value of one row of ``data/assumptions_practice.csv`` (e.g. ``"admin_pay_ratio"``).

    The defaults are read from ``data/`` once per Python session and then reused, so that the
    live explorer recomputes quickly; restart the kernel after editing a table.
    """
    table = _assumptions()
    check_one_of("parameter", parameter, tuple(table))
    return table[parameter]


@functools.lru_cache(maxsize=1)
def _assumptions() -> dict[str, float]:
    frame = data.load(_ASSUMPTIONS)
    return dict(zip(frame["parameter"], frame["value"].astype(float)))


@functools.lru_cache(maxsize=1)
def _design_defaults() -> dict[str, Any]:
    design = data.load("practice_design").set_index("parameter")["value"]
    evidence = data.load("committee_evidence_2008").set_index("measure")["value"]
    a = _assumptions()
    return {
        "frontline": int(round((design["frontline_staff_min"] + design["frontline_staff_max"]) / 2)),
        "admin_ratio": float(design["admin_per_frontline"]),
        "manager_fte": a["manager_fte"],
        "support_fte": a["support_fte"],
        "pdo_fte": a["pdo_fte"],
        "students": int(a["students"]),
        "caseload": int(design["caseload_children"]),
        "on_duty": int(evidence["staff_on_duty"]),
    }


@functools.lru_cache(maxsize=1)
def _pay_inputs() -> dict[str, float]:
    pay = data.load("salaries")
    england_2006 = pay[(pay["area"] == "England") & (pay["year"] == 2006)].set_index(["role", "measure"])["value"]
    oncost = data.load("employer_oncosts").set_index("measure")["value"]
    return {
        "sw_min": float(england_2006[("social_worker", "average_scale_minimum")]),
        "sw_max": float(england_2006[("social_worker", "average_scale_maximum")]),
        "tl_min": float(england_2006[("team_leader", "average_scale_minimum")]),
        "tl_max": float(england_2006[("team_leader", "average_scale_maximum")]),
        "employer_ni_rate": float(oncost["employer_ni_rate"]) / 100.0,
        "ni_threshold": float(oncost["ni_secondary_threshold"]) * WEEKS_PER_YEAR,
        "pension_rate": float(oncost["lgps_employer_rate"]) / 100.0,
    }


def _default(key: str) -> Any:
    return functools.partial(lambda k: _design_defaults()[k], key)


def sourced_pay() -> pd.DataFrame:
    """The pay figures the budget is built from, as the sources give them.

    Returns
    -------
    pandas.DataFrame
        Columns ``role``, ``area``, ``year``, ``measure``, ``value`` (£ a year), ``document``.
    """
    pay = data.load("salaries")
    return pay[["role", "area", "year", "measure", "value", "document"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeDesign:
    """Who works in the practice and how many children it looks after.

    Every field left out takes the book's default: the middle of the report's 6-10 front-line
    staff, administration at 1 to 5, 100 children (``data/practice_design.csv``), one worker on
    night duty (Committee evidence Q226) and the assumptions in
    ``data/assumptions_practice.csv``. The model accepts teams outside 6-10; it rejects values
    that make no sense.

    Parameters
    ----------
    frontline : int
        Front-line staff, full-time equivalents, an integer in [1, 50].
    admin_ratio : float
        Administrative FTE per front-line FTE, in [0, 1] (0.2 is the report's "1 to 5").
    manager_fte : float
        Practice managers, FTE, in [0, 5].
    support_fte : float
        Education and research support, FTE, in [0, 20].
    pdo_fte : float
        Officer for professional development, FTE, in [0, 5].
    students : int
        Social-work students on placement, in [0, 50].
    caseload : int
        Children the practice looks after, in [1, 2000].
    on_duty : int
        Workers on night duty each night, in [0, frontline] (0: no night cover).
    """

    frontline: int = field(default_factory=_default("frontline"))
    admin_ratio: float = field(default_factory=_default("admin_ratio"))
    manager_fte: float = field(default_factory=_default("manager_fte"))
    support_fte: float = field(default_factory=_default("support_fte"))
    pdo_fte: float = field(default_factory=_default("pdo_fte"))
    students: int = field(default_factory=_default("students"))
    caseload: int = field(default_factory=_default("caseload"))
    on_duty: int = field(default_factory=_default("on_duty"))

    def __post_init__(self) -> None:
        set_ = functools.partial(object.__setattr__, self)
        set_("frontline", check_integer("frontline", self.frontline, low=1, high=50))
        set_("admin_ratio", check_in_range("admin_ratio", self.admin_ratio, 0.0, 1.0))
        set_("manager_fte", check_in_range("manager_fte", self.manager_fte, 0.0, 5.0))
        set_("support_fte", check_in_range("support_fte", self.support_fte, 0.0, 20.0))
        set_("pdo_fte", check_in_range("pdo_fte", self.pdo_fte, 0.0, 5.0))
        set_("students", check_integer("students", self.students, low=0, high=50))
        set_("caseload", check_integer("caseload", self.caseload, low=1, high=2000))
        set_("on_duty", check_integer("on_duty", self.on_duty, low=0, high=self.frontline))

    @property
    def admin_fte(self) -> float:
        """Administrative staff in FTE (``admin_ratio * frontline``)."""
        return self.admin_ratio * self.frontline

    @property
    def fte(self) -> dict[str, float]:
        """Full-time equivalents of each staff role, in the order of :data:`STAFF_ROLES`."""
        return {
            "frontline": float(self.frontline),
            "manager": self.manager_fte,
            "admin": self.admin_fte,
            "support": self.support_fte,
            "pdo": self.pdo_fte,
        }

    @property
    def staff_fte(self) -> float:
        """All salaried staff, FTE (students excluded)."""
        return float(sum(self.fte.values()))

    def replace(self, **changes: Any) -> "PracticeDesign":
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


def _check_pay(name: str, value: object) -> float:
    return check_in_range(name, value, 0.0, _MAX_PAY, low_open=True)


@dataclass(frozen=True)
class SalaryScale:
    """Pay per full-time post and the employer's on-costs.

    Build one with :func:`salary_scale` to get the sourced defaults.

    Parameters
    ----------
    social_worker, manager, admin, support, pdo : float
        Salary of a full-time post in each role, £ a year, in (0, 250,000].
    employer_ni_rate : float
        Employer's National Insurance rate on pay above ``ni_threshold``, in [0, 1).
    ni_threshold : float
        Annual pay below which the employer pays no National Insurance, £ a year, in [0, 100,000].
    pension_rate : float
        Employer's pension contribution as a share of pay, in [0, 1).
    """

    social_worker: float
    manager: float
    admin: float
    support: float
    pdo: float
    employer_ni_rate: float
    ni_threshold: float
    pension_rate: float

    def __post_init__(self) -> None:
        for role in STAFF_ROLES:
            name = "social_worker" if role == "frontline" else role
            object.__setattr__(self, name, _check_pay(name, getattr(self, name)))
        object.__setattr__(self, "employer_ni_rate",
                           check_in_range("employer_ni_rate", self.employer_ni_rate, 0.0, 1.0, high_open=True))
        object.__setattr__(self, "ni_threshold", check_in_range("ni_threshold", self.ni_threshold, 0.0, 100_000.0))
        object.__setattr__(self, "pension_rate",
                           check_in_range("pension_rate", self.pension_rate, 0.0, 1.0, high_open=True))

    def pay(self) -> dict[str, float]:
        """Salary of a full-time post in each staff role, £ a year, keyed like :data:`STAFF_ROLES`."""
        return {
            "frontline": self.social_worker,
            "manager": self.manager,
            "admin": self.admin,
            "support": self.support,
            "pdo": self.pdo,
        }


def salary_scale(
    position: float | str | None = None,
    multiplier: float = 1.0,
    *,
    admin_pay_ratio: float | None = None,
    support_pay_ratio: float | None = None,
    employer_ni_rate: float | None = None,
    ni_threshold: float | None = None,
    pension_rate: float | None = None,
) -> SalaryScale:
    """Salaries and on-costs from the sourced 2006 pay scales.

    Social workers are paid at ``position`` between the average minimum (0) and maximum (1) of
    councils' social-worker scales in England in 2006 (£22,513 to £30,983); the practice manager
    and the professional-development officer at the same position on the team-leader scale
    (£33,386 to £37,347). Administrative and support staff are paid fixed shares of the
    social-worker salary (assumptions). ``multiplier`` then scales every salary (1.18 is about
    the London premium of 2004).

    Parameters
    ----------
    position : float or {"low", "mid", "high"}, optional
        Position on the scales, in [0, 1]; default the ``scale_position`` assumption (0.5).
    multiplier : float, default 1
        Factor on every salary, in (0, 5].
    admin_pay_ratio, support_pay_ratio : float, optional
        Pay of administrative / support staff as a share of the social-worker salary, in (0, 5].
    employer_ni_rate : float, optional
        Employer's National Insurance rate, in [0, 1); default 12.8% (2006-07).
    ni_threshold : float, optional
        £ a year; default £97 a week times 52 (2006-07).
    pension_rate : float, optional
        Employer pension contribution, in [0, 1); default 15.2%, the average employer
        contribution to the Local Government Pension Scheme in 2005-06.

    Returns
    -------
    SalaryScale
    """
    p = _pay_inputs()
    if isinstance(position, str):
        check_one_of("position", position, tuple(SALARY_LEVELS))
        position = SALARY_LEVELS[position]
    pos = check_in_range("position", assumption("scale_position") if position is None else position, 0.0, 1.0)
    mult = check_in_range("multiplier", multiplier, 0.0, 5.0, low_open=True)
    admin_r = check_in_range("admin_pay_ratio", assumption("admin_pay_ratio") if admin_pay_ratio is None
                             else admin_pay_ratio, 0.0, 5.0, low_open=True)
    support_r = check_in_range("support_pay_ratio", assumption("support_pay_ratio") if support_pay_ratio is None
                               else support_pay_ratio, 0.0, 5.0, low_open=True)
    sw = mult * (p["sw_min"] + pos * (p["sw_max"] - p["sw_min"]))
    tl = mult * (p["tl_min"] + pos * (p["tl_max"] - p["tl_min"]))
    return SalaryScale(
        social_worker=sw,
        manager=tl,
        admin=admin_r * sw,
        support=support_r * sw,
        pdo=tl,
        employer_ni_rate=p["employer_ni_rate"] if employer_ni_rate is None else employer_ni_rate,
        ni_threshold=p["ni_threshold"] if ni_threshold is None else ni_threshold,
        pension_rate=p["pension_rate"] if pension_rate is None else pension_rate,
    )


def _overhead_default(key: str) -> Any:
    return functools.partial(assumption, key)


@dataclass(frozen=True)
class Overheads:
    """Costs that are not salaries, £ a year (defaults: ``data/assumptions_practice.csv``).

    Parameters
    ----------
    student_cost : float
        Net cost of one student placement, £ per student per year.
    on_call_per_night : float
        Standby allowance per worker on night duty, including on-costs, £ per night.
    legal_services : float
        Commissioned legal advice, £ per practice per year.
    direct_costs_per_fte : float
        Travel, training and telephones, £ per staff FTE per year.
    premises_it_per_fte : float
        Office and IT, £ per staff FTE per year.
    fixed_overheads : float
        Insurance, audit, payroll, HR and governance, £ per practice per year.

    Notes
    -----
    Every field must be finite and in [0, 10,000,000].
    """

    student_cost: float = field(default_factory=_overhead_default("student_cost"))
    on_call_per_night: float = field(default_factory=_overhead_default("on_call_per_night"))
    legal_services: float = field(default_factory=_overhead_default("legal_services"))
    direct_costs_per_fte: float = field(default_factory=_overhead_default("direct_costs_per_fte"))
    premises_it_per_fte: float = field(default_factory=_overhead_default("premises_it_per_fte"))
    fixed_overheads: float = field(default_factory=_overhead_default("fixed_overheads"))

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, check_in_range(f.name, getattr(self, f.name), 0.0, _MAX_SUM))


# ---------------------------------------------------------------------------------------
# The budget
# ---------------------------------------------------------------------------------------


def on_costs(salary: float | np.ndarray, scale: SalaryScale) -> tuple[np.ndarray, np.ndarray]:
    """Employer's National Insurance and pension on a full-time salary.

    National Insurance is ``employer_ni_rate * max(0, salary - ni_threshold)``; pension is
    ``pension_rate * salary``. Part-time posts are costed as fractions of a full-time post, so
    the threshold counts once per full-time equivalent.

    Parameters
    ----------
    salary : float or array
        £ a year, finite and non-negative.
    scale : SalaryScale
        Supplies the rates and the threshold.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Employer's National Insurance and pension contribution, £ a year each.
    """
    s = np.asarray(salary, dtype=float)
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"salary must be finite and >= 0; got {salary!r}")
    ni = scale.employer_ni_rate * np.maximum(0.0, s - scale.ni_threshold)
    pension = scale.pension_rate * s
    return ni, pension


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
    children = check_integer("children", children, low=0)
    cap = check_integer("cap", cap, low=1)
    return -(-children // cap)


@functools.lru_cache(maxsize=1)
def _child_cost_default() -> float:
    from .costs import census_average_cost

    return float(census_average_cost())


def child_cost(value: float | None = None) -> float:
    """Expected cost of a looked-after child's care, £ per child per year.

    Default: the census average (£35,360 in 2005, :func:`swp_models.costs.census_average_cost`),
    the figure whose scope the report describes (s.6.1.5) and so the one the practice's budget
    can be set against line by line. A value passed in is checked (> 0, at most £10m) and
    returned.
    """
    if value is None:
        return _child_cost_default()
    return check_in_range("child_cost", value, 0.0, _MAX_SUM, low_open=True)


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
    c = child_cost(child_cost_per_year)
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


# ---------------------------------------------------------------------------------------
# Precomputed grids for the static page
# ---------------------------------------------------------------------------------------

#: Front-line team sizes, "one administrator to N front-line staff" and pay levels on the static page.
GRID_FRONTLINE: tuple[int, ...] = (6, 7, 8, 9, 10)
GRID_ADMIN_ONE_IN: tuple[int, ...] = (4, 5, 6)
GRID_LEVELS: tuple[str, ...] = ("low", "mid", "high")


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
    for lvl in levels:
        check_one_of("levels", lvl, tuple(SALARY_LEVELS))
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
    rows = []
    for n, k, lvl, design, scale in _grid_scenarios(frontline, admin_one_in, levels):
        s = summary(design, scale, None, child_cost_per_year)
        rows.append({"frontline": n, "admin_one_in": k, "level": lvl, **s, "rest": s["child_cost"] - s["in_scope"]})
    return pd.DataFrame(rows)


def caseload_table(
    frontline: Sequence[int] = tuple(range(4, 15)),
    caseloads: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Children per front-line worker for a range of team sizes and caseloads.

    Parameters
    ----------
    frontline : sequence of int
        Team sizes (each in [1, 50]).
    caseloads : sequence of int, optional
        Default the draft contract's 100 children and its margin of plus or minus 10.

    Returns
    -------
    pandas.DataFrame
        Columns ``frontline``, ``caseload``, ``per_worker`` (children per front-line FTE) and
        ``in_report_range`` (team of 6-10).
    """
    design = data.load("practice_design").set_index("parameter")["value"]
    if caseloads is None:
        mid, margin = int(design["caseload_children"]), int(design["caseload_margin"])
        caseloads = (mid - margin, mid, mid + margin)
    lo, hi = int(design["frontline_staff_min"]), int(design["frontline_staff_max"])
    rows = []
    for c in caseloads:
        for n in frontline:
            d = PracticeDesign(frontline=n, caseload=c, on_duty=min(1, n))
            rows.append({"frontline": d.frontline, "caseload": d.caseload, "per_worker": caseload_per_worker(d),
                         "in_report_range": lo <= n <= hi})
    return pd.DataFrame(rows)


def london_premium() -> float:
    """Average pay of a children's social worker in London over the national average, 2004 (a ratio).

    From the year ending September 2004 (Community Care, 2005): £28,771 against £24,487.
    Use it as :func:`salary_scale`'s ``multiplier`` to cost a London practice.
    """
    pay = data.load("salaries")
    avg = pay[(pay["role"] == "childrens_social_worker") & (pay["measure"] == "average_pay")].set_index("area")["value"]
    return float(avg["London"] / avg["national"])


def employer_cost_by_level(levels: Sequence[str] = GRID_LEVELS) -> pd.DataFrame:
    """What a full-time social worker and a team leader cost the employer at each pay level.

    Returns
    -------
    pandas.DataFrame
        One row per level and post (``social_worker``, ``team_leader``): ``level``, ``post``,
        ``salary``, ``employer_ni``, ``pension``, ``total`` (£ a year) and ``on_cost_rate``
        (on-costs as a percent of salary).
    """
    rows = []
    for lvl in levels:
        scale = salary_scale(lvl)
        for post, salary in (("social_worker", scale.social_worker), ("team_leader", scale.manager)):
            ni, pension = on_costs(salary, scale)
            rows.append({"level": lvl, "post": post, "salary": salary, "employer_ni": float(ni),
                         "pension": float(pension), "total": salary + float(ni) + float(pension),
                         "on_cost_rate": 100.0 * (float(ni) + float(pension)) / salary})
    return pd.DataFrame(rows)


def pay_table() -> "Table":
    """The sourced pay figures as a compact table (£ a year)."""
    from .tables import Table, fmt_gbp

    pay = sourced_pay()
    posts = {"social_worker": "Social worker", "team_leader": "Team leader",
             "childrens_social_worker": "Children's social worker"}
    measures = {"average_scale_minimum": "Scale minimum", "average_scale_maximum": "Scale maximum",
                "average_pay": "Average pay"}
    cites = {"commcare2009pay": "Community Care (2009)", "commcare2005pay": "Community Care (2005)"}
    frame = pd.DataFrame(
        {
            "Post": pay["role"].map(posts),
            "Area": pay["area"].map(lambda a: "National" if a == "national" else a),
            "Year": pay["year"].astype(str),
            "Figure": pay["measure"].map(measures),
            "£ a year": pay["value"].map(fmt_gbp),
            "Source": pay["document"].map(cites).fillna(pay["document"]),
        }
    )
    return Table(
        frame,
        caption="The pay figures the budget is built from",
        notes="Scale figures are councils' scale minima and maxima averaged across councils (LAWIG, as reported); "
              "2004 is the year to September 2004. 'National': the article compares London with 'the rest of "
              "England and Wales' without saying whether its average includes Wales.",
    )


def employer_cost_table() -> "Table":
    """What a full-time social worker and team leader cost the employer at each pay level."""
    from .tables import Table, fmt_gbp

    ec = employer_cost_by_level()
    frame = pd.DataFrame(
        {
            "Post": ec["post"].map({"social_worker": "Social worker", "team_leader": "Team leader"}),
            "Pay level": ec["level"].map(SALARY_LEVEL_LABELS),
            "Salary": ec["salary"].map(fmt_gbp),
            "Employer NI": ec["employer_ni"].map(fmt_gbp),
            "Pension": ec["pension"].map(fmt_gbp),
            "Cost to employer": ec["total"].map(fmt_gbp),
            "On-costs": ec["on_cost_rate"].map(lambda x: f"{x:.1f}%"),
        }
    )
    return Table(frame, caption="What a full-time post costs the employer a year, 2006 pay",
                 notes=oncost_note() + " The midpoint is the book's default.")


def line_basis() -> dict[str, str]:
    """Where each budget line's default comes from, in a few words (for the budget table)."""
    d = _design_defaults()
    a = _assumptions()
    return {
        "frontline": f"6-10 in s.6.1.3 (middle: {d['frontline']}); pay LAWIG 2006",
        "manager": f"s.6.1.3 'a Practice Manager'; {a['manager_fte']:g} FTE, team-leader pay assumed",
        "admin": f"about 1 to 5 (s.6.1.3); pay assumed {a['admin_pay_ratio']:g} of a social worker's",
        "support": f"s.6.1.3 names the roles; {a['support_fte']:g} FTE assumed",
        "pdo": f"s.6.1.3 requires the officer; {a['pdo_fte']:g} FTE, team-leader pay assumed",
        "students": f"s.6.1.3 wants students; {a['students']:g} at £{a['student_cost']:,.0f} assumed",
        "on_call": f"{d['on_duty']} on duty each night (Q226); £{a['on_call_per_night']:,.0f} a night assumed",
        "direct": f"assumed, £{a['direct_costs_per_fte']:,.0f} per staff FTE",
        "legal": f"commissioned (s.6.1.3); £{a['legal_services']:,.0f} assumed",
        "premises_it": f"assumed, £{a['premises_it_per_fte']:,.0f} per staff FTE",
        "fixed": f"assumed, £{a['fixed_overheads']:,.0f} a year",
    }


def oncost_note() -> str:
    """One sentence stating the default on-cost rates, read from ``data/employer_oncosts.csv``."""
    p = _pay_inputs()
    return (f"On-costs: employer's National Insurance ({100 * p['employer_ni_rate']:.1f}% above "
            f"£{p['ni_threshold'] / WEEKS_PER_YEAR:,.0f} a week, 2006-07) and pension "
            f"({100 * p['pension_rate']:.1f}%, the LGPS average of 2005-06).")


def budget_table(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
) -> "Table":
    """The budget as a formatted table (FTE, salary, on-costs, other costs, total, basis)."""
    from .tables import Table, fmt_gbp

    design = PracticeDesign() if design is None else design
    b = running_cost(design, salaries, overheads)
    total = b["total"].sum()
    frame = pd.DataFrame(
        {
            "Line": b["role"] + b["in_census_scope"].map({True: "", False: " \u2020"}),
            "FTE": b["fte"].map(lambda x: "" if pd.isna(x) else f"{x:.1f}"),
            "Salary per FTE": b["salary"].map(lambda x: "" if pd.isna(x) else fmt_gbp(x)),
            "On-costs per FTE": [fmt_gbp(x / f) if k == "staff" and f > 0 else ""
                                 for x, f, k in zip(b["on_costs"], b["fte"], b["kind"])],
            "Total a year": b["total"].map(fmt_gbp),
            "Share": (100 * b["total"] / total).map(lambda x: f"{x:.1f}%"),
            "Basis": b["item"].map(line_basis()),
        }
    )
    foot = pd.DataFrame([{"Line": "Total", "FTE": f"{design.staff_fte:.1f}", "Salary per FTE": "", "On-costs per FTE": "",
                          "Total a year": fmt_gbp(total), "Share": "100.0%",
                          "Basis": f"{fmt_gbp(total / design.caseload)} per child, {design.caseload} children"}])
    return Table(
        pd.concat([frame, foot], ignore_index=True),
        caption="The default practice's budget, £ a year (pay at the 2006 scale midpoint)",
        notes="\u2020 Lines the census averages leave out (the council's central functions). " + oncost_note(),
    )


# ---------------------------------------------------------------------------------------
# Key results
# ---------------------------------------------------------------------------------------


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


def pay_scenario_table() -> "Table":
    """:func:`pay_scenarios` as a page table, with staff transfer named as an uncounted cost."""
    from .tables import Table, fmt_gbp

    f = pay_scenarios()
    frame = pd.DataFrame({
        "Scenario": f["label"],
        "Running cost (a year)": f["running_cost"].map(lambda x: f"£{x / 1e3:,.0f}k"),
        "Per child": f["per_child"].map(fmt_gbp),
        "Change": f["change"].map(lambda x: "" if abs(x) < 0.5 else f"+£{x / 1e3:,.0f}k"),
    })
    return Table(frame, caption="Pay and pensions: labelled scenarios for the default practice",
                 notes="Every scenario is an assumption with a range in the assumptions log. Not counted: the cost of "
                       "transferring council staff with their existing terms and pension rights (TUPE), and the "
                       "one-off legal and personnel costs of the transfer.")


def key_results() -> "Table":
    """The chapter's key-results table (defaults, and the range over the static page's grid)."""
    from .tables import fmt_gbp, fmt_num, fmt_pct
    from .tables import key_results as table

    design = PracticeDesign()
    s = summary(design)
    grid = summary_grid()
    lo_run, hi_run = grid["running_cost"].min(), grid["running_cost"].max()
    lo_pc, hi_pc = grid["cost_per_child"].min(), grid["cost_per_child"].max()
    lo_share, hi_share = grid["share_of_child_cost"].min(), grid["share_of_child_cost"].max()
    cap = int(data.value("committee_evidence_2008", measure="caseload_cap"))
    margin = int(data.value("practice_design", parameter="caseload_margin"))
    n = design.caseload
    per_worker = {k: n / k for k in (GRID_FRONTLINE[0], GRID_FRONTLINE[-1])}
    k_def = round(1 / design.admin_ratio)

    scen = pay_scenarios().set_index("scenario").loc["all"]

    def thousand(x: float) -> str:
        return f"£{x / 1e3:,.0f}k"

    return table(
        [
            (f"Default practice: front-line staff, admin (1 to {k_def}), other staff (FTE)",
             f"{design.frontline}, {fmt_num(design.admin_fte, 1)}, "
             f"{fmt_num(design.staff_fte - design.frontline - design.admin_fte, 1)}; {fmt_num(design.staff_fte, 1)} in all",
             "Le Grand (2007) s.6.1.3", "manager, support, development officer and students"),
            (f"Children per front-line worker, {n} children, teams of {GRID_FRONTLINE[-1]} to {GRID_FRONTLINE[0]}",
             f"{fmt_num(per_worker[GRID_FRONTLINE[-1]], 1)} to {fmt_num(per_worker[GRID_FRONTLINE[0]], 1)}",
             "computed; caseload from the draft contract, Art. 4"),
            (f"Front-line workers needed to keep to {cap} children each, {n} (or {n + margin}) children",
             f"{workers_for_cap(n, cap)} ({workers_for_cap(n + margin, cap)})",
             "computed; cap of 10 from Committee evidence Q239"),
            ("Annual running cost, default practice (scale midpoint)", thousand(s["running_cost"]),
             "computed; pay from LAWIG 2006 via Community Care (2009)",
             "position on the pay scale; office and overhead costs"),
            ("Annual running cost, teams of 6-10, admin 1:4 to 1:6, pay at scale minimum to maximum",
             f"{thousand(lo_run)} to {thousand(hi_run)}", "computed", "office and overhead costs"),
            ("Running cost per child, default (range)", f"{fmt_gbp(s['cost_per_child'])} ({fmt_gbp(lo_pc)} to "
             f"{fmt_gbp(hi_pc)})", "computed", "position on the pay scale; office and overhead costs"),
            ("Pay and on-costs as a share of the running cost, default", fmt_pct(s["staff_share"]), "computed",
             "office and overhead costs"),
            ("Cost of a looked-after child's care, census average", fmt_gbp(s["child_cost"]),
             "Le Grand (2007) s.6.1.5"),
            ("Running cost per child as a share of that cost, default (range)",
             f"{fmt_pct(s['share_of_child_cost'], 1)} ({fmt_pct(lo_share, 1)} to {fmt_pct(hi_share, 1)})", "computed",
             "position on the pay scale"),
            ("of which overheads the census averages leave out, default",
             f"{fmt_gbp(s['out_of_scope'])} per child ({fmt_pct(s['out_of_scope_share'], 1)})",
             "computed; scope from s.6.1.5", "which lines the census counts (the book's reading); overheads"),
            ("Running cost with a 10% pay premium, partners' share of surplus and a new employer's pension rate",
             f"{thousand(scen['running_cost'])} (+{thousand(scen['change'])})", "computed",
             "pay premium, partners' share, pension rate (scenarios)"),
        ],
        caption="Key results: a practice of 6-10 front-line staff and 100 children, 2006 pay",
    )
