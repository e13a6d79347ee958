"""What a child in care costs, and what a practice of about 100 children faces.

The model behind chapter 3, and the children on which chapter 5 prices its contracts. One
module per part, each re-exported here (``from swp_models.costs import CostModel`` works):

* ``model`` — :class:`CostModel`, one child's annual cost: a mixture over
  needs groups, lognormal within each group, with an optional exceptional component and an
  optional shared yearly shock.
* ``needs`` — the sourced group costs and assumptions, the needs mix
  (:func:`prevalence_shares`, :func:`calibrate_shares`) and the book's models
  (:func:`default_cost_model`, :func:`needs_mix_models`).
* ``caseload`` — :class:`Caseload`, fixed or random inside the contract's
  margin (100 plus or minus 10 children).
* ``totals`` — a practice's total per year: exact moments
  (:func:`total_cost_moments`) and simulated practice-years (:func:`simulate_practice_costs`).
* ``distribution`` — the whole distribution of the total without
  simulation (:func:`total_cost_distribution`, exact on a fine grid up to
  :func:`exact_caseload_limit`), its percentiles and density.
* ``pooling`` — how pooling more children shrinks the risk that the
  average cost per child overshoots (:func:`prob_cost_per_child_exceeds`, :func:`pooling_curve`).
* ``scenarios`` — the risk across readings of the uncertain inputs, and
  the exact figures against a simulation.
* ``national`` — every council's children over many simulated years, in chunks over the
  machine's cores, pooled exactly (:func:`national_run`).
* ``census`` — the census week against the stated averages, the Cost
  Calculator's index and outside checks on the mean.

Chapter 3's page tables and key results are in :mod:`swp_models.figures.costs_tables`, its
charts in ``swp_models.figures.costs``.

Units: every cost is in £ (GBP) per child per year unless stated; practice totals are £ per
practice-year.
"""

from __future__ import annotations

from . import caseload, census, distribution, model, national, needs, pooling, scenarios, totals
from .caseload import *  # noqa: F401,F403
from .census import *  # noqa: F401,F403
from .distribution import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .national import *  # noqa: F401,F403
from .model import SeedLike  # noqa: F401  (the type of a seed, used by swp_models.contracts)
from .needs import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .scenarios import *  # noqa: F401,F403
from .totals import *  # noqa: F401,F403

__all__ = [
    *model.__all__,
    *needs.__all__,
    *caseload.__all__,
    *totals.__all__,
    *distribution.__all__,
    *pooling.__all__,
    *scenarios.__all__,
    *census.__all__,
    *national.__all__,
]
