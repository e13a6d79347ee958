"""The book's named contracts (chapter 5).

:func:`~swp_models.contracts.default_contracts` is the one set of named contracts: the chapter, the live
explorer, the sensitivity analysis and the benchmark all take theirs from it, with terms
from ``data/assumptions_contracts.csv`` unless given. The book prices them for a scenario in
:mod:`swp_models.engine` (the simulated years, the scope, reserves and term).
"""

from __future__ import annotations

from pathlib import Path

from .. import assumptions
from ..costs import CostModel, default_caseload, default_cost_model
from ..validation import check_in_range, check_instance, check_one_of, check_text
from .families import MixedOutcome, Outcome, OutcomeBased
from .liability import SCOPES, Scope, default_scope
from .payments import (
    Block,
    Capitation,
    Contract,
    CostAndVolume,
    FullReimbursement,
    HighCostReinsurance,
    ThresholdSharing,
    VolumeBand,
    balanced,
)
from .years import PracticeYears

__all__ = [
    "assumption",
    "CONTRACT_TERMS",
    "default_contracts",
]


_ASSUMPTIONS = "assumptions_contracts"


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one assumption in ``data/assumptions_contracts.csv`` (e.g. ``"risk_tolerance"``).

    The same as :func:`swp_models.contracts.council.assumption` with ``column="value"``.
    """
    return assumptions.value_in(_ASSUMPTIONS, check_text("parameter", parameter), data_dir=data_dir)


#: Contract terms :func:`default_contracts` reads from the assumptions log unless given.
CONTRACT_TERMS: tuple[str, ...] = (
    "cost_share", "overspend_threshold", "reinsurance_threshold", "outcome_bonus", "outcome_base_probability",
    "outcome_effort_gain", "outcome_effort", "admin_contract_management", "admin_cost_audit",
    "admin_needs_assessment", "admin_outcome_monitoring", "volume_band_margin",
)


def default_contracts(cost_model: CostModel | None = None, *, scope: Scope | str | None = None,
                      years: PracticeYears | None = None, **terms: float) -> dict[str, Contract]:
    """The book's eleven named contracts, with any of their terms changed: the one set of them.

    The chapter, the live explorer, the sensitivity analysis and the benchmark all take
    their contracts from here (:func:`swp_models.engine.book` is this set priced for the
    chapter's simulated years).

    Parameters
    ----------
    cost_model : CostModel, optional
        Sets the capitation rates; default :func:`swp_models.costs.default_cost_model`.
    scope : swp_models.contracts.liability.Scope or str, optional
        What the practice pays for (a :class:`~swp_models.contracts.liability.Scope`, or a name of
        :data:`~swp_models.contracts.liability.SCOPES` for its default); sets the capitation rates (the
        expected cost of a child in the scope, with its share of the fixed budget). Default:
        the children's costs alone, as :func:`swp_models.contracts.liability.Scope` never applied.
    years : PracticeYears, optional
        The practice-years the contracts will be priced on (with the scope applied): the
        two threshold contracts are then :func:`balanced` on them, so that they pay the
        expected cost on average like every other contract without a bonus, and the volume
        band and the scope's capitation rates are set on their caseload. Without ``years``
        the threshold contracts' baseline is the expected cost and the caseload is the draft
        contract's (:func:`swp_models.costs.default_caseload`).
    **terms : float
        Any of :data:`CONTRACT_TERMS` (the ``parameter`` names of
        ``data/assumptions_contracts.csv``, in the units given there); the others take
        their values from that table.

    Returns
    -------
    dict
        ``{name: Contract}`` in the order of the report's four families: block, and block
        within a volume band (Art. 4); capitation at a flat rate, by needs group and at
        actual cost (full reimbursement); cost and volume, threshold, threshold both ways
        (underspend beyond the threshold returned to the council: the s.7 cap on surplus)
        and per-child reinsurance; outcome-based on a fixed base and on a cost-and-volume
        base (the mixed contract).
    """
    unknown = sorted(set(terms) - set(CONTRACT_TERMS))
    if unknown:
        raise ValueError(f"terms must be among {list(CONTRACT_TERMS)}; got {unknown}")
    model = default_cost_model() if cost_model is None else check_instance("cost_model", cost_model, CostModel, "CostModel")
    if isinstance(scope, str):
        scope = default_scope(check_one_of("scope", scope, SCOPES))
    elif scope is not None:
        check_instance("scope", scope, Scope, "Scope, a scope name or None")
    v = {name: (terms[name] if name in terms else assumption(name)) for name in CONTRACT_TERMS}
    manage, audit = v["admin_contract_management"], v["admin_cost_audit"]
    assess, monitor = v["admin_needs_assessment"], v["admin_outcome_monitoring"]
    outcome = Outcome(base_probability=v["outcome_base_probability"], effort_gain=v["outcome_effort_gain"],
                      effort=v["outcome_effort"])
    cv = CostAndVolume(share=v["cost_share"], admin_cost_per_year=manage + audit)
    if years is not None:
        check_instance("years", years, PracticeYears, "PracticeYears or None")
    threshold = ThresholdSharing(threshold=v["overspend_threshold"], admin_cost_per_year=manage + audit)
    both = ThresholdSharing(threshold=v["overspend_threshold"], surplus_threshold=v["overspend_threshold"],
                            admin_cost_per_year=manage + audit)
    if years is not None:
        threshold, both = balanced(threshold, years), balanced(both, years)
    # The caseload priced: that of the years when given (a band round 100 children means nothing to a
    # practice of 60), else the draft contract's.
    load = years.caseload if years is not None else default_caseload()
    centre = load.mean
    width = check_in_range("volume_band_margin", v["volume_band_margin"], 0.0, float(centre))
    if width != int(width):
        raise ValueError(f"volume_band_margin must be a whole number of children; got {width!r}")
    margin = int(width)
    band = VolumeBand(low=centre - margin, high=centre + margin, admin_cost_per_year=manage)
    reins = HighCostReinsurance(v["reinsurance_threshold"], admin_cost_per_year=manage + audit)
    bonus = OutcomeBased(bonus_per_unit=v["outcome_bonus"], outcome=outcome, admin_cost_per_year=manage + monitor)
    if scope is None:
        flat = Capitation.flat(model, admin_cost_per_year=manage)
        needs = Capitation.risk_adjusted(model, admin_cost_per_year=manage, admin_cost_per_child=assess)
    else:
        flat = Capitation(flat_rate=scope.flat_rate(model, load), admin_cost_per_year=manage)
        needs = Capitation(rate_by_group=scope.child_rates(model, load), admin_cost_per_year=manage,
                           admin_cost_per_child=assess)
    return {
        "Block": Block(admin_cost_per_year=manage),
        f"Volume band, {band.low}-{band.high} children": band,
        "Capitation, flat rate": flat,
        "Capitation by needs group": needs,
        "Full reimbursement": FullReimbursement(admin_cost_per_year=manage + audit, admin_cost_per_child=assess),
        f"Cost and volume, {100 * cv.share:g}% shared": cv,
        f"Threshold at £{threshold.threshold / 1000:,.0f}k": threshold,
        f"Two-way threshold at £{both.threshold / 1000:,.0f}k": both,
        f"Reinsurance above £{reins.per_child_threshold / 1000:,.0f}k a child": reins,
        "Outcome: fixed base + bonus": bonus,
        "Mixed: cost and volume + bonus": MixedOutcome(cost_part=cv, bonus=bonus,
                                                       admin_cost_per_year=manage + audit + monitor),
    }
