"""How many children a practice looks after in a year: fixed, or random inside the contract's margin."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import special

from ..validation import MAX_DRAWS, check_instance, check_one_of, check_size, check_text
from .model import SeedLike, as_generator
from .needs import _folder, _row

__all__ = ["MAX_CAPACITY", "Caseload", "default_caseload", "as_caseload", "caseload_distribution"]


#: Largest number of children a caseload may name (a whole country's looked-after children many times over).
MAX_CAPACITY: int = 10**9


_CASELOAD_KINDS = ("uniform", "binomial")


@dataclass(frozen=True)
class Caseload:
    """Number of children a practice looks after in a year.

    Parameters
    ----------
    mean : int
        Central caseload, children (the draft contract's 100), in [1, :data:`MAX_CAPACITY`].
    margin : int, default 0
        Caseloads run from ``mean - margin`` to ``mean + margin`` (the contract's plus or
        minus 10); 0 means a fixed caseload. ``mean - margin`` must be >= 1.
    kind : str, default "uniform"
        ``"uniform"`` or ``"binomial"``. ``"uniform"``: every whole number in the margin equally likely, variance
        ``margin (margin + 1) / 3`` (about 36.7 for a margin of 10) — the most spread a
        distribution confined to the margin and symmetric about the mean can reasonably
        have, so a cautious choice. ``"binomial"``: ``mean - margin + Binomial(2 margin, 1/2)``,
        variance ``margin / 2`` (5 for a margin of 10) — caseloads bunch near the mean.
    """

    mean: int
    margin: int = 0
    kind: str = "uniform"

    def __post_init__(self) -> None:
        mean = check_size("mean", self.mean, MAX_CAPACITY)
        margin = check_size("margin", self.margin, MAX_CAPACITY, low=0)
        check_one_of("kind", self.kind, _CASELOAD_KINDS)
        if mean - margin < 1:
            raise ValueError(f"margin must leave at least 1 child (margin <= mean - 1 = {mean - 1}); got {margin}")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "margin", margin)

    @property
    def expected(self) -> float:
        """``E[N]``, children."""
        return float(self.mean)

    @property
    def variance(self) -> float:
        """``Var(N)``, children squared."""
        if self.margin == 0:
            return 0.0
        if self.kind == "uniform":
            return self.margin * (self.margin + 1) / 3.0
        return self.margin / 2.0

    @property
    def minimum(self) -> int:
        """Smallest possible caseload."""
        return self.mean - self.margin

    @property
    def maximum(self) -> int:
        """Largest possible caseload."""
        return self.mean + self.margin

    def sample(self, n: int, seed: SeedLike) -> np.ndarray:
        """Draw ``n`` caseloads (int64)."""
        n = check_size("n", n, MAX_DRAWS, low=0)
        rng = as_generator(seed)
        if self.margin == 0:
            return np.full(n, self.mean, dtype=np.int64)
        if self.kind == "uniform":
            return rng.integers(self.minimum, self.maximum + 1, size=n, dtype=np.int64)
        return self.minimum + rng.binomial(2 * self.margin, 0.5, size=n).astype(np.int64)


def as_caseload(caseload: int | Caseload, name: str = "caseload") -> Caseload:
    """A :class:`Caseload` from a caseload or a whole number of children (>= 1), errors naming ``name``.

    Parameters
    ----------
    caseload : int or Caseload
        A caseload, used as given, or a fixed number of children, 1 to :data:`MAX_CAPACITY`.
    name : str
        The parameter's name in error messages.
    """
    check_text("name", name)
    if isinstance(caseload, Caseload):
        return caseload
    if isinstance(caseload, bool) or not isinstance(caseload, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number of children or a Caseload; got "
                        f"{type(caseload).__name__} {caseload!r:.80}")
    return Caseload(mean=check_size(name, caseload, MAX_CAPACITY))


def default_caseload(kind: str = "uniform", *, data_dir: str | Path | None = None) -> Caseload:
    """The draft contract's caseload, 100 children plus or minus 10 (Annex 2, Article 4).

    Read from ``data/practice_design.csv`` (rows ``caseload_children`` and ``caseload_margin``).

    Parameters
    ----------
    kind : str
        ``"uniform"`` or ``"binomial"``: how caseloads spread inside the margin; see
        :class:`Caseload`.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    mean = float(_row("practice_design", data_dir, parameter="caseload_children")["value"])
    margin = float(_row("practice_design", data_dir, parameter="caseload_margin")["value"])
    for name, figure in (("caseload_children", mean), ("caseload_margin", margin)):
        if figure != int(figure):
            raise ValueError(f"{name} in data/practice_design.csv must be a whole number of children; got {figure!r}")
    return Caseload(mean=int(mean), margin=int(margin), kind=kind)


def caseload_distribution(load: Caseload) -> tuple[np.ndarray, np.ndarray]:
    """Possible caseloads and their probabilities.

    Parameters
    ----------
    load : Caseload

    Returns
    -------
    tuple of numpy.ndarray
        The numbers of children from ``load.minimum`` to ``load.maximum`` (int64) and the chance of each
        (uniform, or binomial about the mean), summing to 1.
    """
    check_instance("load", load, Caseload, "Caseload")
    if load.margin == 0:
        return np.array([load.mean], dtype=np.int64), np.array([1.0])
    ns = np.arange(load.minimum, load.maximum + 1, dtype=np.int64)
    if load.kind == "uniform":
        probs = np.full(ns.size, 1.0 / ns.size)
    else:
        k = np.arange(2 * load.margin + 1)
        probs = np.exp(special.gammaln(2 * load.margin + 1) - special.gammaln(k + 1)
                       - special.gammaln(2 * load.margin - k + 1) - 2 * load.margin * math.log(2.0))
    return ns, probs / probs.sum()

