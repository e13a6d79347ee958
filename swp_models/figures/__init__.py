"""Chart builders, one module per chapter. Each returns a finished Altair chart (title, axes
with units, source line) built from the package's computations, so notebooks only call them.

``import swp_models.figures`` gives every chapter's module as an attribute, imported on first use."""

from __future__ import annotations

from .. import _lazy_modules

_MODULES, __getattr__, __dir__ = _lazy_modules(__name__, __path__, globals())

__all__ = list(_MODULES)
