"""What a social work practice costs to run: a staffing budget (chapter 4).

The model of chapter 4, one module per part, each re-exported here
(``from swp_models.practice import PracticeDesign`` works):

* ``design`` — who works in the practice, their pay and on-costs, and
  the other costs (:class:`PracticeDesign`, :class:`SalaryScale`, :class:`Overheads`).
* ``budget`` — the budget line by line, its totals and grids of designs
  (:func:`running_cost`, :func:`summary`, :func:`budget_grid`).

Chapter 4's page tables and key results are in :mod:`swp_models.figures.practice_tables`, its
charts in ``swp_models.figures.practice``.

What the census averages include
--------------------------------
The report's annual cost per looked-after child "include[s] the local authority expenditure on
staff", but not "the wider overhead costs of local authorities" such as human resources, the
central finance department, IT and the layers of management above social services (s.6.1.5).
A practice's running cost therefore replaces part of the £35,360, not an addition to it, except
for the items that stand where a council's central functions stand. Each budget line carries a
flag ``in_census_scope``:

* inside the scope (the practice's version of what the census counts): front-line staff,
  administration, education and research support, the professional-development officer,
  students, night duty, travel and training;
* outside the scope (what the census leaves out): the practice manager (finance and office
  management, the practice's only layer of management), legal services (a council central
  department), premises and IT, and insurance, audit, payroll and HR.

The split is the book's reading of s.6.1.5 and is stated as such in the chapter.

Units: pay and costs in £ a year (per full-time-equivalent post where stated); the practice's
totals in £ per practice per year; per-child figures in £ per child per year.
"""

from __future__ import annotations

from . import budget, design
from .budget import *  # noqa: F401,F403
from .design import *  # noqa: F401,F403

__all__ = [*design.__all__, *budget.__all__]
