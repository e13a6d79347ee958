"""Input checks shared by every model.

Each check raises :class:`ValueError` whose message names the parameter, the
value received and what is allowed. Nothing is clipped or coerced silently.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Iterable

import numpy as np

__all__ = [
    "check_finite",
    "check_in_range",
    "check_integer",
    "check_one_of",
    "check_probability",
    "check_nonnegative",
    "check_positive",
]


def _describe(value: object) -> str:
    return repr(value)


def check_finite(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.

    Returns
    -------
    float
    """
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a real number; got {_describe(value)}")
    out = float(value)
    if math.isnan(out) or math.isinf(out):
        raise ValueError(f"{name} must be a finite number; got {_describe(value)}")
    return out


def check_in_range(
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Check ``low <= value <= high`` (with optional open ends) and return a float.

    ``None`` for ``low`` or ``high`` leaves that side unbounded.
    """
    out = check_finite(name, value)
    below = low is not None and (out <= low if low_open else out < low)
    above = high is not None and (out >= high if high_open else out > high)
    if below or above:
        left = "(" if (low_open or low is None) else "["
        right = ")" if (high_open or high is None) else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}; got {_describe(value)}")
    return out


def check_probability(name: str, value: object, *, allow_one: bool = True) -> float:
    """Check a share or probability lies in [0, 1] (or [0, 1) when ``allow_one`` is False)."""
    return check_in_range(name, value, 0.0, 1.0, high_open=not allow_one)


def check_nonnegative(name: str, value: object) -> float:
    """Check ``value >= 0``."""
    return check_in_range(name, value, 0.0, None)


def check_positive(name: str, value: object) -> float:
    """Check ``value > 0``."""
    return check_in_range(name, value, 0.0, None, low_open=True)


def check_integer(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """Check ``value`` is an integer (not a bool) inside ``[low, high]`` and return it as ``int``."""
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        raise ValueError(f"{name} must be an integer; got {_describe(value)}")
    out = int(value)
    if (low is not None and out < low) or (high is not None and out > high):
        lo = "-inf" if low is None else str(low)
        hi = "inf" if high is None else str(high)
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}]; got {_describe(value)}")
    return out


def check_one_of(name: str, value: object, allowed: Iterable[object]) -> object:
    """Check ``value`` is one of ``allowed``."""
    options = list(allowed)
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}; got {_describe(value)}")
    return value
