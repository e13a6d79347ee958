"""Continuity of social worker for a child in care, 24-hour cover, and caseload queues.

The model behind chapter 2 ("Continuity: how many social workers does a child have?"), in
modules that each read in one sitting:

* :mod:`~swp_models.continuity.scenario`: :class:`.ContinuityScenario` (turnover, agency
  cover of vacant posts, team hand-offs) and the scenarios read from ``data/``;
* :mod:`~swp_models.continuity.changes`: worker changes in closed form, under the Poisson
  reading or (``typed=True``) with each worker keeping their type;
* :mod:`~swp_models.continuity.simulate`: the same processes simulated child by child;
* :mod:`~swp_models.continuity.grids`: the closed forms over grids of inputs (the static
  sliders' data);
* :mod:`~swp_models.continuity.compare`: a council child and a practice child from the same
  start, and the practice's advantage taken apart;
* :mod:`~swp_models.continuity.rota`: the 24-hour rota (Committee evidence, Q226);
* :mod:`~swp_models.continuity.queue`: the duty queue when caseloads are capped (Q239), an
  M/M/c queue;
* :mod:`~swp_models.continuity.checks`: the closed forms checked against simulation.

Every public name of those modules except :mod:`~swp_models.continuity.compare`'s is
re-exported here, so ``from swp_models import continuity`` and
``continuity.p_same_worker(...)`` work. The page's tables and key results are in
:mod:`swp_models.figures.continuity_tables`.
"""

from __future__ import annotations

from . import changes, checks, compare, grids, queue, rota, scenario, simulate
from .changes import *  # noqa: F401,F403  (the names in changes.__all__)
from .checks import *  # noqa: F401,F403
from .grids import *  # noqa: F401,F403
from .queue import *  # noqa: F401,F403
from .rota import *  # noqa: F401,F403
from .scenario import *  # noqa: F401,F403
from .simulate import *  # noqa: F401,F403

# The submodules, then every public name of each except :mod:`~swp_models.continuity.compare`.
__all__ = [
    "changes", "compare", "grids", "queue", "rota", "scenario", "simulate",
    *scenario.__all__, *changes.__all__, *checks.__all__, *simulate.__all__, *grids.__all__, *rota.__all__, *queue.__all__,
]
