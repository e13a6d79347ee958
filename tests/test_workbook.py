"""The take-away costing workbook (``swp_models.workbook``): its structure, and its formulas against the package.

Unit tests read the generated ``.xlsx`` directly (sheets, named cells, data validation, protection, no
macros, the defaults) and check the package's closed forms the workbook mirrors. The recalculation test
opens the workbook in LibreOffice (headless, Debian's ``libreoffice-calc-nogui``; ``make test`` installs
it) at the book's defaults and at 36 input sets drawn inside the allowed ranges (seed 2007), all in one
``soffice`` run, and compares every named cell of the *Calculations* sheet, and every value the
*Results* sheet shows, with ``swp_models`` computing the same quantity (chapter 10's appraisal by
``swp_models.appraisal``, every £ on *Results* moved to the chosen price year by ``appraisal.uplift``, at two
named price years besides the random ones). Tolerance: relative 1e-7, absolute
1e-9 (both sides compute in double precision; only the order of operations differs). Without
LibreOffice the test fails, saying how to install it: it never skips.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import libreoffice as lo
from swp_models import appraisal, assumptions, continuity, costs, data, engine, practice, workbook
from swp_models.contracts import liability
from swp_models.scenario import Scenario

RANDOM_SETS = 36
#: Price years the recalculation test names besides the random sets' (the pilots' first year and the latest).
PRICED_YEARS = ("2009-10", "2023-24")
#: Every function the workbook's formulas may use, with its index in Excel's built-in function table
#: ([MS-XLS] 2.5.198.17, Ftab: the functions Excel stores without the ``_xlfn.`` prefix of functions added
#: after Excel 2007). A function not listed here fails the Excel-compatibility test until it is checked.
EXCEL_FUNCTIONS = {"IF": 1, "MIN": 6, "MAX": 7, "NA": 10, "SQRT": 20, "EXP": 21, "LN": 22, "ABS": 24, "INT": 25,
                   "INDEX": 29, "AND": 36, "MATCH": 64, "CHOOSE": 100, "ISNUMBER": 128, "NORMSDIST": 294,
                   "NORMSINV": 296}
RTOL, ATOL = 1e-7, 1e-9


@pytest.fixture(scope="module")
def default_book(tmp_path_factory) -> Path:
    return workbook.write_workbook(tmp_path_factory.mktemp("wb") / "default.xlsx")


def _xml(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def _sheet_files(path: Path) -> dict[str, str]:
    book = _xml(path, "xl/workbook.xml")
    ids = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', book)
    rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', _xml(path, "xl/_rels/workbook.xml.rels")))
    rels.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"',
                                              _xml(path, "xl/_rels/workbook.xml.rels"))})
    return {name.replace("&apos;", "'"): "xl/" + rels[rid].lstrip("/").removeprefix("xl/") for name, rid in ids}


# ------------------------------------------------------------------------------------------------
# Structure
# ------------------------------------------------------------------------------------------------


def test_sheets_in_order_and_no_macros(default_book):
    values, _ = lo.read_values(default_book)
    assert tuple(values) == workbook.SHEETS
    with zipfile.ZipFile(default_book) as z:
        assert not [n for n in z.namelist() if "vba" in n.lower() or n.endswith(".bin")]
    assert "macroEnabled" not in _xml(default_book, "[Content_Types].xml")


def test_every_input_and_calculation_is_a_named_cell(default_book):
    _, names = lo.read_values(default_book)
    inputs = {i.name for i in workbook.INPUTS}
    calcs = set(workbook.package_values())
    assert not inputs & calcs, "an input and a calculation share a name"
    assert {n: names[n][0] for n in inputs} == {n: "Your council" for n in inputs}
    assert {n: names[n][0] for n in calcs} == {n: "Calculations" for n in calcs}


def test_inputs_hold_the_books_defaults_from_the_package(default_book):
    values = lo.named_values(default_book)
    d = workbook.defaults()
    for name, value in d.items():
        assert values[name] == pytest.approx(value, rel=1e-12) if not isinstance(value, str) else values[name] == value
    scn = Scenario.central()
    assert d["council_turnover"] == data.value("workforce_rates_2005", region="England", measure="turnover_rate") / 100
    assert d["council_vacancy"] == data.value("workforce_rates_2005", region="England", measure="vacancy_rate") / 100
    assert d["agency_stay_years"] == assumptions.value("agency_tenure_years")
    assert (d["margin"], d["term_years"], d["reserve_months"], d["risk_tolerance"], d["icc"]) == (
        scn.margin, scn.term_years, scn.reserve_months, scn.risk_tolerance, scn.icc)
    assert d["scope"] == scn.scope_name
    assert d["frontline"] == practice.PracticeDesign().frontline
    assert d["practice_children"] == costs.default_caseload().mean
    assert d["within_group_cv"] == costs.default_cost_model().cv
    assert (d["cost_none"], d["cost_ebd"], d["cost_complex"]) == costs.default_cost_model().means


def test_the_package_values_at_the_defaults_are_the_books(default_book):
    v = workbook.package_values()
    refs = continuity.reference_scenarios()
    assert v["practice_p_same"] == pytest.approx(continuity.p_same_worker(refs["Practice"], 1.0, False))
    assert v["council_p_same_first"] == pytest.approx(continuity.p_same_worker(refs["Council, England 2005"]))
    assert v["running_cost"] == pytest.approx(practice.summary()["running_cost"])
    assert v["child_mean"] == pytest.approx(costs.default_cost_model().mean)
    assert v["own_cost_mean"] == pytest.approx(engine.scope(Scenario.central()).cost_moments(
        costs.default_cost_model(), costs.default_caseload()).mean)
    assert v["reserves"] == pytest.approx(engine.reserves(Scenario.central()))


def test_each_input_cell_is_validated_and_unlocked_and_every_sheet_protected(default_book):
    sheets = _sheet_files(default_book)
    xml = _xml(default_book, sheets["Your council"])
    _, names = lo.read_values(default_book)
    sqrefs = set(re.findall(r'<dataValidation [^>]*sqref="([A-Z]+\d+)"', xml))
    stops = re.findall(r'<dataValidation ([^>]*)>', xml)
    assert all('errorStyle' not in s or 'errorStyle="stop"' in s for s in stops)
    assert all('showErrorMessage="1"' in s for s in stops)
    styles = _xml(default_book, "xl/styles.xml")
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    xf = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs, re.S)
    unlocked = {k for k, x in enumerate(xf) if 'locked="0"' in x}
    for i in workbook.INPUTS:
        cell = names[i.name][1]
        assert cell in sqrefs, f"{i.name} ({cell}) has no data validation"
        style = int(re.search(rf'<c r="{cell}" s="(\d+)"', xml).group(1))
        assert style in unlocked, f"{i.name} ({cell}) is locked"
    for name, member in sheets.items():
        assert "<sheetProtection" in _xml(default_book, member), f"sheet {name} is not protected"
        assert "password" not in _xml(default_book, member)
    calc = _xml(default_book, sheets["Calculations"])
    formula_styles = {int(s) for s in re.findall(r'<c r="B\d+" s="(\d+)"[^>]*><f>', calc)}
    assert formula_styles and not formula_styles & unlocked


def test_results_state_the_approximation_against_the_simulation(default_book):
    values, _ = lo.read_values(default_book)
    text = " ".join(str(x) for x in values["Results"].values())
    assert "How far the normal approximation is from the simulated model" in text
    check = workbook.approximation_check()
    block = check[(check["contract"] == "Block") & (check["measure"] == "chance of failure over the term")]
    assert len(block) == 2
    # at the defaults the approximation is within three points of the simulation of the chance of failure
    assert (check[check["measure"].str.startswith("chance")]["difference"].abs() < 0.03).all()
    start = " ".join(str(x) for x in values["Start here"].values())
    assert "2005-06" in start and "version" in start and "commit" in start


def test_start_here_names_version_and_price_year(default_book):
    values, _ = lo.read_values(default_book)
    assert any("2005-06" in str(x) for x in values["Your council"].values())


# ------------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("values, words", [
    ({"council_turnover": 1.2}, ["council_turnover", "1.2", "0 to 0.95"]),
    ({"council_children": 0}, ["council_children", "1 to 100000"]),
    ({"frontline": 7.5}, ["frontline", "whole number", "7.5"]),
    ({"complex_share": 0.5, "additional_needs_share": 0.4}, ["complex_share", "additional_needs_share", "0.5"]),
    ({"on_duty": 9, "frontline": 8}, ["on_duty", "frontline", "9"]),
    ({"scope": "everything"}, ["scope", "everything", "social work only"]),
    ({"no_such_input": 1}, ["no_such_input", "allowed"]),
    ({"margin": float("nan")}, ["margin", "nan"]),
    ({"risk_tolerance": "lots"}, ["risk_tolerance", "lots"]),
])
def test_bad_input_is_refused_naming_it(values, words):
    with pytest.raises(ValueError) as err:
        workbook.check_inputs(values)
    for w in words:
        assert w in str(err.value)
    with pytest.raises(ValueError):
        workbook.write_workbook("/tmp/never-written.xlsx", values)


def test_bad_paths_are_refused(tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        workbook.write_workbook(tmp_path / "book.ods")
    with pytest.raises(ValueError, match="existing folder"):
        workbook.write_workbook(tmp_path / "missing" / "book.xlsx")
    with pytest.raises(TypeError, match="path"):
        workbook.write_workbook(3)


@pytest.mark.slow
def test_command_line_writes_a_workbook_with_the_settings_given(tmp_path):
    out = tmp_path / "mine.xlsx"
    done = subprocess.run([sys.executable, "-m", "swp_models", "workbook", str(out), "--set", "council_children=400",
                           "--set", "council_turnover=0.18", "--set", "scope=social work and placements"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    values = lo.named_values(out)
    assert (values["council_children"], values["council_turnover"], values["scope"]) == (
        400, 0.18, "social work and placements")
    bad = subprocess.run([sys.executable, "-m", "swp_models", "workbook", str(out), "--set", "council_vacancy=2"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "council_vacancy" in bad.stderr


# ------------------------------------------------------------------------------------------------
# The package's closed forms the workbook mirrors
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_surplus_moments_agree_with_the_simulated_contracts(scope):
    scn = Scenario.central(scope=scope).replace(n_years=20_000)
    table = engine.table(scn).set_index("contract")
    model, load = costs.default_cost_model(), costs.default_caseload()
    sc = engine.scope(scn)
    own = engine.own_costs(scn).totals
    moments = sc.cost_moments(model, load)
    n = own.size
    assert moments.mean == pytest.approx(own.mean(), abs=4 * own.std() / math.sqrt(n))
    assert moments.std == pytest.approx(own.std(), rel=0.03)
    cv_name = next(k for k in table.index if k.startswith("Cost and volume"))
    share = liability.assumption("cost_share")
    for fam, name, kw in (("block", "Block", {}), ("capitation", "Capitation, flat rate", {}),
                          ("cost_and_volume", cv_name, {"share": share})):
        sm = liability.surplus_moments(fam, sc, model, load, **kw)
        row = table.loc[name]
        assert sm.mean == 0.0
        assert sm.sd == pytest.approx(row["practice_sd_surplus"], rel=0.03), fam
        assert row["practice_mean_surplus"] == pytest.approx(0.0, abs=4 * sm.sd / math.sqrt(n))


def test_normal_failure_limits_and_order():
    one = liability.normal_failure(0.0, 100.0, 50.0, 1)
    assert one.p_fail_term == one.p_fail_year == pytest.approx(0.5 * math.erfc(0.5 / math.sqrt(2)))
    assert one.p_loss == 0.5
    longer = [liability.normal_failure(10.0, 100.0, 150.0, t).p_fail_term for t in range(1, 11)]
    assert all(a <= b for a, b in zip(longer, longer[1:]))
    richer = [liability.normal_failure(0.0, 100.0, r, 3).p_fail_term for r in (0.0, 50.0, 100.0, 300.0)]
    assert all(a >= b for a, b in zip(richer, richer[1:]))
    certain = liability.normal_failure(-10.0, 0.0, 25.0, 3)
    assert (certain.p_loss, certain.p_fail_year, certain.p_fail_term) == (1.0, 0.0, 1.0)
    assert liability.normal_failure(-1e9, 1.0, 0.0, 5).p_fail_term == 1.0
    assert liability.normal_risk_premium(4e10, 250_000) == pytest.approx(4e10 / 500_000)
    with pytest.raises(ValueError, match="term_years"):
        liability.normal_failure(0.0, 1.0, 1.0, 0)
    with pytest.raises(ValueError, match="sd"):
        liability.normal_failure(0.0, -1.0, 1.0, 2)
    with pytest.raises(ValueError, match="family"):
        liability.surplus_moments("threshold", engine.scope(Scenario.central()), costs.default_cost_model(), 100)


def test_normal_failure_over_a_term_is_near_a_simulated_gaussian_walk():
    rng = np.random.default_rng(7)
    for mean, sd, reserves, term in ((0.0, 1.0, 0.5, 3), (0.2, 1.0, 1.0, 5), (0.0, 1.0, 2.0, 10)):
        walks = reserves + np.cumsum(rng.normal(mean, sd, size=(200_000, term)), axis=1)
        simulated = float((walks.min(axis=1) < 0).mean())
        assert liability.normal_failure(mean, sd, reserves, term).p_fail_term == pytest.approx(simulated, abs=0.02)


# ------------------------------------------------------------------------------------------------
# LibreOffice: the workbook recalculated against the package
# ------------------------------------------------------------------------------------------------


def _close(a: object, b: float) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    return isinstance(a, float) and math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


@pytest.mark.slow
def test_each_formula_stores_the_packages_value_so_the_workbook_opens_on_its_answers(tmp_path):
    """A spreadsheet that does not recalculate on opening (LibreOffice's default for .xlsx) shows these values."""
    values = {"council_children": 400, "council_turnover": 0.18}
    expected = workbook.package_values(values)
    cells, names = lo.read_values(workbook.write_workbook(tmp_path / "council.xlsx", values, check=False))
    wrong = {n: (cells[s].get(c), expected[n]) for n, (s, c) in names.items()
             if n in expected and not _close(cells[s].get(c), expected[n])}
    assert not wrong and set(expected) <= set(names), dict(list(wrong.items())[:10])
    shown = workbook.results_values(values)
    assert all(_close(cells["Results"].get(cell), x) for cell, x in shown.items())
    assert str(cells["Results"]["A2"]).startswith("Scope: social work only; contract: Block; every £ at 2005-06")
    blank, _ = lo.read_values(workbook.write_workbook(tmp_path / "blank.xlsx", values, check=False, cached=False))
    assert all(blank["Results"].get(cell) in (0.0, None) for cell in shown)


@pytest.mark.slow
def test_libreoffice_recalculates_the_workbook_as_the_package_computes(tmp_path):
    lo.soffice()  # fails, saying how to install LibreOffice, when it is missing
    rng = np.random.default_rng(2007)
    sets = [{}] + [lo.random_inputs(rng, workbook.INPUTS) for _ in range(RANDOM_SETS)]
    sets[1].update(council_children=400, council_turnover=0.18, council_vacancy=0.20,
                   pay_multiplier=round(practice.london_premium(), 3))  # a London-like council
    sets += [{"price_year": year} for year in PRICED_YEARS]
    paths = []
    for k, values in enumerate(sets):
        path = tmp_path / "in" / f"set{k:02d}.xlsx"
        path.parent.mkdir(exist_ok=True)
        # No stored values: every figure read back must come from LibreOffice's own recalculation.
        paths.append(workbook.write_workbook(path, values, check=k == 0, cached=False))
    out = lo.recalculate(paths, tmp_path / "out")  # its speed is benchmarks/bench_workbook.py's target
    running = []
    for values, path in zip(sets, out):
        cells, names = lo.read_values(path)
        expected = workbook.package_values(values)
        shown = workbook.results_values(values)
        got = {n: cells[s].get(c) for n, (s, c) in names.items()}
        wrong = {k: (got.get(k), x) for k, x in expected.items() if not _close(got.get(k), x)}
        assert not wrong, f"{path.name}: workbook against package: {dict(list(wrong.items())[:10])}"
        wrong = {cell: (cells["Results"].get(cell), x) for cell, x in shown.items()
                 if not _close(cells["Results"].get(cell), x)}
        assert not wrong, f"{path.name}: Results sheet against package: {dict(list(wrong.items())[:10])}"
        year = values.get("price_year", appraisal.BASE_YEAR)
        assert _close(got["price_factor"], appraisal.uplift(year)), (year, got["price_factor"])
        if not values:  # at the book's defaults, LibreOffice's appraisal is chapter 10's
            npc, per_year, per_move = _chapter_10()
            assert all(_close(got[f"ap_npc_{o}"], npc[o]) for o in appraisal.OPTIONS), npc
            assert all(_close(got[f"ap_per_child_year_{o}"], per_year[o]) and
                       _close(got[f"ap_per_move_avoided_{o}"], per_move[o]) for o in appraisal.OPTIONS[1:])
        running.append(got["running_cost"])
        assert got["running_cost"] > 0 and got["child_mean"] > 0 and got["block_surplus_sd"] > 0
    # the formulas were really recalculated: results differ with the inputs (XlsxWriter stores only zeros)
    assert len(set(running)) == len(sets) - len(PRICED_YEARS)


# ------------------------------------------------------------------------------------------------
# From the explorers to the workbook
# ------------------------------------------------------------------------------------------------


def _saved(link_html: str, tmp_path: Path) -> dict[str, object]:
    import base64

    uri = re.search(r'href="data:[^;]+;base64,([^"]+)"', link_html)
    assert uri, link_html[:300]
    path = tmp_path / "download.xlsx"
    path.write_bytes(base64.b64decode(uri.group(1)))
    return lo.named_values(path)


def test_explorer_settings_map_to_workbook_inputs():
    from swp_models.explore.workbook import CHAPTERS, workbook_inputs

    assert set(CHAPTERS) == {"continuity", "costs", "practice", "contracts", "outcomes", "abroad", "evaluation"}
    got = workbook_inputs("continuity", {"preset": "Council, London 2005", "turnover": 18.0, "vacancy": 20.0,
                                         "agency_tenure_years": 0.5, "handoffs": 3, "handoff_probability": 0.5,
                                         "episode_years": 5.0})
    assert got == {"council_turnover": 0.18, "council_vacancy": 0.2, "agency_stay_years": 0.5,
                   "council_handoffs": 3, "handoff_probability": 0.5}
    got = workbook_inputs("contracts", {"caseload": 120, "margin": 15, "scope": "placements", "cost_share": 0.3,
                                        "reserve_months": 6.0, "tail_share": 0.01, "seed": 3})
    assert got == {"practice_children": 120, "caseload_margin": 15, "scope": "social work and placements",
                   "cost_share": 0.3, "reserve_months": 6.0}
    got = workbook_inputs("costs", {"mode": "by hand", "ebd": 40.0, "complex": 5.0, "centre": 50, "margin": 60})
    assert got["additional_needs_share"] == pytest.approx(0.45) and got["complex_share"] == pytest.approx(0.05)
    assert got["caseload_margin"] == 49
    with pytest.raises(ValueError, match="council_turnover"):
        workbook_inputs("continuity", {"turnover": 99.0})
    with pytest.raises(ValueError, match="chapter"):
        workbook_inputs("chapter 12", {})


@pytest.mark.parametrize("chapter", ["continuity", "practice", "evaluation", "costs"])
def test_each_explorer_downloads_its_current_settings_as_a_workbook(chapter, tmp_path):
    import importlib

    box = importlib.import_module(f"swp_models.explore.{chapter}").explorer()
    assert box.workbook_button in box.children[-1].children
    first = {"continuity": ("turnover", 18.0, "council_turnover", 0.18),
             "practice": ("frontline", 6, "frontline", 6),
             "evaluation": ("icc", 0.1, "icc", 0.1),
             "costs": ("centre", 60, "practice_children", 60)}[chapter]
    box.controls[first[0]].value = first[1]
    box.workbook_button.click()
    values = _saved(box.workbook_link.value, tmp_path)
    assert values[first[2]] == pytest.approx(first[3])
    untouched = {"continuity": "frontline", "practice": "council_turnover", "evaluation": "council_children",
                 "costs": "icc"}[chapter]
    assert values[untouched] == pytest.approx(workbook.defaults()[untouched])


def test_a_refused_setting_says_which():
    from swp_models.explore.workbook import download_html

    text = download_html("continuity", {"turnover": 99.0})
    assert "Cannot write the workbook" in text and "council_turnover" in text and "data:" not in text


# ------------------------------------------------------------------------------------------------
# Chapter 10's appraisal and the price year
# ------------------------------------------------------------------------------------------------


def _chapter_10() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Chapter 10's net present costs and costs per extra child-year and per move avoided, at its central setting."""
    table = appraisal.appraise()
    ratios = appraisal.icers(table).set_index("option")
    return (table.set_index("option")["npc"].to_dict(), ratios["per_child_year"].to_dict(),
            ratios["per_move_avoided"].to_dict())


def test_the_appraisal_at_the_defaults_is_chapter_10s():
    v = workbook.package_values()
    central = appraisal.central_inputs()
    npc, per_year, per_move = _chapter_10()
    for o in appraisal.OPTIONS:
        assert _close(v[f"ap_npc_{o}"], npc[o]), (o, v[f"ap_npc_{o}"], npc[o])
    for o in appraisal.OPTIONS[1:]:
        assert _close(v[f"ap_per_child_year_{o}"], per_year[o]), o
        assert _close(v[f"ap_per_move_avoided_{o}"], per_move[o]), o
    # so the ranking is chapter 10's, the two practices included
    assert sorted(appraisal.OPTIONS, key=lambda o: v[f"ap_npc_{o}"]) == sorted(appraisal.OPTIONS, key=npc.get)
    for name, attr in (("ap_council_team", "council_team"), ("ap_inhouse_team", "inhouse_team"),
                       ("ap_running", "running"), ("ap_overheads", "overheads"), ("ap_care_cost", "care_cost"),
                       ("ap_variable_social_work", "variable_social_work"), ("ap_children", "children"),
                       ("ap_council_overheads", "council_overheads")):
        assert _close(v[name], getattr(central, attr)), name
    assert central.council_overheads > 0
    for scope in ("social_work", "placements"):
        assert _close(v[f"ap_contract_{scope}"], central.contract[scope]), scope
    check = workbook.appraisal_check()
    assert len(check) == 20 and all(_close(w, c) for w, c in zip(check["workbook"], check["chapter_10"]))
    d = workbook.defaults()
    assert (d["discount_rate"], d["optimism_bias"], d["price_year"]) == (
        assumptions.value("discount_rate"), assumptions.value("optimism_bias"), appraisal.BASE_YEAR)
    assert d["term_years"] == appraisal.TERMS[0]
    assert {k: d[k] for k in ("council_frontline", "commissioning_cost", "double_running_months",
                              "stranded_overhead_share")} == {k: central.values[k] for k in (
        "council_frontline", "commissioning_cost", "double_running_months", "stranded_overhead_share")}
    # the discount rate is the Green Book's 3.5%, an input with its range
    assert d["discount_rate"] == 0.035 and workbook.INPUTS[[i.name for i in workbook.INPUTS].index(
        "discount_rate")].high == 0.2


def test_the_contracts_cost_above_the_practices_own_is_chapter_10s_at_the_defaults_and_fixed():
    base = workbook.package_values()
    central = appraisal.central_inputs()
    for scope, p in (("social_work", "ap_sw_"), ("placements", "ap_pl_")):
        markup = base[f"ap_markup_{scope}"]
        assert markup == pytest.approx(central.contract[scope] - base[f"{p}own_cost_mean"], rel=1e-12)
        # chapter 10's effort cuts the practice's costs by more than its administration and losses add
        assert markup < 0
    assert base["ap_sim_care"] == pytest.approx(central.care_cost - base["ap_care_exact"], rel=1e-12)
    assert abs(base["ap_sim_care"]) < 0.01 * central.care_cost
    rng = np.random.default_rng(1)
    for values in [{"pay_multiplier": 1.3, "cost_complex": 90_000.0}] + [
            lo.random_inputs(rng, workbook.INPUTS) for _ in range(3)]:
        v = workbook.package_values(values)
        for name in ("ap_markup_social_work", "ap_markup_placements", "ap_sim_care"):
            assert v[name] == base[name], name
        for scope, p in (("social_work", "ap_sw_"), ("placements", "ap_pl_")):
            assert v[f"ap_contract_{scope}"] == pytest.approx(
                max(0.0, v[f"{p}own_cost_mean"] + base[f"ap_markup_{scope}"]), rel=1e-12)
        # the package computing the same thing: appraisal_inputs with that fixed markup, then appraise
        c = workbook.check_inputs(values)
        t = appraisal.appraise(c["term_years"], c["discount_rate"], c["optimism_bias"],
                               inputs=workbook.appraisal_inputs(values)).set_index("option")
        for o in appraisal.OPTIONS:
            assert v[f"ap_npc_{o}"] == pytest.approx(t.loc[o, "npc"], rel=1e-12), o
            assert v[f"ap_npc_all_{o}"] == pytest.approx(
                t.loc[o, "npc"] * c["council_children"] / c["practice_children"], rel=1e-12), o


def test_the_sheets_say_what_is_fixed_at_chapter_10s_defaults(default_book):
    values, names = lo.read_values(default_book)
    results = " ".join(str(x) for x in values["Results"].values())
    assert workbook.SIMULATION_NOTE in results
    assert "How far the options appraisal" not in results and "ranks" not in results
    start = " ".join(str(x) for x in values["Start here"].values())
    assert "do not move with your inputs" in start and "chapter 10's, figure for figure" in start
    calc = values["Calculations"]
    for name in ("ap_markup_social_work", "ap_markup_placements", "ap_sim_care"):
        sheet, cell = names[name]
        row = re.match(r"[A-Z]+(\d+)", cell).group(1)
        assert workbook.SIMULATION_NOTE in calc[f"E{row}"], name
    # the scaled lines are on Results, labelled as such
    shown = workbook.results_cells()
    scaled = [c for c, n in shown.items() if n.startswith("ap_npc_all_")]
    assert len(scaled) == len(appraisal.OPTIONS)
    for c in scaled:
        label = values["Results"]["A" + re.match(r"[A-Z]+(\d+)", c).group(1)]
        assert label.startswith("Net present cost, all your children")
    assert "scaled (x practices needed)" in results


def test_the_appraisals_yearly_costs_move_with_the_councils_inputs():
    base = workbook.package_values()
    london = workbook.package_values({"pay_multiplier": round(practice.london_premium(), 3)})
    for name in ("ap_council_team", "ap_inhouse_team", "ap_running", "ap_contract_social_work",
                 "ap_contract_placements"):
        assert london[name] > base[name], name
    assert all(london[f"ap_npc_{o}"] > base[f"ap_npc_{o}"] for o in appraisal.OPTIONS)
    small = workbook.package_values({"practice_children": 60, "frontline": 5, "on_duty": 1})
    assert small["ap_children"] == 60 and small["ap_care_cost"] < base["ap_care_cost"]
    bigger_team = workbook.package_values({"council_frontline": 8})
    assert bigger_team["ap_npc_council"] > base["ap_npc_council"]
    assert bigger_team["ap_yearly_in_house"] == pytest.approx(base["ap_yearly_in_house"], rel=1e-12)
    # every option pays the same placements, from the same inputs
    inp = workbook.appraisal_inputs({"cost_complex": 120_000.0})
    t = appraisal.appraise(inputs=inp).set_index("option")
    assert t["line_placements"].nunique() == 1 and inp.care_cost > appraisal.central_inputs().care_cost
    with pytest.raises(ValueError, match="council_frontline"):
        workbook.appraisal_inputs({"council_frontline": 0})


def test_the_appraisal_follows_the_workbooks_settings():
    base = workbook.package_values()
    dearer = workbook.package_values({"discount_rate": 0.0, "optimism_bias": 0.5, "term_years": 5})
    table = appraisal.appraise(5, 0.0, 0.5, inputs=workbook.appraisal_inputs()).set_index("option")
    assert dearer["ap_npc_council"] == pytest.approx(table.loc["council", "npc"], rel=1e-12)
    assert dearer["ap_npc_practice_placements"] > base["ap_npc_practice_placements"]
    # a council whose own turnover is lower gains less from a practice: dearer per child-year
    calmer = workbook.package_values({"council_turnover": 0.05})
    assert calmer["ap_per_child_year_practice_social_work"] > base["ap_per_child_year_practice_social_work"]


@pytest.mark.parametrize("year", ["2005-06", "2010-11", "2023-24"])
def test_the_results_move_every_pound_to_the_price_year_by_the_packages_uplift(year):
    v = workbook.package_values({"price_year": year})
    assert v["price_factor"] == pytest.approx(appraisal.uplift(year), rel=1e-15)
    shown = workbook.results_values({"price_year": year})
    at_base = workbook.results_values()
    names = workbook.results_cells()
    money = {c for c, n in names.items() if n in ("running_cost", "ap_npc_council", "ap_per_child_year_in_house",
                                                  "block_surplus_sd")}
    assert len(money) == 4
    for cell in money:
        assert shown[cell] == pytest.approx(at_base[cell] * appraisal.uplift(year), rel=1e-12)
    share = next(c for c, n in names.items() if n == "practice_p_same")
    assert shown[share] == at_base[share]
    assert workbook.PRICE_YEARS == tuple(appraisal.price_index()["price_year"])
    with pytest.raises(ValueError, match="price_year"):
        workbook.check_inputs({"price_year": "1999-00"})


# ------------------------------------------------------------------------------------------------
# Excel: only what Excel supports (Excel itself cannot be run here)
# ------------------------------------------------------------------------------------------------


def _formulas(path: Path) -> list[tuple[str, str]]:
    """Every formula of the workbook: cells, data validation rules and defined names, with where it is."""
    from xml.etree import ElementTree

    out = []
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            if not member.endswith(".xml") and not member.endswith(".rels"):
                continue
            root = ElementTree.fromstring(z.read(member))  # every part is well-formed XML
            for el in root.iter():
                tag = el.tag.rpartition("}")[2]
                if tag in ("f", "formula1", "formula2", "definedName") and el.text:
                    out.append((f"{member}:{tag}", el.text))
    return out


def test_the_workbook_uses_only_what_excel_supports(default_book):
    formulas = _formulas(default_book)
    assert len(formulas) > 300
    used = set()
    for where, text in formulas:
        bare = re.sub(r'"[^"]*"', '""', text)  # no function names inside strings
        assert "_xlfn." not in bare and "_xlws." not in bare, where
        assert len(text) <= 8192, f"{where}: formula longer than Excel's 8,192 characters"
        depth = deepest = 0
        for ch in bare:
            depth += (ch == "(") - (ch == ")")
            deepest = max(deepest, depth)
        assert depth == 0 and deepest <= 64, f"{where}: Excel allows 64 levels of nesting"
        used |= set(re.findall(r"\b([A-Z][A-Z0-9.]*)\(", bare))
    assert used <= set(EXCEL_FUNCTIONS), f"functions not checked against Excel's table: {used - set(EXCEL_FUNCTIONS)}"
    assert {"NORMSDIST", "CHOOSE", "INDEX", "MATCH"} <= used
    with zipfile.ZipFile(default_book) as z:
        book = z.read("xl/workbook.xml").decode()
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    names = re.findall(r'<definedName name="([^"]+)"', book)
    for name in names:
        # Excel refuses a name that reads as a cell (A1 or R1C1) or holds other than letters, digits, _ and .
        assert re.fullmatch(r"(_xlnm\.)?[A-Za-z_\\][A-Za-z0-9_.]{0,254}", name), name
        assert not re.fullmatch(r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*", name), name
    assert all(len(s) <= 31 for s in workbook.SHEETS)
    for xml in sheets:
        for rule in re.findall(r'<dataValidation [^>]*type="list"[^>]*>\s*<formula1>([^<]*)</formula1>', xml):
            assert len(rule) <= 257, f"a list validation's items longer than Excel's 255 characters: {rule[:80]}"
        assert "<x14:" not in xml  # no extension features outside the 2007 schema


def test_a_function_outside_excels_table_would_be_caught(tmp_path):
    import xlsxwriter

    path = tmp_path / "bad.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write_formula(0, 0, "=NORM.S.DIST(1,TRUE)+SWITCH(1,1,2)")
    wb.close()
    (where, text), = _formulas(path)
    assert "_xlfn.SWITCH" in text  # XlsxWriter marks a post-2007 function it knows ...
    used = set(re.findall(r"\b([A-Z][A-Z0-9.]*)\(", text))
    assert used - set(EXCEL_FUNCTIONS) == {"NORM.S.DIST", "SWITCH"}  # ... and the table catches both


def test_the_councils_wider_overheads_are_counted_once_in_the_workbook():
    """The share of a child's cost that is the council's wider overheads leaves the practice's cost with placements
    in scope and lands on the council's side: the practice holding the placements costs the council the same
    whatever the share (the contract's margin above its own cost is fixed here), and nothing else moves."""
    base = workbook.package_values()
    w = workbook.defaults()["council_overhead_share"]
    assert w == assumptions.value("council_overhead_share") > 0
    assert base["ap_pl_cost_factor"] == pytest.approx(1 - w) and base["ap_sw_cost_factor"] < 0.1
    assert base["ap_council_overheads"] == pytest.approx(
        w * (base["practice_children_cost"] + base["ap_sim_children"]), rel=1e-12)
    none = workbook.package_values({"council_overhead_share": 0.0})
    assert none["ap_council_overheads"] == 0.0 and none["ap_pl_cost_factor"] == 1.0
    assert none["ap_pl_own_cost_mean"] - base["ap_pl_own_cost_mean"] == pytest.approx(
        w * base["practice_children_cost"], rel=1e-9)
    # only the sample's departure from the exact mean separates the two: counted once, not twice or never
    gap = w * base["ap_sim_children"] * base["ap_annuity"] * (1 + workbook.defaults()["optimism_bias"])
    assert base["ap_npc_practice_placements"] - none["ap_npc_practice_placements"] == pytest.approx(gap, abs=1.0)
    assert abs(gap) < 1e-3 * base["ap_npc_practice_placements"]
    for o in ("council", "in_house", "practice_social_work"):
        assert none[f"ap_npc_{o}"] == base[f"ap_npc_{o}"], o
    # the chapter 5 rows follow the scope menu: the share moves the placements scope only
    from swp_models.scenario import SCOPE_NAMES

    sw = {"scope": SCOPE_NAMES["social_work"]}
    a, b = workbook.package_values({**sw, "council_overhead_share": 0.0}), workbook.package_values(sw)
    assert a["own_cost_mean"] == b["own_cost_mean"] and a["cost_factor"] == b["cost_factor"]
    pl = {"scope": SCOPE_NAMES["placements"]}
    assert workbook.package_values(pl)["cost_factor"] == pytest.approx(1 - w)
    with pytest.raises(ValueError, match="council_overhead_share"):
        workbook.check_inputs({"council_overhead_share": 0.9})
