"""The reference every simulation benchmark compares with: numpy drawing the same lognormal child costs.

Used by ``bench_sensitivity.py`` and ``bench_appraisal.py``: the number of child costs a run of the chapter
model simulates (its simulations times its years times the central caseload), and numpy's best of three times
to draw that many lognormal numbers in one call.
"""

from __future__ import annotations

import time

import numpy as np

from swp_models import costs


def lognormal_reference(model) -> tuple[int, float]:
    """``(draws, seconds)``: the child costs ``model`` (a :class:`~swp_models.sensitivity.ChapterModel`)
    simulates, and numpy's best time of three to draw as many lognormal numbers."""
    draws = model.simulations * model.n_years * int(costs.default_caseload().expected)
    rng = np.random.default_rng(0)
    return draws, min(timed(lambda: rng.lognormal(10.0, 0.5, size=draws)) for _ in range(3))


def timed(fn) -> float:
    """Wall-clock seconds of one call of ``fn``."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
