"""Benchmark the book's variance-based sensitivity run (chapter 5's section "What matters most").

Runs :func:`swp_models.sensitivity.sobol_indices` exactly as the page does (every ranged
assumption of chapters 3-5, the book's base samples and seed) on a fresh model, and prints
its wall-clock and CPU time, then numpy's time to draw the same number of lognormal child
costs that the run simulated. Target: the whole run under 30 s on the 2-core machine.
"""

from __future__ import annotations

import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# Time the computations themselves, never a result kept by an earlier run (swp_models.assumptions.CACHE_DIR_VARIABLE).
os.environ.pop("SWP_CACHE_DIR", None)

from numpy_reference import lognormal_reference  # noqa: E402
from swp_models import sensitivity  # noqa: E402


def main() -> None:
    assumptions = sensitivity.chapter_assumptions()
    model = sensitivity.ChapterModel(assumptions)
    wall, cpu = time.perf_counter(), time.process_time()
    result = sensitivity.sobol_indices(model, assumptions, sensitivity.OUTPUTS, groups=sensitivity.chapter_groups(),
                                       n_base=sensitivity.SOBOL_BASE)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    simulations = model.simulations
    draws, best = lognormal_reference(model)
    print(f"== Sensitivity: Sobol run, {len(assumptions)} assumptions in {result.indices['group'].nunique()} groups, "
          f"{len(result.settings):,} settings x {len(sensitivity.OUTPUTS)} results "
          f"({model.pricings:,} settings priced; the rest differ only in assumptions applied after pricing)")
    print(f"  whole run                                {wall:7.2f} s wall, {cpu:6.2f} s CPU   (target < 30 s)")
    print(f"  machine load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall time grows with other work on the machine; CPU time does not)")
    print(f"  numpy drawing the same {draws:,} lognormal child costs ({simulations} sets of children) "
          f"{best:6.2f} s")


if __name__ == "__main__":
    main()
