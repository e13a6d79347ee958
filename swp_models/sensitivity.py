"""Which contract wins where, and what matters most: sensitivity of chapters 3-5.

Two kinds of question about the book's results.

**Which contract wins where** (:func:`winner_map`, :func:`break_even_cut`). Over a grid of
the practice's risk tolerance ``1/r`` and effort cost ``k`` (and the contract's scope), the
cost share that minimises the council's cost, ``s* = 1 / (1 + r k Var(C) / m)``, beside the
share found by simulation, and the cheapest of the chapter's contracts; and the break-even
cost cut: how far a practice bearing all of its cost must cut it before cost sharing costs
the council less than full reimbursement.

**What matters most** (:func:`one_at_a_time`, :func:`sobol_indices`). Every labelled
assumption with a range (``low`` and ``high`` in its row of ``data/assumptions_*.csv``,
read by :func:`ranged_assumptions`) is moved over that range, one at a time (a tornado
chart) and all together (Sobol indices by Saltelli sampling, SALib). The functions are
generic: they take any vectorised model ``evaluate(X) -> Y`` over the assumptions' ranges.
:class:`ChapterModel` is the book's: it turns a setting of the assumptions into the
council's expected total cost, the practice's chance of a loss and of failure, and the
cheapest contract, by pricing the chapter's contracts (:mod:`swp_models.contracts`,
:mod:`swp_models.liability`) on simulated practice-years with common random numbers.

The model's own simulation noise is small beside the ranges: the same seed gives the same
practice-years for every setting of the contract assumptions, so their effects are exact
differences; settings of the cost assumptions redraw the children from the same seed.
"""

from __future__ import annotations

from pathlib import Path

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from .assumptions import cached
from . import commissioning, costs, data, practice
from . import contracts, engine, liability
from .scenario import Scenario
from .validation import (
    check_finite,
    check_flag,
    check_in_range,
    check_instance,
    check_integer,
    check_one_of,
    check_positive,
    check_sequence,
    check_size,
    check_text,
    check_work,
)

__all__ = [
    "SENSITIVITY_TABLES",
    "Assumption",
    "ranged_assumptions",
    "one_at_a_time",
    "SobolResult",
    "sobol_indices",
    "output_intervals",
    "ChapterModel",
    "OUTPUTS",
    "OUTPUT_LABELS",
    "GROUPS",
    "chapter_assumptions",
    "chapter_model",
    "winner_map",
    "break_even_cut",
    "MAP_TOLERANCES",
    "MAP_EFFORT_COSTS",
    "SOBOL_BASE",
    "SCENARIO_BASELINE",
    "sobol_settings",
]

#: The assumption tables behind chapters 3-5.
SENSITIVITY_TABLES: tuple[str, ...] = ("assumptions_costs", "assumptions_contracts", "assumptions_practice")
#: Base sample of the variance-based (Sobol) run, a power of two.
SOBOL_BASE = 32
_MAX_ROWS = 20_000  # largest number of settings evaluated in one call
_MAX_BASE = 4_096
_MAX_ITEMS = 1_000  # most assumptions, outputs or tables one call takes
_MAX_YEARS = 100_000  # most practice-years one model or map simulates
_MAX_CELLS = 400  # most cells (tolerances x effort costs) of one winner map


@dataclass(frozen=True)
class Assumption:
    """One labelled assumption with its range.

    Attributes
    ----------
    table : str
        The data table it comes from (``data/<table>.csv``).
    parameter : str
        Its name in that table.
    value, low, high : float
        The default and the plausible range, in ``unit``; ``low <= value <= high``, ``low < high``.
    unit : str
    description : str
    """

    table: str
    parameter: str
    value: float
    low: float
    high: float
    unit: str
    description: str

    def __post_init__(self) -> None:
        check_text("table", self.table)
        check_text("parameter", self.parameter)
        check_text("unit", self.unit, allow_empty=True)
        check_text("description", self.description, allow_empty=True)
        for name in ("value", "low", "high"):
            object.__setattr__(self, name, check_finite(name, getattr(self, name)))
        if not self.low < self.high:
            raise ValueError(f"high must be above low for {self.parameter!r}; got low {self.low!r}, high {self.high!r}")
        check_in_range("value", self.value, self.low, self.high)


def ranged_assumptions(tables: Sequence[str] = SENSITIVITY_TABLES, *, data_dir: str | Path | None = None) -> tuple[Assumption, ...]:
    """Every row with status ``assumption`` and a range (``low`` and ``high``) in ``tables``.

    Parameters
    ----------
    tables : sequence of str
        Names of data tables with a ``parameter`` column; at least one.

    Returns
    -------
    tuple of Assumption
        In table order, then row order. Rows without a range are left out (they are not
        varied); a row whose range does not enclose its value, or is empty, raises.
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    names = check_sequence("tables", tables, max_len=_MAX_ITEMS)
    known = data.names(data_dir=data_dir)
    out = []
    for name in names:
        check_one_of("tables", check_text("tables", name), known)
        frame = data.load(name, data_dir=data_dir)
        if "parameter" not in frame.columns:
            raise ValueError(f"tables: {name!r} has no parameter column")
        rows = frame[(frame["status"] == "assumption") & frame["low"].notna() & frame["high"].notna()]
        for rec in rows.to_dict("records"):
            if not rec["low"] < rec["high"]:
                raise ValueError(f"{name}.{rec['parameter']}: low must be below high; got {rec['low']!r}, {rec['high']!r}")
            out.append(Assumption(name, rec["parameter"], float(rec["value"]), float(rec["low"]), float(rec["high"]),
                                  rec["unit"], rec["description"]))
    return tuple(out)


def _check_assumptions(assumptions: Sequence[Assumption]) -> tuple[Assumption, ...]:
    items = tuple(check_sequence("assumptions", assumptions, max_len=_MAX_ITEMS))
    for a in items:
        check_instance("assumptions", a, Assumption, "sequence of Assumption")
    names = [a.parameter for a in items]
    if len(set(names)) != len(names):
        raise ValueError(f"assumptions must not repeat a parameter; got {names}")
    return items


def _check_outputs(outputs: Sequence[str]) -> list[str]:
    return [check_text("outputs", o) for o in check_sequence("outputs", outputs, max_len=_MAX_ITEMS)]


def _check_evaluate(evaluate: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    if not callable(evaluate):
        raise TypeError(f"evaluate must be a callable evaluate(X) -> Y; got {type(evaluate).__name__} {evaluate!r:.80}")
    return evaluate


def _evaluate(evaluate: Callable[[np.ndarray], np.ndarray], x: np.ndarray, n_outputs: int | None) -> np.ndarray:
    y = np.asarray(evaluate(x), dtype=float)
    if y.ndim != 2 or y.shape[0] != x.shape[0] or (n_outputs is not None and y.shape[1] != n_outputs):
        raise ValueError(f"evaluate must return one row of outputs per setting, shape ({x.shape[0]}, outputs); "
                         f"got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("evaluate returned a NaN or infinite output")
    return y


def one_at_a_time(
    evaluate: Callable[[np.ndarray], np.ndarray],
    assumptions: Sequence[Assumption],
    outputs: Sequence[str],
) -> pd.DataFrame:
    """Move each assumption to its low and its high end, the others at their values.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(X)`` with ``X`` of shape ``(n, len(assumptions))`` (columns in the order of
        ``assumptions``) returns outputs of shape ``(n, len(outputs))``.
    assumptions : sequence of Assumption
    outputs : sequence of str
        Names of the outputs.

    Returns
    -------
    pandas.DataFrame
        One row per output and assumption: ``output``, ``parameter``, ``base`` (all at their
        values), ``at_low``, ``at_high``, ``swing`` (``|at_high - at_low|``) and ``rank``
        (1 = the largest swing for that output; ties share the lower rank).
    """
    _check_evaluate(evaluate)
    items = _check_assumptions(assumptions)
    names = _check_outputs(outputs)
    base = np.array([a.value for a in items])
    x = np.tile(base, (2 * len(items) + 1, 1))
    for i, a in enumerate(items):
        x[1 + 2 * i, i] = a.low
        x[2 + 2 * i, i] = a.high
    y = _evaluate(evaluate, x, len(names))
    rows = []
    for j, out in enumerate(names):
        for i, a in enumerate(items):
            lo, hi = y[1 + 2 * i, j], y[2 + 2 * i, j]
            rows.append({"output": out, "parameter": a.parameter, "base": y[0, j], "at_low": lo, "at_high": hi,
                         "swing": abs(hi - lo)})
    frame = pd.DataFrame(rows)
    frame["rank"] = frame.groupby("output")["swing"].rank(method="min", ascending=False).astype(int)
    return frame


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices over the assumptions' ranges, and the settings behind them.

    Attributes
    ----------
    indices : pandas.DataFrame
        One row per output and group: ``output``, ``group``, ``first`` (first-order index
        ``S1``), ``first_conf``, ``total`` (total index ``ST``), ``total_conf`` (half-widths
        of 95% bootstrap intervals) and ``rank`` (1 = the largest total index for that output).
        An output that does not vary over the settings has every index 0.
    settings : numpy.ndarray
        The settings evaluated, shape ``(n_base (groups + 2), assumptions)``.
    outputs : pandas.DataFrame
        The outputs at each setting, one column per output.
    """

    indices: pd.DataFrame
    settings: np.ndarray
    outputs: pd.DataFrame

    def __post_init__(self) -> None:
        check_instance("indices", self.indices, pd.DataFrame, "pandas DataFrame")
        check_instance("settings", self.settings, np.ndarray, "numpy array")
        check_instance("outputs", self.outputs, pd.DataFrame, "pandas DataFrame")
        if self.settings.ndim != 2 or len(self.settings) != len(self.outputs):
            raise ValueError(f"settings must be two-dimensional with one row per row of outputs; got shape "
                             f"{self.settings.shape} for {len(self.outputs)} rows of outputs")


def sobol_indices(
    evaluate: Callable[[np.ndarray], np.ndarray],
    assumptions: Sequence[Assumption],
    outputs: Sequence[str],
    *,
    groups: Mapping[str, str] | None = None,
    n_base: int = SOBOL_BASE,
    seed: int | None = None,
) -> SobolResult:
    """First-order and total Sobol indices, every assumption uniform over its range.

    Saltelli's design (scrambled Sobol sequence) and Jansen's estimators, as implemented in
    SALib (``SALib.sample.sobol``, ``SALib.analyze.sobol``), with groups of assumptions
    varied together when ``groups`` is given: ``n_base (groups + 2)`` evaluations.

    Parameters
    ----------
    evaluate : callable
        As for :func:`one_at_a_time`.
    assumptions : sequence of Assumption
    outputs : sequence of str
    groups : mapping, optional
        ``{parameter: group name}`` for every assumption; default one group per assumption.
    n_base : int
        Base samples, a power of two in [8, 4096].
    seed : int, optional
        Seeds the scrambled sequence and the bootstrap, >= 0 (default the book's one seed): the same seed gives the same
        indices.
    """
    from SALib.analyze import sobol as analyze

    _check_evaluate(evaluate)
    items = _check_assumptions(assumptions)
    names = _check_outputs(outputs)
    n = check_size("n_base", n_base, _MAX_BASE, low=8)
    if n & (n - 1):
        raise ValueError(f"n_base must be a power of two; got {n_base!r}")
    seed = check_integer("seed", Scenario.central().simulation.seed if seed is None else seed, low=0)
    params = [a.parameter for a in items]
    if groups is None:
        group_of = {p: p for p in params}
    else:
        if not isinstance(groups, Mapping) or set(groups) != set(params):
            raise ValueError(f"groups must map every assumption ({params}) to a group; got {groups!r:.200}")
        group_of = {p: check_text("groups", groups[p]) for p in params}
    order = list(dict.fromkeys(group_of[p] for p in params))
    if len(order) < 2:
        raise ValueError("groups must hold at least two groups")
    if n * (len(order) + 2) > _MAX_ROWS:
        raise ValueError(f"n_base must keep the settings to at most {_MAX_ROWS:,}; got {n} base samples "
                         f"x {len(order) + 2}")
    problem = {"num_vars": len(items), "names": params, "bounds": [[a.low, a.high] for a in items],
               "groups": [group_of[p] for p in params]}
    x = _saltelli(problem, n, seed)
    y = _evaluate(evaluate, x, len(names))
    rows = []
    for j, out in enumerate(names):
        col = y[:, j]
        if np.ptp(col) < 1e-12 * max(1.0, float(np.abs(col).max())):
            res = {"S1": np.zeros(len(order)), "S1_conf": np.zeros(len(order)), "ST": np.zeros(len(order)),
                   "ST_conf": np.zeros(len(order))}
        else:
            res = analyze.analyze(problem, col, calc_second_order=False, num_resamples=200, conf_level=0.95,
                                  print_to_console=False, seed=seed)
        for g, name in enumerate(order):
            rows.append({"output": out, "group": name, "first": float(res["S1"][g]),
                         "first_conf": float(res["S1_conf"][g]), "total": float(res["ST"][g]),
                         "total_conf": float(res["ST_conf"][g])})
    frame = pd.DataFrame(rows)
    frame["rank"] = frame.groupby("output")["total"].rank(method="first", ascending=False).astype(int)
    return SobolResult(frame, x, pd.DataFrame(y, columns=names))


def _saltelli(problem: dict, n: int, seed: int) -> np.ndarray:
    from SALib.sample import sobol as sample

    return sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)


def sobol_settings(n_base: int = SOBOL_BASE, seed: int | None = None) -> np.ndarray:
    """The settings of the book's Sobol run (:func:`sobol_indices` over :func:`chapter_assumptions`, grouped),
    without evaluating them: shape ``(n_base (groups + 2), assumptions)``, columns in the order of
    :func:`chapter_assumptions`.

    Parameters
    ----------
    n_base : int
        Base samples, a power of two in [8, 4096].
    seed : int, optional
        >= 0; default the book's one seed.
    """
    n = check_size("n_base", n_base, _MAX_BASE, low=8)
    if n & (n - 1):
        raise ValueError(f"n_base must be a power of two; got {n_base!r}")
    seed = check_integer("seed", Scenario.central().simulation.seed if seed is None else seed, low=0)
    items = chapter_assumptions()
    groups = chapter_groups()
    if n * (len(set(groups[a.parameter] for a in items)) + 2) > _MAX_ROWS:
        raise ValueError(f"n_base must keep the settings to at most {_MAX_ROWS:,}; got {n_base}")
    problem = {"num_vars": len(items), "names": [a.parameter for a in items],
               "bounds": [[a.low, a.high] for a in items], "groups": [groups[a.parameter] for a in items]}
    return _saltelli(problem, n, seed)


def output_intervals(result: SobolResult, coverage: float = 0.9) -> pd.DataFrame:
    """Central intervals of each output over the settings of a Sobol run (inputs uniform over their ranges).

    Parameters
    ----------
    result : SobolResult
    coverage : float
        Share of settings inside the interval, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per output: ``output``, ``low``, ``median``, ``high`` (the central
        ``coverage`` interval), ``minimum``, ``maximum``.
    """
    check_instance("result", result, SobolResult, "SobolResult")
    c = check_in_range("coverage", coverage, 0.0, 1.0, low_open=True, high_open=True)
    q = [(1 - c) / 2, 0.5, (1 + c) / 2]
    rows = []
    for name in result.outputs.columns:
        col = result.outputs[name].to_numpy()
        lo, mid, hi = np.quantile(col, q)
        rows.append({"output": name, "low": lo, "median": mid, "high": hi, "minimum": col.min(),
                     "maximum": col.max()})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# The book's model: chapters 3-5 as a function of their assumptions
# ---------------------------------------------------------------------------------------

#: Outputs of :class:`ChapterModel`, for each scope, and their names on the page.
_BASE_OUTPUTS: dict[str, str] = {
    "council_cost": "Council's total cost, cheapest contract (£ a year)",
    "cheapest": "Cheapest contract",
    "sharing_cheapest": "A cost-sharing contract is cheapest (1 = yes)",
    "p_loss_block": "Practice's chance of a loss in a year, block contract",
    "p_fail_block": "Practice's chance of failing in a year, block contract",
    "p_loss_cheapest": "Practice's chance of a loss in a year, cheapest contract",
    "p_fail_cheapest": "Practice's chance of failing in a year, cheapest contract",
    "optimal_share": "Cost share that minimises the council's cost",
    "council_total": "Council's whole cost of contracting out, everything counted (£ a year)",
    "cheapest_counted": "Cheapest contract, everything counted",
    "outcome_cost_block": "Outcome cost of service cuts, block contract (£ a year)",
    "upcoding_cost": "Council's cost of upcoding, capitation by needs group (£ a year)",
}
#: Every output the sensitivity analysis reports, as ``name:scope``.
OUTPUTS: tuple[str, ...] = tuple(f"{key}:{scope}" for scope in liability.SCOPES for key in _BASE_OUTPUTS)
#: What each output is called on the page.
OUTPUT_LABELS: dict[str, str] = {
    f"{key}:{scope}": f"{label} — {liability.SCOPE_LABELS[scope].lower()}"
    for scope in liability.SCOPES for key, label in _BASE_OUTPUTS.items()
}

#: Assumptions varied together in the Sobol analysis (the tornado chart moves each alone).
GROUPS: dict[str, str] = {
    "within_group_cv": "Spread of cost within a needs group",
    "additional_needs_share": "Needs mix",
    "complex_share": "Needs mix",
    "shared_shock_cv": "Shared yearly cost shock",
    "tail_share": "Exceptional-cost children",
    "tail_multiple": "Exceptional-cost children",
    "risk_tolerance": "Practice's risk tolerance",
    "effort_cost": "Practice's effort cost",
    "cost_share": "Terms of the illustrative contracts",
    "overspend_threshold": "Terms of the illustrative contracts",
    "reinsurance_threshold": "Terms of the illustrative contracts",
    "volume_band_margin": "Terms of the illustrative contracts",
    "outcome_bonus": "Outcome bonus and continuity",
    "outcome_base_probability": "Outcome bonus and continuity",
    "outcome_effort_gain": "Outcome bonus and continuity",
    "outcome_effort": "Outcome bonus and continuity",
    "admin_contract_management": "Administrative costs",
    "admin_cost_audit": "Administrative costs",
    "admin_needs_assessment": "Administrative costs",
    "admin_outcome_monitoring": "Administrative costs",
    "social_work_variable_cost": "Practice budget (chapter 4)",
    "reserve_months": "Practice's reserves",
    "contract_term_years": "Contract term and cost of a failure",
    "failure_cost": "Contract term and cost of a failure",
    "service_cut_share": "Service cuts and placement moves",
    "cut_per_placement_move": "Service cuts and placement moves",
    "placement_move_cost": "Service cuts and placement moves",
    "upcoding_share": "Upcoding under capitation by needs group",
    "commissioning_cost": "Council's side of contracting out",
    "double_running_months": "Council's side of contracting out",
    "stranded_overhead_share": "Council's side of contracting out",
    "pay_premium": "Pay, pensions and partners' share",
    "new_employer_pension_rate": "Pay, pensions and partners' share",
    "partner_surplus_share": "Pay, pensions and partners' share",
}
_PRACTICE_GROUP = "Practice budget (chapter 4)"
_COST_PARAMS = ("within_group_cv", "additional_needs_share", "complex_share", "tail_share", "tail_multiple",
                "shared_shock_cv")
_DESIGN_PARAMS = ("manager_fte", "support_fte", "pdo_fte", "students")
_PAY_PARAMS = ("scale_position", "admin_pay_ratio", "support_pay_ratio", "pay_premium", "new_employer_pension_rate")
_OVERHEAD_PARAMS = ("student_cost", "on_call_per_night", "legal_services", "direct_costs_per_fte",
                    "premises_it_per_fte", "fixed_overheads")
_PRACTICE_PARAMS = _DESIGN_PARAMS + _PAY_PARAMS + _OVERHEAD_PARAMS
#: Assumptions that change nothing the contracts are priced on: the outputs add them afterwards,
#: so settings that differ only in these reuse one pricing.
_AFTER_PRICING = ("service_cut_share", "cut_per_placement_move", "placement_move_cost", "upcoding_share",
                  "commissioning_cost", "double_running_months", "stranded_overhead_share", "partner_surplus_share")
_SHARING_FAMILY = "Cost and volume"
_COUNTS = ("students", "contract_term_years", "volume_band_margin")
#: The pay scenarios of chapter 4. Their logged values are the scenarios' and not the chapter's defaults, so
#: they are varied over their ranges about the chapter's own settings (no premium, no partners' share, the
#: councils' pension rate).
SCENARIO_BASELINE: tuple[str, ...] = ("pay_premium", "partner_surplus_share", "new_employer_pension_rate")


def _scenario_baseline(parameter: str) -> float:
    if parameter == "new_employer_pension_rate":
        return practice.salary_scale().pension_rate
    return 0.0


def chapter_assumptions() -> tuple[Assumption, ...]:
    """The ranged assumptions :class:`ChapterModel` reads: every one of chapters 3-5 that it uses.

    The pay scenarios of chapter 4 (:data:`SCENARIO_BASELINE`) keep their logged ranges but take
    the chapter's own setting as their value: no pay premium, no partners' share of surplus and
    the councils' average employer pension rate.
    """
    known = set(_COST_PARAMS) | set(_PRACTICE_PARAMS) | set(GROUPS)
    return tuple(replace(a, value=_scenario_baseline(a.parameter)) if a.parameter in SCENARIO_BASELINE else a
                 for a in ranged_assumptions() if a.parameter in known)


def _group_of(parameter: str) -> str:
    return GROUPS.get(parameter, _PRACTICE_GROUP)


@dataclass(frozen=True)
class _Priced:
    """One scope's contracts priced at one setting (everything the after-pricing assumptions need)."""

    contract_cost: np.ndarray  # council's cost per contract: effort, risk premium, admin, absorbed losses, failures
    effort: np.ndarray  # fraction of cost cut per contract
    upcoding_unit: np.ndarray  # council's extra spend per contract if every child were recorded one group higher
    p_fail_year: np.ndarray
    p_loss_cheapest: float
    p_loss_block: float
    optimal_share: float
    expected_cost: float  # E[C], £ a year
    expected_children: float
    council_overheads: float  # the council's wider overheads the practice's cost leaves out, £ a year (placements)


class ChapterModel:
    """Chapters 3-5 as a vectorised function of their assumptions.

    For one setting of the assumptions: the cost model (chapter 3: the prevalence needs mix,
    with the shared yearly cost shock at the setting's value) and the practice budget
    (chapter 4, with the setting's pay premium and pension rate) are rebuilt; ``n_years``
    practice-years are simulated from ``seed``; each scope's contracts (chapter 5,
    :func:`swp_models.contracts.default_contracts`) are priced with the practice's effort
    response (:func:`swp_models.contracts.effort_comparison`) and limited liability
    (:func:`swp_models.liability.failure_comparison`). The *cheapest contract* has the lowest
    council's expected total cost with effort, plus the losses the council absorbs beyond the
    practice's reserves and the expected cost of failures.

    *Everything counted* adds, per contract, the outcome cost of the service cuts its effort
    brings (:func:`swp_models.commissioning.service_cuts`) and the cost of upcoding
    (:func:`swp_models.commissioning.upcoding_cost`; capitation by needs group only), and
    picks the cheapest again; the council's whole cost then adds what contracting out costs
    the council whatever the contract (commissioning and paying twice during the build-up,
    both spread over the term, and overheads left stranded: the items of
    :data:`swp_models.commissioning.COUNCIL_ITEMS` other than managing the contract, which is
    in every contract's administration) and the partners' share of surplus, a share of the
    practice's running cost paid on top.

    With placements in scope the practice's staff cost per child inside chapter 3's costs is
    the default practice's (as :func:`swp_models.liability.default_scope`), so a dearer
    practice (higher pay, a pay premium, a higher pension rate) raises the practice's cost.

    Parameters
    ----------
    assumptions : sequence of Assumption
        The columns of every ``X`` passed to the model, in order; each a parameter this
        model reads (see :func:`chapter_assumptions`). Parameters left out keep their values.
    n_years : int, optional
        Practice-years per setting, in [100, 100,000] (at least five per contract term); default the
        scenario's ``sensitivity_years``.
    seed : int, optional
        >= 0; default the book's one seed.

    Notes
    -----
    Counts (``students``, ``contract_term_years``, ``volume_band_margin``) are taken to the
    nearest whole number. The threshold contracts are balanced on each setting's years, as in
    the chapter.
    Outputs are those named in ``OUTPUTS``; ``cheapest`` and ``cheapest_counted`` are the
    index of the contract in ``contract_names`` (and ``sharing`` says which of those share cost).
    """

    def __init__(self, assumptions: Sequence[Assumption], n_years: int | None = None,
                 seed: int | None = None) -> None:
        items = _check_assumptions(assumptions)
        sim = Scenario.central().simulation
        self.n_years = _check_years(sim.sensitivity_years if n_years is None else n_years)
        self.seed = check_integer("seed", sim.seed if seed is None else seed, low=0)
        allowed = set(_COST_PARAMS) | set(_PRACTICE_PARAMS) | set(GROUPS)
        unknown = [a.parameter for a in items if a.parameter not in allowed]
        if unknown:
            raise ValueError(f"assumptions must be among those the chapters read; got {unknown}")
        self.assumptions = items
        self._defaults = {a.parameter: a.value for a in chapter_assumptions()}
        for name in (allowed | set(contracts.CONTRACT_TERMS)) - set(self._defaults):
            self._defaults[name] = _default_value(name)
        self._pricing_params = tuple(sorted(set(self._defaults) - set(_AFTER_PRICING)))
        default = liability.default_scope("placements")
        self._staff_per_child, self._overhead_share = default.staff_per_child, default.overhead_share
        self._children = lru_cache(maxsize=8)(self._simulate)
        self._budget = lru_cache(maxsize=64)(self._practice_budget)
        self._priced = lru_cache(maxsize=64)(self._price)
        deals = contracts.default_contracts(costs.default_cost_model(), **self._terms(self._defaults))
        self.contract_names: tuple[str, ...] = tuple(deals)
        self.sharing: tuple[bool, ...] = tuple(_is_sharing(c) for c in deals.values())
        self._block = self.contract_names.index("Block")

    @property
    def outputs(self) -> tuple[str, ...]:
        """Names of the output columns."""
        return OUTPUTS

    def setting(self, row: np.ndarray) -> dict[str, float]:
        """Every parameter's value in one row of ``X``."""
        values = dict(self._defaults)
        values.update({a.parameter: float(v) for a, v in zip(self.assumptions, row)})
        return values

    @property
    def simulations(self) -> int:
        """Sets of practice-years simulated so far (one per new setting of the cost assumptions)."""
        return self._children.cache_info().misses

    @property
    def pricings(self) -> int:
        """Settings priced so far (settings that differ only after pricing share one)."""
        return self._priced.cache_info().misses

    def children(self, values: Mapping[str, float]) -> contracts.PracticeYears:
        """The simulated practice-years behind one full setting (``{parameter: value}``), no scope applied."""
        return self._children(tuple(float(values[p]) for p in _COST_PARAMS))

    def _simulate(self, key: tuple[float, ...]) -> contracts.PracticeYears:
        cv, additional, complex_, tail, multiple, shock = key
        model = costs.default_cost_model(cv=cv, tail_share=tail, tail_multiple=multiple, additional_share=additional,
                                         complex_share=complex_, shock_cv=shock)
        return contracts.simulate_practice_years(model, costs.default_caseload(), self.n_years, self.seed)

    @staticmethod
    def _practice_budget(key: tuple[float, ...]) -> tuple[float, float]:
        """The practice's running cost and the overheads the census leaves out, £ a year."""
        v = dict(zip(_PRACTICE_PARAMS, key))
        design = practice.PracticeDesign(manager_fte=v["manager_fte"], support_fte=v["support_fte"],
                                         pdo_fte=v["pdo_fte"], students=int(round(v["students"])))
        pay = practice.salary_scale(v["scale_position"], 1.0 + v["pay_premium"], admin_pay_ratio=v["admin_pay_ratio"],
                                    support_pay_ratio=v["support_pay_ratio"],
                                    pension_rate=v["new_employer_pension_rate"])
        over = practice.Overheads(**{k: v[k] for k in _OVERHEAD_PARAMS})
        s = practice.summary(design, pay, over)
        return s["running_cost"], s["out_of_scope"] * design.caseload

    @staticmethod
    def _terms(v: Mapping[str, float]) -> dict[str, float]:
        terms = {t: v[t] for t in contracts.CONTRACT_TERMS}
        terms.update({t: float(round(terms[t])) for t in _COUNTS if t in terms})
        return terms

    def _price(self, key: tuple[float, ...]) -> dict[str, _Priced]:
        values = dict(zip(self._pricing_params, key))
        years = self.children(values)
        running, _ = self._budget(tuple(values[p] for p in _PRACTICE_PARAMS))
        tol = check_positive("risk_tolerance", values["risk_tolerance"])
        k = values["effort_cost"]
        term = int(round(values["contract_term_years"]))
        reserves = liability.reserves_from_months(values["reserve_months"], running)
        out = {}
        for name in liability.SCOPES:
            scope = liability.Scope(name, fixed_cost=running, staff_per_child=self._staff_per_child,
                                    variable_per_child=values["social_work_variable_cost"],
                                    overhead_share=self._overhead_share)
            scoped = scope.apply(years)
            deals = contracts.default_contracts(years.cost_model, scope=scope, years=scoped, **self._terms(values))
            effort = contracts.effort_comparison(deals, scoped, tol, k)
            # As liability.failure_comparison's p_fail_year, absorbed_term and failure_cost (the tests check
            # they agree), without the risk premiums and reserve quantiles it also computes.
            surplus = [c.surplus(scoped) for c in deals.values()]
            single = [liability.limited_liability(x, reserves) for x in surplus]
            spans = [liability.term_failure(x, reserves, term) for x in surplus]
            total = (effort["council_cost_effort"].to_numpy() + np.array([t.absorbed_per_year for t in spans])
                     + values["failure_cost"] * np.array([t.p_fail_year for t in spans]))
            best = int(np.argmin(total))
            totals = scoped.totals
            out[name] = _Priced(
                contract_cost=total, effort=effort["effort"].to_numpy(),
                upcoding_unit=np.array([commissioning.upcoding_cost(c, scoped, 1.0) for c in deals.values()]),
                p_fail_year=np.array([x.p_fail for x in single]),
                p_loss_cheapest=float(np.mean(surplus[best] < 0)),
                p_loss_block=float(np.mean(totals > scoped.expected_total)),
                optimal_share=contracts.optimal_share(float(totals.mean()), float(totals.var()), tol, k),
                expected_cost=float(effort["expected_cost_fixed"].iloc[0]), expected_children=scoped.expected_count,
                council_overheads=scope.overhead_share * float(years.totals.mean()) if name == "placements" else 0.0,
            )
        return out

    def council_side(self, values: Mapping[str, float]) -> float:
        """What contracting out costs the council whatever the contract, £ a year, at one full setting.

        Commissioning and paying twice during the build-up, spread over the contract term;
        overheads left stranded (a share of an overhead equal to the practice's own overheads
        that the census leaves out); and the partners' share of surplus (a share of the
        practice's running cost). See :func:`swp_models.commissioning.council_side`.
        """
        running, overheads = self._budget(tuple(values[p] for p in _PRACTICE_PARAMS))
        term = float(round(values["contract_term_years"]))
        return (values["commissioning_cost"] / term + values["double_running_months"] / 12.0 * running / term
                + values["stranded_overhead_share"] * overheads + values["partner_surplus_share"] * running)

    def budget(self, values: Mapping[str, float]) -> tuple[float, float]:
        """The practice's running cost and the overheads the census leaves out, £ a year, at one full setting."""
        return self._budget(tuple(float(values[p]) for p in _PRACTICE_PARAMS))

    def council_overheads(self, values: Mapping[str, float]) -> float:
        """The council's wider overheads inside the children's research-basis cost, which the practice's cost
        leaves out with placements in scope and the council keeps paying, £ a year, at one full setting
        (the share of the mean research-basis cost of the setting's simulated children, the sample its contracts
        are priced on, so the placements the in-house options pay are the same with or without the share)."""
        return self._priced(tuple(values[p] for p in self._pricing_params))["placements"].council_overheads

    def expected_costs(self, values: Mapping[str, float]) -> dict[str, float]:
        """The children's expected cost to the practice under each scope, £ a year, at one full setting."""
        priced = self._priced(tuple(values[p] for p in self._pricing_params))
        return {name: priced[name].expected_cost for name in liability.SCOPES}

    def evaluate_one(self, values: Mapping[str, float]) -> dict[str, float]:
        """The outputs for one full setting (``{parameter: value}`` for every parameter)."""
        priced = self._priced(tuple(values[p] for p in self._pricing_params))
        side = self.council_side(values)
        out: dict[str, float] = {}
        for name in liability.SCOPES:
            p = priced[name]
            cuts = commissioning.service_cuts(p.effort, p.expected_cost, p.expected_children,
                                              cut_share=values["service_cut_share"],
                                              cut_per_move=values["cut_per_placement_move"],
                                              move_cost=values["placement_move_cost"])
            upcoding = values["upcoding_share"] * p.upcoding_unit
            counted = p.contract_cost + cuts["outcome_cost"] + upcoding
            best = int(np.argmin(p.contract_cost))
            best_counted = int(np.argmin(counted))
            out.update({
                f"council_cost:{name}": float(p.contract_cost[best]),
                f"cheapest:{name}": float(best),
                f"sharing_cheapest:{name}": float(self.sharing[best]),
                f"p_loss_block:{name}": p.p_loss_block,
                f"p_fail_block:{name}": float(p.p_fail_year[self._block]),
                f"p_loss_cheapest:{name}": p.p_loss_cheapest,
                f"p_fail_cheapest:{name}": float(p.p_fail_year[best]),
                f"optimal_share:{name}": p.optimal_share,
                f"council_total:{name}": float(counted[best_counted]) + side + p.council_overheads,
                f"cheapest_counted:{name}": float(best_counted),
                f"outcome_cost_block:{name}": float(cuts["outcome_cost"][self._block]),
                f"upcoding_cost:{name}": float(upcoding.max()),
            })
        return out

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Outputs for each row of ``x`` (shape ``(n, len(assumptions))``), shape ``(n, len(OUTPUTS))``."""
        arr = np.asarray(x, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != len(self.assumptions):
            raise ValueError(f"x must have shape (settings, {len(self.assumptions)}); got {arr.shape}")
        if not 1 <= arr.shape[0] <= _MAX_ROWS:
            raise ValueError(f"x must hold 1 to {_MAX_ROWS:,} settings; got {arr.shape[0]}")
        if not np.isfinite(arr).all():
            raise ValueError("x must be finite")
        rows = [self.evaluate_one(self.setting(row)) for row in arr]
        return np.array([[row[o] for o in OUTPUTS] for row in rows])


def _scenario(seed: int | None) -> Scenario:
    """The central scenario, with another seed of the one sample when ``seed`` is given."""
    scn = Scenario.central()
    return scn if seed is None else scn.replace(seed=check_integer("seed", seed, low=0))


def _check_years(n_years: int, high: int = _MAX_YEARS) -> int:
    """Practice-years to simulate, bounded before any work (years × the most children a year holds)."""
    n = check_size("n_years", n_years, high, low=100)
    load = costs.default_caseload()
    check_work(n * (load.mean + load.margin), "n_years × children")
    return n


def _is_sharing(contract: contracts.Contract) -> bool:
    return contracts.contract_family(contract) == _SHARING_FAMILY or isinstance(contract, contracts.MixedOutcome)


def _default_value(name: str) -> float:
    if name in SCENARIO_BASELINE:
        return _scenario_baseline(name)
    if name in _PRACTICE_PARAMS:
        return practice.assumption(name)
    if name in _COST_PARAMS:
        return costs.assumption(name)
    return contracts.assumption(name)


def chapter_model(n_years: int | None = None, seed: int | None = None) -> ChapterModel:
    """The book's :class:`ChapterModel` over every ranged assumption of chapters 3-5 (cached).

    Parameters
    ----------
    n_years : int, optional
        Practice-years per setting, in [100, 100,000]; default the scenario's ``sensitivity_years``.
    seed : int, optional
        >= 0; default the book's one seed (:class:`swp_models.scenario.Simulation`).
    """
    sim = Scenario.central().simulation
    return _chapter_model(_check_years(sim.sensitivity_years if n_years is None else n_years),
                          check_integer("seed", sim.seed if seed is None else seed, low=0))


@cached(maxsize=2)
def _chapter_model(n_years: int, seed: int) -> ChapterModel:
    return ChapterModel(chapter_assumptions(), n_years, seed)


def chapter_groups() -> dict[str, str]:
    """Sobol group of each assumption of :func:`chapter_assumptions`."""
    return {a.parameter: _group_of(a.parameter) for a in chapter_assumptions()}


__all__.append("chapter_groups")


# ---------------------------------------------------------------------------------------
# Which contract wins where
# ---------------------------------------------------------------------------------------

#: Risk tolerances 1/r (£) of the winner map's grid.
MAP_TOLERANCES: tuple[float, ...] = (125_000.0, 175_000.0, 250_000.0, 350_000.0, 500_000.0, 700_000.0,
                                     1_000_000.0)
#: Effort costs k of the winner map's grid.
MAP_EFFORT_COSTS: tuple[float, ...] = (5.0, 7.5, 10.0, 15.0, 20.0, 30.0)
#: Simulated practice-years behind each cell of the winner map.
MAP_YEARS = 2_000
__all__.append("MAP_YEARS")


def winner_map(
    tolerances: Sequence[float] = MAP_TOLERANCES,
    effort_costs: Sequence[float] = MAP_EFFORT_COSTS,
    scopes: Sequence[str] = liability.SCOPES,
    *,
    n_years: int = MAP_YEARS,
    seed: int | None = None,
) -> pd.DataFrame:
    """The optimal cost share and the cheapest contract over risk tolerance, effort cost and scope.

    Every cell prices the chapter's contracts (other assumptions at their values) on the same
    ``n_years`` practice-years under the scope.

    Parameters
    ----------
    tolerances : sequence of float
        Risk tolerances ``1/r``, £ > 0.
    effort_costs : sequence of float
        Effort costs ``k`` >= 1; at most 400 cells of tolerance and effort cost together.
    scopes : sequence of str
        ``"social_work"`` and/or ``"placements"``.
    n_years : int
        Practice-years simulated, in [100, 100,000].
    seed : int
        >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per scope, tolerance and effort cost: ``scope``, ``tolerance`` (£),
        ``effort_cost``; ``closed_form_share`` (``1 / (1 + r k Var(C) / m)`` with the
        simulated ``m`` and ``Var(C)``), ``numeric_share`` (the minimum of
        :func:`swp_models.contracts.council_expected_cost` found numerically: it
        reproduces the closed form), ``simulated_share`` (exact risk premium, variance
        scaled by effort: :func:`swp_models.contracts.simulated_optimal_share`);
        ``cheapest`` (the contract with the lowest council's expected total cost with
        effort, absorbed losses and failures, as in :class:`ChapterModel`),
        ``cheapest_cost`` and ``runner_up`` (£ a year and name).
    """
    raw_t = check_sequence("tolerances", tolerances, max_len=_MAX_CELLS)
    raw_k = check_sequence("effort_costs", effort_costs, max_len=_MAX_CELLS)
    if len(raw_t) * len(raw_k) > _MAX_CELLS:
        raise ValueError(f"tolerances x effort_costs must be at most {_MAX_CELLS} cells; got {len(raw_t)} x "
                         f"{len(raw_k)}")
    grid_t = [check_positive("tolerances", t) for t in raw_t]
    grid_k = [check_in_range("effort_costs", k, 1.0, None) for k in raw_k]
    grid_s = [check_one_of("scopes", check_text("scopes", s), liability.SCOPES)
              for s in check_sequence("scopes", scopes, max_len=len(liability.SCOPES))]
    n = _check_years(n_years)
    scn = _scenario(seed)
    years = engine.children(scn, min(n, scn.simulation.n_years)) if n <= scn.simulation.n_years else None
    if years is None:
        raise ValueError(f"n_years must be at most the book's sample, {scn.simulation.n_years:,}; got {n:,}")
    term = scn.term_years
    fail_cost = scn.failure_cost
    rows = []
    for name in grid_s:
        scope = liability.default_scope(name)
        scoped = scope.apply(years)
        deals = contracts.default_contracts(years.cost_model, scope=scope, years=scoped)
        labels = list(deals)
        m, v = float(scoped.totals.mean()), float(scoped.totals.var())
        reserves = engine.reserves(scn.replace(scope=name))
        for tol in grid_t:
            fail = liability.failure_comparison(deals, scoped, reserves, term_years=term, failure_cost=fail_cost,
                                                risk_tolerance=tol)
            for k in grid_k:
                effort = contracts.effort_comparison(deals, scoped, tol, k)
                total = (effort["council_cost_effort"] + fail["absorbed_term"] + fail["failure_cost"]).to_numpy()
                order = np.argsort(total, kind="stable")
                numeric = optimize.minimize_scalar(lambda s: contracts.council_expected_cost(s, m, v, tol, k),
                                                   bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-9})
                sim = contracts.simulated_optimal_share(scoped, tol, k, shares=np.linspace(0.0, 1.0, 41))
                rows.append({
                    "scope": name, "tolerance": tol, "effort_cost": k,
                    "closed_form_share": contracts.optimal_share(m, v, tol, k), "numeric_share": float(numeric.x),
                    "simulated_share": sim.share, "cheapest": labels[order[0]], "cheapest_cost": float(total[order[0]]),
                    "runner_up": labels[order[1]],
                })
    return pd.DataFrame(rows)


def break_even_cut(
    scope: str = "placements",
    sharing: str | None = None,
    against: str = "Full reimbursement",
    *,
    administration: bool = False,
    n_years: int = MAP_YEARS,
    seed: int | None = None,
) -> float:
    """The cost cut at full cost-bearing (``1/k``) above which ``sharing`` costs the council less than ``against``.

    Both contracts are priced as in :class:`ChapterModel` (effort, risk premium at the default
    risk tolerance, absorbed losses and failures; administration only when asked). A practice bearing all of
    its cost would cut it by the fraction ``x = 1/k``; the function returns the ``x`` at which
    the two contracts cost the council the same, in (0, 1).

    Parameters
    ----------
    scope : str
        ``"placements"`` or ``"social_work"``.
    sharing : str, optional
        Name of a chapter contract; default the chapter's cost-and-volume contract.
    against : str
        Name of a chapter contract.
    administration : bool
        Count the contracts' administrative costs (default ``False``: the comparison is of
        incentive and risk alone, as the chapter's net saving is; full reimbursement's
        costing of every child can make cost sharing cheaper at any cut).
    n_years : int
        Practice-years simulated, in [100, 100,000].
    seed : int
        >= 0.

    Raises
    ------
    ValueError
        If ``sharing`` is cheaper (or dearer) for every cut between 0.1% and 100%: there is
        no break-even.
    """
    check_one_of("scope", check_text("scope", scope), liability.SCOPES)
    if sharing is not None:
        check_text("sharing", sharing)
    check_text("against", against)
    check_flag("administration", administration)
    n = _check_years(n_years)
    scn = _scenario(seed).replace(scope=scope)
    if n > scn.simulation.n_years:
        raise ValueError(f"n_years must be at most the book's sample, {scn.simulation.n_years:,}; got {n:,}")
    years = engine.children(scn, n)
    sc = liability.default_scope(scope)
    scoped = sc.apply(years)
    deals = contracts.default_contracts(years.cost_model, scope=sc, years=scoped)
    if sharing is None:
        sharing = next(name for name, c in deals.items() if isinstance(c, contracts.CostAndVolume))
    check_one_of("sharing", sharing, list(deals))
    check_one_of("against", against, list(deals))
    pair = {sharing: deals[sharing], against: deals[against]}
    tol = scn.risk_tolerance
    fail = liability.failure_comparison(pair, scoped, engine.reserves(scn), term_years=scn.term_years,
                                        failure_cost=scn.failure_cost, risk_tolerance=tol)
    extra = (fail["absorbed_term"] + fail["failure_cost"]).to_numpy()

    def gap(x: float) -> float:
        e = contracts.effort_comparison(pair, scoped, tol, 1.0 / x)
        cost = e["council_cost_effort"].to_numpy() + extra
        if not administration:
            cost = cost - e["admin_cost"].to_numpy()
        return float(cost[0] - cost[1])

    lo, hi = 1e-3, 1.0 - 1e-9
    g_lo, g_hi = gap(lo), gap(hi)
    if np.sign(g_lo) == np.sign(g_hi):
        raise ValueError(f"sharing: {sharing!r} is {'dearer' if g_lo > 0 else 'cheaper'} than {against!r} for "
                         "every cut from 0.1% to 100%; there is no break-even")
    return float(optimize.brentq(gap, lo, hi, xtol=1e-6))
