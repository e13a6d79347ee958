"""National runs: every council's children over many years, in chunks over processes, pooled exactly."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy import special

from swp_models import costs
from swp_models.costs import default_cost_model, draw_practice_children, even_councils, national_run

COUNCILS = (40, 55, 61, 7)


@pytest.fixture(scope="module")
def model():
    return default_cost_model().with_shock(0.05)


@pytest.fixture(scope="module")
def run(model):
    return national_run(model, COUNCILS, 90, 11, chunk_years=20, workers=1, risk_tolerance=2e5, excess=0.1)


def test_the_same_seed_gives_the_same_result_with_one_worker_or_two(model, run):
    two = national_run(model, COUNCILS, 90, 11, chunk_years=20, workers=2, risk_tolerance=2e5, excess=0.1)
    assert two.workers == 2 and run.workers == 1
    for name in ("mean", "variance", "risk_premium", "overspends", "totals"):
        np.testing.assert_array_equal(getattr(run, name), getattr(two, name), err_msg=name)
    other = national_run(model, COUNCILS, 90, 12, chunk_years=20, workers=1, risk_tolerance=2e5)
    assert not np.array_equal(other.totals, run.totals)


def test_each_chunk_draws_from_its_own_spawned_seed(model, run):
    seeds = np.random.SeedSequence(11).spawn(5)  # 90 years in chunks of 20: 20, 20, 20, 20, 10
    for k, (start, years) in enumerate([(0, 20), (20, 20), (40, 20), (60, 20), (80, 10)]):
        rng = np.random.default_rng(seeds[k])
        for j, n in enumerate(COUNCILS):
            np.testing.assert_array_equal(run.totals[start:start + years, j],
                                          draw_practice_children(model, n, years, rng).totals)


def test_pooled_figures_equal_those_of_all_the_years_at_once(run):
    t = run.totals
    np.testing.assert_allclose(run.mean, t.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(run.variance, t.var(axis=0), rtol=1e-9)
    r = 1 / 2e5
    premium = [(special.logsumexp(r * (col - col.mean())) - math.log(col.size)) / r for col in t.T]
    np.testing.assert_allclose(run.risk_premium, premium, rtol=1e-9)
    np.testing.assert_array_equal(run.overspends, (t > 1.1 * run.expected).sum(axis=0))
    assert (run.risk_premium > 0).all()
    table = run.council_table()
    assert list(table["children"]) == list(COUNCILS)
    np.testing.assert_allclose(table["p5"], np.quantile(t, 0.05, axis=0))
    summary = run.summary().set_index("measure")["value"]
    assert summary["children"] == sum(COUNCILS) and summary["years"] == 90
    assert summary["national_mean"] == pytest.approx(t.sum(axis=1).mean())


def test_the_chunk_size_changes_the_draws_not_the_expected_figures(model):
    a = national_run(model, (50,), 4000, 3, chunk_years=1000, workers=1, risk_tolerance=math.inf)
    b = national_run(model, (50,), 4000, 3, chunk_years=700, workers=1, risk_tolerance=math.inf)
    assert not np.array_equal(a.totals, b.totals)
    exact = costs.total_cost_moments(model, 50)
    for r in (a, b):
        assert r.mean[0] == pytest.approx(exact.mean, abs=4 * exact.std / math.sqrt(4000))
        assert math.sqrt(r.variance[0]) == pytest.approx(exact.std, rel=0.05)
        assert r.risk_premium[0] == 0.0


def test_even_councils_shares_every_child():
    sizes = even_councils(60_000, 150)
    assert sum(sizes) == 60_000 and set(sizes) == {400}
    sizes = even_councils(81_770, 153)
    assert sum(sizes) == 81_770 and max(sizes) - min(sizes) == 1
    with pytest.raises(ValueError, match="^councils must be at most children"):
        even_councils(5, 6)


@pytest.mark.parametrize("kwargs, pattern", [
    ({"councils": ()}, "^councils"),
    ({"councils": (0, 5)}, "^councils"),
    ({"councils": [5] * 1001}, "^councils"),
    ({"n_years": 0}, "^n_years"),
    ({"n_years": 10**9}, "^n_years"),
    ({"councils": [1000] * 900, "n_years": 100_000}, "^n_years × councils"),
    ({"chunk_years": 0}, "^chunk_years"),
    ({"chunk_years": 11}, "^chunk_years"),
    ({"workers": 0}, "^workers"),
    ({"workers": 65}, "^workers"),
    ({"seed": -1}, "^seed"),
    ({"risk_tolerance": 0.5}, "^risk_tolerance"),
    ({"excess": float("nan")}, "^excess"),
])
def test_bad_input_is_refused_by_name_before_any_work(model, kwargs, pattern):
    args = {"councils": (5, 6), "n_years": 10, "seed": 1, "chunk_years": 5, "workers": 1} | kwargs
    start = time.process_time()
    with pytest.raises(ValueError, match=pattern):
        national_run(model, **args)
    assert time.process_time() - start < 1.0
    with pytest.raises(TypeError, match="^model"):
        national_run(None, (5,), 2, 1)


def test_a_short_run_takes_one_chunk_by_default(model):
    run = national_run(model, (5, 6), 20, 1, workers=1)
    assert run.chunk_years == 20
    np.testing.assert_array_equal(run.totals, national_run(model, (5, 6), 20, 1, chunk_years=20, workers=1).totals)
