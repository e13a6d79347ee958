"""Former name of :mod:`swp_models.contracts.liability` (who pays for what, and what a practice can lose).

Kept so that older code and notebooks keep working: every name is the same object as in
:mod:`swp_models.contracts.liability`, where it is documented. Nothing inside
``swp_models.contracts`` imports this module.
"""

from __future__ import annotations

from .contracts.liability import *  # noqa: F401,F403
from .contracts.liability import __all__  # noqa: F401
