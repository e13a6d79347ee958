"""Tests of swp_models.continuity: closed forms, simulations, data scenarios, rota and queue."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import continuity as cm
from swp_models.figures import continuity_tables as ct
from swp_models import data
from swp_models.continuity import ContinuityScenario

# England 2005 (report s.4.3): turnover 11%, vacancy 12%; six-month agency stays.
ENGLAND = ContinuityScenario(turnover=0.11, vacancy=0.12, agency_tenure_years=0.5, handoffs=3)

probabilities = st.floats(min_value=0.0, max_value=0.95, allow_nan=False)
tenures = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
handoff_counts = st.integers(min_value=0, max_value=6)
periods = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
scenarios = st.builds(
    ContinuityScenario,
    turnover=probabilities,
    vacancy=probabilities,
    agency_tenure_years=tenures,
    handoffs=handoff_counts,
    handoff_window_years=st.floats(min_value=0.01, max_value=1.0, allow_nan=False),
)


def within(estimate: float, target: float, se: float, k: float = 4.0) -> bool:
    return abs(estimate - target) <= k * se


# ---------------------------------------------------------------------------
# Closed forms against hand calculations
# ---------------------------------------------------------------------------


def test_hazard_by_hand():
    h_perm = -math.log(1 - 0.11)  # 0.11653...
    expected = 0.88 * h_perm + 0.12 / 0.5
    assert cm.hazard(ENGLAND) == pytest.approx(expected, rel=1e-12)
    assert cm.hazard(ENGLAND) == pytest.approx(0.342550, abs=1e-6)


def test_p_same_worker_later_year_by_hand():
    h = 0.88 * -math.log(0.89) + 0.24
    assert cm.p_same_worker(ENGLAND, 1.0, first_year=False) == pytest.approx(math.exp(-h), rel=1e-12)
    assert cm.p_same_worker(ENGLAND, 2.0, first_year=False) == pytest.approx(math.exp(-2 * h), rel=1e-12)
    assert cm.p_same_worker(ENGLAND, 1.0, first_year=False) == pytest.approx(0.70996, abs=1e-5)


def test_p_same_worker_first_year_with_handoffs_is_zero():
    assert cm.p_same_worker(ENGLAND, 1.0, first_year=True) == 0.0
    assert cm.p_same_worker(ENGLAND, 1.0, first_year=True, typed=True) == 0.0


def test_p_same_worker_first_year_without_handoffs_equals_later_year():
    s = ENGLAND.replace(handoffs=0)
    assert cm.p_same_worker(s, 1.0, first_year=True) == cm.p_same_worker(s, 1.0, first_year=False)


def test_p_same_worker_typed_by_hand():
    h_perm = -math.log(0.89)
    expected = 0.88 * math.exp(-h_perm) + 0.12 * math.exp(-2.0)
    assert cm.p_same_worker(ENGLAND, 1.0, first_year=False, typed=True) == pytest.approx(expected, rel=1e-12)
    # with no vacancies the typed and Poisson probabilities coincide: 1 - turnover after a year
    s = ContinuityScenario(turnover=0.15)
    assert cm.p_same_worker(s, 1.0, first_year=False, typed=True) == pytest.approx(0.85, rel=1e-12)
    assert cm.p_same_worker(s, 1.0, first_year=False) == pytest.approx(0.85, rel=1e-12)


def test_expected_workers_by_hand():
    h = 0.88 * -math.log(0.89) + 0.24
    assert cm.expected_workers(ENGLAND, 1.0, first_year=True) == pytest.approx(1 + 3 + h, rel=1e-12)
    assert cm.expected_workers(ENGLAND, 1.0, first_year=False) == pytest.approx(1 + h, rel=1e-12)
    assert cm.expected_workers(ENGLAND, 3.0, first_year=True) == pytest.approx(1 + 3 + 3 * h, rel=1e-12)


def test_p_five_or_more_workers_by_hand():
    h = 0.88 * -math.log(0.89) + 0.24
    # first year: three hand-offs, so five workers needs at least one more change
    assert cm.p_workers_at_least(ENGLAND, 5, 1.0, first_year=True) == pytest.approx(1 - math.exp(-h), rel=1e-12)
    # later year: at least four changes
    below = sum(math.exp(-h) * h**j / math.factorial(j) for j in range(4))
    assert cm.p_workers_at_least(ENGLAND, 5, 1.0, first_year=False) == pytest.approx(1 - below, rel=1e-9)
    # at most as many workers as are certain: probability one
    assert cm.p_workers_at_least(ENGLAND, 4, 1.0, first_year=True) == 1.0
    assert cm.p_workers_at_least(ENGLAND, 1, 1.0, first_year=False) == 1.0


def test_worker_count_pmf_by_hand():
    h = 0.88 * -math.log(0.89) + 0.24
    pmf = cm.worker_count_pmf(ENGLAND, 1.0, first_year=True)
    assert pmf.index[0] == 1 and pmf.index.name == "workers"
    assert pmf.loc[1:3].sum() == 0.0
    for w in range(4, 9):
        n = w - 4
        assert pmf.loc[w] == pytest.approx(math.exp(-h) * h**n / math.factorial(n), rel=1e-10)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)


def test_changes_by_cause_by_hand():
    parts = cm.changes_by_cause(ENGLAND, 2.0, first_year=True)
    assert parts["turnover"] == pytest.approx(2 * 0.88 * -math.log(0.89), rel=1e-12)
    assert parts["agency"] == pytest.approx(2 * 0.12 / 0.5, rel=1e-12)
    assert parts["handoffs"] == 3.0
    assert cm.changes_by_cause(ENGLAND, 2.0, first_year=False)["handoffs"] == 0.0


def test_handoffs_within_a_short_period():
    # hand-offs at 1/12, 2/12 and 3/12 of a year
    assert cm.handoffs_within(ENGLAND, 0.05) == 0
    assert cm.handoffs_within(ENGLAND, 0.1) == 1
    assert cm.handoffs_within(ENGLAND, 2 / 12) == 2
    assert cm.handoffs_within(ENGLAND, 0.25) == 3
    assert cm.handoffs_within(ENGLAND, 5.0) == 3
    assert cm.handoffs_within(ENGLAND, 5.0, first_year=False) == 0
    np.testing.assert_allclose(cm.handoff_times(ENGLAND), [1 / 12, 2 / 12, 3 / 12])
    # within the window the first-period chance of one worker is zero only once a hand-off has happened
    assert cm.p_same_worker(ENGLAND, 0.05, first_year=True) == pytest.approx(math.exp(-0.05 * cm.hazard(ENGLAND)))
    assert cm.p_same_worker(ENGLAND, 0.1, first_year=True) == 0.0


def test_expected_agency_workers_by_hand():
    h_perm = -math.log(0.89)
    q = 0.12 / (0.12 + 0.88 * h_perm * 0.5)
    h = 0.88 * h_perm + 0.24
    assert cm.expected_agency_workers(ENGLAND, 1.0, first_year=True) == pytest.approx(0.12 * 4 + q * h, rel=1e-12)
    assert cm.expected_agency_workers(ENGLAND, 1.0, first_year=False) == pytest.approx(0.12 + q * h, rel=1e-12)


# ---------------------------------------------------------------------------
# Limits, identities, monotonicity
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("first_year", [True, False])
def test_no_turnover_no_vacancy_no_handoffs_keeps_one_worker(first_year):
    s = ContinuityScenario(turnover=0.0, vacancy=0.0, handoffs=0)
    assert cm.hazard(s) == 0.0
    assert cm.p_same_worker(s, 3.0, first_year) == 1.0
    assert cm.p_same_worker(s, 3.0, first_year, typed=True) == 1.0
    assert cm.expected_workers(s, 3.0, first_year) == 1.0
    assert cm.p_workers_at_least(s, 2, 3.0, first_year) == 0.0
    pmf = cm.worker_count_pmf(s, 3.0, first_year)
    assert pmf.loc[1] == 1.0 and pmf.drop(1).sum() == 0.0
    sim = cm.simulate_worker_counts(s, 3.0, 500, seed=1, first_year=first_year)
    assert (sim == 1).all()
    detailed = cm.simulate_worker_counts_detailed(s, 3.0, 500, seed=1, first_year=first_year)
    assert (detailed.workers == 1).all() and (detailed.agency_workers == 0).all()


def test_vacancy_only_matches_agency_hazard():
    s = ContinuityScenario(turnover=0.0, vacancy=0.2, agency_tenure_years=0.25)
    assert cm.hazard(s) == pytest.approx(0.2 * 4.0)


@settings(max_examples=60, deadline=None)
@given(s=scenarios, years=periods, first_year=st.booleans())
def test_decomposition_sums_to_expected_changes(s, years, first_year):
    parts = cm.changes_by_cause(s, years, first_year)
    assert set(parts) == {"turnover", "agency", "handoffs"}
    assert all(v >= 0 for v in parts.values())
    total = cm.expected_workers(s, years, first_year) - 1
    assert sum(parts.values()) == pytest.approx(total, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(s=scenarios, years=periods, first_year=st.booleans())
def test_pmf_is_a_distribution_with_the_right_mean_and_tail(s, years, first_year):
    pmf = cm.worker_count_pmf(s, years, first_year)
    assert (pmf >= 0).all()
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    mean = float((pmf.index.to_numpy() * pmf.to_numpy()).sum())
    assert mean == pytest.approx(cm.expected_workers(s, years, first_year), rel=1e-9)
    assert pmf.loc[5:].sum() == pytest.approx(cm.p_workers_at_least(s, 5, years, first_year), abs=1e-9)
    assert pmf.loc[1] == pytest.approx(cm.p_same_worker(s, years, first_year), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(s=scenarios, years=periods)
def test_typed_probability_is_never_below_the_poisson_one(s, years):
    poisson = cm.p_same_worker(s, years, first_year=False)
    typed = cm.p_same_worker(s, years, first_year=False, typed=True)
    assert 0.0 <= poisson <= typed + 1e-15 <= 1.0 + 1e-15


@settings(max_examples=40, deadline=None)
@given(
    vacancy=probabilities,
    tenure=tenures,
    handoffs=handoff_counts,
    first_year=st.booleans(),
    t1=st.floats(min_value=0.0, max_value=0.9),
    t2=st.floats(min_value=0.0, max_value=0.9),
)
def test_p_five_or_more_rises_with_turnover(vacancy, tenure, handoffs, first_year, t1, t2):
    lo, hi = sorted((t1, t2))
    s_lo = ContinuityScenario(lo, vacancy, tenure, handoffs)
    s_hi = ContinuityScenario(hi, vacancy, tenure, handoffs)
    assert cm.p_workers_at_least(s_hi, 5, 1.0, first_year) >= cm.p_workers_at_least(s_lo, 5, 1.0, first_year)
    assert cm.p_same_worker(s_hi, 1.0, first_year=False) <= cm.p_same_worker(s_lo, 1.0, first_year=False)


def test_p_five_or_more_strictly_rises_over_a_grid():
    values = [
        cm.p_workers_at_least(ContinuityScenario(t, 0.12), 5, 1.0, first_year=False)
        for t in np.linspace(0.0, 0.6, 13)
    ]
    assert np.all(np.diff(values) > 0)


# ---------------------------------------------------------------------------
# Simulation against the closed forms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "years", "first_year"),
    [
        (ENGLAND, 1.0, True),
        (ENGLAND, 1.0, False),
        (ContinuityScenario(0.15, 0.18, 0.25, 3, 0.5), 0.3, True),
        (ContinuityScenario(0.3, 0.4, 0.2, 2), 2.0, False),
    ],
)
def test_simulation_matches_closed_form(s, years, first_year):
    n = 40_000
    sim = cm.simulate_worker_counts(s, years, n, seed=20070701, first_year=first_year)
    assert sim.dtype == np.int64 and sim.shape == (n,) and sim.min() >= 1
    # mean: the Poisson variance h * years gives the standard error
    mean = cm.expected_workers(s, years, first_year)
    se_mean = math.sqrt(cm.hazard(s) * years / n)
    assert within(sim.mean(), mean, se_mean)
    for k in (1, 5):
        p = cm.p_same_worker(s, years, first_year) if k == 1 else cm.p_workers_at_least(s, 5, years, first_year)
        est = (sim == 1).mean() if k == 1 else (sim >= 5).mean()
        se = math.sqrt(max(p * (1 - p), 1e-12) / n)
        assert within(est, p, se)


def test_simulation_distribution_matches_pmf():
    n = 40_000
    sim = cm.simulate_worker_counts(ENGLAND, 1.0, n, seed=3, first_year=True)
    pmf = cm.worker_count_pmf(ENGLAND, 1.0, first_year=True)
    for w in range(4, 8):
        p = pmf.loc[w]
        assert within((sim == w).mean(), p, math.sqrt(p * (1 - p) / n))


@pytest.mark.parametrize(
    ("s", "years", "first_year"),
    [
        (ENGLAND, 1.0, True),
        (ENGLAND, 1.0, False),
        (ContinuityScenario(0.2, 0.5, 0.25, 2, 0.5), 1.5, True),
    ],
)
def test_detailed_simulation_matches_typed_closed_forms(s, years, first_year):
    n = 40_000
    out = cm.simulate_worker_counts_detailed(s, years, n, seed=11, first_year=first_year)
    assert out.workers.dtype == np.int64 and out.agency_workers.dtype == np.int64
    assert (out.agency_workers <= out.workers).all()
    # the mean number of workers is exact for the typed process; its SE from the sample
    se = out.workers.std(ddof=1) / math.sqrt(n)
    assert within(out.workers.mean(), cm.expected_workers(s, years, first_year), se)
    se_a = out.agency_workers.std(ddof=1) / math.sqrt(n)
    assert within(out.agency_workers.mean(), cm.expected_agency_workers(s, years, first_year), se_a)
    p = cm.p_same_worker(s, years, first_year, typed=True)
    assert within((out.workers == 1).mean(), p, math.sqrt(max(p * (1 - p), 1e-12) / n))


def test_detailed_simulation_departs_from_the_poisson_same_worker_probability():
    # with many short agency stays the Poisson value understates the chance of no change
    s = ContinuityScenario(turnover=0.1, vacancy=0.5, agency_tenure_years=0.25)
    n = 20_000
    out = cm.simulate_worker_counts_detailed(s, 1.0, n, seed=5, first_year=False)
    est = (out.workers == 1).mean()
    p_poisson = cm.p_same_worker(s, 1.0, first_year=False)
    se = math.sqrt(p_poisson * (1 - p_poisson) / n)
    assert est - p_poisson > 20 * se


def test_simulations_are_reproducible_and_accept_generators():
    a = cm.simulate_worker_counts(ENGLAND, 1.0, 1000, seed=7)
    b = cm.simulate_worker_counts(ENGLAND, 1.0, 1000, seed=7)
    c = cm.simulate_worker_counts(ENGLAND, 1.0, 1000, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    d1 = cm.simulate_worker_counts_detailed(ENGLAND, 1.0, 1000, seed=7)
    d2 = cm.simulate_worker_counts_detailed(ENGLAND, 1.0, 1000, seed=7)
    np.testing.assert_array_equal(d1.workers, d2.workers)
    q1 = cm.simulate_queue(4, 3.0, 0.5, 20, seed=7, n_runs=5)
    q2 = cm.simulate_queue(4, 3.0, 0.5, 20, seed=7, n_runs=5)
    assert q1 == q2


# ---------------------------------------------------------------------------
# Scenarios from data
# ---------------------------------------------------------------------------


def test_scenario_from_data_reads_the_2005_rates():
    s = cm.scenario_from_data("England", handoffs=3)
    assert s.turnover == pytest.approx(0.11) and s.vacancy == pytest.approx(0.12)  # report s.4.3
    assert s.handoffs == 3 and s.name == "England 2005"
    london = cm.scenario_from_data("London")
    assert london.turnover == pytest.approx(0.15) and london.vacancy == pytest.approx(0.18)
    yh = cm.scenario_from_data("Yorkshire and Humberside", agency_tenure_years=0.25, name="YH")
    assert yh.turnover == pytest.approx(0.12) and yh.vacancy == pytest.approx(0.13)
    assert yh.agency_tenure_years == 0.25 and yh.name == "YH"
    assert s.turnover == data.value(cm.WORKFORCE_TABLE, region="England", measure="turnover_rate") / 100


def test_regions_with_rates():
    assert set(cm.regions_with_rates()) == {"England", "London", "Yorkshire and Humberside"}


def test_reference_scenarios():
    refs = cm.reference_scenarios()
    assert list(refs) == ["Council, England 2005", "Council, London 2005", "Practice"]
    england, london, practice = refs.values()
    handoffs = cm.assumption("council_handoffs")
    assert england.handoffs == london.handoffs == handoffs == 3
    assert england.turnover == pytest.approx(0.11) and london.vacancy == pytest.approx(0.18)
    assert practice.vacancy == 0.0 and practice.handoffs == 0
    assert practice.turnover == pytest.approx(cm.assumption("practice_turnover") / 100)
    assert practice.turnover < england.turnover
    # the ordering the chapter reports: practice keeps workers best, London worst
    p = [cm.p_same_worker(s, 1.0, first_year=False) for s in refs.values()]
    assert p[2] > p[0] > p[1]
    table = cm.scenario_summary(refs)
    assert list(table.index) == list(refs)
    assert table.loc["Practice", "p_same_first"] == pytest.approx(1 - practice.turnover)
    # up to three hand-offs, each with an even chance: only a child with none (1 in 8) can keep one worker
    assert england.handoff_probability == cm.assumption("handoff_probability") == 0.5
    h = cm.hazard(england)
    assert table.loc["Council, England 2005", "p_same_first"] == pytest.approx(0.125 * math.exp(-h), rel=1e-12)
    assert table.loc["Council, England 2005", "workers_first"] == pytest.approx(1 + 1.5 + h, rel=1e-12)


def test_dataclass_defaults_equal_the_assumption_table():
    s = ContinuityScenario(0.1)
    assert s.agency_tenure_years == cm.assumption("agency_tenure_years")
    assert s.handoff_window_years == cm.assumption("handoff_window_years")


def test_assumption_table_is_all_labelled_assumption():
    frame = data.load(cm.ASSUMPTIONS_TABLE)
    assert (frame["status"] == "assumption").all()
    assert frame["effect"].str.len().min() > 20 and frame["quote"].str.len().min() > 20


def test_unknown_region_names_the_parameter():
    with pytest.raises(ValueError, match="region must be one of .*'Wales'"):
        cm.scenario_from_data("Wales")


def test_region_without_both_rates_names_the_region():
    with pytest.raises(ValueError, match="region 'West Midlands'.*turnover_rate"):
        cm.scenario_from_data("West Midlands")


def test_region_not_a_string():
    with pytest.raises(TypeError, match="region must be a string"):
        cm.scenario_from_data(3)  # type: ignore[arg-type]


def test_unknown_assumption_names_the_parameter():
    with pytest.raises(ValueError, match="parameter must be one of"):
        cm.assumption("agency_tenure")


# ---------------------------------------------------------------------------
# Bad inputs to the scenario and the functions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"turnover": 1.0}, r"turnover must be in \[0, 1\); got 1.0"),
        ({"turnover": -0.1}, r"turnover must be in \[0, 1\); got -0.1"),
        ({"turnover": float("nan")}, r"turnover must be a finite number; got nan"),
        ({"turnover": "0.1"}, r"turnover must be a real number"),
        ({"vacancy": 1.0}, r"vacancy must be in \[0, 1\)"),
        ({"vacancy": -0.01}, r"vacancy must be in \[0, 1\)"),
        ({"vacancy": float("inf")}, r"vacancy must be a finite number"),
        ({"handoffs": 1.5}, r"handoffs must be an integer; got 1.5"),
        ({"handoffs": -1}, r"handoffs must be an integer in \[0, 1000\]; got -1"),
        ({"handoffs": True}, r"handoffs must be an integer"),
        ({"agency_tenure_years": 0.0}, r"agency_tenure_years must be in \[1e-06, 100\]; got 0.0"),
        ({"agency_tenure_years": -1.0}, r"agency_tenure_years must be in \[1e-06, 100\]"),
        ({"handoff_window_years": 0.0}, r"handoff_window_years must be in \(0, 1\]; got 0.0"),
        ({"handoff_window_years": 1.5}, r"handoff_window_years must be in \(0, 1\]"),
        ({"name": 5}, r"name must be a string"),
    ],
)
def test_bad_scenario_inputs(kwargs, pattern):
    args = {"turnover": 0.1, **kwargs}
    with pytest.raises((ValueError, TypeError), match=pattern):
        ContinuityScenario(**args)


def test_replace_validates_and_rejects_unknown_fields():
    with pytest.raises(ValueError, match="turnover must be in"):
        ENGLAND.replace(turnover=1.0)
    with pytest.raises(ValueError, match="unknown ContinuityScenario field"):
        ENGLAND.replace(turnovr=0.1)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.p_same_worker(ENGLAND, 0.0), r"years must be in \(0, 100\]; got 0.0"),
        (lambda: cm.expected_workers(ENGLAND, float("nan")), r"years must be a finite number"),
        (lambda: cm.expected_workers(ENGLAND, 1.0, first_year="yes"), r"first_year must be True or False"),
        (lambda: cm.p_workers_at_least(ENGLAND, 0), r"k must be a whole number in \[1, 100,000\]; got 0"),
        (lambda: cm.p_workers_at_least(ENGLAND, 4.5), r"k must be a whole number in \[1, 100,000\]; got 4.5"),
        (lambda: cm.worker_count_pmf(ENGLAND, max_workers=0), r"max_workers must be a whole number in \[1"),
        (lambda: cm.hazard({"turnover": 0.1}), r"s must be a ContinuityScenario"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, 0, seed=1), r"n_children must be a whole number in \[1"),
        (lambda: cm.simulate_worker_counts(ENGLAND, -1.0, 10, seed=1), r"years must be in \(0, 100\]"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, 10, seed=None), r"seed must be a non-negative integer"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, 10, seed=1.5), r"seed must be a non-negative integer"),
        (lambda: cm.simulate_worker_counts_detailed(ENGLAND, 1.0, 10, seed=-1), r"seed must be a non-negative"),
        (lambda: cm.scenario_summary([ENGLAND], years=0), r"years must be in \(0, 100\]"),
    ],
)
def test_bad_function_inputs(call, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        call()


# ---------------------------------------------------------------------------
# 24-hour cover (Q226)
# ---------------------------------------------------------------------------


def test_rota_arithmetic():
    # one night every two or three weeks needs 14 to 21 workers
    assert cm.team_size_for_rota(2) == 14
    assert cm.team_size_for_rota(3) == 21
    assert cm.team_size_for_rota(1 / 7) == 1
    assert cm.team_size_for_rota(1.5) == 11  # 10.5 rounded up
    assert cm.team_size_for_rota(2, on_duty=2) == 28
    # a team of 6-10 means a night every 6-10 days
    assert cm.days_between_duties(6) == 6.0 and cm.days_between_duties(10) == 10.0
    assert cm.nights_on_duty_per_worker(6) == pytest.approx(365 / 6)
    assert cm.nights_on_duty_per_worker(10, nights_per_year=366, on_duty=2) == pytest.approx(73.2)


@settings(max_examples=40, deadline=None)
@given(team=st.integers(min_value=1, max_value=60))
def test_rota_round_trip(team):
    # a team of n on a one-person rota does a night every n days = n / 7 weeks
    assert cm.team_size_for_rota(team / 7) == team
    assert cm.nights_on_duty_per_worker(team, 365) * cm.days_between_duties(team) == pytest.approx(365)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.nights_on_duty_per_worker(0), r"team_size must be a whole number in \[1, [0-9,]+\]; got 0"),
        (lambda: cm.nights_on_duty_per_worker(6.5), r"team_size must be a whole number in \[1, [0-9,]+\]; got 6.5"),
        (lambda: cm.nights_on_duty_per_worker(6, nights_per_year=0), r"nights_per_year must be an integer in \[1, 366\]"),
        (lambda: cm.nights_on_duty_per_worker(6, nights_per_year=400), r"nights_per_year must be an integer in \[1, 366\]"),
        (lambda: cm.nights_on_duty_per_worker(6, on_duty=7), r"on_duty must be an integer in \[1, 6\]; got 7"),
        (lambda: cm.days_between_duties(-2), r"team_size must be a whole number in \[1"),
        (lambda: cm.team_size_for_rota(0), r"weeks_between_duties must be in \(0, 1000\]; got 0"),
        (lambda: cm.team_size_for_rota(float("nan")), r"weeks_between_duties must be a finite number"),
        (lambda: cm.team_size_for_rota(2, on_duty=0), r"on_duty must be a whole number in \[1"),
    ],
)
def test_bad_rota_inputs(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


# ---------------------------------------------------------------------------
# Caseload caps as a queue (Q239)
# ---------------------------------------------------------------------------


def _erlang_c_direct(c: int, a: float) -> float:
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_erlang_c_textbook_value():
    assert cm.erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-12)
    assert cm.erlang_c(1, 0.5) == pytest.approx(0.5, rel=1e-12)  # M/M/1: P(wait) = utilisation
    assert cm.erlang_b(2, 1.0) == pytest.approx(0.2, rel=1e-12)  # (1/2) / (1 + 1 + 1/2)
    assert cm.erlang_c(5, 0.0) == 0.0


@pytest.mark.parametrize(("c", "a"), [(5, 3.5), (10, 8.0), (30, 27.3), (3, 0.2)])
def test_erlang_c_against_direct_formula(c, a):
    assert cm.erlang_c(c, a) == pytest.approx(_erlang_c_direct(c, a), rel=1e-10)


def test_erlang_c_is_stable_for_large_c():
    # the direct formula overflows a float here (480**500); the recursion does not
    value = cm.erlang_c(500, 480.0)
    log_terms = [k * math.log(480.0) - math.lgamma(k + 1) for k in range(500)]
    log_top = 500 * math.log(480.0) - math.lgamma(501) + math.log(500 / 20)
    m = max(log_terms + [log_top])
    direct = math.exp(log_top - m) / (sum(math.exp(t - m) for t in log_terms) + math.exp(log_top - m))
    assert value == pytest.approx(direct, rel=1e-9)
    assert 0.0 < value < 1.0


def test_expected_waiting_by_hand():
    out = cm.expected_waiting(2, 2.0, 0.5)  # load 1, c = 2
    assert out.p_wait == pytest.approx(1 / 3)
    assert out.mean_waiting == pytest.approx((1 / 3) * 1 / (2 - 1))
    # Little's law: mean wait = mean waiting / arrival rate (years), in weeks
    assert out.mean_wait_weeks == pytest.approx(out.mean_waiting / 2.0 * 365.25 / 7)
    assert out.mean_wait_if_waiting_weeks == pytest.approx(out.mean_wait_weeks / out.p_wait)
    assert out.utilisation == pytest.approx(0.5) and out.places == 2
    assert cm.allocation_places(3, 10) == 30


@settings(max_examples=40, deadline=None)
@given(
    c=st.integers(min_value=1, max_value=60),
    util=st.floats(min_value=0.01, max_value=0.98),
    stay=st.floats(min_value=0.1, max_value=3.0),
)
def test_waiting_rises_with_arrivals(c, util, stay):
    lam = util * c / stay
    lo = cm.expected_waiting(c, lam * 0.9, stay)
    hi = cm.expected_waiting(c, lam, stay)
    assert 0.0 <= lo.p_wait <= hi.p_wait <= 1.0
    assert lo.mean_waiting <= hi.mean_waiting
    # Little's law links the two closed forms: waiting children = arrivals per year * mean wait in years
    assert hi.mean_waiting == pytest.approx(lam * hi.mean_wait_weeks / (365.25 / 7), rel=1e-9, abs=1e-15)


def test_queue_simulation_matches_formula():
    # ten places (one worker capped at ten cases, Q239), eight new children a year, a year's stay
    sim = cm.simulate_queue(10, 8.0, 1.0, years=200, seed=239, n_runs=100)
    exact = cm.expected_waiting(10, 8.0, 1.0)
    assert within(sim.mean_waiting, exact.mean_waiting, sim.mean_waiting_se)
    assert within(sim.p_wait, exact.p_wait, sim.p_wait_se)
    assert within(sim.mean_wait_weeks, exact.mean_wait_weeks, sim.mean_wait_weeks_se)
    # the check has power: the standard errors are small next to the figures
    assert sim.mean_waiting_se < 0.1 * exact.mean_waiting and sim.p_wait_se < 0.05 * exact.p_wait


def test_queue_simulation_light_load():
    sim = cm.simulate_queue(4, 3.0, 0.5, years=300, seed=1, n_runs=50)
    exact = cm.expected_waiting(4, 3.0, 0.5)
    assert within(sim.mean_waiting, exact.mean_waiting, sim.mean_waiting_se)
    assert within(sim.p_wait, exact.p_wait, sim.p_wait_se)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.erlang_c(2, 2.0), r"offered_load must be below c = 2 places"),
        (lambda: cm.erlang_c(2, 3.0), r"offered_load must be below c = 2"),
        (lambda: cm.erlang_c(0, 0.5), r"c must be a whole number in \[1, [0-9,]+\]; got 0"),
        (lambda: cm.erlang_c(2.5, 0.5), r"c must be a whole number in \[1, [0-9,]+\]; got 2.5"),
        (lambda: cm.erlang_c(2, -0.5), r"offered_load must be in \[0, inf\)"),
        (lambda: cm.erlang_c(2, float("nan")), r"offered_load must be a finite number"),
        (lambda: cm.expected_waiting(10, 10.0, 1.0), r"lam \* mean_stay must be below c = 10 places"),
        (lambda: cm.expected_waiting(10, 12.0, 1.0), r"lam \* mean_stay .* load = 12"),
        (lambda: cm.expected_waiting(10, -1.0, 1.0), r"lam must be in \[0, inf\)"),
        (lambda: cm.expected_waiting(10, 1.0, 0.0), r"mean_stay must be in \(0, inf\)"),
        (lambda: cm.simulate_queue(10, 10.0, 1.0, 10, seed=1), r"lam \* mean_stay must be below c"),
        (lambda: cm.simulate_queue(10, 0.0, 1.0, 10, seed=1), r"lam must be above 0"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 0, seed=1), r"years must be in \(0, 1e\+07\]"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 10, seed=1, n_runs=1), r"n_runs must be a whole number in \[2"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 10, seed=1, warmup_years=-1), r"warmup_years must be in \[0"),
        (lambda: cm.allocation_places(0, 10), r"workers must be a whole number in \[1"),
        (lambda: cm.allocation_places(2, 0), r"cap must be a whole number in \[1"),
    ],
)
def test_bad_queue_inputs(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
