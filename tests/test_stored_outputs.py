"""Each chapter notebook's stored outputs are what the current code and data produce.

``make book`` executes every notebook from a fresh kernel (``execute_notebooks: cache`` in ``_config.yml``, with
``raise_on_error``, so a cell that fails stops the build) and writes each executed copy to
``_build/jupyter_execute/``. This module compares each copy, cell by cell, with the outputs stored in ``book/``,
by nbval's rules (the same sanitiser, ``tests/nbval_sanitize.cfg``; cells tagged ``nbval-ignore-output`` are
executed but not compared; streams coalesced; metadata, execution counts, widget ids and images left out), so
that the suite does not run every notebook a second time. ``make test`` builds the book first; run on its own,
the test fails (never skips) when the executed copies are missing or older than a notebook, the package or the
data. ``pytest --nbval book/X.ipynb`` still re-executes one notebook in a kernel of its own.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import (coalesce_streams, find_comment_markers, find_metadata_tags, get_sanitize_patterns,
                          transform_streams_for_comparison)

from conftest import ROOT, newest_model_input, toc_files

pytestmark = pytest.mark.built

EXECUTED = ROOT / "_build" / "jupyter_execute"
SANITIZE = Path(__file__).resolve().parent / "nbval_sanitize.cfg"
#: Output keys nbval does not compare (its ``IPyNbFile.skip_compare`` without ``--nbdime``).
SKIP_COMPARE = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")
NOTEBOOKS = [doc for doc in toc_files() if (ROOT / f"{doc}.ipynb").is_file()]
PATTERNS = get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8"))


def _sanitize(value):
    if not isinstance(value, str):
        return value
    for regex, replace in PATTERNS:
        value = re.sub(regex, replace, value)
    return value


def _flatten(outputs) -> dict[str, list]:
    """nbval's view of a cell's outputs: each compared key (a mime type's data, a stream's text, an error's
    name and value) with its values in order."""
    out: dict[str, list] = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams(list(outputs))):
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_COMPARE:
                        out[mime].append(_sanitize(data))
            else:
                out[key].append(_sanitize(value))
    return dict(out)


def _options(cell) -> dict:
    found = dict(find_metadata_tags(cell.metadata))
    found.update(dict(find_comment_markers(cell.source)))
    return found


def _is_glue(output) -> bool:
    return "scrapbook" in output.get("metadata", {})


def glue_records(cells) -> dict[str, dict]:
    """The values a notebook's cells glue, by name (``{mime type: sanitised value}``), from their stored outputs."""
    found = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            if _is_glue(output):
                prefix = output["metadata"]["scrapbook"].get("mime_prefix", "")
                found[output["metadata"]["scrapbook"]["name"]] = {
                    mime.removeprefix(prefix): _sanitize(value) for mime, value in output.get("data", {}).items()}
    return found


def cell_differences(stored, executed, glued: dict | None = None) -> list[str]:
    """Where the executed notebook's outputs differ from the stored ones, one line each (empty: none).

    The build moves each glued value out of the executed copy into ``<notebook>.glue.json`` (or, when it reads a
    notebook from its execution cache, may leave it in the cell); ``glued`` is that file's content
    (``{name: output}``): with the glue outputs left in the copy's cells, the values the build glued, compared
    with the values the stored notebook glues. ``None``: compare glue outputs as other outputs, cell by cell.
    """
    problems = []
    if glued is not None:
        want = glue_records(stored.cells)
        got = {name: {mime: _sanitize(value) for mime, value in out.get("data", {}).items()}
               for name, out in glued.items()}
        got.update(glue_records(executed.cells))
        for name in sorted(set(want) | set(got)):
            if name not in got:
                problems.append(f"glue {name!r}: stored in the notebook, not computed by the build")
            elif name not in want:
                problems.append(f"glue {name!r}: computed by the build, not stored in the notebook")
            elif want[name] != got[name]:
                problems.append(f"glue {name!r}: stored {want[name]}, now {got[name]}")
    stored_cells = [c for c in stored.cells if c.cell_type == "code"]
    executed_cells = [c for c in executed.cells if c.cell_type == "code"]
    if [c.source for c in stored_cells] != [c.source for c in executed_cells]:
        return ["the executed copy was built from other code cells than the notebook's (build the book again)"]
    for number, (ref, new) in enumerate(zip(stored_cells, executed_cells)):
        options = _options(ref)
        errors = [o for o in new.outputs if o.get("output_type") == "error"]
        if errors and not options.get("check_exception"):
            problems.append(f"Cell {number}: raised {errors[0].get('ename')}: {errors[0].get('evalue')}")
            continue
        if options.get("skip") or options.get("check") is False or ref.execution_count is None:
            continue
        if glued is None:
            want, got = _flatten(ref.outputs), _flatten(new.outputs)
        else:
            want = _flatten([o for o in ref.outputs if not _is_glue(o)])
            got = _flatten([o for o in new.outputs if not _is_glue(o)])
        if set(want) != set(got):
            problems.append(f"Cell {number}: output kinds {sorted(got)} where the notebook stores {sorted(want)}")
            continue
        for key in want:
            if want[key] != got[key]:
                first = next((i for i, (a, b) in enumerate(zip(want[key], got[key])) if a != b), None)
                shown = "" if first is None else (f": stored {str(want[key][first])[:300]!r}, "
                                                  f"now {str(got[key][first])[:300]!r}")
                problems.append(f"Cell {number}: {key} differs{shown}")
    return problems


def _stale(notebook: Path, copy: Path) -> bool:
    return copy.stat().st_mtime < max(newest_model_input(), notebook.stat().st_mtime)


def test_every_chapter_notebook_is_compared():
    """The list is read from the table of contents (an empty list would pass every notebook vacuously)."""
    assert len(NOTEBOOKS) >= 12 and "book/05_contracts" in NOTEBOOKS


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_stored_outputs_are_what_the_build_computed(doc):
    notebook, copy = ROOT / f"{doc}.ipynb", EXECUTED / f"{doc}.ipynb"
    if not copy.is_file():
        raise RuntimeError(f"{copy} is missing: run `make book` (or `make test`, which builds it)")
    if _stale(notebook, copy):
        raise RuntimeError(f"{copy} is older than {notebook.name}, swp_models/ or data/: run `make book` again")
    glue_file = copy.with_suffix(".glue.json")
    glued = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
    problems = cell_differences(nbformat.read(notebook, as_version=4), nbformat.read(copy, as_version=4), glued)
    assert not problems, (f"{doc}.ipynb: the stored outputs are not what the current code computes "
                          f"(refresh them on purpose with `make notebooks`):\n" + "\n".join(problems))


def test_a_changed_output_is_caught():
    """The comparison can fail: a figure changed in one cell, or an error raised, is reported by cell."""
    stored = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
        nbformat.v4.new_output("execute_result", {"text/plain": "£4.37m"}, execution_count=1)])])
    changed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
        nbformat.v4.new_output("execute_result", {"text/plain": "£4.38m"}, execution_count=1)])])
    assert cell_differences(stored, stored) == []
    assert cell_differences(stored, changed)[0].startswith("Cell 0: text/plain differs")
    failed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
        nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[])])])
    assert cell_differences(stored, failed) == ["Cell 0: raised ValueError: bad"]
    ignored = nbformat.from_dict(changed)
    ignored.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    stored_ignored = nbformat.from_dict(stored)
    stored_ignored.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    assert cell_differences(stored_ignored, ignored) == []


def test_a_changed_glued_value_is_caught():
    """A value the build glues (moved to ``<notebook>.glue.json``) is compared with the value the notebook stores."""
    def glue(value):
        return nbformat.v4.new_output("display_data", {"application/papermill.record/text/plain": value},
                                      metadata={"scrapbook": {"name": "ch5_cost", "mime_prefix":
                                                              "application/papermill.record/"}})

    stored = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("glue()", execution_count=1,
                                                                       outputs=[glue("'£4.37m'")])])
    executed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("glue()", execution_count=1, outputs=[])])
    same = {"ch5_cost": {"output_type": "display_data", "data": {"text/plain": "'£4.37m'"}}}
    moved = {"ch5_cost": {"output_type": "display_data", "data": {"text/plain": "'£4.38m'"}}}
    assert cell_differences(stored, executed, same) == []
    assert cell_differences(stored, executed, moved)[0].startswith("glue 'ch5_cost': stored")
    assert cell_differences(stored, executed, {})[0].endswith("not computed by the build")
