"""Every public function that reads a data table takes ``data_dir`` and reads that folder.

The readers are found from the source: a public function of ``swp_models`` whose body calls one of the data
layer's readers (``data.load``, ``data.value``, ``data.row``, ``assumptions.value`` ...). A new reader without
``data_dir``, or a reader call that does not pass it on, fails here with the function and line named.
"""

from __future__ import annotations

import ast
import csv
import shutil
from pathlib import Path

import pytest

from swp_models import abroad, data, evaluation, problem

PACKAGE = Path(data.__file__).resolve().parent
#: The data layer itself (tests/test_data.py checks its readers' ``data_dir``).
DATA_LAYER = {"data.py", "assumptions.py", "datapackage.py"}
DATA_READERS = {"load", "value", "row", "describe", "names", "catalogue", "sources", "dictionary", "assumptions"}
ASSUMPTION_READERS = {"value", "value_in", "record", "bounds", "table", "table_of", "names"}


def _reader_calls(fn: ast.FunctionDef):
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)):
            mod, attr = node.func.value.id, node.func.attr
            if (mod == "data" and attr in DATA_READERS) or (mod == "assumptions" and attr in ASSUMPTION_READERS):
                yield node


def _passes_data_dir(call: ast.Call) -> bool:
    """The call hands on the folder: ``data_dir=...`` or a positional argument built from ``data_dir``."""
    if any(k.arg == "data_dir" for k in call.keywords):
        return True
    return any(isinstance(n, ast.Name) and n.id == "data_dir" for a in call.args for n in ast.walk(a))


def _readers() -> list[tuple[str, ast.FunctionDef]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in DATA_LAYER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef) and not fn.name.startswith("_") and any(_reader_calls(fn)):
                out.append((f"{path.relative_to(PACKAGE.parent)}:{fn.name}", fn))
    return out


READERS = _readers()


def test_the_walk_finds_the_readers():
    """A broken walk would pass vacuously: it must find the known readers."""
    found = {name for name, _ in READERS}
    assert len(READERS) >= 50
    assert {"swp_models/problem.py:workforce_by_region", "swp_models/abroad.py:canada_price_ratio",
            "swp_models/evaluation.py:timeline"} <= found


@pytest.mark.parametrize("name", [name for name, _ in READERS])
def test_every_reader_takes_data_dir_and_passes_it_on(name):
    fn = dict(READERS)[name]
    params = {a.arg: a for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    assert "data_dir" in params, (
        f"{name} reads a data table but has no data_dir parameter: add `*, data_dir: str | Path | None = None` "
        "to its signature and pass data_dir=data_dir to each data/assumptions call")
    defaults = dict(zip([a.arg for a in fn.args.kwonlyargs], fn.args.kw_defaults))
    positional = fn.args.posonlyargs + fn.args.args
    defaults.update(zip([a.arg for a in positional[len(positional) - len(fn.args.defaults):]], fn.args.defaults))
    default = defaults.get("data_dir")
    assert isinstance(default, ast.Constant) and default.value is None, f"{name}: data_dir must default to None"
    missed = [call.lineno for call in _reader_calls(fn) if not _passes_data_dir(call)]
    assert not missed, f"{name}: the data call(s) on line(s) {missed} do not pass data_dir=data_dir on"


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _set_value(folder: Path, name: str, match: dict[str, str], value: str) -> None:
    """Set the value of the one row of table ``name`` matching ``match``, keeping its range consistent."""
    path = folder / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1
    hits[0].update(value=value, low="", high="")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_readers_read_the_folder_they_are_given(copy_dir):
    """An edit in a copied folder shows in the readers given that folder, and not in the project's data."""
    _set_value(copy_dir, "workforce_rates_2005", {"region": "London", "measure": "vacancy_rate"}, "33")
    _set_value(copy_dir, "cpi_canada", {"year": "2004"}, "217.2")
    _set_value(copy_dir, "evaluation_inputs", {"parameter": "icc"}, "0.1")
    frame = problem.workforce_by_region(data_dir=copy_dir).set_index("region")
    assert 33.0 in set(frame.loc["London"].to_numpy().ravel())
    assert 33.0 not in set(problem.workforce_by_region().set_index("region").loc["London"].to_numpy().ravel())
    assert abroad.canada_price_ratio(data_dir=copy_dir) == pytest.approx(2.0)
    assert abroad.canada_price_ratio() != pytest.approx(2.0)
    assert evaluation.input_value("icc", data_dir=copy_dir) == pytest.approx(0.1)
    assert evaluation.input_value("icc") != pytest.approx(0.1)


@pytest.mark.parametrize("call", [
    lambda d: problem.workforce_by_region(data_dir=d),
    lambda d: abroad.canada_price_ratio(data_dir=d),
    lambda d: evaluation.input_value("icc", data_dir=d),
])
def test_readers_refuse_a_wrong_folder_by_name(tmp_path, call):
    with pytest.raises(TypeError, match="data_dir must be a folder path"):
        call(3)
    with pytest.raises(ValueError, match="data_dir must be an existing folder"):
        call(tmp_path / "missing")


def test_no_call_hands_on_the_folder_twice():
    """A reader call given the folder both by position and as ``data_dir=`` fails only when it runs: refuse it here."""
    twice = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(k.arg == "data_dir" for k in node.keywords):
                if any(isinstance(n, ast.Name) and n.id == "data_dir" for a in node.args for n in ast.walk(a)):
                    twice.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert twice == [], f"calls given data_dir twice: {twice}"
