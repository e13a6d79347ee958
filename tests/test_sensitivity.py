"""Tests of swp_models.sensitivity: ranges from the data, one-at-a-time and Sobol analysis, the winner map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from swp_models import engine
from swp_models.scenario import Scenario

from swp_models import commissioning, contracts, liability, practice
from swp_models import sensitivity as sens

#: The assumptions of chapters 4-5 the sensitivity analysis first left out, and an output each moves.
ADDED = {
    "service_cut_share": "outcome_cost_block:placements",
    "cut_per_placement_move": "outcome_cost_block:placements",
    "placement_move_cost": "outcome_cost_block:placements",
    "upcoding_share": "upcoding_cost:placements",
    "commissioning_cost": "council_total:social_work",
    "double_running_months": "council_total:social_work",
    "stranded_overhead_share": "council_total:social_work",
    "pay_premium": "council_cost:social_work",
    "partner_surplus_share": "council_total:social_work",
    "new_employer_pension_rate": "council_cost:social_work",
}


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
    with pytest.raises((ValueError, TypeError), match="tables"):
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


@pytest.mark.slow
def test_sensitivity_ranking_reproduces_with_a_fixed_seed():
    items = sens.chapter_assumptions()
    groups = sens.chapter_groups()
    runs = [sens.sobol_indices(sens.ChapterModel(items, n_years=200, seed=3), items, sens.OUTPUTS, groups=groups,
                               n_base=8, seed=9).indices for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])
    for output in ("council_cost:placements", "council_total:social_work", "upcoding_cost:placements"):
        ranking = [r[r["output"] == output].sort_values("rank")["group"].tolist() for r in runs]
        assert ranking[0] == ranking[1] and len(ranking[0]) == len(set(groups.values()))
    # The seed is what fixes it: another seed draws other settings and gives other indices.
    other = sens.sobol_indices(sens.ChapterModel(items, n_years=200, seed=3), items, sens.OUTPUTS, groups=groups,
                               n_base=8, seed=10).indices
    assert not np.allclose(other["total"], runs[0]["total"])


# -- which contract wins where -------------------------------------------------------------


@pytest.fixture(scope="module")
def small_map() -> pd.DataFrame:
    return sens.winner_map((125_000.0, 250_000.0, 1_000_000.0), (5.0, 10.0, 30.0), n_years=1_000)


def test_winner_map_reproduces_the_closed_form_share(small_map):
    years = engine.children(Scenario.central(), 1_000)
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
    names = set(contracts.default_contracts())
    assert set(small_map["cheapest"]) <= names and set(small_map["runner_up"]) <= names


@pytest.mark.parametrize(
    "kwargs, match",
    [({"tolerances": (-1.0,)}, "tolerances"), ({"effort_costs": (0.5,)}, "effort_costs"),
     ({"scopes": ("everything",)}, "scopes"), ({"tolerances": ()}, "tolerances")],
)
def test_winner_map_rejects_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sens.winner_map(**kwargs)


def test_break_even_cut_balances_the_two_contracts():
    x = sens.break_even_cut("placements", n_years=1_000)
    assert 0 < x < 0.2
    with pytest.raises(ValueError, match="scope"):
        sens.break_even_cut("everything")
    with pytest.raises(TypeError, match="administration"):
        sens.break_even_cut("placements", administration="no")
    with pytest.raises(ValueError, match="sharing"):
        sens.break_even_cut("placements", sharing="No such contract")


# -- every labelled assumption of chapters 3-5 is varied ----------------------------------------


def test_every_ranged_assumption_of_chapters_3_to_5_is_varied():
    """Every assumption with a range in the three tables that chapters 3-5 read is in the analysis, bar one
    that the contracts' cost model does not read: where the census-calibrated needs mix sits on its feasible
    line (chapter 3's alternative mix; chapters 4-5 use the prevalence mix, whose shares are varied)."""
    varied = {a.parameter for a in sens.chapter_assumptions()}
    ranged = {a.parameter for a in sens.ranged_assumptions()}
    # Two that no model of these chapters reads: where the census-calibrated needs mix sits (chapter 3's
    # alternative mix), and the margin over expected cost, a setting of the scenario (every contract priced
    # at expected cost), which moves every contract's expected surplus alike.
    # council_overhead_share is shown over its range where it matters, on chapter 5's page (pricing.overhead_range)
    assert ranged - varied == {"complex_share_position", "contract_margin", "council_overhead_share"}
    assert {"additional_needs_share", "complex_share"} <= varied
    assert set(ADDED) <= varied
    assert set(sens.chapter_groups()) == varied
    for name in ADDED:
        assert sens.chapter_groups()[name] != "Practice budget (chapter 4)" or name in sens.SCENARIO_BASELINE


def test_pay_scenarios_vary_about_the_chapters_own_setting():
    items = {a.parameter: a for a in sens.chapter_assumptions()}
    logged = {a.parameter: a for a in sens.ranged_assumptions()}
    for name in sens.SCENARIO_BASELINE:
        assert (items[name].low, items[name].high) == (logged[name].low, logged[name].high)
    assert items["pay_premium"].value == 0.0 and logged["pay_premium"].value == 0.1
    assert items["partner_surplus_share"].value == 0.0
    assert items["new_employer_pension_rate"].value == pytest.approx(practice.salary_scale().pension_rate)


@pytest.fixture(scope="module")
def swings(model) -> pd.DataFrame:
    return sens.one_at_a_time(model, model.assumptions, sens.OUTPUTS)


@pytest.mark.parametrize("parameter, output", sorted(ADDED.items()))
def test_each_added_assumption_moves_its_output(swings, parameter, output):
    row = swings[(swings["parameter"] == parameter) & (swings["output"] == output)].iloc[0]
    assert row["swing"] > 1.0
    # And it moves it the way the model says: more of the assumption, more cost.
    assert row["at_high"] > row["at_low"] or parameter == "cut_per_placement_move"
    if parameter == "cut_per_placement_move":  # more £ of cuts per move: fewer moves
        assert row["at_high"] < row["at_low"]


def test_after_pricing_assumptions_reuse_one_pricing(model):
    names = [a.parameter for a in model.assumptions]
    base = np.array([a.value for a in model.assumptions])
    model(base[None, :])
    before = model.pricings
    x = np.tile(base, (4, 1))
    for i, name in enumerate(("service_cut_share", "upcoding_share", "commissioning_cost", "partner_surplus_share")):
        x[i, names.index(name)] = next(a.high for a in model.assumptions if a.parameter == name)
    y = model(x)
    assert model.pricings == before
    assert len({tuple(r) for r in y}) == 4
    x[0, names.index("pay_premium")] = 0.15  # a setting no other test prices
    model(x[:1])
    assert model.pricings == before + 1


def test_council_side_matches_the_chapters_table(model):
    values = model.setting(np.array([a.value for a in model.assumptions]))
    s = practice.summary()
    table = commissioning.council_side(s["running_cost"], s["out_of_scope"] * practice.PracticeDesign().caseload)
    central = table.set_index("assumption")["central"]
    expected = central[["commissioning_cost", "double_running_months", "stranded_overhead_share"]].sum()
    assert model.council_side(values) == pytest.approx(expected, rel=1e-12)
    values["partner_surplus_share"] = 0.1
    assert model.council_side(values) == pytest.approx(expected + 0.1 * s["running_cost"], rel=1e-12)


def test_pricing_agrees_with_the_failure_comparison(model):
    """The model's failure figures are liability.failure_comparison's, on the same years and scope."""
    values = model.setting(np.array([a.value for a in model.assumptions]))
    out = dict(zip(sens.OUTPUTS, model(np.array([[a.value for a in model.assumptions]]))[0]))
    years = model._children(tuple(values[p] for p in sens._COST_PARAMS))
    running = practice.summary()["running_cost"]
    scope = liability.Scope("placements", fixed_cost=running, staff_per_child=running / 100,
                            variable_per_child=values["social_work_variable_cost"],
                            overhead_share=liability.assumption("council_overhead_share"))
    assert scope == liability.default_scope("placements")
    scoped = scope.apply(years)
    terms = sens.ChapterModel._terms(values)
    deals = contracts.default_contracts(years.cost_model, scope=scope, years=scoped, **terms)
    tol = values["risk_tolerance"]
    fail = liability.failure_comparison(deals, scoped, liability.reserves_from_months(values["reserve_months"], running),
                                        term_years=int(values["contract_term_years"]),
                                        failure_cost=values["failure_cost"], risk_tolerance=tol)
    effort = contracts.effort_comparison(deals, scoped, tol, values["effort_cost"])
    total = (effort["council_cost_effort"] + fail["absorbed_term"] + fail["failure_cost"]).to_numpy()
    assert out["council_cost:placements"] == pytest.approx(total.min(), rel=1e-12)
    assert out["p_fail_block:placements"] == pytest.approx(fail["p_fail_year"].iloc[0])
    assert out["p_fail_cheapest:placements"] == pytest.approx(fail["p_fail_year"].iloc[int(np.argmin(total))])
    # Everything counted adds the block contract's service-cut outcome cost as the chapter's table does.
    cuts = commissioning.service_cuts(float(effort["effort"].iloc[0]), float(effort["expected_cost_fixed"].iloc[0]),
                                      scoped.expected_count)
    assert out["outcome_cost_block:placements"] == pytest.approx(cuts["outcome_cost"], rel=1e-12)
    needs = deals["Capitation by needs group"]
    assert out["upcoding_cost:placements"] == pytest.approx(commissioning.upcoding_cost(needs, scoped), rel=1e-12)


# -- sizes bounded and types checked before any work -------------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: sens.ChapterModel(sens.chapter_assumptions(), n_years=10**9), ValueError, "n_years"),
        (lambda: sens.ChapterModel(sens.chapter_assumptions(), n_years=500.5), ValueError, "n_years"),
        (lambda: sens.ChapterModel(sens.chapter_assumptions(), seed=True), ValueError, "seed"),
        (lambda: sens.ChapterModel("risk_tolerance"), TypeError, "assumptions"),
        (lambda: sens.ChapterModel([1, 2]), TypeError, "assumptions"),
        (lambda: sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=2**20), ValueError, "n_base"),
        (lambda: sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=True), ValueError, "n_base"),
        (lambda: sens.sobol_indices(_linear, _toy(("a",) + tuple(f"x{i}" for i in range(700))), ["y"], n_base=4096),
         ValueError, "n_base"),
        (lambda: sens.sobol_indices("model", _toy(), ["y1", "y2"]), TypeError, "evaluate"),
        (lambda: sens.sobol_indices(_linear, _toy(), []), ValueError, "outputs"),
        (lambda: sens.sobol_indices(_linear, _toy(), "y1"), TypeError, "outputs"),
        (lambda: sens.sobol_indices(_linear, _toy(), [1, 2]), TypeError, "outputs"),
        (lambda: sens.sobol_indices(_linear, _toy(), ["y1", "y2"], groups={"a": 1, "b": 2, "c": 3}), TypeError,
         "groups"),
        (lambda: sens.one_at_a_time(_linear, _toy() + _toy(("a",)), ["y1", "y2"]), ValueError, "repeat"),
        (lambda: sens.output_intervals("result"), TypeError, "result"),
        (lambda: sens.ranged_assumptions("assumptions_costs"), TypeError, "tables"),
        (lambda: sens.ranged_assumptions([3]), TypeError, "tables"),
        (lambda: sens.winner_map(n_years=10**7), ValueError, "n_years"),
        (lambda: sens.winner_map(tuple(range(1, 30)), tuple(range(1, 30))), ValueError, "cells"),
        (lambda: sens.winner_map(tolerances=5.0), TypeError, "tolerances"),
        (lambda: sens.winner_map(scopes=[None]), TypeError, "scopes"),
        (lambda: sens.break_even_cut(3), TypeError, "scope"),
        (lambda: sens.break_even_cut("placements", sharing=5), TypeError, "sharing"),
        (lambda: sens.break_even_cut("placements", n_years=0), ValueError, "n_years"),
        (lambda: sens.Assumption("t", "p", 2.0, 0.0, 1.0, "ratio", ""), ValueError, "value"),
        (lambda: sens.Assumption("t", "p", 0.5, 1.0, 0.0, "ratio", ""), ValueError, "high"),
        (lambda: sens.Assumption("t", "p", float("nan"), 0.0, 1.0, "ratio", ""), ValueError, "value"),
        (lambda: sens.Assumption("t", "", 0.5, 0.0, 1.0, "ratio", ""), ValueError, "parameter"),
        (lambda: sens.SobolResult([], np.zeros((1, 1)), pd.DataFrame({"y": [1.0]})), TypeError, "indices"),
    ],
)
def test_bad_inputs_are_refused_by_name_before_any_work(call, error, match):
    import time

    start = time.perf_counter()
    with pytest.raises(error, match=match):
        call()
    assert time.perf_counter() - start < 1.0


def test_chart_labels_read_whole_on_a_phone():
    """The charts' axis names fit the 136 px a 390 px page leaves for labels (at most 19 characters)."""
    from swp_models.figures import sensitivity as figures

    labels = {**figures._parameter_labels(), **figures._group_labels()}
    assert set(figures._parameter_labels()) == {a.parameter for a in sens.chapter_assumptions()}
    assert set(figures._group_labels()) == set(sens.chapter_groups().values())
    long = {k: v for k, v in labels.items() if len(v) > 19}
    assert not long, long
    assert len(set(figures._group_labels().values())) == len(figures._group_labels())
    assert len(set(figures._parameter_labels().values())) == len(figures._parameter_labels())
    with pytest.raises(ValueError, match="top"):
        figures.tornado_chart(0)
