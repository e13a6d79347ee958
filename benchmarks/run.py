"""Print every performance figure the workbook promises (``make bench``).

1. The contract simulator (``bench_contracts.py``): 10 million child costs priced under all
   contracts, against numpy's own lognormal draws and a per-child Python loop; then the cost
   model alone drawing 10 million child costs.
2. Each live explorer (``swp_models/explore/*.py``): the time to recompute after a control
   changes, median of repeated changes. Target: under 200 ms.
3. The sensitivity analysis (``bench_sensitivity.py``): the page's whole Sobol run, with numpy's
   time to draw the same number of child costs beside it. Target: under 30 s.
4. The book: a cold build (execution included, set-up excluded) and a rebuild with nothing
   changed; the heaviest page. Targets: under 3 minutes, under 20 seconds, under 3 MB.

Pass ``--quick`` to skip the book builds.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def contracts() -> None:
    print("== Contract simulator (one core, best of 3)")
    subprocess.run([PY, str(ROOT / "benchmarks" / "bench_contracts.py")], check=True, cwd=ROOT)


def sensitivity() -> None:
    print("\n== Sensitivity analysis (chapter 5 section)")
    subprocess.run([PY, str(ROOT / "benchmarks" / "bench_sensitivity.py")], check=True, cwd=ROOT)


def child_costs(n: int = 10_000_000) -> None:
    """Chapter 3's cost model alone: draw ``n`` child costs (best of 3, one thread)."""
    from swp_models.costs import default_cost_model

    model = default_cost_model()
    best = min(_timed(lambda: model.sample(n, seed=2007)) for _ in range(3))
    print(f"\n== Cost model: {n:,} child costs drawn (needs group + lognormal), best of 3: {best:.3f} s "
          "(target: well under 1 s)")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _controls(widget):
    """Every value-bearing control inside an ipywidgets container, depth first."""
    import ipywidgets as w

    found = []
    stack = [widget]
    while stack:
        node = stack.pop(0)
        if isinstance(node, (w.FloatSlider, w.IntSlider, w.BoundedFloatText, w.BoundedIntText, w.FloatLogSlider)):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def explorers(repeats: int = 15) -> None:
    import swp_models.explore as pkg

    print("\n== Live explorers: recompute after a control changes (median of %d changes; target < 200 ms)" % repeats)
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"swp_models.explore.{info.name}")
        if not hasattr(module, "explorer"):
            continue
        box = module.explorer()
        controls = _controls(box)
        if not controls:
            print(f"  {info.name:<12} no numeric control found")
            continue
        worst = 0.0
        for control in controls:
            lo, hi = control.min, control.max
            times = []
            for i in range(repeats):
                target = lo + (hi - lo) * ((i % 5) + 1) / 7
                if isinstance(control.value, int):
                    target = int(round(target))
                start = time.perf_counter()
                control.value = target
                times.append(time.perf_counter() - start)
            worst = max(worst, statistics.median(times))
        print(f"  {info.name:<12} {len(controls):>2} controls, slowest median recompute {1000 * worst:7.1f} ms")


def _build(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def book() -> None:
    jb = str(Path(PY).parent / "jupyter-book")
    print("\n== Book build (set-up excluded)")
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    subprocess.run(["make", "-s", "_static/vega-bundle.js", "_vendor/mathjax/tex-chtml.js"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    cold = _build([jb, "build", ".", "-n", "-W", "--keep-going"])
    (ROOT / "_build").mkdir(exist_ok=True)
    subprocess.run(["make", "-s", "_build/.models-stamp"], check=True, cwd=ROOT)
    warm = _build(["make", "-s", "book"])
    html = ROOT / "_build" / "html"
    pages = [p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_")]
    heaviest = max(pages, key=lambda p: p.stat().st_size)
    bundle = (html / "_static" / "vega-bundle.js").stat().st_size
    print(f"  cold build, every notebook executed   {cold:7.1f} s   (target < 180 s)")
    print(f"  rebuild with nothing changed          {warm:7.1f} s   (target < 20 s)")
    print(f"  heaviest page {heaviest.relative_to(html)}  {heaviest.stat().st_size / 1e6:5.2f} MB "
          f"(+ shared Vega bundle {bundle / 1e6:.2f} MB, counted once)   (target < 3 MB)")


if __name__ == "__main__":
    contracts()
    child_costs()
    sensitivity()
    explorers()
    if "--quick" not in sys.argv:
        book()
