"""Who works in a practice and what they are paid: the inputs of chapter 4's budget.

* :class:`PracticeDesign` — who works in the practice and how many children it looks after.
* :class:`SalaryScale` — pay per full-time post and the employer's on-costs (National
  Insurance and pension). :func:`salary_scale` builds one from the sourced 2006 pay scales.
* :class:`Overheads` — the costs that are not pay: night-duty allowance, students, legal
  services, travel and training, premises and IT, insurance and central services.
* :func:`on_costs`, :func:`sourced_pay`, :func:`assumption` — the employer's on-costs, the
  sourced pay figures and the labelled assumptions.

Units: pay and costs in £ a year (per full-time-equivalent post where stated).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import assumptions, data
from ..problem import WEEKS_PER_YEAR as _WEEKS
from ..data import data_folder
from ..validation import check_in_range, check_integer, check_one_of

__all__ = [
    "NIGHTS_PER_YEAR",
    "WEEKS_PER_YEAR",
    "SALARY_LEVELS",
    "SALARY_LEVEL_LABELS",
    "STAFF_ROLES",
    "OTHER_ITEMS",
    "ROLE_LABELS",
    "IN_CENSUS_SCOPE",
    "PracticeDesign",
    "SalaryScale",
    "Overheads",
    "assumption",
    "assumption_values",
    "design_defaults",
    "pay_inputs",
    "salary_scale",
    "on_costs",
    "sourced_pay",
]

#: Weeks in a year, to turn the weekly National Insurance threshold into an annual one (the one constant,
#: :data:`swp_models.problem.WEEKS_PER_YEAR`).
WEEKS_PER_YEAR = _WEEKS


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


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one row of ``data/assumptions_practice.csv`` (e.g. ``"admin_pay_ratio"``).

    The defaults are read from ``data/`` once per Python session and then reused, so that the
    live explorer recomputes quickly; restart the kernel after editing a table.

    Parameters
    ----------
    parameter : str
        The ``parameter`` cell of the row.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    if not isinstance(parameter, str):
        raise TypeError(f"parameter must be a string; got {type(parameter).__name__} {parameter!r:.80}")
    return assumptions.value_in(_ASSUMPTIONS, parameter, data_dir=data_folder(data_dir))


@cached(maxsize=8)
def _assumptions(folder: Path | None = None) -> dict[str, float]:
    every = assumptions.table(folder)
    mine = every[every["table"] == _ASSUMPTIONS]
    return dict(zip(mine["parameter"], mine["value"].astype(float)))


def assumption_values(data_dir: str | Path | None = None) -> dict[str, float]:
    """Every row of ``data/assumptions_practice.csv``: ``{parameter: value}``, in the table's order and units.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    return dict(_assumptions(data_folder(data_dir)))


def design_defaults() -> dict[str, Any]:
    """The default design of :class:`PracticeDesign`, read from the data once a session.

    Returns
    -------
    dict
        ``frontline``, ``admin_ratio``, ``manager_fte``, ``support_fte``, ``pdo_fte``, ``students``,
        ``caseload`` and ``on_duty`` (staff on night duty), as :class:`PracticeDesign` takes them.
    """
    return dict(_design_defaults())


@cached(maxsize=1)
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


@cached(maxsize=8)
def _pay_inputs(folder: Path | None = None) -> dict[str, float]:
    pay = data.load("salaries", folder)
    england_2006 = pay[(pay["area"] == "England") & (pay["year"] == 2006)].set_index(["role", "measure"])["value"]
    oncost = data.load("employer_oncosts", folder).set_index("measure")["value"]
    return {
        "sw_min": float(england_2006[("social_worker", "average_scale_minimum")]),
        "sw_max": float(england_2006[("social_worker", "average_scale_maximum")]),
        "tl_min": float(england_2006[("team_leader", "average_scale_minimum")]),
        "tl_max": float(england_2006[("team_leader", "average_scale_maximum")]),
        "employer_ni_rate": float(oncost["employer_ni_rate"]) / 100.0,
        "ni_threshold": float(oncost["ni_secondary_threshold"]) * WEEKS_PER_YEAR,
        "pension_rate": float(oncost["lgps_employer_rate"]) / 100.0,
    }


def pay_inputs(data_dir: str | Path | None = None) -> dict[str, float]:
    """The sourced pay figures the salary scales are built from (England, 2006), £ a year or a fraction.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    dict
        ``sw_min``, ``sw_max``, ``tl_min`` and ``tl_max`` (social workers' and team leaders' average scale
        minimum and maximum), ``employer_ni_rate`` and ``pension_rate`` (fractions of pay) and
        ``ni_threshold`` (the employer's National Insurance threshold, £ a year).
    """
    return dict(_pay_inputs(data_folder(data_dir)))


def _default(key: str) -> Any:
    return functools.partial(lambda k: _design_defaults()[k], key)


def sourced_pay(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The pay figures the budget is built from, as the sources give them.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        Columns ``role``, ``area``, ``year``, ``measure``, ``value`` (£ a year), ``document``.
    """
    pay = data.load("salaries", data_folder(data_dir))
    return pay[["role", "area", "year", "measure", "value", "document"]].reset_index(drop=True)


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
    data_dir: str | Path | None = None,
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
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    SalaryScale
    """
    folder = data_folder(data_dir)
    p = _pay_inputs(folder)
    if isinstance(position, str):
        check_one_of("position", position, tuple(SALARY_LEVELS))
        position = SALARY_LEVELS[position]
    pos = check_in_range("position", assumption("scale_position", data_dir=folder) if position is None else position, 0.0, 1.0)
    mult = check_in_range("multiplier", multiplier, 0.0, 5.0, low_open=True)
    admin_r = check_in_range("admin_pay_ratio", assumption("admin_pay_ratio", data_dir=folder) if admin_pay_ratio is None
                             else admin_pay_ratio, 0.0, 5.0, low_open=True)
    support_r = check_in_range("support_pay_ratio", assumption("support_pay_ratio", data_dir=folder) if support_pay_ratio is None
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
    if not isinstance(scale, SalaryScale):
        raise TypeError(f"scale must be a SalaryScale; got {type(scale).__name__} {scale!r:.80}")
    if isinstance(salary, (bool, np.bool_, str, bytes)) or not isinstance(salary, (int, float, np.number, np.ndarray)):
        raise TypeError(f"salary must be a number or an array of numbers; got {type(salary).__name__} {salary!r:.80}")
    s = np.asarray(salary, dtype=float)
    if s.size == 0:
        raise ValueError("salary must hold at least one salary; got an empty array")
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"salary must be finite and >= 0; got {salary!r}")
    ni = scale.employer_ni_rate * np.maximum(0.0, s - scale.ni_threshold)
    pension = scale.pension_rate * s
    return ni, pension

