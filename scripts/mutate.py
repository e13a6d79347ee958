"""Mutation spot-check of one module with mutmut: how many small code changes do the tests catch?

Usage (``make mutate`` runs it)::

    python scripts/mutate.py swp_models/stats.py tests/test_stats_charts.py tests/test_model_checks.py

The module and the package, data and tests are copied to a scratch folder (so the clone is never
touched), a ``[tool.mutmut]`` section naming the module and the tests is written there, and
``mutmut run`` mutates the module's functions one change at a time, running the tests that reach
each function. The script prints mutmut's results and the score: killed mutants over all mutants
that ran (a timeout counts as killed, as the tests noticed; "no tests" and "survived" do not).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ("swp_models", "data", "tests", "book", "scripts", "_toc.yml", "pyproject.toml")


def _scratch(module: str, tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="swp-mutate-"))
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, work / name)
    # The notebooks and the browser are not run: only the named unit tests, without nbval's options.
    text = (work / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r'^addopts = .*$', 'addopts = "-p no:cacheprovider"', text, flags=re.M)
    text += (
        "\n[tool.mutmut]\n"
        f'source_paths = ["swp_models/"]\n'
        f"only_mutate = [{json.dumps(module)}]\n"
        'also_copy = ["data/", "book/", "scripts/", "_toc.yml"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:nbval", "-m", "not browser", "-x", "-q"]\n'
    )
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    module, tests = argv[0], argv[1:]
    if not (ROOT / module).is_file():
        print(f"no module {module}", file=sys.stderr)
        return 2
    work = _scratch(module, tests)
    mutmut = Path(sys.executable).parent / "mutmut"
    # The package is installed in editable mode from the clone: import the scratch copy instead.
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONNOUSERSITE="1")
    print(f"mutating {module} in {work}; tests: {' '.join(tests)}", flush=True)
    run = subprocess.run([str(mutmut), "run", "--max-children", "2"], cwd=work, env=env, check=False,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # mutmut redraws a progress line many times a second: keep only what it printed last.
    print(run.stdout.replace("\r", "\n").strip().splitlines()[-1:][0] if run.stdout.strip() else "", flush=True)
    out = subprocess.run([str(mutmut), "results", "--all", "true"], cwd=work, env=env, capture_output=True, text=True)
    lines = [ln.strip() for ln in out.stdout.splitlines() if ":" in ln]
    status = [ln.rsplit(":", 1)[1].strip() for ln in lines]
    killed = sum(s in ("killed", "timeout") for s in status)
    ran = sum(s in ("killed", "timeout", "survived", "no tests") for s in status)
    for ln in lines:
        if not ln.endswith(("killed", "timeout")):
            print(ln)
            name = ln.rsplit(":", 1)[0]
            shown = subprocess.run([str(mutmut), "show", name], cwd=work, env=env, capture_output=True, text=True)
            print("\n".join("    " + d for d in shown.stdout.splitlines() if d.startswith(("-", "+")) and
                            not d.startswith(("---", "+++"))))
    print(f"score for {module}: {killed} of {ran} mutants killed ({100 * killed / max(ran, 1):.0f}%)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
