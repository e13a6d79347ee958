"""``scripts/execute_notebooks.py``: the notebooks the build's cache lacks, executed several at a time before Jupyter Book."""

from __future__ import annotations

import importlib.util
import json

import nbformat
import pytest

from conftest import ROOT


def _script(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cache = tmp_path / "_build" / ".jupyter_cache"
    for name, value in (("ROOT", tmp_path), ("CACHE", cache), ("TIMES", tmp_path / "_build" / "seconds.json"),
                        ("SEEN", cache / "seen.json")):
        monkeypatch.setattr(module, name, value)
    return module


def _notebook(path, source: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)


@pytest.mark.slow
def test_missing_notebooks_are_executed_into_the_cache_the_build_reads(tmp_path, monkeypatch, capsys):
    """Each notebook of the contents is executed in its folder and stored where MyST-NB matches it; one that fails
    is left for the build to run and report; a second run with nothing changed does nothing."""
    from jupyter_cache import get_cache

    (tmp_path / "book").mkdir()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: book/ok\n- file: book/bad\n")
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 60\n  allow_errors: false\n")
    (tmp_path / "index.md").write_text("# Index\n")
    _notebook(tmp_path / "book" / "ok.ipynb", "from pathlib import Path\nprint(Path.cwd().name)")
    _notebook(tmp_path / "book" / "bad.ipynb", "raise RuntimeError('a failing cell')")
    script = _script(tmp_path, monkeypatch)
    assert [p.name for p in script.toc_notebooks()] == ["ok.ipynb", "bad.ipynb"]
    assert script.main(["--workers", "2"]) == 0
    said = capsys.readouterr().out
    assert "book/ok.ipynb: executed" in said and "book/bad.ipynb: failed" in said
    cache = get_cache(str(script.CACHE))
    record = cache.match_cache_notebook(nbformat.read(tmp_path / "book" / "ok.ipynb", as_version=4))
    executed = cache.get_cache_bundle(record.pk).nb
    assert executed.cells[0].outputs[0]["text"].strip() == "book"  # run in the notebook's own folder
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(tmp_path / "book" / "bad.ipynb", as_version=4))
    assert not script.SEEN.exists()  # one is still missing: the next run looks again
    assert set(json.loads(script.TIMES.read_text())) == {"book/ok.ipynb"}

    _notebook(tmp_path / "book" / "bad.ipynb", "print('mended')")
    assert script.main([]) == 0
    assert "book/bad.ipynb: executed" in capsys.readouterr().out and script.SEEN.exists()
    assert script.main([]) == 0 and capsys.readouterr().out == ""  # nothing changed: nothing read or run
    with pytest.raises(SystemExit):
        script.main(["--workers", "0"])
