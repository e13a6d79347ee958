"""Chapter 2's tables, checks and key results, as the page shows them.

Every figure is computed by the model in :mod:`swp_models.continuity` from ``data/``; this
module only chooses what to show and formats it. :func:`.key_results` is the chapter's
key-results table; :func:`.scenario_table`, :func:`.stability_table`,
:func:`.simulation_table`, :func:`.target_summary_table`, :func:`.rota_summary_table`,
:func:`.queue_summary_table` and :func:`.queue_check_table` are the tables on the page, each
the formatted form of a data frame computed here (:func:`.scenario_results`,
:func:`.stability_check`, :func:`~swp_models.continuity.checks.simulation_check`, :func:`.target_table`,
:func:`~swp_models.continuity.checks.queue_simulation_check`) or by the model.
"""

from __future__ import annotations

from pathlib import Path

import math
from numbers import Integral
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from .. import data
from ..continuity import (
    EVIDENCE_TABLE,
    STABILITY_TABLE,
    ContinuityScenario,
    allocation_places,
    assumption,
    assumption_range,
    expected_waiting,
    expected_workers,
    implied_hazard,
    p_same_worker,
    p_workers_at_least,
    queue_table,
    reference_scenarios,
    required_turnover,
    rota_table,
    rota_workload,
    scenario_summary,
    simulate_queue,
    simulate_worker_counts,
    simulate_worker_counts_detailed,
    team_size_for_rota,
)
from ..continuity import compare as cc
from ..continuity.changes import labelled_scenarios
from ..continuity.checks import book_seed, queue_simulation_check, simulation_check
from ..continuity.scenario import check_scenario, as_generator
from ..continuity.queue import MAX_PLACES
from ..continuity.simulate import MAX_CHILDREN
from ..tables import Table
from ..tables import key_results as _key_results_table
from ..validation import check_in_range, check_instance, check_probability, check_sequence, check_size, check_work

__all__ = [
    "decomposition_table",
    "fmt_prob",
    "key_results",
    "queue_check_table",
    "queue_simulation_check",
    "queue_summary_table",
    "rota_summary_table",
    "scenario_results",
    "scenario_table",
    "simulation_check",
    "simulation_table",
    "stability_check",
    "stability_table",
    "target_summary_table",
    "target_table",
]

# The most targets × vacancies one target table computes.
_MAX_TARGETS = 10_000

# Plain names for the model's readings and for the columns of the checks against simulation; the
# model's own name (Poisson, Erlang C) is kept in each table's note and in the glossary.
_STEADY = "at random, steady rate"
_STEADY_NOTE = ("'At random, steady rate': changes of worker come one at a time, each at random, at a rate that "
                "does not change (the Poisson model in the glossary).")
_TYPED = "Workers keep their type"
_FORMULA = "Formula"
_SIM_ERROR = "Simulation's standard error"
_DIFFERENCE = "Difference (standard errors)"


def _check_mapping(scenarios: object) -> Mapping[str, ContinuityScenario]:
    """A non-empty mapping of labels to scenarios (each checked), the form the chapter's tables take."""
    check_instance("scenarios", scenarios, Mapping, "mapping of labels to ContinuityScenario")
    labelled_scenarios(scenarios)
    return scenarios  # type: ignore[return-value]


def fmt_prob(p: float) -> str:
    """A probability as a percentage with as many decimals as it needs (deterministic text).

    Parameters
    ----------
    p : float
        A probability in [0, 1].

    Returns
    -------
    str
        ``"0%"``, ``"under 0.01%"``, two decimals below 1% and one above (``"29.0%"``).
    """
    x = 100.0 * check_probability("p", p)
    if x == 0.0:
        return "0%"
    if x < 0.01:
        return "under 0.01%"
    if x < 1.0:
        return f"{x:.2f}%"
    return f"{x:.1f}%"


def _fmt_z(z: float) -> str:
    """A difference in standard errors with its sign, ``"0.0"`` when it rounds to zero."""
    return "0.0" if abs(z) < 0.05 else f"{z:+.1f}"


def _one_in(p: float) -> str:
    """``"1 in 2,300"`` for a small probability (two significant figures)."""
    n = 1.0 / p
    digits = max(0, int(math.floor(math.log10(n))) - 1)
    return f"1 in {round(n, -digits):,.0f}"


def _poisson_at_least(mu: float, m: int) -> float:
    if m <= 0:
        return 1.0
    return 0.0 if mu == 0.0 else float(special.gammainc(m, mu))


def scenario_results(
    scenarios: Mapping[str, ContinuityScenario] | None = None, years: float = 1.0
) -> pd.DataFrame:
    """The chapter's figures for each scenario, under both readings of the model.

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`.reference_scenarios`.
    years : float, default 1.0
        Length of the period, in years (> 0).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`.scenario_summary` plus ``p5_first_typed``, ``p5_later_typed``
        (five or more workers when workers keep their type), ``p3_later`` and
        ``p3_later_typed`` (three or more workers, i.e. two or more changes, in a period
        later in care) and ``workers_5y`` (expected workers over a five-year episode).
    """
    scenarios = reference_scenarios() if scenarios is None else _check_mapping(scenarios)
    out = scenario_summary(scenarios, years)
    extra = []
    for label, sc in scenarios.items():
        extra.append(
            {
                "scenario": label,
                "p5_first_typed": p_workers_at_least(sc, 5, years, True, typed=True),
                "p5_later_typed": p_workers_at_least(sc, 5, years, False, typed=True),
                "p3_later": p_workers_at_least(sc, 3, years, False),
                "p3_later_typed": p_workers_at_least(sc, 3, years, False, typed=True),
                "workers_5y": expected_workers(sc, 5.0, True),
            }
        )
    return out.join(pd.DataFrame(extra).set_index("scenario"))


def scenario_table(scenarios: Mapping[str, ContinuityScenario] | None = None) -> "Table":
    """The scenarios side by side: inputs and results over a year (formatted for the book).

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`.reference_scenarios`.
    """
    scenarios = reference_scenarios() if scenarios is None else _check_mapping(scenarios)
    r = scenario_results(scenarios)
    rows = [
        ("Turnover of permanent staff (a year)", lambda x: f"{100 * x['turnover']:.1f}%"),
        ("Vacant posts covered by agency staff", lambda x: f"{100 * x['vacancy']:.0f}%"),
        ("Mean stay of an agency worker with a child", lambda x: f"{scenarios[x.name].agency_tenure_years:g} years"),
        ("Team hand-offs at the start of an episode",
         lambda x: _handoff_words(scenarios[x.name])),
        ("Changes a year from turnover and agency cover", lambda x: f"{x['hazard']:.3f}"),
        (f"Same worker all year, later in care ({_STEADY})", lambda x: fmt_prob(x["p_same_later"])),
        ("... if workers keep their type", lambda x: fmt_prob(x["p_same_later_typed"])),
        ("Same worker through the first year of an episode (from referral, for the practice)",
         lambda x: fmt_prob(x["p_same_first"])),
        ("Expected workers, first year of an episode", lambda x: f"{x['workers_first']:.2f}"),
        ("Expected workers, a year later in care", lambda x: f"{x['workers_later']:.2f}"),
        ("Expected workers over a five-year episode", lambda x: f"{x['workers_5y']:.2f}"),
        (f"Five or more workers, first year ({_STEADY})", lambda x: fmt_prob(x["p5_first"])),
        ("... if workers keep their type", lambda x: fmt_prob(x["p5_first_typed"])),
        (f"Five or more workers, a year later in care ({_STEADY})", lambda x: fmt_prob(x["p5_later"])),
        ("... if workers keep their type", lambda x: fmt_prob(x["p5_later_typed"])),
    ]
    frame = pd.DataFrame(
        {"": [name for name, _ in rows], **{label: [f(r.loc[label]) for _, f in rows] for label in r.index}}
    )
    return Table(
        frame,
        caption="Three scenarios: inputs and what they mean for a child over a year",
        notes=(
            "Turnover and vacancy: Le Grand (2007) s.4.3 (2005). Agency stay, hand-offs and every practice figure "
            "are assumptions (data/assumptions_continuity.csv). 'Later in care': a year after the hand-offs, "
            f"the contract's indicator. {_STEADY_NOTE}"
        ),
    )


def _handoff_words(s: ContinuityScenario) -> str:
    """``"3"``, or ``"0 to 3 (1.5 on average)"`` when the number is random."""
    if s.handoffs == 0 or s.handoff_probability == 1.0:
        return f"{s.handoffs}"
    return f"0 to {s.handoffs} ({s.handoffs * s.handoff_probability:g} on average)"


def key_results() -> "Table":
    """The chapter's key-results table, every figure computed from ``data/`` by this module and
    :mod:`swp_models.continuity.compare`; the fourth column names the assumption behind a figure."""
    refs = reference_scenarios()
    r = scenario_results(refs)
    eng, lon, prac = r.index
    later = cc.decomposition("one_worker_later").set_index("part")["value"]
    vacant = cc.practice_with_vacancy()
    five_y = cc.same_start_summary(5.0)
    saved = [five_y["council_mean"] - cc.same_start_summary(5.0, transfer_years=t)["practice_mean"]
             for t in assumption_range("transfer_time_years")[::2]]
    q_lo, _, q_hi = assumption_range("handoff_probability")
    first = {q: cc.same_start_summary(1.0, probability=q)["council_one"] for q in (q_lo, q_hi)}
    one_year = cc.same_start_summary(1.0)
    five = cc.five_in_a_year()["p_five"]
    unexplained = cc.unexplained_hazard().set_index("agency_tenure_years")
    tau = assumption("agency_tenure_years")
    shares = unexplained["explained_share"]
    rota = rota_workload((6, 10))
    queue = queue_table()
    stable = queue[queue["p_wait"].notna()]
    first_ok = stable.iloc[0]
    rare = stable[stable["p_wait"] < 0.05].iloc[0]
    pct = lambda x: f"{100 * x:.0f}%"  # noqa: E731
    return _key_results_table(
        [
            ("Same social worker all year, for a child in care all year (the contract's indicator): "
             "council in England / London 2005, and a practice",
             " / ".join(fmt_prob(r.loc[k, "p_same_later"]) for k in (eng, lon, prac)),
             "model; 2005 turnover and vacancy, Le Grand (2007) s.4.3",
             "agency workers stay six months; the practice's turnover (5.5%) and no vacancies"),
            ("The practice's lead over England taken apart: no agency cover / lower turnover / anything else",
             " / ".join(f"{later[k]:.1f}" for k in ("no agency cover", "lower turnover", "anything else"))
             + f" points (total {later['total']:.1f})",
             "model; the parts add up to the difference",
             "the practice has no vacancies (most of the lead)"),
            ("The same practice with one post in eight vacant, covered from inside (a departure is two changes)",
             fmt_prob(p_same_worker(vacant, 1.0, first_year=False)),
             "model; two changes for each departure", "vacancy of one post in eight; the practice's turnover"),
            ("From the same start, social workers over five years from entering care: council child / practice child",
             f"{five_y['council_mean']:.2f} / {five_y['practice_mean']:.2f} (the practice child has "
             f"{min(saved):.2f} to {max(saved):.2f} fewer)",
             "model; the practice child passes through the council and the transfer",
             "time to transfer (three months to a year); chance of each hand-off"),
            ("From the same start, same social worker through the first year: council child / practice child",
             f"{fmt_prob(one_year['council_one'])} / {fmt_prob(one_year['practice_one'])} (council child: "
             f"{fmt_prob(first[q_hi])} to {fmt_prob(first[q_lo])} across the hand-off range)",
             "model; the transfer is itself a change of worker",
             "chance of each hand-off (0.2 to 1)"),
            ("Five or more social workers in a year later in care, England 2005, across the model's readings",
             f"{fmt_prob(float(five.min()))} to {fmt_prob(float(five.max()))}",
             "model: constant hazard, workers keeping their type, and the Stability Index's level",
             "the reading of the model; agency workers' stay"),
            ("Share of the changes the Stability Index recorded (2017-18) that turnover and agency cover of the "
             "same years explain",
             f"{pct(shares[tau])} ({pct(shares.min())} to {pct(shares.max())})",
             "Stability Index; workforce statistics, year to September 2017; computed here",
             "agency workers' stay (three months to a year)"),
            ("Changes of worker a year that the workforce does not explain (internal moves, restructuring, hand-offs)",
             f"{unexplained.loc[tau, 'unexplained']:.2f} ({unexplained['unexplained'].min():.2f} to "
             f"{unexplained['unexplained'].max():.2f}) per child",
             "Stability Index; workforce statistics, 2017; computed here", "agency workers' stay (three months to a year)"),
            ("One-person 24-hour cover: duties a year for each worker (nights, weekend and holiday days), team of 6 / 10",
             f"{rota.loc[6, 'duties']:.0f} / {rota.loc[10, 'duties']:.0f}, and {rota.loc[6, 'rest_days']:.0f} / "
             f"{rota.loc[10, 'rest_days']:.0f} days of rest after call-outs",
             "Committee evidence Q226; computed here",
             "weekend and holiday days; one night in four with a call-out"),
            ("Team needed for one night on duty every two / three weeks",
             f"{team_size_for_rota(2)} / {team_size_for_rota(3)}", "Committee evidence Q226; computed here"),
            (f"{int(first_ok['children'])} children at a cap of {int(first_ok['cap'])} cases each: "
             "fewest workers for a waiting list that settles, and chance a new child waits",
             f"{int(first_ok['workers'])} ({fmt_prob(first_ok['p_wait'])})",
             "Annex A.2 Art. 4, Q239; queueing model"),
            ("... fewest workers for under 5% to wait", f"{int(rare['workers'])} ({fmt_prob(rare['p_wait'])})",
             "queueing model"),
        ],
        caption="Key results: continuity of social worker, England 2005 and a practice",
    )


def stability_check(scenario: ContinuityScenario | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The model's changes of worker set beside the Stability Index for 2017-18 and 2016-18.

    The Index (Children's Commissioner 2019, as reported by Community Care) counts
    children in care at the end of the year whose recorded social worker changed; it
    includes children who entered care during the year and changes of every kind. The
    model's figures are for a year (or two) later in care under ``scenario`` (by default
    England 2005 with the reference assumptions), under the Poisson and the typed
    readings; the last column is a Poisson model whose hazard is set so that 60% have a
    change in a year (:func:`.implied_hazard`), to show whether the *shape* of the
    Poisson distribution fits the other figures.

    Returns
    -------
    pandas.DataFrame
        One row per Index figure: ``period``, ``measure`` (words), ``observed`` (percent),
        ``observed_approx`` (bool), ``model`` and ``model_typed`` (percent),
        ``fitted`` (percent, Poisson with the fitted hazard), ``hazard_fitted``
        (changes per year).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    s = reference_scenarios()["Council, England 2005"] if scenario is None else check_scenario(scenario, "scenario")
    frame = data.load(STABILITY_TABLE, data_dir=data_dir).set_index(["period", "measure"])
    one = frame.loc[("2017-18", "at_least_one_change_share")]
    h_fit = implied_hazard(one["value"] / 100.0)
    specs = [
        ("2017-18", "at_least_one_change_share", "At least one change in the year", 1, 1.0),
        ("2017-18", "multiple_changes_share", "Two or more changes in the year", 2, 1.0),
        ("2016-17 to 2017-18", "two_or_more_changes_share", "Two or more changes over two years", 2, 2.0),
        ("2016-17 to 2017-18", "three_or_more_changes_share", "Three or more changes over two years", 3, 2.0),
    ]
    rows = []
    for period, measure, words, changes, years in specs:
        rec = frame.loc[(period, measure)]
        rows.append(
            {
                "period": period,
                "measure": words,
                "observed": float(rec["value"]),
                "observed_approx": bool(rec["approx"]),
                "model": 100.0 * p_workers_at_least(s, changes + 1, years, first_year=False),
                "model_typed": 100.0 * p_workers_at_least(s, changes + 1, years, first_year=False, typed=True),
                "fitted": 100.0 * _poisson_at_least(h_fit * years, changes),
                "hazard_fitted": h_fit,
            }
        )
    return pd.DataFrame(rows)


def target_table(
    targets: Sequence[float] = (0.7, 0.8, 0.9, 0.95), vacancies: Sequence[float] = (0.0, 0.05, 0.12)
) -> pd.DataFrame:
    """Highest turnover that reaches each target of keeping one worker all year, by agency-covered vacancy.

    Parameters
    ----------
    targets : sequence of float
        Wanted probabilities of one worker all year (later in care), each in (0, 1].
    vacancies : sequence of float
        Shares of posts covered by agency staff, each in [0, 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``target`` (share), one column per vacancy share, holding
        :func:`.required_turnover` (share; ``NaN`` where unattainable).
    """
    targets = check_sequence("targets", targets, max_len=_MAX_TARGETS)
    vacancies = check_sequence("vacancies", vacancies, max_len=_MAX_TARGETS)
    check_work(len(targets) * len(vacancies), "targets × vacancies", _MAX_TARGETS)
    rows = {check_in_range("targets", t, 0.0, 1.0, low_open=True):
            {check_probability("vacancies", v, allow_one=False): required_turnover(t, v) for v in vacancies}
            for t in targets}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "target"
    out.columns.name = "vacancy"
    return out


def decomposition_table() -> "pd.DataFrame":
    """Both decompositions side by side, for the page: one row per part."""
    later = cc.decomposition("one_worker_later").set_index("part")["value"]
    same = cc.decomposition("workers_same_start").set_index("part")["value"]
    return pd.DataFrame({"part": later.index, "one_worker_later_points": later.to_numpy(),
                         "workers_saved_5y": same.reindex(later.index).to_numpy()})


# ---------------------------------------------------------------------------
# The tables as the book shows them
# ---------------------------------------------------------------------------


def _observed_text(value: float, approx: bool, low: float) -> str:
    if not approx:
        return f"{value:.0f}%"
    if not math.isnan(low) and low == value:
        return f"just over {value:.0f}%"
    return f"about {value:.0f}%"


def stability_table(*, data_dir: str | Path | None = None) -> "Table":
    """:func:`.stability_check` formatted for the book."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    check = stability_check()
    frame = data.load(STABILITY_TABLE, data_dir=data_dir).set_index(["period", "measure"])
    lows = {
        "At least one change in the year": frame.loc[("2017-18", "at_least_one_change_share"), "low"],
        "Two or more changes in the year": frame.loc[("2017-18", "multiple_changes_share"), "low"],
        "Two or more changes over two years": frame.loc[("2016-17 to 2017-18", "two_or_more_changes_share"), "low"],
        "Three or more changes over two years": frame.loc[("2016-17 to 2017-18", "three_or_more_changes_share"),
                                                          "low"],
    }
    out = pd.DataFrame(
        {
            "Children in care": check["measure"],
            "Period": check["period"],
            "Stability Index": [
                _observed_text(r.observed, r.observed_approx, float(lows[r.measure])) for r in check.itertuples()
            ],
            "Model, England 2005": [f"{x:.1f}%" for x in check["model"]],
            "... workers keep type": [f"{x:.1f}%" for x in check["model_typed"]],
            f"At random, fitted: {check['hazard_fitted'].iloc[0]:.2f} changes a year": [f"{x:.1f}%" for x in
                                                                                     check["fitted"]],
        }
    )
    return Table(
        out,
        caption="Changes of social worker: the Stability Index beside the model (percent of children in care)",
        notes=(
            "Stability Index: Children's Commissioner (2019) as reported by Community Care (2019); children in care at "
            "31 March, including those who entered during the period, all recorded changes. Model: a year (or two) "
            "later in care, England 2005 rates and the reference assumptions. Last column: changes at random at a steady "
            "rate (the Poisson model) set to give 60% at least one change in a year."
        ),
    )


def _seed_words(seed: object) -> str:
    """How a check's seed is named on the page."""
    if seed is None:
        return f"Seed {book_seed()}, the book's one seed"
    return f"Seed {seed}" if isinstance(seed, Integral) else "Seed from a generator"


def simulation_table(n_children: int = 1_000_000, seed: int | np.random.Generator | None = None) -> "Table":
    """:func:`~swp_models.continuity.checks.simulation_check` formatted for the book."""
    check = simulation_check(n_children, seed)
    is_prob = check["measure"] != "Expected workers"

    def fmt(x: float, prob: bool) -> str:
        return f"{100 * x:.2f}%" if prob else f"{x:.4f}"

    short = {"Expected workers": "Workers (mean)", "Five or more workers": "Five or more",
             "Same worker all year": "One worker all year", "Three or more workers": "Three or more"}
    out = pd.DataFrame(
        {
            "Reading": check["model"].map({"Poisson": _STEADY.capitalize(), "Workers keep their type": _TYPED}),
            "Year": check["period"].str.replace(" year", ""),
            "Figure": check["measure"].map(short),
            _FORMULA: [fmt(x, p) for x, p in zip(check["closed_form"], is_prob)],
            "Simulated": [fmt(x, p) for x, p in zip(check["simulated"], is_prob)],
            _SIM_ERROR: [fmt(x, p) for x, p in zip(check["se"], is_prob)],
            _DIFFERENCE: [_fmt_z(z) for z in check["z"]],
        }
    )
    return Table(
        out,
        caption=f"Closed forms against simulation, England 2005 ({n_children:,} children for each reading and year)",
        notes=(
            f"{_seed_words(seed)}. Rows {_STEADY} (the Poisson model): simulate_worker_counts; rows where workers "
            "keep their type: simulate_worker_counts_detailed. Formula: the closed form. A difference within about "
            "two standard errors (the simulation's own chance error) is what chance alone gives."
        ),
    )


def rota_summary_table(*, data_dir: str | Path | None = None) -> "Table":
    """:func:`.rota_table` formatted for the book."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    rota = rota_table().reset_index()
    interval = data.row(EVIDENCE_TABLE, measure="night_duty_interval", data_dir=data_dir)
    out = pd.DataFrame(
        {
            "Workers on the rota": rota["team_size"].astype(str),
            "Nights on duty each a year": [f"{x:.1f}" for x in rota["nights_per_worker"]],
            "A night every": [f"{d:.0f} days ({w:.1f} weeks)" for d, w in zip(rota["days_between"],
                                                                              rota["weeks_between"])],
            f"Nights covered at one every {interval['value']:g} weeks each": [
                f"{100 * x:.0f}%" for x in rota["share_of_nights_at_quoted"]],
        }
    )
    return Table(
        out,
        caption="A one-person night rota: what each worker does, by team size",
        notes=(
            "365 nights shared equally. Q226: a practice of six to ten could cover nights with one person on duty; a "
            "comparable team member did a night 'every two or three weeks' (2.5 is the middle). Computed here."
        ),
    )


def queue_summary_table() -> "Table":
    """:func:`.queue_table` formatted for the book."""
    q = queue_table()
    settled = q["p_wait"].notna()

    def cell(x: float, fmt: str) -> str:
        return "grows without limit" if math.isnan(x) else format(x, fmt)

    out = pd.DataFrame(
        {
            "Workers": q["workers"].astype(str),
            "Places": q["places"].astype(str),
            "Places in use": [f"{100 * u:.0f}%" if ok else "all" for u, ok in zip(q["utilisation"], settled)],
            "New child waits": [fmt_prob(p) if ok else "grows without limit" for p, ok in zip(q["p_wait"], settled)],
            "Children waiting (mean)": [cell(x, ".2f") for x in q["mean_waiting"]],
            "Mean wait (weeks)": [cell(x, ".1f") for x in q["mean_wait_weeks"]],
            "Wait if waiting (weeks)": [cell(x, ".1f") for x in q["wait_if_waiting_weeks"]],
        }
    )
    r = q.iloc[0]
    return Table(
        out,
        caption=(f"A practice of {r['children']:.0f} children with caseloads capped at {int(r['cap'])}: "
                 "waiting for a worker"),
        notes=(
            f"M/M/c queue (Erlang C): {r['arrivals']:.0f} children arrive a year and hold a place for "
            f"{assumption('queue_mean_stay_years'):g} years on average (assumption); the stay sets only the waits "
            "in weeks. Sources: Annex A.2 Art. 4 (100 children), Q239 (cap of 10)."
        ),
    )


def queue_check_table(n_runs: int = 100, seed: int | np.random.Generator | None = None) -> "Table":
    """:func:`~swp_models.continuity.checks.queue_simulation_check` formatted for the book."""
    check = queue_simulation_check(n_runs=n_runs, seed=seed)
    prob = check["measure"].str.startswith("Chance")

    def fmt(x: float, p: bool) -> str:
        return f"{100 * x:.1f}%" if p else f"{x:.2f}"

    out = pd.DataFrame(
        {
            "Figure": check["measure"],
            _FORMULA: [fmt(x, p) for x, p in zip(check["closed_form"], prob)],
            "Simulated": [fmt(x, p) for x, p in zip(check["simulated"], prob)],
            _SIM_ERROR: [fmt(x, p) for x, p in zip(check["se"], prob)],
            _DIFFERENCE: [_fmt_z(z) for z in check["z"]],
        }
    )
    return Table(
        out,
        caption="The queue's closed forms against simulation (fewest workers that let the list settle)",
        notes=(f"Formula: Erlang C. {n_runs} independent simulated queues of 400 years each after a warm-up; "
               f"{_seed_words(seed).lower()}."),
    )


def target_summary_table() -> "Table":
    """:func:`.target_table` formatted for the book."""
    t = target_table()
    out = pd.DataFrame({"One worker all year (target)": [f"{100 * x:.0f}%" for x in t.index]})
    for v in t.columns:
        out[f"{100 * v:.0f}% posts agency-covered"] = [
            "unreachable" if math.isnan(x) else f"{100 * x:.1f}%" for x in t[v]
        ]
    return Table(
        out,
        caption="Highest staff turnover that reaches each target, by agency cover (child later in care)",
        notes=(
            f"Changes {_STEADY} (the Poisson reading), no hand-offs, agency stays of {assumption('agency_tenure_years'):g} years (assumption). "
            "'Unreachable': agency cover alone already takes the chance below the target."
        ),
    )
