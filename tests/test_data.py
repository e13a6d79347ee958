"""The data layer: every table validates, and malformed data fails with file, row and column named."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from swp_models import data

TABLE = "workforce_rates_2005"


def test_every_table_loads_and_matches_its_digest():
    assert data.names(), "no tables found"
    for name in data.names():
        frame = data.load(name)
        assert list(frame.columns[-len(data.STANDARD_COLUMNS):]) == list(data.STANDARD_COLUMNS)
        data.check_digest(name)


def test_descriptor_dimensions_match_file_columns():
    for name in data.names():
        desc = data.describe(name)
        with open(data.DATA_DIR / f"{name}.csv", newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [d["name"] for d in desc["dimensions"]] + list(data.STANDARD_COLUMNS), name


def test_every_table_source_is_listed_and_cited_in_the_bibliography():
    bib = (data.DATA_DIR.parent / "book" / "references.bib").read_text(encoding="utf-8")
    bib_keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    srcs = data.sources()
    for key, kind in zip(srcs["key"], srcs["kind"]):
        if kind != "assumption":
            assert key in bib_keys, f"{key} missing from book/references.bib"
    for name in data.names():
        frame = data.load(name)
        assert set(frame["document"]) <= set(srcs["key"])


def test_seed_quotes_appear_in_their_documents():
    """A quoted figure from a seed document must be found, word for word, in that document."""
    seeds = data.DATA_DIR.resolve().parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.fail(f"the source documents are not at {seeds} (shared/seeds beside the clone); "
                    "the quotes cannot be checked without them")
    srcs = data.sources().set_index("key")
    squash = lambda s: re.sub(r"\s+", " ", s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"'))
    checked = 0
    for name in data.names():
        frame = data.load(name)
        for i, rec in frame[frame["status"] == "sourced"].iterrows():
            seed = srcs.loc[rec["document"], "seed_file"]
            if not seed or not (seeds / seed).is_file():
                continue
            text = squash((seeds / seed).read_text(encoding="utf-8"))
            for part in re.split(r"\s*(?:\.\.\.|…)\s*", rec["quote"]):
                assert squash(part.strip()) in text, f"{name} row {i + 1}: quote not found in {seed}: {part!r}"
            checked += 1
    assert checked > 20


def test_value_and_row_lookup():
    assert data.value(TABLE, region="England", measure="vacancy_rate") == 12.0
    assert data.value(TABLE, region="London", measure="turnover_rate") == 15.0
    with pytest.raises(data.DataValidationError, match="0 rows match"):
        data.value(TABLE, region="Mars", measure="vacancy_rate")
    with pytest.raises(data.DataValidationError, match="no dimension 'colour'"):
        data.value(TABLE, colour="red")


def test_catalogue_lists_every_table_with_its_source():
    cat = data.catalogue()
    assert sorted(cat["name"]) == data.names()
    assert (cat["rows"] > 0).all()
    assert cat["sources"].str.len().gt(0).all()


# --- malformed data --------------------------------------------------------------------------


@pytest.fixture()
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _rewrite(folder: Path, name: str, edit) -> None:
    path = folder / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set(rows, row: int, column: str, text: str):
    rows[row][rows[0].index(column)] = text
    return rows


def _fails(folder: Path, pattern: str, name: str = TABLE) -> None:
    with pytest.raises(data.DataValidationError, match=pattern):
        data.load(name, folder)


def test_unknown_table(copy_dir):
    with pytest.raises(data.DataValidationError, match=r"unknown table 'no_such_table'"):
        data.load("no_such_table", copy_dir)


def test_missing_column(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: [r[:-1] for r in rows])
    _fails(copy_dir, rf"data/{TABLE}.csv: missing column\(s\) 'quote'")


def test_non_numeric_value(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 3, "value", "twelve"))
    _fails(copy_dir, rf"data/{TABLE}.csv, row 3 \(line 4\), column 'value': 'twelve' is not a number")


def test_percentage_above_100(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 2, "value", "112"))
    _fails(copy_dir, rf"row 2 \(line 3\), column 'value': 112.0 percent is outside 0..100")


def test_row_without_source(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "document", ""))
    _fails(copy_dir, r"row 1 \(line 2\), column 'document': empty")


def test_row_citing_unknown_source(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "document", "nobody2099"))
    _fails(copy_dir, r"column 'document': 'nobody2099' is not a key in data/sources.csv")


def test_sourced_row_without_location(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 2, "location", ""))
    _fails(copy_dir, r"row 2 \(line 3\), column 'location': empty")


def test_unknown_dimension_value(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "measure", "happiness"))
    _fails(copy_dir, r"row 1 \(line 2\), column 'measure': 'happiness' is not one of")


def test_unknown_unit(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "unit", "furlongs"))
    _fails(copy_dir, r"column 'unit': 'furlongs' is not a known unit")


def test_negative_value(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "value", "-3"))
    _fails(copy_dir, r"column 'value': -3.0")


def test_bad_boolean(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "approx", "maybe"))
    _fails(copy_dir, r"column 'approx': 'maybe' is not a boolean")


def test_range_not_flagged_approximate(copy_dir):
    def edit(rows):
        _set(rows, 1, "low", "1")
        return _set(rows, 1, "approx", "false")

    _rewrite(copy_dir, TABLE, edit)
    _fails(copy_dir, r"column 'approx': a row with a range or bound must be flagged")


def test_ragged_row(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: rows[:2] + [rows[2][:-2]] + rows[3:])
    _fails(copy_dir, r"row 2 \(line 3\): has \d+ cells, the header has \d+")


def test_duplicate_row(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: rows + [rows[1]])
    _fails(copy_dir, r"repeats row 1")


def test_assumption_must_be_labelled(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "status", "assumption"))
    _fails(copy_dir, r"an assumption row must cite the document 'assumption'")


def test_descriptor_missing_key(copy_dir):
    path = copy_dir / f"{TABLE}.json"
    desc = json.loads(path.read_text())
    del desc["sources"]
    path.write_text(json.dumps(desc))
    _fails(copy_dir, rf"data/{TABLE}.json: descriptor lacks the key 'sources'")


def test_changed_file_fails_digest(copy_dir):
    _rewrite(copy_dir, TABLE, lambda rows: _set(rows, 1, "quote", rows[1][rows[0].index("quote")] + " "))
    data.load(TABLE, copy_dir)  # still valid data...
    with pytest.raises(data.DataValidationError, match="sha256"):
        data.check_digest(TABLE, copy_dir)  # ...but the descriptor no longer vouches for it
    assert data.rehash(copy_dir) == [TABLE]
    data.check_digest(TABLE, copy_dir)


def test_loaded_types():
    frame = data.load(TABLE)
    assert frame["value"].dtype == "float64"
    assert frame["approx"].dtype == bool
    assert pd.isna(frame["low"]).all()


def test_tables_travel_with_the_package():
    """swp_models/_data points at data/, so a built wheel carries every table (see pyproject.toml)."""
    packaged = Path(data.__file__).resolve().parent / "_data"
    assert packaged.resolve() == data.DATA_DIR.resolve()
    assert sorted(p.name for p in packaged.glob("*.json")) == sorted(f"{n}.json" for n in data.names())


def test_assumptions_log_collects_every_assumption_row():
    log = data.assumptions()
    expected = sum(int((data.load(n)["status"] == "assumption").sum()) for n in data.names())
    assert len(log) == expected > 0
    assert log["why"].str.len().gt(0).all() and log["parameter"].str.len().gt(0).all()
    assert set(log["table"]) <= set(data.names())
