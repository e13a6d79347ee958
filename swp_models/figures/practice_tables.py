"""Chapter 4's page tables and key results, "What a practice costs to run".

Formatted tables built from the model in :mod:`swp_models.practice`; the charts are in
``swp_models.figures.practice``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import data
from ..practice import (
    GRID_FRONTLINE,
    SALARY_LEVEL_LABELS,
    WEEKS_PER_YEAR,
    Overheads,
    PracticeDesign,
    SalaryScale,
    employer_cost_by_level,
    pay_scenarios,
    running_cost,
    sourced_pay,
    summary,
    summary_grid,
    workers_for_cap,
)
from ..practice.design import assumption_values, design_defaults, pay_inputs
from ..tables import Table, fmt_gbp, fmt_num, fmt_pct
from ..tables import key_results as _key_results

__all__ = [
    "line_basis",
    "oncost_note",
    "pay_table",
    "employer_cost_table",
    "budget_table",
    "pay_scenario_table",
    "key_results",
]

def pay_table() -> Table:
    """The sourced pay figures as a compact table (£ a year)."""

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


def employer_cost_table() -> Table:
    """What a full-time social worker and team leader cost the employer at each pay level."""

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
    d = design_defaults()
    a = assumption_values()
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
    p = pay_inputs()
    return (f"On-costs: employer's National Insurance ({100 * p['employer_ni_rate']:.1f}% above "
            f"£{p['ni_threshold'] / WEEKS_PER_YEAR:,.0f} a week, 2006-07) and pension "
            f"({100 * p['pension_rate']:.1f}%, the LGPS average of 2005-06).")


def budget_table(
    design: PracticeDesign | None = None,
    salaries: SalaryScale | None = None,
    overheads: Overheads | None = None,
) -> Table:
    """The budget as a formatted table (FTE, salary, on-costs, other costs, total, basis)."""

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


def pay_scenario_table() -> Table:
    """:func:`swp_models.practice.pay_scenarios` as a page table, with staff transfer named as an uncounted cost."""

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


def key_results(*, data_dir: str | Path | None = None) -> Table:
    """The chapter's key-results table (defaults, and the range over the static page's grid)."""

    data.data_folder(data_dir)  # a wrong folder is refused before any work
    design = PracticeDesign()
    s = summary(design)
    grid = summary_grid()
    lo_run, hi_run = grid["running_cost"].min(), grid["running_cost"].max()
    lo_pc, hi_pc = grid["cost_per_child"].min(), grid["cost_per_child"].max()
    lo_share, hi_share = grid["share_of_child_cost"].min(), grid["share_of_child_cost"].max()
    cap = int(data.value("committee_evidence_2008", measure="caseload_cap", data_dir=data_dir))
    margin = int(data.value("practice_design", parameter="caseload_margin", data_dir=data_dir))
    n = design.caseload
    per_worker = {k: n / k for k in (GRID_FRONTLINE[0], GRID_FRONTLINE[-1])}
    k_def = round(1 / design.admin_ratio)

    scen = pay_scenarios().set_index("scenario").loc["all"]

    def thousand(x: float) -> str:
        return f"£{x / 1e3:,.0f}k"

    return _key_results(
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

