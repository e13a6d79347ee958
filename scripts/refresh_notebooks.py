"""Re-execute chapter notebooks in place so their stored outputs are the current reference.

The stored outputs are what the notebook tests (tests/test_stored_outputs.py, or nbval) compare against, so refreshing them is a deliberate act:
run it after a change that is meant to move a result, then read the diff (``git diff book/``).

Usage: python scripts/refresh_notebooks.py book/01_problem.ipynb [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Metadata that changes on every run and carries no meaning for a reader.
_VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state and per-run metadata; number the code cells 1, 2, 3..."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    count = 0
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        kept = []
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = count
            data = out.get("data", {})
            # Live widget views cannot be replayed from a static file: keep only their text.
            data.pop("application/vnd.jupyter.widget-view+json", None)
            if out.get("output_type") in ("display_data", "execute_result") and not data:
                continue
            kept.append(out)
        cell.outputs = kept
    return nb


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(clean(nb), path)
    print(f"refreshed {path}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    for arg in sys.argv[1:]:
        refresh(Path(arg))
