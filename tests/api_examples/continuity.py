"""Valid calls of the continuity model (``swp_models.continuity.*``), chapter 1 and chapter 2's page tables.

Every example is small, so the contract walk's many calls stay quick: few simulated children and runs, short
periods. The scenario is England 2005 with three possible hand-offs, each happening with probability 0.5.
"""

import numpy as np

from swp_models.continuity import ContinuityScenario


def _scenario() -> ContinuityScenario:
    return ContinuityScenario(turnover=0.11, vacancy=0.11, agency_tenure_years=0.5, handoffs=3,
                              handoff_probability=0.5, name="England")


def _practice() -> ContinuityScenario:
    return ContinuityScenario(turnover=0.055, name="Practice")


_C = "swp_models.continuity"
_T = "swp_models.figures.continuity_tables"

FACTORIES = {"ContinuityScenario": _scenario}

EXAMPLES = {
    # scenario
    f"{_C}.scenario.ContinuityScenario": {"turnover": 0.11, "vacancy": 0.11, "handoffs": 3},
    f"{_C}.scenario.assumption": {"parameter": "agency_tenure_years"},
    f"{_C}.scenario.assumption_range": {"parameter": "handoff_probability"},
    f"{_C}.scenario.scenario_from_data": {"region": "England"},
    f"{_C}.scenario.as_generator": {"seed": 1},
    f"{_C}.scenario.check_scenario": lambda: {"s": _scenario()},
    # worker changes
    f"{_C}.changes.p_workers_at_least": {"k": 3},
    f"{_C}.changes.scenario_summary": lambda: {"scenarios": [_scenario(), _practice()]},
    f"{_C}.changes.labelled_scenarios": lambda: {"scenarios": {"England": _scenario(), "Practice": _practice()}},
    f"{_C}.changes.implied_hazard": {"p_change": 0.6},
    f"{_C}.changes.required_turnover": {"p_target": 0.8},
    # simulation
    f"{_C}.simulate.simulate_worker_counts": {"years": 1.0, "n_children": 200, "seed": 1},
    f"{_C}.simulate.simulate_worker_counts_detailed": {"years": 1.0, "n_children": 200, "seed": 1},
    f"{_C}.simulate.DetailedCounts": lambda: {"workers": np.array([1, 2, 3]), "agency_workers": np.array([0, 1, 0])},
    # grids
    f"{_C}.grids.turnover_grid": {"turnover_pct": [5, 10], "vacancy_pct": [0, 10], "handoffs": [0, 1]},
    f"{_C}.grids.hazard_grid": {"turnover_pct": [5, 10], "vacancy_pct": [0, 10]},
    f"{_C}.grids.episode_workers": lambda: {"scenarios": {"England": _scenario()}, "years": [1.0, 2.0]},
    f"{_C}.grids.count_distribution": lambda: {"scenarios": {"England": _scenario()}},
    # comparison
    f"{_C}.compare.same_start_pmf": {"years": 2.0},
    f"{_C}.compare.same_start_summary": {"years": 2.0},
    f"{_C}.compare.same_start_table": {"horizons": [1.0, 2.0], "probabilities": [0.5]},
    f"{_C}.compare.handoff_grid": {"probabilities": [0.2, 0.5], "horizons": [1.0, 2.0]},
    f"{_C}.compare.unexplained_hazard": {"tenures": [0.25, 0.5]},
    # the 24-hour rota
    f"{_C}.rota.nights_on_duty_per_worker": {"team_size": 8},
    f"{_C}.rota.days_between_duties": {"team_size": 8},
    f"{_C}.rota.team_size_for_rota": {"weeks_between_duties": 2.5},
    f"{_C}.rota.rota_table": {"team_sizes": [6, 8, 10]},
    f"{_C}.rota.rota_workload": {"team_sizes": [6, 8]},
    # the duty queue
    f"{_C}.queue.allocation_places": {"workers": 11, "cap": 10},
    f"{_C}.queue.erlang_b": {"c": 110, "offered_load": 100.0},
    f"{_C}.queue.erlang_c": {"c": 110, "offered_load": 100.0},
    f"{_C}.queue.expected_waiting": {"c": 110, "lam": 50.0, "mean_stay": 2.0},
    f"{_C}.queue.simulate_queue": {"c": 8, "lam": 6.0, "mean_stay": 1.0, "years": 20.0, "seed": 1, "n_runs": 4,
                                   "warmup_years": 5.0},
    f"{_C}.queue.queue_table": {"workers": [10, 11, 12]},
    f"{_C}.queue.queue_grid": {"caps": [10], "workers": [10, 11], "children": [50.0, 90.0]},
    f"{_C}.queue.QueueMetrics": {"places": 110, "offered_load": 100.0, "utilisation": 100 / 110, "p_wait": 0.237,
                                 "mean_waiting": 2.37, "mean_wait_weeks": 2.47, "mean_wait_if_waiting_weeks": 10.4},
    f"{_C}.queue.QueueSimulation": {"mean_waiting": 2.5, "mean_waiting_se": 0.1, "p_wait": 0.24, "p_wait_se": 0.01,
                                    "mean_wait_weeks": 2.6, "mean_wait_weeks_se": 0.1, "n_runs": 100,
                                    "warmup_years": 10.0},
    # chapter 2's page tables
    f"{_T}.fmt_prob": {"p": 0.237},
    f"{_T}.scenario_results": lambda: {"scenarios": {"England": _scenario(), "Practice": _practice()}},
    f"{_T}.scenario_table": lambda: {"scenarios": {"England": _scenario(), "Practice": _practice()}},
    f"{_T}.simulation_check": {"n_children": 500, "seed": 3},
    f"{_T}.simulation_table": {"n_children": 500, "seed": 3},
    f"{_T}.queue_simulation_check": {"n_runs": 4, "years": 20.0, "seed": 3},
    f"{_T}.queue_check_table": {"n_runs": 4, "seed": 3},
    f"{_T}.target_table": {"targets": [0.8, 0.9], "vacancies": [0.0, 0.05]},
    "swp_models.continuity.checks.simulation_check": {"n_children": 500, "seed": 3},
    "swp_models.continuity.checks.queue_simulation_check": {"n_runs": 4, "years": 20.0, "seed": 3},
    "swp_models.continuity.checks.book_seed": {},
    # chapter 2's charts and explorer
    "swp_models.figures.continuity.episode_chart": lambda: {"scenarios": {"England": _scenario()}},
    # chapter 1
    "swp_models.problem.wmtd_intervals": {"confidence_levels": [0.9, 0.95]},
}

# ``None`` where these documented defaults mean "read the value from data/" (each docstring says so).
ACCEPTS = {}
