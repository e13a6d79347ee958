"""The data layer: load the workbook's source tables and check them on read.

Every table is a CSV in the project's ``data/`` folder with a JSON descriptor beside it
(``data/README.md`` is the data dictionary). :func:`load` returns a validated
:class:`pandas.DataFrame`; :func:`value` picks one figure; :func:`catalogue` lists the tables.

Run ``python -m swp_models.data rehash`` after a deliberate edit of a CSV to refresh the
digests recorded in the descriptors, and ``python -m swp_models.data check`` to validate all.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DATA_DIR",
    "DataValidationError",
    "PLAUSIBLE_UNIT_RANGES",
    "STANDARD_COLUMNS",
    "UNITS",
    "assumptions",
    "catalogue",
    "data_folder",
    "describe",
    "dictionary",
    "load",
    "missing_ranges",
    "names",
    "row",
    "sources",
    "value",
]

def _default_data_dir() -> Path:
    """The project's ``data/`` beside the package in a clone, else the copy installed with it."""
    here = Path(__file__).resolve().parent
    clone = here.parent / "data"
    return clone if (clone / "sources.csv").is_file() else here / "_data"


#: The folder the tables are read from when no ``data_dir`` is given: ``data/`` in a clone, else the
#: copy installed with the package.
DATA_DIR = _default_data_dir()

#: Columns every table ends with, in this order (see ``data/README.md``).
STANDARD_COLUMNS: tuple[str, ...] = (
    "value",
    "unit",
    "approx",
    "low",
    "high",
    "status",
    "document",
    "location",
    "quote",
)

#: Type, meaning and allowed values of each standard column (the data dictionary's first table).
STANDARD_COLUMN_DOCS: dict[str, tuple[str, str, str]] = {
    "value": ("number", "the figure, in `unit`", "finite; 0..100 for percent; >= 0 otherwise"),
    "unit": ("string", "unit of `value`", "a known unit"),
    "approx": ("boolean", "the source gives the figure approximately", "true, false"),
    "low": ("number", "lower end of a range or bound in the source", "<= value; may be empty"),
    "high": ("number", "upper end of a range or bound in the source", ">= value; may be empty"),
    "status": ("string", "sourced, assumption or derived", "sourced, assumption, derived"),
    "document": ("string", "key of the source in data/sources.csv", "a key in sources.csv"),
    "location": ("string", "section, table, question or article in the document", "required when sourced"),
    "quote": ("string", "the source's words; for an assumption, the reason", "non-empty"),
}

#: Units a ``unit`` cell may hold.
UNITS: frozenset[str] = frozenset(
    {
        "percent",
        "count",
        "GBP",
        "GBP million",
        "GBP billion",
        "GBP per week",
        "GBP per child per year",
        "GBP per child per week",
        "years",
        "months",
        "weeks",
        "days",
        "nights",
        "ratio",
        "year",
        "index",
        "people",
        "cases",
    }
)

#: The widest plausible range of a ``value`` (and of ``low`` and ``high``) in each unit, set from what the
#: unit can mean in this workbook: a £ cost per child a year from 0 to £1m, a percentage from 0 to 100,
#: a calendar year from 1900 to 2100, a count up to ten million (every child in England is about twelve
#: million "people"). Each descriptor's ``unit_ranges`` gives the range for each unit its rows use, from
#: these or narrower; a new table starts from them (the message that asks for ``unit_ranges`` quotes them).
PLAUSIBLE_UNIT_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0, 100),
    "count": (0, 10_000_000),
    "GBP": (0, 10_000_000),
    "GBP million": (0, 100_000),
    "GBP billion": (0, 1_000),
    "GBP per week": (0, 20_000),
    "GBP per child per year": (0, 1_000_000),
    "GBP per child per week": (0, 20_000),
    "years": (0, 100),
    "months": (0, 120),
    "weeks": (0, 520),
    "days": (0, 3_660),
    "nights": (0, 366),
    "ratio": (0, 100),
    "year": (1900, 2100),
    "index": (0, 1_000),
    "people": (0, 100_000_000),
    "cases": (0, 1_000_000),
}

#: The plausible range of a numeric dimension column named ``year`` (a calendar year), quoted by the
#: message that asks a new table's numeric dimensions for a ``minimum`` and ``maximum``.
PLAUSIBLE_YEARS: tuple[int, int] = (1990, 2030)

STATUSES = ("sourced", "assumption", "derived")
_TYPES = ("string", "integer", "number", "boolean")
_SOURCES_TABLE = "sources"
_SOURCE_COLUMNS = ("key", "citation", "kind", "seed_file", "url", "accessed")


class DataValidationError(ValueError):
    """A data file or descriptor breaks the rules in ``data/README.md``.

    The message names the file, and where it applies the row (1-based data row and the
    line in the file) and the column.
    """


@dataclass(frozen=True)
class _Field:
    name: str
    type: str
    description: str
    required: bool = True
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _where(path: Path, row: int | None = None, column: str | None = None) -> str:
    out = _rel(path)
    if row is not None:
        out += f", row {row} (line {row + 1})"
    if column is not None:
        out += f", column {column!r}"
    return out


def data_folder(data_dir: object) -> Path:
    """The folder to read: ``data_dir`` (a path to an existing folder) or :data:`DATA_DIR` when it is None.

    Every function with a ``data_dir`` parameter checks it here, so a wrong folder is refused the same way
    everywhere.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        A folder of data tables; None for :data:`DATA_DIR`.
    """
    if data_dir is None:
        return DATA_DIR
    if isinstance(data_dir, bool) or not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir must be a folder path (str or pathlib.Path) or None; got "
                        f"{type(data_dir).__name__} {data_dir!r:.80}")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise ValueError(f"data_dir must be an existing folder; got {str(data_dir)!r}")
    return folder


def names(data_dir: Path | None = None) -> list[str]:
    """Names of all tables with a descriptor, sorted (the sources list excluded)."""
    folder = data_folder(data_dir)
    return sorted(p.stem for p in folder.glob("*.json"))


def _descriptor_path(name: str, folder: Path) -> Path:
    if not isinstance(name, str):
        raise TypeError(f"name (the table's name) must be a string; got {type(name).__name__} {name!r:.80}")
    if not name:
        raise DataValidationError("name (the table's name) must not be empty")
    path = folder / f"{name}.json"
    if not path.is_file():
        known = ", ".join(names(folder)) or "(none)"
        raise DataValidationError(f"name must be a known table; unknown table {name!r}: no {_rel(path)}. "
                                  f"Known tables: {known}")
    return path


def describe(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """Return the descriptor of table ``name`` after checking its shape.

    Raises
    ------
    DataValidationError
        If the table is unknown or its descriptor is malformed.
    """
    folder = data_folder(data_dir)
    path = _descriptor_path(name, folder)
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError(f"{_rel(path)}: not valid JSON ({exc})") from exc
    for key in ("name", "title", "description", "sources", "licence", "sha256", "dimensions"):
        if key not in desc:
            raise DataValidationError(f"{_rel(path)}: descriptor lacks the key {key!r}")
    if desc["name"] != name:
        raise DataValidationError(f"{_rel(path)}: 'name' is {desc['name']!r}, expected {name!r}")
    if not isinstance(desc["sources"], list) or not desc["sources"]:
        raise DataValidationError(f"{_rel(path)}: 'sources' must be a non-empty list of source keys")
    for i, field in enumerate(desc["dimensions"]):
        for key in ("name", "type", "description"):
            if key not in field:
                raise DataValidationError(f"{_rel(path)}: dimension {i} lacks the key {key!r}")
        if field["type"] not in _TYPES:
            raise DataValidationError(
                f"{_rel(path)}: dimension {field['name']!r} has type {field['type']!r}; allowed: {', '.join(_TYPES)}"
            )
        if field["name"] in STANDARD_COLUMNS:
            raise DataValidationError(
                f"{_rel(path)}: dimension {field['name']!r} clashes with a standard column"
            )
    _check_value_ranges(path, desc)
    _check_unit_ranges(path, desc)
    return desc


def _check_unit_ranges(path: Path, desc: dict[str, Any]) -> None:
    """``unit_ranges``: ``{unit: [minimum, maximum]}``, the plausible range of ``value``, ``low`` and ``high``."""
    ranges = desc.get("unit_ranges")
    if ranges is None:
        return
    if not isinstance(ranges, dict) or not ranges:
        raise DataValidationError(f"{_rel(path)}: 'unit_ranges' must map each unit the rows use to [minimum, maximum]")
    for unit, bounds in ranges.items():
        if unit not in UNITS:
            raise DataValidationError(
                f"{_rel(path)}: 'unit_ranges' names {unit!r}, which is not a unit ({', '.join(sorted(UNITS))})")
        ok = (isinstance(bounds, list) and len(bounds) == 2
              and all(isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b) for b in bounds))
        if not ok or bounds[0] > bounds[1]:
            raise DataValidationError(
                f"{_rel(path)}: 'unit_ranges'[{unit!r}] must be [minimum, maximum] "
                f"(finite numbers, minimum <= maximum); got {bounds!r}"
            )


def missing_ranges(name: str, data_dir: Path | None = None) -> list[str]:
    """What table ``name``'s descriptor lacks to bound every numeric column, each as the text to add.

    Every numeric dimension column needs a ``minimum`` and ``maximum``, and ``unit_ranges`` needs a
    ``[minimum, maximum]`` for every unit the table's rows use (the range of ``value``, ``low`` and
    ``high``). An empty list means every numeric column of the table has a plausible range.

    Parameters
    ----------
    name : str
        Table name (see :func:`names`).
    data_dir : pathlib.Path, optional
        Folder to read from; :data:`DATA_DIR` by default.
    """
    folder = data_folder(data_dir)
    desc = describe(_table_name(name), folder)
    where = _rel(folder / f"{name}.json")
    out = []
    for f in desc["dimensions"]:
        if f["type"] in ("integer", "number") and ("minimum" not in f or "maximum" not in f):
            lo, hi = PLAUSIBLE_YEARS if f["name"] == "year" else ("<minimum>", "<maximum>")
            out.append(f'{where}: give the numeric dimension {f["name"]!r} its plausible range, '
                       f'"minimum": {lo}, "maximum": {hi}')
    header, body = _read_rows(folder / f"{name}.csv")
    col = header.index("unit") if "unit" in header else None
    used = sorted({cells[col] for cells in body} & UNITS) if col is not None else []
    have = desc.get("unit_ranges") or {}
    lacking = [u for u in used if u not in have]
    if lacking:
        wanted = ", ".join(f'"{u}": [{PLAUSIBLE_UNIT_RANGES[u][0]}, {PLAUSIBLE_UNIT_RANGES[u][1]}]'
                           for u in lacking)
        out.append(f'{where}: add to "unit_ranges" the plausible range of value, low and high in each unit '
                   f'its rows use: {wanted} (the widest ranges, from swp_models.data.PLAUSIBLE_UNIT_RANGES; '
                   'narrow them to what the rows can mean)')
    return out


def _check_value_ranges(path: Path, desc: dict[str, Any]) -> None:
    """``value_ranges`` (optional): ``{dimension: {dimension value: [minimum, maximum]}}``, bounds or null."""
    ranges = desc.get("value_ranges")
    if ranges is None:
        return
    dims = [f["name"] for f in desc["dimensions"]]
    if not isinstance(ranges, dict):
        raise DataValidationError(f"{_rel(path)}: 'value_ranges' must map a dimension to {{value: [min, max]}}")
    for dim, table in ranges.items():
        if dim not in dims:
            raise DataValidationError(f"{_rel(path)}: 'value_ranges' names {dim!r}, which is not a dimension ({dims})")
        if not isinstance(table, dict) or not table:
            raise DataValidationError(f"{_rel(path)}: 'value_ranges'[{dim!r}] must map values to [min, max]")
        for key, bounds in table.items():
            ok = (isinstance(bounds, list) and len(bounds) == 2
                  and all(b is None or (isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b))
                          for b in bounds))
            if not ok or (None not in bounds and bounds[0] > bounds[1]):
                raise DataValidationError(
                    f"{_rel(path)}: 'value_ranges'[{dim!r}][{key!r}] must be [minimum, maximum] "
                    f"(numbers or null, minimum <= maximum); got {bounds!r}"
                )


def _value_range(desc: dict[str, Any], rec: dict[str, Any]) -> tuple[str, Any, float | None, float | None] | None:
    """The (dimension, its value, minimum, maximum) the descriptor sets for a row's value, if any."""
    for dim, table in (desc.get("value_ranges") or {}).items():
        key = rec.get(dim)
        if key is not None and str(key) in table:
            lo, hi = table[str(key)]
            return dim, key, lo, hi
    return None


def _fields(desc: dict[str, Any]) -> list[_Field]:
    return [
        _Field(
            name=f["name"],
            type=f["type"],
            description=f["description"],
            required=f.get("required", True),
            enum=tuple(f["enum"]) if "enum" in f else None,
            minimum=f.get("minimum"),
            maximum=f.get("maximum"),
        )
        for f in desc["dimensions"]
    ]


def _parse(text: str, kind: str, where: str) -> Any:
    if kind == "string":
        return text
    if kind == "boolean":
        low = text.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        raise DataValidationError(f"{where}: {text!r} is not a boolean (true or false)")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise DataValidationError(f"{where}: {text!r} is not an integer") from None
    try:
        out = float(text)
    except ValueError:
        raise DataValidationError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(out):
        raise DataValidationError(f"{where}: {text!r} is not a finite number")
    return out


def _decode(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8, with a leading byte-order mark (Excel's "CSV UTF-8") dropped."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start:exc.start + 1].hex()
        raise DataValidationError(
            f"{_rel(path)}, line {line}: byte 0x{bad} is not UTF-8; save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8')"
        ) from None


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise DataValidationError(f"{_rel(path)}: file not found")
    text = _decode(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell over the csv module's field limit, a stray quote, ...
        raise DataValidationError(f"{_rel(path)}, line {reader.line_num}: not readable as CSV ({exc})") from None
    # Editors often leave blank lines at the end of a file: they are not rows.
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise DataValidationError(f"{_rel(path)}: file is empty (no header and no rows)")
    header, body = rows[0], rows[1:]
    for i, cells in enumerate(body, start=1):
        if len(cells) != len(header):
            raise DataValidationError(
                f"{_where(path, i)}: has {len(cells)} cells, the header has {len(header)}"
            )
    return header, body


def _check_header(path: Path, header: list[str], expected: list[str]) -> None:
    missing = [c for c in expected if c not in header]
    if missing:
        raise DataValidationError(f"{_rel(path)}: missing column(s) {', '.join(map(repr, missing))}")
    extra = [c for c in header if c not in expected]
    if extra:
        raise DataValidationError(
            f"{_rel(path)}: unexpected column(s) {', '.join(map(repr, extra))}; the descriptor lists {expected}"
        )
    if header != expected:
        raise DataValidationError(f"{_rel(path)}: columns are in the order {header}, expected {expected}")


@functools.lru_cache(maxsize=8)
def _source_keys_cached(folder: Path, digest: str) -> frozenset[str]:
    return frozenset(sources(folder)["key"])


def _source_keys(folder: Path) -> frozenset[str]:
    """Keys of ``sources.csv`` in ``folder``; cached on the file's contents, so an edit is seen at once."""
    path = folder / f"{_SOURCES_TABLE}.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return _source_keys_cached(folder, digest)


def sources(data_dir: Path | None = None) -> pd.DataFrame:
    """The documents the tables cite (``data/sources.csv``), one row per key."""
    folder = data_folder(data_dir)
    path = folder / f"{_SOURCES_TABLE}.csv"
    header, body = _read_rows(path)
    _check_header(path, header, list(_SOURCE_COLUMNS))
    seen: set[str] = set()
    for i, cells in enumerate(body, start=1):
        rec = dict(zip(header, cells))
        for col in ("key", "citation", "kind"):
            if not rec[col].strip():
                raise DataValidationError(f"{_where(path, i, col)}: empty; every source needs one")
        if rec["key"] in seen:
            raise DataValidationError(f"{_where(path, i, 'key')}: duplicate key {rec['key']!r}")
        seen.add(rec["key"])
    return pd.DataFrame(body, columns=header)


def _validate_row(
    path: Path, i: int, rec: dict[str, str], fields: list[_Field], keys: frozenset[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        where = _where(path, i, f.name)
        text = rec[f.name]
        if text == "":
            if f.required:
                raise DataValidationError(f"{where}: empty, but the column is required")
            out[f.name] = None
            continue
        val = _parse(text, f.type, where)
        if f.enum is not None and val not in f.enum:
            raise DataValidationError(f"{where}: {val!r} is not one of {list(f.enum)}")
        if f.minimum is not None and val < f.minimum:
            raise DataValidationError(f"{where}: {val!r} is below the minimum {f.minimum}")
        if f.maximum is not None and val > f.maximum:
            raise DataValidationError(f"{where}: {val!r} is above the maximum {f.maximum}")
        out[f.name] = val

    def where(col: str) -> str:
        return _where(path, i, col)

    for col in ("value", "unit", "approx", "status", "document", "quote"):
        if rec[col].strip() == "":
            raise DataValidationError(f"{where(col)}: empty; every row needs a {col}")
    unit = rec["unit"]
    if unit not in UNITS:
        raise DataValidationError(f"{where('unit')}: {unit!r} is not a known unit ({', '.join(sorted(UNITS))})")
    value = _parse(rec["value"], "number", where("value"))
    if unit == "percent" and not 0 <= value <= 100:
        raise DataValidationError(f"{where('value')}: {value!r} percent is outside 0..100")
    if value < 0:
        raise DataValidationError(f"{where('value')}: {value!r} is negative; no unit here allows that")
    low = _parse(rec["low"], "number", where("low")) if rec["low"] != "" else None
    high = _parse(rec["high"], "number", where("high")) if rec["high"] != "" else None
    if low is not None and low > value:
        raise DataValidationError(f"{where('low')}: {low!r} is above value {value!r}")
    if high is not None and high < value:
        raise DataValidationError(f"{where('high')}: {high!r} is below value {value!r}")
    approx = _parse(rec["approx"], "boolean", where("approx"))
    if (low is not None or high is not None) and not approx:
        raise DataValidationError(f"{where('approx')}: a row with a range or bound must be flagged approx=true")
    status = rec["status"]
    if status not in STATUSES:
        raise DataValidationError(f"{where('status')}: {status!r} is not one of {list(STATUSES)}")
    document = rec["document"]
    if document not in keys:
        raise DataValidationError(f"{where('document')}: {document!r} is not a key in data/sources.csv")
    if status == "assumption" and document != "assumption":
        raise DataValidationError(f"{where('document')}: an assumption row must cite the document 'assumption'")
    if status != "assumption" and document == "assumption":
        raise DataValidationError(f"{where('status')}: a row citing 'assumption' must have status 'assumption'")
    if status == "sourced" and not rec["location"].strip():
        raise DataValidationError(f"{where('location')}: empty; a sourced row must say where in the document")
    out.update(
        value=value,
        unit=unit,
        approx=approx,
        low=low,
        high=high,
        status=status,
        document=document,
        location=rec["location"],
        quote=rec["quote"],
    )
    return out


def _check_row_range(path: Path, i: int, rec: dict[str, Any], desc: dict[str, Any]) -> None:
    """Refuse a row whose value (or low/high) lies outside the range its descriptor sets for it."""
    found = _value_range(desc, rec)
    if found is None:
        _check_unit_range(path, i, rec, desc)
        return
    dim, key, lo, hi = found
    for col in ("value", "low", "high"):
        x = rec[col]
        if x is None:
            continue
        if lo is not None and x < lo:
            raise DataValidationError(
                f"{_where(path, i, col)}: {x!r} is below the minimum {lo} the descriptor allows for {dim} {key!r}"
            )
        if hi is not None and x > hi:
            raise DataValidationError(
                f"{_where(path, i, col)}: {x!r} is above the maximum {hi} the descriptor allows for {dim} {key!r}"
            )
    _check_unit_range(path, i, rec, desc)


def _check_unit_range(path: Path, i: int, rec: dict[str, Any], desc: dict[str, Any]) -> None:
    """Refuse a value, low or high outside the plausible range ``unit_ranges`` sets for the row's unit."""
    ranges = desc.get("unit_ranges")
    if ranges is None:
        return  # tests/test_data.py requires every table to have one
    unit = rec["unit"]
    if unit not in ranges:
        lo, hi = PLAUSIBLE_UNIT_RANGES[unit]
        raise DataValidationError(
            f"{_where(path, i, 'unit')}: the descriptor {_rel(path.with_suffix('.json'))} gives no plausible range "
            f'for the unit {unit!r}; add "{unit}": [{lo}, {hi}] (or narrower) to its "unit_ranges"'
        )
    lo, hi = ranges[unit]
    for col in ("value", "low", "high"):
        x = rec[col]
        if x is not None and not lo <= x <= hi:
            raise DataValidationError(
                f"{_where(path, i, col)}: {x!r} is outside the plausible range [{lo}, {hi}] "
                f"the descriptor allows for {unit!r}"
            )


def _sha256(path: Path) -> str:
    """Digest of the file's text as the loader reads it: UTF-8 without a byte-order mark, lines ending in LF.

    So the digest is the same whether git or an editor stored the file with CRLF line ends or a
    byte-order mark; a change to any cell changes it.
    """
    text = _decode(path, path.read_bytes())
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load table ``name`` from ``data/`` and validate it.

    Parameters
    ----------
    name : str
        Table name, e.g. ``"workforce_rates_2005"`` (see :func:`names`).
    data_dir : pathlib.Path, optional
        Folder to read from; the project's ``data/`` by default.

    Returns
    -------
    pandas.DataFrame
        The dimension columns followed by the standard columns (``value``, ``unit``,
        ``approx``, ``low``, ``high``, ``status``, ``document``, ``location``, ``quote``).
        ``low``/``high`` are ``NaN`` where the source gives no range.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of the first problem found: an unknown table, a
        missing or extra column, a non-numeric value, a percentage outside 0..100, a row
        without a source, a duplicate row, and so on.
    """
    return _cached(_table_name(name), data_folder(data_dir)).copy()


def _table_name(name: object) -> str:
    """``name`` if it is a string (checked against the tables when the descriptor is read), else a named error."""
    if not isinstance(name, str):  # before the cache, which would hash it
        raise TypeError(f"name (the table's name) must be a string; got {type(name).__name__} {name!r:.80}")
    return name


def _cached(name: str, folder: Path) -> pd.DataFrame:
    """The validated table, from the cache while its files are unchanged (callers must not modify it)."""
    stamp = _stamp(folder, name)
    key = (str(folder.resolve()), name)
    hit = _LOADED.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    frame = _load(name, folder)
    if stamp is not None:
        _LOADED[key] = (stamp, frame)
    return frame


#: Tables already read and validated, keyed by folder and name, with the files' sizes and
#: modification times: an edited file is read again at once.
_LOADED: dict[tuple[str, str], tuple[tuple[tuple[int, int], ...], pd.DataFrame]] = {}


def _stamp(folder: Path, name: str) -> tuple[tuple[int, int], ...] | None:
    try:
        stats = [(folder / f).stat() for f in (f"{name}.csv", f"{name}.json", "sources.csv")]
    except OSError:
        return None
    return tuple((s.st_mtime_ns, s.st_size) for s in stats)


def _load(name: str, folder: Path) -> pd.DataFrame:
    desc = describe(name, folder)
    fields = _fields(desc)
    path = folder / f"{name}.csv"
    header, body = _read_rows(path)
    _check_header(path, header, [f.name for f in fields] + list(STANDARD_COLUMNS))
    keys = _source_keys(folder.resolve())
    for key in desc["sources"]:
        if key not in keys:
            raise DataValidationError(f"{_rel(folder / (name + '.json'))}: source {key!r} is not in data/sources.csv")
    records = []
    seen: dict[tuple[Any, ...], int] = {}
    dims = [f.name for f in fields]
    for i, cells in enumerate(body, start=1):
        rec = _validate_row(path, i, dict(zip(header, cells)), fields, keys)
        _check_row_range(path, i, rec, desc)
        ident = tuple(rec[d] for d in dims)
        if ident in seen:
            raise DataValidationError(
                f"{_where(path, i)}: repeats row {seen[ident]} (the same {', '.join(dims)})"
            )
        seen[ident] = i
        records.append(rec)
    if not records:
        raise DataValidationError(f"{_rel(path)}: has no data rows")
    frame = pd.DataFrame.from_records(records, columns=header)
    for f in fields:
        if f.type == "integer" and frame[f.name].notna().all():
            frame[f.name] = frame[f.name].astype("int64")
    frame["low"] = frame["low"].astype("float64")
    frame["high"] = frame["high"].astype("float64")
    frame["value"] = frame["value"].astype("float64")
    frame.attrs["name"] = name
    frame.attrs["title"] = desc["title"]
    return frame


def row(name: str, *, data_dir: Path | None = None, **dims: Any) -> pd.Series:
    """Return the single row of table ``name`` whose dimension columns equal ``dims``.

    Parameters
    ----------
    name : str
        Table name (see :func:`names`).
    data_dir : pathlib.Path, optional
        Folder to read from; :data:`DATA_DIR` by default.
    **dims
        Dimension values, e.g. ``region="England"``.

    Raises
    ------
    DataValidationError
        If no row, or more than one row, matches.
    """
    frame = _cached(_table_name(name), data_folder(data_dir))  # read only: the row returned below is a copy
    mask = np.ones(len(frame), dtype=bool)
    for col, want in dims.items():
        if col not in frame.columns or col in STANDARD_COLUMNS:
            allowed = [c for c in frame.columns if c not in STANDARD_COLUMNS]
            raise DataValidationError(f"table {name!r} has no dimension {col!r}; dimensions: {allowed}")
        mask &= (frame[col] == want).to_numpy()
    hits = np.flatnonzero(mask)
    if len(hits) != 1:
        raise DataValidationError(
            f"table {name!r}: {len(hits)} rows match {dims}; give dimension values that pick exactly one"
        )
    return frame.iloc[int(hits[0])].copy()


def value(name: str, *, data_dir: Path | None = None, **dims: Any) -> float:
    """Return the ``value`` of the single row of table ``name`` matching ``dims`` (see :func:`row`).

    Examples
    --------
    >>> value("workforce_rates_2005", region="England", measure="vacancy_rate")
    12.0
    """
    return float(row(name, data_dir=data_dir, **dims)["value"])


def catalogue(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per table of ``data_dir``: what it holds, where it comes from and how big it is.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder to read from; :data:`DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        One row per table, sorted by name, with the columns ``name``; ``title``; ``description``;
        ``sources`` (the full citations, joined by "; "); ``source_keys`` (list of keys in
        ``sources.csv``); ``licence``; ``rows`` (data rows); ``dimensions`` (list of the dimension
        columns' names); ``assumptions`` (rows with status "assumption"); ``file`` (the CSV's path,
        ``data/<name>.csv``); ``sha256`` (the digest the descriptor records).
    """
    folder = data_folder(data_dir)
    cites = sources(folder).set_index("key")["citation"]
    out = []
    for name in names(folder):
        desc = describe(name, folder)
        frame = load(name, folder)
        out.append(
            {
                "name": name,
                "title": desc["title"],
                "description": desc["description"],
                "sources": "; ".join(cites.get(k, k) for k in desc["sources"]),
                "source_keys": list(desc["sources"]),
                "licence": desc["licence"],
                "rows": len(frame),
                "dimensions": [d["name"] for d in desc["dimensions"]],
                "assumptions": int((frame["status"] == "assumption").sum()),
                "file": f"data/{name}.csv",
                "sha256": desc["sha256"],
            }
        )
    return pd.DataFrame(out)


def assumptions(data_dir: Path | None = None) -> pd.DataFrame:
    """Every row with status ``assumption``, across all tables: the assumptions log.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``parameter`` (the row's dimension values joined by " / " when the
        table has no ``parameter`` column), ``description``, ``value``, ``unit``, ``why`` (the
        row's ``quote``) and ``effect`` (empty when the table does not say).
    """
    rows = []
    for name in names(data_dir):
        frame = load(name, data_dir)
        dims = [c for c in frame.columns if c not in STANDARD_COLUMNS]
        for rec in frame[frame["status"] == "assumption"].to_dict("records"):
            rows.append(
                {
                    "table": name,
                    "parameter": rec.get("parameter") or " / ".join(str(rec[d]) for d in dims),
                    "description": rec.get("description") or "",
                    "value": rec["value"],
                    "unit": rec["unit"],
                    "why": rec["quote"],
                    "effect": rec.get("effect") or "",
                }
            )
    return pd.DataFrame(rows, columns=["table", "parameter", "description", "value", "unit", "why", "effect"])


def dictionary(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The columns of table ``name``: its dimensions, then the standard columns, with their meaning.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``type``, ``meaning``, ``allowed``.
    """
    desc = describe(name, data_dir)
    rows = []
    for f in desc["dimensions"]:
        allowed = []
        if "enum" in f:
            allowed.append("one of: " + ", ".join(map(str, f["enum"])))
        if "minimum" in f:
            allowed.append(f">= {f['minimum']}")
        if "maximum" in f:
            allowed.append(f"<= {f['maximum']}")
        if not f.get("required", True):
            allowed.append("may be empty")
        rows.append({"column": f["name"], "type": f["type"], "meaning": f["description"],
                     "allowed": "; ".join(allowed) or "any"})
    spans = "; ".join(f"{lo}..{hi} {unit}" for unit, (lo, hi) in (desc.get("unit_ranges") or {}).items())
    for col, (kind, meaning, allowed) in STANDARD_COLUMN_DOCS.items():
        if spans and col in ("value", "low", "high"):
            allowed = f"{allowed}; plausible: {spans}"
        rows.append({"column": col, "type": kind, "meaning": meaning, "allowed": allowed})
    return pd.DataFrame(rows)


def check_digest(name: str, data_dir: Path | None = None) -> None:
    """Raise if the CSV's sha256 differs from the one in its descriptor."""
    folder = data_folder(data_dir)
    desc = describe(name, folder)
    if not (folder / f"{name}.csv").is_file():
        raise DataValidationError(f"{_rel(folder / (name + '.csv'))}: file not found")
    actual = _sha256(folder / f"{name}.csv")
    if desc["sha256"] != actual:
        raise DataValidationError(
            f"{_rel(folder / (name + '.csv'))}: sha256 is {actual}, the descriptor records {desc['sha256']!r}; "
            "if the edit was deliberate, run `python -m swp_models.data rehash`"
        )


def rehash(data_dir: Path | None = None) -> list[str]:
    """Rewrite the ``sha256`` of every descriptor whose CSV changed; return the names changed."""
    folder = data_folder(data_dir)
    changed = []
    for name in names(folder):
        path = folder / f"{name}.json"
        desc = json.loads(path.read_text(encoding="utf-8"))
        digest = _sha256(folder / f"{name}.csv")
        if desc.get("sha256") != digest:
            desc["sha256"] = digest
            path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(name)
    return changed


def _main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "rehash":
        for name in rehash():
            print(f"updated sha256 of {name}")
        command = "check"
    if command == "check":
        for name in names():
            load(name)
            check_digest(name)
            print(f"ok  {name}")
        return 0
    print("usage: python -m swp_models.data [check|rehash]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
