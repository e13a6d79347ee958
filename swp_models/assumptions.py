"""Every assumption of the book, read in one place.

The book's assumptions (the figures no source gives, and a few settings that sources bound) live in
eight tables of ``data/``: ``assumptions_abroad``, ``assumptions_appraisal``, ``assumptions_continuity``, ``assumptions_contracts``,
``assumptions_costs``, ``assumptions_outcomes``, ``assumptions_practice`` and ``evaluation_inputs``. Each
``parameter`` name is unique across them, so one namespace serves: :func:`value` gives any assumption by
name, :func:`bounds` its plausible range, :func:`table` all of them, and :func:`fingerprint` a key that
changes whenever any of the tables is edited (the cache key of :class:`swp_models.scenario.Scenario`).

Every model module reads its assumptions through this module; the module-level ``assumption()``
functions the chapters' modules keep are thin wrappers over :func:`value`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import threading
import time
from collections import OrderedDict
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import data
from .validation import check_flag, check_one_of, check_text

__all__ = ["TABLES", "RECHECK_SECONDS", "CACHE_DIR_VARIABLE", "KeyedCache", "cached", "value", "value_in", "bounds", "table_of", "record",
           "table", "names", "fingerprint"]

#: The tables that hold assumptions, one per part of the book.
TABLES: tuple[str, ...] = (
    "assumptions_costs",
    "assumptions_practice",
    "assumptions_continuity",
    "assumptions_contracts",
    "assumptions_outcomes",
    "assumptions_abroad",
    "evaluation_inputs",
    "assumptions_appraisal",
)

_INDEX: dict[tuple, tuple[dict[str, tuple[str, pd.Series]], tuple]] = {}


def fingerprint(data_dir: str | Path | None = None, *, all_tables: bool = False) -> tuple:
    """A key that changes whenever any assumption table (or the sources list) changes on disk.

    The files' sizes and modification times, as the data layer's own cache uses them. With
    ``all_tables`` every table of the folder counts (the sources of the cost model and caseload too).
    """
    folder = data.data_folder(data_dir)
    check_flag("all_tables", all_tables)
    out = []
    tables = sorted(p.stem for p in folder.glob("*.csv")) if all_tables else (*TABLES, "sources")
    for name in tables:
        try:
            s = (folder / f"{name}.csv").stat()
        except OSError:
            out.append((name, None))
            continue
        out.append((name, s.st_mtime_ns, s.st_size))
    return (str(folder.resolve()), *out)


def _index(data_dir: str | Path | None = None) -> dict[str, tuple[str, pd.Series]]:
    stamp = fingerprint(data_dir)
    hit = _INDEX.get(stamp[:1])
    if hit is not None and hit[1] == stamp:
        return hit[0]
    rows: dict[str, tuple[str, pd.Series]] = {}
    folder = None if data_dir is None else data.data_folder(data_dir)
    for name in TABLES:
        frame = data.load(name, folder)
        for _, rec in frame.iterrows():
            key = str(rec["parameter"])
            if key in rows:
                raise data.DataValidationError(
                    f"assumption {key!r} is in both data/{rows[key][0]}.csv and data/{name}.csv; "
                    "each assumption must have one home")
            rows[key] = (name, rec)
    _INDEX[stamp[:1]] = (rows, stamp)
    return rows


def names(data_dir: str | Path | None = None) -> list[str]:
    """Every assumption's name, in table order."""
    return list(_index(data_dir))


def _row(parameter: str, data_dir: str | Path | None = None) -> tuple[str, pd.Series]:
    check_text("parameter", parameter)
    rows = _index(data_dir)
    if parameter not in rows:
        raise ValueError(f"parameter must be one of the assumptions in data/ ({len(rows)} names, e.g. "
                         f"{', '.join(list(rows)[:4])}); got {parameter!r}")
    return rows[parameter]


def table_of(parameter: str, data_dir: str | Path | None = None) -> str:
    """The table that holds ``parameter`` (e.g. ``"assumptions_contracts"``)."""
    return _row(parameter, data_dir)[0]


def record(parameter: str, data_dir: str | Path | None = None) -> pd.Series:
    """One assumption's whole row: its value, unit, range, status, description, effect and source columns.

    Parameters
    ----------
    parameter : str
        The row's ``parameter``; any of :func:`names`.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    return _row(parameter, data_dir)[1].copy()


def value(parameter: str, column: str = "value", data_dir: str | Path | None = None) -> float:
    """One assumption's ``value`` (or its ``low`` or ``high``), in its table's unit.

    Parameters
    ----------
    parameter : str
        The row's ``parameter``, e.g. ``"risk_tolerance"``; any of :func:`names`.
    column : str, default "value"
        ``"value"``, ``"low"`` or ``"high"``.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.
    """
    check_one_of("column", column, ("value", "low", "high"))
    return float(_row(parameter, data_dir)[1][column])


def value_in(table: str, parameter: str, column: str = "value", data_dir: str | Path | None = None) -> float:
    """:func:`value` of an assumption that must be in ``table`` (a chapter's own reader of its table).

    Raises ``ValueError`` naming ``parameter``, its value and the table's names when it is elsewhere.
    """
    check_one_of("table", table, TABLES)
    if not isinstance(parameter, str):
        raise ValueError(f"parameter must be a string; got {type(parameter).__name__} {parameter!r:.80}")
    known = [k for k, (t, _) in _index(data_dir).items() if t == table]
    check_one_of("parameter", parameter, known)
    return value(parameter, column, data_dir)


def bounds(parameter: str, data_dir: str | Path | None = None) -> tuple[float, float, float]:
    """``(low, value, high)`` of an assumption that records a plausible range.

    Raises ``ValueError`` naming the parameter when its row gives no range.
    """
    rec = _row(parameter, data_dir)[1]
    lo, hi = float(rec["low"]), float(rec["high"])
    if pd.isna(lo) or pd.isna(hi):
        raise ValueError(f"assumption {parameter!r} records no range (its low and high are empty)")
    return lo, float(rec["value"]), hi


def table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every assumption, one row each: ``table``, ``parameter``, ``value``, ``unit``, ``low``, ``high``, ``status``."""
    rows = [{"table": t, "parameter": k, **{c: r[c] for c in ("value", "unit", "low", "high", "status")}}
            for k, (t, r) in _index(data_dir).items()]
    return pd.DataFrame(rows)


#: How often, at most, :func:`cached` looks at the data tables' files again (seconds).
RECHECK_SECONDS = 0.5
_RECENT: list = [float("-inf"), None]


def _recent_fingerprint() -> tuple:
    now = time.monotonic()
    if now - _RECENT[0] > RECHECK_SECONDS:
        _RECENT[:] = [now, fingerprint(all_tables=True)]
    return _RECENT[1]


#: The environment variable naming a folder where the slowest results (:func:`cached` with ``disk=True``) are kept
#: between processes. Unset (the default), nothing is written. ``make book`` and ``make test`` set it to
#: ``_build/cache``, so the notebooks, the tests and their subprocesses compute each such result once.
CACHE_DIR_VARIABLE = "SWP_CACHE_DIR"
_LIBRARIES = ("numpy", "scipy", "pandas", "SALib")


@functools.lru_cache(maxsize=1)
def _code_state() -> str:
    """A digest of the package's source and the numerical libraries' versions (what a kept result depends on
    besides its arguments and the data)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()


def _data_state() -> str:
    """A digest of every table's bytes in the package's ``data/`` (not its modification times, which a fresh
    checkout changes)."""
    h = hashlib.sha256()
    folder = data.data_folder(None)
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.json")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _on_disk(label: str, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, read from the folder :data:`CACHE_DIR_VARIABLE` names when it was built there before under the
    same ``label`` and ``key`` from the same data, source and libraries; built (and kept) otherwise."""
    folder = os.environ.get(CACHE_DIR_VARIABLE)
    if not folder:
        return build()
    digest = hashlib.sha256(repr((label, key, _data_state(), _code_state())).encode()).hexdigest()[:32]
    path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', label)[:100]}-{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    out = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
        with open(part, "wb") as fh:
            pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)  # whole or not at all, whoever writes it first
    except OSError:
        pass  # a folder that cannot be written only means the result is computed again next time
    return out


def cached(maxsize: int = 8, disk: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``functools.lru_cache`` whose key also holds the state of every table in ``data/``.

    A result cached before a table was edited is not reused after: the key includes
    :func:`fingerprint` of every table (their sizes and modification times), so a live session
    sees an edited table within :data:`RECHECK_SECONDS` (the files are looked at no more often than
    that, so that a cached function called in a loop stays cheap). The wrapped function keeps
    ``cache_clear``.

    Parameters
    ----------
    maxsize : int, default 8
        Results kept, 1 to 4,096.
    disk : bool, default False
        Also keep the result between processes, in the folder :data:`CACHE_DIR_VARIABLE` names (when it is
        set), under a key of the arguments, every table's bytes, the package's source and the numerical
        libraries' versions. For the few results that take seconds and are computed from the package's own
        ``data/`` (the sensitivity section's Sobol run, the appraisal's settings, chapter 5's design grid).
    """
    if isinstance(maxsize, bool) or not isinstance(maxsize, int) or not 1 <= maxsize <= 4096:
        raise ValueError(f"maxsize must be an integer from 1 to 4,096; got {maxsize!r:.80}")
    check_flag("disk", disk)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(fn):
            raise TypeError(f"fn must be a function; got {type(fn).__name__}")

        label = f"{fn.__module__}.{fn.__qualname__}"

        @functools.lru_cache(maxsize=maxsize)
        def keyed(stamp: tuple, *args: Any, **kwargs: Any) -> Any:
            if disk:
                return _on_disk(label, (args, sorted(kwargs.items())), lambda: fn(*args, **kwargs))
            return fn(*args, **kwargs)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                hash((args, tuple(kwargs.items())))
            except TypeError:  # an unhashable argument (a list, say) is never valid: let the function's checks name it
                return fn(*args, **kwargs)
            return keyed(_recent_fingerprint(), *args, **kwargs)

        wrapper.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        wrapper.cache_info = keyed.cache_info  # type: ignore[attr-defined]
        return wrapper

    return decorate


class KeyedCache:
    """Results kept under keys the caller builds (a scenario's key, which includes the data's state).

    The least recently used result goes first once more than ``maxsize`` are held. The engine and
    chapter 6's outcome contracts each keep one. Safe to share between threads (a live explorer
    prepares figures in the background): the lookups are locked, the builds are not, so two threads
    asking for the same missing result may each build it; the first one stored is the one both
    get, so a result once handed out is the one every later lookup returns.

    Parameters
    ----------
    maxsize : int
        Results kept, 1 to 4,096.
    name : str, default "results"
        What the cache holds (``"engine"``): the results :meth:`get` keeps on disk are filed under it,
        so two caches never read each other's.
    """

    def __init__(self, maxsize: int, name: str = "results") -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or not 1 <= maxsize <= 4096:
            raise ValueError(f"maxsize must be an integer from 1 to 4,096; got {maxsize!r:.80}")
        self.maxsize = maxsize
        self.name = check_text("name", name)
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
            raise ValueError(f"name must be 1 to 64 letters, digits, '_', '.' or '-' (it names files); got {name!r:.80}")
        self._held: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: str, key: tuple, build: Callable[[], Any], *, disk: bool = False) -> Any:
        """The result held under ``(kind, *key)``, built with ``build()`` (and held) when there is none.

        With ``disk`` the result is also kept between processes, as :func:`cached` keeps it with
        ``disk=True``: in the folder :data:`CACHE_DIR_VARIABLE` names (when it is set), under ``kind``,
        ``key``, every table's bytes, the package's source and the numerical libraries' versions. For
        results that take seconds, whose key (``repr``) names everything they depend on besides those.
        """
        check_text("kind", kind)
        if not isinstance(key, tuple):
            raise TypeError(f"key must be a tuple; got {type(key).__name__}")
        if not callable(build):
            raise TypeError(f"build must be callable; got {type(build).__name__}")
        check_flag("disk", disk)
        k = (kind, *key)
        with self._lock:
            if k in self._held:
                self._held.move_to_end(k)
                return self._held[k]
        out = _on_disk(f"{self.name}.{kind}", key, build) if disk else build()
        with self._lock:
            if k in self._held:  # another thread built it meanwhile: keep the one already handed out
                self._held.move_to_end(k)
                return self._held[k]
            self._held[k] = out
            while len(self._held) > self.maxsize:
                self._held.popitem(last=False)
        return out

    def clear(self) -> None:
        """Forget every result held."""
        with self._lock:
            self._held.clear()
