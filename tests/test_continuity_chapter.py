"""Tests of chapter 2's functions: the exact typed distribution, the tables and grids behind the
page, the outside and simulation checks, the rota and queue tables, the charts and the explorer."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import continuity as cm
from swp_models.figures import continuity_tables as ct
from swp_models import data
from swp_models.continuity import ContinuityScenario
from swp_models.tables import Table
from swp_models.charts import bound_params

ENGLAND = ContinuityScenario(turnover=0.11, vacancy=0.12, agency_tenure_years=0.5, handoffs=3)
H_ENGLAND = 0.88 * -math.log(0.89) + 0.12 / 0.5

scenarios = st.builds(
    ContinuityScenario,
    turnover=st.floats(min_value=0.0, max_value=0.9),
    vacancy=st.floats(min_value=0.0, max_value=0.9),
    agency_tenure_years=st.floats(min_value=0.05, max_value=5.0),
    handoffs=st.integers(min_value=0, max_value=5),
    handoff_window_years=st.floats(min_value=0.01, max_value=1.0),
)


def within(estimate: float, target: float, se: float, k: float = 4.0) -> bool:
    return abs(estimate - target) <= k * se


# ---------------------------------------------------------------------------
# The typed process, exactly
# ---------------------------------------------------------------------------


def test_typed_pmf_by_hand_for_one_year_later_in_care():
    pmf = cm.worker_count_pmf(ENGLAND, 1.0, first_year=False, typed=True)
    h_p, h_a = -math.log(0.89), 2.0
    q = 0.12 / (0.12 + 0.88 * h_p * 0.5)
    # no change: the first worker stays the year
    assert pmf.loc[1] == pytest.approx(0.88 * math.exp(-h_p) + 0.12 * math.exp(-h_a), rel=1e-10)

    # exactly one change: the first worker (type i) leaves at s, the next (type j) stays to the end
    def one_change(h_i: float) -> float:
        total = 0.0
        for h_j, p_j in ((h_p, 1 - q), (h_a, q)):
            # integral over s in [0, 1] of h_i e^{-h_i s} e^{-h_j (1 - s)}
            if h_i == h_j:
                total += p_j * h_i * math.exp(-h_i)
            else:
                total += p_j * h_i * (math.exp(-h_j) - math.exp(-h_i)) / (h_i - h_j)
        return total

    expected_two = 0.88 * one_change(h_p) + 0.12 * one_change(h_a)
    assert pmf.loc[2] == pytest.approx(expected_two, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(s=scenarios, years=st.floats(min_value=0.05, max_value=4.0), first_year=st.booleans())
def test_typed_pmf_is_a_distribution_with_the_exact_mean(s, years, first_year):
    pmf = cm.worker_count_pmf(s, years, first_year, typed=True)
    assert (pmf >= 0).all() and pmf.index[0] == 1
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    mean = float((pmf.index.to_numpy() * pmf.to_numpy()).sum())
    assert mean == pytest.approx(cm.expected_workers(s, years, first_year), rel=1e-8)
    assert pmf.loc[1] == pytest.approx(cm.p_same_worker(s, years, first_year, typed=True), abs=1e-10)
    # the typed distribution is at least as spread as the Poisson one (same mean)
    poisson = cm.worker_count_pmf(s, years, first_year)
    w = pmf.index.to_numpy(dtype=float)
    var_typed = float((w**2 * pmf.to_numpy()).sum()) - mean**2
    wp = poisson.index.to_numpy(dtype=float)
    var_poisson = float((wp**2 * poisson.to_numpy()).sum()) - mean**2
    assert var_typed >= var_poisson - 1e-7


def test_typed_pmf_equals_poisson_without_vacancies():
    s = ContinuityScenario(turnover=0.2, vacancy=0.0, handoffs=2)
    typed = cm.worker_count_pmf(s, 3.0, True, max_workers=15, typed=True)
    poisson = cm.worker_count_pmf(s, 3.0, True, max_workers=15)
    np.testing.assert_allclose(typed.to_numpy(), poisson.to_numpy(), atol=1e-12)
    assert cm.p_workers_at_least(s, 5, 3.0, typed=True) == pytest.approx(cm.p_workers_at_least(s, 5, 3.0), abs=1e-12)


def test_typed_pmf_with_nothing_changing():
    s = ContinuityScenario(turnover=0.0, vacancy=0.0, handoffs=0)
    pmf = cm.worker_count_pmf(s, 2.0, True, typed=True)
    assert pmf.loc[1] == 1.0 and pmf.drop(1).sum() == 0.0
    assert cm.p_workers_at_least(s, 2, 2.0, typed=True) == 0.0
    assert cm.worker_count_pmf(s, 2.0, True, max_workers=3, typed=True).tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("s", "years", "first_year"),
    [(ENGLAND, 1.0, True), (ENGLAND, 1.0, False), (ContinuityScenario(0.2, 0.4, 0.25, 2, 0.5), 2.0, True)],
)
def test_typed_pmf_against_the_detailed_simulation(s, years, first_year):
    n = 40_000
    workers = cm.simulate_worker_counts_detailed(s, years, n, seed=99, first_year=first_year).workers
    pmf = cm.worker_count_pmf(s, years, first_year, typed=True)
    for w in range(1, 9):
        p = float(pmf.get(w, 0.0))
        assert within((workers == w).mean(), p, math.sqrt(max(p * (1 - p), 1e-12) / n))
    p5 = cm.p_workers_at_least(s, 5, years, first_year, typed=True)
    assert within((workers >= 5).mean(), p5, math.sqrt(max(p5 * (1 - p5), 1e-12) / n))


def test_typed_tail_is_heavier_later_in_care():
    assert cm.p_workers_at_least(ENGLAND, 5, 1.0, False, typed=True) > 10 * cm.p_workers_at_least(ENGLAND, 5, 1.0, False)


# ---------------------------------------------------------------------------
# Results and key results
# ---------------------------------------------------------------------------


def test_scenario_results_by_hand():
    r = ct.scenario_results()
    assert list(r.index) == ["Council, England 2005", "Council, London 2005", "Practice"]
    eng = r.loc["Council, England 2005"]
    assert eng["p_same_later"] == pytest.approx(math.exp(-H_ENGLAND), rel=1e-12)
    assert eng["workers_5y"] == pytest.approx(1 + 1.5 + 5 * H_ENGLAND, rel=1e-12)
    below = sum(math.exp(-H_ENGLAND) * H_ENGLAND**j / math.factorial(j) for j in range(2))
    assert eng["p3_later"] == pytest.approx(1 - below, rel=1e-9)
    prac = r.loc["Practice"]
    assert prac["p5_first_typed"] == pytest.approx(prac["p5_first"], abs=1e-12)


def test_key_results_values():
    table = ct.key_results()
    assert isinstance(table, Table)
    values = dict(zip(table.frame["Result"], table.frame["Value"]))
    rests = dict(zip(table.frame["Result"], table.frame["Rests on an assumption"]))
    first = next(k for k in values if k.startswith("Same social worker all year"))
    assert values[first] == "71.0% / 61.1% / 94.5%"
    text = " | ".join(values.values())
    for expected in ("18.8 / 4.7 / 0.0 points (total 23.5)", "90.6%",
                     "4.21 / 3.93 (the practice child has 0.14 to 0.36 fewer)",
                     "8.9% / 0% (council child: 0% to 36.3% across the hand-off range)", "0.04% to 1.1%",
                     "49% (32% to 84%)", "0.46 (0.15 to 0.62) per child",
                     "80 / 48, and 15 / 9 days of rest after call-outs", "14 / 21", "11 (23.7%)", "12 (3.3%)"):
        assert expected in text, expected
    # no key figure comes from an assumption alone without saying so
    for result, value in values.items():
        assumption_driven = any(w in result for w in ("practice", "same start", "readings", "explain", "24-hour"))
        if assumption_driven:
            assert rests[result] != "data and model only", result
    assert "0%" != values[next(k for k in values if "first year" in k)].split(" / ")[0]
    for cell in table.frame["Value"]:
        assert "exp(" not in cell and "ln(" not in cell
    assert (table.frame["Source or basis"].str.len() > 5).all()
    assert table._repr_html_() == ct.key_results()._repr_html_()


def test_numbers_quoted_in_the_chapter_prose():
    """Figures the chapter's prose states in words; if one moves, the prose must be revised."""
    refs = cm.reference_scenarios()
    eng, lon, prac = refs.values()
    assert f"{100 * math.exp(-eng.vacancy / eng.agency_tenure_years):.0f}" == "79"  # no turnover, agency only
    parts = cm.changes_by_cause(eng, 1.0, True)
    assert round(5 * parts["handoffs"] / sum(parts.values())) == 4  # "about four changes in five"
    five = cm.changes_by_cause(eng, 5.0, True)
    assert five["handoffs"] > five["agency"] > five["turnover"]
    five_l = cm.changes_by_cause(lon, 5.0, True)
    assert five_l["agency"] > five_l["handoffs"] > five_l["turnover"]  # "in London agency cover overtakes them"
    assert [f"{cm.expected_workers(s, y, True):.2f}" for s in (eng, lon, prac) for y in (1, 5)] == [
        "2.84", "4.21", "2.99", "4.97", "1.06", "1.28"]
    assert [f"{100 * cm.p_workers_at_least(s, 5, 1.0, True):.1f}" for s in (eng, lon)] == ["5.6", "8.7"]
    assert ct._one_in(cm.p_workers_at_least(eng, 5, 1.0, False)) == "1 in 2,300"
    assert f"{100 * cm.p_workers_at_least(eng, 5, 1.0, False, typed=True):.1f}" == "1.1"
    stab = ct.stability_check().set_index("measure")
    assert f"{stab['hazard_fitted'].iloc[0]:.2f}" == "0.92"
    assert [f"{x:.1f}" for x in stab["fitted"].iloc[1:]] == ["23.3", "54.7", "27.8"]
    assert [f"{x:.1f}" for x in stab["model"].iloc[:2]] == ["29.0", "4.7"]
    assert round(stab["observed"].iloc[0] / stab["model"].iloc[0]) == 2  # "about twice as many"
    rota = cm.rota_table()
    assert f"{100 * rota.loc[6, 'share_of_nights_at_quoted']:.0f}" == "34"
    assert f"{100 * rota.loc[10, 'share_of_nights_at_quoted']:.0f}" == "57"
    q = cm.queue_table().set_index("workers")
    assert math.isnan(q.loc[10, "p_wait"])
    assert f"{100 * q.loc[11, 'utilisation']:.0f}" == "91"
    assert ct.fmt_prob(q.loc[11, "p_wait"]) == "23.7%" and f"{q.loc[11, 'mean_waiting']:.2f}" == "2.37"
    assert f"{q.loc[11, 'wait_if_waiting_weeks']:.1f}" == "10.4"
    assert ct.fmt_prob(q.loc[12, "p_wait"]) == "3.3%" and ct.fmt_prob(q.loc[13, "p_wait"]) == "0.25%"
    t = ct.target_table()
    assert t.loc[0.9, 0.0] == pytest.approx(0.1) and math.isnan(t.loc[0.8, 0.12])
    assert cm.required_turnover(1 - prac.turnover) == pytest.approx(prac.turnover)


def test_formatting_helpers():
    assert ct.fmt_prob(0.0) == "0%"
    assert ct.fmt_prob(4e-7) == "under 0.01%"
    assert ct.fmt_prob(0.000437) == "0.04%"
    assert ct.fmt_prob(0.2900422) == "29.0%"
    assert ct._one_in(0.01) == "1 in 100"
    assert ct._fmt_z(-0.01) == "0.0" and ct._fmt_z(1.23) == "+1.2" and ct._fmt_z(-2.0) == "-2.0"


# ---------------------------------------------------------------------------
# Outside check and simulation check
# ---------------------------------------------------------------------------


def test_implied_hazard():
    assert cm.implied_hazard(0.6) == pytest.approx(-math.log(0.4), rel=1e-12)
    assert cm.implied_hazard(0.0) == 0.0
    assert cm.implied_hazard(1 - math.exp(-H_ENGLAND)) == pytest.approx(H_ENGLAND, rel=1e-12)


def test_stability_check_reads_the_index_and_computes_the_model():
    check = ct.stability_check()
    assert list(check["observed"]) == [
        data.value("stability_index", period="2017-18", measure="at_least_one_change_share"),
        data.value("stability_index", period="2017-18", measure="multiple_changes_share"),
        data.value("stability_index", period="2016-17 to 2017-18", measure="two_or_more_changes_share"),
        data.value("stability_index", period="2016-17 to 2017-18", measure="three_or_more_changes_share"),
    ]
    eng = cm.reference_scenarios()["Council, England 2005"]
    assert check["model"].iloc[0] == pytest.approx(100 * (1 - cm.p_same_worker(eng, 1.0, False)), rel=1e-12)
    assert check["model_typed"].iloc[0] == pytest.approx(100 * (1 - cm.p_same_worker(eng, 1.0, False, typed=True)), rel=1e-9)
    h = check["hazard_fitted"].iloc[0]
    assert check["fitted"].iloc[0] == pytest.approx(60.0, rel=1e-12)
    # two years, three or more changes: 1 - e^{-2h}(1 + 2h + (2h)^2 / 2)
    mu = 2 * h
    assert check["fitted"].iloc[3] == pytest.approx(100 * (1 - math.exp(-mu) * (1 + mu + mu**2 / 2)), rel=1e-9)
    # the outside figures are well above the 2005 model (the chapter's finding)
    assert (check["observed"] > check["model"]).all()
    table = ct.stability_table()
    assert list(table.frame["Stability Index"]) == ["60%", "just over 25%", "55%", "32%"]


def test_simulation_check_agrees_and_is_deterministic():
    check = ct.simulation_check(n_children=50_000, seed=3)
    assert len(check) == 10 and set(check["model"]) == {"Poisson", "Workers keep their type"}
    assert (check["z"].abs() < 4).all()
    assert (check["se"] > 0).all()
    again = ct.simulation_check(n_children=50_000, seed=3)
    pd.testing.assert_frame_equal(check, again)


def test_simulation_table_as_shown_in_the_book():
    table = ct.simulation_table()
    z = table.frame["Difference (standard errors)"].astype(float)
    assert (z.abs() < 2.5).all()  # the page says the differences are what chance gives
    assert "Seed 2007, the book's one seed" in table.notes


def test_queue_simulation_check_agrees():
    check = ct.queue_simulation_check(n_runs=40, years=200.0, seed=5)
    assert (check["z"].abs() < 4).all()
    assert check["closed_form"].iloc[0] == pytest.approx(cm.erlang_c(110, 100.0), rel=1e-12)
    shown = ct.queue_check_table()
    assert (shown.frame["Difference (standard errors)"].astype(float).abs() < 2.5).all()


# ---------------------------------------------------------------------------
# Grids for the static sliders
# ---------------------------------------------------------------------------


def test_turnover_grid_shape_ranges_and_values():
    g = cm.turnover_grid()
    assert g.shape == (31 * 26 * 6, 6)
    assert g["turnover"].between(0, 30).all() and g["vacancy"].between(0, 25).all()
    assert set(g["handoffs"]) == set(range(6))
    assert g[["p_same", "p5"]].stack().between(0, 1).all()
    assert not g.duplicated(["turnover", "vacancy", "handoffs"]).any()
    for t, v, k in [(11, 12, 3), (15, 18, 0), (0, 0, 2), (30, 25, 1)]:
        row = g[(g.turnover == t) & (g.vacancy == v) & (g.handoffs == k)].iloc[0]
        s = ContinuityScenario(t / 100, v / 100, cm.assumption("agency_tenure_years"), k)
        assert row["p_same"] == pytest.approx(cm.p_same_worker(s, 1.0, True), abs=1e-5)
        assert row["workers"] == pytest.approx(cm.expected_workers(s, 1.0, True), abs=1e-5)
        assert row["p5"] == pytest.approx(cm.p_workers_at_least(s, 5, 1.0, True), abs=1e-5)
    # monotone: more turnover never helps
    for (_, _), grp in g.groupby(["vacancy", "handoffs"]):
        grp = grp.sort_values("turnover")
        assert (np.diff(grp["p_same"]) <= 1e-12).all()
        assert (np.diff(grp["p5"]) >= -1e-12).all()
        assert (np.diff(grp["workers"]) > 0).all()


def test_hazard_grid_matches_the_model():
    g = cm.hazard_grid()
    assert g.shape == (31 * 26, 6)
    for t, v in [(11, 12), (15, 18), (0, 25), (30, 0)]:
        row = g[(g.turnover == t) & (g.vacancy == v)].iloc[0]
        s = ContinuityScenario(t / 100, v / 100)
        assert row["from_turnover"] + row["from_agency"] == pytest.approx(cm.hazard(s), abs=2e-5)
        assert row["p_same"] == pytest.approx(cm.p_same_worker(s, first_year=False), abs=1e-5)
        assert row["p_same_typed"] == pytest.approx(cm.p_same_worker(s, first_year=False, typed=True), abs=1e-5)
        assert row["p_same_typed"] >= row["p_same"] - 1e-12


def test_episode_workers_and_distribution():
    ep = cm.episode_workers()
    assert len(ep) == 15
    eng = ep[ep.scenario == "Council, England 2005"].set_index("years")
    assert np.allclose(np.diff(eng["workers"]), H_ENGLAND)
    assert eng.loc[1, "workers"] == pytest.approx(1 + eng.loc[1, ["turnover", "agency", "handoffs"]].sum())
    dist = cm.count_distribution(max_workers=8)
    sums = dist.groupby(["scenario", "period", "model"])["probability"].sum()
    assert np.allclose(sums, 1.0, atol=1e-9) and len(sums) == 12
    assert set(dist["label"]) == {"1", "2", "3", "4", "5", "6", "7", "8+"}


def test_rota_table():
    rota = cm.rota_table()
    assert list(rota.index) == [6, 7, 8, 9, 10, 14, 21]
    assert rota.loc[6, "nights_per_worker"] == pytest.approx(365 / 6)
    assert rota.loc[14, "weeks_between"] == pytest.approx(2.0) and rota.loc[21, "weeks_between"] == pytest.approx(3.0)
    assert rota.loc[8, "share_of_nights_at_quoted"] == pytest.approx(8 / 17.5)
    assert rota.loc[21, "share_of_nights_at_quoted"] == 1.0
    assert cm.rota_table([4], on_duty=2).loc[4, "days_between"] == 2.0


def test_queue_table_by_hand():
    q = cm.queue_table().set_index("workers")
    assert list(q.index) == [10, 11, 12, 13, 14]
    assert (q["cap"] == 10).all() and (q["children"] == 100).all()
    assert q.loc[11, "arrivals"] == pytest.approx(100 / cm.assumption("queue_mean_stay_years"))
    assert q.loc[11, "p_wait"] == pytest.approx(cm.erlang_c(110, 100.0), rel=1e-12)
    settled = q["p_wait"].dropna()
    assert (np.diff(settled) < 0).all()
    # a longer stay with the same children leaves the chance of waiting unchanged and stretches waits
    longer = cm.queue_table(mean_stay_years=4.0).set_index("workers")
    assert longer.loc[11, "p_wait"] == pytest.approx(q.loc[11, "p_wait"], rel=1e-12)
    assert longer.loc[11, "mean_wait_weeks"] == pytest.approx(2 * q.loc[11, "mean_wait_weeks"], rel=1e-12)


def test_queue_grid():
    g = cm.queue_grid()
    assert (g["children"] < g["places"]).all()
    assert (g["places"] == g["workers"] * g["cap"]).all()
    for (_, _), grp in g.groupby(["cap", "workers"]):
        grp = grp.sort_values("children")
        assert (np.diff(grp["p_wait"]) >= -1e-12).all()
        assert grp["p_wait"].iloc[-1] > 0.8  # each line runs close to its end
    assert not g.duplicated(["cap", "workers", "children"]).any()


def test_required_turnover_round_trip():
    for p, v in [(0.9, 0.0), (0.8, 0.05), (0.7, 0.12), (0.5, 0.3)]:
        t = cm.required_turnover(p, v)
        s = ContinuityScenario(t, v)
        assert cm.p_same_worker(s, 1.0, False) == pytest.approx(p, rel=1e-12)
    assert math.isnan(cm.required_turnover(0.9, 0.12))
    assert cm.required_turnover(1.0) == 0.0
    assert math.isnan(cm.required_turnover(1.0, 0.01))


def test_book_tables_render():
    for fn in (ct.scenario_table, ct.stability_table, ct.rota_summary_table, ct.queue_summary_table,
               ct.target_summary_table):
        table = fn()
        assert isinstance(table, Table) and "<table" in table._repr_html_() and "nan" not in repr(table).lower()
    assert "grows without limit" in repr(ct.queue_summary_table())
    assert "unreachable" in repr(ct.target_summary_table())


def test_queue_mean_stay_is_a_labelled_assumption():
    row = data.row(cm.ASSUMPTIONS_TABLE, parameter="queue_mean_stay_years")
    assert row["status"] == "assumption" and row["unit"] == "years" and row["value"] == 2.0


# ---------------------------------------------------------------------------
# Bad inputs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.worker_count_pmf(ENGLAND, 0.0, typed=True), r"years must be in \(0, 100\]; got 0.0"),
        (lambda: cm.worker_count_pmf(ENGLAND, 1.0, max_workers=0, typed=True), r"max_workers must be a whole number in \[1"),
        (lambda: cm.worker_count_pmf({"turnover": 0.1}, typed=True), r"s must be a ContinuityScenario"),
        (lambda: cm.p_workers_at_least(ENGLAND, 0, typed=True), r"k must be a whole number in \[1, 100,000\]; got 0"),
        (lambda: cm.implied_hazard(1.0), r"p_change must be in \[0, 1\); got 1.0"),
        (lambda: cm.implied_hazard(float("nan")), r"p_change must be a finite number"),
        (lambda: cm.required_turnover(0.0), r"p_target must be in \(0, 1\]; got 0.0"),
        (lambda: cm.required_turnover(1.2), r"p_target must be in \(0, 1\]"),
        (lambda: cm.required_turnover(0.9, vacancy=1.0), r"vacancy must be in \[0, 1\)"),
        (lambda: cm.required_turnover(0.9, agency_tenure_years=0.0), r"agency_tenure_years must be in \[1e-06, 100\]"),
        (lambda: cm.turnover_grid(turnover_pct=[100]), r"turnover_pct must be an integer in \[0, 99\]; got 100"),
        (lambda: cm.turnover_grid(vacancy_pct=[]), r"vacancy_pct must have at least 1 item"),
        (lambda: cm.turnover_grid(handoffs=[-1]), r"handoffs must be an integer in \[0, 1000\]; got -1"),
        (lambda: cm.turnover_grid(handoffs=[]), r"handoffs must have at least 1 item"),
        (lambda: cm.turnover_grid(agency_tenure_years=-1.0), r"agency_tenure_years must be in \[1e-06, 100\]"),
        (lambda: cm.hazard_grid(turnover_pct=[1.5]), r"turnover_pct must be an integer; got 1.5"),
        (lambda: cm.episode_workers(years=[0]), r"years must be in \(0, 100\]; got 0"),
        (lambda: cm.count_distribution(max_workers=1), r"max_workers must be a whole number in \[2, [0-9,]+\]; got 1"),
        (lambda: ct.simulation_check(n_children=10), r"n_children must be a whole number in \[100, [0-9,]+\]; got 10"),
        (lambda: ct.simulation_check(n_children=1000, seed=-3), r"seed must be a non-negative integer"),
        (lambda: cm.rota_table([0]), r"team_sizes must be a whole number in \[1, 10,000\]; got 0"),
        (lambda: cm.queue_table(children=-5.0), r"children must be in \(0, 100000\]; got -5.0"),
        (lambda: cm.queue_table(cap=0), r"cap must be a whole number in \[1, [0-9,]+\]; got 0"),
        (lambda: cm.queue_table(mean_stay_years=0.0), r"mean_stay_years must be in \(0, 100\]"),
        (lambda: cm.queue_table(workers=[0]), r"workers must be a whole number in \[1, [0-9,]+\]; got 0"),
        (lambda: cm.queue_grid(children=[0.0]), r"children must be in \(0, inf\); got 0.0"),
        (lambda: ct.scenario_results({"x": "not a scenario"}), r"scenarios\['x'\] must be a ContinuityScenario"),
    ],
)
def test_bad_inputs_name_the_parameter(call, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        call()


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------

CHARTS = ["turnover_chart", "episode_chart", "same_start_chart", "decomposition_chart", "distribution_chart",
          "rota_chart", "queue_chart"]


@pytest.fixture(scope="module")
def chart_specs():
    from swp_models.figures import continuity as figures

    return {name: getattr(figures, name)().to_dict() for name in CHARTS}


def test_charts_build_with_named_sliders_and_small_data(chart_specs):
    expected = {
        "turnover_chart": {"ch2_vacancy"},
        "episode_chart": {"ch2_episode_years", "ch2_episode_turnover", "ch2_episode_vacancy", "ch2_episode_handoffs"},
        "same_start_chart": {"ch2_handoff_chance"},
        "decomposition_chart": {"ch2_decomp_practice"},
        "distribution_chart": {"ch2_dist_period", "ch2_dist_model"},
        "rota_chart": set(),
        "queue_chart": {"ch2_queue_cap"},
    }
    all_names = []
    total = 0
    for name, spec in chart_specs.items():
        names = bound_params(spec)
        assert set(names) == expected[name], name
        all_names += names
        text = json.dumps(spec)
        total += len(text)
        assert "Source:" in text and spec["vconcat"], name
    assert len(all_names) == len(set(all_names))  # names unique on the page
    assert total < 400_000  # the page's embedded charts stay small


def test_slider_ranges_match_the_grids(chart_specs):
    spec = json.dumps(chart_specs["turnover_chart"])
    assert '"max": 25' in spec and '"min": 0' in spec
    grid_vacancies = set(cm.turnover_grid()["vacancy"])
    assert grid_vacancies == set(range(0, 26))


def test_chart_builders_are_deterministic():
    from swp_models.figures import continuity as figures

    a = json.dumps(figures.episode_chart().to_dict(), sort_keys=True)
    b = json.dumps(figures.episode_chart().to_dict(), sort_keys=True)
    assert a == b


def test_episode_chart_accepts_other_scenarios():
    from swp_models.figures import continuity as figures

    own = {"Mine": ContinuityScenario(0.2, 0.1, handoffs=1)}
    chart = figures.episode_chart(own)
    assert isinstance(chart, alt.VConcatChart)
    assert "Mine" in json.dumps(chart.to_dict())


# ---------------------------------------------------------------------------
# Explorer
# ---------------------------------------------------------------------------


def test_explorer_recomputes_on_change():
    import ipywidgets  # noqa: F401  (pinned; a missing install must fail, not skip)
    from swp_models.explore.continuity import explorer

    box = explorer()
    out = box.output
    first = out.value
    assert "71.0%" in first and "Night rota" in first and "Caseload cap" in first
    box.controls["turnover"].value = 30.0
    assert out.value != first
    after_turnover = out.value
    box.controls["preset"].value = "Practice"
    assert "94.5%" in out.value and out.value != after_turnover
    box.controls["workers"].value = 5  # 50 places for 100 children
    assert "no steady state" in out.value
    box.controls["team_size"].value = 14
    assert "26.1" in out.value
    assert "Recomputed in" in box.timing.value
    # every parameter of the models has a control
    assert set(box.controls) >= {"turnover", "vacancy", "agency_tenure_years", "handoffs", "handoff_window_years",
                                 "episode_years", "team_size", "on_duty", "weeks_between_duties", "workers", "cap",
                                 "arrivals", "mean_stay_years"}


def test_results_html_is_pure():
    from swp_models.explore.continuity import ExplorerInputs, results_html

    inputs = ExplorerInputs(ENGLAND, 5.0, 8, 1, 2.5, 11, 10, 50.0, 2.0)
    html = results_html(inputs)
    assert html == results_html(inputs)
    assert "23.7%" in html and "45.6" in html and "18" in html
