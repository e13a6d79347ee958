"""Sizes bounded and boundaries checked: every public callable of the continuity model and chapters 1-2's page
tables refuses huge sizes, wrong types, bools for numbers and empty sequences by name, before any work."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from swp_models import continuity as cm
from swp_models import problem
from swp_models.continuity import compare as cc
from swp_models.continuity import ContinuityScenario
from swp_models.figures import continuity_tables as ct

ENGLAND = ContinuityScenario(turnover=0.11, vacancy=0.11, handoffs=3, handoff_probability=0.5, name="England")
HUGE = 10**10


def _refused(call, pattern: str, kinds=(ValueError, TypeError)) -> None:
    """The call is refused with a message matching ``pattern``, well within a second."""
    started = time.perf_counter()
    with pytest.raises(kinds, match=pattern):
        call()
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        # the duty queue
        (lambda: cm.erlang_b(HUGE, 1.0), r"^c must be a whole number in \[1, 100,000\]; got 10,000,000,000"),
        (lambda: cm.erlang_c(HUGE, 1.0), r"^c must be a whole number in \[1, 100,000\]"),
        (lambda: cm.expected_waiting(HUGE, 5.0, 1.0), r"^c must be a whole number in \[1, 100,000\]"),
        (lambda: cm.allocation_places(HUGE, 10), r"^workers must be a whole number in \[1, 100,000\]"),
        (lambda: cm.allocation_places(1_000, 1_000), r"^workers × cap must be at most 100,000"),
        (lambda: cm.simulate_queue(HUGE, 5.0, 1.0, 10.0, seed=1), r"^c must be a whole number"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 1e10, seed=1), r"^years must be in \(0, 1e\+07\]"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 1e6, seed=1), r"years \+ warmup_years\) asks for"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 10.0, seed=1, warmup_years=1e10), r"^warmup_years must be in \[0, 1e\+07\]"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 10.0, seed=1, n_runs=HUGE), r"^n_runs must be a whole number"),
        (lambda: cm.simulate_queue(10, 5.0, 1.0, 1_000.0, seed=1, n_runs=1_000_000), r"^n_runs × events a run"),
        (lambda: cm.simulate_queue(10, 5.0, 1e-300, 10.0, seed=1), r"lam \* mean_stay|mean_stay"),
        (lambda: cm.queue_table(workers=[HUGE]), r"^workers must be a whole number in \[1, 100,000\]"),
        (lambda: cm.queue_table(children=1e15), r"^children must be in \(0, 100000\]"),
        (lambda: cm.queue_table(cap=HUGE), r"^cap must be a whole number"),
        (lambda: cm.queue_table(mean_stay_years=1e15), r"^mean_stay_years must be in \(0, 100\]"),
        (lambda: cm.queue_table(workers=range(HUGE)), r"^workers must have at most 10,000 items"),
        (lambda: cm.queue_grid(caps=[HUGE]), r"^caps must be a whole number"),
        (lambda: cm.queue_grid(caps=[1_000], workers=[100], children=list(range(1, 1_000))),
         r"caps × workers × children"),
        # worker changes
        (lambda: cm.simulate_worker_counts_detailed(ENGLAND, 1e10, 10, seed=1), r"^years must be in \(0, 100\]"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, HUGE, seed=1), r"^n_children must be a whole number"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 100.0, 2_000_000, seed=1), r"^n_children × expected changes"),
        (lambda: cm.simulate_worker_counts_detailed(ENGLAND.replace(agency_tenure_years=1e-4), 1.0, 100, seed=1),
         r"^years × the faster leaving hazard gives 10,000"),
        (lambda: cm.count_distribution(max_workers=HUGE), r"^max_workers must be a whole number in \[2, 1,000\]"),
        (lambda: cm.worker_count_pmf(ENGLAND, max_workers=HUGE), r"^max_workers must be a whole number"),
        (lambda: cm.worker_count_pmf(ENGLAND.replace(agency_tenure_years=1e-6), 100.0), r"^years × the scenario"),
        (lambda: cm.worker_count_pmf(ENGLAND.replace(agency_tenure_years=1e-3), 10.0, typed=True),
         r"^years × the faster leaving hazard"),
        (lambda: cm.p_workers_at_least(ENGLAND.replace(agency_tenure_years=1e-3), 5, 10.0, typed=True),
         r"^years × the faster leaving hazard"),
        (lambda: cm.p_workers_at_least(ENGLAND, HUGE), r"^k must be a whole number in \[1, 100,000\]"),
        (lambda: cm.p_same_worker(ENGLAND, 1e10), r"^years must be in \(0, 100\]"),
        (lambda: ContinuityScenario(0.1, handoffs=HUGE), r"^handoffs must be an integer in \[0, 1000\]"),
        (lambda: ContinuityScenario(0.1, agency_tenure_years=1e15), r"^agency_tenure_years must be in \[1e-06, 100\]"),
        (lambda: cm.required_turnover(0.8, agency_tenure_years=1e15), r"^agency_tenure_years must be in"),
        (lambda: cm.turnover_grid(agency_tenure_years=1e15), r"^agency_tenure_years must be in"),
        (lambda: cm.turnover_grid(handoffs=[HUGE]), r"^handoffs must be an integer in \[0, 1000\]"),
        (lambda: cm.turnover_grid(turnover_pct=range(HUGE)), r"^turnover_pct must have at most 100 items"),
        (lambda: cm.episode_workers(years=[1.0] * 2_000), r"^years must have at most 1,000 items"),
        (lambda: cm.scenario_summary([ENGLAND] * 101), r"^scenarios must have at most 100 items"),
        (lambda: cc.same_start_pmf(1e10), r"^years must be in \(0, 50\]"),
        (lambda: cc.decomposition(years=1e10), r"^years must be in \(0, 50\]"),
        (lambda: cc.decomposition(probability=float("nan")), r"^probability must be a finite number"),
        (lambda: cc.handoff_grid(probabilities=[0.5] * 200, horizons=[1.0] * 200), r"probabilities × horizons"),
        (lambda: cc.unexplained_hazard([1e15]), r"^tenures must be in"),
        # the 24-hour rota
        (lambda: cm.nights_on_duty_per_worker(HUGE), r"^team_size must be a whole number in \[1, 10,000\]"),
        (lambda: cm.days_between_duties(HUGE), r"^team_size must be a whole number"),
        (lambda: cm.team_size_for_rota(1e15), r"^weeks_between_duties must be in \(0, 1000\]"),
        (lambda: cm.team_size_for_rota(2.0, on_duty=HUGE), r"^on_duty must be a whole number"),
        (lambda: cm.rota_table([HUGE]), r"^team_sizes must be a whole number"),
        # the page tables
        (lambda: ct.simulation_check(n_children=HUGE), r"^n_children must be a whole number in \[100, 2,000,000\]"),
        (lambda: ct.simulation_table(n_children=HUGE), r"^n_children must be a whole number"),
        (lambda: ct.queue_simulation_check(workers=HUGE), r"^workers must be a whole number"),
        (lambda: ct.queue_simulation_check(years=1e10), r"^years must be in \(0, 1e\+07\]"),
        (lambda: ct.queue_check_table(n_runs=HUGE), r"^n_runs must be a whole number"),
        (lambda: ct.target_table(targets=[0.5] * 200, vacancies=[0.1] * 200), r"^targets × vacancies"),
        (lambda: problem.wmtd_intervals([0.9] * 2_000), r"^confidence_levels must have at most 1,000 items"),
    ],
)
def test_huge_sizes_are_refused_by_name_before_any_work(call, pattern):
    _refused(call, pattern, ValueError)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.hazard("x"), r"^s must be a ContinuityScenario; got str"),
        (lambda: cm.p_same_worker(ENGLAND, 1.0, first_year=1), r"^first_year must be True or False"),
        (lambda: cm.p_same_worker(ENGLAND, 1.0, typed="yes"), r"^typed must be True or False"),
        (lambda: cm.worker_count_pmf(ENGLAND, typed=1), r"^typed must be True or False"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, 10, seed=1, first_year="no"), r"^first_year must be"),
        (lambda: cm.scenario_summary("England"), r"^scenarios must be a sequence"),
        (lambda: cm.scenario_summary({"a": "x"}), r"^scenarios\['a'\] must be a ContinuityScenario"),
        (lambda: cm.scenario_summary({5: ENGLAND}), r"^scenarios keys must be a string"),
        (lambda: cm.episode_workers(scenarios=5), r"^scenarios must be a sequence"),
        (lambda: ct.scenario_table([ENGLAND]), r"^scenarios must be a mapping"),
        (lambda: ct.stability_check("x"), r"^scenario must be a ContinuityScenario"),
        (lambda: cc.same_start_pmf(2.0, council="x"), r"^council must be a ContinuityScenario"),
        (lambda: cc.decomposition(practice=7), r"^practice must be a ContinuityScenario"),
        (lambda: cc.decomposition(metric=5), r"^metric must be a string"),
        (lambda: cc.practice_with_vacancy(practice="x"), r"^practice must be a ContinuityScenario"),
        (lambda: cm.regions_with_rates("x"), r"^frame must be a pandas.DataFrame"),
        (lambda: cm.scenario_from_data(5), r"^region must be a string"),
        (lambda: cm.scenario_from_data("England", name=5), r"^name must be a string"),
        (lambda: cm.assumption(5), r"^parameter must be a string"),
        (lambda: ContinuityScenario(0.1, name=5), r"^name must be a string"),
        (lambda: cm.DetailedCounts([1, 2], np.array([0, 0])), r"^workers must be a numpy array"),
        (lambda: cm.DetailedCounts(np.array([1.0]), np.array([0])), r"^workers must be a one-dimensional array"),
    ],
)
def test_wrong_types_are_refused_by_name(call, pattern):
    _refused(call, pattern, TypeError)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: cm.p_same_worker(ENGLAND, True), r"^years must be a real number; got True"),
        (lambda: cm.erlang_b(True, 1.0), r"^c must be a whole number"),
        (lambda: cm.erlang_c(10, True), r"^offered_load must be a real number"),
        (lambda: cm.p_workers_at_least(ENGLAND, True), r"^k must be a whole number"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, True, seed=1), r"^n_children must be a whole number"),
        (lambda: cm.simulate_worker_counts(ENGLAND, 1.0, 10, seed=True), r"^seed must be a non-negative integer"),
        (lambda: cm.nights_on_duty_per_worker(True), r"^team_size must be a whole number"),
        (lambda: ContinuityScenario(True), r"^turnover must be a real number"),
        (lambda: ContinuityScenario(0.1, handoffs=True), r"^handoffs must be an integer"),
        (lambda: ct.fmt_prob(True), r"^p must be a real number"),
        (lambda: ct.fmt_prob(float("nan")), r"^p must be a finite number"),
        (lambda: cm.queue_table(children=True), r"^children must be a real number"),
    ],
)
def test_bools_are_refused_where_numbers_are_wanted(call, pattern):
    _refused(call, pattern)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: cm.scenario_summary([]), "scenarios"),
        (lambda: cm.scenario_summary({}), "scenarios"),
        (lambda: cm.turnover_grid(turnover_pct=[]), "turnover_pct"),
        (lambda: cm.turnover_grid(handoffs=[]), "handoffs"),
        (lambda: cm.hazard_grid(vacancy_pct=[]), "vacancy_pct"),
        (lambda: cm.episode_workers(years=[]), "years"),
        (lambda: cm.count_distribution(scenarios={}), "scenarios"),
        (lambda: cm.queue_table(workers=[]), "workers"),
        (lambda: cm.queue_grid(children=[]), "children"),
        (lambda: cm.queue_grid(caps=()), "caps"),
        (lambda: cm.rota_table(team_sizes=[]), "team_sizes"),
        (lambda: cm.rota_workload(team_sizes=[]), "team_sizes"),
        (lambda: cc.same_start_table(horizons=[]), "horizons"),
        (lambda: cc.handoff_grid(probabilities=[]), "probabilities"),
        (lambda: cc.unexplained_hazard([]), "tenures"),
        (lambda: ct.scenario_results({}), "scenarios"),
        (lambda: ct.target_table(targets=[]), "targets"),
        (lambda: ct.target_table(vacancies=[]), "vacancies"),
        (lambda: problem.wmtd_intervals([]), "confidence_levels"),
        (lambda: cm.regions_with_rates(pd.DataFrame({"region": [], "measure": []})), "frame"),
    ],
)
def test_empty_sequences_are_refused_by_name(call, name):
    _refused(call, rf"^{name} must (have at least 1 item|hold at least one|have at least one row)")


def test_messages_name_the_parameter_the_caller_used():
    # the element checks of a list name the list the caller passed
    _refused(lambda: cm.rota_table(team_sizes=[6, 0]), r"^team_sizes must be a whole number")
    _refused(lambda: cm.queue_table(workers=[10, 2.5]), r"^workers must be a whole number")
    _refused(lambda: cc.unexplained_hazard([0.5, -1.0]), r"^tenures must be in")
    _refused(lambda: ct.target_table(targets=[0.8, 1.5]), r"^targets must be in \(0, 1\]")
    _refused(lambda: ct.target_table(vacancies=[1.0]), r"^vacancies must be in \[0, 1\)")
    _refused(lambda: cm.queue_grid(caps=[10], workers=[0]), r"^workers must be a whole number")


def test_result_objects_validate_their_fields():
    good = dict(places=110, offered_load=100.0, utilisation=100 / 110, p_wait=0.2, mean_waiting=2.0,
                mean_wait_weeks=2.5, mean_wait_if_waiting_weeks=10.0)
    assert cm.QueueMetrics(**good).places == 110
    for field, bad, pattern in [("p_wait", 1.5, r"^p_wait must be in \[0, 1\]"),
                                ("places", 0, r"^places must be a whole number"),
                                ("offered_load", 120.0, r"^offered_load must be in \[0, 110\)"),
                                ("mean_waiting", float("nan"), r"^mean_waiting must be a finite number"),
                                ("utilisation", 1.0, r"^utilisation must be in \[0, 1\)")]:
        _refused(lambda: cm.QueueMetrics(**{**good, field: bad}), pattern)
    sim = dict(mean_waiting=2.5, mean_waiting_se=0.1, p_wait=0.24, p_wait_se=0.01, mean_wait_weeks=2.6,
               mean_wait_weeks_se=0.1, n_runs=100, warmup_years=10.0)
    assert cm.QueueSimulation(**sim).n_runs == 100
    _refused(lambda: cm.QueueSimulation(**{**sim, "n_runs": 1}), r"^n_runs must be a whole number in \[2")
    _refused(lambda: cm.QueueSimulation(**{**sim, "p_wait_se": -0.1}), r"^p_wait_se must be in \[0, inf\)")
    counts = cm.DetailedCounts(np.array([1, 2, 3]), np.array([0, 2, 1]))
    workers, agency = counts
    assert workers.tolist() == [1, 2, 3] and agency.tolist() == [0, 2, 1]
    _refused(lambda: cm.DetailedCounts(np.array([0, 1]), np.array([0, 0])), r"^workers must be at least 1")
    _refused(lambda: cm.DetailedCounts(np.array([1, 1]), np.array([0, 2])), r"^agency_workers must be from 0")
    _refused(lambda: cm.DetailedCounts(np.array([1, 1]), np.array([0])), r"^workers and agency_workers must have")


def test_the_bounds_admit_the_book_and_a_little_more():
    """The bounds are far above what the book uses: every chapter figure is computed well inside them."""
    assert cm.erlang_c(100_000, 99_000.0) < 1.0  # the largest queue accepted answers in the time limit
    started = time.perf_counter()
    pmf = cm.worker_count_pmf(ENGLAND.replace(agency_tenure_years=0.01), 10.0, False, typed=True)
    assert time.perf_counter() - started < 2.0 and pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert cm.count_distribution(max_workers=1_000)["workers"].max() == 1_000
    assert cm.team_size_for_rota(1_000.0) == 7_000


def test_labelled_scenarios_and_the_explorer_inputs_are_checked_where_they_enter():
    from swp_models.explore.continuity import ExplorerInputs, results_html

    assert list(cm.labelled_scenarios([ENGLAND])) == ["England"]
    assert cm.labelled_scenarios({"a": ENGLAND})["a"] is ENGLAND
    _refused(lambda: cm.labelled_scenarios({"a": 1}), r"^scenarios\['a'\] must be a ContinuityScenario")
    good = dict(scenario=ENGLAND, episode_years=5.0, team_size=8, on_duty=1, weeks_between_duties=2.5, workers=11,
                cap=10, arrivals=50.0, mean_stay_years=2.0)
    assert "One worker all year" in results_html(ExplorerInputs(**good))
    for field, bad, pattern in [("scenario", "x", r"^scenario must be a ContinuityScenario"),
                                ("episode_years", float("nan"), r"^episode_years must be a finite number"),
                                ("team_size", HUGE, r"^team_size must be a whole number"),
                                ("on_duty", 9, r"^on_duty must be an integer in \[1, 8\]"),
                                ("weeks_between_duties", 0.0, r"^weeks_between_duties must be in"),
                                ("workers", 100_000, r"^workers × cap must be at most 100,000"),
                                ("cap", True, r"^cap must be a whole number"),
                                ("arrivals", -1.0, r"^arrivals must be in \[0, inf\)"),
                                ("mean_stay_years", 1e15, r"^mean_stay_years must be in \(0, 100\]")]:
        _refused(lambda: ExplorerInputs(**{**good, field: bad}), pattern)
    _refused(lambda: results_html("inputs"), r"^inputs must be a ExplorerInputs|^inputs must be an? ExplorerInputs")
