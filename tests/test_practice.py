"""Tests of the practice running-cost model (swp_models.practice), its charts and its explorer.

Hand computations use the source figures directly: the 2006 pay scales (£22,513-£30,983 for
social workers, £33,386-£37,347 for team leaders), employer NI of 12.8% above £97 a week and the
LGPS employer rate of 15.2%.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import practice
from swp_models.figures import practice as figures
from swp_models.figures import practice_tables
from swp_models.practice import Overheads, PracticeDesign, SalaryScale, salary_scale

SW_MIN, SW_MAX, TL_MIN, TL_MAX = 22_513.0, 30_983.0, 33_386.0, 37_347.0
NI, THRESHOLD, PENSION = 0.128, 97.0 * 52, 0.152
CENSUS = 35_360.0


def employer_cost(salary: float) -> float:
    return salary + NI * max(0.0, salary - THRESHOLD) + PENSION * salary


# --- defaults read from data -----------------------------------------------------------


def test_default_design_comes_from_the_report():
    d = PracticeDesign()
    assert d.frontline == 8  # middle of "6-10"
    assert d.admin_ratio == pytest.approx(0.2)  # "approximately 1 to 5"
    assert d.caseload == 100  # draft contract, Art. 4
    assert d.on_duty == 1  # Q226
    assert d.admin_fte == pytest.approx(1.6)
    assert d.staff_fte == pytest.approx(8 + 1.6 + 1 + 1 + 0.2)


def test_salary_scale_levels_are_the_sourced_scales():
    low, mid, high = (salary_scale(lvl) for lvl in ("low", "mid", "high"))
    assert (low.social_worker, high.social_worker) == (SW_MIN, SW_MAX)
    assert (low.manager, high.manager) == (TL_MIN, TL_MAX)
    assert mid.social_worker == pytest.approx((SW_MIN + SW_MAX) / 2)
    assert mid.pdo == mid.manager == pytest.approx((TL_MIN + TL_MAX) / 2)
    assert mid.admin == pytest.approx(0.6 * mid.social_worker)
    assert mid.support == pytest.approx(mid.social_worker)
    assert (mid.employer_ni_rate, mid.ni_threshold, mid.pension_rate) == pytest.approx((NI, THRESHOLD, PENSION))
    assert salary_scale() == mid
    assert salary_scale(0.25).social_worker == pytest.approx(SW_MIN + 0.25 * (SW_MAX - SW_MIN))
    assert salary_scale("mid", 1.2).social_worker == pytest.approx(1.2 * (SW_MIN + SW_MAX) / 2)


def test_london_premium_from_2004_averages():
    assert practice.london_premium() == pytest.approx(28_771 / 24_487)
    assert round(100 * (practice.london_premium() - 1)) == 17  # quoted in the chapter


# --- the budget by hand ----------------------------------------------------------------


def test_running_cost_matches_hand_computation():
    b = practice.running_cost().set_index("item")
    sw, tl = (SW_MIN + SW_MAX) / 2, (TL_MIN + TL_MAX) / 2
    assert b.loc["frontline", "total"] == pytest.approx(8 * employer_cost(sw))
    assert b.loc["manager", "total"] == pytest.approx(employer_cost(tl))
    assert b.loc["admin", "total"] == pytest.approx(1.6 * employer_cost(0.6 * sw))
    assert b.loc["support", "total"] == pytest.approx(employer_cost(sw))
    assert b.loc["pdo", "total"] == pytest.approx(0.2 * employer_cost(tl))
    assert b.loc["frontline", "employer_ni"] == pytest.approx(8 * NI * (sw - THRESHOLD))
    assert b.loc["students", "total"] == 2 * 1500
    assert b.loc["on_call", "total"] == 365 * 25
    assert b.loc["direct", "total"] == pytest.approx(11.8 * 3000)
    assert b.loc["premises_it", "total"] == pytest.approx(11.8 * 4000)
    assert b.loc["legal", "total"] == 20_000 and b.loc["fixed", "total"] == 25_000
    expected = (8 * employer_cost(sw) + employer_cost(tl) + 1.6 * employer_cost(0.6 * sw) + employer_cost(sw)
                + 0.2 * employer_cost(tl) + 3000 + 365 * 25 + 11.8 * 7000 + 45_000)
    assert practice.total_running_cost() == pytest.approx(expected)
    assert practice.cost_per_child() == pytest.approx(expected / 100)


def test_budget_identities():
    b = practice.running_cost()
    assert np.allclose(b["on_costs"], b["employer_ni"] + b["pension"])
    assert np.allclose(b["total"], b["pay"] + b["on_costs"] + b["other"])
    staff = b[b["kind"] == "staff"]
    assert np.allclose(staff["pay"], staff["fte"] * staff["salary"])
    assert b.loc[b["kind"] == "other", ["fte", "salary"]].isna().all().all()
    assert list(b["item"]) == list(practice.STAFF_ROLES) + list(practice.OTHER_ITEMS)
    assert set(b.loc[~b["in_census_scope"], "item"]) == {"manager", "legal", "premises_it", "fixed"}


def test_on_costs_zero_below_threshold_and_linear_above():
    scale = salary_scale()
    ni, pension = practice.on_costs(np.array([0.0, THRESHOLD, THRESHOLD + 1000.0]), scale)
    assert ni.tolist() == pytest.approx([0.0, 0.0, 128.0])
    assert pension.tolist() == pytest.approx([0.0, PENSION * THRESHOLD, PENSION * (THRESHOLD + 1000)])


def test_limits_no_support_no_overheads_is_pure_frontline_pay():
    d = PracticeDesign(admin_ratio=0, manager_fte=0, support_fte=0, pdo_fte=0, students=0, on_duty=0)
    zero = Overheads(student_cost=0, on_call_per_night=0, legal_services=0, direct_costs_per_fte=0,
                     premises_it_per_fte=0, fixed_overheads=0)
    scale = salary_scale(employer_ni_rate=0, pension_rate=0)
    assert practice.total_running_cost(d, scale, zero) == pytest.approx(8 * scale.social_worker)
    assert practice.summary(d, scale, zero)["out_of_scope"] == 0


def test_summary_splits_add_up_and_compare_with_child_cost():
    s = practice.summary()
    assert s["in_scope"] + s["out_of_scope"] == pytest.approx(s["cost_per_child"])
    assert s["child_cost"] == pytest.approx(CENSUS)  # chapter 3's cost-model mean is the census average
    assert s["share_of_child_cost"] == pytest.approx(100 * s["cost_per_child"] / CENSUS)
    c = practice.compare_with_child_cost()
    assert c["amount"].iloc[0] + c["amount"].iloc[1] == pytest.approx(CENSUS)  # part of, not on top of
    assert c["end"].iloc[-1] == pytest.approx(CENSUS + s["out_of_scope"])
    assert (c["start"].iloc[1:].to_numpy() == pytest.approx(c["end"].iloc[:-1].to_numpy()))


def test_figures_quoted_in_the_chapter():
    s = practice.summary()
    assert round(s["running_cost"], -3) == 527_000
    assert f"£{s['cost_per_child']:,.0f}" == "£5,274"
    assert f"{s['share_of_child_cost']:.1f}" == "14.9"
    assert f"£{s['out_of_scope']:,.0f}" == "£1,368" and f"{s['out_of_scope_share']:.1f}" == "3.9"
    assert round(s["frontline_share"]) == 51 and round(s["staff_share"]) == 74
    assert practice.caseload_per_worker() == 12.5
    assert practice.workers_for_cap(100, 10) == 10 and practice.workers_for_cap(110, 10) == 11
    rates = practice.employer_cost_by_level()["on_cost_rate"]
    assert rates.between(24, 27).all()  # "about a quarter"
    d = PracticeDesign()
    lo, hi = (practice.total_running_cost(d, salary_scale(k)) for k in ("low", "high"))
    assert round(hi / lo - 1, 2) == 0.24  # "about a quarter"
    assert round(100 * (hi - lo) / 100 / CENSUS) == 3  # "about 3%"
    g = practice.summary_grid()
    assert round(g["running_cost"].min(), -5) == 400_000 and round(g["running_cost"].max(), -5) == 700_000
    assert round(g["cost_per_child"].min(), -2) == 3_900 and round(g["cost_per_child"].max(), -3) == 7_000
    assert 10 <= g["share_of_child_cost"].min() and g["share_of_child_cost"].max() <= 20


# --- monotonicity and properties -------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 49),
    admin=st.floats(0, 1),
    pos=st.floats(0, 1),
    caseload=st.integers(1, 2000),
)
@pytest.mark.slow
def test_cost_rises_with_team_and_pay(n, admin, pos, caseload):
    d = PracticeDesign(frontline=n, admin_ratio=admin, caseload=caseload)
    scale = salary_scale(pos)
    base = practice.total_running_cost(d, scale)
    assert practice.total_running_cost(d.replace(frontline=n + 1), scale) > base
    assert practice.total_running_cost(d, salary_scale(min(1.0, pos + 0.1))) >= base
    assert practice.cost_per_child(d, scale) == pytest.approx(base / caseload)
    assert practice.caseload_per_worker(d) == pytest.approx(caseload / n)


@settings(max_examples=30, deadline=None)
@given(children=st.integers(0, 5000), cap=st.integers(1, 50))
def test_workers_for_cap_is_the_smallest_team_within_the_cap(children, cap):
    k = practice.workers_for_cap(children, cap)
    assert k * cap >= children
    assert k == 0 or (k - 1) * cap < children


def test_admin_ratio_and_overheads_raise_cost():
    d = PracticeDesign()
    base = practice.total_running_cost(d)
    assert practice.total_running_cost(d.replace(admin_ratio=0.25)) > base
    assert practice.total_running_cost(d, overheads=Overheads(legal_services=30_000)) == pytest.approx(base + 10_000)


# --- grids -------------------------------------------------------------------------------


def test_budget_grid_shape_and_consistency():
    g = practice.budget_grid()
    assert set(g["frontline"]) == {6, 7, 8, 9, 10}
    assert set(g["admin_one_in"]) == {4, 5, 6} and set(g["level"]) == {"low", "mid", "high"}
    assert len(g) < 2000
    one = g[(g["frontline"] == 8) & (g["admin_one_in"] == 5) & (g["level"] == "mid")]
    assert one["amount"].sum() * 1e3 == pytest.approx(practice.total_running_cost(), abs=50)
    totals = g.groupby(["admin_one_in", "level", "frontline"])["amount"].sum().unstack("frontline")
    assert (totals.diff(axis=1).iloc[:, 1:] > 0).all().all()  # larger team, larger budget


def test_summary_grid_monotone_in_pay_and_admin():
    g = practice.summary_grid().set_index(["frontline", "admin_one_in", "level"])["running_cost"]
    for n in (6, 8, 10):
        assert g[(n, 5, "low")] < g[(n, 5, "mid")] < g[(n, 5, "high")]
        assert g[(n, 4, "mid")] > g[(n, 5, "mid")] > g[(n, 6, "mid")]


def test_caseload_table():
    t = practice.caseload_table()
    assert set(t["caseload"]) == {90, 100, 110}
    row = t[(t["frontline"] == 8) & (t["caseload"] == 100)].iloc[0]
    assert row["per_worker"] == 12.5 and row["in_report_range"]
    assert not t[t["frontline"] == 11]["in_report_range"].any()


# --- key results -------------------------------------------------------------------------


def test_key_results_values():
    text = repr(practice_tables.key_results())
    for figure in ("8, 1.6, 2.2; 11.8 in all", "10.0 to 16.7", "10 (11)", "£527k", "£386k to £704k",
                   "£5,274 (£3,859 to £7,036)", "74%", "£35,360", "14.9% (10.9% to 19.9%)", "£1,368 per child (3.9%)"):
        assert figure in text, figure


def test_budget_table_total_row():
    t = practice_tables.budget_table()
    last = t.frame.iloc[-1]
    assert last["Line"] == "Total" and last["Total a year"] == "£527,434"
    assert "12.8%" in t.notes and "£97 a week" in t.notes and "15.2%" in t.notes


# --- bad inputs: each error names the parameter -------------------------------------------


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"frontline": 0}, r"frontline must be an integer in \[1, 50\]; got 0"),
        ({"frontline": 51}, r"frontline must be an integer in \[1, 50\]; got 51"),
        ({"frontline": 8.5}, r"frontline must be an integer; got 8.5"),
        ({"admin_ratio": -0.1}, r"admin_ratio must be in \[0, 1\]; got -0.1"),
        ({"admin_ratio": float("nan")}, r"admin_ratio must be a finite number; got nan"),
        ({"manager_fte": 6}, r"manager_fte must be in \[0, 5\]; got 6"),
        ({"support_fte": -1}, r"support_fte must be in \[0, 20\]; got -1"),
        ({"pdo_fte": "x"}, r"pdo_fte must be a real number; got 'x'"),
        ({"students": -1}, r"students must be an integer in \[0, 50\]; got -1"),
        ({"caseload": 0}, r"caseload must be an integer in \[1, 2000\]; got 0"),
        ({"frontline": 2, "on_duty": 3}, r"on_duty must be an integer in \[0, 2\]; got 3"),
    ],
)
def test_design_rejects_bad_inputs(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        PracticeDesign(**kwargs)


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"position": 1.5}, r"position must be in \[0, 1\]; got 1.5"),
        ({"position": "top"}, r"position must be one of 'low', 'mid', 'high'; got 'top'"),
        ({"multiplier": 0}, r"multiplier must be in \(0, 5\]; got 0"),
        ({"admin_pay_ratio": -1}, r"admin_pay_ratio must be in \(0, 5\]; got -1"),
        ({"support_pay_ratio": float("inf")}, r"support_pay_ratio must be a finite number; got inf"),
        ({"employer_ni_rate": 1.0}, r"employer_ni_rate must be in \[0, 1\); got 1.0"),
        ({"ni_threshold": -5}, r"ni_threshold must be in \[0, 100000\]; got -5"),
        ({"pension_rate": float("nan")}, r"pension_rate must be a finite number; got nan"),
    ],
)
def test_salary_scale_rejects_bad_inputs(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        salary_scale(**kwargs)


def test_salary_scale_fields_validated_directly():
    good = salary_scale()
    with pytest.raises(ValueError, match=r"social_worker must be in \(0, 250000\]; got 0"):
        SalaryScale(**{**good.__dict__, "social_worker": 0})
    with pytest.raises(ValueError, match=r"admin must be in \(0, 250000\]; got 1000000.0"):
        SalaryScale(**{**good.__dict__, "admin": 1e6})


@pytest.mark.parametrize("name", ["student_cost", "on_call_per_night", "legal_services", "direct_costs_per_fte",
                                  "premises_it_per_fte", "fixed_overheads"])
def test_overheads_reject_negative(name):
    with pytest.raises(ValueError, match=rf"{name} must be in \[0, 1e\+07\]; got -1"):
        Overheads(**{name: -1})


def test_other_bad_inputs():
    with pytest.raises(ValueError, match=r"design must be a PracticeDesign; got 8"):
        practice.running_cost(8)
    with pytest.raises(ValueError, match=r"salaries must be a SalaryScale"):
        practice.running_cost(PracticeDesign(), "mid")
    with pytest.raises(ValueError, match=r"overheads must be an Overheads"):
        practice.running_cost(PracticeDesign(), None, 5)
    with pytest.raises(ValueError, match=r"child_cost_per_year must be in \(0, 1e\+07\]; got 0"):
        practice.summary(child_cost_per_year=0)
    with pytest.raises(ValueError, match=r"value must be in \(0, 1e\+07\]; got 0"):
        practice.child_cost(0)
    with pytest.raises(ValueError, match=r"cap must be an integer in \[1, 1000000000\]; got 0"):
        practice.workers_for_cap(100, 0)
    with pytest.raises(ValueError, match=r"children must be an integer in \[0, 1000000000\]; got -1"):
        practice.workers_for_cap(-1, 10)
    with pytest.raises(ValueError, match="children"):
        practice.workers_for_cap(10**15, 10)
    for bad, name in (((), "frontline"), (5, "frontline"), ((6, 0), "frontline")):
        with pytest.raises((ValueError, TypeError), match=name):
            practice.summary_grid(frontline=bad)
    with pytest.raises((ValueError, TypeError), match="levels"):
        practice.budget_grid(levels=())
    with pytest.raises((ValueError, TypeError), match="caseloads"):
        practice.caseload_table(caseloads=[])
    with pytest.raises(TypeError, match="scale"):
        practice.on_costs(30000.0, "mid")
    with pytest.raises(ValueError, match=r"salary must be finite and >= 0"):
        practice.on_costs(-1.0, salary_scale())
    with pytest.raises(ValueError, match=r"levels must be one of"):
        practice.budget_grid(levels=("top",))
    with pytest.raises(ValueError, match=r"parameter must be one of 'scale_position'.*; got 'nonsense'"):
        practice.assumption("nonsense")
    with pytest.raises(ValueError, match=r"exceeds the child's cost"):
        practice.compare_with_child_cost(child_cost_per_year=1000)


# --- charts and explorer ---------------------------------------------------------------


@pytest.mark.slow
def test_charts_have_named_controls_sources_and_small_data():
    import json

    for build, prefix in ((figures.budget_chart, "ch4_budget"), (figures.comparison_chart, "ch4_compare")):
        spec = build().to_dict()
        names = {p["name"] for p in spec["params"]}
        assert names == {f"{prefix}_frontline", f"{prefix}_admin", f"{prefix}_level"}
        assert spec["title"]["text"].startswith("Source:")
        assert len(json.dumps(spec)) < 400_000
    # Figs 4.2 and 4.3 as one figure: one set of sliders drives both panels.
    spec = figures.budget_and_comparison_chart().to_dict()
    assert {p["name"] for p in spec["params"]} == {"ch4_budget_frontline", "ch4_budget_admin", "ch4_budget_level"}
    assert len(spec["vconcat"][0]["vconcat"]) == 2 and len(json.dumps(spec)) < 400_000
    spec = figures.caseload_chart().to_dict()
    assert spec["title"]["text"].startswith("Source:") and "Q239" in spec["title"]["text"]


def test_pay_scenarios_add_to_the_running_cost():
    f = practice.pay_scenarios().set_index("scenario")
    base = f.loc["default", "running_cost"]
    assert base == pytest.approx(practice.total_running_cost())
    assert (f.drop(index="default")["change"] > 0).all()
    assert f.loc["partners", "running_cost"] == pytest.approx(base * (1 + practice.assumption("partner_surplus_share")))
    none = practice.pay_scenarios(pay_premium=0.0, partner_surplus_share=0.0,
                                  new_employer_pension_rate=practice.salary_scale().pension_rate).set_index("scenario")
    np.testing.assert_allclose(none["change"], 0.0, atol=1e-6)
    with pytest.raises(ValueError, match="pay_premium"):
        practice.pay_scenarios(pay_premium=-0.1)
    assert "TUPE" in repr(practice_tables.pay_scenario_table())


def test_explorer_recomputes_on_change():
    import ipywidgets  # noqa: F401  (pinned; a missing install must fail, not skip)
    from swp_models.explore.practice import explorer

    box = explorer()
    expected = {"frontline", "admin_ratio", "manager_fte", "support_fte", "pdo_fte", "students", "caseload", "on_duty",
                "position", "multiplier", "admin_pay_ratio", "support_pay_ratio", "employer_ni_rate", "ni_threshold",
                "pension_rate", "student_cost", "on_call_per_night", "legal_services", "direct_costs_per_fte",
                "premises_it_per_fte", "fixed_overheads", "child_cost"}
    assert set(box.controls) == expected
    before = box.output.value
    assert "£527,434" in before
    box.controls["frontline"].value = 10
    assert box.output.value != before
    assert f"£{practice.total_running_cost(PracticeDesign(frontline=10)):,.0f}" in box.output.value
    box.controls["frontline"].value = 1
    box.controls["on_duty"].value = 2
    assert "on_duty must be an integer in [0, 1]; got 2" in box.output.value
