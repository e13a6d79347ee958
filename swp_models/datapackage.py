"""The tables in ``data/`` as a Frictionless Data Package (``datapackage.json``).

Each table's own descriptor (``data/<name>.json``) stays the source of truth that
:mod:`swp_models.data` checks on every read; this module translates them into one Data Package
(Table Schemas, sources and licences), so that other tools can read the data. The repository's
``datapackage.json`` is written by ``python -m swp_models.datapackage`` and a test checks it is
current and valid.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import data

__all__ = ["build", "write"]

_CC_BY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
          "title": "Creative Commons Attribution 4.0"}
_STANDARD_FIELDS: dict[str, dict[str, Any]] = {
    "value": {"type": "number", "constraints": {"required": True}},
    "unit": {"type": "string", "constraints": {"required": True, "enum": sorted(data.UNITS)}},
    "approx": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"],
               "constraints": {"required": True}},
    "low": {"type": "number"},
    "high": {"type": "number"},
    "status": {"type": "string", "constraints": {"required": True, "enum": list(data.STATUSES)}},
    "document": {"type": "string", "constraints": {"required": True}},
    "location": {"type": "string"},
    "quote": {"type": "string", "constraints": {"required": True}},
}
_SOURCE_FIELDS = {"key": "Key the tables' document column refers to", "citation": "Full citation",
                  "kind": "Kind of document", "seed_file": "File of the document in the source folder, if any",
                  "url": "Public address of the document", "accessed": "Date the address was checked"}


def _licence(text: str) -> dict[str, str]:
    if text.strip().upper().replace("-", " ").startswith("CC BY 4.0"):
        return dict(_CC_BY)
    return {"name": "other-at", "title": text}


def _field(f: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f["name"], "type": f["type"], "description": f["description"]}
    cons: dict[str, Any] = {}
    if f.get("required", True):
        cons["required"] = True
    if "enum" in f:
        cons["enum"] = list(f["enum"])
    for key in ("minimum", "maximum"):
        if key in f:
            cons[key] = f[key]
    if f["type"] == "boolean":
        out.update(trueValues=["true"], falseValues=["false"])
    if cons:
        out["constraints"] = cons
    return out


def _bound_values(fields: list[dict[str, Any]], unit_ranges: dict[str, list[float]]) -> None:
    """Give ``value``, ``low`` and ``high`` the envelope of the table's plausible ranges by unit as constraints."""
    if not unit_ranges:
        return
    lo = min(b[0] for b in unit_ranges.values())
    hi = max(b[1] for b in unit_ranges.values())
    for f in fields:
        if f["name"] in ("value", "low", "high"):
            f["constraints"] = {**f.get("constraints", {}), "minimum": lo, "maximum": hi}


def build(data_dir: str | Path | None = None) -> dict[str, Any]:
    """The Data Package descriptor for every table in ``data_dir`` (default: the package's data).

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        A folder laid out as ``data/`` (``sources.csv`` and one CSV + JSON per table).

    Returns
    -------
    dict
        A Frictionless Data Package: one resource per table plus the sources list, each with
        its Table Schema, its sources and its licence; resource paths are ``data/<name>.csv``.
    """
    if data_dir is not None and not isinstance(data_dir, (str, Path)):
        raise TypeError(f"data_dir must be a path or None, got {type(data_dir).__name__}")
    folder = Path(data_dir) if data_dir is not None else data.DATA_DIR
    if not (folder / "sources.csv").is_file():
        raise ValueError(f"data_dir must hold sources.csv; {folder} does not")
    srcs = data.sources(folder).set_index("key")
    docs = {f: data.STANDARD_COLUMN_DOCS[f][1] for f in data.STANDARD_COLUMNS}
    resources = []
    for name in data.names(folder):
        desc = data.describe(name, folder)
        fields = [_field(f) for f in desc["dimensions"]]
        fields += [{"name": col, "description": docs[col], **_STANDARD_FIELDS[col]} for col in data.STANDARD_COLUMNS]
        _bound_values(fields, desc.get("unit_ranges") or {})
        resources.append({
            "name": name,
            "path": f"data/{name}.csv",
            "title": desc["title"],
            "description": desc["description"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": f"sha256:{desc['sha256']}",
            "sources": [
                {"title": str(srcs.loc[k, "citation"]) if k in srcs.index else k,
                 **({"path": str(srcs.loc[k, "url"])} if k in srcs.index and str(srcs.loc[k, "url"]).strip() else {})}
                for k in desc["sources"]
            ],
            "licenses": [_licence(desc["licence"])],
            "schema": {"fields": fields, "missingValues": [""]},
        })
    resources.append({
        "name": "sources",
        "path": "data/sources.csv",
        "title": "Documents the tables cite",
        "description": "One row per document: the key the tables' document column uses, the citation and address.",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [dict(_CC_BY)],
        "schema": {"fields": [{"name": k, "type": "string", "description": v} for k, v in _SOURCE_FIELDS.items()],
                   "primaryKey": ["key"], "missingValues": [""]},
    })
    return {
        "name": "social-work-practices-workbook",
        "title": "Social Work Practices: a research and costing workbook, data tables",
        "description": ("Every figure the workbook uses, one table per source table, each row with its unit, "
                        "status (sourced, assumption or derived), document, location and quote. See data/README.md."),
        "licenses": [dict(_CC_BY)],
        "sources": [{"title": str(r.citation), **({"path": str(r.url)} if str(r.url).strip() else {})}
                    for r in srcs.reset_index().itertuples()],
        "resources": resources,
    }


def write(path: str | Path, data_dir: str | Path | None = None) -> Path:
    """Write :func:`build` as JSON (two-space indent, trailing newline) to ``path``; return it."""
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise ValueError(f"path must be a non-empty path, got {path!r}")
    target = Path(path)
    target.write_text(json.dumps(build(data_dir), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "datapackage.json"))
