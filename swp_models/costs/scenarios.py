"""The practice's risk across readings of the uncertain inputs, and the exact figures against a simulation.

* :func:`needs_mix_table` — the central needs mix, its range and the census calibration.
* :func:`tail_sensitivity`, :func:`target_sensitivity` — a few exceptional children; the average
  cost matched.
* :func:`share_sensitivity_grid`, :func:`mix_sensitivity_grid` — risk measures over the needs
  mix and the within-group spread (the grids behind the book's static sliders).
* :func:`exact_vs_simulated` — the exact figures against a simulation, with standard errors.
"""

from __future__ import annotations

import math
from typing import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import MAX_DRAWS, check_in_range, check_positive, check_sequence, check_size, check_work
from .caseload import Caseload, as_caseload, default_caseload
from .distribution import total_cost_distribution
from .model import NEEDS_GROUPS, CostModel, SeedLike, _check_model, as_generator
from .needs import _folder, _needs_mixes, assumption, calibrate_shares, default_cost_model, shares_for_complex_share
from .totals import draw_practice_children, total_cost_moments

__all__ = [
    "needs_mix_table",
    "tail_sensitivity",
    "target_sensitivity",
    "share_sensitivity_grid",
    "mix_sensitivity_grid",
    "exact_vs_simulated",
    "OVERSPENDS",
]

#: The overspends per child the scenario tables report, as fractions of the mean: their columns
#: ``p_over_10`` and ``p_over_20`` are the chances of exceeding the first and the second.
OVERSPENDS: tuple[float, float] = (0.10, 0.20)


def _mix_row(label: str, model: CostModel, load: Caseload, known: str) -> dict:
    dist = total_cost_distribution(model, load)
    w = model.component_weights
    return {
        "mix": label,
        "none": float(w[0]),
        "ebd": float(w[1]),
        "complex": float(w[2]),
        "mean": model.mean,
        "sd_child": model.std,
        "practice_sd": total_cost_moments(model, load).std,
        "practice_cv": total_cost_moments(model, load).std / total_cost_moments(model, load).mean,
        "p_over_10": dist.prob_cost_per_child_exceeds(OVERSPENDS[0]),
        "p_over_20": dist.prob_cost_per_child_exceeds(OVERSPENDS[1]),
        "basis": known,
    }


def needs_mix_table(caseload: int | Caseload | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The central needs mix next to what is known, with the other readings and the practice's risk under each.

    Rows: the central mix (45% with additional needs, 3% complex); the low and high ends of
    the additional-needs share (37%, 55%); the high end of both shares, standing for the
    older children a practice would take (a labelled scenario); and the census calibration
    (the mix that matches £35,360, almost every child in the cheapest group).

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``mix`` (label), ``none``, ``ebd``, ``complex`` (shares of all children), ``mean``,
        ``sd_child`` (£ per child per year), ``practice_sd`` (£ per practice-year),
        ``practice_cv``, ``p_over_10``, ``p_over_20`` (chance the practice's cost per child
        is more than 10% / 20% above its mean) and ``basis`` (what the mix rests on).
    """
    _folder(data_dir)  # checked even where the data is not read
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    return pd.DataFrame([_mix_row(label, model, load, basis) for label, model, basis in _needs_mixes(data_dir=data_dir)])


def tail_sensitivity(
    tail_share: float | None = None,
    tail_multiple: float | None = None,
    caseload: int | Caseload | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The default model against one with a small exceptional-cost component, same average cost.

    Parameters
    ----------
    tail_share : float, optional
        Default the assumption ``tail_share_sensitivity`` (0.5% of children).
    tail_multiple : float, optional
        Default the assumption ``tail_multiple`` (three times the complex-needs cost).
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per model (``model``: ``"default"`` or ``"with exceptional children"``):
        ``tail_share``, the needs-group shares (``none``, ``ebd``, ``complex``, of all
        children), ``mean``, ``sd_child``, ``p99_child`` (£ per child per year),
        ``practice_sd``, ``practice_p95``, ``practice_p99`` (£ per practice-year),
        ``p_over_10``, ``p_over_20``.
    """
    _folder(data_dir)  # checked even where the data is not read
    t = assumption("tail_share_sensitivity", data_dir=data_dir) if tail_share is None else tail_share
    multiple = assumption("tail_multiple", data_dir=data_dir) if tail_multiple is None else tail_multiple
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    models = {
        "default": default_cost_model(data_dir=data_dir),
        "with exceptional children": default_cost_model(tail_share=t, tail_multiple=multiple, data_dir=data_dir),
    }
    rows = []
    for label, model in models.items():
        dist = total_cost_distribution(model, load)
        t95, t99 = dist.quantile(np.array([0.95, 0.99]))
        w = model.component_weights
        rows.append(
            {
                "model": label,
                "tail_share": model.tail_share,
                "none": float(w[0]),
                "ebd": float(w[1]),
                "complex": float(w[2]),
                "mean": model.mean,
                "sd_child": model.std,
                "p99_child": float(model.quantile(0.99)),
                "practice_sd": total_cost_moments(model, load).std,
                "practice_p95": float(t95),
                "practice_p99": float(t99),
                "p_over_10": dist.prob_cost_per_child_exceeds(OVERSPENDS[0]),
                "p_over_20": dist.prob_cost_per_child_exceeds(OVERSPENDS[1]),
            }
        )
    return pd.DataFrame(rows)


def target_sensitivity(
    targets: Sequence[float],
    caseload: int | Caseload | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """How the calibrated shares and the practice's risk depend on the average cost matched.

    For each target, the feasible range of the complex-needs share, the default shares (at
    the assumed position on the line) and the resulting spread and overspend risk.

    Parameters
    ----------
    targets : sequence of float
        Average costs per child to match, £ per year, each inside the range the group means
        allow (between £33,000 and £95,000 with the sourced figures).
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``target`` (£), ``complex_low`` and ``complex_high`` (feasible range of the
        complex-needs share), ``none``, ``ebd``, ``complex`` (default shares), ``sd_child``
        (£), ``practice_sd`` (£), ``p_over_10`` and ``p_over_20``.
    """
    _folder(data_dir)  # checked even where the data is not read
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    rows = []
    for target in check_sequence("targets", targets, max_len=1000):
        calib = calibrate_shares(target, n_points=2, data_dir=data_dir)
        model = default_cost_model(target_mean=target, data_dir=data_dir)
        dist = total_cost_distribution(model, load)
        rows.append(
            {
                "target": calib.target_mean,
                "complex_low": calib.complex_share_range[0],
                "complex_high": calib.complex_share_range[1],
                "none": model.shares[0],
                "ebd": model.shares[1],
                "complex": model.shares[2],
                "sd_child": model.std,
                "practice_sd": total_cost_moments(model, load).std,
                "p_over_10": dist.prob_cost_per_child_exceeds(OVERSPENDS[0]),
                "p_over_20": dist.prob_cost_per_child_exceeds(OVERSPENDS[1]),
            }
        )
    return pd.DataFrame(rows)


def share_sensitivity_grid(
    complex_shares: Sequence[float] | None = None,
    cvs: Sequence[float] = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5),
    caseload: int | Caseload | None = None,
    excesses: Sequence[float] = OVERSPENDS,
    *,
    target_mean: float | None = None,
    points_per_sd: int = 20,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Risk measures along the feasible line of shares, for the book's static sliders.

    Every row has the same mean cost per child (the target); the rows differ in how the
    children split between the needs groups and in the within-group spread.

    Parameters
    ----------
    complex_shares : sequence of float, optional
        Complex-needs shares to tabulate; default every 0.1 percentage point of the feasible
        range (0% to 3.8% with the sourced figures).
    cvs : sequence of float
        Within-group coefficients of variation, each > 0.
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10 (:func:`default_caseload`).
    excesses : sequence of float
        Overspends per child, as fractions of the mean, for the ``p_over_<percent>`` columns.
    target_mean : float, optional
        As in :func:`calibrate_shares`.
    points_per_sd : int, default 20
        Grid resolution of :func:`total_cost_distribution`.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per (cv, complex share): ``cv``, ``complex_pct``, ``ebd_pct``, ``none_pct``
        (percent of children), ``mean``, ``sd_child``, ``p95_child``, ``p99_child`` (£ per
        child per year), ``practice_sd``, ``practice_p95``, ``practice_p99`` (£ per
        practice-year) and ``p_over_<k>`` (probability that a practice's cost per child is
        more than k% above the mean).
    """
    _folder(data_dir)  # checked even where the data is not read
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    calib = calibrate_shares(target_mean, n_points=2, data_dir=data_dir)
    lo, hi = calib.complex_share_range
    if complex_shares is None:
        complex_shares = np.arange(math.ceil(lo * 1000 - 1e-9), math.floor(hi * 1000 + 1e-9) + 1) / 1000
    shares = [check_in_range("complex_shares", c, 0.0, 1.0) for c in check_sequence("complex_shares", complex_shares,
                                                                                  max_len=1000)]
    cv_values = [check_positive("cvs", v) for v in check_sequence("cvs", cvs, max_len=100)]
    excess_values = [check_in_range("excesses", e, 0.0, None) for e in check_sequence("excesses", excesses, max_len=100)]
    check_work(len(shares) * len(cv_values), "complex_shares × cvs", limit=10_000)
    line = shares_for_complex_share(np.asarray(shares, dtype=float), calib.target_mean, data_dir=data_dir)
    means = tuple(calib.group_means[g] for g in NEEDS_GROUPS)
    rows = []
    for cv in cv_values:
        for rec in line.itertuples(index=False):
            shares = tuple(float(getattr(rec, g)) for g in NEEDS_GROUPS)
            model = CostModel(NEEDS_GROUPS, means, shares, cv)
            dist = total_cost_distribution(model, load, points_per_sd=points_per_sd)
            p95, p99 = model.quantile(np.array([0.95, 0.99]))
            t95, t99 = dist.quantile(np.array([0.95, 0.99]))
            row = {
                "cv": cv,
                "complex_pct": round(100 * shares[2], 6),
                "ebd_pct": 100 * shares[1],
                "none_pct": 100 * shares[0],
                "mean": model.mean,
                "sd_child": model.std,
                "p95_child": float(p95),
                "p99_child": float(p99),
                "practice_sd": total_cost_moments(model, load).std,
                "practice_p95": float(t95),
                "practice_p99": float(t99),
            }
            for e in excess_values:
                row[f"p_over_{round(100 * e):d}"] = dist.prob_cost_per_child_exceeds(e)
            rows.append(row)
    return pd.DataFrame(rows)


def mix_sensitivity_grid(
    additional_shares: Sequence[float] = (0.37, 0.40, 0.43, 0.45, 0.49, 0.52, 0.55),
    complex_shares: Sequence[float] = (0.01, 0.02, 0.03, 0.04, 0.05, 0.06),
    cvs: Sequence[float] = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5),
    caseload: int | Caseload | None = None,
    *,
    points_per_sd: int = 20,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Risk measures over the needs mix and the within-group spread, for the book's static sliders.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per (cv, additional share, complex share): ``cv``, ``additional_pct``,
        ``complex_pct``, ``mean`` and ``sd_child`` (£ per child per year), ``practice_sd``
        and ``practice_p95`` (£ per practice-year), ``p_over_10`` and ``p_over_20``.
    """
    _folder(data_dir)  # checked even where the data is not read
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    rows = []
    cv_values = [check_positive("cvs", v) for v in check_sequence("cvs", cvs, max_len=100)]
    adds = [check_in_range("additional_shares", a, 0.0, 1.0)
            for a in check_sequence("additional_shares", additional_shares, max_len=100)]
    comps = [check_in_range("complex_shares", c, 0.0, 1.0)
             for c in check_sequence("complex_shares", complex_shares, max_len=100)]
    check_work(len(cv_values) * len(adds) * len(comps), "cvs × additional_shares × complex_shares", limit=10_000)
    for cv in cv_values:
        for a in adds:
            for c in comps:
                model = default_cost_model(cv=cv, additional_share=a, complex_share=c, data_dir=data_dir)
                dist = total_cost_distribution(model, load, points_per_sd=points_per_sd)
                rows.append({
                    "cv": float(cv), "additional_pct": round(100 * a, 6), "complex_pct": round(100 * c, 6),
                    "mean": model.mean, "sd_child": model.std,
                    "practice_sd": total_cost_moments(model, load).std,
                    "practice_p95": float(dist.quantile(0.95)),
                    "p_over_10": dist.prob_cost_per_child_exceeds(OVERSPENDS[0]),
                    "p_over_20": dist.prob_cost_per_child_exceeds(OVERSPENDS[1]),
                })
    return pd.DataFrame(rows)


def exact_vs_simulated(
    model: CostModel,
    caseload: int | Caseload | None = None,
    *,
    n_children: int = 1_000_000,
    n_years: int = 100_000,
    seed: SeedLike = 2007,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Exact figures against a simulation, with Monte Carlo standard errors.

    Child cost: mean, variance and 95th percentile from ``n_children`` simulated children.
    Practice total: mean, variance (and the two terms of ``E[N] var(c) + Var(N) mean(c)**2``)
    and 95th percentile from ``n_years`` simulated practice-years. The standard error of a
    simulated variance uses the sample's fourth central moment; that of a percentile is
    ``sqrt(q (1 - q) / n) / f(x_q)`` with the exact density ``f``.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``quantity``, ``exact``, ``simulated``, ``std_error`` and ``z`` (difference over
        standard error). The ``exact`` entry of a practice percentile comes from
        :func:`total_cost_distribution`.
    """
    _folder(data_dir)  # checked even where the data is not read
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    _check_model(model)
    n_children = check_size("n_children", n_children, MAX_DRAWS, low=100)
    n_years = check_size("n_years", n_years, MAX_DRAWS, low=100)
    check_work(n_years * load.maximum, "n_years × caseload")
    rng = as_generator(seed)
    rows: list[tuple[str, float, float, float]] = []

    def moments_rows(label: str, x: np.ndarray, mean: float, var: float) -> None:
        d = x - x.mean()
        m2 = float(np.mean(d * d))
        m4 = float(np.mean(d**4))
        rows.append((f"{label}: mean", mean, float(x.mean()), math.sqrt(m2 / x.size)))
        rows.append((f"{label}: variance", var, float(x.var()), math.sqrt((m4 - m2 * m2) / x.size)))

    child = model.sample(n_children, rng)
    moments_rows("Cost of a child", child, model.mean, model.variance)
    q95 = float(model.quantile(0.95))
    se95 = math.sqrt(0.95 * 0.05 / n_children) / float(model.pdf(q95))
    rows.append(("Cost of a child: 95th percentile", q95, float(np.quantile(child, 0.95)), se95))
    del child

    totals = draw_practice_children(model, load, n_years, rng).totals
    exact = total_cost_moments(model, load)
    moments_rows("Practice total", totals, exact.mean, exact.variance)
    dist = total_cost_distribution(model, load)
    t95 = float(dist.quantile(0.95))
    f95 = float(np.interp(t95, dist.grid, dist.density()))
    rows.append(
        ("Practice total: 95th percentile", t95, float(np.quantile(totals, 0.95)), math.sqrt(0.95 * 0.05 / n_years) / f95)
    )
    frame = pd.DataFrame(rows, columns=["quantity", "exact", "simulated", "std_error"])
    frame["z"] = (frame["simulated"] - frame["exact"]) / frame["std_error"]
    return frame

