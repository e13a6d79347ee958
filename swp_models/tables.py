"""Tables for the book: deterministic HTML and text, so stored outputs compare exactly."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from .validation import check_finite, check_instance, check_integer, check_text

__all__ = ["Table", "PRICE_YEAR", "fmt_gbp", "fmt_millions", "fmt_int", "fmt_pct", "fmt_share", "fmt_num", "key_results"]


def _number(x: object, digits: object, high: int = 10) -> tuple[float, int]:
    """``x`` as a finite float and ``digits`` as an int in [0, high], or an error naming them."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (Real, np.integer, np.floating)):
        raise TypeError(f"x must be a real number; got {type(x).__name__} {x!r:.80}")
    value = check_finite("x", x)
    return value, check_integer("digits", digits, low=0, high=high)


def fmt_gbp(x: float, digits: int = 0) -> str:
    """£ with thousands separators: ``fmt_gbp(35360) -> '£35,360'``.

    Parameters
    ----------
    x : float
        An amount in £, finite (NaN and infinity are refused rather than printed as "£nan").
    digits : int, default 0
        Decimals, 0 to 10.
    """
    value, d = _number(x, digits)
    return f"£{value:,.{d}f}"


def fmt_int(x: float) -> str:
    """Whole number with thousands separators (``x`` finite)."""
    value, _ = _number(x, 0)
    return f"{value:,.0f}"


def fmt_pct(x: float, digits: int = 0) -> str:
    """A percentage already in percent units: ``fmt_pct(12) -> '12%'`` (``x`` finite, ``digits`` 0 to 10)."""
    value, d = _number(x, digits)
    return f"{value:.{d}f}%"


def fmt_share(x: float, digits: int = 0) -> str:
    """A fraction as a percentage: ``fmt_share(0.45) -> '45%'`` (``x`` finite, ``digits`` 0 to 10)."""
    value, d = _number(x, digits)
    return fmt_pct(100.0 * value, d)


def fmt_millions(x: float, digits: int = 0) -> str:
    """An amount in £ written in millions: ``fmt_millions(44.9e6, 1) -> '£44.9m'`` (``x`` finite, ``digits`` 0 to 10)."""
    value, d = _number(x, digits)
    return f"{fmt_gbp(value / 1e6, d)}m"


def fmt_num(x: float, digits: int = 2) -> str:
    """A plain number with a fixed number of decimals (``x`` finite, ``digits`` 0 to 10)."""
    value, d = _number(x, digits)
    return f"{value:,.{d}f}"


@dataclass(frozen=True)
class Table:
    """A small table shown in the book.

    Parameters
    ----------
    frame : pandas.DataFrame
        Already formatted as strings where formatting matters.
    caption : str
        One line saying what the table shows.
    notes : str, optional
        A line under the table (sources, units).
    css_class : str
        Extra CSS class on the ``<table>``.
    """

    frame: pd.DataFrame
    caption: str
    notes: str = ""
    css_class: str = "swp-table"
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_instance("frame", self.frame, pd.DataFrame, "pandas DataFrame")
        check_text("caption", self.caption)
        check_text("notes", self.notes, allow_empty=True)
        check_text("css_class", self.css_class)
        check_instance("formats", self.formats, Mapping, "mapping of column name to formatting function")
        for col, fmt in self.formats.items():
            if col not in self.frame.columns:
                raise ValueError(f"formats names the column {col!r}, which frame lacks; columns: "
                                 f"{list(self.frame.columns)}")
            if not callable(fmt):
                raise TypeError(f"formats[{col!r}] must be a function; got {fmt!r:.80}")

    def _cells(self) -> pd.DataFrame:
        out = self.frame.copy()
        for col, f in self.formats.items():
            out[col] = out[col].map(f)
        return out.astype(str)

    def _repr_html_(self) -> str:
        cells = self._cells()
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cells.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in rec) + "</tr>" for rec in cells.itertuples(index=False)
        )
        notes = f'<p class="swp-table-notes">{html.escape(self.notes)}</p>' if self.notes else ""
        return (
            f'<table class="table {self.css_class}"><caption>{html.escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{notes}"
        )

    def __repr__(self) -> str:
        text = self._cells().to_string(index=False)
        out = f"{self.caption}\n{text}"
        return out + (f"\n{self.notes}" if self.notes else "")


#: The price base of every £ in the book unless a figure says otherwise (the year of the cost data, in cash).
PRICE_YEAR = "2005-06"


def key_results(rows: list[tuple[str, ...]], caption: str = "Key results") -> Table:
    """The "key results" table near the top of a chapter.

    Parameters
    ----------
    rows : list of tuple of str
        ``(result, value, source or basis)`` or ``(result, value, source or basis, rests on)``. The
        fourth item names the labelled assumption that drives the figure (its value would move
        materially over the assumption's range); it is shown as "data and model only" when omitted
        or empty.
    caption : str
        The table's caption.

    Returns
    -------
    Table
        Columns "Result", "Value", "Source or basis" and "Rests on an assumption"; its note gives the
        price year of every £ (:data:`PRICE_YEAR`).
    """
    check_instance("rows", rows, list, "list of tuples")
    if not rows:
        raise ValueError("rows must be a non-empty list of tuples; got []")
    check_text("caption", caption)
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, tuple) or not all(isinstance(x, str) for x in row):
            raise TypeError(f"rows[{i}] must be a tuple of 3 or 4 strings, got {row!r:.120}")
        if len(row) not in (3, 4):
            raise ValueError(f"rows[{i}] must be a tuple of 3 or 4 strings, got {len(row)} items")
        rests = row[3] if len(row) == 4 and row[3] else "data and model only"
        out.append((*row[:3], rests))
    frame = pd.DataFrame(out, columns=["Result", "Value", "Source or basis", "Rests on an assumption"])
    return Table(frame, caption=caption, css_class="swp-table swp-key-results",
                 notes=f"Every £ at {PRICE_YEAR} prices (cash) unless its row says otherwise.")
