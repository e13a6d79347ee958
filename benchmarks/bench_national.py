"""National run: every child in care in England, council by council, over many simulated years (``make bench``).

Runs :func:`swp_models.costs.national_run` for England's children looked after at 31 March 2007, shared
evenly between the 150 councils of 2008 (``data/``), with one worker and with every core, and numpy alone
drawing the same number of lognormal costs in the same chunks. Each configuration runs in a fresh process,
so that its peak memory (resident set, the process and its workers) is its own. It reports; it sets no target
beyond the issue's: the same result whatever the number of workers, memory bounded by the chunk.

Usage: ``python benchmarks/bench_national.py [--years N] [--chunk-years N]`` (default 10,000 and 500).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def _peak_mb() -> float:
    """Peak resident memory of this process and, separately, of its largest finished child, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def one(kind: str, workers: int, years: int, chunk_years: int) -> dict:
    """One configuration, in this process: seconds, peak memory and a digest of the result."""
    import numpy as np

    from swp_models import data
    from swp_models.costs import default_cost_model, even_councils, national_run

    children = int(data.value("lac_at_31_march", year=2007))
    councils = even_councils(children, int(data.value("children_in_care_england", measure="councils_2008")))
    model = default_cost_model()
    start = time.perf_counter()
    if kind == "numpy":  # the same count of lognormal draws, in the same chunks, summed per council-year
        rng = np.random.default_rng(2007)
        for first in range(0, years, chunk_years):
            n = min(chunk_years, years - first)
            for size in councils:
                rng.lognormal(10.0, 0.5, size=(n, size)).sum(axis=1)
        digest = ""
    else:
        run = national_run(model, councils, years, 2007, chunk_years=chunk_years, workers=workers)
        digest = f"{run.mean.sum():.6f} {run.risk_premium.sum():.6f} {int(run.overspends.sum())}"
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "digest": digest,
            "children": children, "councils": len(councils)}


def main() -> None:
    years, chunk = _arg("--years", 10_000), _arg("--chunk-years", 500)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    configs = [("numpy", 1), ("run", 1)] + ([("run", cores)] if cores > 1 else [])
    results = {}
    for kind, workers in configs:
        out = subprocess.run([sys.executable, __file__, "--one", kind, str(workers), str(years), str(chunk)],
                             capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if out.returncode != 0:
            print(f"  {kind} with {workers} worker(s): failed\n{out.stderr[-2000:]}")
            continue
        results[(kind, workers)] = json.loads(out.stdout.strip().splitlines()[-1])
    if not results:
        sys.exit(1)
    first = next(iter(results.values()))
    draws = first["children"] * years
    print(f"== National run: {first['children']:,} children in {first['councils']} councils over {years:,} years "
          f"({draws / 1e9:.2f} billion child costs), chunks of {chunk} years; load average "
          f"{os.getloadavg()[0]:.1f} on {cores} cores")
    base = results.get(("numpy", 1))
    for (kind, workers), r in results.items():
        label = "numpy alone drawing the same lognormals" if kind == "numpy" else f"national_run, {workers} worker(s)"
        ratio = f" ({r['seconds'] / base['seconds']:.2f}x numpy)" if base and kind != "numpy" else ""
        print(f"  {label:<42} {r['seconds']:8.1f} s{ratio}   peak memory {r['peak_mb']:,.0f} MB")
    digests = {r["digest"] for (kind, _), r in results.items() if kind == "run"}
    print(f"  same result for every number of workers: {'yes' if len(digests) == 1 else 'NO'}")
    if len(digests) > 1:
        sys.exit(1)


if __name__ == "__main__":
    if "--one" in sys.argv:
        i = sys.argv.index("--one")
        kind, workers, years, chunk = sys.argv[i + 1], int(sys.argv[i + 2]), int(sys.argv[i + 3]), int(sys.argv[i + 4])
        print(json.dumps(one(kind, workers, years, chunk)))
    else:
        main()
