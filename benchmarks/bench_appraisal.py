"""Benchmark chapter 10's appraisal over every setting of the sensitivity analysis.

Runs :func:`swp_models.appraisal.settings_inputs` in a fresh process exactly as the chapter does (section 5.13's
Sobol settings, each priced by the chapter model, with chapter 10's own assumptions drawn beside them), then the
acceptability curve over every setting for both scopes, and prints the wall-clock and CPU time; beside them,
numpy's time to draw the same number of lognormal child costs that the run simulated. Target: the whole run
under 30 s on the 2-core machine.
"""

from __future__ import annotations

import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# Time the computations themselves, never a result kept by an earlier run (swp_models.assumptions.CACHE_DIR_VARIABLE).
os.environ.pop("SWP_CACHE_DIR", None)

from numpy_reference import lognormal_reference  # noqa: E402
from swp_models import appraisal, sensitivity  # noqa: E402


def main() -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    inputs, _ = appraisal.settings_inputs()
    settings = time.perf_counter() - wall
    curve = appraisal.acceptability()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    model = sensitivity.chapter_model()
    draws, best = lognormal_reference(model)
    print(f"== Appraisal: {len(inputs):,} settings x {len(appraisal.OPTIONS)} options, acceptability curve of "
          f"{curve['value'].nunique()} values x 2 scopes ({model.pricings:,} settings priced)")
    print(f"  whole run                                {wall:7.2f} s wall, {cpu:6.2f} s CPU   (target < 30 s)")
    print(f"  of which the settings' inputs            {settings:7.2f} s wall")
    print(f"  machine load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  numpy drawing the same {draws:,} lognormal child costs ({model.simulations} sets of children) "
          f"{best:6.2f} s")


if __name__ == "__main__":
    main()
