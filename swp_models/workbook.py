"""A council's own numbers: the take-away costing workbook (a spreadsheet with live formulas).

:func:`write_workbook` writes an ``.xlsx`` workbook generated from this package, never edited by hand:

* *Start here*: what it does, how to use it, the price year, the version and commit it came from;
* *Your council*: every input a council would change (:data:`INPUTS`), each with its unit, its allowed
  range (enforced by the sheet's data validation), the book's default and its source or "assumption";
* *Calculations*: one quantity a row, each a named cell with a live formula and its unit: continuity in
  closed form (chapter 2), the practice budget (chapter 4), the mean and spread of the children's cost
  (chapter 3), each contract's expected payment and the practice's surplus, risk premium and chance of
  failure in the normal approximation (chapter 5), the pilot's minimum detectable difference
  (chapter 8), and chapter 10's options appraisal (net present costs over the term, cost per extra
  child-year with one social worker all year and per placement move avoided), then the GDP deflator
  that moves every £ result to the chosen price year;
* *Results*: one printable page of answers with native spreadsheet charts, every £ at the chosen price year;
* *Sources* and *Assumptions*: the rows of ``data/`` the defaults come from.

Every default is read from ``data/`` through the package. :func:`package_values` computes every quantity of
the *Calculations* sheet with the package's own functions (:mod:`swp_models.continuity`,
:mod:`swp_models.practice`, :func:`swp_models.costs.total_cost_moments`,
:func:`swp_models.contracts.liability.surplus_moments`, :func:`~swp_models.contracts.liability.normal_failure`,
:func:`swp_models.evaluation.minimum_detectable_difference`, :func:`swp_models.appraisal.appraise`,
:func:`~swp_models.appraisal.icers` and :func:`~swp_models.appraisal.uplift`), so a test can recalculate the
workbook (LibreOffice, headless) and compare it cell by cell. Where the workbook approximates (the normal
approximation for risk and failure), the *Results* sheet states how far it is from the simulated model
at the book's defaults (:func:`approximation_check`). The appraisal computes every option's yearly costs from
the workbook's inputs in closed form (:func:`appraisal_inputs`), and adds two figures taken from chapter 10's
simulation at the book's defaults, which do not move with the inputs: each scope's contract cost above the
practice's own cost, and the simulated sample's departure from the exact mean cost of care (of the placements,
and of the children's whole cost, a share of which is the council's wider overheads). At the defaults
the appraisal is therefore chapter 10's (:func:`appraisal_check`).

What it cannot do: simulate, give exact tails, price the threshold and reinsurance contracts (their
balanced baseline needs the whole distribution), or draw chapter 10's acceptability curve.

Formulas use only functions of Excel's built-in function table (no ``_xlfn.`` functions, no macros).

Units: £ entered and calculated at the scenario's price year (2005-06, cash), shown on *Results* at the
input ``price_year``; shares in [0, 1] (shown as per cent).
"""

from __future__ import annotations

import base64
import importlib.metadata
import inspect
import io
import math
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from . import appraisal, assumptions, continuity, costs, data, evaluation, practice
from .contracts import Outcome, liability
from .scenario import SCOPE_NAMES, Scenario
from .validation import check_flag, check_in_range, check_instance, check_one_of, check_text

__all__ = ["Input", "INPUTS", "FAMILIES", "SHEETS", "PRICE_YEARS", "defaults", "check_inputs", "package_values",
           "approximation_check", "appraisal_inputs", "appraisal_check", "write_workbook", "workbook_bytes", "data_uri", "input_table", "results_cells",
           "results_values"]

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


_C, _W, _P, _K, _E, _A = ("Children and their costs", "Social workers: the council now", "The practice",
                          "The contract", "The pilot and its evaluation",
                          "The options appraisal (chapter 10) and the price year")
#: The financial years the results can be shown in, those of ``data/price_index.csv`` (GDP deflator) that
#: chapter 10 offers (:func:`swp_models.appraisal.price_index`).
PRICE_YEARS: tuple[str, ...] = tuple(appraisal.price_index()["price_year"])

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
    _i("council_overhead_share", "Share of a child's cost of care that is your council's wider overheads (taken "
       "out of the practice's cost with placements in scope; your council keeps paying them)", "share", 0, 0.5, _K),
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
    _i("discount_rate", "Discount rate (real, a year)", "share", 0, 0.2, _A),
    _i("optimism_bias", "Optimism bias on each option's added cost over the council as it is", "share", 0, 2, _A),
    _i("inhouse_gain_share", "Share of the practice's continuity gain an in-house team would achieve", "share", 0, 1,
       _A),
    _i("council_frontline", "Front-line social workers in your council's team for one practice's children",
       "FTE", 1, 50, _A, "integer"),
    _i("inhouse_setup_cost", "One-off cost of setting up the in-house team", "£", 0, 10_000_000, _A),
    _i("commissioning_cost", "Commissioning a practice (and retendering it at the end of the term)", "£ a tender",
       0, 10_000_000, _A),
    _i("double_running_months", "Months of paying twice while a practice builds up", "months", 0, 36, _A),
    _i("stranded_overhead_share", "Share of the overheads a practice leaves out that your council keeps paying",
       "share", 0, 1, _A),
    _i("case_transfer_cost", "Cost of handing a child's case to a new social worker", "£ a transfer", 0, 100_000,
       _A),
    _i("move_process_cost", "Cost of finding a child a new placement", "£ a placement move", 0, 100_000, _A),
    Input("price_year", "Price year of the results (the GDP deflator moves every £ result to it)", "", "list",
          section=_A, options=PRICE_YEARS),
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
        "outcome_effort_gain", "outcome_effort", "reserve_months", "risk_tolerance", "icc", "discount_rate",
        "optimism_bias", "inhouse_gain_share", "inhouse_setup_cost", "case_transfer_cost", "move_process_cost",
        "council_frontline", "commissioning_cost", "double_running_months", "stranded_overhead_share",
        "council_overhead_share")}
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
        "price_year": ("package", f"the book's price base, {appraisal.BASE_YEAR} (the cost data's year)"),
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
               risk_tolerance=scn.risk_tolerance, icc=scn.icc, price_year=appraisal.BASE_YEAR)
    for i in INPUTS:
        if i.kind == "integer":
            out[i.name] = int(round(out[i.name]))
        elif i.kind == "number":
            out[i.name] = float(out[i.name])
    return {i.name: out[i.name] for i in INPUTS}


def _source(origin: tuple) -> str:
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
    d, origins = defaults(), _origins()
    rows = []
    for i in INPUTS:
        lo, hi = (math.nan, math.nan) if i.kind == "list" else (i.low, i.high)
        rows.append({"section": i.section, "name": i.name, "label": i.label, "unit": i.unit, "low": lo, "high": hi,
                     "default": d[i.name], "source": _source(origins[i.name])})
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


def _scope_quantities(p: str, factor: str, staff: str, staff_how: str, who: str = "") -> list[_Row]:
    """The practice's own cost under a scope (chapter 5's :class:`~swp_models.contracts.liability.Scope`), its
    rows named with the prefix ``p`` and labelled with ``who``: ``factor`` on each child's cost of care and the
    ``staff`` cost per child inside it, as formulas."""
    rows = [
        _Row(f"{p}cost_factor", "Factor on each child's cost of care", "ratio", factor, "Scope.cost_factor", "number"),
        _Row(f"{p}staff_per_child", "Staff cost per child inside the cost of care", "£ a child a year", staff,
             staff_how),
        _Row(f"{p}marginal_cost", "Cost to the practice of one more child", "£ a child a year",
             f"{p}cost_factor*child_mean-{p}staff_per_child", "Scope.marginal_cost"),
        _Row(f"{p}own_cost_mean", "Practice's own cost: expected", "£ a year",
             f"MAX(0,running_cost+{p}cost_factor*practice_children_cost-{p}staff_per_child*practice_children)",
             "F + f E[U] - d E[N] (not below 0); Scope.cost_moments"),
        _Row(f"{p}own_cost_sd", "Practice's own cost: spread (sd)", "£ a year",
             f"SQRT(MAX(0,{p}cost_factor^2*practice_children_cost_sd^2+{p}staff_per_child^2*caseload_variance"
             f"-2*{p}cost_factor*{p}staff_per_child*child_mean*caseload_variance))",
             "f^2 Var(U) + d^2 Var(N) - 2 f d mean(c) Var(N); Scope.cost_moments"),
        _Row(f"{p}capitation_rate", "Capitation rate", "£ a child a year",
             f"(1+margin)*({p}marginal_cost+running_cost/practice_children)", "(1 + m) Scope.flat_rate"),
    ]
    return [replace(r, label=who + r.label[0].lower() + r.label[1:]) if who else r for r in rows]


def _family_formulas(p: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each contract family's expected payment and the variance of the practice's surplus
    (:func:`swp_models.contracts.liability.surplus_moments`), of the scope quantities named with prefix ``p``."""
    own, sd, rate, mc = f"{p}own_cost_mean", f"{p}own_cost_sd", f"{p}capitation_rate", f"{p}marginal_cost"
    variance = {
        "block": f"{sd}^2",
        "capitation": f"{rate}^2*caseload_variance+{sd}^2-2*{rate}*{mc}*caseload_variance",
        "cost_and_volume": f"cost_share^2*{sd}^2",
        "outcome": (f"{sd}^2+outcome_bonus^2*(practice_children*outcome_probability*(1-outcome_probability)"
                    "+outcome_probability^2*caseload_variance)"
                    f"-2*outcome_bonus*outcome_probability*{mc}*caseload_variance"),
    }
    payment = {"block": f"(1+margin)*{own}", "capitation": f"{rate}*practice_children",
               "cost_and_volume": f"(1+margin)*{own}",
               "outcome": f"(1+margin)*{own}+outcome_bonus*outcome_probability*practice_children"}
    return payment, variance


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
    scope: list[_Row] = [
        _Row("placements_in_scope", "Placements in the practice's scope (1 = yes)", "",
             f'IF(scope="{placements}",1,0)', "the scope menu", "number"),
        *_scope_quantities("", "IF(placements_in_scope=1,1-council_overhead_share,social_work_variable_cost/child_mean)",
                           "IF(placements_in_scope=1,running_cost_per_child,0)",
                           "Scope.staff_per_child (placements only)"),
        _Row("reserves", "Practice reserves", "£", "reserve_months/12*running_cost",
             "liability.reserves_from_months"),
        _Row("outcome_probability", "Chance of the outcome (same worker all year) at the practice's effort", "share",
             "MIN(1,outcome_base_probability+outcome_effort_gain*outcome_effort)", "contracts.Outcome.probability",
             "share"),
    ]
    sections.append(("What the practice pays for (chapter 5)", scope))
    payment, variance = _family_formulas("")
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
    sections += _appraisal_rows()
    sections.append(("The price year of the results (GDP deflator; the table above)", [
        _Row("base_price_index", f"GDP deflator, {appraisal.BASE_YEAR} (the book's price base)", "index",
             f'INDEX(price_indices,MATCH("{appraisal.BASE_YEAR}",price_years,0))', "appraisal.price_index()",
             "number"),
        _Row("chosen_price_index", "GDP deflator, the price year chosen on Your council", "index",
             "INDEX(price_indices,MATCH(price_year,price_years,0))", "appraisal.price_index()", "number"),
        _Row("price_factor", "Factor that moves a £ from the price base to the chosen price year", "ratio",
             "chosen_price_index/base_price_index", "appraisal.uplift(price_year)", "number"),
    ]))
    return sections


#: Chapter 10's figures the workbook takes as fixed: ``{name: (label, unit, kind, attribute of
#: appraisal.Inputs or key of its values)}``.
_APPRAISAL_FIXED = {
    "ap_move_rate": ("Placement moves a child-year with no change of worker (chapter 6)", "moves a child-year",
                     "number", "move_rate"),
    "ap_move_worker_effect": ("Rise in the move rate per change of worker (chapter 6)", "ratio", "number",
                              "move_worker_effect"),
    "ap_partner_surplus_share": ("Partners' surplus, share of the practice's running cost (chapter 10: none)",
                                 "share", "share", "values:partner_surplus_share"),
}
_SCOPE_PREFIX = {"social_work": "ap_sw_", "placements": "ap_pl_"}
#: The rows of :func:`_scope_quantities` the appraisal keeps (the practice's own expected cost and its parts).
_APPRAISAL_SCOPE_ROWS = ("cost_factor", "staff_per_child", "own_cost_mean")
#: The practice's lines outside the census's scope of a child's cost (the overheads a practice leaves out).
_OUT_OF_SCOPE = tuple(k for k, inside in practice.IN_CENSUS_SCOPE.items() if not inside)


def _appraisal_fixed() -> dict[str, float]:
    """Chapter 10's figures the workbook takes as given (:func:`swp_models.appraisal.central_inputs`), and the
    social-work staff cost per child inside the cost of care (the book's default practice, as chapter 5)."""
    inp = appraisal.central_inputs()
    out = {}
    for name, (*_, where) in _APPRAISAL_FIXED.items():
        kind, _, key = where.partition(":")
        out[name] = float(getattr(inp, kind)[key] if key else getattr(inp, kind))
    out["ap_data_staff_per_child"] = float(liability.default_scope("placements").staff_per_child)
    return out


#: What the appraisal takes from chapter 10's simulation at the book's defaults: ``{name: (label, how)}``.
_FROM_SIMULATION = {
    "ap_sim_care": ("Placements: chapter 10's simulated mean cost less the exact mean",
                    "appraisal.central_inputs().care_cost less ap_care_exact at the defaults"),
    "ap_sim_children": ("The children's cost of care: chapter 10's simulated mean less the exact mean",
                        "sensitivity.chapter_model()'s children at the central setting, less practice_children_cost "
                        "at the defaults"),
    **{f"ap_markup_{scope}": (f"{SCOPE_NAMES[scope].capitalize()}: contract's cost above the practice's own cost",
                              f"appraisal.central_inputs().contract['{scope}'] less {p}own_cost_mean at the defaults "
                              "(negative: below it; the effort the contract calls forth cuts the practice's costs, "
                              "administration and the losses and failures beyond the reserves add)")
       for scope, p in _SCOPE_PREFIX.items()},
}
#: The note that goes with every figure of :data:`_FROM_SIMULATION`.
SIMULATION_NOTE = "from chapter 10's simulation at the book's defaults; does not move with your inputs"


def _simulated_children() -> float:
    """Mean cost of care of chapter 10's simulated children at the central setting (the sensitivity section's model), £ a year."""
    from . import sensitivity

    model = sensitivity.chapter_model()
    values = model.setting(tuple(a.value for a in sensitivity.chapter_assumptions()))
    return float(model.children(values).totals.mean())


@assumptions.cached(maxsize=1)
def _simulated_at_defaults() -> dict[str, float]:
    """The figures of :data:`_FROM_SIMULATION`: chapter 10's simulated yearly costs at the book's defaults
    (:func:`swp_models.appraisal.central_inputs`) less the workbook's closed forms at the same inputs."""
    ch10, ours = appraisal.central_inputs(), _appraisal_live(check_inputs(None))
    out = {"ap_sim_care": ch10.care_cost - ours["ap_care_exact"],
           "ap_sim_children": _simulated_children() - ours["ap_children_cost_exact"]}
    out.update({f"ap_markup_{scope}": ch10.contract[scope] - ours[f"{p}own_cost_mean"]
                for scope, p in _SCOPE_PREFIX.items()})
    return out


def _appraisal_rows() -> list[tuple[str, list[_Row]]]:
    """Chapter 10's appraisal: :func:`swp_models.appraisal.appraise` and :func:`~swp_models.appraisal.icers`, its
    yearly costs from the workbook's inputs (:func:`appraisal_inputs`)."""
    fixed = _appraisal_fixed()
    given = [_Row(name, label, unit, repr(fixed[name]), "appraisal.central_inputs() (chapter 10, central setting)",
                  kind) for name, (label, unit, kind, _w) in _APPRAISAL_FIXED.items()]
    given.append(_Row("ap_data_staff_per_child", "Social-work staff cost per child inside the cost of care (the "
                      "book's default practice)", "£ a child a year", repr(fixed["ap_data_staff_per_child"]),
                      "liability.default_scope('placements').staff_per_child, as chapter 10 takes it"))
    fte = "council_frontline*(1+admin_ratio)+manager_fte"
    pay = "+".join(f"{n}*({s}+employer_ni_rate*MAX(0,{s}-ni_threshold)+pension_rate*{s})" for n, s in (
        ("council_frontline", "sw_salary"), ("council_frontline*admin_ratio", "admin_salary"),
        ("manager_fte", "tl_salary")))
    lines = [
        _Row("ap_children", "Children the practice holds (the council's and the in-house team hold the same)",
             "children", "practice_children", "appraisal.Inputs.children", "number"),
        _Row("ap_council_team_fte", "Your council's team for them: salaried staff (front line, manager, "
             "administration; no support, development officer or students)", "FTE", fte,
             "the practice's design with your council's front line", "number"),
        _Row("ap_council_team", "Your council's team as it is: running cost (your pay and cost inputs)", "£ a year",
             f"{pay}+nights_per_year*MIN(on_duty,council_frontline)*on_call_per_night"
             "+ap_council_team_fte*(direct_costs_per_fte+premises_it_per_fte)+legal_services+fixed_overheads",
             "practice.running_cost of that team; appraisal.Inputs.council_team"),
        _Row("ap_inhouse_team", "In-house team with practice caseloads and support: running cost", "£ a year",
             "running_cost", "the practice budget above, run in-house; appraisal.Inputs.inhouse_team"),
        _Row("ap_running", "Practice's running cost", "£ a year", "running_cost", "appraisal.Inputs.running"),
        _Row("ap_overheads", "Overheads the census leaves out (manager, legal, premises and IT, fixed)", "£ a year",
             "+".join(f"{k}_line" for k in _OUT_OF_SCOPE), "practice.summary out_of_scope x caseload; "
             "appraisal.Inputs.overheads"),
        _Row("ap_variable_social_work", "Variable social-work cost of the children", "£ a year",
             "practice_children*social_work_variable_cost", "appraisal.Inputs.variable_social_work"),
        _Row("ap_care_exact", "The children's placements, exact mean (cost of care less social work)", "£ a year",
             "practice_children_cost-practice_children*(ap_data_staff_per_child+social_work_variable_cost)",
             "E[cost of care] - N (staff + variable)"),
        _Row("ap_care_cost", "The children's placements, as chapter 10 counts them (not below 0)", "£ a year",
             "MAX(0,ap_care_exact+ap_sim_care)", "exact mean + its sample's departure; appraisal.Inputs.care_cost"),
        _Row("ap_council_overheads", "Your council's wider overheads inside the placements, which a practice holding "
             "them leaves out and your council keeps paying", "£ a year",
             "MIN(ap_care_cost,council_overhead_share*(practice_children_cost+ap_sim_children))",
             "Scope.council_overheads; appraisal.Inputs.council_overheads"),
    ]
    contracts: list[_Row] = []
    for scope, p in _SCOPE_PREFIX.items():
        who = f"Appraisal, {SCOPE_NAMES[scope]}: "
        if scope == "social_work":
            own = _scope_quantities(p, "social_work_variable_cost/child_mean", "0", "none (social work only)", who)
        else:
            own = _scope_quantities(p, "1-council_overhead_share", "ap_data_staff_per_child",
                                    "the staff cost per child above", who)
        contracts += [r for r in own if r.name.removeprefix(p) in _APPRAISAL_SCOPE_ROWS]
        contracts.append(_Row(f"ap_contract_{scope}", f"{who}council's cost of the practice's contract (its own cost "
                              "from your inputs, plus chapter 10's cost above it; not below 0)", "£ a year",
                              f"MAX(0,{p}own_cost_mean+ap_markup_{scope})", "appraisal.Inputs.contract; "
                              "appraisal_inputs"))
    common = [
        _Row("ap_annuity", "Discounted years of yearly costs and effects over the term (year 0 undiscounted)", "years",
             "IF(discount_rate=0,term_years,(1-(1+discount_rate)^-term_years)/(1-1/(1+discount_rate)))",
             "sum of (1 + r)^-t, t = 0 .. term - 1; appraisal.discount_factors", "number"),
        _Row("ap_end_discount", "Discount factor at the end of the term (retendering)", "ratio",
             "(1+discount_rate)^-term_years", "(1 + r)^-term; appraisal.discount_factors", "number"),
        _Row("ap_retained", "Practice options: overheads kept and partners' surplus", "£ a year",
             "stranded_overhead_share*ap_overheads+ap_partner_surplus_share*ap_running",
             "appraisal: the 'retained' line"),
        _Row("ap_practice_setup", "Practice options: one-off cost in the first year", "£",
             "commissioning_cost+double_running_months/12*ap_running+ap_children*case_transfer_cost",
             "commissioning, paying twice, moving every case; appraisal: the 'set_up' line"),
    ]
    p_same = {"council": "council_p_same_later",
              "in_house": "council_p_same_later+inhouse_gain_share*(practice_p_same-council_p_same_later)",
              "practice_social_work": "practice_p_same", "practice_placements": "practice_p_same"}
    running = {"council": "ap_council_team+ap_variable_social_work+ap_care_cost",
               "in_house": "ap_inhouse_team+ap_variable_social_work+ap_care_cost",
               "practice_social_work": "ap_contract_social_work+ap_care_cost+ap_retained",
               "practice_placements": "ap_contract_placements+ap_council_overheads+ap_retained"}
    one_off = {"council": "", "in_house": "+inhouse_setup_cost+ap_children*case_transfer_cost",
               "practice_social_work": "+ap_practice_setup+commissioning_cost*ap_end_discount",
               "practice_placements": "+ap_practice_setup+commissioning_cost*ap_end_discount"}
    simulated = _simulated_at_defaults()
    from_simulation = [_Row(name, label, "£ a year", repr(simulated[name]), f"{SIMULATION_NOTE}: {how}")
                       for name, (label, how) in _FROM_SIMULATION.items()]
    sections = [("Chapter 10's fixed figures (from its central setting, not inputs)", given),
                ("From chapter 10's simulation at the book's defaults (these do not move with your inputs; chapter 10 "
                 "simulates the children and each practice's contract, and the workbook adds these to its own "
                 "closed forms so that at the book's defaults its appraisal is chapter 10's)", from_simulation),
                ("The options' yearly costs from your inputs, for one practice's children (chapter 10)", lines),
                ("The practice's contract for each scope: the practice's own cost from your inputs, plus chapter "
                 "10's cost above it (the normal-approximation prices of chapter 5 above are not used here)",
                 contracts),
                ("The options appraisal: discounting and shared lines (chapter 10)", common)]
    for o in appraisal.OPTIONS:
        name = appraisal.OPTION_NAMES[o]
        rows = [
            _Row(f"ap_p_same_{o}", f"{name}: chance of one worker all year", "share", p_same[o],
                 "appraisal.Inputs.p_same", "share"),
            _Row(f"ap_moves_{o}", f"{name}: placement moves a child-year", "moves a child-year",
                 f"ap_move_rate*(1+ap_move_worker_effect*-LN(ap_p_same_{o}))", "appraisal.Inputs.moves", "number"),
            _Row(f"ap_yearly_{o}", f"{name}: yearly cost (running, placements, case transfers and moves)",
                 "£ a year", f"{running[o]}+ap_children*(-LN(ap_p_same_{o})*case_transfer_cost"
                 f"+ap_moves_{o}*move_process_cost)", "appraisal: the yearly lines"),
            _Row(f"ap_npc_unadjusted_{o}", f"{name}: net present cost before optimism bias", "£",
                 f"ap_yearly_{o}*ap_annuity{one_off[o]}", "yearly x discounted years + one-offs; appraisal.appraise"),
            _Row(f"ap_bias_{o}", f"{name}: optimism bias", "£",
                 f"optimism_bias*ABS(ap_npc_unadjusted_{o}-ap_npc_unadjusted_council)",
                 "bias x |added cost over the council as it is|; appraisal.appraise"),
            _Row(f"ap_npc_{o}", f"{name}: net present cost", "£", f"ap_npc_unadjusted_{o}+ap_bias_{o}",
                 "appraisal.appraise, column npc"),
            _Row(f"ap_child_years_{o}", f"{name}: child-years with one worker all year (discounted)", "child-years",
                 f"ap_children*ap_p_same_{o}*ap_annuity", "appraisal.appraise, column child_years", "number"),
            _Row(f"ap_moves_total_{o}", f"{name}: placement moves over the term (discounted)", "moves",
                 f"ap_children*ap_moves_{o}*ap_annuity", "appraisal.appraise, column moves", "number"),
        ]
        if o != "council":
            rows += [
                _Row(f"ap_extra_cost_{o}", f"{name}: extra net present cost over the council as it is", "£",
                     f"ap_npc_{o}-ap_npc_council", "appraisal.icers, column extra_cost"),
                _Row(f"ap_extra_child_years_{o}", f"{name}: extra child-years with one worker all year",
                     "child-years", f"ap_child_years_{o}-ap_child_years_council",
                     "appraisal.icers, column extra_child_years", "number"),
                _Row(f"ap_moves_avoided_{o}", f"{name}: placement moves avoided", "moves",
                     f"ap_moves_total_council-ap_moves_total_{o}", "appraisal.icers, column moves_avoided", "number"),
                _Row(f"ap_per_child_year_{o}", f"{name}: cost per extra child-year with one worker all year",
                     "£ a child-year", f"IF(ap_extra_child_years_{o}>1E-9,ap_extra_cost_{o}/ap_extra_child_years_{o},"
                     "NA())", "appraisal.icers, column per_child_year (#N/A if it gains none)"),
                _Row(f"ap_per_move_avoided_{o}", f"{name}: cost per placement move avoided", "£ a move",
                     f"IF(ap_moves_avoided_{o}>1E-9,ap_extra_cost_{o}/ap_moves_avoided_{o},NA())",
                     "appraisal.icers, column per_move_avoided (#N/A if it avoids none)"),
            ]
        sections.append((f"{name} (chapter 10)", rows))
    sections.append(("The options for all your children in care: one practice's net present cost scaled by the "
                     "practices needed (your children in care / children per practice)", [
                         _Row(f"ap_npc_all_{o}", f"{appraisal.OPTION_NAMES[o]}: net present cost, all your children "
                              "(scaled)", "£", f"ap_npc_{o}*practices_needed", "ap_npc x practices_needed")
                         for o in appraisal.OPTIONS]))
    return sections


def _continuity(v: Mapping[str, Any]) -> tuple[continuity.ContinuityScenario, continuity.ContinuityScenario]:
    """The council's and the practice's continuity at the workbook's inputs (chapter 2)."""
    council = continuity.ContinuityScenario(turnover=v["council_turnover"], vacancy=v["council_vacancy"],
                                            agency_tenure_years=v["agency_stay_years"], handoffs=v["council_handoffs"],
                                            handoff_probability=v["handoff_probability"])
    prac = continuity.ContinuityScenario(turnover=v["practice_turnover"], vacancy=v["practice_vacancy"],
                                         agency_tenure_years=v["agency_stay_years"])
    return council, prac


def _budget(v: Mapping[str, Any]) -> tuple[practice.PracticeDesign, practice.SalaryScale, practice.Overheads]:
    """The practice's design, pay and overheads at the workbook's inputs (chapter 4)."""
    design = practice.PracticeDesign(frontline=v["frontline"], admin_ratio=v["admin_ratio"],
                                     manager_fte=v["manager_fte"], support_fte=v["support_fte"], pdo_fte=v["pdo_fte"],
                                     students=v["students"], caseload=v["practice_children"], on_duty=v["on_duty"])
    scale = practice.salary_scale(v["scale_position"], v["pay_multiplier"], admin_pay_ratio=v["admin_pay_ratio"],
                                  support_pay_ratio=v["support_pay_ratio"], employer_ni_rate=v["employer_ni_rate"],
                                  ni_threshold=v["ni_threshold"], pension_rate=v["pension_rate"])
    overheads = practice.Overheads(**{k: v[k] for k in ("student_cost", "on_call_per_night", "legal_services",
                                                        "direct_costs_per_fte", "premises_it_per_fte",
                                                        "fixed_overheads")})
    return design, scale, overheads


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
    council, prac = _continuity(v)
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
    design, scale, overheads = _budget(v)
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
                            variable_per_child=v["social_work_variable_cost"],
                            overhead_share=v["council_overhead_share"])
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
    out.update(_appraisal_values(v))
    index = appraisal.price_index().set_index("price_year")["index"]
    out.update(base_price_index=index[appraisal.BASE_YEAR], chosen_price_index=index[v["price_year"]],
               price_factor=appraisal.uplift(v["price_year"]))
    return {k: float(x) for k, x in out.items()}


#: The appraisal's own settings the workbook takes from its inputs (the rest of ``appraisal.Inputs.values``
#: stays chapter 10's).
_APPRAISAL_OWN = ("discount_rate", "optimism_bias", "inhouse_gain_share", "council_frontline", "inhouse_setup_cost",
                  "case_transfer_cost", "move_process_cost", "commissioning_cost", "double_running_months",
                  "stranded_overhead_share")


def _appraisal_live(v: Mapping[str, Any]) -> dict[str, float]:
    """The rows of the appraisal's yearly costs that the workbook computes in closed form from its (checked)
    inputs, before the figures taken from chapter 10's simulation (:data:`_FROM_SIMULATION`) are added."""
    out = _appraisal_fixed()
    design, scale, overheads = _budget(v)
    summary = practice.summary(design, scale, overheads)
    running = float(summary["running_cost"])
    team = practice.PracticeDesign(frontline=v["council_frontline"], admin_ratio=v["admin_ratio"],
                                   manager_fte=v["manager_fte"], support_fte=0.0, pdo_fte=0.0, students=0,
                                   caseload=v["practice_children"], on_duty=min(v["on_duty"], v["council_frontline"]))
    n = float(v["practice_children"])
    model, load = _cost_model(v), costs.Caseload(mean=v["practice_children"], margin=v["caseload_margin"])
    staff = out["ap_data_staff_per_child"]
    out.update(ap_children=n, ap_council_team_fte=team.staff_fte,
               ap_council_team=practice.total_running_cost(team, scale, overheads), ap_inhouse_team=running,
               ap_running=running, ap_overheads=float(summary["out_of_scope"]) * design.caseload,
               ap_variable_social_work=n * v["social_work_variable_cost"],
               ap_care_exact=costs.total_cost_moments(model, load).mean - n * (staff + v["social_work_variable_cost"]),
               ap_children_cost_exact=costs.total_cost_moments(model, load).mean)
    for key, p in _SCOPE_PREFIX.items():
        scope = liability.Scope(key, fixed_cost=running, staff_per_child=staff,
                                variable_per_child=v["social_work_variable_cost"],
                                overhead_share=v["council_overhead_share"])
        out.update({f"{p}cost_factor": scope.cost_factor(model),
                    f"{p}staff_per_child": staff if key == "placements" else 0.0,
                    f"{p}own_cost_mean": scope.cost_moments(model, load).mean})
    return out


def _appraisal_lines(v: Mapping[str, Any]) -> tuple[appraisal.Inputs, dict[str, float]]:
    """Chapter 10's inputs at the workbook's (checked) inputs: its closed forms plus the figures taken from chapter
    10's simulation at the book's defaults; and the values of the rows of the *Calculations* sheet that compute
    them."""
    out = _appraisal_live(v)
    out.update(_simulated_at_defaults())
    out["ap_care_cost"] = max(0.0, out["ap_care_exact"] + out["ap_sim_care"])
    # the children's exact cost of care is the row practice_children_cost, not a row of its own
    out["ap_council_overheads"] = min(out["ap_care_cost"], v["council_overhead_share"] * (
        out.pop("ap_children_cost_exact") + out["ap_sim_children"]))
    for key, p in _SCOPE_PREFIX.items():
        out[f"ap_contract_{key}"] = max(0.0, out[f"{p}own_cost_mean"] + out[f"ap_markup_{key}"])
    base = appraisal.central_inputs()
    council, prac = _continuity(v)
    inp = appraisal.Inputs(
        children=out["ap_children"], council_team=out["ap_council_team"], inhouse_team=out["ap_inhouse_team"],
        running=out["ap_running"], overheads=out["ap_overheads"], variable_social_work=out["ap_variable_social_work"],
        care_cost=out["ap_care_cost"], council_overheads=out["ap_council_overheads"],
        contract={k: out[f"ap_contract_{k}"] for k in _SCOPE_PREFIX},
        p_fail_year=base.p_fail_year,
        p_council=continuity.p_same_worker(council, 1.0, False), p_practice=continuity.p_same_worker(prac, 1.0, False),
        move_rate=base.move_rate, move_worker_effect=base.move_worker_effect,
        values={**base.values, **{k: float(v[k]) for k in _APPRAISAL_OWN}})
    return inp, out


def appraisal_inputs(values: Mapping[str, Any] | None = None) -> appraisal.Inputs:
    """Chapter 10's inputs as the workbook computes them from its inputs: every option's yearly costs from the
    same inputs, in closed form, with chapter 10's simulated contracts carried over at the book's defaults.

    The council's team (``council_frontline`` workers with the practice's manager and administration, no support,
    development officer or students) and the in-house team (the practice's budget) are costed at the workbook's
    pay and cost inputs as chapter 4 costs a practice; the placements are the exact expected cost of care less
    the social work in it (the book's default practice's staff cost per child and the variable cost), plus the
    amount by which chapter 10's simulated sample's mean exceeds the exact mean at the book's defaults (the council's
    wider overheads inside them, ``council_overhead_share`` of the children's cost, likewise). Each
    scope's contract is the practice's own expected cost of the scope at these inputs
    (:meth:`swp_models.contracts.liability.Scope.cost_moments`) plus the council's cost of chapter 10's cheapest
    contract above the practice's own cost at the book's defaults (:func:`swp_models.appraisal.central_inputs`:
    the effort the contract calls forth, its administration, the losses and failures beyond the reserves). Those
    two figures are fixed at the book's defaults; so at the defaults these inputs are chapter 10's (to
    rounding), and elsewhere only the parts the workbook computes move. The chances of failure, the
    placement-move model and the partners' share are chapter 10's. ``values`` as :func:`package_values` takes
    them.

    Returns
    -------
    swp_models.appraisal.Inputs
        For :func:`swp_models.appraisal.appraise`'s ``inputs``.
    """
    return _appraisal_lines(check_inputs(values))[0]


#: The yearly cost lines :func:`appraisal_check` compares: (what, cell name, attribute of ``appraisal.Inputs``).
_CHECKED_LINES = (
    ("Council's team as it is", "ap_council_team", "council_team"),
    ("In-house team", "ap_inhouse_team", "inhouse_team"),
    ("Practice's running cost", "ap_running", "running"),
    ("Overheads the census leaves out", "ap_overheads", "overheads"),
    ("Variable social-work cost", "ap_variable_social_work", "variable_social_work"),
    ("The children's placements", "ap_care_cost", "care_cost"),
    ("Council's wider overheads inside them", "ap_council_overheads", "council_overheads"),
    ("The practice's contract, social work only", "ap_contract_social_work", "contract:social_work"),
    ("The practice's contract, social work and placements", "ap_contract_placements", "contract:placements"),
)


def appraisal_check() -> pd.DataFrame:
    """The workbook's appraisal against chapter 10's at the book's defaults (:func:`appraisal_inputs` against
    :func:`swp_models.appraisal.central_inputs`): every difference is zero to rounding.

    Returns
    -------
    pandas.DataFrame
        ``measure``, ``workbook``, ``chapter_10`` and ``difference`` (workbook less chapter 10), £ a year at the
        price base for each yearly cost line and each option's yearly cost, £ for each option's net present
        cost over the term and £ a child-year for each option's cost per extra child-year with one worker all
        year.
    """
    v = check_inputs(None)
    ours, theirs = package_values(v), appraisal.central_inputs()
    table = appraisal.appraise(v["term_years"], v["discount_rate"], v["optimism_bias"]).set_index("option")
    rows = []
    for label, name, where in _CHECKED_LINES:
        kind, _, key = where.partition(":")
        rows.append((f"{label}, £ a year", ours[name], float(getattr(theirs, kind)[key] if key else
                                                              getattr(theirs, kind))))
    for o in appraisal.OPTIONS:
        r = table.loc[o]
        rows.append((f"{appraisal.OPTION_NAMES[o]}: yearly cost, £ a year", ours[f"ap_yearly_{o}"],
                     float(r["line_running"] + r["line_placements"] + r["line_process"] + r["line_retained"])))
    rows += [(f"{appraisal.OPTION_NAMES[o]}: net present cost, £", ours[f"ap_npc_{o}"], float(table.loc[o, "npc"]))
             for o in appraisal.OPTIONS]
    ratios = appraisal.icers(table.reset_index()).set_index("option")
    rows += [(f"{appraisal.OPTION_NAMES[o]}: cost per extra child-year with one worker all year, £",
              ours[f"ap_per_child_year_{o}"], float(ratios.loc[o, "per_child_year"])) for o in appraisal.OPTIONS[1:]]
    out = pd.DataFrame(rows, columns=["measure", "workbook", "chapter_10"])
    out["difference"] = out["workbook"] - out["chapter_10"]
    return out


def _appraisal_values(v: Mapping[str, Any]) -> dict[str, float]:
    """Chapter 10's appraisal at the workbook's inputs, by :func:`swp_models.appraisal.appraise` and
    :func:`~swp_models.appraisal.icers` on :func:`appraisal_inputs` (£ at the price base)."""
    inp, out = _appraisal_lines(v)
    term = v["term_years"]
    table = appraisal.appraise(term, v["discount_rate"], v["optimism_bias"], inputs=inp)
    ratios = appraisal.icers(table).set_index("option")
    t = table.set_index("option")
    factors = appraisal.discount_factors(v["discount_rate"], term)
    out.update(ap_annuity=factors[:term].sum(), ap_end_discount=factors[term],
               ap_retained=t.loc["practice_social_work", "line_retained"],
               ap_practice_setup=t.loc["practice_social_work", "line_set_up"])
    for o in appraisal.OPTIONS:
        r = t.loc[o]
        out.update({f"ap_p_same_{o}": r["p_same"], f"ap_moves_{o}": inp.moves(o),
                    f"ap_yearly_{o}": r["line_running"] + r["line_placements"] + r["line_process"] + r["line_retained"],
                    f"ap_npc_unadjusted_{o}": r["npc_unadjusted"], f"ap_bias_{o}": r["optimism_bias"],
                    f"ap_npc_{o}": r["npc"], f"ap_child_years_{o}": r["child_years"],
                    f"ap_moves_total_{o}": r["moves"]})
        if o != "council":
            out.update({f"ap_{k}_{o}": ratios.loc[o, k] for k in ("extra_cost", "extra_child_years", "moves_avoided",
                                                                   "per_child_year", "per_move_avoided")})
    practices_needed = v["council_children"] / v["practice_children"]
    out.update({f"ap_npc_all_{o}": out[f"ap_npc_{o}"] * practices_needed for o in appraisal.OPTIONS})
    return out


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
        ("text", f"Every £ you enter, and every £ on 'Calculations', is at {scn.price_year} prices (cash), the "
                 "price year of the cost data. 'Results' shows every £ at the price year you choose on 'Your "
                 "council' (its last input): HM Treasury's GDP deflator (on 'Calculations', its rows on "
                 "'Sources') moves each £ from the price base by the ratio of the two years' index. To work in "
                 "your own year instead, enter every £ in that year and leave the price year at "
                 f"{scn.price_year}: every £ result is then in your year."),
        ("section", "What it does, and what it cannot"),
        ("text", "It computes in closed form: how often a child's social worker changes (chapter 2), the practice "
                 "budget (chapter 4), the mean and spread of the children's cost (chapter 3), each contract's "
                 "expected payment and the spread of the practice's surplus (chapter 5), the smallest "
                 "difference a pilot could detect (chapter 8), and the options appraisal (chapter 10): each "
                 "option's net present cost over the term, with the discount rate and optimism bias you set, "
                 "and the cost per extra child-year with one social worker all year and per placement move "
                 "avoided, for one practice's children, and those net present costs scaled to all your children "
                 "in care. Every option's yearly cost comes from the same inputs of yours: the council's team "
                 "(your front line with your pay and costs), the in-house team and the practice (the practice "
                 "budget), the placements (your costs of care), the practice's own cost under each scope, the "
                 "overheads left behind, commissioning and paying twice."),
        ("text", "Two figures of the appraisal are taken from chapter 10's simulation at the book's defaults and do "
                 "not move with your inputs: the council's cost of each scope's contract above the practice's own "
                 "cost (chapter 10 simulates the contract: the effort it calls forth cuts the practice's costs; "
                 "administration and the losses and failures beyond the reserves add), and the amount by which its "
                 "simulated cost of care differs from the exact mean. The workbook cannot simulate, so it carries "
                 "them over; at the book's defaults its appraisal is then chapter 10's, figure for figure. The "
                 "normal-approximation prices of the four contracts (chapter 5) are shown for information and are "
                 "not used in the appraisal."),
        ("text", "It does not simulate. Risk premiums and chances of failure use the normal approximation; the book "
                 "simulates the whole distribution, whose tails are heavier. The foot of 'Results' shows how far "
                 "the approximation is from the simulated model at the book's defaults. It does not price the "
                 "threshold or reinsurance contracts or the outcome contracts of chapter 6, and it does not draw "
                 "chapter 10's acceptability curve (that needs the simulated settings)."),
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
    ws.write(1, 0, f"Every £ you enter is at {appraisal.BASE_YEAR} prices (cash), the price base of the cost data; "
                   "the Results sheet shows every £ at the price year you choose at the foot. A value outside the "
                   "allowed range is refused.", f["note"])
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
    ws.write(1, 0, f"Units in column C; every £ here at {appraisal.BASE_YEAR} prices (Results moves them to the "
                   "price year chosen). Columns D and E give the cell's name and what it computes, with the package "
                   "function that computes the same.", f["note"])
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
    row += 1
    ws.write(row, 0, "Price index: HM Treasury's GDP deflator by financial year (2024 = 100), the mean of its two "
                     "calendar years in data/price_index.csv (listed on Sources)", f["section"])
    row += 1
    for c, h in ((1, "Financial year"), (2, "GDP deflator"), (4, "Calendar years")):
        ws.write(row, c, h, f["head"])
    row += 1
    first = row
    for rec in appraisal.price_index().to_dict("records"):
        year = int(rec["price_year"][:4])
        ws.write_string(row, 1, rec["price_year"], f["text"])
        ws.write_number(row, 2, rec["index"], f["number"])
        ws.write(row, 4, f"mean of {year} and {year + 1}; swp_models.appraisal.price_index", f["text"])
        row += 1
    wb.define_name("price_years", f"='{_CALC_SHEET}'!$B${first + 1}:$B${row}")
    wb.define_name("price_indices", f"='{_CALC_SHEET}'!$C${first + 1}:$C${row}")
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


#: The *Results* sheet: (label, cell name, format) in groups; a "money" value is shown at the price year.
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
        ("Running cost, a year", "running_cost", "money"),
        ("Running cost per child, a year", "running_cost_per_child", "money"),
        ("Children per front-line worker", "caseload_per_worker", "number"),
        ("Mean cost of a child's care, a year", "child_mean", "money"),
        ("Practice's own cost under the scope: expected, a year", "own_cost_mean", "money"),
        ("... spread (sd), a year", "own_cost_sd", "money"),
        ("Reserves", "reserves", "money"),
    )),
    ("The chosen contract (normal approximation)", (
        ("Council's expected payment, a year", "chosen_payment", "money"),
        ("Practice's expected surplus, a year", "chosen_surplus_mean", "money"),
        ("Spread of the surplus (sd), a year", "chosen_surplus_sd", "money"),
        ("Risk premium the practice would charge, a year", "chosen_risk_premium", "money"),
        ("Chance of a loss in a year", "chosen_p_loss", "share"),
        ("Chance of failure in a year", "chosen_p_fail_year", "share"),
        ("Chance of failure over the term", "chosen_p_fail_term", "share"),
        ("Practices for all your children", "practices_needed", "number"),
        ("Council's expected payment for all of them, a year", "council_spend", "money"),
    )),
    ("What a pilot could detect", (
        ("Smallest detectable rise in one worker all year", "mdd_same_worker", "share"),
        ("Smallest detectable fall in three or more placements", "mdd_placements", "share"),
    )),
    ("The options over the term, for one practice's children (chapter 10)", (
        *((f"Net present cost: {appraisal.OPTION_NAMES[o].lower()}", f"ap_npc_{o}", "money")
          for o in appraisal.OPTIONS),
        *((f"Per extra child-year with one worker all year: {appraisal.OPTION_NAMES[o].lower()}",
           f"ap_per_child_year_{o}", "money") for o in appraisal.OPTIONS[1:]),
        *((f"Per placement move avoided: {appraisal.OPTION_NAMES[o].lower()}", f"ap_per_move_avoided_{o}", "money")
          for o in appraisal.OPTIONS[1:]),
    )),
    ("All your children in care, scaled (x practices needed)", (
        ("Practices needed: your children in care / children per practice", "practices_needed", "number"),
        *((f"Net present cost, all your children: {appraisal.OPTION_NAMES[o].lower()}", f"ap_npc_all_{o}", "money")
          for o in appraisal.OPTIONS),
    )),
)
#: The four contracts side by side on the *Results* sheet (the second chart's data): (heading, key, format).
_CONTRACT_COLUMNS = (("Spread of surplus (sd)", "surplus_sd", "money"), ("Risk premium", "risk_premium", "money"),
                     ("Failure in a year", "p_fail_year", "share"), ("Failure over the term", "p_fail_term", "share"))
_PRICED = '"£ at "&price_year&" prices"'


def _result(ws: Any, f: dict[str, Any], row: int, col: int, name: str, kind: str, cached: Mapping[str, float],
            shown: dict[tuple[int, int], tuple[str, str]]) -> None:
    """One value of the *Results* sheet: a Calculations cell, a £ moved to the price year."""
    value = _cached(cached, name)
    if kind == "money":
        if name in cached and not isinstance(value, str):
            value *= cached["price_factor"]
        ws.write_formula(row, col, f"={name}*price_factor", f[kind], value)
    else:
        ws.write_formula(row, col, f"={name}", f[kind], value)
    shown[(row, col)] = (name, kind)


def _distance_table(ws: Any, f: dict[str, Any], row: int, title: str, heads: tuple[str, ...],
                    rows: list[tuple[str, tuple[float, ...], str]], scn: Scenario) -> int:
    """A table of the workbook's figures against the book's at the defaults, from ``row``; its last row."""
    ws.write(row, 0, f"{title} (at the book's defaults, £ at {scn.price_year} prices; these figures do not change "
                     "with your inputs)", f["section"])
    row += 1
    for c, h in enumerate(heads):
        ws.write(row, c, h, f["head"])
    for label, numbers, kind in rows:
        row += 1
        ws.write(row, 0, label, f["text"])
        for c, x in enumerate(numbers):
            ws.write_number(row, c + 1, x, f[kind])
    return row


def _results_sheet(wb: Any, ws: Any, f: dict[str, Any], check: pd.DataFrame, scn: Scenario,
                   cached: Mapping[str, float] | None = None, inputs: Mapping[str, Any] | None = None,
                   ) -> dict[tuple[int, int], tuple[str, str]]:
    cached = {} if cached is None else cached
    known = bool(cached) and inputs is not None
    year = inputs["price_year"] if known else 0
    priced = f"£ at {year} prices" if known else 0
    ws.set_column(0, 0, 58)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 19)
    ws.set_column(3, 5, 15)
    ws.write(0, 0, "Results for your council", f["title"])
    heading = (f"Scope: {inputs['scope']}; contract: {inputs['contract_family']}; every £ at {year} prices "
               f"(inputs at {scn.price_year} prices)" if known else 0)
    ws.write_formula(1, 0, '="Scope: "&scope&"; contract: "&contract_family&"; every £ at "&price_year&" prices '
                     f'(inputs at {scn.price_year} prices)"', f["note"], heading)
    shown: dict[tuple[int, int], tuple[str, str]] = {}
    row = 3
    for title, items in _RESULTS:
        ws.write(row, 0, title, f["section"])
        ws.write(row, 2, "Unit", f["head"])
        row += 1
        for label, name, kind in items:
            ws.write(row, 0, label, f["text"])
            _result(ws, f, row, 1, name, kind, cached, shown)
            if kind == "money":
                ws.write_formula(row, 2, "=" + _PRICED, f["text"], priced)
            else:
                ws.write(row, 2, "share" if kind == "share" else "", f["text"])
            row += 1
        row += 1
    ws.write(row, 0, "The four contracts (normal approximation)", f["section"])
    row += 1
    ws.write(row, 0, "Contract", f["head"])
    for c, (h, _key, kind) in enumerate(_CONTRACT_COLUMNS):
        if kind == "money":
            ws.write_formula(row, c + 1, f'="{h}, "&{_PRICED}', f["head"], f"{h}, {priced}" if known else 0)
        else:
            ws.write(row, c + 1, h, f["head"])
    top = row + 1
    for fam, label in zip(liability.NORMAL_FAMILIES, FAMILIES):
        row += 1
        ws.write(row, 0, label, f["text"])
        for c, (_h, key, kind) in enumerate(_CONTRACT_COLUMNS):
            _result(ws, f, row, c + 1, f"{fam}_{key}", kind, cached, shown)
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
        _result(ws, f, row, 1, name, "share", cached, shown)
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
    rows = [(f"{r['scope']}, {r['contract']}: {r['measure']}", (r["workbook"], r["simulated"], r["difference"]),
             "money" if "£" in r["measure"] else "share")
            for r in check.to_dict("records") if not r["measure"].startswith("spread")]
    row = _distance_table(ws, f, row + 2, "How far the normal approximation is from the simulated model",
                          ("Scope, contract, measure", "Workbook", "Simulated", "Difference"), rows, scn) + 1
    ws.write(row, 0, f"Simulated: the book's pricing engine on {_CHECK_YEARS:,} practice-years of the book's sample "
                     "(lognormal costs within needs groups; the normal approximation has thinner tails).", f["note"])
    row += 2
    ws.set_row(row, 80)
    ws.merge_range(row, 0, row, 3, "The options appraisal: every yearly cost moves with your inputs except two figures, "
                   f"each marked on Calculations '{SIMULATION_NOTE}': the council's cost of each scope's contract above the practice's own cost "
                   "(chapter 10 simulates the contract: the effort it calls forth cuts the practice's costs, and "
                   "administration and the losses and failures beyond the reserves are counted), and the amount by "
                   "which chapter 10's simulated cost of care (of the placements, and of the children's whole cost "
                   "behind your council's wider overheads) differs from the exact mean. So at the book's defaults "
                   "the net present costs and cost ratios are chapter 10's; with your inputs, the contracts keep "
                   "chapter 10's cost above the practice's own. The scaled lines multiply one practice's figures, "
                   "one-off costs included, by the practices needed.", f["note"])
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
    index = data.load("price_index")
    for rec in index.to_dict("records"):
        docs.add(rec["document"])
        for c, text in enumerate((f"price index, {rec['year']}", "price_index", f"{rec['value']:g} {rec['unit']}",
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


def _results_layout() -> dict[str, tuple[str, str]]:
    import xlsxwriter

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    shown = _results_sheet(wb, wb.add_worksheet(_RESULT_SHEET), _formats(wb),
                           pd.DataFrame(columns=["scope", "contract", "measure", "workbook", "simulated",
                                                 "difference"]), Scenario.central())
    wb.close()
    return {f"{'ABCDEF'[c]}{r + 1}": shown[(r, c)] for (r, c) in shown}


def results_cells() -> dict[str, str]:
    """``{cell on the Results sheet: Calculations name it shows}`` (for the tests); a £ is shown at the
    price year (:func:`results_values`)."""
    return {cell: name for cell, (name, _kind) in _results_layout().items()}


def results_values(values: Mapping[str, Any] | None = None) -> dict[str, float]:
    """What each value cell of the *Results* sheet shows, computed by the package: ``{cell: value}``.

    ``values`` as :func:`package_values` takes them; each value is :func:`package_values`' value of the name
    the cell shows, a £ moved from the price base to the input ``price_year`` by
    :func:`swp_models.appraisal.uplift` (NaN where the sheet shows ``#N/A``).
    """
    v = check_inputs(values)
    computed = package_values(v)
    factor = appraisal.uplift(v["price_year"])
    return {cell: computed[name] * (factor if kind == "money" else 1.0)
            for cell, (name, kind) in _results_layout().items()}


def data_uri(values: Mapping[str, Any] | None = None) -> str:
    """The workbook as a ``data:`` URI (for a download link)."""
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return f"data:{mime};base64," + base64.b64encode(workbook_bytes(values)).decode("ascii")
