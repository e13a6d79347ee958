"""A council's own numbers: the take-away costing workbook (a spreadsheet with live formulas).

:func:`write_workbook` writes an ``.xlsx`` workbook generated from this package, never edited by hand:

* *Start here*: what it does, how to use it, the price year, the version and commit it came from;
* *Your council*: every input a council would change (:data:`INPUTS`), each with its unit, its allowed
  range (enforced by the sheet's data validation), the book's default and its source or "assumption";
* *Calculations*: one quantity a row, each a named cell with a live formula and its unit: continuity in
  closed form (chapter 2), the practice budget (chapter 4), the mean and spread of the children's cost
  (chapter 3), each contract's expected payment and the practice's surplus, risk premium and chance of
  failure in the normal approximation (chapter 5), and the pilot's minimum detectable difference
  (chapter 8);
* *Results*: one printable page of answers with native spreadsheet charts;
* *Sources* and *Assumptions*: the rows of ``data/`` the defaults come from.

Every default is read from ``data/`` through the package. :func:`package_values` computes every quantity of
the *Calculations* sheet with the package's own functions (:mod:`swp_models.continuity`,
:mod:`swp_models.practice`, :func:`swp_models.costs.total_cost_moments`,
:func:`swp_models.contracts.liability.surplus_moments`, :func:`~swp_models.contracts.liability.normal_failure`,
:func:`swp_models.evaluation.minimum_detectable_difference`), so a test can recalculate the workbook
(LibreOffice, headless) and compare it cell by cell. Where the workbook approximates (the normal
approximation for risk and failure), the *Results* sheet states how far it is from the simulated model
at the book's defaults (:func:`approximation_check`).

What it cannot do: simulate, give exact tails, price the threshold and reinsurance contracts (their
balanced baseline needs the whole distribution), or move £ to another price year (``data/`` holds no
price index): every £ is at the scenario's price year.

Units: £ at the scenario's price year (2005-06, cash); shares in [0, 1] (shown as per cent).
"""

from __future__ import annotations

import base64
import importlib.metadata
import inspect
import io
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from . import assumptions, continuity, costs, data, evaluation, practice
from .contracts import Outcome, liability
from .scenario import SCOPE_NAMES, Scenario
from .validation import check_flag, check_in_range, check_instance, check_one_of, check_text

__all__ = ["Input", "INPUTS", "FAMILIES", "SHEETS", "defaults", "check_inputs", "package_values",
           "approximation_check", "write_workbook", "workbook_bytes", "data_uri", "input_table", "results_cells"]

#: The contract families the workbook prices, as its menu shows them, with the package's name of each.
FAMILIES: dict[str, str] = {"Block": "block", "Capitation, flat rate": "capitation",
                            "Cost and volume": "cost_and_volume", "Outcome: fixed base + bonus": "outcome"}
#: The workbook's sheets, in order.
SHEETS: tuple[str, ...] = ("Start here", "Your council", "Calculations", "Results", "Sources", "Assumptions")
_ROOT = Path(__file__).resolve().parent.parent
_INPUT_SHEET, _CALC_SHEET, _RESULT_SHEET = SHEETS[1], SHEETS[2], SHEETS[3]


@dataclass(frozen=True)
class Input:
    """One input of the *Your council* sheet.

    Parameters
    ----------
    name : str
        The cell's name in the workbook (a named range) and the key of :func:`defaults`.
    label : str
        What the sheet calls it.
    unit : str
        Its unit ("share" values are shown as per cent).
    kind : str
        ``"number"``, ``"integer"`` or ``"list"``.
    low, high : float
        The allowed range (``"list"``: unused).
    section : str
        The heading it is listed under.
    options : tuple of str
        The choices of a ``"list"`` input.
    upper : str
        For a range whose top depends on another input: an expression of input names, e.g.
        ``"additional_needs_share"``; the sheet's validation checks it.
    """

    name: str
    label: str
    unit: str
    kind: str
    low: float = 0.0
    high: float = 0.0
    section: str = ""
    options: tuple[str, ...] = ()
    upper: str = ""

    def __post_init__(self) -> None:
        for name in ("name", "label"):
            check_text(name, getattr(self, name))
        for name in ("unit", "section", "upper"):
            check_text(name, getattr(self, name), allow_empty=True)
        check_one_of("kind", self.kind, ("number", "integer", "list"))
        object.__setattr__(self, "low", check_in_range("low", self.low, -1e12, 1e12))
        object.__setattr__(self, "high", check_in_range("high", self.high, self.low, 1e12))
        if not isinstance(self.options, tuple) or not all(isinstance(o, str) and o for o in self.options):
            raise TypeError(f"options must be a tuple of choices (non-empty strings); got {self.options!r:.80}")
        if (self.kind == "list") != bool(self.options):
            raise ValueError(f"options must be given for a list input, and only for one; got kind {self.kind!r} "
                             f"with options {self.options!r:.80}")


def _i(name: str, label: str, unit: str, low: float, high: float, section: str, kind: str = "number",
       upper: str = "") -> Input:
    return Input(name, label, unit, kind, float(low), float(high), section, (), upper)


_C, _W, _P, _K, _E = ("Children and their costs", "Social workers: the council now", "The practice",
                      "The contract", "The pilot and its evaluation")

#: Every input of the *Your council* sheet, in order.
INPUTS: tuple[Input, ...] = (
    _i("council_children", "Children in care in your council", "children", 1, 100_000, _C, "integer"),
    _i("additional_needs_share", "Share of children with additional needs (emotional, behavioural, offending "
       "or complex)", "share", 0, 1, _C),
    _i("complex_share", "Share of children with complex needs (part of the share above)", "share", 0, 1, _C,
       upper="additional_needs_share"),
    _i("cost_none", "Cost of care, child with no additional needs", "£ a child a year", 1_000, 1_000_000, _C),
    _i("cost_ebd", "Cost of care, child with emotional or behavioural needs or offending", "£ a child a year",
       1_000, 1_000_000, _C),
    _i("cost_complex", "Cost of care, child with complex needs", "£ a child a year", 1_000, 1_000_000, _C),
    _i("within_group_cv", "Spread of cost within a needs group (coefficient of variation)", "ratio", 0.05, 3, _C),
    _i("shock_cv", "Shared yearly cost shock (coefficient of variation; 0 = none)", "ratio", 0, 1, _C),
    _i("council_turnover", "Social worker turnover a year", "share", 0, 0.95, _W),
    _i("council_vacancy", "Vacant posts, covered by agency staff", "share", 0, 0.95, _W),
    _i("agency_stay_years", "Mean stay of an agency worker with a child", "years", 0.05, 10, _W),
    _i("council_handoffs", "Team hand-offs a child can have at the start of care (at most)", "hand-offs", 0, 10,
       _W, "integer"),
    _i("handoff_probability", "Chance that each of those hand-offs happens", "share", 0, 1, _W),
    _i("practice_turnover", "Practice social worker turnover a year", "share", 0, 0.95, _P),
    _i("practice_vacancy", "Practice posts vacant, covered by agency staff", "share", 0, 0.95, _P),
    _i("practice_children", "Children per practice (the caseload)", "children", 10, 2_000, _P, "integer"),
    _i("caseload_margin", "Caseload margin (plus or minus)", "children", 0, 1_000, _P, "integer",
       upper="practice_children-1"),
    _i("frontline", "Front-line social workers", "FTE", 1, 50, _P, "integer"),
    _i("admin_ratio", "Administrative staff per front-line worker", "FTE per FTE", 0, 1, _P),
    _i("manager_fte", "Practice manager", "FTE", 0, 5, _P),
    _i("support_fte", "Education and research support", "FTE", 0, 20, _P),
    _i("pdo_fte", "Officer for professional development", "FTE", 0, 5, _P),
    _i("students", "Social-work students on placement", "students", 0, 50, _P, "integer"),
    _i("on_duty", "Workers on night duty each night", "workers", 0, 50, _P, "integer", upper="frontline"),
    _i("scale_position", "Position on the pay scales (0 = minimum, 1 = maximum)", "ratio", 0, 1, _P),
    _i("pay_multiplier", "Pay multiplier on every salary (e.g. a London premium)", "ratio", 0.5, 3, _P),
    _i("admin_pay_ratio", "Administrative pay as a share of a social worker's", "ratio", 0.1, 2, _P),
    _i("support_pay_ratio", "Support staff pay as a share of a social worker's", "ratio", 0.1, 2, _P),
    _i("employer_ni_rate", "Employer's National Insurance rate", "share", 0, 0.5, _P),
    _i("ni_threshold", "Employer's National Insurance threshold", "£ a year", 0, 100_000, _P),
    _i("pension_rate", "Employer's pension contribution", "share", 0, 0.5, _P),
    _i("student_cost", "Net cost of a student placement", "£ a student a year", 0, 100_000, _P),
    _i("on_call_per_night", "Night-duty allowance, with on-costs", "£ a night", 0, 1_000, _P),
    _i("legal_services", "Legal services", "£ a year", 0, 1_000_000, _P),
    _i("direct_costs_per_fte", "Travel, training and telephones", "£ an FTE a year", 0, 100_000, _P),
    _i("premises_it_per_fte", "Premises and IT", "£ an FTE a year", 0, 100_000, _P),
    _i("fixed_overheads", "Insurance, audit, payroll, HR", "£ a year", 0, 5_000_000, _P),
    Input("scope", "What the practice pays for (scope)", "", "list", section=_K, options=tuple(SCOPE_NAMES.values())),
    _i("social_work_variable_cost", "Variable social-work cost of a child (social-work scope)", "£ a child a year",
       1, 100_000, _K),
    Input("contract_family", "Contract family shown on the Results sheet", "", "list", section=_K,
          options=tuple(FAMILIES)),
    _i("cost_share", "Practice's share of over- and underspend (cost and volume)", "share", 0, 1, _K),
    _i("outcome_bonus", "Bonus per child with the same worker all year (outcome-based)", "£ a child", 0, 50_000,
       _K),
    _i("outcome_base_probability", "Chance a practice child keeps one worker all year, without extra effort",
       "share", 0, 1, _K),
    _i("outcome_effort_gain", "Rise in that chance at full effort", "share", 0, 1, _K,
       upper="1-outcome_base_probability"),
    _i("outcome_effort", "The practice's effort on continuity (0 to 1)", "ratio", 0, 1, _K),
    _i("margin", "Margin every contract pays over the expected cost", "share", 0, 0.5, _K),
    _i("reserve_months", "Practice reserves, in months of its running cost", "months", 0, 120, _K),
    _i("term_years", "Contract term", "years", 1, 10, _K, "integer"),
    _i("risk_tolerance", "Practice's risk tolerance (CARA, 1/r)", "£", 1_000, 1_000_000_000, _K),
    _i("pilot_practices", "Pilot practices (each against a comparison team of the same size)", "practices",
       2, 1_000, _E, "integer"),
    _i("pilot_years", "Years each practice is observed (a new cohort each year)", "years", 1, 10, _E, "integer"),
    _i("icc", "Clustering of outcomes within a practice (ICC)", "ratio", 0, 0.99, _E),
    _i("pilot_alpha", "Significance level (two-sided)", "ratio", 0.001, 0.5, _E),
    _i("pilot_power", "Power", "ratio", 0.5, 0.99, _E),
    _i("three_plus_placements_share", "Children with three or more placements in a year (baseline)", "share",
       0.01, 0.99, _E),
)
_BY_NAME = {i.name: i for i in INPUTS}


# ---------------------------------------------------------------------------------------------
# Defaults and their sources, all from data/ through the package
# ---------------------------------------------------------------------------------------------


def _council_size() -> int:
    # Chapter 3's council: the second pool of its pooling comparison (a practice, a council, a large council).
    return int(inspect.signature(costs.pooling_table).parameters["sizes"].default[1])


def _origins() -> dict[str, tuple]:
    """Each input's origin: ``("assumption", name, factor)``, ``("data", table, dims, factor)`` or ``("package", words)``."""
    a = {n: ("assumption", n, 1.0) for n in (
        "additional_needs_share", "complex_share", "within_group_cv", "council_handoffs", "handoff_probability",
        "manager_fte", "support_fte", "pdo_fte", "students", "scale_position", "admin_pay_ratio", "support_pay_ratio",
        "student_cost", "on_call_per_night", "legal_services", "direct_costs_per_fte", "premises_it_per_fte",
        "fixed_overheads", "social_work_variable_cost", "cost_share", "outcome_bonus", "outcome_base_probability",
        "outcome_effort_gain", "outcome_effort", "reserve_months", "risk_tolerance", "icc")}
    a.update({
        "agency_stay_years": ("assumption", "agency_tenure_years", 1.0),
        "practice_turnover": ("assumption", "practice_turnover", 0.01),
        "practice_vacancy": ("assumption", "practice_vacancy", 0.01),
        "margin": ("assumption", "contract_margin", 1.0),
        "three_plus_placements_share": ("assumption", "three_plus_placements_share", 0.01),
        "pilot_alpha": ("assumption", "alpha", 1.0),
        "pilot_power": ("assumption", "power", 1.0),
        "term_years": ("assumption", "contract_term_years", 1.0),
        "council_turnover": ("data", "workforce_rates_2005", {"region": "England", "measure": "turnover_rate"}, 0.01),
        "council_vacancy": ("data", "workforce_rates_2005", {"region": "England", "measure": "vacancy_rate"}, 0.01),
        "cost_none": ("data", "cost_by_needs_2005", {"needs_group": "no_additional_needs"}, 1.0),
        "cost_ebd": ("data", "cost_by_needs_2005", {"needs_group": "ebd_or_offending"}, 1.0),
        "cost_complex": ("data", "cost_by_needs_2005", {"needs_group": "complex_needs"}, 1.0),
        "practice_children": ("data", "practice_design", {"parameter": "caseload_children"}, 1.0),
        "caseload_margin": ("data", "practice_design", {"parameter": "caseload_margin"}, 1.0),
        "admin_ratio": ("data", "practice_design", {"parameter": "admin_per_frontline"}, 1.0),
        "on_duty": ("data", "committee_evidence_2008", {"measure": "staff_on_duty"}, 1.0),
        "employer_ni_rate": ("data", "employer_oncosts", {"measure": "employer_ni_rate"}, 0.01),
        "pension_rate": ("data", "employer_oncosts", {"measure": "lgps_employer_rate"}, 0.01),
        "ni_threshold": ("data", "employer_oncosts", {"measure": "ni_secondary_threshold"},
                         float(practice.WEEKS_PER_YEAR)),
        "pilot_practices": ("data", evaluation.PILOTS_TABLE, {"measure": "pilots_total_report"}, 1.0),
        "pilot_years": ("data", evaluation.PILOTS_TABLE, {"measure": "pilot_length_min_report"}, 1.0),
        "frontline": ("package", "the middle of the report's 6-10 front-line staff (data/practice_design.csv, "
                                 "legrand2007 s.6.1.3)"),
        "council_children": ("package", "assumption: chapter 3's council of this many children (its pooling "
                                        "comparison)"),
        "shock_cv": ("package", "the central scenario: none (assumption shared_shock_cv when on)"),
        "pay_multiplier": ("package", "England's average pay (1); London's premium is about "
                                      f"{practice.london_premium():.2f} (data/salaries.csv)"),
        "scope": ("package", "the central scenario's scope (chapter 5)"),
        "contract_family": ("package", "chapter 5's first contract"),
    })
    return a


def defaults(*, data_dir: str | Path | None = None) -> dict[str, Any]:
    """The book's default of every input of :data:`INPUTS`, read from ``data/`` through the package.

    Returns
    -------
    dict
        ``{input name: value}``: numbers in the sheet's units (shares as fractions), the two menus as text.
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    scn = Scenario.central()
    design = practice.design_defaults()
    out: dict[str, Any] = {}
    for name, origin in _origins().items():
        if origin[0] == "assumption":
            out[name] = assumptions.value(origin[1], data_dir=data_dir) * origin[2]
        elif origin[0] == "data":
            out[name] = data.value(origin[1], **origin[2], data_dir=data_dir) * origin[3]
    out.update(frontline=design["frontline"], council_children=_council_size(), shock_cv=scn.shock_cv,
               pay_multiplier=1.0, scope=scn.scope_name, contract_family=next(iter(FAMILIES)),
               margin=scn.margin, term_years=scn.term_years, reserve_months=scn.reserve_months,
               risk_tolerance=scn.risk_tolerance, icc=scn.icc)
    for i in INPUTS:
        if i.kind == "integer":
            out[i.name] = int(round(out[i.name]))
        elif i.kind == "number":
            out[i.name] = float(out[i.name])
    return {i.name: out[i.name] for i in INPUTS}


def _source(name: str) -> str:
    origin = _origins()[name]
    if origin[0] == "package":
        return origin[1]
    if origin[0] == "assumption":
        table = assumptions.table_of(origin[1])
        rec = assumptions.record(origin[1])
        what = "assumption" if rec["status"] == "assumption" else f"{rec['document']}, {rec['location']}"
        return f"{what} ({origin[1]}, data/{table}.csv)"
    rec = data.row(origin[1], **origin[2])
    return f"{rec['document']}, {rec['location']} (data/{origin[1]}.csv)"


def input_table() -> pd.DataFrame:
    """Every input with its unit, allowed range, the book's default and its source: the *Your council* sheet.

    Returns
    -------
    pandas.DataFrame
        Columns ``section``, ``name``, ``label``, ``unit``, ``low``, ``high`` (NaN for a menu),
        ``default`` and ``source``.
    """
    d = defaults()
    rows = []
    for i in INPUTS:
        lo, hi = (math.nan, math.nan) if i.kind == "list" else (i.low, i.high)
        rows.append({"section": i.section, "name": i.name, "label": i.label, "unit": i.unit, "low": lo, "high": hi,
                     "default": d[i.name], "source": _source(i.name)})
    return pd.DataFrame(rows)


def check_inputs(values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every input, the book's defaults for those not given, each checked against its allowed range.

    Parameters
    ----------
    values : mapping, optional
        ``{input name: value}`` for any of :data:`INPUTS`; the rest take :func:`defaults`.

    Returns
    -------
    dict
        Every input by name.

    Raises
    ------
    ValueError
        Naming the input, the value and what is allowed: an unknown name, a value outside its range
        (or above the input it is bounded by), a fraction for a whole number, or a choice not on its menu.
    """
    given = {} if values is None else dict(check_instance("values", values, Mapping, "mapping of input name to value"))
    unknown = sorted(set(given) - set(_BY_NAME))
    if unknown:
        raise ValueError(f"values names {', '.join(map(repr, unknown))}, which are not workbook inputs; "
                         f"allowed: {', '.join(_BY_NAME)}")
    out = {**defaults(), **given}
    for i in INPUTS:
        v = out[i.name]
        if i.kind == "list":
            check_text(i.name, v)
            check_one_of(i.name, v, i.options)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
            raise ValueError(f"{i.name} must be a finite number from {i.low:g} to {i.high:g}; got {v!r:.80}")
        if i.kind == "integer":
            if float(v) != int(v):
                raise ValueError(f"{i.name} must be a whole number from {i.low:g} to {i.high:g}; got {v!r}")
            v = int(v)
        else:
            v = float(v)
        if not i.low <= v <= i.high:
            raise ValueError(f"{i.name} must be from {i.low:g} to {i.high:g} ({i.unit}); got {v!r}")
        out[i.name] = v
    for i in INPUTS:
        if i.upper:
            top = eval(i.upper, {"__builtins__": {}}, {k: out[k] for k in _BY_NAME})  # an expression of input names
            if out[i.name] > top + 1e-12:
                raise ValueError(f"{i.name} must be at most {i.upper} = {top:g}; got {out[i.name]!r}")
    return out


# ---------------------------------------------------------------------------------------------
# The calculations: each row a named cell, its formula, and the package's value of the same quantity
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    name: str
    label: str
    unit: str
    formula: str  # a formula of names, or a number (a constant)
    how: str
    kind: str = "money"


def _constants() -> dict[str, tuple[float, str, str]]:
    pay = practice.pay_inputs()
    src = "average of councils' scales, England 2006 (data/salaries.csv)"
    return {
        "sw_scale_min": (pay["sw_min"], "Social worker pay: scale minimum", src),
        "sw_scale_max": (pay["sw_max"], "Social worker pay: scale maximum", src),
        "tl_scale_min": (pay["tl_min"], "Team leader pay: scale minimum", src),
        "tl_scale_max": (pay["tl_max"], "Team leader pay: scale maximum", src),
        "nights_per_year": (float(practice.NIGHTS_PER_YEAR), "Nights a year of night duty",
                            "swp_models.practice.NIGHTS_PER_YEAR (Committee evidence, Q226)"),
        "barrier_shift": (liability.BARRIER_SHIFT, "Shift of the reserves for yearly looks, in sd",
                          "-zeta(1/2)/sqrt(2 pi) (swp_models.contracts.liability.BARRIER_SHIFT)"),
    }


_ROLES = (("frontline", "Front-line social workers", "frontline", "sw_salary"),
          ("manager", "Practice manager", "manager_fte", "tl_salary"),
          ("admin", "Reception and administration", "frontline*admin_ratio", "admin_salary"),
          ("support", "Education and research support", "support_fte", "support_salary"),
          ("pdo", "Professional-development officer", "pdo_fte", "tl_salary"))
_OTHER = (("students", "Social-work students", "students*student_cost"),
          ("on_call", "Night-duty allowance", "nights_per_year*on_duty*on_call_per_night"),
          ("direct", "Travel, training, telephones", "staff_fte*direct_costs_per_fte"),
          ("legal", "Legal services", "legal_services"),
          ("premises_it", "Premises and IT", "staff_fte*premises_it_per_fte"),
          ("fixed", "Insurance, audit, payroll, HR", "fixed_overheads"))
_SHORT = {"block": "Block", "capitation": "Capitation", "cost_and_volume": "Cost and volume", "outcome": "Outcome"}


def _fail_term(f: str) -> str:
    """The formula of :func:`swp_models.contracts.liability.normal_failure`'s ``p_fail_term`` for family prefix ``f``."""
    mu, sd = f"{f}_surplus_mean", f"{f}_surplus_sd"
    b = f"(reserves+barrier_shift*{sd})"
    root = f"({sd}*SQRT(term_years))"
    bgk = (f"NORMSDIST((-{b}-{mu}*term_years)/{root})"
           f"+EXP(MIN(-2*{mu}*{b}/{sd}^2,700))*NORMSDIST((-{b}+{mu}*term_years)/{root})")
    certain = f"IF(MIN(reserves+{mu},reserves+{mu}*term_years)<0,1,0)"
    return f"IF({sd}=0,{certain},IF(term_years=1,{f}_p_fail_year,MIN(1,MAX({f}_p_fail_year,{bgk}))))"


def _rows() -> list[tuple[str, list[_Row]]]:
    """The *Calculations* sheet: sections of rows, each a named quantity with its formula."""
    placements = SCOPE_NAMES["placements"]
    sections: list[tuple[str, list[_Row]]] = []
    sections.append(("Fixed figures (from data/, not inputs)", [
        _Row(k, label, "£ a year" if "pay" in label else "", repr(v), src, "money" if "pay" in label else "number")
        for k, (v, label, src) in _constants().items()]))
    cont = [
        _Row("council_hazard", "Council: changes of worker a year (turnover and agency cover)", "a child a year",
             "(1-council_vacancy)*-LN(1-council_turnover)+council_vacancy/agency_stay_years",
             "(1 - v) (-ln(1 - turnover)) + v / agency stay; continuity.hazard", "number"),
        _Row("council_p_same_first", "Council: chance of one worker all year, first year in care", "share",
             "IF(council_handoffs=0,1,(1-handoff_probability)^council_handoffs)*EXP(-council_hazard)",
             "P(no hand-off) exp(-hazard); continuity.p_same_worker(first_year=True)", "share"),
        _Row("council_p_same_later", "Council: chance of one worker all year, later in care", "share",
             "EXP(-council_hazard)", "exp(-hazard); continuity.p_same_worker(first_year=False)", "share"),
        _Row("council_workers_first", "Council: expected workers in the first year", "workers",
             "1+council_handoffs*handoff_probability+council_hazard",
             "1 + expected hand-offs + hazard; continuity.expected_workers(first_year=True)", "number"),
        _Row("council_workers_later", "Council: expected workers in a later year", "workers", "1+council_hazard",
             "1 + hazard; continuity.expected_workers(first_year=False)", "number"),
        _Row("practice_hazard", "Practice: changes of worker a year", "a child a year",
             "(1-practice_vacancy)*-LN(1-practice_turnover)+practice_vacancy/agency_stay_years",
             "as for the council, no hand-offs; continuity.hazard", "number"),
        _Row("practice_p_same", "Practice: chance of one worker all year", "share", "EXP(-practice_hazard)",
             "exp(-hazard); continuity.p_same_worker", "share"),
        _Row("practice_workers", "Practice: expected workers in a year", "workers", "1+practice_hazard",
             "continuity.expected_workers", "number"),
        _Row("continuity_gain", "Gain in the chance of one worker all year, practice over council (later in care)",
             "share", "practice_p_same-council_p_same_later", "difference of the two", "share"),
        _Row("children_one_worker_council", "Your children with one worker all year, as now (later in care)",
             "children", "council_children*council_p_same_later", "children x chance", "number"),
        _Row("children_one_worker_practices", "The same if every child were with a practice", "children",
             "council_children*practice_p_same", "children x chance", "number"),
    ]
    sections.append(("Continuity of social worker, closed form (chapter 2)", cont))
    budget = [
        _Row("sw_salary", "Social worker salary", "£ an FTE a year",
             "pay_multiplier*(sw_scale_min+scale_position*(sw_scale_max-sw_scale_min))", "practice.salary_scale"),
        _Row("tl_salary", "Manager and development officer salary (team-leader scale)", "£ an FTE a year",
             "pay_multiplier*(tl_scale_min+scale_position*(tl_scale_max-tl_scale_min))", "practice.salary_scale"),
        _Row("admin_salary", "Administrative salary", "£ an FTE a year", "admin_pay_ratio*sw_salary",
             "practice.salary_scale"),
        _Row("support_salary", "Support staff salary", "£ an FTE a year", "support_pay_ratio*sw_salary",
             "practice.salary_scale"),
    ]
    for key, label, fte, salary in _ROLES:
        budget += [
            _Row(f"fte_{key}", f"{label}: FTE", "FTE", fte, "practice.PracticeDesign", "number"),
            _Row(f"{key}_line", f"{label}: pay and on-costs", "£ a year",
                 f"fte_{key}*({salary}+employer_ni_rate*MAX(0,{salary}-ni_threshold)+pension_rate*{salary})",
                 "FTE x (salary + NI above the threshold + pension); practice.running_cost"),
        ]
    budget.append(_Row("staff_fte", "Salaried staff", "FTE", "+".join(f"fte_{k}" for k, *_ in _ROLES),
                       "practice.PracticeDesign.staff_fte", "number"))
    budget += [_Row(f"{key}_line", label, "£ a year", formula, "practice.running_cost") for key, label, formula in _OTHER]
    budget += [
        _Row("running_cost", "Practice running cost", "£ a year",
             "+".join(f"{k}_line" for k, *_ in (*_ROLES, *_OTHER)), "sum of the lines; practice.summary"),
        _Row("running_cost_per_child", "Running cost per child", "£ a child a year", "running_cost/practice_children",
             "practice.summary"),
        _Row("caseload_per_worker", "Children per front-line worker", "children", "practice_children/frontline",
             "practice.summary", "number"),
    ]
    sections.append(("The practice budget (chapter 4)", budget))
    cost = [
        _Row("share_none", "Share of children with no additional needs", "share", "1-additional_needs_share",
             "costs.prevalence_shares", "share"),
        _Row("share_ebd", "Share with emotional or behavioural needs or offending", "share",
             "additional_needs_share-complex_share", "costs.prevalence_shares", "share"),
        _Row("share_complex", "Share with complex needs", "share", "complex_share", "costs.prevalence_shares", "share"),
        _Row("child_mean", "Mean cost of a child", "£ a child a year",
             "share_none*cost_none+share_ebd*cost_ebd+share_complex*cost_complex", "sum of share x mean; CostModel.mean"),
        _Row("child_sd", "Spread of a child's cost (sd)", "£ a child a year",
             "SQRT((share_none*cost_none^2+share_ebd*cost_ebd^2+share_complex*cost_complex^2)*(1+within_group_cv^2)"
             "-child_mean^2)", "second moment sum of share x mean^2 (1 + cv^2); CostModel.std"),
        _Row("caseload_variance", "Variance of the caseload (uniform within the margin)", "children squared",
             "caseload_margin*(caseload_margin+1)/3", "costs.Caseload.variance", "number"),
        _Row("practice_children_cost", "Practice's children: expected cost of care", "£ a year",
             "practice_children*child_mean", "E[N] mean(c); costs.total_cost_moments"),
        _Row("practice_children_cost_sd", "... its spread (sd)", "£ a year",
             "SQRT((1+shock_cv^2)*(practice_children*child_sd^2+caseload_variance*child_mean^2)"
             "+shock_cv^2*practice_children_cost^2)",
             "(1 + v)(E[N] var(c) + Var(N) mean(c)^2) + v E^2; costs.total_cost_moments"),
        _Row("council_children_cost", "Your children: expected cost of care", "£ a year",
             "council_children*child_mean", "costs.total_cost_moments (fixed number)"),
        _Row("council_children_cost_sd", "... its spread (sd)", "£ a year",
             "SQRT((1+shock_cv^2)*council_children*child_sd^2+shock_cv^2*council_children_cost^2)",
             "costs.total_cost_moments (fixed number)"),
        _Row("practice_relative_spread", "Practice: spread of the average cost per child (sd / mean)", "share",
             "SQRT((1+shock_cv^2)*(child_sd/child_mean)^2/practice_children+shock_cv^2)", "costs.relative_spread",
             "share"),
        _Row("council_relative_spread", "Council: spread of the average cost per child (sd / mean)", "share",
             "SQRT((1+shock_cv^2)*(child_sd/child_mean)^2/council_children+shock_cv^2)", "costs.relative_spread",
             "share"),
    ]
    sections.append(("What the children cost: mean and spread (chapter 3, moments)", cost))
    scope = [
        _Row("placements_in_scope", "Placements in the practice's scope (1 = yes)", "",
             f'IF(scope="{placements}",1,0)', "the scope menu", "number"),
        _Row("cost_factor", "Factor on each child's cost of care", "ratio",
             "IF(placements_in_scope=1,1,social_work_variable_cost/child_mean)", "Scope.cost_factor", "number"),
        _Row("staff_per_child", "Staff cost per child inside the cost of care", "£ a child a year",
             "IF(placements_in_scope=1,running_cost_per_child,0)", "Scope.staff_per_child (placements only)"),
        _Row("marginal_cost", "Cost to the practice of one more child", "£ a child a year",
             "cost_factor*child_mean-staff_per_child", "Scope.marginal_cost"),
        _Row("own_cost_mean", "Practice's own cost: expected", "£ a year",
             "running_cost+cost_factor*practice_children_cost-staff_per_child*practice_children",
             "F + f E[U] - d E[N]; Scope.cost_moments"),
        _Row("own_cost_sd", "Practice's own cost: spread (sd)", "£ a year",
             "SQRT(MAX(0,cost_factor^2*practice_children_cost_sd^2+staff_per_child^2*caseload_variance"
             "-2*cost_factor*staff_per_child*child_mean*caseload_variance))",
             "f^2 Var(U) + d^2 Var(N) - 2 f d mean(c) Var(N); Scope.cost_moments"),
        _Row("reserves", "Practice reserves", "£", "reserve_months/12*running_cost",
             "liability.reserves_from_months"),
        _Row("outcome_probability", "Chance of the outcome (same worker all year) at the practice's effort", "share",
             "MIN(1,outcome_base_probability+outcome_effort_gain*outcome_effort)", "contracts.Outcome.probability",
             "share"),
        _Row("capitation_rate", "Capitation rate", "£ a child a year",
             "(1+margin)*(marginal_cost+running_cost/practice_children)", "(1 + m) Scope.flat_rate"),
    ]
    sections.append(("What the practice pays for (chapter 5)", scope))
    variance = {
        "block": "own_cost_sd^2",
        "capitation": "capitation_rate^2*caseload_variance+own_cost_sd^2-2*capitation_rate*marginal_cost*caseload_variance",
        "cost_and_volume": "cost_share^2*own_cost_sd^2",
        "outcome": ("own_cost_sd^2+outcome_bonus^2*(practice_children*outcome_probability*(1-outcome_probability)"
                    "+outcome_probability^2*caseload_variance)"
                    "-2*outcome_bonus*outcome_probability*marginal_cost*caseload_variance"),
    }
    payment = {"block": "(1+margin)*own_cost_mean", "capitation": "capitation_rate*practice_children",
               "cost_and_volume": "(1+margin)*own_cost_mean",
               "outcome": "(1+margin)*own_cost_mean+outcome_bonus*outcome_probability*practice_children"}
    contract_rows = []
    for fam in liability.NORMAL_FAMILIES:
        f, short = fam, _SHORT[fam]
        contract_rows += [
            _Row(f"{f}_payment", f"{short}: council's expected payment", "£ a year", payment[fam],
                 "liability.surplus_moments"),
            _Row(f"{f}_surplus_mean", f"{short}: practice's expected surplus", "£ a year",
                 f"{f}_payment-own_cost_mean", "liability.surplus_moments"),
            _Row(f"{f}_surplus_sd", f"{short}: spread of the surplus (sd)", "£ a year",
                 f"SQRT(MAX(0,{variance[fam]}))", "liability.surplus_moments"),
            _Row(f"{f}_risk_premium", f"{short}: risk premium (normal approximation)", "£ a year",
                 f"{f}_surplus_sd^2/(2*risk_tolerance)", "r Var / 2; liability.normal_risk_premium"),
            _Row(f"{f}_p_loss", f"{short}: chance of a loss in a year", "share",
                 f"IF({f}_surplus_sd=0,IF({f}_surplus_mean<0,1,0),NORMSDIST(-{f}_surplus_mean/{f}_surplus_sd))",
                 "Phi(-mean / sd); liability.normal_failure", "share"),
            _Row(f"{f}_p_fail_year", f"{short}: chance a year's loss exceeds the reserves", "share",
                 f"IF({f}_surplus_sd=0,IF({f}_surplus_mean<-reserves,1,0),"
                 f"NORMSDIST((-reserves-{f}_surplus_mean)/{f}_surplus_sd))",
                 "Phi((-R - mean) / sd); liability.normal_failure", "share"),
            _Row(f"{f}_p_fail_term", f"{short}: chance of failure over the term", "share", _fail_term(f),
                 "Brownian crossing with the barrier moved by 0.5826 sd; liability.normal_failure", "share"),
        ]
    sections.append(("Each contract: payment, surplus, risk and failure (chapter 5, normal approximation)",
                     contract_rows))
    keys = ("payment", "surplus_mean", "surplus_sd", "risk_premium", "p_loss", "p_fail_year", "p_fail_term")
    match = "MATCH(contract_family,family_list,0)"
    chosen = [_Row(f"chosen_{k}", f"Chosen contract: {k.replace('_', ' ')}", "share" if k.startswith("p_") else "£ a year",
                   f"CHOOSE({match},{','.join(f'{fam}_{k}' for fam in liability.NORMAL_FAMILIES)})",
                   "the contract family chosen on Your council", "share" if k.startswith("p_") else "money")
              for k in keys]
    chosen += [
        _Row("practices_needed", "Practices for all your children", "practices", "council_children/practice_children",
             "children / children per practice", "number"),
        _Row("council_spend", "Council's expected payment for all your children in practices", "£ a year",
             "practices_needed*chosen_payment", "practices x expected payment"),
    ]
    sections.append(("The chosen contract and your council", chosen))
    pilot = [
        _Row("pilot_child_years", "Child-years per practice", "child-years", "practice_children*pilot_years",
             "evaluation.arm_variance_factor", "number"),
        _Row("arm_variance_factor", "Variance factor of an arm's share", "per p(1-p)",
             "(1+(pilot_child_years-1)*icc)/(pilot_practices*pilot_child_years)",
             "(1 + (m - 1) ICC) / (k m); evaluation.arm_variance_factor", "number"),
        _Row("z_total", "z for the significance level plus z for the power", "",
             "NORMSINV(1-pilot_alpha/2)+NORMSINV(pilot_power)", "normal quantiles", "number"),
        _Row("mdd_same_worker", "Smallest detectable rise in one worker all year (council baseline, later in care)",
             "share",
             "IF(AND(council_p_same_later>0,council_p_same_later<1,"
             "z_total*SQRT(council_p_same_later*(1-council_p_same_later)*2*arm_variance_factor)"
             "<=1-council_p_same_later),"
             "z_total*SQRT(council_p_same_later*(1-council_p_same_later)*2*arm_variance_factor),NA())",
             "evaluation.minimum_detectable_difference(method='approximate'); #N/A if beyond 100%", "share"),
        _Row("mdd_placements", "Smallest detectable fall in three or more placements a year", "share",
             "IF(z_total*SQRT(three_plus_placements_share*(1-three_plus_placements_share)*2*arm_variance_factor)"
             "<=three_plus_placements_share,"
             "z_total*SQRT(three_plus_placements_share*(1-three_plus_placements_share)*2*arm_variance_factor),NA())",
             "evaluation.minimum_detectable_difference(method='approximate', direction='decrease')", "share"),
    ]
    sections.append(("What a pilot could detect (chapter 8, closed form)", pilot))
    return sections


def _cost_model(v: Mapping[str, Any]) -> costs.CostModel:
    shares = costs.prevalence_shares(v["additional_needs_share"], v["complex_share"])
    return costs.CostModel(groups=costs.NEEDS_GROUPS, means=(v["cost_none"], v["cost_ebd"], v["cost_complex"]),
                           shares=tuple(shares[g] for g in costs.NEEDS_GROUPS), cv=v["within_group_cv"],
                           shock_cv=v["shock_cv"])


def package_values(values: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Every quantity of the *Calculations* sheet, computed by the package's own functions.

    Parameters
    ----------
    values : mapping, optional
        Inputs, as :func:`check_inputs` takes them (defaults for the rest).

    Returns
    -------
    dict
        ``{cell name: value}`` for every named cell of the *Calculations* sheet; NaN where the workbook
        shows ``#N/A`` (a minimum detectable difference beyond what the baseline allows).
    """
    v = check_inputs(values)
    out: dict[str, float] = {k: c[0] for k, c in _constants().items()}
    council = continuity.ContinuityScenario(turnover=v["council_turnover"], vacancy=v["council_vacancy"],
                                            agency_tenure_years=v["agency_stay_years"], handoffs=v["council_handoffs"],
                                            handoff_probability=v["handoff_probability"])
    prac = continuity.ContinuityScenario(turnover=v["practice_turnover"], vacancy=v["practice_vacancy"],
                                         agency_tenure_years=v["agency_stay_years"])
    out.update(
        council_hazard=continuity.hazard(council),
        council_p_same_first=continuity.p_same_worker(council, 1.0, True),
        council_p_same_later=continuity.p_same_worker(council, 1.0, False),
        council_workers_first=continuity.expected_workers(council, 1.0, True),
        council_workers_later=continuity.expected_workers(council, 1.0, False),
        practice_hazard=continuity.hazard(prac), practice_p_same=continuity.p_same_worker(prac, 1.0, False),
        practice_workers=continuity.expected_workers(prac, 1.0, False))
    out["continuity_gain"] = out["practice_p_same"] - out["council_p_same_later"]
    out["children_one_worker_council"] = v["council_children"] * out["council_p_same_later"]
    out["children_one_worker_practices"] = v["council_children"] * out["practice_p_same"]
    design = practice.PracticeDesign(frontline=v["frontline"], admin_ratio=v["admin_ratio"],
                                     manager_fte=v["manager_fte"], support_fte=v["support_fte"], pdo_fte=v["pdo_fte"],
                                     students=v["students"], caseload=v["practice_children"], on_duty=v["on_duty"])
    scale = practice.salary_scale(v["scale_position"], v["pay_multiplier"], admin_pay_ratio=v["admin_pay_ratio"],
                                  support_pay_ratio=v["support_pay_ratio"], employer_ni_rate=v["employer_ni_rate"],
                                  ni_threshold=v["ni_threshold"], pension_rate=v["pension_rate"])
    overheads = practice.Overheads(**{k: v[k] for k in ("student_cost", "on_call_per_night", "legal_services",
                                                        "direct_costs_per_fte", "premises_it_per_fte",
                                                        "fixed_overheads")})
    lines = practice.running_cost(design, scale, overheads).set_index("item")
    summary = practice.summary(design, scale, overheads)
    out.update(sw_salary=scale.social_worker, tl_salary=scale.manager, admin_salary=scale.admin,
               support_salary=scale.support, staff_fte=design.staff_fte, running_cost=summary["running_cost"],
               running_cost_per_child=summary["cost_per_child"], caseload_per_worker=summary["caseload_per_worker"])
    for key, *_ in _ROLES:
        out[f"fte_{key}"] = float(lines.loc[key, "fte"])
    for key in (*(r[0] for r in _ROLES), *(o[0] for o in _OTHER)):
        out[f"{key}_line"] = float(lines.loc[key, "total"])
    model = _cost_model(v)
    load = costs.Caseload(mean=v["practice_children"], margin=v["caseload_margin"])
    shares = costs.prevalence_shares(v["additional_needs_share"], v["complex_share"])
    pm, cm = costs.total_cost_moments(model, load), costs.total_cost_moments(model, v["council_children"])
    out.update(share_none=shares[costs.NEEDS_GROUPS[0]], share_ebd=shares[costs.NEEDS_GROUPS[1]],
               share_complex=shares[costs.NEEDS_GROUPS[2]], child_mean=model.mean, child_sd=model.std,
               caseload_variance=load.variance, practice_children_cost=pm.mean, practice_children_cost_sd=pm.std,
               council_children_cost=cm.mean, council_children_cost_sd=cm.std,
               practice_relative_spread=costs.relative_spread(model, v["practice_children"]),
               council_relative_spread=costs.relative_spread(model, v["council_children"]))
    scope_key = next(k for k, w in SCOPE_NAMES.items() if w == v["scope"])
    placements = scope_key == "placements"
    scope = liability.Scope(scope_key, fixed_cost=summary["running_cost"],
                            staff_per_child=summary["cost_per_child"],
                            variable_per_child=v["social_work_variable_cost"])
    own = scope.cost_moments(model, load)
    reserves = liability.reserves_from_months(v["reserve_months"], summary["running_cost"])
    p = Outcome(v["outcome_base_probability"], v["outcome_effort_gain"], v["outcome_effort"]).probability
    out.update(placements_in_scope=float(placements), cost_factor=scope.cost_factor(model),
               staff_per_child=summary["cost_per_child"] if placements else 0.0,
               marginal_cost=scope.marginal_cost(model), own_cost_mean=own.mean, own_cost_sd=own.std,
               reserves=reserves, outcome_probability=p,
               capitation_rate=(1 + v["margin"]) * scope.flat_rate(model, load))
    for fam in liability.NORMAL_FAMILIES:
        sm = liability.surplus_moments(fam, scope, model, load, margin=v["margin"], share=v["cost_share"],
                                       bonus=v["outcome_bonus"], outcome_probability=p)
        nf = liability.normal_failure(sm.mean, sm.sd, reserves, v["term_years"])
        out.update({f"{fam}_payment": sm.expected_payment, f"{fam}_surplus_mean": sm.mean,
                    f"{fam}_surplus_sd": sm.sd,
                    f"{fam}_risk_premium": liability.normal_risk_premium(sm.variance, v["risk_tolerance"]),
                    f"{fam}_p_loss": nf.p_loss, f"{fam}_p_fail_year": nf.p_fail_year,
                    f"{fam}_p_fail_term": nf.p_fail_term})
    fam = FAMILIES[v["contract_family"]]
    for k in ("payment", "surplus_mean", "surplus_sd", "risk_premium", "p_loss", "p_fail_year", "p_fail_term"):
        out[f"chosen_{k}"] = out[f"{fam}_{k}"]
    out["practices_needed"] = v["council_children"] / v["practice_children"]
    out["council_spend"] = out["practices_needed"] * out["chosen_payment"]
    pilot = evaluation.PilotDesign(practices=v["pilot_practices"], children_per_practice=v["practice_children"],
                                   years=v["pilot_years"], icc=v["icc"], alpha=v["pilot_alpha"])
    m = v["practice_children"] * v["pilot_years"]
    out["pilot_child_years"] = float(m)
    out["arm_variance_factor"] = evaluation.arm_variance_factor([v["practice_children"]] * v["pilot_practices"],
                                                                v["icc"], v["pilot_years"])
    from scipy import stats

    out["z_total"] = float(stats.norm.isf(v["pilot_alpha"] / 2) + stats.norm.ppf(v["pilot_power"]))
    out["mdd_same_worker"] = evaluation.minimum_detectable_difference(
        out["council_p_same_later"], pilot, v["pilot_power"], method="approximate") \
        if 0 < out["council_p_same_later"] < 1 else math.nan
    out["mdd_placements"] = evaluation.minimum_detectable_difference(
        v["three_plus_placements_share"], pilot, v["pilot_power"], direction="decrease", method="approximate")
    return {k: float(x) for k, x in out.items()}


# ---------------------------------------------------------------------------------------------
# The approximation against the simulated model, at the book's defaults
# ---------------------------------------------------------------------------------------------

_CHECK_YEARS = 20_000


@assumptions.cached(maxsize=2)
def approximation_check() -> pd.DataFrame:
    """The workbook's normal approximation against the simulated model, at the book's defaults, both scopes.

    The simulated figures are the pricing engine's (:func:`swp_models.engine.table`) on the first
    20,000 practice-years of a sample drawn with the book's seed; the approximations are
    :func:`~swp_models.contracts.liability.normal_failure` and
    :func:`~swp_models.contracts.liability.normal_risk_premium` on the exact moments.

    Returns
    -------
    pandas.DataFrame
        One row per scope, contract and measure: ``scope``, ``contract``, ``measure``, ``workbook``
        (the approximation), ``simulated`` and ``difference``.
    """
    from . import engine

    rows = []
    for scope_key, scope_name in SCOPE_NAMES.items():
        scn = Scenario.central(scope=scope_key).replace(n_years=_CHECK_YEARS)
        table = engine.table(scn).set_index("contract")
        cv_name = next(n for n in table.index if n.startswith("Cost and volume"))
        v = package_values({"scope": scope_name})
        for fam, name in (("block", "Block"), ("capitation", "Capitation, flat rate"), ("cost_and_volume", cv_name)):
            row = table.loc[name]
            for measure, mine, sim in (
                    ("spread of the surplus (sd), £", v[f"{fam}_surplus_sd"], row["practice_sd_surplus"]),
                    ("risk premium, £", v[f"{fam}_risk_premium"], row["risk_premium_exact"]),
                    ("chance of a loss in a year", v[f"{fam}_p_loss"], row["practice_p_loss"]),
                    ("chance of failure in a year", v[f"{fam}_p_fail_year"], row["p_fail_year"]),
                    ("chance of failure over the term", v[f"{fam}_p_fail_term"], row["p_fail_term"])):
                rows.append({"scope": scope_name, "contract": _SHORT[fam], "measure": measure,
                             "workbook": float(mine), "simulated": float(sim), "difference": float(mine - sim)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Writing the workbook
# ---------------------------------------------------------------------------------------------


def _version() -> tuple[str, str]:
    try:
        version = importlib.metadata.version("swp_models")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=_ROOT, capture_output=True, text=True,
                              timeout=10)
        commit = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return version, commit or "not from a git checkout"


def _formats(wb: Any) -> dict[str, Any]:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    f = {
        "text": wb.add_format({**base, "text_wrap": True}),
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "head": wb.add_format({**base, "bold": True, "bottom": 1, "text_wrap": True, "bg_color": "#E8EEF4"}),
        "section": wb.add_format({**base, "bold": True, "font_size": 11, "font_color": "#1F4E79"}),
        "note": wb.add_format({**base, "italic": True, "font_color": "#555555", "text_wrap": True}),
    }
    nums = {"money": "£#,##0", "share": "0.0%", "number": "#,##0.000", "integer": "#,##0", "text": "@"}
    for k, fmt in nums.items():
        f[k] = wb.add_format({**base, "num_format": fmt})
        f["in_" + k] = wb.add_format({**base, "num_format": fmt, "locked": False, "bg_color": "#FFF2CC",
                                      "border": 1, "border_color": "#BF9000"})
    return f


def _input_format(i: Input) -> str:
    if i.kind == "list":
        return "text"
    if i.kind == "integer":
        return "integer"
    if i.unit == "share":
        return "share"
    return "money" if i.unit.startswith("£") else "number"


def _validation(i: Input, cell: str) -> dict[str, Any]:
    if i.kind == "list":
        return {"validate": "list", "source": list(i.options), "error_type": "stop", "error_title": "Not a choice",
                "error_message": f"{i.label}: choose one of the menu's entries."}
    word = "a whole number" if i.kind == "integer" else "a number"
    if i.upper:
        rule = (f"=AND(ISNUMBER({cell}),{cell}>={i.low!r},{cell}<={i.high!r},{cell}<={i.upper}"
                + (f",INT({cell})={cell})" if i.kind == "integer" else ")"))
        message = f"{i.label}: {word} from {i.low:g} to {i.high:g}, and at most {i.upper}."
        return {"validate": "custom", "value": rule, "error_type": "stop", "error_title": "Out of range",
                "error_message": message[:255], "ignore_blank": False}
    return {"validate": "integer" if i.kind == "integer" else "decimal", "criteria": "between",
            "minimum": i.low, "maximum": i.high, "error_type": "stop", "error_title": "Out of range",
            "error_message": f"{i.label}: {word} from {i.low:g} to {i.high:g} ({i.unit})."[:255],
            "ignore_blank": False}


def _shown(i: Input, x: Any) -> str:
    if i.kind == "list":
        return str(x)
    if i.unit == "share":
        return f"{100 * x:g}%"
    return f"{x:,.0f}" if i.unit.startswith("£") else f"{x:g}"


def _start_sheet(ws: Any, f: dict[str, Any], scn: Scenario) -> None:
    version, commit = _version()
    ws.set_column(0, 0, 110)
    lines = [
        ("title", "Social Work Practices: a council's own numbers"),
        ("text", "A costing workbook for a social work practice: a small practice of social workers that contracts "
                 "with a council to look after children in care (Le Grand, Consistent Care Matters, 2007). It is "
                 "generated from the book's Python package, swp_models, and checked against it: a test "
                 "recalculates it in LibreOffice and compares every calculated cell with the package."),
        ("section", "How to use it"),
        ("text", "1. Go to 'Your council'. Type your own figures into the yellow cells; every other cell is "
                 "protected (Review > Unprotect sheet, no password, if you want to change the layout). Each input "
                 "shows its unit, its allowed range, the book's default and where that default comes from. "
                 "A value outside the allowed range is refused."),
        ("text", "2. Read the answers on 'Results' (one printable page with charts). 'Calculations' shows every "
                 "step, one quantity a row, each a named cell (Formulas > Name Manager) with its formula and unit."),
        ("text", "3. 'Sources' and 'Assumptions' list the rows of the book's data/ folder the defaults come from. "
                 "An 'assumption' is a figure no source gives."),
        ("section", "Prices"),
        ("text", f"Every £ is at {scn.price_year} prices (cash), the price year of the cost data. The workbook holds "
                 "no price index: enter your own figures at those prices, or enter every £ in one year of your "
                 "own and read every £ result in that year (the National Insurance threshold too)."),
        ("section", "What it does, and what it cannot"),
        ("text", "It computes in closed form: how often a child's social worker changes (chapter 2), the practice "
                 "budget (chapter 4), the mean and spread of the children's cost (chapter 3), each contract's "
                 "expected payment and the spread of the practice's surplus (chapter 5), and the smallest "
                 "difference a pilot could detect (chapter 8)."),
        ("text", "It does not simulate. Risk premiums and chances of failure use the normal approximation; the book "
                 "simulates the whole distribution, whose tails are heavier. The foot of 'Results' shows how far "
                 "the approximation is from the simulated model at the book's defaults. It does not price the "
                 "threshold or reinsurance contracts, the outcome contracts of chapter 6, or an options appraisal."),
        ("section", "Where it came from"),
        ("text", f"swp_models version {version}, commit {commit}. Made by: python -m swp_models workbook OUT.xlsx. "
                 "Do not edit it by hand to keep: regenerate it from the package instead."),
        ("text", "Text: CC BY 4.0; code: MIT."),
    ]
    for r, (kind, text) in enumerate(lines):
        ws.write(r, 0, text, f[kind])
    ws.protect()


def _input_sheet(wb: Any, ws: Any, f: dict[str, Any], values: Mapping[str, Any], table: pd.DataFrame) -> None:
    ws.set_column(0, 0, 62)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 5, 13)
    ws.set_column(6, 6, 80)
    ws.write(0, 0, "Your council: put your own figures in the yellow cells", f["title"])
    ws.write(1, 0, "Every £ at 2005-06 prices (cash). A value outside the allowed range is refused.", f["note"])
    head = ("Input", "Your value", "Unit", "Allowed from", "Allowed to", "Book's default", "Source of the default")
    for c, h in enumerate(head):
        ws.write(3, c, h, f["head"])
    row, section = 4, None
    by_name = table.set_index("name")
    for i in INPUTS:
        if i.section != section:
            section = i.section
            row += 1
            ws.write(row, 0, section, f["section"])
            row += 1
        kind = _input_format(i)
        ws.write(row, 0, i.label, f["text"])
        value = values[i.name]
        (ws.write_string if i.kind == "list" else ws.write_number)(row, 1, value, f["in_" + kind])
        ws.write(row, 2, i.unit, f["text"])
        if i.kind == "list":
            ws.write(row, 3, "a menu", f["text"])
            ws.write(row, 4, "", f["text"])
        else:
            ws.write_number(row, 3, i.low, f[kind])
            if i.upper:
                ws.write(row, 4, f"{i.high:g}, and at most {i.upper}", f["text"])
            else:
                ws.write_number(row, 4, i.high, f[kind])
        ws.write(row, 5, _shown(i, by_name.loc[i.name, "default"]), f["text"])
        ws.write(row, 6, by_name.loc[i.name, "source"], f["text"])
        cell = f"$B${row + 1}"
        wb.define_name(i.name, f"='{_INPUT_SHEET}'!{cell}")
        ws.data_validation(row, 1, row, 1, _validation(i, f"B{row + 1}"))
        row += 1
    ws.freeze_panes(4, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    ws.protect()


def _calc_sheet(wb: Any, ws: Any, f: dict[str, Any], cached: Mapping[str, float]) -> dict[str, int]:
    ws.set_column(0, 0, 70)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 18)
    ws.set_column(3, 3, 34)
    ws.set_column(4, 4, 90)
    ws.write(0, 0, "Calculations: every step, one quantity a row (each value is a named cell)", f["title"])
    ws.write(1, 0, "Units in column C; £ at 2005-06 prices. Columns D and E give the cell's name and what it "
                   "computes, with the package function that computes the same.", f["note"])
    for c, h in enumerate(("Quantity", "Value", "Unit", "Name", "How")):
        ws.write(3, c, h, f["head"])
    rows: dict[str, int] = {}
    row = 4
    # The contract menu's entries, for MATCH.
    row += 1
    ws.write(row, 0, "Contract families, as the menu names them", f["section"])
    row += 1
    first = row
    for label in FAMILIES:
        ws.write_string(row, 1, label, f["text"])
        row += 1
    wb.define_name("family_list", f"='{_CALC_SHEET}'!$B${first + 1}:$B${row}")
    for title, section in _rows():
        row += 1
        ws.write(row, 0, title, f["section"])
        row += 1
        for r in section:
            ws.write(row, 0, r.label, f["text"])
            try:
                number = float(r.formula)
            except ValueError:
                number = None
            if number is not None:
                ws.write_number(row, 1, number, f[r.kind])
            else:
                ws.write_formula(row, 1, "=" + r.formula, f[r.kind], _cached(cached, r.name))
            ws.write(row, 2, r.unit, f["text"])
            ws.write(row, 3, r.name, f["text"])
            ws.write(row, 4, r.how, f["text"])
            wb.define_name(r.name, f"='{_CALC_SHEET}'!$B${row + 1}")
            rows[r.name] = row
            row += 1
    ws.freeze_panes(4, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    ws.protect()
    return rows


#: The *Results* sheet: (label, cell name, format) in groups.
_RESULTS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Continuity of social worker", (
        ("Chance of one worker all year: council, later in care", "council_p_same_later", "share"),
        ("... council, first year in care", "council_p_same_first", "share"),
        ("... practice", "practice_p_same", "share"),
        ("Gain, practice over council (percentage points)", "continuity_gain", "share"),
        ("Your children with one worker all year: as now", "children_one_worker_council", "integer"),
        ("... if every child were with a practice", "children_one_worker_practices", "integer"),
    )),
    ("The practice", (
        ("Running cost, £ a year", "running_cost", "money"),
        ("Running cost per child, £ a year", "running_cost_per_child", "money"),
        ("Children per front-line worker", "caseload_per_worker", "number"),
        ("Mean cost of a child's care, £ a year", "child_mean", "money"),
        ("Practice's own cost under the scope: expected, £ a year", "own_cost_mean", "money"),
        ("... spread (sd), £ a year", "own_cost_sd", "money"),
        ("Reserves, £", "reserves", "money"),
    )),
    ("The chosen contract (normal approximation)", (
        ("Council's expected payment, £ a year", "chosen_payment", "money"),
        ("Practice's expected surplus, £ a year", "chosen_surplus_mean", "money"),
        ("Spread of the surplus (sd), £ a year", "chosen_surplus_sd", "money"),
        ("Risk premium the practice would charge, £ a year", "chosen_risk_premium", "money"),
        ("Chance of a loss in a year", "chosen_p_loss", "share"),
        ("Chance of failure in a year", "chosen_p_fail_year", "share"),
        ("Chance of failure over the term", "chosen_p_fail_term", "share"),
        ("Practices for all your children", "practices_needed", "number"),
        ("Council's expected payment for all of them, £ a year", "council_spend", "money"),
    )),
    ("What a pilot could detect", (
        ("Smallest detectable rise in one worker all year", "mdd_same_worker", "share"),
        ("Smallest detectable fall in three or more placements", "mdd_placements", "share"),
    )),
)


def _results_sheet(wb: Any, ws: Any, f: dict[str, Any], check: pd.DataFrame, scn: Scenario,
                   cached: Mapping[str, float] | None = None,
                   inputs: Mapping[str, Any] | None = None) -> dict[tuple[int, int], str]:
    cached = {} if cached is None else cached
    ws.set_column(0, 0, 58)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 5, 15)
    ws.write(0, 0, "Results for your council", f["title"])
    heading = (0 if not cached or inputs is None else
               f"Scope: {inputs['scope']}; contract: {inputs['contract_family']}; every £ at {scn.price_year} prices")
    ws.write_formula(1, 0, '="Scope: "&scope&"; contract: "&contract_family&"; every £ at '
                     f'{scn.price_year} prices"', f["note"], heading)
    shown: dict[tuple[int, int], str] = {}
    row = 3
    for title, items in _RESULTS:
        ws.write(row, 0, title, f["section"])
        row += 1
        for label, name, kind in items:
            ws.write(row, 0, label, f["text"])
            ws.write_formula(row, 1, f"={name}", f[kind], _cached(cached, name))
            shown[(row, 1)] = name
            row += 1
        row += 1
    # The four contracts side by side: the charts' data.
    ws.write(row, 0, "The four contracts (normal approximation)", f["section"])
    row += 1
    cols = (("Spread of surplus (sd), £", "surplus_sd", "money"), ("Risk premium, £", "risk_premium", "money"),
            ("Failure in a year", "p_fail_year", "share"), ("Failure over the term", "p_fail_term", "share"))
    ws.write(row, 0, "Contract", f["head"])
    for c, (h, *_r) in enumerate(cols):
        ws.write(row, c + 1, h, f["head"])
    top = row + 1
    for fam, label in zip(liability.NORMAL_FAMILIES, FAMILIES):
        row += 1
        ws.write(row, 0, label, f["text"])
        for c, (_h, key, kind) in enumerate(cols):
            ws.write_formula(row, c + 1, f"={fam}_{key}", f[kind], _cached(cached, f"{fam}_{key}"))
            shown[(row, c + 1)] = f"{fam}_{key}"
    bottom = row
    row += 2
    ws.write(row, 0, "Chance of one worker all year", f["head"])
    ws.write(row, 1, "Chance", f["head"])
    pairs = (("Council, first year in care", "council_p_same_first"), ("Council, later in care", "council_p_same_later"),
             ("Practice", "practice_p_same"))
    ctop = row + 1
    for label, name in pairs:
        row += 1
        ws.write(row, 0, label, f["text"])
        ws.write_formula(row, 1, f"={name}", f["share"], _cached(cached, name))
        shown[(row, 1)] = name
    cbottom = row
    sheet = f"'{_RESULT_SHEET}'"
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Chance of one worker all year", "categories": f"={sheet}!$A${ctop + 1}:$A${cbottom + 1}",
                      "values": f"={sheet}!$B${ctop + 1}:$B${cbottom + 1}", "fill": {"color": "#1F77B4"},
                      "data_labels": {"value": True, "num_format": "0%"}})
    chart.set_title({"name": "One social worker all year", "name_font": {"size": 11}})
    chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "name": "chance"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 470, "height": 230})
    ws.insert_chart(3, 3, chart)
    chart2 = wb.add_chart({"type": "column"})
    for c, colour in ((3, "#D62728"), (4, "#FF7F0E")):
        chart2.add_series({"name": f"={sheet}!${'ABCDE'[c]}${top}", "categories": f"={sheet}!$A${top + 1}:$A${bottom + 1}",
                           "values": f"={sheet}!${'ABCDE'[c]}${top + 1}:${'ABCDE'[c]}${bottom + 1}",
                           "fill": {"color": colour}})
    chart2.set_title({"name": "Chance the practice fails, by contract", "name_font": {"size": 11}})
    chart2.set_y_axis({"min": 0, "num_format": "0%", "name": "chance"})
    chart2.set_size({"width": 470, "height": 260})
    chart2.set_legend({"position": "bottom"})
    ws.insert_chart(16, 3, chart2)
    row += 2
    ws.write(row, 0, "How far the normal approximation is from the simulated model (at the book's defaults; these "
                     "figures do not change with your inputs)", f["section"])
    row += 1
    for c, h in enumerate(("Scope, contract, measure", "Workbook", "Simulated", "Difference")):
        ws.write(row, c, h, f["head"])
    for rec in check.to_dict("records"):
        if rec["measure"].startswith("spread"):
            continue
        row += 1
        kind = "money" if "£" in rec["measure"] else "share"
        ws.write(row, 0, f"{rec['scope']}, {rec['contract']}: {rec['measure']}", f["text"])
        for c, k in enumerate(("workbook", "simulated", "difference")):
            ws.write_number(row, c + 1, rec[k], f[kind])
    row += 1
    ws.write(row, 0, f"Simulated: the book's pricing engine on {_CHECK_YEARS:,} practice-years of the book's sample "
                     "(lognormal costs within needs groups; the normal approximation has thinner tails).", f["note"])
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, row, 9)
    ws.protect()
    return shown


def _sources_sheet(ws: Any, f: dict[str, Any], table: pd.DataFrame) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 18)
    ws.set_column(3, 3, 30)
    ws.set_column(4, 4, 90)
    ws.write(0, 0, "Sources: the rows of data/ behind the defaults that come from a document", f["title"])
    for c, h in enumerate(("Input", "Table (data/)", "Value in the table", "Document and place", "Quote")):
        ws.write(2, c, h, f["head"])
    row = 3
    docs = set()
    for name, origin in _origins().items():
        if origin[0] != "data":
            continue
        rec = data.row(origin[1], **origin[2])
        docs.add(rec["document"])
        for c, text in enumerate((name, origin[1], f"{rec['value']:g} {rec['unit']}",
                                  f"{rec['document']}, {rec['location']}", str(rec.get("quote", "")))):
            ws.write(row, c, text, f["text"])
        row += 1
    for name, origin in _origins().items():
        if origin[0] == "assumption":
            rec = assumptions.record(origin[1])
            if rec["status"] != "assumption":
                docs.add(rec["document"])
    row += 1
    ws.write(row, 0, "The documents", f["section"])
    row += 1
    refs = data.sources().set_index("key")
    for key in sorted(d for d in docs if d in refs.index):
        ws.write(row, 0, key, f["text"])
        ws.merge_range(row, 1, row, 4, refs.loc[key, "citation"], f["text"])
        row += 1
    ws.protect()


def _assumptions_sheet(ws: Any, f: dict[str, Any]) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 5, 12)
    ws.set_column(6, 6, 12)
    ws.set_column(7, 7, 90)
    ws.write(0, 0, "Assumptions: the rows of data/ behind the workbook's defaults", f["title"])
    head = ("Parameter", "Table (data/)", "Value", "Unit", "Low", "High", "Status", "What it is")
    for c, h in enumerate(head):
        ws.write(2, c, h, f["head"])
    row = 3
    for origin in _origins().values():
        if origin[0] != "assumption":
            continue
        table = assumptions.table_of(origin[1])
        rec = assumptions.record(origin[1])
        cells = (origin[1], table, rec["value"], rec["unit"], rec["low"], rec["high"], rec["status"],
                 rec["description"])
        for c, x in enumerate(cells):
            if isinstance(x, float) and math.isnan(x):
                x = ""
            ws.write(row, c, x, f["text"])
        row += 1
    ws.protect()


def write_workbook(path: str | Path, values: Mapping[str, Any] | None = None, *, check: bool = True,
                   cached: bool = True) -> Path:
    """Write the workbook to ``path`` (an ``.xlsx`` file), with ``values`` as its inputs.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write, ending in ``.xlsx``; its folder must exist.
    values : mapping, optional
        Inputs by name (:data:`INPUTS`); the book's defaults for the rest (:func:`check_inputs`).
    check : bool, default True
        Put the comparison of the normal approximation with the simulated model at the book's defaults
        (:func:`approximation_check`) at the foot of the *Results* sheet.
    cached : bool, default True
        Store each formula's value at these inputs (:func:`package_values`) with the formula, so that a
        spreadsheet that does not recalculate a file when it opens it (LibreOffice's default for
        ``.xlsx``) shows the answers at once; a changed input recalculates what depends on it. With
        False every formula's stored value is 0 until the spreadsheet recalculates.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    if isinstance(path, bytes) or not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path (str or pathlib.Path); got {type(path).__name__}")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"path must end in .xlsx; got {str(path)!r:.200}")
    if not target.parent.is_dir():
        raise ValueError(f"path must be in an existing folder; got {str(path)!r:.200}")
    target.write_bytes(workbook_bytes(values, check=check, cached=cached))
    return target


def workbook_bytes(values: Mapping[str, Any] | None = None, *, check: bool = True, cached: bool = True) -> bytes:
    """The workbook as bytes (what :func:`write_workbook` writes; the explorers' download).

    Parameters
    ----------
    values : mapping, optional
        Inputs by name; the book's defaults for the rest.
    check : bool, default True
        Include the approximation's comparison with the simulated model (see :func:`write_workbook`).
    cached : bool, default True
        Store each formula's value with it (see :func:`write_workbook`).
    """
    import xlsxwriter

    v = check_inputs(values)
    check = check_flag("check", check)
    stored = package_values(v) if check_flag("cached", cached) else {}
    scn = Scenario.central()
    table = input_table()
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"title": "Social Work Practices: a council's own numbers", "author": "swp_models",
                       "comments": "Generated by python -m swp_models workbook; do not edit by hand"})
    wb.set_calc_mode("auto")
    f = _formats(wb)
    sheets = {name: wb.add_worksheet(name) for name in SHEETS}
    _start_sheet(sheets["Start here"], f, scn)
    _input_sheet(wb, sheets[_INPUT_SHEET], f, v, table)
    _calc_sheet(wb, sheets[_CALC_SHEET], f, stored)
    frame = approximation_check() if check else pd.DataFrame(columns=["scope", "contract", "measure", "workbook",
                                                                       "simulated", "difference"])
    _results_sheet(wb, sheets[_RESULT_SHEET], f, frame, scn, stored, v)
    _sources_sheet(sheets["Sources"], f, table)
    _assumptions_sheet(sheets["Assumptions"], f)
    sheets["Start here"].activate()
    wb.close()
    return buffer.getvalue()


def _cached(values: Mapping[str, float], name: str) -> float | str:
    """The value stored with a formula: the package's at the workbook's inputs (``#N/A`` for NaN), else 0
    (XlsxWriter's own default, until the spreadsheet recalculates)."""
    if name not in values:
        return 0
    x = values[name]
    return "#N/A" if isinstance(x, float) and math.isnan(x) else x


def results_cells() -> dict[str, str]:
    """``{cell on the Results sheet: Calculations name it shows}`` (for the tests)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    shown = _results_sheet(wb, wb.add_worksheet(_RESULT_SHEET), _formats(wb),
                           pd.DataFrame(columns=["scope", "contract", "measure", "workbook", "simulated",
                                                 "difference"]), Scenario.central())
    wb.close()
    return {f"{'ABCDEF'[c]}{r + 1}": name for (r, c), name in shown.items()}


def data_uri(values: Mapping[str, Any] | None = None) -> str:
    """The workbook as a ``data:`` URI (for a download link)."""
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return f"data:{mime};base64," + base64.b64encode(workbook_bytes(values)).decode("ascii")
