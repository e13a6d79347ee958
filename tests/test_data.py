"""The data layer: every table validates, and malformed data fails with file, row and column named."""

from __future__ import annotations

import csv
import json
import math
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


def _sourced_rows():
    """(table, 1-based row, record) of every row with status "sourced", across all tables."""
    for name in data.names():
        frame = data.load(name)
        for i, rec in frame.iterrows():
            if rec["status"] == "sourced":
                yield name, i + 1, rec


def test_seed_quotes_appear_in_their_documents():
    """A quote from a seed document must be found, word for word, in that document: every such row."""
    seeds = data.DATA_DIR.resolve().parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.fail(f"the source documents are not at {seeds} (shared/seeds beside the clone); "
                    "the quotes cannot be checked without them")
    srcs = data.sources().set_index("key")
    squash = lambda s: re.sub(r"\s+", " ", s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"'))
    with_seed = set(srcs.index[srcs["seed_file"].str.strip() != ""])
    expected = sum(1 for _, _, rec in _sourced_rows() if rec["document"] in with_seed)
    checked = 0
    for name, i, rec in _sourced_rows():
        seed = srcs.loc[rec["document"], "seed_file"]
        if not seed:
            continue  # an outside document: its quote is checked against the number below, not a copy
        assert (seeds / seed).is_file(), f"{name} row {i}: seed file {seed} named in sources.csv is missing"
        text = squash((seeds / seed).read_text(encoding="utf-8"))
        for part in re.split(r"\s*(?:\.\.\.|…)\s*", rec["quote"]):
            assert squash(part.strip()) in text, f"{name} row {i}: quote not found in {seed}: {part!r}"
        checked += 1
    assert checked == expected > 0


# Numbers a quote may spell out in words.
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "hundred": 100}
# How a row's value may be written in its quote: as is, a ratio as a percentage (x100), pounds as thousands
# (/1000) or millions (/1e6), and millions as thousands ("£000" tables, x1000).
_QUOTE_SCALES = (1, 100, 1 / 1000, 1 / 1e6, 1000)
# Sourced rows whose value the quote gives in words no rule above reads, keyed by (table, row): the value the
# row must hold, and why. A changed value, or an entry that no longer matches a row, fails the test.
_QUOTE_ALLOWED = {
    ("evaluation_inputs", 8): (21.7, "not White: (60,300 - 47,200) / 60,300 = 21.7 percent"),
    ("international", 4): (2.0, "'more than doubled'"),
    ("international", 5): (2.0, "'had more than doubled'"),
    ("international", 10): (2.0, "'has nearly doubled'"),
    ("international", 15): (50.0, "'about half of them': 50 percent"),
    ("international", 26): (1.0, "'both metropolitan areas were awarded to that agency': one provider"),
    ("international", 27): (3.0, "'until the third year of operation'"),
    ("stability_index", 6): (25.0, "'just over a quarter': 25 percent"),
    ("outcome_evidence", 3): (0.0, "'rise from nothing in the first year': 0 percent"),
    ("outcome_evidence", 6): (12.0, "'on an annual basis': 12 months"),
    ("pilots_what_happened", 19): (1.0, "'Sandwell Council has dropped out': one council"),
    ("pilots_what_happened", 20): (10.0, "the order's list of ten councils, elided in the quote"),
    ("pilots_what_happened", 21): (4.0, "'Warwickshire, Coventry, South Tyneside and Lincolnshire': four councils"),
}

# Tables whose rows record a sourced statement rather than a number: the value is 1, a marker that
# the statement in the row's text columns is sourced, and the quote is the statement's source.
_STATEMENT_TABLES = {"international_systems", "managed_care_models"}


def _statement_row(name: str, rec) -> bool:
    """A row recording a statement, not a figure (value 1, see :data:`_STATEMENT_TABLES`)."""
    if name in _STATEMENT_TABLES or str(rec.get("value_means", "")).startswith("one statement"):
        assert rec["value"] == 1, f"{name}: a statement row must have value 1, got {rec['value']}"
        return True
    return False


def _dated_row(name: str, rec) -> bool:
    """A timeline row: its value is the year of its ``start`` date, which comes from the document's
    dateline rather than its quote, so the year is checked against the date instead."""
    if name != "pilot_timeline":
        return False
    assert rec["value"] == int(str(rec["start"])[:4]), f"{name}: value {rec['value']} is not the year of {rec['start']}"
    return True


def _quote_numbers(quote: str) -> list[float]:
    out = []
    for token in re.findall(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+", quote):
        if token[0].isalpha():
            if token.lower() in _NUMBER_WORDS:
                out.append(float(_NUMBER_WORDS[token.lower()]))
            continue
        token = token.rstrip(",")
        thousands = re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", token)
        out.append(float(token.replace(",", "") if thousands else token.split(",")[0]))
    return out


def value_in_quote(value: float, quote: str) -> bool:
    """Whether ``value`` appears in ``quote``: a number in it, the midpoint or ratio of two neighbours
    ("£50,000-£54,000", "six to nine", "1 in 4"), at one of the scales above (one decimal for values of 10+)."""
    nums = _quote_numbers(quote)
    candidates = set(nums)
    for a, b in zip(nums, nums[1:]):
        candidates.add((a + b) / 2)
        if b:
            candidates.update((a / b, 100 * a / b))
    for n in candidates:
        for scale in _QUOTE_SCALES:
            target = value * scale
            if math.isclose(n, target, rel_tol=1e-9, abs_tol=1e-12):
                return True
            if abs(target) >= 10 and round(n, 1) == round(target, 1):
                return True
    return False


def test_value_in_quote_reads_the_forms_the_tables_use():
    assert value_in_quote(12.0, "a vacancy rate of 12%")
    assert value_in_quote(52000.0, "£50,000-£54,000 per child")
    assert value_in_quote(0.2, "a ratio of approximately 1 to 5")
    assert value_in_quote(33.3, "one in three children")
    assert value_in_quote(2.0, "£2 million") and value_in_quote(2_000_000.0, "£2 million")
    assert not value_in_quote(98.0, "89% of councils")
    assert not value_in_quote(13.0, "a vacancy rate of 12%")


def test_every_sourced_value_is_in_its_quote():
    checked, skipped, allowed_seen = 0, 0, set()
    for name, i, rec in _sourced_rows():
        if (name, i) in _QUOTE_ALLOWED:
            want, why = _QUOTE_ALLOWED[(name, i)]
            assert rec["value"] == want, f"{name} row {i}: value {rec['value']} but the allow-list reads {want} ({why})"
            allowed_seen.add((name, i))
            continue
        if _statement_row(name, rec) or (_dated_row(name, rec) and not value_in_quote(rec["value"], rec["quote"])):
            skipped += 1
            continue
        assert value_in_quote(rec["value"], rec["quote"]), (
            f"{name} row {i}: value {rec['value']:g} not found in its quote {rec['quote']!r}"
        )
        checked += 1
    assert allowed_seen == set(_QUOTE_ALLOWED), f"stale allow-list entries: {set(_QUOTE_ALLOWED) - allowed_seen}"
    assert checked + skipped + len(allowed_seen) == sum(1 for _ in _sourced_rows())
    assert checked > 0


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


# --- one failing-data test for every message the loader gives ----------------------------------


def _set_json(folder: Path, name: str, edit) -> None:
    path = folder / f"{name}.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    edit(desc)
    path.write_text(json.dumps(desc), encoding="utf-8")


def _row_edit(row: int, column: str, text: str):
    return lambda rows: _set(rows, row, column, text)


def _both(*edits):
    def run(rows):
        for e in edits:
            rows = e(rows)
        return rows
    return run


# (table, edit of its rows, the message expected), one per check in swp_models.data._validate_row and load.
ROW_CASES = {
    "low above value": (TABLE, _both(_row_edit(1, "low", "15"), _row_edit(1, "approx", "true")),
                        r"row 1 \(line 2\), column 'low': 15.0 is above value 12.0"),
    "high below value": (TABLE, _both(_row_edit(1, "high", "11"), _row_edit(1, "approx", "true")),
                         r"row 1 \(line 2\), column 'high': 11.0 is below value 12.0"),
    "bad status": (TABLE, _row_edit(1, "status", "guessed"),
                   r"column 'status': 'guessed' is not one of \['sourced', 'assumption', 'derived'\]"),
    "cites assumption without the status": (TABLE, _row_edit(1, "document", "assumption"),
                                            r"column 'status': a row citing 'assumption' must have status 'assumption'"),
    "no data rows": (TABLE, lambda rows: rows[:1], rf"data/{TABLE}.csv: has no data rows"),
    "dimension below its minimum": ("salaries", _row_edit(1, "year", "1999"),
                                    r"data/salaries.csv, row 1 \(line 2\), column 'year': 1999 is below the minimum 2000"),
    "dimension above its maximum": ("salaries", _row_edit(1, "year", "2011"),
                                    r"column 'year': 2011 is above the maximum 2010"),
    "not an integer": ("salaries", _row_edit(1, "year", "2006.5"), r"column 'year': '2006.5' is not an integer"),
    "not a finite number": (TABLE, _row_edit(1, "value", "inf"), r"column 'value': 'inf' is not a finite number"),
    "required dimension empty": (TABLE, _row_edit(1, "region", ""),
                                 r"row 1 \(line 2\), column 'region': empty, but the column is required"),
    "empty unit": (TABLE, _row_edit(1, "unit", ""), r"column 'unit': empty; every row needs a unit"),
    "empty quote": (TABLE, _row_edit(1, "quote", ""), r"column 'quote': empty; every row needs a quote"),
    "extra column": (TABLE, lambda rows: [r + ["x"] for r in rows], r"unexpected column\(s\) 'x'"),
    "columns out of order": (TABLE, lambda rows: [[r[1], r[0], *r[2:]] for r in rows], r"columns are in the order"),
    "assumption beyond its valid range": (
        "assumptions_costs", _both(_row_edit(1, "value", "150"), _row_edit(1, "low", ""), _row_edit(1, "high", ""),
                                   _row_edit(1, "approx", "false")),
        r"data/assumptions_costs.csv, row 1 \(line 2\), column 'value': 150.0 is above the maximum 5 the descriptor "
        r"allows for parameter 'within_group_cv'"),
    "assumption below its valid range": (
        "assumptions_contracts", _both(_row_edit(2, "value", "0.5"), _row_edit(2, "low", ""), _row_edit(2, "high", ""),
                                       _row_edit(2, "approx", "false")),
        r"row 2 \(line 3\), column 'value': 0.5 is below the minimum 1 the descriptor allows for parameter 'effort_cost'"),
    "assumption range end beyond its valid range": (
        "assumptions_costs", _both(_row_edit(1, "high", "9"), _row_edit(1, "approx", "true")),
        r"row 1 \(line 2\), column 'high': 9.0 is above the maximum 5"),
    "cost beyond its plausible range": (
        "cost_by_needs_2005", _row_edit(1, "value", "1e300"),
        r"data/cost_by_needs_2005.csv, row 1 \(line 2\), column 'value': 1e\+300 is outside the plausible range "
        r"\[0, 1000000\] the descriptor allows for 'GBP per child per year'"),
    "salary range end beyond its plausible range": (
        "salaries", _both(_row_edit(1, "high", "22513000"), _row_edit(1, "approx", "true")),
        r"data/salaries.csv, row 1 \(line 2\), column 'high': 22513000.0 is outside the plausible range \[0, 500000\]"),
    "unit with no plausible range": (
        "salaries", _row_edit(1, "unit", "GBP million"),
        r"data/salaries.csv, row 1 \(line 2\), column 'unit': the descriptor \S*data/salaries.json gives no plausible "
        r"range for the unit 'GBP million'; add \"GBP million\": \[0, 100000\] \(or narrower\) to its \"unit_ranges\""),
    "year dimension beyond its plausible range": (
        "cpi_canada", _row_edit(1, "year", "19980"),
        r"data/cpi_canada.csv, row 1 \(line 2\), column 'year': 19980 is above the maximum 2030"),
}


@pytest.mark.parametrize("case", sorted(ROW_CASES))
def test_each_row_check_has_its_message(copy_dir, case):
    name, edit, message = ROW_CASES[case]
    data.load(name, copy_dir)  # valid before the edit
    _rewrite(copy_dir, name, edit)
    _fails(copy_dir, message, name)


DESCRIPTOR_CASES = {
    "not JSON": (lambda path: path.write_text("{", encoding="utf-8"), rf"data/{TABLE}.json: not valid JSON"),
    "wrong name": (lambda d: d.update(name="other"), rf"'name' is 'other', expected '{TABLE}'"),
    "empty sources": (lambda d: d.update(sources=[]), r"'sources' must be a non-empty list"),
    "source not in sources.csv": (lambda d: d.update(sources=["nobody2099"]),
                                  rf"data/{TABLE}.json: source 'nobody2099' is not in data/sources.csv"),
    "dimension without a type": (lambda d: d["dimensions"][0].pop("type"), r"dimension 0 lacks the key 'type'"),
    "dimension of an unknown type": (lambda d: d["dimensions"][0].update(type="date"),
                                     r"dimension 'region' has type 'date'; allowed: string, integer"),
    "dimension named like a standard column": (lambda d: d["dimensions"][0].update(name="value"),
                                               r"dimension 'value' clashes with a standard column"),
    "value_ranges not a mapping": (lambda d: d.update(value_ranges=[1, 2]), r"'value_ranges' must map a dimension"),
    "value_ranges on no dimension": (lambda d: d.update(value_ranges={"colour": {"red": [0, 1]}}),
                                     r"'value_ranges' names 'colour', which is not a dimension"),
    "value_ranges empty": (lambda d: d.update(value_ranges={"region": {}}),
                           r"'value_ranges'\['region'\] must map values to \[min, max\]"),
    "value_ranges reversed": (lambda d: d.update(value_ranges={"region": {"England": [5, 1]}}),
                              r"'value_ranges'\['region'\]\['England'\] must be \[minimum, maximum\].*got \[5, 1\]"),
    "unit_ranges not a mapping": (lambda d: d.update(unit_ranges=[0, 100]),
                                  r"'unit_ranges' must map each unit the rows use to \[minimum, maximum\]"),
    "unit_ranges on no unit": (lambda d: d.update(unit_ranges={"furlongs": [0, 1]}),
                               r"'unit_ranges' names 'furlongs', which is not a unit"),
    "unit_ranges reversed": (lambda d: d.update(unit_ranges={"percent": [100, 0]}),
                             r"'unit_ranges'\['percent'\] must be \[minimum, maximum\].*got \[100, 0\]"),
    "unit_ranges open-ended": (lambda d: d.update(unit_ranges={"percent": [0, None]}),
                               r"'unit_ranges'\['percent'\] must be \[minimum, maximum\] \(finite numbers"),
}


@pytest.mark.parametrize("case", sorted(DESCRIPTOR_CASES))
def test_each_descriptor_check_has_its_message(copy_dir, case):
    edit, message = DESCRIPTOR_CASES[case]
    if case == "not JSON":
        edit(copy_dir / f"{TABLE}.json")
    else:
        _set_json(copy_dir, TABLE, edit)
    _fails(copy_dir, message)


def test_table_name_must_be_a_string(copy_dir):
    with pytest.raises(TypeError, match=r"name \(the table's name\) must be a string; got int 3"):
        data.load(3, copy_dir)
    with pytest.raises(data.DataValidationError, match=r"name \(the table's name\) must not be empty"):
        data.load("", copy_dir)


@pytest.mark.parametrize("reader", ["names", "sources", "catalogue", "assumptions", "load", "describe", "dictionary",
                                    "missing_ranges",
                                    "check_digest", "value"])
def test_every_reader_takes_data_dir(copy_dir, reader):
    """Every function that reads tables reads the folder it is given, and checks it."""
    table_csv = copy_dir / f"{TABLE}.csv"
    args = {"names": (), "sources": (), "catalogue": (), "assumptions": ()}.get(reader, (TABLE,))
    fn = getattr(data, reader)
    call = (lambda d: fn(*args, data_dir=d, **_one_row(copy_dir))) if reader == "value" else \
        (lambda d: fn(*args, data_dir=d))
    call(copy_dir)
    with pytest.raises(TypeError, match="data_dir must be a folder path"):
        call(3)
    with pytest.raises(ValueError, match="data_dir must be an existing folder"):
        call(copy_dir / "missing")
    if reader in ("load", "check_digest", "value", "catalogue"):
        table_csv.unlink()  # the copy, not the project's data/, is what is read
        with pytest.raises(data.DataValidationError, match="file not found"):
            call(copy_dir)


def _one_row(folder):
    frame = data.load(TABLE, folder)
    dims = [c for c in frame.columns if c not in data.STANDARD_COLUMNS]
    return {d: frame.iloc[0][d] for d in dims}


def test_csv_file_missing(copy_dir):
    (copy_dir / f"{TABLE}.csv").unlink()
    _fails(copy_dir, rf"data/{TABLE}.csv: file not found")


def test_sources_checks(copy_dir):
    path = copy_dir / "sources.csv"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    path.write_text(original + lines[1], encoding="utf-8")
    with pytest.raises(data.DataValidationError, match=r"sources.csv, row \d+ \(line \d+\), column 'key': duplicate key"):
        data.sources(copy_dir)
    path.write_text(lines[0] + "," + lines[1].split(",", 1)[1], encoding="utf-8")
    with pytest.raises(data.DataValidationError, match=r"row 1 \(line 2\), column 'key': empty; every source needs one"):
        data.sources(copy_dir)


# --- files as people save them ------------------------------------------------------------------


def test_csv_with_a_byte_order_mark_loads(copy_dir):
    path = copy_dir / f"{TABLE}.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    frame = data.load(TABLE, copy_dir)
    assert list(frame.columns[:2]) == ["region", "measure"]
    assert frame.equals(data.load(TABLE))
    data.check_digest(TABLE, copy_dir)  # the digest is taken over the text, so the mark does not change it


def test_crlf_line_ends_keep_the_digest(copy_dir):
    path = copy_dir / f"{TABLE}.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert data.load(TABLE, copy_dir).equals(data.load(TABLE))
    data.check_digest(TABLE, copy_dir)


def test_file_in_another_encoding_names_file_and_line(copy_dir):
    path = copy_dir / f"{TABLE}.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[3] = text[3].replace("England", "Engländ", 1) if "England" in text[3] else text[3][:-1] + "é\n"
    path.write_bytes("".join(text).encode("latin-1"))
    _fails(copy_dir, rf"data/{TABLE}.csv, line 4: byte 0x[0-9a-f]{{2}} is not UTF-8; save the file as UTF-8")


def test_trailing_blank_lines_are_ignored(copy_dir):
    path = copy_dir / f"{TABLE}.csv"
    path.write_bytes(path.read_bytes() + b"\n\n,,\r\n\n")
    assert len(data.load(TABLE, copy_dir)) == len(data.load(TABLE))


def test_blank_line_inside_the_table_is_an_error(copy_dir):
    path = copy_dir / f"{TABLE}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:2] + ["\n"] + lines[2:]), encoding="utf-8")
    _fails(copy_dir, r"row 2 \(line 3\): has 0 cells")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"\r\n"])
def test_empty_file_says_it_is_empty(copy_dir, content):
    (copy_dir / f"{TABLE}.csv").write_bytes(content)
    _fails(copy_dir, rf"data/{TABLE}.csv: file is empty")


def test_source_keys_follow_an_edited_sources_file(copy_dir):
    _set_json(copy_dir, TABLE, lambda d: d.update(sources=["newsource2099"]))
    _fails(copy_dir, r"source 'newsource2099' is not in data/sources.csv")  # fills the cache of source keys
    path = copy_dir / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "newsource2099,A new source,report,,,\n", encoding="utf-8")
    assert len(data.load(TABLE, copy_dir)) > 0  # the edit is seen without a restart


def test_every_assumption_row_has_a_valid_range_in_its_descriptor():
    for name in data.names():
        frame = data.load(name)
        desc = data.describe(name)
        ranges = desc.get("value_ranges") or {}
        for i, rec in frame[frame["status"] == "assumption"].iterrows():
            covered = [dim for dim, table in ranges.items() if str(rec[dim]) in table]
            assert covered, f"{name} row {i + 1}: an assumption row without a valid range in data/{name}.json"


def test_git_keeps_the_tables_bytes():
    attributes = (data.DATA_DIR.resolve().parent / ".gitattributes").read_text(encoding="utf-8")
    assert re.search(r"^data/\*\.csv\s+.*-text", attributes, re.M)


def test_every_numeric_column_of_every_table_has_a_plausible_range():
    """Every numeric dimension has a minimum and maximum, and every unit a table uses a range in "unit_ranges"."""
    problems = [msg for name in data.names() for msg in data.missing_ranges(name)]
    assert not problems, "tables without a plausible range for every numeric column:\n" + "\n".join(problems)


def test_missing_ranges_says_exactly_what_to_add(copy_dir):
    _set_json(copy_dir, "price_index", lambda d: (d.pop("unit_ranges"), d["dimensions"][1].pop("maximum")))
    assert [m.replace(str(copy_dir), "data") for m in data.missing_ranges("price_index", copy_dir)] == [
        "data/price_index.json: give the numeric dimension 'year' its plausible range, \"minimum\": 1990, "
        "\"maximum\": 2030",
        'data/price_index.json: add to "unit_ranges" the plausible range of value, low and high in each unit its rows '
        'use: "index": [0, 1000] (the widest ranges, from swp_models.data.PLAUSIBLE_UNIT_RANGES; narrow them to '
        "what the rows can mean)",
    ]
    assert data.missing_ranges("price_index") == []
    with pytest.raises(TypeError, match="name \\(the table's name\\) must be a string"):
        data.missing_ranges(["price_index"])
    with pytest.raises(data.DataValidationError, match="unknown table 'nothing'"):
        data.missing_ranges("nothing", copy_dir)


def test_every_plausible_unit_range_covers_a_known_unit():
    assert set(data.PLAUSIBLE_UNIT_RANGES) == set(data.UNITS)
    assert all(lo < hi for lo, hi in data.PLAUSIBLE_UNIT_RANGES.values())
