"""Input checks shared by every model.

Each check raises :class:`ValueError` whose message names the parameter, the
value received and what is allowed. Nothing is clipped or coerced silently.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Iterable, Mapping

import numpy as np

__all__ = [
    "MAX_CELLS",
    "MAX_CHILD_YEARS",
    "MAX_DRAWS",
    "MAX_HORIZON_YEARS",
    "MAX_PRACTICES",
    "MAX_PRACTICE_CHILDREN",
    "check_finite",
    "check_finite_array",
    "check_flag",
    "check_instance",
    "check_sequence",
    "check_size",
    "check_text",
    "check_work",
    "check_in_range",
    "check_integer",
    "check_one_of",
    "check_probability",
    "check_nonnegative",
    "check_positive",
    "check_numbers",
    "check_shares",
    "check_amounts",
    "check_effort_cost",
]


def _describe(value: object) -> str:
    return repr(value)


def _name(name: object, arg: str = "name") -> str:
    if not isinstance(name, str) or not name:
        raise TypeError(f"{arg} must be a non-empty string naming the parameter; got {name!r:.80}")
    return name


def _bound(arg: str, value: object, *, optional: bool = True, integer: bool = False) -> float | int | None:
    """Check a bound given to a check (``low``, ``high``, ``min_len`` ...): a finite number, or None."""
    if value is None and optional:
        return None
    kinds = (Integral, np.integer) if integer else (Real, np.floating, np.integer)
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(float(value)):
        what = "an integer" if integer else "a finite number"
        raise TypeError(f"{arg} must be {what}{' or None' if optional else ''}; got {value!r:.80}")
    return int(value) if integer else value


def _flag(arg: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{arg} must be True or False; got {value!r:.80}")
    return bool(value)


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
    _name(name)
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
    _bound("low", low)
    _bound("high", high)
    _flag("low_open", low_open)
    _flag("high_open", high_open)
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
    return check_in_range(name, value, 0.0, 1.0, high_open=not _flag("allow_one", allow_one))


def check_nonnegative(name: str, value: object) -> float:
    """Check ``value >= 0``."""
    return check_in_range(name, value, 0.0, None)


def check_positive(name: str, value: object) -> float:
    """Check ``value > 0``."""
    return check_in_range(name, value, 0.0, None, low_open=True)


def check_integer(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """Check ``value`` is an integer (not a bool) inside ``[low, high]`` and return it as ``int``."""
    _name(name)
    low = _bound("low", low, integer=True)
    high = _bound("high", high, integer=True)
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
    _name(name)
    if isinstance(allowed, (str, bytes)) or not hasattr(allowed, "__iter__"):
        raise TypeError(f"allowed must be a collection of the allowed values; got {allowed!r:.80}")
    options = list(allowed)
    if not options:
        raise ValueError("allowed must hold at least one value")
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}; got {_describe(value)}")
    return value


# --- Sizes, types and sequences ------------------------------------------------------------------------

#: The most array cells (numbers) one call may allocate for its working arrays, 2·10^7 float64 values,
#: about 160 MB. Size parameters are checked against this before any work is done.
MAX_CELLS: int = 20_000_000

#: The most Monte Carlo draws (simulated years, simulated practices, bootstrap replicates) one call accepts.
MAX_DRAWS: int = 2_000_000

#: The most children one practice (a caseload, a cluster of a trial) may hold, wherever a function takes one
#: practice's children: far above any practice (the book's are 60 to 100 children) yet small enough to bound the work.
MAX_PRACTICE_CHILDREN: int = 100_000

#: The most practices a function takes (a trial's arms, a council's contracts); England has about 150 councils.
MAX_PRACTICES: int = 10_000

#: The longest horizon, in years, of a plan, an appraisal or an evaluation.
MAX_HORIZON_YEARS: int = 50

#: The most child-years one practice can contribute, its children times the years it is observed.
MAX_CHILD_YEARS: int = MAX_PRACTICE_CHILDREN * MAX_HORIZON_YEARS


def check_size(name: str, value: object, high: int, low: int = 1) -> int:
    """Check a size parameter (a count of draws, years, workers, children ...) and return it as ``int``.

    A float with a whole value (``1e6``) is accepted as that integer; a bool is not.

    The value must be an integer (not a bool) in ``[low, high]``; ``high`` is the documented bound that keeps
    a call within memory and time. The message names the parameter, the value and the allowed range.
    """
    _name(name)
    high = _bound("high", high, optional=False, integer=True)
    low = _bound("low", low, optional=False, integer=True)
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        if isinstance(value, (Real, np.floating)) and not isinstance(value, bool) and math.isfinite(float(value)) \
                and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be a whole number in [{low:,}, {high:,}]; got {_describe(value)}")
    out = int(value)
    if out < low or out > high:
        raise ValueError(f"{name} must be a whole number in [{low:,}, {high:,}]; got {out:,}")
    return out


def check_work(cells: int, names: str, limit: int = MAX_CELLS) -> None:
    """Refuse a call whose working arrays would exceed ``limit`` cells.

    ``names`` describes the product, e.g. ``"n_sims × years"``; the message names those parameters, the
    number of cells asked for and the limit.
    """
    cells = _bound("cells", cells, optional=False, integer=True)
    limit = _bound("limit", limit, optional=False, integer=True)
    _name(names, "names")
    if cells > limit:
        raise ValueError(f"{names} asks for {cells:,} values, more than the {limit:,} one call may use; "
                         f"reduce {names}")


def check_instance(name: str, value: object, types: type | tuple[type, ...], what: str | None = None) -> object:
    """Check ``value`` is an instance of ``types``; raise :class:`TypeError` naming the parameter otherwise."""
    _name(name)
    if what is not None and not isinstance(what, str):
        raise TypeError(f"what must be a string describing the type wanted, or None; got {what!r:.80}")
    if not isinstance(value, types):
        if what is None:
            tup = types if isinstance(types, tuple) else (types,)
            what = "of type " + " or ".join(t.__name__ for t in tup)
        raise TypeError(f"{name} must be a {what}; got {type(value).__name__} {_describe(value)[:80]}")
    return value


def check_flag(name: str, value: object) -> bool:
    """Check a yes/no flag is a ``bool`` (numbers and strings are refused, not read as truthy)."""
    _name(name)
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_describe(value)[:80]}")
    return bool(value)


def check_text(name: str, value: object, *, allow_empty: bool = False) -> str:
    """Check ``value`` is a string (non-empty unless ``allow_empty``)."""
    _name(name)
    _flag("allow_empty", allow_empty)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {type(value).__name__} {_describe(value)[:80]}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_sequence(name: str, value: object, *, min_len: int = 1, max_len: int = MAX_DRAWS) -> list:
    """Check ``value`` is a list/tuple/array/Series (not a string or mapping) of bounded, non-zero length.

    Returns the items as a list. Empty sequences are refused by name unless ``min_len`` is 0.
    """
    _name(name)
    min_len = _bound("min_len", min_len, optional=False, integer=True)
    max_len = _bound("max_len", max_len, optional=False, integer=True)
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence (list, tuple or array); got {type(value).__name__} "
                        f"{_describe(value)[:80]}")
    n = len(value)
    if n < min_len:
        raise ValueError(f"{name} must have at least {min_len} item{'s' if min_len != 1 else ''}; got {n}")
    if n > max_len:
        raise ValueError(f"{name} must have at most {max_len:,} items; got {n:,}")
    return list(value)


def check_finite_array(name: str, value: object, *, min_len: int = 1, max_len: int = MAX_CELLS) -> np.ndarray:
    """Check a one-dimensional sequence of finite real numbers and return it as a float array."""
    items = check_sequence(name, value, min_len=min_len, max_len=max_len)
    try:
        arr = np.asarray(items, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold real numbers; got {_describe(value)[:80]}") from None
    if any(isinstance(v, (bool, np.bool_)) for v in items[:1000]):
        raise TypeError(f"{name} must hold numbers, not True/False")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers; got NaN or infinity")
    return arr


def check_numbers(name: str, value: object, low: float = 0.0, high: float | None = None) -> np.ndarray:
    """Check a number or an array of numbers, each in ``[low, high]``, and return them as a float array.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        A number or an array of numbers (at most :data:`MAX_CELLS`, finite, not True/False).
    low : float
        The smallest value allowed.
    high : float, optional
        The largest value allowed; None (the default) for no upper bound.

    Returns
    -------
    numpy.ndarray
        ``value`` as floats, of its own shape (0-d for a single number).
    """
    _name(name)
    _bound("low", low, optional=False)
    _bound("high", high)
    span = f"[{low:g}, {'inf' if high is None else f'{high:g}'}]"
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers in {span}; got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers in {span}; got {value!r:.80}") from None
    if np.asarray(value).dtype == bool:
        raise TypeError(f"{name} must hold numbers, not True/False")
    if arr.size > MAX_CELLS:
        raise ValueError(f"{name} must hold at most {MAX_CELLS:,} values; got {arr.size:,}")
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one value; got an empty array")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity); got {value!r:.80}")
    if (arr < low).any() or (high is not None and (arr > high).any()):
        raise ValueError(f"{name} must be in {span}; got {value!r:.80}")
    return arr


def check_shares(name: str, value: object) -> np.ndarray:
    """Check a share or an array of shares, each in [0, 1] (:func:`check_numbers`), and return them as floats."""
    return check_numbers(name, value, 0.0, 1.0)


def check_amounts(name: str, value: object) -> np.ndarray:
    """Check an array of £ amounts (a practice's surplus in each simulated year, say) and return it flattened.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        An array of finite amounts, 1 to :data:`MAX_CELLS` of them; a single number is refused.

    Returns
    -------
    numpy.ndarray
        The amounts as a one-dimensional float array.
    """
    _name(name)
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None or isinstance(value, Mapping):
        raise TypeError(f"{name} must be an array of £ amounts; got {type(value).__name__} {value!r:.80}")
    try:
        arr = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of £ amounts; got {value!r:.80}") from None
    if np.asarray(value).dtype == bool:
        raise TypeError(f"{name} must hold £ amounts, not True/False")
    if np.ndim(value) == 0:
        raise TypeError(f"{name} must be an array of £ amounts, one a year; got the single value {value!r:.80}")
    if arr.size > MAX_CELLS:
        raise ValueError(f"{name} must hold at most {MAX_CELLS:,} values; got {arr.size:,}")
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one value; got an empty array")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return arr


def check_effort_cost(name: str, value: object) -> float:
    """Check the cost-of-effort curvature ``k`` of the contract model's effort choice: a finite number >= 1."""
    return check_in_range(name, value, 1.0, None)
