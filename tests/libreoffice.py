"""Recalculate workbooks with LibreOffice (headless) and read back their values, for the workbook's tests.

Used by ``tests/test_workbook.py`` and ``benchmarks/run.py``. LibreOffice runs with a throw-away user
profile of its own (so parallel runs do not collide) whose settings make Calc recalculate every formula
when it loads an ``.xlsx`` file (``OOXMLRecalcMode`` 0, "always"): XlsxWriter stores no computed values,
so without that setting Calc would show the zeros it finds. All the files go through one ``soffice``
process, converted to ``.xlsx`` with their recalculated values stored.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
MISSING = ("LibreOffice (soffice) is not installed: the workbook's recalculation test needs Debian's "
           "libreoffice-calc-nogui (make test installs it with apt-get; or: apt-get install libreoffice-calc-nogui)")


def soffice() -> str:
    """The path of LibreOffice's ``soffice``; an AssertionError saying how to install it when missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, MISSING
    return found


def recalculate(paths: list[Path], outdir: Path, timeout: float = 300) -> list[Path]:
    """Recalculate each workbook in ``paths`` in one LibreOffice run; the recalculated copies in ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="swp-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        cmd = [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    out = [outdir / Path(p).name for p in paths]
    missing = [p.name for p in out if not p.is_file()]
    assert not missing, f"LibreOffice did not write {missing}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return out


def _cell_ref(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.rpartition("!")
    return sheet.strip("'").replace("''", "'"), cell.replace("$", "")


def read_values(path: Path) -> tuple[dict[str, dict[str, object]], dict[str, tuple[str, str]]]:
    """Every cell's stored value, by sheet and cell (``{"Calculations": {"B7": 0.71, ...}}``), and the names.

    Numbers are floats, text is str, an error value (``#N/A``) is NaN. The names map to
    ``(sheet, cell)`` (single cells only).
    """
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", _NS):
                strings.append("".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")))
        values: dict[str, dict[str, object]] = {}
        for sheet in book.find("m:sheets", _NS):
            target = targets[sheet.get(f"{{{_NS['r']}}}id")].lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            cells: dict[str, object] = {}
            for c in ElementTree.fromstring(z.read(target)).iter(f"{{{_NS['m']}}}c"):
                v = c.find("m:v", _NS)
                kind = c.get("t", "n")
                if kind == "inlineStr":
                    cells[c.get("r")] = "".join(t.text or "" for t in c.iter(f"{{{_NS['m']}}}t"))
                elif v is None:
                    continue
                elif kind == "s":
                    cells[c.get("r")] = strings[int(v.text)]
                elif kind == "str":
                    cells[c.get("r")] = v.text or ""
                elif kind == "e":
                    cells[c.get("r")] = math.nan
                elif kind == "b":
                    cells[c.get("r")] = bool(int(v.text))
                else:
                    cells[c.get("r")] = float(v.text)
            values[sheet.get("name")] = cells
        names = {}
        defined = book.find("m:definedNames", _NS)
        for d in ([] if defined is None else defined):
            ref = (d.text or "").lstrip("=")
            if d.get("localSheetId") is None and re.fullmatch(r"'?[^!]+'?!\$?[A-Z]+\$?\d+", ref):
                names[d.get("name")] = _cell_ref(ref)
    return values, names


def named_values(path: Path) -> dict[str, object]:
    """The value of every single-cell name of the workbook at ``path``."""
    values, names = read_values(path)
    return {n: values[s].get(c) for n, (s, c) in names.items()}


def random_inputs(rng, inputs) -> dict[str, object]:
    """One input set drawn inside the workbook's allowed ranges (``inputs``: :data:`swp_models.workbook.INPUTS`).

    Uniform within each range, log-uniform where the range spans more than a factor of 1,000; an input
    bounded by another (``upper``) is drawn below that bound; a menu picks one of its entries.
    """
    out: dict[str, object] = {}
    for i in inputs:
        if i.kind == "list":
            out[i.name] = str(rng.choice(list(i.options)))
            continue
        lo, hi = i.low, i.high
        if i.upper:
            hi = min(hi, float(eval(i.upper, {"__builtins__": {}}, dict(out))))
        if i.kind == "integer":
            out[i.name] = int(rng.integers(int(lo), int(hi) + 1))
        elif lo > 0 and hi / lo > 1000:
            out[i.name] = float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        else:
            out[i.name] = float(rng.uniform(lo, hi))
    return out
