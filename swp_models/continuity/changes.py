"""Worker changes: how many social workers a child has over a period, in closed form.

A child's social worker changes for three reasons: **turnover** of permanent staff (a
turnover rate ``T`` read as the constant leaving hazard ``-ln(1 - T)``), the end of
**agency cover** of a vacant post (a share ``v`` of posts, agency workers staying
``agency_tenure_years`` on average), and scheduled **hand-offs** between teams early in an
episode of care. The reference (Poisson) reading treats turnover and agency changes as one
Poisson process with the average hazard

.. math:: h = (1 - v)\\,(-\\ln(1 - T)) + v / \\tau,

so a child has ``1 + (hand-offs in the period) + Poisson(h * years)`` distinct workers.

In the richer **typed** reading each worker keeps a type (permanent or agency) while they
hold the case. The expected number of changes is the same (:func:`.expected_workers` is
exact for both), but the distribution is more dispersed and the chance of no change is
``(1 - v) exp(-h_perm * years) + v exp(-years / tau)``, never below the Poisson value.
:func:`.p_same_worker`, :func:`.p_workers_at_least` and :func:`.worker_count_pmf` give either
reading through their ``typed`` flag; the typed distribution is exact (uniformisation of
the two-type chain). :mod:`swp_models.continuity.simulate` simulates both readings.

Units: years for periods, shares in [0, 1], changes per child per year for hazards.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validation import (
    check_flag,
    check_in_range,
    check_instance,
    check_probability,
    check_sequence,
    check_size,
    check_text,
)
from .scenario import (
    _EPS,
    ContinuityScenario,
    _check_first_year,
    _check_tenure,
    _check_years,
    assumption,
    check_scenario,
    handoff_mixture,
)

__all__ = [
    "MAX_MEAN_CHANGES",
    "MAX_SCENARIOS",
    "MAX_WORKERS",
    "changes_by_cause",
    "expected_agency_workers",
    "expected_workers",
    "handoff_times",
    "handoffs_within",
    "hazard",
    "implied_hazard",
    "labelled_scenarios",
    "p_same_worker",
    "p_workers_at_least",
    "required_turnover",
    "scenario_summary",
    "worker_count_pmf",
]

#: The most scenarios one table or grid accepts.
MAX_SCENARIOS: int = 100

#: The longest distribution of worker counts one call lists (``max_workers``), and the most workers asked about (``k``).
MAX_WORKERS: int = 100_000

#: The most expected changes (leaving hazard × ``years``) for which :func:`.worker_count_pmf` lists the
#: distribution. The Poisson reading lists about that many counts; the typed reading's exact solution takes
#: time growing with the square of the faster leaving hazard × ``years`` and is bounded at a thousandth of it.
MAX_MEAN_CHANGES: int = 100_000
_MAX_TYPED_CHANGES = MAX_MEAN_CHANGES // 100


def _mixed(fn, s: ContinuityScenario, years: float, first_year: bool, *args: object) -> object:
    """``fn`` averaged over the number of hand-offs, or None when every child has the same number."""
    s = check_scenario(s)
    if not first_year or s.handoffs == 0 or s.handoff_probability == 1.0:
        return None
    parts = [(w, fn(sj, *args)) for w, sj in handoff_mixture(s)]
    first = parts[0][1]
    if isinstance(first, dict):
        return {key: sum(w * r[key] for w, r in parts) for key in first}
    if isinstance(first, pd.Series):
        index = sorted(set().union(*(r.index for _, r in parts)))
        out = sum(w * r.reindex(index, fill_value=0.0) for w, r in parts)
        out.index.name, out.name = first.index.name, first.name
        return out
    return float(sum(w * r for w, r in parts))


# ---------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------


def hazard(s: ContinuityScenario) -> float:
    """Average hazard of a change of worker from turnover and agency cover.

    ``h = (1 - v) * (-ln(1 - turnover)) + v / agency_tenure_years``.

    Parameters
    ----------
    s : ContinuityScenario

    Returns
    -------
    float
        Expected changes of worker per child per year, hand-offs excluded.
    """
    s = check_scenario(s)
    return (1.0 - s.vacancy) * s.permanent_hazard + s.vacancy * s.agency_hazard


def handoff_times(s: ContinuityScenario) -> np.ndarray:
    """Times of the scheduled hand-offs, in years from the start of an episode.

    ``handoff_window_years * k / handoffs`` for ``k = 1..handoffs``; empty when there
    are none.
    """
    s = check_scenario(s)
    k = np.arange(1, s.handoffs + 1, dtype=float)
    return s.handoff_window_years * k / max(s.handoffs, 1)


def handoffs_within(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> int:
    """Number of scheduled hand-offs in a period of ``years``.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        True when the period starts at the beginning of an episode of care, so the
        hand-offs that fall within it count; False for a period later in care, after
        the hand-off window, which has none.

    Returns
    -------
    int
        Hand-offs (certain changes of worker) in the period.
    """
    s = check_scenario(s)
    years = _check_years(years)
    first_year = _check_first_year(first_year)
    if not first_year or s.handoffs == 0:
        return 0
    # hand-off k falls at window * k / H; it is in [0, years] when k <= years * H / window
    k_max = math.floor(years * s.handoffs / s.handoff_window_years * (1.0 + _EPS))
    return min(s.handoffs, k_max)


def _mean_changes(s: ContinuityScenario, years: float) -> float:
    return hazard(s) * years


def _check_period(s: object, years: object, first_year: object) -> tuple[ContinuityScenario, float, bool]:
    """Validate the scenario, period and flag every closed form takes."""
    return check_scenario(s), _check_years(years), _check_first_year(first_year)


def _check_typed(typed: object) -> bool:
    return check_flag("typed", typed)


def _check_listable(s: ContinuityScenario, years: float, typed: bool) -> None:
    """Refuse a distribution whose expected changes are too many to list within memory and time."""
    if typed:
        rate = max(s.permanent_hazard, s.agency_hazard if s.vacancy > 0.0 else 0.0)
        bound, what = _MAX_TYPED_CHANGES, "the faster leaving hazard"
    else:
        rate, bound, what = hazard(s), MAX_MEAN_CHANGES, "the scenario's hazard"
    if rate * years > bound:
        raise ValueError(
            f"years × {what} gives {rate * years:,.0f} expected changes, more than the {bound:,} this "
            f"distribution is listed for; shorten years or lengthen s.agency_tenure_years (got years = {years:g})"
        )


def p_same_worker(s: ContinuityScenario, years: float = 1.0, first_year: bool = True, *,
                  typed: bool = False) -> float:
    """Probability that a child keeps the same social worker throughout a period.

    Under the reference (Poisson) reading this is ``exp(-h * years)`` for a period later in
    care. When each worker keeps their type (``typed=True``) it is the mixture
    ``(1 - v) exp(-h_perm * years) + v exp(-years / tau)``: the worker a child has at the
    start is an agency worker with probability ``v`` and leaves at ``1 / tau``, otherwise a
    permanent worker leaving at ``-ln(1 - turnover)``; never below the Poisson value, and
    equal to it when ``v`` is 0. For a period that starts with the episode
    (``first_year=True``) it is zero when any scheduled hand-off falls within the period,
    since each changes the worker.

    The contract's expected outcome, "Numbers of children with same social worker throughout
    previous year" (Annex A.2, Art. 22, under the indicator "Stability of social worker or
    lead professional"), counts children looked after throughout that year; for a
    child who entered care before the year began and after the hand-off window, that is
    ``first_year=False``. A child who entered during the year has had every hand-off within it:
    ``first_year=True``, the default here as in every sibling function of this module.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.
    typed : bool, default False
        False for the Poisson reading, True when each worker keeps their type (the process
        of :func:`~swp_models.continuity.simulate.simulate_worker_counts_detailed`).

    Returns
    -------
    float
        Probability in [0, 1].
    """
    s, years, first_year = _check_period(s, years, first_year)
    typed = _check_typed(typed)
    mixed = _mixed(lambda sj: p_same_worker(sj, years, first_year, typed=typed), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    if n_handoffs > 0:
        return 0.0
    if typed:
        return (1.0 - s.vacancy) * math.exp(-s.permanent_hazard * years) + s.vacancy * math.exp(
            -s.agency_hazard * years
        )
    return math.exp(-_mean_changes(s, years))


def expected_workers(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> float:
    """Expected number of distinct social workers a child has over a period.

    ``1 + (hand-offs in the period) + h * years``. Exact for the richer typed process as
    well as the Poisson one (see the module notes).

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    float
        Workers per child over the period.
    """
    s, years, first_year = _check_period(s, years, first_year)
    mixed = _mixed(lambda sj: expected_workers(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    return 1.0 + n_handoffs + _mean_changes(s, years)


def changes_by_cause(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> dict[str, float]:
    """Expected changes of worker over a period, split by cause.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    dict of str to float
        Changes per child over the period: ``"turnover"`` (permanent staff leaving,
        ``(1 - v) * -ln(1 - T) * years``), ``"agency"`` (agency cover ending,
        ``v / tau * years``) and ``"handoffs"`` (scheduled team hand-offs). They sum to
        ``expected_workers(s, years, first_year) - 1``.
    """
    s, years, first_year = _check_period(s, years, first_year)
    mixed = _mixed(lambda sj: changes_by_cause(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    return {
        "turnover": (1.0 - s.vacancy) * s.permanent_hazard * years,
        "agency": s.vacancy * s.agency_hazard * years,
        "handoffs": float(n_handoffs),
    }


def p_workers_at_least(s: ContinuityScenario, k: int, years: float = 1.0, first_year: bool = True, *,
                       typed: bool = False) -> float:
    """Probability that a child has at least ``k`` distinct social workers in a period.

    ``k`` workers means at least ``k - 1`` changes; with ``H`` hand-offs in the period the
    turnover and agency changes must supply at least ``k - 1 - H`` of them. "Five social
    workers in a year" is ``p_workers_at_least(s, 5)``. In the Poisson reading the tail is
    the regularised incomplete gamma function; with ``typed=True`` it comes from the exact
    typed distribution of :func:`.worker_count_pmf`.

    Parameters
    ----------
    s : ContinuityScenario
    k : int
        Number of workers, 1 to :data:`.MAX_WORKERS`.
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.
    typed : bool, default False
        False for the Poisson reading, True when each worker keeps their type.

    Returns
    -------
    float
        Probability in [0, 1].
    """
    s, years, first_year = _check_period(s, years, first_year)
    k = check_size("k", k, MAX_WORKERS)
    if _check_typed(typed):
        _check_listable(s, years, True)
        pmf = worker_count_pmf(s, years, first_year, typed=True)
        below = float(pmf.iloc[: k - 1].sum()) if k > 1 else 0.0
        return min(1.0, max(0.0, 1.0 - below))
    mixed = _mixed(lambda sj: p_workers_at_least(sj, k, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    needed = k - 1 - n_handoffs
    if needed <= 0:
        return 1.0
    mu = _mean_changes(s, years)
    if mu == 0.0:
        return 0.0
    # P(Poisson(mu) >= m) is the regularised lower incomplete gamma function P(m, mu)
    return float(special.gammainc(needed, mu))


def worker_count_pmf(
    s: ContinuityScenario,
    years: float = 1.0,
    first_year: bool = True,
    max_workers: int | None = None,
    *,
    typed: bool = False,
) -> pd.Series:
    """Distribution of the number of distinct social workers a child has in a period.

    In the Poisson reading the changes beyond the hand-offs are Poisson(``h * years``).
    With ``typed=True`` each worker keeps a type: the period is split at the scheduled
    hand-offs, each stretch starts with a fresh worker (agency with probability ``v``), and
    the changes within each stretch follow the two-type chain, solved exactly by
    uniformisation. Both have mean :func:`.expected_workers`; the first entry is
    :func:`.p_same_worker` of the same reading; the typed distribution is the more spread out.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years, in (0, 100].
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.
    max_workers : int, optional
        Largest count listed, 1 to :data:`.MAX_WORKERS`. By default far enough into the tail
        that the probability left out is below about 1e-12. Probability beyond
        ``max_workers`` is left out, not folded into the last entry.
    typed : bool, default False
        False for the Poisson reading, True when each worker keeps their type.

    Returns
    -------
    pandas.Series
        ``P(workers = w)`` indexed by ``w = 1, ..., max_workers`` (index name
        ``"workers"``, series name ``"probability"``).

    Raises
    ------
    ValueError
        If the hazard × ``years`` exceeds :data:`.MAX_MEAN_CHANGES` expected changes (a hundredth of
        it, for the faster of the two leaving hazards, when ``typed``): too many to list.
    """
    s, years, first_year = _check_period(s, years, first_year)
    typed = _check_typed(typed)
    if max_workers is not None:
        max_workers = check_size("max_workers", max_workers, MAX_WORKERS)
    _check_listable(s, years, typed)
    mixed = _mixed(lambda sj: worker_count_pmf(sj, years, first_year, max_workers, typed=typed), s, years,
                   first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    if typed:
        return _typed_pmf(s, years, n_handoffs, max_workers)
    mu = _mean_changes(s, years)
    if max_workers is None:
        max_workers = 1 + n_handoffs + int(math.ceil(mu + 12.0 * math.sqrt(mu) + 30.0))
    workers = np.arange(1, max_workers + 1)
    changes = workers - 1 - n_handoffs
    probs = np.zeros(workers.size)
    ok = changes >= 0
    n = changes[ok].astype(float)
    if mu == 0.0:
        probs[ok] = (n == 0).astype(float)
    else:
        probs[ok] = np.exp(n * math.log(mu) - mu - special.gammaln(n + 1.0))
    return pd.Series(probs, index=pd.Index(workers, name="workers"), name="probability")


def _agency_share_of_new_workers(s: ContinuityScenario) -> float:
    """Chance that a worker taking over after a turnover or agency change is an agency worker.

    Chosen so that agency workers hold a share ``v`` of the time:
    ``q = v / (v + (1 - v) * h_perm * tau)``; 0 when ``v`` is 0.
    """
    if s.vacancy == 0.0:
        return 0.0
    return s.vacancy / (s.vacancy + (1.0 - s.vacancy) * s.permanent_hazard * s.agency_tenure_years)


def _typed_piece_pmf(s: ContinuityScenario, length: float) -> np.ndarray:
    """Distribution of turnover and agency changes over one stretch between hand-offs (typed process).

    The stretch starts with a worker who is an agency worker with probability ``v``; a
    permanent worker leaves at ``h_perm``, an agency worker at ``1 / tau``; the next
    worker is an agency worker with probability ``q``. The count of changes and the
    current worker's type form a continuous-time Markov chain, solved by uniformisation:
    with ``L = max(h_perm, 1 / tau)``, the distribution at time ``t`` is the Poisson(``L t``)
    mixture of the ``k``-step distributions of the jump chain in which a worker of type
    ``i`` leaves with probability ``h_i / L`` at each step. Every term is non-negative, so
    the sum is numerically stable; it is cut where the Poisson weights left out fall below
    about 1e-12.

    Returns
    -------
    numpy.ndarray
        ``P(changes = n)`` for ``n = 0, 1, ...``.
    """
    h = np.array([s.permanent_hazard, s.agency_hazard if s.vacancy > 0.0 else 0.0])
    rate = float(h.max())
    if rate == 0.0:
        return np.array([1.0])
    q = _agency_share_of_new_workers(s)
    new_type = np.array([1.0 - q, q])
    leave = h / rate
    mu = rate * length
    if mu == 0.0:  # a hazard so small that no change is expected within floating-point precision
        return np.array([1.0])
    steps = int(math.ceil(mu + 12.0 * math.sqrt(mu) + 30.0))
    # log Poisson(mu) weights for k = 0..steps
    k = np.arange(steps + 1)
    weights = np.exp(k * math.log(mu) - mu - special.gammaln(k + 1.0))
    state = np.zeros((steps + 1, 2))  # P(level n, current type i) after k jump-chain steps
    state[0] = [1.0 - s.vacancy, s.vacancy]
    out = weights[0] * state.sum(axis=1)
    for j in range(1, steps + 1):
        moved = state[: j] @ leave  # mass leaving each level reached so far
        state[:j] *= 1.0 - leave
        state[1 : j + 1] += moved[:, None] * new_type
        out += weights[j] * state.sum(axis=1)
    return np.clip(out, 0.0, 1.0)


def _typed_pmf(s: ContinuityScenario, years: float, n_handoffs: int, max_workers: int | None) -> pd.Series:
    """The typed distribution of :func:`.worker_count_pmf`, for a fixed number of hand-offs."""
    bounds = np.concatenate([[0.0], handoff_times(s)[:n_handoffs], [years]])
    pmf = np.array([1.0])
    for start, end in zip(bounds[:-1], bounds[1:]):
        if end - start > 0.0:
            pmf = np.convolve(pmf, _typed_piece_pmf(s, float(end - start)))
    if max_workers is None:
        max_workers = 1 + n_handoffs + pmf.size
    probs = np.zeros(max_workers)
    lo = 1 + n_handoffs  # workers with no turnover or agency change
    if lo <= max_workers:
        take = min(pmf.size, max_workers - lo + 1)
        probs[lo - 1 : lo - 1 + take] = pmf[:take]
    workers = np.arange(1, max_workers + 1)
    return pd.Series(probs, index=pd.Index(workers, name="workers"), name="probability")


def expected_agency_workers(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> float:
    """Expected number of a child's distinct workers in a period who are agency staff.

    For the typed process of :func:`.simulate_worker_counts_detailed`: the first worker
    and each worker after a hand-off is an agency worker with probability ``v``; a worker
    arriving after a turnover or agency change is one with probability
    ``q = v / (v + (1 - v) h_perm tau)``, which keeps agency workers' share of time at ``v``.

    Returns
    -------
    float
        Agency workers per child over the period.
    """
    s, years, first_year = _check_period(s, years, first_year)
    mixed = _mixed(lambda sj: expected_agency_workers(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    q = _agency_share_of_new_workers(s)
    return s.vacancy * (1 + n_handoffs) + q * _mean_changes(s, years)


def _labelled_scenarios(scenarios: object, name: str = "scenarios") -> list[tuple[str, ContinuityScenario]]:
    """``(label, scenario)`` pairs from a mapping or a sequence of scenarios, each checked; empty refused."""
    if isinstance(scenarios, Mapping):
        items = list(scenarios.items())
        if not items:
            raise ValueError(f"{name} must hold at least one scenario; got an empty mapping")
        for label, _ in items:
            check_text(f"{name} keys", label)
    else:
        items = [(getattr(sc, "name", ""), sc) for sc in check_sequence(name, scenarios, max_len=MAX_SCENARIOS)]
    if len(items) > MAX_SCENARIOS:
        raise ValueError(f"{name} must hold at most {MAX_SCENARIOS:,} scenarios; got {len(items):,}")
    return [(label, check_instance(f"{name}[{label!r}]", sc, ContinuityScenario, "ContinuityScenario"))
            for label, sc in items]


def labelled_scenarios(scenarios: Sequence[ContinuityScenario] | Mapping[str, ContinuityScenario]
                       ) -> dict[str, ContinuityScenario]:
    """Scenarios keyed by label, each checked: the form every table of several scenarios takes.

    Parameters
    ----------
    scenarios : sequence or mapping of ContinuityScenario
        A mapping's keys (strings) label the scenarios; otherwise each scenario's ``name``. One to
        :data:`.MAX_SCENARIOS` of them.

    Returns
    -------
    dict of str to ContinuityScenario
        In the order given.
    """
    return dict(_labelled_scenarios(scenarios))


def scenario_summary(
    scenarios: Sequence[ContinuityScenario] | Mapping[str, ContinuityScenario], years: float = 1.0
) -> pd.DataFrame:
    """Key continuity figures for several scenarios, one row each.

    Parameters
    ----------
    scenarios : sequence or mapping of ContinuityScenario
        A mapping's keys label the rows; otherwise each scenario's ``name``.
    years : float, default 1.0
        Length of the period, in years, in (0, 100].

    Returns
    -------
    pandas.DataFrame
        Indexed by scenario, with columns ``turnover`` and ``vacancy`` (shares),
        ``handoffs``, ``hazard`` (changes per year), ``p_same_later`` and ``p_same_first``
        (probability of one worker throughout a period later in care / from the start of
        the episode), ``p_same_later_typed``, ``workers_first`` and ``workers_later``
        (expected distinct workers), ``p5_first`` and ``p5_later`` (probability of five or
        more workers).
    """
    years = _check_years(years)
    items = _labelled_scenarios(scenarios)
    rows = []
    for label, sc in items:
        rows.append(
            {
                "scenario": label,
                "turnover": sc.turnover,
                "vacancy": sc.vacancy,
                "handoffs": sc.handoffs,
                "hazard": hazard(sc),
                "p_same_later": p_same_worker(sc, years, first_year=False),
                "p_same_first": p_same_worker(sc, years, first_year=True),
                "p_same_later_typed": p_same_worker(sc, years, first_year=False, typed=True),
                "workers_first": expected_workers(sc, years, first_year=True),
                "workers_later": expected_workers(sc, years, first_year=False),
                "p5_first": p_workers_at_least(sc, 5, years, first_year=True),
                "p5_later": p_workers_at_least(sc, 5, years, first_year=False),
            }
        )
    return pd.DataFrame(rows).set_index("scenario")


def implied_hazard(p_change: float) -> float:
    """Yearly hazard of a change of worker that gives a chance ``p_change`` of a change in a year.

    Inverts ``P(at least one change) = 1 - exp(-h)``: ``h = -ln(1 - p_change)``.

    Parameters
    ----------
    p_change : float
        Share of children with at least one change in a year, in [0, 1).

    Returns
    -------
    float
        Changes per child per year.
    """
    p = check_probability("p_change", p_change, allow_one=False)
    return -math.log1p(-p)


def required_turnover(p_target: float, vacancy: float = 0.0, agency_tenure_years: float | None = None) -> float:
    """Highest turnover at which a child later in care keeps one worker all year with probability ``p_target``.

    Solves ``exp(-h) = p_target`` for the turnover ``T`` in
    ``h = (1 - v)(-ln(1 - T)) + v / tau`` (the Poisson reading, no hand-offs):
    ``T = 1 - exp(-(-ln p_target - v / tau) / (1 - v))``.

    Parameters
    ----------
    p_target : float
        Wanted probability of one worker all year, in (0, 1].
    vacancy : float, default 0.0
        Share of posts covered by agency staff, in [0, 1).
    agency_tenure_years : float, optional
        Mean agency stay, years; by default the assumption ``agency_tenure_years``.

    Returns
    -------
    float
        Turnover as a share in [0, 1); ``NaN`` when agency cover alone already pushes the
        probability below ``p_target`` (no turnover, however low, reaches it).
    """
    p = check_in_range("p_target", p_target, 0.0, 1.0, low_open=True)
    v = check_probability("vacancy", vacancy, allow_one=False)
    tau = _check_tenure(assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years)
    room = -math.log(p) - v / tau  # hazard left for turnover
    if room < -_EPS:
        return float("nan")
    return -math.expm1(-max(room, 0.0) / (1.0 - v))
