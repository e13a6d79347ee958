"""Rough edges found by fuzzing the public API: each now gives a named error, a documented value or the right terms."""

from __future__ import annotations

import inspect
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from swp_models import abroad, contracts, continuity, costs, data, evaluation, outcomes
from swp_models.figures import costs as cost_figures

ROOT = Path(__file__).resolve().parent.parent


def test_pooling_chart_names_a_model_that_is_not_one():
    with pytest.raises(TypeError, match="^model must be a CostModel; got int"):
        cost_figures.pooling_chart(model=0)


@pytest.mark.parametrize("bad", [[], {}, ["lac_at_31_march"], 3])
def test_data_readers_name_an_unhashable_or_non_text_table_name(bad):
    with pytest.raises(TypeError, match=r"^name \(the table's name\) must be a string"):
        data.load(bad)
    with pytest.raises(TypeError, match=r"^name \(the table's name\) must be a string"):
        data.row(bad, year=2007) if hasattr(data, "row") else data.load(bad)


def test_cached_functions_check_their_arguments_before_keying_the_cache():
    # A list where a name is wanted reaches the function's own check, not the cache's hash.
    with pytest.raises(ValueError, match="^parameter must be a string"):
        abroad.assumption([])
    with pytest.raises((TypeError, ValueError), match="^parameter"):
        costs.assumption([])


def test_a_cell_over_the_csv_field_limit_names_the_file_and_line(tmp_path):
    import csv
    import shutil

    limit = csv.field_size_limit(131_072)  # the csv module's default (another test in this process may raise it)

    for f in ("lac_at_31_march.csv", "lac_at_31_march.json", "sources.csv"):
        shutil.copy(ROOT / "data" / f, tmp_path / f)
    path = tmp_path / "lac_at_31_march.csv"
    huge = '2099,1,count,false,,,sourced,lordswa2008lac,here,"' + "x" * 200_000 + '"'  # over the 131,072 limit
    path.write_text(path.read_text(encoding="utf-8") + huge + "\n", encoding="utf-8")
    try:
        with pytest.raises(data.DataValidationError, match=r"lac_at_31_march\.csv, line \d+: not readable as CSV"):
            data.load("lac_at_31_march", data_dir=tmp_path)
    finally:
        csv.field_size_limit(limit)


def test_design_variance_names_a_design_that_is_not_an_array():
    with pytest.raises(ValueError, match="^x must be a 0/1 array"):
        evaluation.design_variance(object(), 10, 0.1, 0.5)


def test_a_scenario_with_nan_reserves_is_refused_at_once():
    from swp_models.scenario import Scenario

    start = time.process_time()
    with pytest.raises(ValueError, match="^reserve_months"):
        Scenario.central().replace(reserve_months=float("nan"))
    assert time.process_time() - start < 0.5


def test_documented_nans():
    out = abroad.simulate_tenders(3, 0.9, 1e9, 1.1, 200, 1)
    assert out.p_award == 0.0 and math.isnan(out.price)
    doc = abroad.TenderOutcome.__doc__
    assert "NaN when no tender is" in doc and "NaN when ``p_award == 0``" in doc
    assert "NaN when both are zero" in outcomes.measure_comparison.__doc__


def test_p_same_worker_documents_its_own_default():
    default = inspect.signature(continuity.p_same_worker).parameters["first_year"].default
    assert f"first_year : bool, default {default}" in continuity.p_same_worker.__doc__


@pytest.mark.parametrize("cls, required", [
    (contracts.CostAndVolume, "share"), (contracts.ThresholdSharing, "threshold"),
    (contracts.VolumeBand, "low"), (contracts.HighCostReinsurance, "per_child_threshold"),
    (contracts.OutcomeBased, "bonus_per_unit"), (contracts.MixedOutcome, "cost_part"),
])
def test_required_contract_terms_are_required_in_the_signature(cls, required):
    param = inspect.signature(cls).parameters[required]
    assert param.default is inspect.Parameter.empty
    with pytest.raises(TypeError, match=f"missing .*'{required}'"):
        cls()


def test_default_contracts_set_the_volume_band_on_the_caseload_priced():
    model = costs.default_cost_model()
    small = contracts.simulate_practice_years(model, 60, 50, 1)
    names = list(contracts.default_contracts(model, years=small))
    margin = int(contracts.assumption("volume_band_margin"))
    assert f"Volume band, {60 - margin}-{60 + margin} children" in names
    book = list(contracts.default_contracts(model))
    centre = costs.default_caseload().mean
    assert f"Volume band, {centre - margin}-{centre + margin} children" in book


def test_reproduce_into_a_file_is_a_message_not_a_traceback(tmp_path):
    target = tmp_path / "a_file"
    target.write_text("x")
    done = subprocess.run([sys.executable, "-m", "swp_models", "reproduce", str(target)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "error: outdir must be a folder" in done.stderr


def test_readme_names_the_explorer_extra():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '".[explorer]"' in text


@pytest.mark.slow
def test_a_wheel_is_built_out_of_the_source_tree(tmp_path):
    """``pip wheel`` leaves no build/ or *.egg-info in the sources, and the wheel carries the data tables."""
    import shutil
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "_build_backend", "swp_models"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    (src / "data").symlink_to(ROOT / "data")  # swp_models/_data links to ../data
    before = sorted(p.name for p in src.iterdir())
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                           "-w", str(tmp_path / "wheels"), "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in src.iterdir()) == before
    assert not list(src.glob("**/*.egg-info")) and not (src / "build").exists()
    (wheel,) = (tmp_path / "wheels").glob("swp_models-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "swp_models/_data/lac_at_31_march.csv" in names and "swp_models/_data/children_in_care_england.json" in names
