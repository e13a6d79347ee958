"""Models and data behind the Social Work Practices research and costing workbook.

``import swp_models`` gives every module of the package as an attribute (``swp_models.costs``,
``swp_models.figures``, ...), each imported on first use so that the plain import stays quick;
``__version__`` is the installed version. The names are listed in ``__all__``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("swp_models")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def _lazy_modules(package: str, path: list[str], namespace: dict[str, Any]) -> tuple[
        tuple[str, ...], Callable[[str], Any], Callable[[], list[str]]]:
    """A package's public modules, and the ``__getattr__``/``__dir__`` (PEP 562) that import each on first use."""
    modules = tuple(sorted(info.name for info in pkgutil.iter_modules(path) if not info.name.startswith("_")))

    def getattr_(name: str) -> Any:
        if name in modules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(modules) | set(namespace.get("__all__", ())))

    return modules, getattr_, dir_


_MODULES, _module, __dir__ = _lazy_modules(__name__, __path__, globals())


def __getattr__(name: str) -> Any:
    # ``__version__`` (the installed version, ``"0+unknown"`` in a source tree never installed) is read from
    # the package metadata on first use: importlib.metadata alone would double the plain import's time.
    if name == "__version__":
        globals()["__version__"] = _version()
        return globals()["__version__"]
    return _module(name)

__all__ = ["__version__", *_MODULES]
