"""Chapter 2's closed forms checked against simulation: worker changes for England 2005, and the allocation queue.

Each check sets the closed form beside a simulation of the same process and its Monte Carlo
standard error. The simulations draw from the book's one seed (the ``seed`` of :class:`swp_models.scenario.Simulation`)
unless given another.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..scenario import Scenario
from .changes import expected_workers, p_same_worker, p_workers_at_least
from .queue import MAX_PLACES, allocation_places, expected_waiting, queue_table, simulate_queue
from .scenario import as_generator, assumption, reference_scenarios
from .simulate import MAX_CHILDREN, simulate_worker_counts, simulate_worker_counts_detailed
from ..validation import check_size

__all__ = ["simulation_check", "queue_simulation_check", "book_seed"]


def book_seed() -> int:
    """The book's one seed (the central scenario's), which every check draws from unless given another."""
    return Scenario.central().simulation.seed


def simulation_check(n_children: int = 1_000_000, seed: int | np.random.Generator | None = None) -> pd.DataFrame:
    """Closed forms against simulation for England 2005, both readings of the model.

    The Poisson figures are checked with :func:`.simulate_worker_counts`, the typed ones
    with :func:`.simulate_worker_counts_detailed`, each on ``n_children`` simulated children
    for the first year of an episode and for a year later in care.

    Parameters
    ----------
    n_children : int, default 1000000
        Children simulated per model and period, 100 to :data:`~swp_models.continuity.simulate.MAX_CHILDREN`.
    seed : int or numpy.random.Generator, optional
        Seed of the simulations; default the book's one seed (:class:`swp_models.scenario.Simulation`).

    Returns
    -------
    pandas.DataFrame
        Columns ``model``, ``period``, ``measure``, ``closed_form``, ``simulated``, ``se``
        (Monte Carlo standard error of the simulated figure) and ``z`` (difference in
        standard errors; ``NaN`` where the standard error is zero).
    """
    n_children = check_size("n_children", n_children, MAX_CHILDREN, low=100)
    rng = as_generator(book_seed() if seed is None else seed)
    s = reference_scenarios()["Council, England 2005"]
    rows = []
    for model in ("Poisson", "Workers keep their type"):
        typed = model != "Poisson"
        for first, period in ((True, "First year"), (False, "Later year")):
            if typed:
                w = simulate_worker_counts_detailed(s, 1.0, n_children, rng, first_year=first).workers
                p_same = p_same_worker(s, 1.0, first, typed=True)
                p_at_least = lambda k: p_workers_at_least(s, k, 1.0, first, typed=True)  # noqa: E731
            else:
                w = simulate_worker_counts(s, 1.0, n_children, rng, first_year=first)
                p_same = p_same_worker(s, 1.0, first)
                p_at_least = lambda k: p_workers_at_least(s, k, 1.0, first)  # noqa: E731
            checks = [("Expected workers", expected_workers(s, 1.0, first), w.astype(float))]
            if first:
                checks.append(("Five or more workers", p_at_least(5), (w >= 5).astype(float)))
            else:
                checks.append(("Same worker all year", p_same, (w == 1).astype(float)))
                checks.append(("Three or more workers", p_at_least(3), (w >= 3).astype(float)))
            for measure, exact, sample in checks:
                est = float(sample.mean())
                se = float(sample.std(ddof=1) / math.sqrt(n_children))
                rows.append(
                    {
                        "model": model,
                        "period": period,
                        "measure": measure,
                        "closed_form": exact,
                        "simulated": est,
                        "se": se,
                        "z": (est - exact) / se if se > 0 else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def queue_simulation_check(
    workers: int | None = None,
    n_runs: int = 100,
    years: float = 400.0,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Erlang C against a simulation of the practice's allocation queue.

    Parameters
    ----------
    workers : int, optional
        Workers taking cases; by default the fewest for which the waiting list settles in
        :func:`.queue_table`.
    n_runs : int, default 100
        Independent simulated queues.
    years : float, default 400
        Years simulated in each run after the warm-up.
    seed : int or numpy.random.Generator, optional
        Seed of the simulation; default the book's one seed.

    Returns
    -------
    pandas.DataFrame
        Rows "Chance a new child waits", "Children waiting (mean)", "Mean wait, weeks";
        columns ``measure``, ``closed_form``, ``simulated``, ``se``, ``z``.
    """
    table = queue_table()
    if workers is None:
        workers = int(table.loc[table["p_wait"].notna(), "workers"].iloc[0])
    workers = check_size("workers", workers, MAX_PLACES)
    cap = int(table["cap"].iloc[0])
    children = float(table["children"].iloc[0])
    stay = assumption("queue_mean_stay_years")
    c = allocation_places(workers, cap)
    exact = expected_waiting(c, children / stay, stay)
    sim = simulate_queue(c, children / stay, stay, years, seed=book_seed() if seed is None else seed, n_runs=n_runs)
    rows = [
        ("Chance a new child waits", exact.p_wait, sim.p_wait, sim.p_wait_se),
        ("Children waiting (mean)", exact.mean_waiting, sim.mean_waiting, sim.mean_waiting_se),
        ("Mean wait of a new child, weeks", exact.mean_wait_weeks, sim.mean_wait_weeks, sim.mean_wait_weeks_se),
    ]
    return pd.DataFrame(
        [{"measure": m, "closed_form": e, "simulated": x, "se": se, "z": (x - e) / se} for m, e, x, se in rows]
    )
