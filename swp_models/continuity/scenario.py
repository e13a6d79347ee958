"""A child's staffing conditions: the scenario, its hand-offs, and scenarios read from ``data/``.

:class:`.ContinuityScenario` holds what sets how often a child's social worker changes
(turnover, agency cover of vacant posts, team hand-offs at the start of an episode);
:func:`.handoff_mixture` reads a scenario with a random number of hand-offs as a mixture of
scenarios with a fixed number. :func:`.scenario_from_data` and :func:`.reference_scenarios`
build scenarios from the 2005 workforce rates and the assumptions in
``data/assumptions_continuity.csv`` (:func:`.assumption`, :func:`.assumption_range`).

Units: years for times, shares in [0, 1] for rates, changes per child per year for hazards.
"""

from __future__ import annotations

from pathlib import Path

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import special

from .. import assumptions, data
from ..validation import (
    check_flag,
    check_in_range,
    check_instance,
    check_integer,
    check_one_of,
    check_probability,
    check_text,
)

__all__ = [
    "ASSUMPTIONS_TABLE",
    "EVIDENCE_TABLE",
    "MAX_HANDOFFS",
    "MAX_YEARS",
    "MIN_AGENCY_TENURE_YEARS",
    "PRACTICE_TABLE",
    "STABILITY_TABLE",
    "WORKFORCE_TABLE",
    "ContinuityScenario",
    "assumption",
    "assumption_range",
    "as_generator",
    "check_scenario",
    "handoff_mixture",
    "reference_scenarios",
    "regions_with_rates",
    "scenario_from_data",
]

#: Data table with the 2005 vacancy and turnover rates by region (percent).
WORKFORCE_TABLE = "workforce_rates_2005"


#: Data table holding this model's assumptions.
ASSUMPTIONS_TABLE = "assumptions_continuity"


#: Data table with the Committee evidence (Q226 rota, Q239 caseload cap).
EVIDENCE_TABLE = "committee_evidence_2008"


#: Data table with the practice design (100 children, Annex A.2 Art. 4).
PRACTICE_TABLE = "practice_design"


#: Data table with the Stability Index figures used as an outside check.
STABILITY_TABLE = "stability_index"


#: The most hand-offs a scenario may schedule (the report's "four or more teams" is three).
MAX_HANDOFFS: int = 1_000

#: The shortest mean agency stay accepted, in years (about half a minute); it keeps hazards finite.
MIN_AGENCY_TENURE_YEARS: float = 1e-6

#: The longest period, in years, the closed forms and simulations accept (a childhood is under 18).
MAX_YEARS: float = 100.0

# Defaults of ContinuityScenario. They equal the rows ``agency_tenure_years`` and
# ``handoff_window_years`` of data/assumptions_continuity.csv (a test checks this).
_DEFAULT_AGENCY_TENURE_YEARS = 0.5


_DEFAULT_HANDOFF_WINDOW_YEARS = 0.25


# Relative guard for floating-point comparisons of hand-off times with a period's end.
_EPS = 1e-12


# ---------------------------------------------------------------------------
# Input helpers shared by the package's modules
# ---------------------------------------------------------------------------


def as_generator(seed: object) -> np.random.Generator:
    """A generator from an integer seed or an existing generator (never unseeded).

    Parameters
    ----------
    seed : int or numpy.random.Generator
        A whole number >= 0 (``numpy.random.default_rng(seed)``) or a generator, used as given.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (Integral, np.integer)) or int(seed) < 0:
        raise ValueError(
            f"seed must be a non-negative integer or a numpy.random.Generator; got {seed!r}"
        )
    return np.random.default_rng(int(seed))


def _check_years(value: object, name: str = "years") -> float:
    """A period length in years, in (0, MAX_YEARS]."""
    return check_in_range(name, value, 0.0, MAX_YEARS, low_open=True)


def _check_tenure(value: object, name: str = "agency_tenure_years") -> float:
    """A mean agency stay in years, in [MIN_AGENCY_TENURE_YEARS, MAX_YEARS]."""
    return check_in_range(name, value, MIN_AGENCY_TENURE_YEARS, MAX_YEARS)


def _check_first_year(value: object) -> bool:
    return check_flag("first_year", value)


# ---------------------------------------------------------------------------
# Scenario
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContinuityScenario:
    """Staffing conditions that determine how often a child's social worker changes.

    Parameters
    ----------
    turnover : float
        Annual turnover of permanent social workers, as a share in [0, 1): the share of
        staff in post at the start of a year who have left by its end (11% in England in
        2005 is ``0.11``).
    vacancy : float, default 0.0
        Vacancy rate, share of posts in [0, 1); vacant posts are taken to be covered by
        agency staff.
    agency_tenure_years : float, default 0.5
        Mean time an agency social worker holds a child's case, in years, from
        :data:`.MIN_AGENCY_TENURE_YEARS` (about half a minute) to :data:`.MAX_YEARS`. The
        default is an assumption (``data/assumptions_continuity.csv``).
    handoffs : int, default 0
        Scheduled hand-offs between teams at the start of an episode of care (each a
        certain change of worker); an integer from 0 to :data:`.MAX_HANDOFFS`.
    handoff_window_years : float, default 0.25
        The hand-offs are evenly spaced over this first part of an episode, in years,
        in (0, 1]; the last falls at its end. An assumption.
    handoff_probability : float, default 1.0
        Chance, in [0, 1], that each of the ``handoffs`` possible hand-offs happens: the
        number a child has is binomial (``handoffs`` trials), and given that number they
        are evenly spaced over the window. 1 (the default) gives every child ``handoffs``.
        Every closed form and simulation mixes over the number (see :func:`.handoff_mixture`).
    name : str, default ""
        Label used in tables and charts.
    """

    turnover: float
    vacancy: float = 0.0
    agency_tenure_years: float = _DEFAULT_AGENCY_TENURE_YEARS
    handoffs: int = 0
    handoff_window_years: float = _DEFAULT_HANDOFF_WINDOW_YEARS
    name: str = ""
    handoff_probability: float = 1.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "turnover", check_probability("turnover", self.turnover, allow_one=False))
        set_(self, "vacancy", check_probability("vacancy", self.vacancy, allow_one=False))
        set_(self, "agency_tenure_years",
             _check_tenure(self.agency_tenure_years))
        set_(self, "handoffs", check_integer("handoffs", self.handoffs, low=0, high=MAX_HANDOFFS))
        set_(
            self,
            "handoff_window_years",
            check_in_range("handoff_window_years", self.handoff_window_years, 0.0, 1.0, low_open=True),
        )
        check_text("name", self.name, allow_empty=True)
        set_(self, "handoff_probability", check_probability("handoff_probability", self.handoff_probability))

    @property
    def permanent_hazard(self) -> float:
        """Leaving hazard of a permanent worker, ``-ln(1 - turnover)``, per year."""
        return -math.log1p(-self.turnover)

    @property
    def agency_hazard(self) -> float:
        """Leaving hazard of an agency worker, ``1 / agency_tenure_years``, per year."""
        return 1.0 / self.agency_tenure_years

    def replace(self, **changes: object) -> "ContinuityScenario":
        """A copy with some fields changed (validated again)."""
        fields = {
            "turnover": self.turnover,
            "vacancy": self.vacancy,
            "agency_tenure_years": self.agency_tenure_years,
            "handoffs": self.handoffs,
            "handoff_window_years": self.handoff_window_years,
            "name": self.name,
            "handoff_probability": self.handoff_probability,
        }
        unknown = sorted(set(changes) - set(fields))
        if unknown:
            raise ValueError(f"unknown ContinuityScenario field(s): {', '.join(unknown)}; fields: {', '.join(fields)}")
        fields.update(changes)
        return ContinuityScenario(**fields)  # type: ignore[arg-type]


def check_scenario(s: object, name: str = "s") -> ContinuityScenario:
    """``s`` if it is a :class:`.ContinuityScenario`; a TypeError naming the parameter otherwise.

    Parameters
    ----------
    s : object
        The value to check.
    name : str
        The parameter's name in the error message.
    """
    return check_instance(name, s, ContinuityScenario, "ContinuityScenario")  # type: ignore[return-value]


def handoff_mixture(s: ContinuityScenario) -> list[tuple[float, ContinuityScenario]]:
    """The scenario as a mixture over the number of hand-offs a child has.

    Returns
    -------
    list of (float, ContinuityScenario)
        ``(P(H = j), scenario with exactly j hand-offs)`` for ``j = 0..handoffs``, ``H``
        binomial with ``handoffs`` trials and chance ``handoff_probability``; a single pair
        when every child has the same number.
    """
    s = check_scenario(s)
    q = s.handoff_probability
    if s.handoffs == 0 or q == 1.0:
        return [(1.0, s)]
    j = np.arange(s.handoffs + 1)
    weights = np.exp(special.gammaln(s.handoffs + 1) - special.gammaln(j + 1) - special.gammaln(s.handoffs - j + 1)
                     + j * math.log(q) + (s.handoffs - j) * math.log1p(-q)) if q > 0 else (j == 0).astype(float)
    return [(float(w), s.replace(handoffs=int(k), handoff_probability=1.0)) for k, w in zip(j, weights) if w > 0]


# ---------------------------------------------------------------------------
# Scenarios from data
# ---------------------------------------------------------------------------


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one row of ``data/assumptions_continuity.csv``, in the table's unit.

    Parameters
    ----------
    parameter : str
        The row's ``parameter`` (for example ``"agency_tenure_years"``).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    check_text("parameter", parameter)
    return assumptions.value_in(ASSUMPTIONS_TABLE, parameter, data_dir=data_dir)


def assumption_range(parameter: str, *, data_dir: str | Path | None = None) -> tuple[float, float, float]:
    """``(low, value, high)`` of a row of ``data/assumptions_continuity.csv`` that records a range.

    Parameters
    ----------
    parameter : str
        The row's ``parameter`` (for example ``"handoff_probability"``).

    Returns
    -------
    tuple of float
        The row's ``low``, ``value`` and ``high``, in the table's unit.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    value = assumption(parameter)  # refuses an unknown parameter by name
    low, high = (assumptions.value_in(ASSUMPTIONS_TABLE, parameter, column, data_dir=data_dir) for column in ("low", "high"))
    if pd.isna(low) or pd.isna(high):
        raise ValueError(f"parameter {parameter!r} in data/assumptions_continuity.csv records no range (low and high)")
    return low, value, high


def regions_with_rates(frame: pd.DataFrame | None = None, *, data_dir: str | Path | None = None) -> list[str]:
    """Regions for which ``workforce_rates_2005`` gives both a vacancy and a turnover rate.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        The table as returned by ``data.load("workforce_rates_2005")``; loaded when omitted.
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    if frame is None:
        frame = data.load(WORKFORCE_TABLE, data_dir=data_dir)
    check_instance("frame", frame, pd.DataFrame, "pandas.DataFrame")
    missing = sorted({"region", "measure"} - set(frame.columns))
    if missing:
        raise ValueError(f"frame must have the columns region and measure of {WORKFORCE_TABLE}; "
                         f"missing: {', '.join(missing)}")
    if frame.empty:
        raise ValueError(f"frame must have at least one row of {WORKFORCE_TABLE}; got an empty table")
    have = frame.groupby("region")["measure"].agg(set)
    wanted = {"vacancy_rate", "turnover_rate"}
    return [str(r) for r in frame["region"].drop_duplicates() if wanted <= have[r]]


def scenario_from_data(
    region: str,
    handoffs: int = 0,
    agency_tenure_years: float | None = None,
    handoff_window_years: float | None = None,
    name: str | None = None,
    *, data_dir: str | Path | None = None,
) -> ContinuityScenario:
    """A scenario with a region's 2005 turnover and vacancy rates.

    Parameters
    ----------
    region : str
        A region of ``data/workforce_rates_2005.csv`` with both rates (England, London,
        Yorkshire and Humberside).
    handoffs : int, default 0
        Scheduled team hand-offs at the start of an episode.
    agency_tenure_years : float, optional
        Mean stay of an agency worker with a child, in years; by default the assumption
        ``agency_tenure_years``.
    handoff_window_years : float, optional
        Window of the hand-offs, in years; by default the assumption
        ``handoff_window_years``.
    name : str, optional
        Label; by default ``"<region> 2005"``.

    Returns
    -------
    ContinuityScenario
        Turnover and vacancy as shares (the table's percentages over 100).

    Raises
    ------
    ValueError
        If ``region`` is not in the table, or the table lacks one of its two rates.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    check_text("region", region)
    if name is not None:
        check_text("name", name, allow_empty=True)
    frame = data.load(WORKFORCE_TABLE, data_dir=data_dir)
    known = list(frame["region"].drop_duplicates())
    check_one_of("region", region, known)
    usable = regions_with_rates(frame)
    if region not in usable:
        have = sorted(frame.loc[frame["region"] == region, "measure"])
        raise ValueError(
            f"region {region!r} has only {', '.join(have)} in {WORKFORCE_TABLE}; "
            f"a scenario needs both vacancy_rate and turnover_rate, given for: {', '.join(usable)}"
        )
    turnover = data.value(WORKFORCE_TABLE, region=region, measure="turnover_rate", data_dir=data_dir) / 100.0
    vacancy = data.value(WORKFORCE_TABLE, region=region, measure="vacancy_rate", data_dir=data_dir) / 100.0
    return ContinuityScenario(
        turnover=turnover,
        vacancy=vacancy,
        agency_tenure_years=assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years,
        handoffs=handoffs,
        handoff_window_years=(
            assumption("handoff_window_years") if handoff_window_years is None else handoff_window_years
        ),
        name=f"{region} 2005" if name is None else name,
    )


def reference_scenarios() -> dict[str, ContinuityScenario]:
    """The book's three reference scenarios, keyed by name.

    * ``"Council, England 2005"`` and ``"Council, London 2005"``: the 2005 turnover and
      vacancy rates, agency cover of vacancies, and up to ``council_handoffs`` team
      hand-offs at the start of an episode, each happening with ``handoff_probability``
      (the report: a child "can pass through four or more teams");
    * ``"Practice"``: ``practice_turnover``, ``practice_vacancy`` and ``practice_handoffs``.

    Every figure not read from ``workforce_rates_2005`` is an assumption in
    ``data/assumptions_continuity.csv``.
    """
    handoffs = int(assumption("council_handoffs"))
    chance = assumption("handoff_probability")
    out = {}
    for region in ("England", "London"):
        label = f"Council, {region} 2005"
        out[label] = scenario_from_data(region, handoffs=handoffs, name=label).replace(handoff_probability=chance)
    out["Practice"] = ContinuityScenario(
        turnover=assumption("practice_turnover") / 100.0,
        vacancy=assumption("practice_vacancy") / 100.0,
        agency_tenure_years=assumption("agency_tenure_years"),
        handoffs=int(assumption("practice_handoffs")),
        handoff_window_years=assumption("handoff_window_years"),
        name="Practice",
    )
    return out
