"""Execute the book's notebooks that the build's execution cache lacks, several at a time, before ``jupyter-book``.

Jupyter Book 1.x (MyST-NB, ``execute_notebooks: cache``) runs each notebook that has no match in
``_build/.jupyter_cache`` one after another as it reads the pages. This runs the missing ones first, one
kernel per core, with jupyter-cache (the library MyST-NB keeps that cache with): in each notebook's own
folder, with the build's timeout, errors not allowed. Each result is stored in the same cache, so the
build then finds every notebook executed and only reads the outputs. A notebook that fails here is left
out of the cache: the build runs it again and reports its error as it always does.

Usage: python scripts/execute_notebooks.py [--workers N]   (default: one per core; ``make book`` runs it)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"
#: Each notebook's last execution time (seconds), kept beside the cache (which ``make`` clears when the package
#: or the data change), so that the slowest notebooks start first.
TIMES = ROOT / "_build" / "notebook-seconds.json"
#: The notebooks' names, sizes and modification times when every one was last found in the cache (inside the cache's
#: folder, so that clearing the cache clears it): while they are unchanged, a rebuild need not read them to know.
SEEN = CACHE / "swp-notebooks-seen.json"


def _settings() -> tuple[int, bool]:
    """The build's timeout and whether errors are allowed (``_config.yml``'s ``execute``), so both runs agree."""
    execute = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")).get("execute", {})
    return int(execute.get("timeout", 30)), bool(execute.get("allow_errors", False))


def toc_files(toc: Path | None = None) -> list[str]:
    """Every document the table of contents (``_toc.yml``, or ``toc``) names, without suffix, root first."""
    spec = yaml.safe_load((toc or ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [spec["root"]]
    pending = [v for k, v in spec.items() if k != "root"]  # depth first, in file order
    while pending:
        node = pending.pop(0)
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            pending[:0] = list(node.values())
        elif isinstance(node, list):
            pending[:0] = node
    return found


def toc_notebooks() -> list[Path]:
    """Every notebook the table of contents names, in its order."""
    return [ROOT / f"{name}.ipynb" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="notebooks executed at once (default: one per core)")
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= 64:
        parser.error(f"--workers must be from 1 to 64; got {args.workers}")
    notebooks = toc_notebooks()
    state = [[str(p.relative_to(ROOT)), p.stat().st_mtime_ns, p.stat().st_size] for p in notebooks]
    try:
        if json.loads(SEEN.read_text(encoding="utf-8")) == state:
            return 0
    except (OSError, ValueError):
        pass
    # The cache's library is imported only now: a rebuild with nothing changed stops above, in a fraction of a second.
    from jupyter_cache import get_cache
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData

    timeout, allow_errors = _settings()
    cache = get_cache(str(CACHE))
    for path in notebooks:
        cache.add_nb_to_project(str(path))
    wanted = {str(p) for p in notebooks}
    missing = [r for r in cache.list_unexecuted() if r.uri in wanted]
    if not missing:
        SEEN.write_text(json.dumps(state), encoding="utf-8")
        return 0
    # The slowest first (by the last run's times; in the contents' order without them), so that no core waits
    # at the end on a long notebook started last.
    try:
        seconds = {k: float(v) for k, v in json.loads(TIMES.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        seconds = {}
    order = {str(p): i for i, p in enumerate(notebooks)}
    missing.sort(key=lambda r: (-seconds.get(str(Path(r.uri).relative_to(ROOT)), 0.0), order[r.uri]))
    started = time.perf_counter()
    print(f"executing {len(missing)} notebook(s), {min(args.workers, len(missing))} at a time", flush=True)
    jobs = [ProcessData(r.pk, r.uri, cache, timeout, allow_errors) for r in missing]
    worker = ExecutionWorkerLocalMProc()
    with multiprocessing.get_context("spawn").Pool(min(args.workers, len(missing))) as pool:
        for code, uri in pool.imap_unordered(worker, jobs, chunksize=1):
            name = str(Path(uri).relative_to(ROOT))
            word = {0: "executed", 1: "failed (the build runs it again and reports the error)"}.get(code, "not cached")
            print(f"  {name}: {word} ({time.perf_counter() - started:.0f} s)", flush=True)
    for record in cache.list_cache_records():
        name = str(Path(record.uri).relative_to(ROOT)) if Path(record.uri).is_relative_to(ROOT) else record.uri
        if record.data.get("execution_seconds") is not None:
            seconds[name] = round(float(record.data["execution_seconds"]), 2)
    TIMES.write_text(json.dumps(seconds, indent=1, sort_keys=True), encoding="utf-8")
    if not [r for r in cache.list_unexecuted() if r.uri in wanted]:
        SEEN.write_text(json.dumps(state), encoding="utf-8")
    print(f"notebooks executed in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
