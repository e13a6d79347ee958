"""Small statistics helpers used across the book."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from .validation import MAX_CELLS, check_in_range, check_probability, check_size

__all__ = ["MAX_TRIALS", "normal_quantile", "wilson_interval", "monte_carlo_se", "proportion_se"]

#: The most trials (people asked, draws) a proportion's interval or standard error accepts. A larger count is
#: a mistake (no survey or simulation in the book comes near), not a sample.
MAX_TRIALS: int = 10**12


def normal_quantile(p: float) -> float:
    """Quantile of the standard normal distribution.

    Parameters
    ----------
    p : float
        Probability, strictly between 0 and 1.
    """
    p = check_in_range("p", p, 0.0, 1.0, low_open=True, high_open=True)
    return NormalDist().inv_cdf(p)


def wilson_interval(successes: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes : float
        Number of successes, ``0 <= successes <= n``. A figure reconstructed from a rounded
        percentage (``0.80 * 339 = 271.2``) may be fractional; it is used as given.
    n : int
        Number of trials (people asked), at least 1.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper limits, as proportions in [0, 1].

    Notes
    -----
    Wilson (1927), *JASA* 22:209-212. Unlike the normal ("Wald") interval it stays inside
    [0, 1] and behaves well near 0 and 1.
    """
    n = check_size("n", n, MAX_TRIALS)
    successes = check_in_range("successes", successes, 0.0, float(n))
    confidence = check_in_range("confidence", confidence, 0.0, 1.0, low_open=True, high_open=True)
    z = normal_quantile(0.5 + confidence / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def monte_carlo_se(samples: np.ndarray) -> float:
    """Standard error of the mean of ``samples``: the sample standard deviation over sqrt(n).

    Parameters
    ----------
    samples : array-like of float
        One-dimensional, at least 2 finite values (in any unit; the result is in the same unit).

    Returns
    -------
    float
        ``std(samples, ddof=1) / sqrt(n)``.

    Raises
    ------
    ValueError
        If ``samples`` is not one-dimensional, holds fewer than 2 values, is not numeric, or
        holds NaN or infinity.
    """
    if isinstance(samples, (str, bytes, dict)) or not hasattr(samples, "__len__"):
        raise TypeError(f"samples must be an array or sequence of numbers; got {type(samples).__name__}")
    check_size("len(samples)", len(samples), MAX_CELLS, low=0)
    raw = np.asarray(samples)
    if raw.dtype == bool or (raw.dtype == object and any(isinstance(v, (bool, np.bool_)) for v in raw.ravel()[:1000])):
        raise TypeError("samples must be numbers, not True/False")
    try:
        arr = raw.astype(float)
    except (TypeError, ValueError):
        raise TypeError(f"samples must be numbers; got {samples!r:.80}") from None
    if arr.ndim != 1:
        raise ValueError(f"samples must be one-dimensional; got shape {arr.shape}")
    if arr.size < 2:
        raise ValueError(f"samples must hold at least 2 values; got {arr.size}")
    if not np.isfinite(arr).all():
        raise ValueError("samples must be finite (no NaN or infinity)")
    return float(arr.std(ddof=1) / math.sqrt(arr.size))


def proportion_se(p: float, n: int) -> float:
    """Standard error of a proportion ``p`` estimated from ``n`` independent draws."""
    p = check_probability("p", p)
    n = check_size("n", n, MAX_TRIALS)
    return math.sqrt(p * (1 - p) / n)
