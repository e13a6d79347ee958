"""What a council should do: the options appraised the Green Book way (chapter 10).

Four options for the children one practice would hold (the draft contract's 100), each costed and
its effects counted from the book's own models:

* ``council``: the council as it is (chapter 2's council continuity; a council team of
  ``council_frontline`` workers costed as chapter 4 costs a practice);
* ``in_house``: the council's own team with the practice's caseloads and support (chapter 4's
  practice budget, run in-house), achieving ``inhouse_gain_share`` of the practice's continuity gain;
* ``practice_social_work``: a practice paid for social work only, on chapter 5's cheapest contract;
* ``practice_placements``: a practice that also holds the placement budget, on chapter 5's
  cheapest contract for that scope.

Every option pays the children's placements (the council pays them itself unless the practice holds
them), each change of social worker costs a case transfer and each placement move the process of
finding a new placement. One-off costs fall in the first year (set-up, commissioning, paying twice
during the build-up, moving every child's case) and retendering at the end of the term. Costs and
effects are discounted at the Green Book rate; optimism bias raises each option's added cost over the
council as it is (and cuts any saving it claims). Prices are the book's 2005-06 prices, moved to
another year with the GDP deflator (:func:`uplift`).

:func:`appraise` gives the central appraisal, :func:`icers` the incremental cost-effectiveness
ratios, :func:`switching_values` where a practice stops beating the in-house team, and
:func:`acceptability` the cost-effectiveness acceptability curve over the sensitivity analysis's
settings (the sensitivity section's assumptions plus this chapter's).
"""

from __future__ import annotations

from pathlib import Path

import math
from dataclasses import dataclass, replace
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.stats import qmc

from . import assumptions, data, practice, validation
from .assumptions import cached
from .validation import check_in_range, check_integer, check_one_of, check_size

__all__ = ["OPTIONS", "OPTION_NAMES", "SCOPE_OPTIONS", "PRICE_YEARS", "BASE_YEAR", "TERMS", "APPRAISAL_RANGED",
           "Inputs", "price_index", "uplift", "discount_factors", "central_inputs", "appraise", "icers",
           "switching_values", "settings_inputs", "acceptability", "LAMBDAS", "cheapest_contracts", "crossover"]

#: The options, in the order the pages show them.
OPTIONS: tuple[str, ...] = ("council", "in_house", "practice_social_work", "practice_placements")
#: What each option is called on the page.
OPTION_NAMES: dict[str, str] = {
    "council": "The council as it is",
    "in_house": "In-house team with practice caseloads",
    "practice_social_work": "Practice, social work only",
    "practice_placements": "Practice holding the placement budget",
}
#: The options compared for each scope (the council's two in-house options and the scope's practice).
SCOPE_OPTIONS: dict[str, tuple[str, ...]] = {
    "social_work": ("council", "in_house", "practice_social_work"),
    "placements": ("council", "in_house", "practice_placements"),
}
#: The book's price base.
BASE_YEAR = "2005-06"
#: Financial years in which a £ can be shown (the base, the pilots' years and the latest the index reaches).
PRICE_YEARS: tuple[str, ...] = ("2005-06", "2009-10", "2010-11", "2011-12", "2022-23", "2023-24")
#: Contract terms the chapter offers, years.
TERMS: tuple[int, ...] = (3, 4, 5)
#: This chapter's assumptions varied over their ranges in the uncertainty run.
APPRAISAL_RANGED: tuple[str, ...] = ("optimism_bias", "inhouse_gain_share", "council_frontline", "inhouse_setup_cost",
                                     "case_transfer_cost", "move_process_cost")
#: Values a council might put on one more child-year with the same worker all year, £ (the curve's axis).
LAMBDAS: tuple[float, ...] = tuple(float(x) for x in range(0, 40_001, 1_000))
_MAX_SETTINGS = 20_000
#: Bound on every yearly £ line of :class:`Inputs` (far above any council's budget; the costing workbook's
#: allowed inputs, a risk premium at its lowest risk tolerance included, stay below it).
_MAX_POUNDS = 1e18
_COUNCIL_SIDE = ("commissioning_cost", "double_running_months", "stranded_overhead_share")
_VALUE_KEYS = ("discount_rate", "optimism_bias", "inhouse_gain_share", "council_frontline", "inhouse_setup_cost",
               "case_transfer_cost", "move_process_cost", "value_per_child_year", "partner_surplus_share",
               *_COUNCIL_SIDE)


def price_index(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The GDP deflator by financial year (the mean of its two calendar years), ``price_year`` and ``index``.

    Only the financial years of :data:`PRICE_YEARS` whose two calendar years are in ``data/price_index.csv``.
    """
    frame = data.load("price_index", data_dir=data_dir)
    by_year = dict(zip(frame["year"].astype(int), frame["value"].astype(float)))
    rows = []
    for fy in PRICE_YEARS:
        first = int(fy[:4])
        if first in by_year and first + 1 in by_year:
            rows.append({"price_year": fy, "index": (by_year[first] + by_year[first + 1]) / 2})
    return pd.DataFrame(rows)


def uplift(price_year: str, base: str = BASE_YEAR) -> float:
    """The factor that moves a £ at ``base`` prices to ``price_year`` prices (GDP deflator).

    Parameters
    ----------
    price_year, base : str
        Financial years among :data:`PRICE_YEARS`, e.g. ``"2023-24"``.
    """
    index = price_index().set_index("price_year")["index"]
    check_one_of("price_year", price_year, tuple(index.index))
    check_one_of("base", base, tuple(index.index))
    return float(index[price_year] / index[base])


def discount_factors(rate: float, years: int) -> np.ndarray:
    """Discount factors ``(1 + rate) ** -t`` for ``t = 0 .. years`` (year 0 undiscounted).

    Parameters
    ----------
    rate : float
        Real discount rate a year, in [0, 0.2].
    years : int
        1 to 50.
    """
    r = check_in_range("rate", rate, 0.0, 0.2)
    t = np.arange(check_integer("years", years, low=1, high=validation.MAX_HORIZON_YEARS) + 1)
    return (1.0 + r) ** -t


@dataclass(frozen=True)
class Inputs:
    """One setting of everything the appraisal reads, for one practice's children, £ a year at 2005-06 prices.

    Attributes
    ----------
    children : float
        Children the practice would hold (the council's team holds the same children).
    council_team, inhouse_team : float
        Running cost of the council's team as it is and of its team with the practice's caseloads and support.
    running, overheads : float
        The practice's running cost, and the overheads the census leaves out (stranded in part when it goes).
    variable_social_work : float
        Variable social-work cost of the children, paid by whoever holds the social work.
    care_cost : float
        The children's placements on the research basis (the council's wider overheads inside them), paid by
        the council unless the practice holds them.
    contract : dict
        The council's yearly cost of chapter 5's cheapest contract for each scope (risk premium, effort,
        administration, losses absorbed and failures included).
    p_fail_year : dict
        The practice's chance of failing in a year on that contract, each scope.
    p_council, p_practice : float
        Chance a child keeps the same social worker all year: the council as it is, and a practice.
    move_rate : float
        Placement moves a child-year with no change of worker (chapter 6's model, average over needs).
    move_worker_effect : float
        Rise in the move rate per change of worker (chapter 6).
    values : dict
        This chapter's assumptions and the council side's (commissioning, paying twice, stranded overheads).
    council_overheads : float
        The council's wider overheads inside ``care_cost`` (report s.6.1.5), which a practice holding the
        placements never incurs: its contract leaves them out and the council keeps paying them, counted once.
    """

    children: float
    council_team: float
    inhouse_team: float
    running: float
    overheads: float
    variable_social_work: float
    care_cost: float
    contract: Mapping[str, float]
    p_fail_year: Mapping[str, float]
    p_council: float
    p_practice: float
    move_rate: float
    move_worker_effect: float
    values: Mapping[str, float]
    council_overheads: float = 0.0

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "children", check_in_range("children", self.children, 1.0, 2000.0))
        for name in ("council_team", "inhouse_team", "running", "overheads", "variable_social_work", "care_cost"):
            s(self, name, check_in_range(name, getattr(self, name), 0.0, _MAX_POUNDS))
        s(self, "council_overheads", check_in_range("council_overheads", self.council_overheads, 0.0, self.care_cost))
        for name in ("contract", "p_fail_year"):
            given = getattr(self, name)
            if not isinstance(given, Mapping) or set(given) != {"social_work", "placements"}:
                raise ValueError(f"{name} must map 'social_work' and 'placements' to a number; got {given!r:.120}")
            high = _MAX_POUNDS if name == "contract" else 1.0
            s(self, name, {k: check_in_range(f"{name}[{k!r}]", v, 0.0, high) for k, v in given.items()})
        for name in ("p_council", "p_practice"):
            s(self, name, check_in_range(name, getattr(self, name), 0.0, 1.0, low_open=True))
        s(self, "move_rate", check_in_range("move_rate", self.move_rate, 0.0, 50.0))
        s(self, "move_worker_effect", check_in_range("move_worker_effect", self.move_worker_effect, 0.0, 10.0))
        if not isinstance(self.values, Mapping):
            raise TypeError(f"values must be a mapping of assumption names to numbers; got {type(self.values).__name__}")
        missing = sorted(set(_VALUE_KEYS) - set(self.values))
        if missing:
            raise ValueError(f"values must give every assumption of the appraisal; missing {missing}")
        s(self, "values", {k: check_in_range(f"values[{k!r}]", v, 0.0, 1e9) for k, v in self.values.items()})
        check_in_range("values['inhouse_gain_share']", self.values["inhouse_gain_share"], 0.0, 1.0)

    def p_same(self, option: str) -> float:
        """Chance a child keeps the same worker all year under ``option``."""
        check_one_of("option", option, OPTIONS)
        if option == "council":
            return self.p_council
        if option == "in_house":
            return self.p_council + self.values["inhouse_gain_share"] * (self.p_practice - self.p_council)
        return self.p_practice

    def moves(self, option: str) -> float:
        """Placement moves a child-year under ``option`` (changes of worker a year taken as ``-ln p``)."""
        return self.move_rate * (1.0 + self.move_worker_effect * -math.log(self.p_same(option)))


def _values(names: tuple[str, ...] | None = None) -> dict[str, float]:
    return {k: assumptions.value(k) for k in (names or _VALUE_KEYS)}


def _team_cost(frontline: int, support: bool) -> float:
    design = practice.PracticeDesign(frontline=int(frontline)) if support else practice.PracticeDesign(
        frontline=int(frontline), support_fte=0.0, pdo_fte=0.0, students=0)
    return float(practice.summary(design)["running_cost"])


def _move_model() -> tuple[float, float]:
    from . import costs, outcomes

    m = outcomes.default_outcome_model()
    shares = np.asarray(costs.default_cost_model().shares)
    return float(m.placement_base_rate * shares @ np.asarray(m.placement_multipliers)), m.placement_worker_change_effect


@cached(maxsize=1)
def central_inputs() -> Inputs:
    """The central setting: the sensitivity section's model at every assumption's value, chapter 2's continuity, chapter 4's teams."""
    from . import evaluation, sensitivity
    from .scenario import Scenario

    model = sensitivity.chapter_model()
    values = model.setting(np.array([a.value for a in sensitivity.chapter_assumptions()]))
    reading = evaluation.predicted_effects_over_readings(Scenario.central()).set_index("reading").loc["poisson"]
    return _inputs(model, values, _values(), float(reading["baseline"]), float(reading["predicted"]))


def _inputs(model, values: Mapping[str, float], own: Mapping[str, float], p_council: float,  # noqa: ANN001
            p_practice: float, teams: tuple[float, float] | None = None) -> Inputs:
    out = model.evaluate_one(values)
    running, overheads = model.budget(values)
    expected = model.expected_costs(values)
    n = float(model.children(values).expected_count)
    variable = float(values["social_work_variable_cost"]) * n
    kept = model.council_overheads(values)
    if teams is None:
        teams = (_team_cost(int(round(own["council_frontline"])), False), _team_cost(practice.PracticeDesign().frontline, True))
    rate, effect = _move_model()
    merged = dict(own)
    merged.update({k: float(values[k]) for k in (*_COUNCIL_SIDE, "partner_surplus_share")})
    return Inputs(children=n, council_team=teams[0], inhouse_team=teams[1], running=running, overheads=overheads,
                  variable_social_work=variable,
                  care_cost=expected["placements"] - expected["social_work"] + kept, council_overheads=kept,
                  contract={s: out[f"council_cost:{s}"] for s in ("social_work", "placements")},
                  p_fail_year={s: out[f"p_fail_cheapest:{s}"] for s in ("social_work", "placements")},
                  p_council=p_council, p_practice=p_practice, move_rate=rate, move_worker_effect=effect,
                  values=merged)


def _flows(inp: Inputs, option: str, term: int) -> tuple[np.ndarray, dict[str, float]]:
    """Cash flows of ``option`` for years 0 .. term (one-offs in year 0, retendering at ``term``), and its lines."""
    v = inp.values
    n = inp.children
    p = inp.p_same(option)
    process = n * (-math.log(p)) * v["case_transfer_cost"] + n * inp.moves(option) * v["move_process_cost"]
    lines = {"running": 0.0, "placements": inp.care_cost, "process": process, "retained": 0.0, "set_up": 0.0,
             "exit": 0.0}
    if option == "council":
        lines["running"] = inp.council_team + inp.variable_social_work
    elif option == "in_house":
        lines["running"] = inp.inhouse_team + inp.variable_social_work
        lines["set_up"] = v["inhouse_setup_cost"] + n * v["case_transfer_cost"]
    else:
        scope = option.removeprefix("practice_")
        # With placements the contract pays the children's care less the council's wider overheads, which the
        # council keeps paying: the placements line stays the research-basis cost every option carries.
        lines["running"] = inp.contract[scope] - (inp.care_cost - inp.council_overheads if scope == "placements"
                                                  else 0.0)
        lines["retained"] = v["stranded_overhead_share"] * inp.overheads + v["partner_surplus_share"] * inp.running
        lines["set_up"] = (v["commissioning_cost"] + v["double_running_months"] / 12.0 * inp.running
                           + n * v["case_transfer_cost"])
        lines["exit"] = v["commissioning_cost"]
    flows = np.zeros(term + 1)
    flows[:term] = lines["running"] + lines["placements"] + lines["process"] + lines["retained"]
    flows[0] += lines["set_up"]
    flows[term] += lines["exit"]
    return flows, lines


def _appraise(inp: Inputs, term: int, rate: float, bias: float) -> pd.DataFrame:
    df = discount_factors(rate, term)
    rows = []
    for option in OPTIONS:
        flows, lines = _flows(inp, option, term)
        effect_years = df[:term].sum()
        scope = option.removeprefix("practice_") if option.startswith("practice_") else None
        rows.append({"option": option, "name": OPTION_NAMES[option], "npc_unadjusted": float(flows @ df),
                     "child_years": inp.children * inp.p_same(option) * effect_years,
                     "moves": inp.children * inp.moves(option) * effect_years,
                     "p_same": inp.p_same(option),
                     "p_fail_term": 0.0 if scope is None else 1.0 - (1.0 - inp.p_fail_year[scope]) ** term,
                     **{f"line_{k}": float(x) for k, x in lines.items()}})
    out = pd.DataFrame(rows)
    base = out.loc[0, "npc_unadjusted"]
    added = out["npc_unadjusted"] - base
    out["optimism_bias"] = np.where(added > 0, added * bias, -added * bias)
    out["npc"] = out["npc_unadjusted"] + out["optimism_bias"]
    return out


def _check_settings(term_years: int | None, discount_rate: float | None, optimism_bias: float | None,
                    price_year: str) -> tuple[int, float, float, float]:
    v = _values(("discount_rate", "optimism_bias"))
    term = check_integer("term_years", TERMS[0] if term_years is None else term_years, low=1, high=10)
    rate = check_in_range("discount_rate", v["discount_rate"] if discount_rate is None else discount_rate, 0.0, 0.2)
    bias = check_in_range("optimism_bias", v["optimism_bias"] if optimism_bias is None else optimism_bias, 0.0, 2.0)
    return term, rate, bias, uplift(check_one_of("price_year", price_year, PRICE_YEARS))


def appraise(term_years: int | None = None, discount_rate: float | None = None, optimism_bias: float | None = None,
             price_year: str = BASE_YEAR, inputs: Inputs | None = None) -> pd.DataFrame:
    """Net present cost and effects of every option over a contract term.

    Parameters
    ----------
    term_years : int, optional
        1 to 10 (the chapter offers :data:`TERMS`); default 3.
    discount_rate : float, optional
        In [0, 0.2]; default the Green Book's rate (``data/assumptions_appraisal.csv``).
    optimism_bias : float, optional
        In [0, 2]; default the assumption ``optimism_bias``.
    price_year : str
        One of :data:`PRICE_YEARS`: every £ is moved there with the GDP deflator.
    inputs : Inputs, optional
        Default :func:`central_inputs`.

    Returns
    -------
    pandas.DataFrame
        One row per option: ``option``, ``name``, ``npc`` (£ at ``price_year``, optimism bias included),
        ``npc_unadjusted``, ``optimism_bias``, ``child_years`` (discounted child-years with the same worker
        all year), ``moves`` (discounted placement moves), ``p_same``, ``p_fail_term`` and the yearly
        cost lines ``line_*`` (£ at ``price_year``).
    """
    term, rate, bias, factor = _check_settings(term_years, discount_rate, optimism_bias, price_year)
    if inputs is None:
        inputs = central_inputs()
    elif not isinstance(inputs, Inputs):
        raise TypeError(f"inputs must be an Inputs (swp_models.appraisal.central_inputs()); got {type(inputs).__name__}")
    out = _appraise(inputs, term, rate, bias)
    money = ["npc", "npc_unadjusted", "optimism_bias"] + [c for c in out.columns if c.startswith("line_")]
    out[money] = out[money] * factor
    return out


def icers(table: pd.DataFrame, against: str = "council") -> pd.DataFrame:
    """Incremental cost per extra child-year with one worker all year, and per placement move avoided.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`appraise`'s output.
    against : str
        ``"council"`` or ``"in_house"``.

    Returns
    -------
    pandas.DataFrame
        One row per other option: ``option``, ``extra_cost`` (£), ``extra_child_years``, ``moves_avoided``,
        ``per_child_year`` and ``per_move_avoided`` (£; NaN where the option gains nothing).
    """
    if not isinstance(table, pd.DataFrame) or not {"option", "npc", "child_years", "moves"} <= set(table.columns):
        raise ValueError("table must be appraise()'s output (columns option, npc, child_years, moves)")
    check_one_of("against", against, ("council", "in_house"))
    t = table.set_index("option")
    ref = t.loc[against]
    rows = []
    for option in t.index:
        if option == against:
            continue
        dc = t.loc[option, "npc"] - ref["npc"]
        de = t.loc[option, "child_years"] - ref["child_years"]
        dm = ref["moves"] - t.loc[option, "moves"]
        rows.append({"option": option, "extra_cost": dc, "extra_child_years": de, "moves_avoided": dm,
                     "per_child_year": dc / de if de > 1e-9 else float("nan"),
                     "per_move_avoided": dc / dm if dm > 1e-9 else float("nan")})
    return pd.DataFrame(rows)


def switching_values(option: str, value_per_child_year: float | None = None, term_years: int | None = None,
                     price_year: str = BASE_YEAR, *, data_dir: str | Path | None = None) -> dict[str, float | None]:
    """Where a practice stops beating the in-house team, at a value on one more child-year of continuity.

    The practice beats the in-house team when its net benefit, ``value x child-years - net present cost``,
    is the larger.

    Parameters
    ----------
    option : str
        ``"practice_social_work"`` or ``"practice_placements"``.
    value_per_child_year : float, optional
        £ at ``price_year``, in [0, 1e6]; default the assumption ``value_per_child_year`` moved to ``price_year``.
    term_years : int, optional
        As :func:`appraise`.
    price_year : str
        As :func:`appraise`.

    Returns
    -------
    dict
        ``share``: the share of the practice's continuity gain above which the in-house team is the better
        buy (None if the practice wins, or loses, at every share in [0, 1]); ``cost``: the practice's net
        present cost (£) at which it stops beating the in-house team at the central share; ``margin``: the
        practice's net benefit less the in-house team's at the central share (£).
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    check_one_of("option", option, ("practice_social_work", "practice_placements"))
    factor = uplift(check_one_of("price_year", price_year, PRICE_YEARS))
    lam = (assumptions.value("value_per_child_year", data_dir=data_dir) * factor if value_per_child_year is None
           else check_in_range("value_per_child_year", value_per_child_year, 0.0, 1e6))
    base = central_inputs()

    def margin(share: float) -> float:
        inp = replace(base, values={**base.values, "inhouse_gain_share": share})
        t = appraise(term_years, price_year=price_year, inputs=inp).set_index("option")
        nb = lam * t["child_years"] - t["npc"]
        return float(nb[option] - nb["in_house"])

    lo, hi = margin(0.0), margin(1.0)
    share = float(optimize.brentq(margin, 0.0, 1.0, xtol=1e-6)) if lo * hi < 0 else None
    centre = margin(base.values["inhouse_gain_share"])
    t = appraise(term_years, price_year=price_year).set_index("option")
    return {"share": share, "cost": float(t.loc[option, "npc"] + centre), "margin": centre}


def settings_inputs(n_base: int | None = None) -> tuple[list[Inputs], pd.DataFrame]:
    """One :class:`Inputs` for each setting of the sensitivity analysis (the sensitivity section's Sobol settings, with
    this chapter's ranged assumptions drawn alongside them by a scrambled Sobol sequence from the book's seed).

    Parameters
    ----------
    n_base : int, optional
        Base samples of the Sobol run, a power of two in [8, 1024]; default the book's.

    Returns
    -------
    (list of Inputs, pandas.DataFrame)
        The inputs and, one row per setting, the values of this chapter's ranged assumptions.
    """
    from . import sensitivity

    n = sensitivity.SOBOL_BASE if n_base is None else check_size("n_base", n_base, 1024, low=8)
    if n & (n - 1):
        raise ValueError(f"n_base must be a power of two; got {n_base!r}")
    inputs, own = _settings(n)
    return list(inputs), own.copy()


@cached(maxsize=2, disk=True)
def _settings(n: int) -> tuple[tuple[Inputs, ...], pd.DataFrame]:
    from . import evaluation, sensitivity
    from .scenario import Scenario

    x = sensitivity.sobol_settings(n)
    if len(x) > _MAX_SETTINGS:
        raise ValueError(f"n_base gives {len(x):,} settings; at most {_MAX_SETTINGS:,} allowed")
    model = sensitivity.chapter_model()
    ranged = {name: (assumptions.value(name, "low"), assumptions.value(name, "high")) for name in APPRAISAL_RANGED}
    seed = Scenario.central().simulation.seed
    u = qmc.Sobol(d=len(ranged), scramble=True, seed=seed).random_base2(math.ceil(math.log2(len(x))))[:len(x)]
    own = pd.DataFrame({k: lo + u[:, i] * (hi - lo) for i, (k, (lo, hi)) in enumerate(ranged.items())})
    own["council_frontline"] = own["council_frontline"].round()
    reading = evaluation.predicted_effects_over_readings(Scenario.central()).set_index("reading").loc["poisson"]
    base = _values()
    central_running = model.budget(model.setting(np.array([a.value for a in sensitivity.chapter_assumptions()])))[0]
    teams = {int(f): _team_cost(int(f), False) for f in own["council_frontline"].unique()}
    inhouse = _team_cost(practice.PracticeDesign().frontline, True)
    out = []
    for row, extra in zip(x, own.to_dict("records")):
        values = model.setting(row)
        scale = model.budget(values)[0] / central_running
        out.append(_inputs(model, values, {**base, **extra}, float(reading["baseline"]), float(reading["predicted"]),
                           teams=(teams[int(extra["council_frontline"])] * scale, inhouse * scale)))
    own.insert(0, "setting", range(len(own)))
    return tuple(out), own


@cached(maxsize=2, disk=True)
def _setting_tables(term: int) -> pd.DataFrame:
    from . import sensitivity

    inputs, _ = _settings(sensitivity.SOBOL_BASE)
    rate = assumptions.value("discount_rate")
    frames = []
    for i, inp in enumerate(inputs):
        t = _appraise(inp, term, rate, inp.values["optimism_bias"])[["option", "npc", "child_years", "p_fail_term"]]
        t.insert(0, "setting", i)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def acceptability(term_years: int | None = None, price_year: str = BASE_YEAR,
                  lambdas: tuple[float, ...] = LAMBDAS) -> pd.DataFrame:
    """The cost-effectiveness acceptability curve of each scope over the sensitivity settings.

    At each value a council might put on one more child-year with the same worker all year, the share
    of settings in which each option of the scope (:data:`SCOPE_OPTIONS`) has the largest net benefit.

    Parameters
    ----------
    term_years : int, optional
        1 to 10; default 3.
    price_year : str
        One of :data:`PRICE_YEARS`; the values (and costs) are in its prices.
    lambdas : tuple of float
        Values, £ at ``price_year``, each in [0, 1e6]; 1 to 200 of them.

    Returns
    -------
    pandas.DataFrame
        ``scope``, ``value`` (£), ``option``, ``name``, ``share`` (of settings), ``p_fail_term`` (the
        practice's mean chance of failing over the term across the settings; 0 for in-house options).
    """
    term, _, _, factor = _check_settings(term_years, None, None, price_year)
    if not isinstance(lambdas, (tuple, list)):
        raise TypeError(f"lambdas must be a tuple or list of £ values; got {type(lambdas).__name__} {lambdas!r:.80}")
    check_size("lambdas", len(lambdas), 200)
    lams = np.array([check_in_range("lambdas", v, 0.0, 1e6) for v in lambdas], dtype=float)
    table = _setting_tables(term)
    rows = []
    for scope, options in SCOPE_OPTIONS.items():
        sub = table[table["option"].isin(options)]
        cost = sub.pivot(index="setting", columns="option", values="npc")[list(options)].to_numpy() * factor
        eff = sub.pivot(index="setting", columns="option", values="child_years")[list(options)].to_numpy()
        fail = sub.groupby("option")["p_fail_term"].mean()
        best = np.argmax(lams[:, None, None] * eff[None] - cost[None], axis=2)
        for j, option in enumerate(options):
            share = (best == j).mean(axis=1)
            rows += [{"scope": scope, "value": float(v), "option": option, "name": OPTION_NAMES[option],
                      "share": float(s), "p_fail_term": float(fail[option])} for v, s in zip(lams, share)]
    return pd.DataFrame(rows)


def cheapest_contracts() -> dict[str, str]:
    """Chapter 5's cheapest contract for each scope at the central setting (the contract each practice option uses)."""
    from . import sensitivity

    model = sensitivity.chapter_model()
    out = model.evaluate_one(model.setting(np.array([a.value for a in sensitivity.chapter_assumptions()])))
    return {s: model.contract_names[int(out[f"cheapest:{s}"])] for s in ("social_work", "placements")}


def crossover(scope: str, option: str, term_years: int | None = None, price_year: str = BASE_YEAR) -> float | None:
    """The smallest value of a child-year of continuity (£, on :data:`LAMBDAS` moved to ``price_year``) at which
    ``option`` is the best buy in more settings than any other option of ``scope``; None if it never is.

    Parameters
    ----------
    scope : str
        ``"social_work"`` or ``"placements"``.
    option : str
        One of the scope's options (:data:`SCOPE_OPTIONS`).
    term_years, price_year
        As :func:`acceptability`.
    """
    check_one_of("scope", scope, tuple(SCOPE_OPTIONS))
    check_one_of("option", option, SCOPE_OPTIONS[scope])
    factor = uplift(check_one_of("price_year", price_year, PRICE_YEARS))
    c = acceptability(term_years, price_year, tuple(v * factor for v in LAMBDAS))
    wide = c[c["scope"] == scope].pivot(index="value", columns="option", values="share")
    leads = wide.index[wide.idxmax(axis=1) == option]
    return float(leads.min()) if len(leads) else None
