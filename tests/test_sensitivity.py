"""Tests of swp_models.sensitivity: ranges from the data, one-at-a-time and Sobol analysis, the winner map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from swp_models import _legacy_contracts as contracts
from swp_models import liability
from swp_models import sensitivity as sens


def _toy(names=("a", "b", "c")) -> tuple[sens.Assumption, ...]:
    return tuple(sens.Assumption("toy", n, 0.5, 0.0, 1.0, "ratio", n) for n in names)


def _linear(x: np.ndarray) -> np.ndarray:
    # y1 = 4a + 2b (c inert); y2 = a * b (pure interaction apart from the main effects)
    return np.column_stack([4 * x[:, 0] + 2 * x[:, 1], x[:, 0] * x[:, 1]])


# -- ranges from the data layer -------------------------------------------------------------


def test_ranged_assumptions_come_from_rows_with_low_and_high():
    items = sens.ranged_assumptions()
    names = {a.parameter for a in items}
    assert {"risk_tolerance", "effort_cost", "within_group_cv", "scale_position", "reserve_months"} <= names
    for a in items:
        assert a.low <= a.value <= a.high and a.low < a.high
    tol = next(a for a in items if a.parameter == "risk_tolerance")
    assert (tol.low, tol.high) == (125_000.0, 1_000_000.0)
    k = next(a for a in items if a.parameter == "effort_cost")
    assert (k.low, k.high) == (5.0, 30.0)


def test_chapter_assumptions_cover_every_group_and_the_practice_budget():
    items = sens.chapter_assumptions()
    groups = sens.chapter_groups()
    assert set(groups) == {a.parameter for a in items}
    assert "Practice budget (chapter 4)" in groups.values()
    assert groups["scale_position"] == "Practice budget (chapter 4)"


@pytest.mark.parametrize("bad", [[], "assumptions_costs", ["no_such_table"]])
def test_ranged_assumptions_rejects_bad_tables(bad):
    with pytest.raises(ValueError, match="tables"):
        sens.ranged_assumptions(bad)


# -- generic one-at-a-time and Sobol -------------------------------------------------------


def test_one_at_a_time_swings_and_ranks():
    frame = sens.one_at_a_time(_linear, _toy(), ["y1", "y2"])
    y1 = frame[frame["output"] == "y1"].set_index("parameter")
    assert y1.loc["a", "swing"] == pytest.approx(4.0)
    assert y1.loc["b", "swing"] == pytest.approx(2.0)
    assert y1.loc["c", "swing"] == 0.0
    assert list(y1.sort_values("rank").index) == ["a", "b", "c"]
    assert y1["base"].iloc[0] == pytest.approx(3.0)


def test_sobol_matches_the_analytic_indices_of_a_linear_model():
    res = sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=1024, seed=1)
    y1 = res.indices[res.indices["output"] == "y1"].set_index("group")
    # Var = 16/12 + 4/12: a explains 0.8, b 0.2, c nothing, no interactions.
    assert y1.loc["a", "first"] == pytest.approx(0.8, abs=0.05)
    assert y1.loc["b", "total"] == pytest.approx(0.2, abs=0.05)
    assert abs(y1.loc["c", "total"]) < 0.01
    assert y1.loc["a", "rank"] == 1
    assert len(res.settings) == 1024 * (3 + 2)


def test_sobol_groups_and_constant_outputs():
    groups = {"a": "ab", "b": "ab", "c": "c"}
    res = sens.sobol_indices(lambda x: np.column_stack([x[:, 0] + x[:, 1], np.ones(len(x))]), _toy(),
                             ["sum", "flat"], groups=groups, n_base=64, seed=3)
    assert set(res.indices["group"]) == {"ab", "c"}
    flat = res.indices[res.indices["output"] == "flat"]
    assert (flat[["first", "total"]] == 0).all().all()
    ints = sens.output_intervals(res)
    assert ints.set_index("output").loc["flat", "low"] == 1.0


def test_sobol_is_reproducible_with_a_seed_and_changes_without_it():
    a = sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=64, seed=5).indices
    b = sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=64, seed=5).indices
    c = sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=64, seed=6).indices
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["first"], c["first"])


@pytest.mark.parametrize(
    "kwargs, match",
    [({"n_base": 48}, "power of two"), ({"n_base": 4}, "n_base"), ({"seed": -1}, "seed"),
     ({"groups": {"a": "g"}}, "groups"), ({"groups": {"a": "g", "b": "g", "c": "g"}}, "two groups")],
)
def test_sobol_rejects_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sens.sobol_indices(_linear, _toy(), ["y1", "y2"], **kwargs)


def test_evaluate_must_return_one_finite_row_per_setting():
    with pytest.raises(ValueError, match="evaluate"):
        sens.one_at_a_time(lambda x: x[:1, :2], _toy(), ["y1", "y2"])
    with pytest.raises(ValueError, match="NaN"):
        sens.one_at_a_time(lambda x: np.full((len(x), 2), np.nan), _toy(), ["y1", "y2"])
    with pytest.raises(ValueError, match="assumptions"):
        sens.one_at_a_time(_linear, [], ["y1"])
    with pytest.raises(ValueError, match="coverage"):
        sens.output_intervals(sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=8, seed=0), coverage=1.5)


# -- the book's model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> sens.ChapterModel:
    return sens.ChapterModel(sens.chapter_assumptions(), n_years=300, seed=11)


def test_chapter_model_at_the_defaults(model):
    base = np.array([[a.value for a in model.assumptions]])
    out = dict(zip(sens.OUTPUTS, model(base)[0]))
    for scope in liability.SCOPES:
        assert 0 <= out[f"p_loss_block:{scope}"] <= 1
        assert 0 <= out[f"p_fail_cheapest:{scope}"] <= out[f"p_loss_cheapest:{scope}"] + 1e-12
        assert 0 < out[f"optimal_share:{scope}"] <= 1
        assert int(out[f"cheapest:{scope}"]) in range(len(model.contract_names))
    # The practice's own costs are far smaller without the placements.
    assert out["council_cost:social_work"] < 0.3 * out["council_cost:placements"]


def test_chapter_model_is_deterministic_and_rejects_bad_settings(model):
    base = np.array([[a.value for a in model.assumptions]])
    np.testing.assert_array_equal(model(base), model(base))
    with pytest.raises(ValueError, match="shape"):
        model(base[:, :3])
    bad = base.copy()
    bad[0, [a.parameter for a in model.assumptions].index("risk_tolerance")] = 0.0
    with pytest.raises(ValueError, match="risk_tolerance"):
        model(bad)
    with pytest.raises(ValueError, match="assumptions"):
        sens.ChapterModel(_toy())
    with pytest.raises(ValueError, match="n_years"):
        sens.ChapterModel(sens.chapter_assumptions(), n_years=10)


def test_sensitivity_ranking_reproduces_with_a_fixed_seed():
    items = sens.chapter_assumptions()
    groups = sens.chapter_groups()
    runs = [sens.sobol_indices(sens.ChapterModel(items, n_years=200, seed=3), items, sens.OUTPUTS, groups=groups,
                               n_base=8, seed=9).indices for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])
    ranking = runs[0][runs[0]["output"] == "council_cost:placements"].sort_values("rank")["group"].tolist()
    assert ranking == runs[1][runs[1]["output"] == "council_cost:placements"].sort_values("rank")["group"].tolist()


# -- which contract wins where -------------------------------------------------------------


@pytest.fixture(scope="module")
def small_map() -> pd.DataFrame:
    return sens.winner_map((125_000.0, 250_000.0, 1_000_000.0), (5.0, 10.0, 30.0), n_years=1_000)


def test_winner_map_reproduces_the_closed_form_share(small_map):
    years = contracts.chapter_years(1_000, contracts.CHAPTER_SEED)
    for scope, part in small_map.groupby("scope"):
        totals = liability.default_scope(scope).apply(years).totals
        m, v = float(totals.mean()), float(totals.var())
        expected = 1.0 / (1.0 + (1.0 / part["tolerance"]) * part["effort_cost"] * v / m)
        np.testing.assert_allclose(part["closed_form_share"], expected, rtol=1e-12)
        np.testing.assert_allclose(part["numeric_share"], part["closed_form_share"], atol=1e-5)
        # The simulated optimum (exact premium, variance shrinking with effort) stays near it.
        assert (part["simulated_share"] - part["closed_form_share"]).abs().max() < 0.12


def test_winner_map_shape_and_monotone_share(small_map):
    assert len(small_map) == 2 * 3 * 3
    pl = small_map[small_map["scope"] == "placements"].set_index(["tolerance", "effort_cost"])["closed_form_share"]
    assert pl[(125_000.0, 30.0)] < pl[(250_000.0, 10.0)] < pl[(1_000_000.0, 5.0)]
    assert pl.min() < 0.2 and pl.max() > 0.85
    names = set(contracts.build_contracts())
    assert set(small_map["cheapest"]) <= names and set(small_map["runner_up"]) <= names


@pytest.mark.parametrize(
    "kwargs, match",
    [({"tolerances": (-1.0,)}, "tolerances"), ({"effort_costs": (0.5,)}, "effort_costs"),
     ({"scopes": ("everything",)}, "scopes"), ({"tolerances": ()}, "at least one")],
)
def test_winner_map_rejects_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sens.winner_map(**kwargs)


def test_break_even_cut_balances_the_two_contracts():
    x = sens.break_even_cut("placements", n_years=1_000)
    assert 0 < x < 0.2
    with pytest.raises(ValueError, match="scope"):
        sens.break_even_cut("everything")
    with pytest.raises(ValueError, match="administration"):
        sens.break_even_cut("placements", administration="no")
    with pytest.raises(ValueError, match="sharing"):
        sens.break_even_cut("placements", sharing="No such contract")
