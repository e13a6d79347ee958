"""The scenario, the one reader of assumptions and the pricing engine: one sample, prefixes, caches that see the data."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from swp_models import assumptions, contracts, data, engine, liability
from swp_models.scenario import Scenario, Simulation


@pytest.fixture(scope="module")
def small() -> Scenario:
    return Scenario.central(n_years=4_000)


# --------------------------------------------------------------------------- assumptions


def test_every_assumption_has_one_home():
    frame = assumptions.table()
    assert frame["parameter"].is_unique
    assert set(frame["table"]) == set(assumptions.TABLES)
    for name in ("risk_tolerance", "icc", "reserve_months", "contract_margin", "within_group_cv"):
        rec = frame.set_index("parameter").loc[name]
        assert assumptions.value(name) == rec["value"] == data.value(rec["table"], parameter=name)
    assert assumptions.table_of("contract_margin") == "assumptions_contracts"
    assert "practice_reserves" not in frame["parameter"].values  # reserves are reserve_months, one home


def test_assumption_readers_refuse_names_by_table():
    with pytest.raises(ValueError, match="parameter"):
        assumptions.value("no_such_assumption")
    with pytest.raises(ValueError, match="parameter"):
        assumptions.value_in("assumptions_outcomes", "risk_tolerance")  # it lives in assumptions_contracts
    with pytest.raises(ValueError, match="column"):
        assumptions.value("risk_tolerance", column="median")
    lo, v, hi = assumptions.bounds("risk_tolerance")
    assert lo < v < hi


def test_fingerprint_follows_the_files(tmp_path):
    before = assumptions.fingerprint()
    path = data.DATA_DIR / "assumptions_contracts.csv"
    st = path.stat()
    try:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert assumptions.fingerprint() != before
        assert Scenario.central().key() != Scenario.central().key()[:2] + (before,)
    finally:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert assumptions.fingerprint() == before


# --------------------------------------------------------------------------- the scenario


def test_central_scenario_reads_every_default_from_data():
    scn = Scenario.central()
    assert scn.scope == "social_work" and scn.label == "central" and scn.is_central
    assert scn.term_years == int(contracts.assumption("contract_term_years"))
    assert scn.reserve_months == contracts.assumption("reserve_months")
    assert scn.risk_tolerance == contracts.assumption("risk_tolerance")
    assert scn.margin == contracts.assumption("contract_margin") == 0.0
    assert scn.icc == assumptions.value("icc")
    assert scn.simulation == Simulation(n_years=100_000, seed=2007, grid_years=20_000, outcome_years=20_000)


def test_replace_changes_fields_overrides_and_the_sample():
    scn = Scenario.central()
    other = scn.replace(scope="placements", outcome_bonus=2_000, n_years=5_000, label="a test")
    assert other.scope == "placements" and other.value("outcome_bonus") == 2_000.0
    assert other.simulation.n_years == 5_000 and other.simulation.grid_years == 5_000
    assert scn.scope == "social_work" and scn.value("outcome_bonus") == contracts.assumption("outcome_bonus")
    assert not other.is_central and scn.replace(label="renamed").is_central
    assert other.key() != scn.key()
    card = other.card(rows=("scope", "contract term"))
    assert list(card.frame["Setting"]) == ["scope", "contract term"]
    assert "outcome_bonus" in other.settings()["setting"].values


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"scope": "budget"}, "scope"),
        ({"term_years": 0}, "term_years"),
        ({"reserve_months": -1.0}, "reserve_months"),
        ({"margin": 0.9}, "margin"),
        ({"icc": 1.0}, "icc"),
        ({"continuity_reading": "guess"}, "continuity_reading"),
        ({"effort_model": "none"}, "effort_model"),
        ({"no_such_assumption": 1.0}, "no_such_assumption"),
        ({"contract_term_years": 4}, "term_years"),  # a field's assumption is changed through the field
        ({"n_years": 10}, "n_years"),
        ({"n_years": 5_000, "grid_years": 6_000}, "grid_years"),
    ],
)
def test_bad_settings_are_refused_by_name(changes, name):
    with pytest.raises(ValueError, match=name):
        Scenario.central(**changes)


def test_engine_refuses_what_is_not_a_scenario():
    with pytest.raises(TypeError, match="scn"):
        engine.table("placements")
    with pytest.raises(ValueError, match="n_years"):
        engine.children(Scenario.central(n_years=1_000), 2_000)


# --------------------------------------------------------------------------- one sample, prefixes


def test_smaller_samples_are_prefixes_of_the_one_sample(small):
    full = engine.children(small)
    head = engine.children(small, 1_500)
    assert head.n_years == 1_500
    end = int(full.offsets[1_500])
    np.testing.assert_array_equal(head.costs, full.costs[:end])
    np.testing.assert_array_equal(head.totals, full.totals[:1_500])
    np.testing.assert_array_equal(head.outcome_draws, full.outcome_draws[:end])
    own = engine.own_costs(small.replace(scope="placements"), 1_500)
    np.testing.assert_array_equal(own.totals, engine.own_costs(small.replace(scope="placements")).totals[:1_500])


def test_the_sample_is_chapter_3s_children(small):
    years = contracts.simulate_practice_years(engine.children(small).cost_model, engine.children(small).caseload,
                                              4_000, 2007)
    np.testing.assert_array_equal(years.totals, engine.children(small).totals)


def test_the_shock_falls_on_the_same_children(small):
    plain = engine.own_costs(small.replace(scope="placements"))
    shocked = engine.own_costs(small.replace(scope="placements", shock_cv=0.05))
    factors = engine.shock_factors(small.replace(shock_cv=0.05))
    assert factors.shape == (4_000,) and abs(factors.mean() - 1) < 0.01
    np.testing.assert_allclose(shocked.costs, plain.costs * np.repeat(factors, plain.counts), rtol=1e-12)
    np.testing.assert_array_equal(engine.shock_factors(small), np.ones(4_000))


def test_table_is_the_chapter_pipeline_on_the_scenarios_settings(small):
    scn = small.replace(scope="placements", term_years=4, reserve_months=6.0)
    table = engine.table(scn).set_index("contract")
    years = engine.own_costs(scn)
    book = engine.book(scn)
    fail = liability.failure_comparison(book, years, engine.reserves(scn), term_years=4,
                                        failure_cost=scn.failure_cost, risk_tolerance=scn.risk_tolerance)
    pd.testing.assert_series_equal(table["p_fail_term"], fail.set_index("contract")["p_fail_term"])
    assert engine.reserves(scn) == pytest.approx(2 * engine.reserves(small))
    assert table.loc["Block", "risk_premium_exact"] == contracts.risk_premium(book["Block"].surplus(years),
                                                                               scn.risk_tolerance)
    # A contract term changed through the scenario reaches the named contracts.
    cheaper = engine.book(scn.replace(cost_share=0.3))
    assert "Cost and volume, 30% shared" in cheaper


def test_price_on_the_same_children_equals_the_table(small):
    scn = small.replace(scope="placements")
    pd.testing.assert_frame_equal(engine.price(scn, engine.children(scn)), engine.table(scn))


def test_results_are_cached_on_the_scenario_and_return_copies(small):
    a = engine.table(small)
    a.loc[0, "risk_premium_exact"] = -1.0
    b = engine.table(small)
    assert b.loc[0, "risk_premium_exact"] != -1.0
    assert engine.children(small) is engine.children(small)


def test_cached_results_follow_an_edited_table(monkeypatch):
    calls = []

    @assumptions.cached(maxsize=2)
    def computed(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert computed(3) == 6 and computed(3) == 6 and calls == [3]
    path = data.DATA_DIR / "cost_by_needs_2005.csv"
    st = path.stat()
    try:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(assumptions, "_RECENT", [float("-inf"), None])  # as if RECHECK_SECONDS had passed
        assert computed(3) == 6 and calls == [3, 3]
    finally:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(ValueError, match="maxsize"):
        assumptions.cached(maxsize=0)


def test_a_cached_result_once_handed_out_is_the_one_every_later_lookup_returns():
    """Two threads building the same missing result (a live explorer prepares figures in the background)
    both get the first one stored, and so does every later lookup: the second build is dropped."""
    import threading

    cache = assumptions.KeyedCache(4)
    inside, release = threading.Barrier(2), threading.Event()
    got = []

    def build():
        inside.wait(timeout=10)  # both threads are inside a build before either stores its result
        out = object()
        if threading.current_thread().name == "late":
            release.wait(timeout=10)  # the late thread stores second
        return out

    def ask():
        got.append(cache.get("result", (1,), build))
        if threading.current_thread().name != "late":
            release.set()

    threads = [threading.Thread(target=ask, name=n) for n in ("early", "late")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(got) == 2 and got[0] is got[1]
    assert cache.get("result", (1,), object) is got[0]


def test_a_keyed_result_asked_for_on_disk_is_kept_between_processes(tmp_path, monkeypatch):
    """KeyedCache.get(..., disk=True) keeps a result in SWP_CACHE_DIR under the cache's name, the kind and the key:
    a new process (a new cache) reads it back; another key, another cache's name or new data builds again."""
    builds = []

    def build(n):
        def make():
            builds.append(n)
            return {"n": n, "values": np.arange(n)}
        return make

    monkeypatch.setenv(assumptions.CACHE_DIR_VARIABLE, str(tmp_path / "kept"))
    first = assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (3,), build(3), disk=True)
    assert builds == [3] and len(list((tmp_path / "kept").glob("engine.a_table_with_a_slash-*.pickle"))) == 1
    again = assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (3,), build(3), disk=True)
    assert builds == [3] and np.array_equal(again["values"], first["values"])  # read back, not built
    assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (4,), build(4), disk=True)
    assumptions.KeyedCache(4, name="other").get("a table/with a slash", (3,), build(3), disk=True)
    assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (3,), build(3))  # not asked: not read
    assert builds == [3, 4, 3, 3]
    monkeypatch.setattr(assumptions, "_data_state", lambda: "an edited table")
    assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (3,), build(3), disk=True)
    assert builds == [3, 4, 3, 3, 3]
    monkeypatch.delenv(assumptions.CACHE_DIR_VARIABLE)
    assumptions.KeyedCache(4, name="engine").get("a table/with a slash", (5,), build(5), disk=True)
    assert len(list((tmp_path / "kept").glob("*.pickle"))) == 4  # unset: nothing written
    with pytest.raises(ValueError, match="name"):
        assumptions.KeyedCache(4, name="../elsewhere")
    with pytest.raises((TypeError, ValueError), match="disk"):
        assumptions.KeyedCache(4).get("x", (1,), build(1), disk="yes")
    with pytest.raises(TypeError, match="build"):
        assumptions.KeyedCache(4).get("x", (1,), 5)


def test_the_engine_keeps_its_priced_tables_on_disk(tmp_path, monkeypatch):
    """engine.table is kept between processes: priced once by the notebooks, read by every later process."""
    monkeypatch.setenv(assumptions.CACHE_DIR_VARIABLE, str(tmp_path))
    scn = Scenario.central()
    engine.clear()
    priced = engine.table(scn, 200)
    assert len(list(tmp_path.glob("engine.table-*.pickle"))) == 1
    engine.clear()
    monkeypatch.setattr(engine, "_price", lambda *a: pytest.fail("priced again, not read from disk"))
    pd.testing.assert_frame_equal(engine.table(scn, 200), priced)
    engine.clear()


def test_a_slow_result_is_kept_between_processes_only_where_the_variable_says(tmp_path, monkeypatch):
    calls = []

    @assumptions.cached(maxsize=2, disk=True)
    def slow(n: int) -> dict:
        calls.append(n)
        return {"n": n, "values": np.arange(n)}

    monkeypatch.delenv(assumptions.CACHE_DIR_VARIABLE, raising=False)
    slow(3)
    slow.cache_clear()
    slow(3)
    assert calls == [3, 3]  # unset: nothing kept beyond the process's own cache
    monkeypatch.setenv(assumptions.CACHE_DIR_VARIABLE, str(tmp_path / "kept"))
    slow.cache_clear()
    first = slow(3)
    assert calls == [3, 3, 3] and len(list((tmp_path / "kept").glob("*.pickle"))) == 1
    slow.cache_clear()  # as a new process would: only the folder holds it
    again = slow(3)
    assert calls == [3, 3, 3] and again["n"] == 3 and np.array_equal(again["values"], first["values"])
    slow(4)
    assert calls[-1] == 4  # other arguments: computed
    slow.cache_clear()
    monkeypatch.setattr(assumptions, "_data_state", lambda: "an edited table")
    slow(3)
    assert calls[-1] == 3 and len(calls) == 5  # the data changed: computed again
    (tmp_path / "bad").mkdir()
    monkeypatch.setenv(assumptions.CACHE_DIR_VARIABLE, str(tmp_path / "bad"))
    slow.cache_clear()
    slow(5)
    (next((tmp_path / "bad").glob("*.pickle"))).write_bytes(b"not a pickle")
    slow.cache_clear()
    assert slow(5)["n"] == 5 and len(calls) == 7  # a damaged file is computed again, not trusted
    with pytest.raises((TypeError, ValueError), match="disk"):
        assumptions.cached(2, disk="yes")
