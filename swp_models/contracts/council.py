"""The council's side of a contract, and what a practice can do with its incentives (chapter 5).

Also importable under its former name, ``swp_models.commissioning``.

Three things the contract simulator (:mod:`swp_models.contracts`) prices only partly.

**Service cuts.** Effort cuts cost, but some of the cut is the service a child receives
(s.6.1.6: an incentive "to reduce the service provided for each child"); the practice's main
lever is the type of placement, which trades against stability (Art. 22). A share
``service_cut_share`` of every £ cut is a service cut; each ``cut_per_placement_move`` of
service cut brings one more placement move, valued at ``placement_move_cost``.

**Exit and classification.** The report gives practices "no discretion over the children
they accepted" (A.1). Two channels remain: *exit* (advising that a care order be revoked,
A.1; withdrawing a child, Art. 21), priced as handing back a child, and *upcoding*
(recording a child in a dearer needs group under capitation by needs group).

**The council's side.** What the council pays to contract out on top of the contract:
managing it, commissioning (at least six months, s.9.4), paying twice while the practice
builds up (s.9.1, s.9.4) and overheads left stranded; and what it keeps and pays anyway
(A.1: independent reviewing, care proceedings, allocation, commissioning and monitoring).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import assumptions
from ..validation import (
    check_in_range,
    check_instance,
    check_integer,
    check_nonnegative,
    check_numbers,
    check_one_of,
    check_positive,
    check_probability,
    check_shares,
    check_text,
)
from .payments import Capitation, Contract
from .years import PracticeYears

__all__ = [
    "assumption",
    "ServiceCuts",
    "service_cuts",
    "exit_gain",
    "upcoding_gain",
    "upcoding_cost",
    "COUNCIL_ITEMS",
    "council_side",
    "RETAINED_FUNCTIONS",
]


def assumption(parameter: str, column: str = "value", *, data_dir: str | Path | None = None) -> float:
    """One assumption of ``data/assumptions_contracts.csv``: its ``value``, ``low`` or ``high``."""
    assumptions.data.data_folder(data_dir)  # a wrong folder is refused before any work
    check_text("parameter", parameter)
    check_one_of("column", column, ("value", "low", "high"))
    return assumptions.value_in("assumptions_contracts", parameter, column, data_dir=data_dir)


# ---------------------------------------------------------------------------------------
# Service cuts
# ---------------------------------------------------------------------------------------


class ServiceCuts(dict):
    """What a cut of ``effort`` in the expected cost is made of (a dict of floats or arrays).

    Keys: ``cut`` (£ a year), ``efficiency`` and ``service`` (its two parts, £ a year),
    ``moves`` (extra placement moves a year), ``moves_per_100`` (per 100 children) and
    ``outcome_cost`` (£ a year); each a finite number >= 0, or an array of them.
    """

    def __init__(self, cut: object, efficiency: object, service: object, moves: object, moves_per_100: object,
                 outcome_cost: object) -> None:
        # Each a number or an array of numbers (one per contract): checked below, whatever its type.
        values = {"cut": cut, "efficiency": efficiency, "service": service, "moves": moves,
                  "moves_per_100": moves_per_100, "outcome_cost": outcome_cost}
        for name, v in values.items():
            check_numbers(name, v)
        super().__init__(values)


#: The largest expected caseload :func:`service_cuts` accepts.
_MAX_CHILDREN = 10_000_000


def service_cuts(
    effort: float | np.ndarray,
    mean_cost: float,
    children: float,
    *,
    cut_share: float | None = None,
    cut_per_move: float | None = None,
    move_cost: float | None = None,
) -> ServiceCuts:
    """Split a practice's cost cut into efficiency and service cuts, and count the moves the latter bring.

    Parameters
    ----------
    effort : float or numpy.ndarray
        Fraction of expected cost cut, in [0, 1].
    mean_cost : float
        Expected cost before the cut, £ a year, > 0.
    children : float
        Expected caseload, > 0 and at most 10,000,000.
    cut_share, cut_per_move, move_cost : float, optional
        ``service_cut_share`` (in [0, 1]), ``cut_per_placement_move`` (£, > 0) and
        ``placement_move_cost`` (£, >= 0); default the assumptions.
    """
    e = check_shares("effort", effort)
    m = check_positive("mean_cost", mean_cost)
    n = check_in_range("children", children, 0.0, _MAX_CHILDREN, low_open=True)
    phi = check_probability("cut_share", assumption("service_cut_share") if cut_share is None else cut_share)
    per_move = check_positive("cut_per_move", assumption("cut_per_placement_move") if cut_per_move is None
                              else cut_per_move)
    value = check_nonnegative("move_cost", assumption("placement_move_cost") if move_cost is None else move_cost)
    cut = e * m
    service = phi * cut
    moves = service / per_move

    def out(x: np.ndarray) -> float | np.ndarray:
        return float(x) if np.ndim(x) == 0 else x

    return ServiceCuts(cut=out(cut), efficiency=out(cut - service), service=out(service), moves=out(moves),
                       moves_per_100=out(100.0 * moves / n), outcome_cost=out(moves * value))


# ---------------------------------------------------------------------------------------
# Exit and upcoding
# ---------------------------------------------------------------------------------------


def exit_gain(contract: Contract, years: PracticeYears, component: int, cost: float) -> float:
    """The practice's expected gain from handing back one child of ``component`` who costs ``cost`` a year.

    Priced as the reverse of taking the child on: the saving of the child's variable cost
    (``cost`` less the staff cost per child) minus the payment the contract would have
    made for it, ``E[P(years + child) - P(years)]``.

    Parameters
    ----------
    contract : Contract
    years : PracticeYears
        With the scope applied.
    component : int
        The child's component index in ``years.cost_model``.
    cost : float
        The child's cost of care, £ a year, >= 0.
    """
    check_instance("contract", contract, Contract, "Contract")
    check_instance("years", years, PracticeYears, "PracticeYears")
    k = check_integer("component", component, low=0, high=len(years.cost_model.components) - 1)
    c = check_nonnegative("cost", cost)
    extra = np.full(years.n_years, c)
    draw = np.zeros(years.n_years, dtype=np.uint16)
    more = years.with_extra_child(extra, k, draw)
    paid = float(np.mean(contract.payment(more) - contract.payment(years)))
    return (c - years.staff_per_child) - paid


def upcoding_gain(contract: Contract, years: PracticeYears) -> dict[str, float]:
    """What recording a child one needs group higher pays the practice, by the child's true group, £ a year.

    Only a capitation with a rate for each needs group pays by recorded group; every
    other contract pays nothing for it (zeros). The top group cannot be moved up (``nan``).
    """
    check_instance("contract", contract, Contract, "Contract")
    check_instance("years", years, PracticeYears, "PracticeYears")
    groups = years.cost_model.groups
    if not isinstance(contract, Capitation) or contract.rate_by_group is None:
        return {g: (0.0 if i < len(groups) - 1 else float("nan")) for i, g in enumerate(groups)}
    rates = contract.rates(years.cost_model)
    return {g: (float(rates[i + 1] - rates[i]) if i < len(groups) - 1 else float("nan")) for i, g in enumerate(groups)}


def upcoding_cost(contract: Contract, years: PracticeYears, share: float | None = None) -> float:
    """Council's extra spend a year when a share of the children is recorded one group higher, £.

    ``share * sum_g E[N_g] * (rate_{g+1} - rate_g)`` over every group but the top one.
    """
    u = check_probability("share", assumption("upcoding_share") if share is None else share)
    gains = upcoding_gain(contract, years)
    counts = years.group_counts.mean(axis=0)
    return float(u * sum(counts[i] * gains[g] for i, g in enumerate(years.cost_model.groups) if np.isfinite(gains[g])))



# ---------------------------------------------------------------------------------------
# The council's side
# ---------------------------------------------------------------------------------------

#: What the council keeps whether or not a practice holds the children (A.1; s.7).
RETAINED_FUNCTIONS: tuple[str, ...] = (
    "Corporate parent (s.7)",
    "Care proceedings and revoking care orders, on the practice's advice (A.1)",
    "Independent reviewing officers (A.1)",
    "Allocating children to the practice (A.1)",
)

#: The yearly items of :func:`council_side`, with the assumptions behind each.
COUNCIL_ITEMS: tuple[tuple[str, str], ...] = (
    ("Managing the contract", "admin_contract_management"),
    ("Commissioning, at least six months (s.9.4), over the term", "commissioning_cost"),
    ("Paying twice while the practice builds up (s.9.1), over the term", "double_running_months"),
    ("Overheads left stranded", "stranded_overhead_share"),
)


def council_side(running_cost: float, overheads: float, term_years: float | None = None) -> pd.DataFrame:
    """The council's yearly cost of contracting a practice out, on top of the contract's payments.

    Parameters
    ----------
    running_cost : float
        The practice's running cost, £ a year (> 0): paid twice for ``double_running_months``.
    overheads : float
        A council's central overheads for the service, £ a year (>= 0), taken equal to the
        practice's own overheads the census leaves out; ``stranded_overhead_share`` of it stays.
    term_years : float, optional
        Years over which one-off costs are spread, in [1, 50]; default ``contract_term_years``.

    Returns
    -------
    pandas.DataFrame
        One row per item of :data:`COUNCIL_ITEMS` and a total: ``item``, ``assumption``,
        ``low``, ``central``, ``high`` (£ a year, each with every assumption at its low,
        central or high value).
    """
    f = check_positive("running_cost", running_cost)
    o = check_nonnegative("overheads", overheads)
    t = check_in_range("term_years", assumption("contract_term_years") if term_years is None else term_years, 1, 50)
    rows = []
    for item, name in COUNCIL_ITEMS:
        row: dict[str, object] = {"item": item, "assumption": name}
        for col, which in (("low", "low"), ("central", "value"), ("high", "high")):
            v = assumption(name, which)
            row[col] = {
                "admin_contract_management": v,
                "commissioning_cost": v / t,
                "double_running_months": v / 12.0 * f / t,
                "stranded_overhead_share": v * o,
            }[name]
        rows.append(row)
    out = pd.DataFrame(rows)
    total = {"item": "Total", "assumption": ""} | {c: float(out[c].sum()) for c in ("low", "central", "high")}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
