"""Paying a practice: contracts priced on the same simulated children (chapter 5).

The report (s.6.1.6) sets out four ways a council could pay a social work practice: a
**block** payment, **risk-adjusted capitation**, a **cost-and-volume** contract (with a
percentage or a threshold formula for sharing over- and underspend) and an
**outcome**-based contract. This package simulates practice-years once and prices every
contract on those same children, so every comparison is paired: differences between
contracts are never sampling noise.

Its modules, each readable in one sitting:

* :mod:`~swp_models.contracts.years`: the simulated practice-years
  (:func:`simulate_practice_years`, :class:`PracticeYears`);
* :mod:`~swp_models.contracts.payments`: the cost-based contracts (:class:`Block`,
  :class:`Capitation`, :class:`CostAndVolume`, :class:`ThresholdSharing`, ...);
* :mod:`~swp_models.contracts.families`: outcome-based and cost-sharing contracts and the
  report's four families;
* :mod:`~swp_models.contracts.theory`: risk and incentive (:func:`risk_premium`,
  :func:`optimal_share`, effort);
* :mod:`~swp_models.contracts.comparison`: contracts compared (:func:`compare`,
  :func:`effort_comparison`, :func:`risk_sharing`, :func:`skimming_gain`);
* :mod:`~swp_models.contracts.named`: the book's named contracts
  (:func:`default_contracts`) and the chapter's settings;
* :mod:`~swp_models.contracts.liability`: who pays for what (the scope) and what a practice
  can lose before it fails;
* :mod:`~swp_models.contracts.council`: the council's own side, and what a practice can do
  with its incentives.

The last two keep their names in their own modules (``contracts.liability.Scope``,
``contracts.council.service_cuts``); ``swp_models.liability`` and ``swp_models.commissioning``
are their former names, kept so that older imports work.

The practice's risk attitude is given one way throughout: ``risk_tolerance`` in £
(:func:`risk_aversion` derives ``r = 1 / risk_tolerance``). The chapter's page tables, key
results and precomputed grids are in ``swp_models.figures.contracts_tables``.

Notation, for one practice-year: ``C`` is the total cost of the practice's children (£),
``P`` the contract's payment to the practice (£), the practice's surplus is
``pi = P - C`` and the council's spend on the contract is ``P`` (plus the contract's
administrative cost, which the council bears).
"""

from __future__ import annotations

from . import comparison, council, families, liability, named, payments, theory, years
from .comparison import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .named import *  # noqa: F401,F403
from .payments import *  # noqa: F401,F403
from .theory import *  # noqa: F401,F403
from .years import *  # noqa: F401,F403
from .families import BASES, FAMILIES  # noqa: F401  (bound again below, with their descriptions)
from .named import CONTRACT_TERMS  # noqa: F401
from .years import MAX_YEARS  # noqa: F401

# The constants, bound again here with their descriptions so that the model reference documents them
# under the package, where the rest of the public API lives.
#: The most practice-years one call simulates (the chapter uses 100,000).
MAX_YEARS = MAX_YEARS
#: The report's four families of contract (s.6.1.6), as :func:`contract_family` names them.
FAMILIES = FAMILIES
#: How a :class:`CostSharing` baseline follows the year's children.
BASES = BASES
#: Contract terms :func:`default_contracts` reads from the assumptions log unless given.
CONTRACT_TERMS = CONTRACT_TERMS

__all__ = [
    *years.__all__,
    *payments.__all__,
    *families.__all__,
    *theory.__all__,
    *comparison.__all__,
    *named.__all__,
]


def _adopt() -> None:
    """Name this package as the home of every public class and function, as the model reference documents them."""
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) or callable(obj):
            obj.__module__ = __name__


_adopt()
