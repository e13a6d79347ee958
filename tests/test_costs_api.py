"""The public API of swp_models.costs and swp_models.practice: the modules, data_dir, and checks at the boundary."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import swp_models
from swp_models import costs, data, practice
from swp_models.costs import Caseload, CostModel, default_caseload, default_cost_model


def test_package_re_exports_every_module_name():
    for module in (costs.model, costs.needs, costs.caseload, costs.totals, costs.distribution, costs.pooling,
                   costs.scenarios, costs.census):
        for name in module.__all__:
            assert getattr(costs, name) is getattr(module, name), name
    assert sorted(costs.__all__) == sorted(set(costs.__all__))
    for module in (practice.design, practice.budget):
        for name in module.__all__:
            assert getattr(practice, name) is getattr(module, name), name
    assert swp_models.costs is costs


@pytest.fixture(scope="module")
def edited_data(tmp_path_factory):
    """A copy of data/ with the within-group CV, the caseload margin and an admin pay ratio edited (digests redone)."""
    folder = tmp_path_factory.mktemp("data")
    shutil.copytree(data.DATA_DIR, folder, dirs_exist_ok=True)
    for name, old, new in (
        ("assumptions_costs", '"Sets the spread of cost inside each group', None),
        ("practice_design", "caseload_margin,10,", "caseload_margin,5,"),
    ):
        path = folder / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        if new is None:  # the value of within_group_cv: 0.5 -> 0.6
            text = text.replace(",0.5,ratio,true,0.3,0.8,assumption,", ",0.6,ratio,true,0.3,0.8,assumption,", 1)
        else:
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    assert set(data.rehash(folder)) == {"assumptions_costs", "practice_design"}
    return folder


def test_data_dir_is_read_where_the_data_is_read(edited_data):
    assert costs.assumption("within_group_cv") == 0.5
    assert costs.assumption("within_group_cv", data_dir=edited_data) == 0.6
    assert costs.assumption("within_group_cv", data_dir=str(edited_data)) == 0.6
    assert default_cost_model(data_dir=edited_data).cv == 0.6
    assert default_caseload(data_dir=edited_data) == Caseload(100, 5)
    assert costs.assumption_range("within_group_cv", data_dir=edited_data) == (0.3, 0.6, 0.8)
    assert costs.group_costs(data_dir=edited_data) == costs.group_costs()
    assert costs.census_average_cost(data_dir=edited_data) == costs.census_average_cost()
    table = costs.needs_mix_table(data_dir=edited_data)
    assert table["sd_child"].iloc[0] > costs.needs_mix_table()["sd_child"].iloc[0]
    pct = costs.practice_percentiles(default_cost_model(), data_dir=edited_data)
    assert pct["exact"].iloc[0] > costs.practice_percentiles(default_cost_model())["exact"].iloc[0]
    assert costs.variance_decomposition(default_cost_model(), data_dir=edited_data)["variance"].iloc[1] == \
        pytest.approx(5 * 6 / 3 * default_cost_model().mean ** 2)
    assert practice.caseload_table(data_dir=edited_data)["caseload"].min() == 95
    assert practice.assumption("admin_pay_ratio", data_dir=edited_data) == practice.assumption("admin_pay_ratio")
    assert practice.salary_scale(data_dir=edited_data) == practice.salary_scale()


@pytest.mark.parametrize("call", [
    lambda: costs.assumption("within_group_cv", data_dir=123),
    lambda: default_cost_model(data_dir=1.5),
    lambda: default_caseload(data_dir=["data"]),
    lambda: practice.assumption("admin_pay_ratio", data_dir=7),
    lambda: practice.london_premium(data_dir=True),
])
def test_data_dir_must_be_a_folder(call):
    with pytest.raises(TypeError, match="data_dir"):
        call()


# --------------------------------------------------------------------------- checks at the boundary


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: costs.total_cost_moments("x", 100), TypeError, "model must be a CostModel"),
    (lambda: costs.total_cost_moments(default_cost_model(), True), TypeError, "caseload"),
    (lambda: costs.total_cost_moments(default_cost_model(), 10**12), ValueError, "caseload"),
    (lambda: costs.simulate_practice_costs(default_cost_model(), 100, -1, seed=0), ValueError, "n_sims"),
    (lambda: costs.simulate_practice_costs(default_cost_model(), 100, 10**6, seed=0), ValueError, "n_sims × caseload"),
    (lambda: costs.pooling_table(default_cost_model(), n_sims=-1), ValueError, "n_sims"),
    (lambda: costs.pooling_table(default_cost_model(), n_sims=float("inf")), ValueError, "n_sims"),
    (lambda: costs.pooling_table(default_cost_model(), n_sims=1e10), ValueError, "n_sims"),
    (lambda: costs.prob_cost_per_child_exceeds(default_cost_model(), 100, n_sims=10**10), ValueError, "n_sims"),
    (lambda: costs.prob_cost_per_child_exceeds(default_cost_model(), 100, seed="x"), ValueError, "seed"),
    (lambda: costs.relative_spread(default_cost_model(), 10**15), ValueError, "n"),
    (lambda: costs.pooling_curve(default_cost_model(), ()), ValueError, "sizes"),
    (lambda: costs.pooling_curve(default_cost_model(), (100,), ()), ValueError, "excesses"),
    (lambda: costs.shock_pooling_table(default_cost_model(), (100,), ()), ValueError, "shock_cvs"),
    (lambda: costs.shock_pooling_table(default_cost_model(), (100,), (0.05,), excess=float("nan")), ValueError, "excess"),
    (lambda: costs.target_sensitivity([]), ValueError, "targets"),
    (lambda: costs.child_cost_percentiles(default_cost_model(), []), ValueError, "qs"),
    (lambda: costs.child_cost_density(default_cost_model(), n_points=10**12), ValueError, "n_points"),
    (lambda: costs.practice_density(default_cost_model(), {}), ValueError, "caseloads"),
    (lambda: costs.exact_vs_simulated(default_cost_model(), n_children=10**12), ValueError, "n_children"),
    (lambda: costs.calibrate_shares(n_points=10**12), ValueError, "n_points"),
    (lambda: costs.calibrate_shares(group_means=5), TypeError, "group_means"),
    (lambda: costs.mix_sensitivity_grid(cvs=()), ValueError, "cvs"),
    (lambda: costs.share_sensitivity_grid(complex_shares=5), TypeError, "complex_shares"),
    (lambda: Caseload(10**12), ValueError, "mean"),
    (lambda: Caseload(100, True), ValueError, "margin"),
    (lambda: CostModel(("no_additional_needs",), (3e4,), (True,), 0.5), ValueError, "shares"),
    (lambda: costs.TotalCostMoments(float("nan"), 1.0), ValueError, "mean"),
    (lambda: costs.TotalCostMoments(1.0, -1.0), ValueError, "variance"),
    (lambda: costs.assumption(123), TypeError, "parameter"),
])
def test_bad_input_is_refused_by_name(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_result_objects_check_their_fields():
    dist = costs.total_cost_distribution(default_cost_model(), 10, points_per_sd=8)
    with pytest.raises(ValueError, match="caseload_probs"):
        costs.TotalCostDistribution(dist.step, dist.caseloads, dist.caseload_probs * 2, dist.pmf_by_caseload,
                                    dist.child_mean, dist.child_pmf)
    with pytest.raises(TypeError, match="pmf_by_caseload"):
        costs.TotalCostDistribution(dist.step, dist.caseloads, dist.caseload_probs, [[1.0]], dist.child_mean,
                                    dist.child_pmf)
    kids = costs.draw_practice_children(default_cost_model(), 5, 3, np.random.default_rng(1))
    with pytest.raises(ValueError, match="offsets"):
        costs.PracticeChildren(kids.costs, kids.components, kids.offsets[:-1], kids.counts, kids.component_counts,
                               kids.totals)
    calib = costs.calibrate_shares(n_points=3)
    with pytest.raises(ValueError, match="position"):
        costs.ShareCalibration(calib.feasible, calib.default, calib.complex_share_range, 1.5, calib.target_mean,
                               calib.group_means, calib.rule)
