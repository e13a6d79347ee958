"""Former name of :mod:`swp_models.contracts.council` (the council's side of a contract).

Kept so that older code and notebooks keep working: every name is the same object as in
:mod:`swp_models.contracts.council`, where it is documented. Nothing inside
``swp_models.contracts`` imports this module.
"""

from __future__ import annotations

from .contracts.council import *  # noqa: F401,F403
from .contracts.council import __all__  # noqa: F401
