"""A council child and a practice child compared from the same start, and the practice's advantage taken apart.

Chapter 2's second model, built on the closed forms of :mod:`~swp_models.continuity.changes`.

* **Hand-offs as a distribution.** The report says a looked-after child "can" pass through
  four or more teams (s.4.3): up to three hand-offs, not three for every child. Here the
  number of hand-offs ``H`` at the start of an episode is binomial: each of
  ``council_handoffs`` (3) possible hand-offs happens with probability
  ``handoff_probability`` (an assumption, 0.5, range 0.2 to 1), independently.
* **The same start.** A practice takes a child at the interim order, after proceedings or
  after six months accommodated under s.20 (s.6.1.2), so a practice child starts in the
  council too: the council's hand-offs, the council's turnover and agency cover until the
  transfer (after ``transfer_time_years``, an assumption, 0.5 years, range 0.25 to 1), the
  transfer itself (one certain change of worker), then the practice's own hazard. Over
  ``t`` years from entering care a council child has ``1 + H + Poisson(h_c t)`` workers and
  a practice child ``1 + H + 1 + Poisson(h_c s + h_p (t - s))``.
* **The advantage taken apart.** :func:`.decomposition` splits a difference between the
  council and the practice into the parts due to agency cover, turnover and anything else
  (hand-offs, the transfer), by averaging each factor's effect over the orders in which the
  factors can be switched (the Shapley split), so the parts add up exactly to the difference.
* **A practice with a vacancy.** :func:`.practice_with_vacancy`: one post in eight vacant
  and covered from inside the practice until a recruit arrives. A departure is then two
  changes for a child: to the colleague who covers, then to the new recruit.
* **What the workforce explains.** :func:`.unexplained_hazard` sets the Stability Index's
  2017-18 rate of changes beside the hazard that turnover and agency cover of the same
  years give (children's social work workforce statistics, year to September 2017); the
  rest is the hazard of changes the workforce does not explain.

Units: years for times, changes per child per year for hazards, shares in [0, 1].
"""

from __future__ import annotations

from pathlib import Path

import itertools
import math
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from .. import data
from ..validation import check_in_range, check_instance, check_integer, check_one_of, check_probability, \
    check_sequence, check_text, check_work
from .changes import hazard, implied_hazard, p_same_worker, p_workers_at_least
from .scenario import (
    STABILITY_TABLE,
    ContinuityScenario,
    _check_tenure,
    assumption,
    assumption_range,
    reference_scenarios,
)

__all__ = [
    "MAX_HORIZON",
    "WORKFORCE_2017_TABLE",
    "agency_share_scenarios",
    "decomposition",
    "five_in_a_year",
    "handoff_grid",
    "handoff_pmf",
    "practice_with_vacancy",
    "same_start_pmf",
    "same_start_summary",
    "same_start_table",
    "unexplained_hazard",
    "workforce_2017",
]

#: Workforce figures of the years of the Stability Index (year to 30 September 2017).
WORKFORCE_2017_TABLE = "workforce_2017"

#: The longest horizon, in years from entering care, the comparison accepts.
MAX_HORIZON: float = 50.0

# The most cells (hand-off chances × horizons, or agency stays) a table or grid of the comparison computes.
_MAX_GRID = 10_000


def handoff_pmf(probability: float | None = None, most: int | None = None) -> np.ndarray:
    """Distribution of the number of team hand-offs at the start of an episode of care.

    Binomial: each of ``most`` possible hand-offs happens with ``probability``.

    Parameters
    ----------
    probability : float, optional
        In [0, 1]; default the assumption ``handoff_probability`` (0.5).
    most : int, optional
        At least 0; default the assumption ``council_handoffs`` (3).

    Returns
    -------
    numpy.ndarray
        ``P(H = k)`` for ``k = 0..most``.
    """
    p = assumption("handoff_probability") if probability is None else probability
    p = check_probability("probability", p)
    n = int(assumption("council_handoffs")) if most is None else check_integer("most", most, low=0, high=20)
    return stats.binom.pmf(np.arange(n + 1), n, p)


def _check_horizon(years: float) -> float:
    return check_in_range("years", years, 0.0, MAX_HORIZON, low_open=True)


def _poisson_pmf(mu: float, size: int) -> np.ndarray:
    k = np.arange(size, dtype=float)
    if mu == 0:
        return (k == 0).astype(float)
    return np.exp(k * math.log(mu) - mu - special.gammaln(k + 1.0))


def same_start_pmf(
    years: float,
    *,
    council: ContinuityScenario | None = None,
    practice: ContinuityScenario | None = None,
    probability: float | None = None,
    transfer_years: float | None = None,
    max_workers: int = 40,
) -> pd.DataFrame:
    """Distribution of the workers a council child and a practice child have over ``years`` from entering care.

    Both children have the council's hand-offs (all within the hand-off window, which must
    end by the transfer). The council child then has the council's hazard throughout; the
    practice child the council's hazard until the transfer, one certain change at it, and
    the practice's hazard after it. Poisson reading of the hazards.

    Parameters
    ----------
    years : float
        Period from entering care, in (0, 50]; at least the hand-off window.
    council, practice : ContinuityScenario, optional
        Default the book's England 2005 council and practice scenarios (their own
        ``handoffs`` are ignored: the hand-offs come from :func:`.handoff_pmf`).
    probability : float, optional
        Chance of each possible hand-off; default the assumption.
    transfer_years : float, optional
        Time from entering care to the transfer, in years; default the assumption
        ``transfer_time_years``. At least the hand-off window.
    max_workers : int
        Largest count listed, 2 to 200.

    Returns
    -------
    pandas.DataFrame
        Index ``workers`` (1..max_workers); columns ``council`` and ``practice`` (probabilities).
    """
    t = _check_horizon(years)
    refs = reference_scenarios() if council is None or practice is None else {}
    c = refs["Council, England 2005"] if council is None else council
    p = refs["Practice"] if practice is None else practice
    for name, sc in (("council", c), ("practice", p)):
        check_instance(name, sc, ContinuityScenario, "ContinuityScenario")
    s = assumption("transfer_time_years") if transfer_years is None else transfer_years
    s = check_in_range("transfer_years", s, 0.0, MAX_HORIZON, low_open=True)
    window = c.handoff_window_years
    if s < window or t < window:
        raise ValueError(
            f"transfer_years and years must be at least the hand-off window ({window} years); "
            f"got transfer_years={s!r}, years={t!r}"
        )
    size = check_integer("max_workers", max_workers, low=2, high=200)
    h_pmf = np.zeros(size)
    hp = handoff_pmf(probability)
    h_pmf[: hp.size] = hp[:size]
    council_changes = np.convolve(h_pmf, _poisson_pmf(hazard(c) * t, size))[:size]
    if t <= s:
        practice_changes = council_changes
    else:
        poisson = _poisson_pmf(hazard(c) * s + hazard(p) * (t - s), size)
        practice_changes = np.convolve(np.convolve(h_pmf, poisson)[:size], [0.0, 1.0])[:size]
    return pd.DataFrame(
        {"council": council_changes, "practice": practice_changes},
        index=pd.Index(np.arange(1, size + 1), name="workers"),
    )


def same_start_summary(years: float, **kwargs: object) -> dict[str, float]:
    """Key figures of :func:`.same_start_pmf`: for each child, the chance of one worker, expected workers, and five or more.

    Returns
    -------
    dict
        ``council_one``, ``practice_one``, ``council_mean``, ``practice_mean``,
        ``council_five``, ``practice_five``.
    """
    pmf = same_start_pmf(years, **kwargs)  # type: ignore[arg-type]
    w = pmf.index.to_numpy(dtype=float)
    out = {}
    for who in ("council", "practice"):
        col = pmf[who].to_numpy()
        out[f"{who}_one"] = float(col[0])
        out[f"{who}_mean"] = float(col @ w)
        out[f"{who}_five"] = float(col[4:].sum())
    return out


def same_start_table(horizons: Sequence[float] = (1.0, 2.0, 5.0), probabilities: Sequence[float] | None = None) -> pd.DataFrame:
    """Council child against practice child from the same start, for several horizons and hand-off chances.

    Parameters
    ----------
    horizons : sequence of float
        Years from entering care.
    probabilities : sequence of float, optional
        Chances of each hand-off; default the assumption's low, central and high values.

    Returns
    -------
    pandas.DataFrame
        ``probability``, ``years`` and the columns of :func:`.same_start_summary`.
    """
    if probabilities is None:
        lo, mid, hi = assumption_range("handoff_probability")
        probabilities = (lo, mid, hi)
    probabilities = check_sequence("probabilities", probabilities, max_len=_MAX_GRID)
    horizons = check_sequence("horizons", horizons, max_len=_MAX_GRID)
    check_work(len(probabilities) * len(horizons), "probabilities × horizons", _MAX_GRID)
    rows = []
    for q in probabilities:
        for t in horizons:
            rows.append({"probability": float(q), "years": float(t), **same_start_summary(t, probability=q)})
    return pd.DataFrame(rows)


def handoff_grid(
    probabilities: Sequence[float] = tuple(np.round(np.arange(0.0, 1.0001, 0.1), 1)),
    horizons: Sequence[float] = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0),
) -> pd.DataFrame:
    """Expected workers and the chance of five or more, council and practice child, over a grid (for the page's slider).

    Returns
    -------
    pandas.DataFrame
        Long table: ``probability``, ``years``, ``child`` ("council" or "practice"),
        ``mean`` (expected workers) and ``five`` (chance of five or more).
    """
    probabilities = check_sequence("probabilities", probabilities, max_len=_MAX_GRID)
    horizons = check_sequence("horizons", horizons, max_len=_MAX_GRID)
    check_work(len(probabilities) * len(horizons), "probabilities × horizons", _MAX_GRID)
    refs = reference_scenarios()
    fixed = dict(council=refs["Council, England 2005"], practice=refs["Practice"],
                 transfer_years=assumption("transfer_time_years"))
    rows = []
    for q in probabilities:
        for t in horizons:
            summ = same_start_summary(t, probability=q, **fixed)
            for who in ("council", "practice"):
                rows.append({"probability": float(q), "years": float(t), "child": who,
                             "mean": summ[f"{who}_mean"], "five": summ[f"{who}_five"]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# The advantage taken apart
# ---------------------------------------------------------------------------


def _shapley(f: Callable[[frozenset], float], factors: Sequence[str]) -> dict[str, float]:
    """Each factor's average marginal effect over every order of switching the factors on."""
    n = len(factors)
    out = dict.fromkeys(factors, 0.0)
    for order in itertools.permutations(factors):
        on: frozenset = frozenset()
        for name in order:
            after = on | {name}
            out[name] += (f(after) - f(on)) / math.factorial(n)
            on = after
    return out


_FACTORS = ("no agency cover", "lower turnover", "anything else")


def decomposition(
    metric: str = "one_worker_later",
    *,
    council: ContinuityScenario | None = None,
    practice: ContinuityScenario | None = None,
    years: float = 5.0,
    probability: float | None = None,
    transfer_years: float | None = None,
) -> pd.DataFrame:
    """The practice's advantage over the council split into agency cover, turnover and anything else.

    Each factor switches one input from the council's value to the practice's: "no agency
    cover" the vacancy (agency) share, "lower turnover" the turnover rate, "anything else"
    what remains (for ``"workers_same_start"``: the transfer to the practice, one certain
    change; later in care there is nothing else). The parts are the Shapley averages over
    the orders of switching, so they add up exactly to the total difference.

    Parameters
    ----------
    metric : str
        ``"one_worker_later"``: chance of keeping one worker through a year later in care
        (percentage points, practice minus council). ``"workers_same_start"``: expected
        workers over ``years`` from entering care (council minus practice: workers saved).
    council, practice : ContinuityScenario, optional
        Default England 2005 and the book's practice.
    years, probability, transfer_years
        For ``"workers_same_start"``, as in :func:`.same_start_pmf`.

    Returns
    -------
    pandas.DataFrame
        ``part`` (the three factors, then ``"total"``) and ``value``.
    """
    check_one_of("metric", check_text("metric", metric), ("one_worker_later", "workers_same_start"))
    refs = reference_scenarios()
    c = refs["Council, England 2005"] if council is None else council
    p = refs["Practice"] if practice is None else practice
    for name, sc in (("council", c), ("practice", p)):
        check_instance(name, sc, ContinuityScenario, "ContinuityScenario")

    def scenario(on: frozenset) -> ContinuityScenario:
        return c.replace(
            vacancy=p.vacancy if "no agency cover" in on else c.vacancy,
            agency_tenure_years=p.agency_tenure_years if "no agency cover" in on else c.agency_tenure_years,
            turnover=p.turnover if "lower turnover" in on else c.turnover,
        )

    # every argument is checked whichever metric uses it
    t = _check_horizon(years)
    s = assumption("transfer_time_years") if transfer_years is None else transfer_years
    s = check_in_range("transfer_years", s, 0.0, t)
    pmf_h = handoff_pmf(probability)

    if metric == "one_worker_later":
        def f(on: frozenset) -> float:
            return 100.0 * p_same_worker(scenario(on), 1.0, first_year=False)
        total = 100.0 * (p_same_worker(p, 1.0, first_year=False) - p_same_worker(c, 1.0, first_year=False))
    else:
        mean_h = float(pmf_h @ np.arange(pmf_h.size))

        def f(on: frozenset) -> float:
            # workers saved by the practice child: the council's hazard after the transfer,
            # less the practice's (the factors switched on), less the transfer if "anything else"
            after = hazard(scenario(on))
            transfer = 1.0 if "anything else" in on else 0.0
            return -(1 + mean_h + hazard(c) * s + transfer + after * (t - s)) + (1 + mean_h + hazard(c) * t)
        total = f(frozenset(_FACTORS))
    parts = _shapley(f, _FACTORS)
    frame = pd.DataFrame({"part": list(parts) + ["total"], "value": list(parts.values()) + [total]})
    return frame


def practice_with_vacancy(vacancy: float | None = None, practice: ContinuityScenario | None = None) -> ContinuityScenario:
    """A practice with vacant posts covered from inside until a recruit arrives.

    A departure gives a child two changes: to the colleague who covers, then to the new
    recruit. In the scenario's terms the vacant share ``v`` of posts is held by covering
    colleagues whose hold on the case ends when the recruit arrives, after a mean vacancy
    of ``D = v / ((1 - v) h)`` years, ``h`` the practice's leaving hazard: the steady state
    in which posts fall vacant at the rate ``(1 - v) h`` and are filled at the rate ``v / D``.
    The average hazard of a change is then ``2 (1 - v) h``: two changes per departure.

    Parameters
    ----------
    vacancy : float, optional
        Share of posts vacant, in (0, 1); default the assumption
        ``practice_vacancy_sensitivity`` (12.5%, one post in eight).
    practice : ContinuityScenario, optional
        Default the book's practice (its turnover is used).
    """
    v = assumption("practice_vacancy_sensitivity") / 100.0 if vacancy is None else vacancy
    v = check_in_range("vacancy", v, 0.0, 1.0, low_open=True, high_open=True)
    base = reference_scenarios()["Practice"] if practice is None else practice
    check_instance("practice", base, ContinuityScenario, "ContinuityScenario")
    if base.turnover == 0:
        raise ValueError("practice must have a positive turnover for a vacancy to arise; got turnover 0")
    duration = v / ((1.0 - v) * base.permanent_hazard)
    return base.replace(vacancy=v, agency_tenure_years=duration,
                        name=f"Practice, {100 * v:g}% of posts vacant, covered from inside")


# ---------------------------------------------------------------------------
# What the workforce explains
# ---------------------------------------------------------------------------


def workforce_2017(*, data_dir: str | Path | None = None) -> dict[str, float]:
    """Children and family social workers in England, year to 30 September 2017.

    Returns
    -------
    dict
        ``turnover`` (share leaving in the year, headcount), ``agency_share`` (agency
        workers' share of all workers, FTE: agency / (employed + agency)) and
        ``vacancy_share`` (vacancies / (employed + vacancies), FTE).
    """
    frame = data.load(WORKFORCE_2017_TABLE, data_dir=data_dir).set_index("measure")["value"]
    staff = float(frame["social_workers_fte"])
    agency = float(frame["agency_workers_fte"])
    vacancies = float(frame["vacancies_fte"])
    return {
        "turnover": float(frame["turnover_rate_headcount"]) / 100.0,
        "agency_share": agency / (staff + agency),
        "vacancy_share": vacancies / (staff + vacancies),
    }


def unexplained_hazard(tenures: Sequence[float] | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The Stability Index's rate of worker changes against what turnover and agency cover of the same years explain.

    The Index (2017-18) has 60% of children in care with at least one change of worker in
    the year: a hazard of ``-ln(1 - 0.6)``, about 0.92 changes a year. Turnover and agency
    cover from the workforce statistics of the year to September 2017 give
    ``(1 - a) (-ln(1 - T)) + a / tau`` for an agency share ``a`` and agency stay ``tau``.
    The difference is the hazard of changes the workforce does not explain: moves inside a
    council, restructuring, team hand-offs later in care, and changes for children who
    entered care in the year.

    Parameters
    ----------
    tenures : sequence of float, optional
        Agency stays, years; default a quarter of a year, the assumption (six months) and a year.

    Returns
    -------
    pandas.DataFrame
        ``agency_tenure_years``, ``observed`` (hazard from the Index), ``explained``,
        ``unexplained`` (changes per child per year) and ``explained_share``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    if tenures is None:
        tenures = (0.25, assumption("agency_tenure_years"), 1.0)
    wf = workforce_2017()
    observed = implied_hazard(data.value(STABILITY_TABLE, period="2017-18", measure="at_least_one_change_share", data_dir=data_dir) / 100)
    rows = []
    for tau in check_sequence("tenures", tenures, max_len=_MAX_GRID):
        tau = _check_tenure(tau, "tenures")
        sc = ContinuityScenario(turnover=wf["turnover"], vacancy=wf["agency_share"], agency_tenure_years=tau)
        explained = hazard(sc)
        rows.append({"agency_tenure_years": float(tau), "observed": observed, "explained": explained,
                     "unexplained": observed - explained, "explained_share": explained / observed})
    return pd.DataFrame(rows)


def five_in_a_year() -> pd.DataFrame:
    """"Five social workers in a year" later in care, on each reading of the model (England 2005).

    Readings (named in plain words): the Poisson reference ("at random, steady rate"), the typed
    process (agency workers keep their type), and
    the reference with the hazard the workforce does not explain added (the Index-calibrated
    reading, central agency stay).

    Returns
    -------
    pandas.DataFrame
        ``reading``, ``hazard`` (changes a year) and ``p_five`` (chance of five or more
        workers in a year later in care).
    """
    england = reference_scenarios()["Council, England 2005"]
    extra = float(unexplained_hazard((assumption("agency_tenure_years"),))["unexplained"].iloc[0])
    mu = hazard(england) + extra
    rows = [
        ("At random, steady rate (the reference)", hazard(england),
         p_workers_at_least(england, 5, 1.0, first_year=False)),
        ("Agency workers keep their type", hazard(england),
         p_workers_at_least(england, 5, 1.0, first_year=False, typed=True)),
        ("With the changes the workforce does not explain", mu, float(special.gammainc(4, mu))),
    ]
    return pd.DataFrame(rows, columns=["reading", "hazard", "p_five"])


def agency_share_scenarios(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Keeping one worker through a year later in care, with the 2005 vacancy rate or the 2005 agency share as the agency input.

    The model borrows the vacancy rate as the share of posts held by agency staff. The Lords
    figures give the agency share itself for 2005: 20.8% in London and 11.6% in the rest of
    England (``workforce_lords``). England's turnover (11%) is used for the rest of England.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``turnover``, ``vacancy`` (the report's vacancy rate), ``agency`` (the
        agency share), ``p_vacancy`` and ``p_agency`` (chance of one worker through a year
        later in care with each input; Poisson), ``p_agency_typed``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    refs = reference_scenarios()
    lords = data.load("workforce_lords", data_dir=data_dir).set_index(["area", "measure"])["value"]
    rows = []
    for area, key, ref in (("London", "London", "Council, London 2005"),
                           ("England outside London", "England excluding London", "Council, England 2005")):
        base = refs[ref]
        agency = float(lords[(key, "agency_staff_rate")]) / 100.0
        with_agency = base.replace(vacancy=agency)
        rows.append({"area": area, "turnover": base.turnover, "vacancy": base.vacancy, "agency": agency,
                     "p_vacancy": p_same_worker(base, 1.0, first_year=False),
                     "p_agency": p_same_worker(with_agency, 1.0, first_year=False),
                     "p_agency_typed": p_same_worker(with_agency, 1.0, first_year=False, typed=True)})
    return pd.DataFrame(rows)
