"""The needs mix: what the sources say each needs group costs, and how many children fall in each.

* :func:`group_costs`, :func:`census_average_cost`, :func:`assumption`, :func:`assumption_range`,
  :func:`default_shock_cv` — the sourced figures and the labelled assumptions, read from ``data/``.
* :func:`prevalence_shares` — the central needs mix, from the prevalence of additional needs.
* :func:`calibrate_shares`, :func:`shares_for_complex_share` — the sources give the cost of each
  needs group and the average cost of all looked-after children, but not how many children are
  in each group. Three shares with two constraints (they sum to one; the mixture mean equals the
  average) leave a one-parameter family: the line of feasible shares and a default point on it.
* :func:`default_cost_model`, :func:`needs_mix_models` — the book's cost models.

Every function that reads the data takes ``data_dir`` (default the package's own ``data/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import data
from ..validation import (
    check_in_range,
    check_instance,
    check_one_of,
    check_positive,
    check_probability,
    check_size,
    check_text,
)
from .model import NEEDS_GROUPS, CostModel

__all__ = [
    "assumption",
    "assumption_range",
    "census_average_cost",
    "group_costs",
    "default_shock_cv",
    "prevalence_shares",
    "ShareCalibration",
    "calibrate_shares",
    "shares_for_complex_share",
    "default_cost_model",
    "needs_mix_models",
]


_COST_TABLE = "cost_by_needs_2005"

_CENSUS_TABLE = "cin_census_2005"

_ASSUMPTIONS = "assumptions_costs"


def _folder(data_dir: object) -> Path | None:
    """``data_dir`` as a Path (None stays None), refusing anything but a string or a path by name."""
    if data_dir is None:
        return None
    if isinstance(data_dir, bool) or not isinstance(data_dir, (str, Path)):
        raise TypeError(f"data_dir must be a folder (str or pathlib.Path) or None; got {type(data_dir).__name__} "
                        f"{data_dir!r:.80}")
    return Path(data_dir)


def _load(name: str, data_dir: str | Path | None) -> pd.DataFrame:
    """Table ``name`` from ``data_dir`` (checked) or the package's data."""
    return data.load(name, _folder(data_dir))


def _row(name: str, data_dir: str | Path | None, **dims: object) -> pd.Series:
    """The single row of table ``name`` matching ``dims`` (as :func:`swp_models.data.row`), from ``data_dir``."""
    folder = _folder(data_dir)
    if folder is None:
        return data.row(name, **dims)
    frame = data.load(name, folder)
    mask = pd.Series(True, index=frame.index)
    for col, want in dims.items():
        mask &= frame[col] == want
    hits = frame[mask]
    if len(hits) != 1:
        raise data.DataValidationError(f"table {name!r} in {folder}: {len(hits)} rows match {dims}")
    return hits.iloc[0]


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one assumption in ``data/assumptions_costs.csv``.

    Parameters
    ----------
    parameter : str
        The ``parameter`` cell of the row, e.g. ``"within_group_cv"``.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    check_text("parameter", parameter)
    return float(_row(_ASSUMPTIONS, data_dir, parameter=parameter)["value"])


def group_costs(which: str = "value", *, data_dir: str | Path | None = None) -> dict[str, float]:
    """Average annual cost by needs group, 2005/6 (Ward and colleagues, via the report).

    Parameters
    ----------
    which : str
        ``"value"``, ``"low"`` or ``"high"``: the recorded figure, or the low or high end of the source's range or bound where it
        gives one (the recorded value otherwise). For "over £95,000" the low end and the
        value are both £95,000 and no high end exists, so ``"high"`` falls back to the value.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    dict
        ``{needs group: £ per child per year}`` in the order of :data:`NEEDS_GROUPS`.
    """
    _folder(data_dir)  # checked even where the data is not read
    check_one_of("which", which, ("value", "low", "high"))
    frame = _load(_COST_TABLE, data_dir).set_index("needs_group")
    out = {}
    for group in NEEDS_GROUPS:
        rec = frame.loc[group]
        figure = rec[which] if which != "value" else rec["value"]
        out[group] = float(rec["value"] if pd.isna(figure) else figure)
    return out


def census_average_cost(group: str = "looked_after", *, data_dir: str | Path | None = None) -> float:
    """Average cost per child per year from the Children in Need census, February 2005 (£).

    Parameters
    ----------
    group : str, default "looked_after"
        The census group: ``"looked_after"``, ``"in_families"`` or ``"all"``.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    check_one_of("group", group, ("looked_after", "in_families", "all"))
    return float(_row(_CENSUS_TABLE, data_dir, group=group, measure="annual_cost_per_child")["value"])


def default_shock_cv(which: str = "value", *, data_dir: str | Path | None = None) -> float:
    """The shared yearly cost shock the book assumes (``shared_shock_cv``): its value, or the low or high end of its range.

    Parameters
    ----------
    which : str
        ``"value"`` (5%), ``"low"`` (2%) or ``"high"`` (10%).
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    check_one_of("which", which, ("value", "low", "high"))
    return float(_row(_ASSUMPTIONS, data_dir, parameter="shared_shock_cv")[which])


def assumption_range(parameter: str, *, data_dir: str | Path | None = None) -> tuple[float, float, float]:
    """``(low, value, high)`` of an assumption in ``data/assumptions_costs.csv`` that records a range.

    Parameters
    ----------
    parameter : str
        The ``parameter`` cell of the row, e.g. ``"complex_share"``.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    check_text("parameter", parameter)
    rec = _row(_ASSUMPTIONS, data_dir, parameter=parameter)
    if pd.isna(rec["low"]) or pd.isna(rec["high"]):
        raise ValueError(f"parameter {parameter!r} in data/{_ASSUMPTIONS}.csv records no range (low and high)")
    return float(rec["low"]), float(rec["value"]), float(rec["high"])


@dataclass(frozen=True)
class ShareCalibration:
    """The needs-group shares that reproduce a target average cost.

    Attributes
    ----------
    feasible : pandas.DataFrame
        The line of feasible shares, one row per complex-needs share on an even grid over
        its feasible range: columns ``complex_needs``, ``ebd_or_offending``,
        ``no_additional_needs`` (shares of the needs-group children, summing to 1) and
        ``mean`` (the all-children mean cost, £, equal to the target on every row).
    default : dict
        The default shares ``{group: share}``, in the order of :data:`NEEDS_GROUPS`.
    complex_share_range : tuple of float
        Smallest and largest feasible complex-needs share.
    position : float
        Where the default lies in that range (0 = smallest, 1 = largest).
    target_mean : float
        The average cost per child matched, £ per year.
    group_means : dict
        The group means used, £ per child per year.
    rule : str
        The default rule in words.
    """

    feasible: pd.DataFrame
    default: dict[str, float]
    complex_share_range: tuple[float, float]
    position: float
    target_mean: float
    group_means: dict[str, float]
    rule: str

    def __post_init__(self) -> None:
        check_instance("feasible", self.feasible, pd.DataFrame, "pandas DataFrame")
        if self.feasible.empty:
            raise ValueError("feasible must hold at least one row of shares")
        for name in ("default", "group_means"):
            value = check_instance(name, getattr(self, name), Mapping, "mapping {needs group: number}")
            if set(value) != set(NEEDS_GROUPS):
                raise ValueError(f"{name} must give exactly the groups {list(NEEDS_GROUPS)}; got {sorted(value)}")
            object.__setattr__(self, name, {g: (check_probability if name == "default" else check_positive)(
                f"{name}[{g}]", value[g]) for g in NEEDS_GROUPS})
        rng = self.complex_share_range
        if isinstance(rng, (str, bytes)) or not isinstance(rng, (tuple, list)) or len(rng) != 2:
            raise TypeError(f"complex_share_range must be a pair (low, high); got {rng!r:.80}")
        lo, hi = (check_probability("complex_share_range", v) for v in rng)
        if lo > hi:
            raise ValueError(f"complex_share_range must have low <= high; got {rng!r}")
        object.__setattr__(self, "complex_share_range", (lo, hi))
        object.__setattr__(self, "position", check_probability("position", self.position))
        object.__setattr__(self, "target_mean", check_positive("target_mean", self.target_mean))
        check_text("rule", self.rule)


def _shares_given_complex(p2: np.ndarray, target: float, m: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    m0, m1, m2 = m
    p1 = (target - m0 - (m2 - m0) * p2) / (m1 - m0)
    p0 = 1.0 - p1 - p2
    return p0, p1


def calibrate_shares(
    target_mean: float | None = None,
    group_means: Mapping[str, float] | None = None,
    *,
    tail_share: float = 0.0,
    tail_multiple: float | None = None,
    position: float | None = None,
    n_points: int = 101,
    data_dir: str | Path | None = None,
) -> ShareCalibration:
    """Shares of the three needs groups that give a stated average cost per child.

    With group means ``m0 < m1 < m2`` the shares ``p0, p1, p2`` must satisfy
    ``p0 + p1 + p2 = 1`` and ``m0 p0 + m1 p1 + m2 p2 = M``, where ``M`` is the mean the
    needs-group children must have: the target itself, or with an exceptional component
    ``(target - t * tail_multiple * m2) / (1 - t)``. Taking the complex-needs share ``p2``
    as the free parameter, ``p1 = (M - m0 - (m2 - m0) p2) / (m1 - m0)`` and every share
    lies in [0, 1] exactly when
    ``max(0, (M - m1)/(m2 - m1)) <= p2 <= min(1, (M - m0)/(m2 - m0))``.

    Parameters
    ----------
    target_mean : float, optional
        Average cost per child, £ per year; default the census average for looked-after
        children (``cin_census_2005``).
    group_means : mapping, optional
        ``{group: £ per child per year}`` for all three :data:`NEEDS_GROUPS`, strictly
        increasing in that order; default :func:`group_costs`.
    tail_share, tail_multiple : float
        The exceptional component, as in :class:`CostModel`.
    position : float, optional
        Where the default complex-needs share sits in its feasible range, in [0, 1];
        default the assumption ``complex_share_position``.
    n_points : int, default 101
        Rows of the ``feasible`` table, >= 2.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Raises
    ------
    ValueError
        If the target lies outside the range the group means can produce.
    """
    _folder(data_dir)  # checked even where the data is not read
    target = census_average_cost(data_dir=data_dir) if target_mean is None else check_positive("target_mean", target_mean)
    if group_means is not None:
        check_instance("group_means", group_means, Mapping, "mapping {needs group: £ per child per year}")
    means = dict(group_costs(data_dir=data_dir) if group_means is None else group_means)
    if set(means) != set(NEEDS_GROUPS):
        raise ValueError(f"group_means must give exactly the groups {list(NEEDS_GROUPS)}; got {sorted(means)}")
    m = [check_positive(f"group_means[{g}]", means[g]) for g in NEEDS_GROUPS]
    if not m[0] < m[1] < m[2]:
        raise ValueError(f"group_means must increase from {NEEDS_GROUPS[0]} to {NEEDS_GROUPS[-1]}; got {m}")
    t = check_in_range("tail_share", tail_share, 0.0, 1.0, high_open=True)
    if tail_multiple is not None:
        multiple = check_in_range("tail_multiple", tail_multiple, 1.0, None, low_open=True)
    if t > 0:
        if tail_multiple is None:
            raise ValueError("tail_multiple must be given (a number > 1) when tail_share > 0; got None")
        needs_mean = (target - t * multiple * m[2]) / (1.0 - t)
    else:
        needs_mean = target
    pos = assumption("complex_share_position", data_dir=data_dir) if position is None else position
    pos = check_probability("position", pos)
    n_points = check_size("n_points", n_points, 100_000, low=2)
    if not m[0] <= needs_mean <= m[2]:
        raise ValueError(
            f"target_mean must let the needs groups average between {m[0]:,.0f} and {m[2]:,.0f} "
            f"(£ per child per year); got {target!r}, which needs {needs_mean:,.2f}"
        )
    lo = max(0.0, (needs_mean - m[1]) / (m[2] - m[1]))
    hi = min(1.0, (needs_mean - m[0]) / (m[2] - m[0]))
    grid = np.linspace(lo, hi, n_points)
    p0, p1 = _shares_given_complex(grid, needs_mean, m)
    # At the ends of the range one share is zero in exact arithmetic; set the rounding
    # dust (|share| < 1e-12) to exactly zero.
    p0[np.abs(p0) < 1e-12] = 0.0
    p1[np.abs(p1) < 1e-12] = 0.0
    mix_mean = (1 - t) * (m[0] * p0 + m[1] * p1 + m[2] * grid) + (t * multiple * m[2] if t > 0 else 0.0)
    feasible = pd.DataFrame(
        {"complex_needs": grid, "ebd_or_offending": p1, "no_additional_needs": p0, "mean": mix_mean}
    )
    p2 = lo + pos * (hi - lo)
    d0, d1 = _shares_given_complex(np.array(p2), needs_mean, m)
    default = {NEEDS_GROUPS[0]: float(d0), NEEDS_GROUPS[1]: float(d1), NEEDS_GROUPS[2]: float(p2)}
    for g, s in default.items():  # rounding dust at the ends of the range, as above
        if abs(s) < 1e-12:
            default[g] = 0.0
    rule = (
        f"complex-needs share at position {pos:g} of its feasible range "
        f"[{lo:.4f}, {hi:.4f}]; the other two shares then follow from the target mean"
    )
    return ShareCalibration(feasible, default, (lo, hi), pos, target, dict(zip(NEEDS_GROUPS, m)), rule)


def shares_for_complex_share(
    complex_share: float | np.ndarray,
    target_mean: float | None = None,
    group_means: Mapping[str, float] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Needs-group shares on the feasible line at given complex-needs shares.

    Parameters
    ----------
    complex_share : float or array of float
        Share of children with complex needs, each inside the feasible range of
        :func:`calibrate_shares` for the target (within 1e-12).
    target_mean, group_means
        As in :func:`calibrate_shares` (no exceptional component).
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        Columns ``no_additional_needs``, ``ebd_or_offending``, ``complex_needs`` (shares
        summing to 1) and ``mean`` (£ per child per year, the target on every row).
    """
    _folder(data_dir)  # checked even where the data is not read
    if isinstance(complex_share, (bool, str, bytes)) or not isinstance(complex_share, (int, float, np.ndarray, np.number)):
        raise TypeError(f"complex_share must be a number or an array of numbers; got {type(complex_share).__name__}")
    p2 = np.atleast_1d(np.asarray(complex_share, dtype=float))
    if p2.size == 0 or p2.size > 100_000 or p2.ndim != 1:
        raise ValueError(f"complex_share must hold 1 to 100,000 shares in one dimension; got shape {p2.shape}")
    calib = calibrate_shares(target_mean, group_means, n_points=2, data_dir=data_dir)
    lo, hi = calib.complex_share_range
    if np.isnan(p2).any() or ((p2 < lo - 1e-12) | (p2 > hi + 1e-12)).any():
        raise ValueError(
            f"complex_share must lie in the feasible range [{lo:.6f}, {hi:.6f}] for a mean of "
            f"{calib.target_mean:,.0f}; got {complex_share!r}"
        )
    p2 = np.clip(p2, lo, hi)  # only the 1e-12 tolerance admitted above
    m = [calib.group_means[g] for g in NEEDS_GROUPS]
    p0, p1 = _shares_given_complex(p2, calib.target_mean, m)
    p0[np.abs(p0) < 1e-12] = 0.0
    p1[np.abs(p1) < 1e-12] = 0.0
    return pd.DataFrame(
        {
            NEEDS_GROUPS[0]: p0,
            NEEDS_GROUPS[1]: p1,
            NEEDS_GROUPS[2]: p2,
            "mean": m[0] * p0 + m[1] * p1 + m[2] * p2,
        }
    )


_MIXES = ("prevalence", "census")


def prevalence_shares(
    additional_share: float | None = None, complex_share: float | None = None,
    *,
    data_dir: str | Path | None = None,
) -> dict[str, float]:
    """The central needs mix: shares of children by needs group from the prevalence of additional needs.

    A share ``a`` of children has additional needs (emotional or behavioural difficulties,
    offending, or complex needs), of whom a share ``c`` of all children has complex needs:
    the shares are ``1 - a``, ``a - c`` and ``c``. The defaults are the assumptions
    ``additional_needs_share`` (45%, anchored on the 2002 national survey of looked-after
    children's mental health, ``lac_mental_health_2002``) and ``complex_share`` (3%).

    Parameters
    ----------
    additional_share : float, optional
        ``a``, in [0, 1].
    complex_share : float, optional
        ``c``, in [0, a].
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    dict
        ``{needs group: share}`` in the order of :data:`NEEDS_GROUPS`, summing to 1.
    """
    _folder(data_dir)  # checked even where the data is not read
    a = assumption("additional_needs_share", data_dir=data_dir) if additional_share is None else additional_share
    a = check_probability("additional_share", a)
    c = assumption("complex_share", data_dir=data_dir) if complex_share is None else complex_share
    c = check_in_range("complex_share", c, 0.0, a)
    return {NEEDS_GROUPS[0]: 1.0 - a, NEEDS_GROUPS[1]: a - c, NEEDS_GROUPS[2]: c}


def default_cost_model(
    *,
    target_mean: float | None = None,
    cv: float | Sequence[float] | None = None,
    tail_share: float | None = None,
    tail_multiple: float | None = None,
    position: float | None = None,
    mix: str | None = None,
    additional_share: float | None = None,
    complex_share: float | None = None,
    shock_cv: float = 0.0,
    data_dir: str | Path | None = None,
) -> CostModel:
    """The book's cost model: sourced group means, a needs mix, assumed spread.

    Two needs mixes are available. ``"prevalence"`` (the central case): the shares of
    :func:`prevalence_shares`, anchored on the national prevalence of mental disorders among
    looked-after children; the mean cost then follows from the mix (about £42,800 a child,
    on the research's basis, which includes the social-work processes and overheads).
    ``"census"``: the shares calibrated so that the mean equals ``target_mean`` (default
    the census average, £35,360), at ``position`` on the line of feasible shares
    (:func:`calibrate_shares`); most children then fall in the cheapest group.

    Parameters
    ----------
    target_mean, position : float, optional
        Only for the ``"census"`` mix; giving either selects it when ``mix`` is None.
    cv : float or sequence of float, optional
        Within-group coefficient of variation; default the assumption ``within_group_cv``.
    tail_share, tail_multiple : float, optional
        The exceptional component (defaults: the assumptions of those names). With the
        prevalence mix the needs-group shares are scaled by ``1 - tail_share`` and the mean
        rises; with the census mix the shares are recalibrated so the mean stays at the target.
    mix : str, optional
        ``"prevalence"`` or ``"census"``; default ``"prevalence"`` unless ``target_mean`` or
        ``position`` is given.
    additional_share, complex_share : float, optional
        Only for the ``"prevalence"`` mix; see :func:`prevalence_shares`.
    shock_cv : float, default 0
        The shared yearly cost shock (see :class:`CostModel`), in [0, 1]. The book's central
        value is the assumption ``shared_shock_cv`` (:func:`default_shock_cv`); it is passed
        explicitly where a page uses it.
        data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    census_args = target_mean is not None or position is not None
    chosen = ("census" if census_args else "prevalence") if mix is None else check_one_of("mix", mix, _MIXES)
    if chosen == "prevalence" and census_args:
        raise ValueError(
            f"target_mean and position apply only to mix='census'; got mix={mix!r} with "
            f"target_mean={target_mean!r}, position={position!r}"
        )
    if chosen == "census" and (additional_share is not None or complex_share is not None):
        raise ValueError(
            f"additional_share and complex_share apply only to mix='prevalence'; got "
            f"additional_share={additional_share!r}, complex_share={complex_share!r}"
        )
    t = assumption("tail_share", data_dir=data_dir) if tail_share is None else tail_share
    multiple = assumption("tail_multiple", data_dir=data_dir) if tail_multiple is None else tail_multiple
    spread = assumption("within_group_cv", data_dir=data_dir) if cv is None else cv
    if chosen == "census":
        calib = calibrate_shares(target_mean, tail_share=t, tail_multiple=multiple, position=position, data_dir=data_dir)
        means, shares = calib.group_means, calib.default
    else:
        means, shares = group_costs(data_dir=data_dir), prevalence_shares(additional_share, complex_share, data_dir=data_dir)
    return CostModel(
        groups=NEEDS_GROUPS,
        means=tuple(means[g] for g in NEEDS_GROUPS),
        shares=tuple(shares[g] for g in NEEDS_GROUPS),
        cv=spread,
        tail_share=t,
        tail_multiple=multiple,
        shock_cv=shock_cv,
    )


def _needs_mixes(*, data_dir: str | Path | None = None) -> list[tuple[str, CostModel, str]]:
    a_lo, a, a_hi = assumption_range("additional_needs_share", data_dir=data_dir)
    c_lo, c, c_hi = assumption_range("complex_share", data_dir=data_dir)
    pct = lambda x: f"{100 * x:.0f}%"  # noqa: E731
    return [
        ("Central: 45% with additional needs", default_cost_model(data_dir=data_dir),
         f"{pct(a)} with a mental disorder (national survey, 2002); {pct(c)} complex (assumption)"),
        ("Fewer: 37% with additional needs", default_cost_model(additional_share=a_lo, data_dir=data_dir),
         f"{pct(a_lo)} with a conduct disorder (same survey)"),
        ("More: 55% with additional needs", default_cost_model(additional_share=a_hi, data_dir=data_dir),
         "the survey's 45% plus children who offend without a diagnosis (assumption)"),
        ("Older children: 55% and 6% complex", default_cost_model(additional_share=a_hi, complex_share=c_hi, data_dir=data_dir),
         "high ends of both ranges: a scenario for teenagers and care leavers"),
        ("Census calibration: matches £35,360", default_cost_model(mix="census", data_dir=data_dir),
         "shares chosen so the average is the census figure (middle of the feasible line)"),
    ]


def needs_mix_models(*, data_dir: str | Path | None = None) -> dict[str, CostModel]:
    """The needs mixes of :func:`needs_mix_table`, in its order: ``{label: CostModel}``.

    The central mix first, then the low and high ends of the additional-needs share, the
    older-children scenario and the census calibration; each a
    :func:`default_cost_model` (no shared shock).

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    _folder(data_dir)  # checked even where the data is not read
    return {label: model for label, model, _ in _needs_mixes(data_dir=data_dir)}

