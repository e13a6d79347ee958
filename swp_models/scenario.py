"""The scenario: every setting a priced result depends on, in one immutable object.

A :class:`Scenario` carries the settings that decide what a contract costs and who bears its risk: what
the practice pays for (the scope), the price base and margin, the contract term, the practice's
reserves, the shared yearly cost shock, the practice's risk tolerance, its effort cost, the council's
cost of a failure, the clustering and continuity reading the evaluation chapters use, and the size and
seed of the one simulated sample. :meth:`Scenario.central` builds it from ``data/`` (every default is a
row of an assumption table, read by :mod:`swp_models.assumptions`); :meth:`Scenario.replace` changes
any setting, or any assumption by name, and returns a new scenario. The pricing engine
(:mod:`swp_models.engine`) takes a scenario and nothing else, and caches on :meth:`Scenario.key`,
which includes a fingerprint of the data tables, so an edited table is seen at once.

The scenario imports no model: it holds plain values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import assumptions
from .tables import PRICE_YEAR, Table
from .validation import check_flag, check_in_range, check_integer, check_one_of, check_positive, check_text

__all__ = ["Simulation", "Scenario", "SCOPE_NAMES", "CONTINUITY_READINGS", "EFFORT_MODELS", "MAX_SAMPLE_YEARS",
           "central"]

#: What a practice can be made to pay for (see :class:`swp_models.liability.Scope`).
SCOPE_NAMES: dict[str, str] = {"social_work": "social work only", "placements": "social work and placements"}
#: Chapter 2's readings of how often a child's social worker changes (see :mod:`swp_models.continuity`).
CONTINUITY_READINGS: tuple[str, ...] = ("poisson", "vacancy", "typed")
_READING_WORDS = {"poisson": "Poisson, no vacancies (chapter 2's headline)",
                  "vacancy": "vacancies covered from inside", "typed": "workers keep their type"}
#: The two models of what a practice's effort buys on the outcome indicators.
EFFORT_MODELS: tuple[str, ...] = ("contract", "outcome_model")
#: The most practice-years the one sample may hold (about 100 million child-years at 100 children a year).
MAX_SAMPLE_YEARS = 1_000_000
_PREFIX_YEARS = 20_000  # the grids' and outcome contracts' prefix of the sample, unless set


@dataclass(frozen=True)
class Simulation:
    """The one simulated sample of practice-years, and the prefixes of it each use takes.

    Parameters
    ----------
    n_years : int, default ``100_000``
        Practice-years in the sample (1,000 to :data:`MAX_SAMPLE_YEARS`).
    seed : int, default 2007
        Its seed (>= 0): the book's one seed.
    grid_years : int, optional
        Years behind the precomputed grids (design, trade-off, needs mix): the first ``grid_years``
        of the sample, never a fresh draw; 1,000 to ``n_years``, default 20,000 (or ``n_years`` if fewer).
    outcome_years : int, optional
        Years behind the outcome contracts (each child's outcome draws are memory-hungry): the first
        ``outcome_years`` of the sample; 1,000 to ``n_years``, default as ``grid_years``.
    sensitivity_years : int, default 512
        Years behind each setting of the sensitivity run (chapter 5's sensitivity section), which draws children afresh for
        every setting of the cost assumptions it varies, from the same ``seed``; 100 to ``n_years``.
    """

    n_years: int = 100_000
    seed: int = 2007
    grid_years: int | None = None
    outcome_years: int | None = None
    sensitivity_years: int = 512

    def __post_init__(self) -> None:
        n = check_integer("n_years", self.n_years, low=1_000, high=MAX_SAMPLE_YEARS)
        object.__setattr__(self, "n_years", n)
        object.__setattr__(self, "seed", check_integer("seed", self.seed, low=0, high=2**32 - 1))
        for name in ("grid_years", "outcome_years"):
            v = getattr(self, name)
            v = min(_PREFIX_YEARS, n) if v is None else check_integer(name, v, low=1_000, high=n)
            object.__setattr__(self, name, v)
        object.__setattr__(self, "sensitivity_years",
                           check_integer("sensitivity_years", self.sensitivity_years, low=100, high=n))


# Fields of the scenario read from an assumption table when not given, with the assumption's name.
_FROM_DATA: dict[str, str] = {
    "term_years": "contract_term_years",
    "reserve_months": "reserve_months",
    "risk_tolerance": "risk_tolerance",
    "effort_cost": "effort_cost",
    "failure_cost": "failure_cost",
    "margin": "contract_margin",
    "icc": "icc",
}


@dataclass(frozen=True)
class Scenario:
    """Every setting a priced result depends on (build with :meth:`central`; change with :meth:`replace`).

    Parameters
    ----------
    label : str
        A short name shown with every result that is not the central scenario's.
    scope : str
        ``"social_work"`` (the council keeps the placement budget) or ``"placements"``.
    margin : float
        Expected margin over the children's expected cost that a contract pays, a share in [0, 0.5]:
        a contract's value is ``E[C] (1 + margin)``.
    price_year : str
        The price base of every £ (the cost data's year, cash).
    term_years : int
        Years of a contract term over which reserves carry forward, 1 to 10.
    reserve_months : float
        The practice's reserves, in months of its own running cost, 0 to 120.
    shock_cv : float
        Coefficient of variation of the shared yearly cost shock, [0, 1] (0: none).
    effort_model : str
        ``"contract"`` (chapter 5's outcome probability, which effort raises directly) or
        ``"outcome_model"`` (chapter 6's model of caseloads, placements and attainment).
    icc : float
        Intra-practice correlation of a yes/no outcome, [0, 1): the clustering of chapters 8 and 9.
    continuity_reading : str
        Chapter 2's reading of how often workers change, one of :data:`CONTINUITY_READINGS`.
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ > 0 (``inf``: risk neutral).
    effort_cost : float
        Cost-of-effort coefficient ``k`` >= 1.
    failure_cost : float
        The council's one-off cost when a practice fails, £ >= 0.
    overrides : tuple of (str, float)
        Any other assumption, by name, set to a value (see :meth:`value`).
    simulation : Simulation
        The one sample's size and seed.
    """

    term_years: int
    reserve_months: float
    risk_tolerance: float
    effort_cost: float
    failure_cost: float
    margin: float
    icc: float
    label: str = "central"
    scope: str = "social_work"
    price_year: str = PRICE_YEAR
    shock_cv: float = 0.0
    effort_model: str = "contract"
    continuity_reading: str = "poisson"
    overrides: tuple[tuple[str, float], ...] = ()
    simulation: Simulation = field(default_factory=Simulation)

    def __post_init__(self) -> None:
        s = object.__setattr__
        check_text("label", self.label)
        check_one_of("scope", self.scope, tuple(SCOPE_NAMES))
        check_text("price_year", self.price_year)
        s(self, "margin", check_in_range("margin", self.margin, 0.0, 0.5))
        s(self, "term_years", check_integer("term_years", self.term_years, low=1, high=10))
        s(self, "reserve_months", check_in_range("reserve_months", self.reserve_months, 0.0, 120.0))
        s(self, "shock_cv", check_in_range("shock_cv", self.shock_cv, 0.0, 1.0))
        check_one_of("effort_model", self.effort_model, EFFORT_MODELS)
        s(self, "icc", check_in_range("icc", self.icc, 0.0, 1.0, high_open=True))
        check_one_of("continuity_reading", self.continuity_reading, CONTINUITY_READINGS)
        inf = isinstance(self.risk_tolerance, float) and self.risk_tolerance == float("inf")
        s(self, "risk_tolerance", float("inf") if inf else check_positive("risk_tolerance", self.risk_tolerance))
        s(self, "effort_cost", check_in_range("effort_cost", self.effort_cost, 1.0, 1e6))
        s(self, "failure_cost", check_in_range("failure_cost", self.failure_cost, 0.0, 1e9))
        if not isinstance(self.simulation, Simulation):
            raise TypeError(f"simulation must be a Simulation; got {type(self.simulation).__name__}")
        try:
            over = dict(self.overrides) if isinstance(self.overrides, (tuple, list, dict)) else None
        except (TypeError, ValueError):
            over = None
        if over is None:
            raise TypeError(f"overrides must be pairs of (assumption name, value); got {self.overrides!r:.80}")
        known = set(assumptions.names())
        for name, v in over.items():
            if name not in known:
                raise ValueError(f"overrides names {name!r}, which is not an assumption in data/")
            if name in _FROM_DATA.values():
                field_name = next(k for k, a in _FROM_DATA.items() if a == name)
                raise ValueError(f"overrides names {name!r}: set the scenario's field {field_name!r} instead")
            check_in_range(name, v, -1e12, 1e12)
        s(self, "overrides", tuple(sorted((str(k), float(v)) for k, v in over.items())))

    # -- building ----------------------------------------------------------------------

    @classmethod
    def central(cls, data_dir: str | Path | None = None, **changes: Any) -> "Scenario":
        """The book's central scenario, every default read from ``data/`` (then ``changes`` applied).

        The central scope is social work only: the scope chapter 5 finds a first practice can carry
        (its costs hardly vary; with placements in scope a block contract fails in most terms), and
        the scope of four of the five pilots. Contracts are priced at the children's expected cost
        with no shared shock, as chapter 5 prices them.
        """
        values = {f: assumptions.value(a, data_dir=data_dir) for f, a in _FROM_DATA.items()}
        values["term_years"] = int(values["term_years"])
        return cls(**values).replace(**changes) if changes else cls(**values)

    @classmethod
    def given(cls, scn: object) -> "Scenario":
        """``scn`` checked to be a scenario, or the central one when it is ``None``: how a function's optional
        ``scn`` argument is read."""
        if scn is None:
            return cls.central()
        if not isinstance(scn, cls):
            raise TypeError(f"scn must be a Scenario (swp_models.scenario.Scenario.central()); got "
                            f"{type(scn).__name__} {scn!r:.80}")
        return scn

    def replace(self, **changes: Any) -> "Scenario":
        """A new scenario with ``changes``: any field, or any assumption by name (held in ``overrides``).

        ``replace(scope="placements")``, ``replace(term_years=4, label="2008 schedule")``,
        ``replace(outcome_bonus=2000)``; ``n_years`` and ``seed`` change the simulation.
        """
        names = {f.name for f in dataclasses.fields(self)}
        fields = {k: v for k, v in changes.items() if k in names}
        sim = {k: v for k, v in changes.items() if k in {f.name for f in dataclasses.fields(Simulation)}}
        rest = {k: v for k, v in changes.items() if k not in names and k not in sim}
        if sim:
            base = fields.get("simulation", self.simulation)
            if "n_years" in sim:  # prefixes left at their default follow the new size
                for name in ("grid_years", "outcome_years"):
                    if name not in sim and getattr(base, name) == min(_PREFIX_YEARS, base.n_years):
                        sim[name] = None
            fields["simulation"] = dataclasses.replace(base, **sim)
        if rest:
            over = dict(fields.get("overrides", self.overrides))
            over.update(rest)
            fields["overrides"] = tuple(over.items())
        return dataclasses.replace(self, **fields)

    # -- reading -----------------------------------------------------------------------

    def value(self, name: str) -> float:
        """Any assumption's value in this scenario: an override, a field read from data, or the table's value."""
        for k, v in self.overrides:
            if k == name:
                return v
        for f, a in _FROM_DATA.items():
            if a == name:
                return float(getattr(self, f))
        return assumptions.value(name)

    def differences(self) -> tuple[str, ...]:
        """The settings that differ from the central scenario's, as ``"name value"`` (the label and scope aside:
        pages show both scopes side by side, and every result names its scope)."""
        base = Scenario.central()
        out = []
        for f in dataclasses.fields(self):
            if f.name in ("label", "scope"):
                continue
            mine, theirs = getattr(self, f.name), getattr(base, f.name)
            if mine != theirs:
                out.append(f"{f.name} {mine}" if f.name != "overrides" else
                           ", ".join(f"{k} {v:g}" for k, v in mine if (k, v) not in theirs))
        return tuple(out)

    @property
    def is_central(self) -> bool:
        """Whether every setting but the scope is the central scenario's (see :meth:`differences`)."""
        return not self.differences()

    @property
    def name(self) -> str:
        """The scenario's label, or, for a changed scenario still labelled "central", what differs."""
        if self.label != "central" or self.is_central:
            return self.label
        return "; ".join(self.differences())

    @property
    def scope_name(self) -> str:
        """The scope in words."""
        return SCOPE_NAMES[self.scope]

    def key(self) -> tuple:
        """A hashable key of every setting and of the data tables' state: the engine's cache key."""
        fields = tuple((f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "label")
        return (self.label, fields, assumptions.fingerprint())

    def settings(self, both_scopes: bool = False) -> pd.DataFrame:
        """Every setting, one row each: ``setting``, ``value`` and ``source`` (the assumption behind it, if any).

        With ``both_scopes`` the scope row says that a page shows both scopes side by side.
        """
        scope = (f"both, side by side (central: {self.scope_name})" if check_flag("both_scopes", both_scopes)
                 else self.scope_name)
        rows = [("scope", scope, "chapter 5"),
                ("price base", f"£, {self.price_year} (cash); contract value = expected cost"
                 + (f" + {100 * self.margin:g}%" if self.margin else ""), "assumption contract_margin"),
                ("contract term", f"{self.term_years} years", "assumption contract_term_years"),
                ("reserves", f"{self.reserve_months:g} months of the practice's running cost", "assumption reserve_months"),
                ("shared yearly cost shock", "none" if self.shock_cv == 0 else f"cv {100 * self.shock_cv:g}%",
                 "chapter 3 (assumption shared_shock_cv when on)"),
                ("risk tolerance", _gbp(self.risk_tolerance), "assumption risk_tolerance"),
                ("effort cost k", f"{self.effort_cost:g}", "assumption effort_cost"),
                ("cost of a failure", _gbp(self.failure_cost), "assumption failure_cost"),
                ("effort model", {"contract": "chapter 5's", "outcome_model": "chapter 6's"}[self.effort_model], ""),
                ("clustering within a practice (correlation)", f"{self.icc:g}", "assumption icc"),
                ("continuity reading", _READING_WORDS[self.continuity_reading], "chapter 2"),
                ("simulated practice-years", f"{self.simulation.n_years:,} (seed {self.simulation.seed})", "")]
        rows += [(name, f"{v:g}", "changed from data/") for name, v in self.overrides]
        return pd.DataFrame(rows, columns=["setting", "value", "source"])

    def card(self, rows: tuple[str, ...] | None = None, *, both_scopes: bool = False) -> Table:
        """The short scenario box a chapter shows at its top: the settings it uses (``rows``; default all).

        ``both_scopes``: the page prices both scopes side by side (see :meth:`settings`).
        """
        frame = self.settings(both_scopes)
        if rows is not None:
            unknown = sorted(set(rows) - set(frame["setting"]))
            if unknown:
                raise ValueError(f"rows must be among {list(frame['setting'])}; got {unknown}")
            frame = frame[frame["setting"].isin(rows)].reset_index(drop=True)
        caption = "Scenario: " + ("the book's central settings" if self.label == "central" else self.label)
        return Table(frame.rename(columns=str.capitalize), caption, css_class="swp-table swp-scenario",
                     notes="Every £ in the chapter is at " + self.price_year + " prices (cash). Change a setting "
                           "with Scenario.central().replace(...); see the scenario and the pricing engine.")


def _gbp(x: float) -> str:
    return "unlimited" if x == float("inf") else f"£{x:,.0f}"


def central(**changes: Any) -> Scenario:
    """:meth:`Scenario.central` (with ``changes``)."""
    return Scenario.central(**changes)
