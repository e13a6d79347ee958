"""Input checks of the helpers every chapter uses: the statistics helpers and the table formatters.

The formatters refuse what they cannot show honestly (NaN would print as "£nan"); the small result objects check
their fields at construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from swp_models import stats, tables


@pytest.mark.parametrize("samples, message", [
    ([True, False, True], r"^samples must be numbers, not True/False"),
    ("12", r"^samples must be an array or sequence of numbers; got str"),
    (5.0, r"^samples must be an array or sequence of numbers; got float"),
    ([1.0, float("nan")], r"^samples must be finite"),
    (np.array([1.0, -np.inf]), r"^samples must be finite"),
])
def test_monte_carlo_se_refuses_bools_text_scalars_nan_and_inf(samples, message):
    with pytest.raises((ValueError, TypeError), match=message):
        stats.monte_carlo_se(samples)


@pytest.mark.parametrize("fmt", [tables.fmt_gbp, tables.fmt_int, tables.fmt_pct, tables.fmt_num,
                                 tables.fmt_share, tables.fmt_millions])
def test_formatters_refuse_nan_inf_bools_and_text(fmt):
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="x must be a finite number"):
            fmt(bad)
    for bad in (True, "12", None):
        with pytest.raises(TypeError, match="x must be a real number"):
            fmt(bad)
    assert "nan" not in fmt(np.float64(1234.5)).lower()


def test_fmt_digits_checked():
    assert tables.fmt_gbp(1234.567, 2) == "£1,234.57"
    assert tables.fmt_share(0.4567, 1) == "45.7%"
    assert tables.fmt_millions(44_912_000, 1) == "£44.9m"
    assert tables.fmt_millions(1_926_400_000) == "£1,926m"
    for bad in (-1, 11, 1.5, True):
        with pytest.raises(ValueError, match="digits must be an integer"):
            tables.fmt_gbp(1.0, bad)


def test_table_checks_its_fields():
    frame = pd.DataFrame({"a": [1.0]})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        tables.Table([1], "caption")
    with pytest.raises(ValueError, match="caption must not be empty"):
        tables.Table(frame, " ")
    with pytest.raises(ValueError, match="formats names the column 'b'"):
        tables.Table(frame, "c", formats={"b": str})
    with pytest.raises(TypeError, match=r"formats\['a'\] must be a function"):
        tables.Table(frame, "c", formats={"a": 3})
    with pytest.raises(TypeError, match=r"rows\[0\] must be a tuple of 3 or 4 strings"):
        tables.key_results([("a", 1, "c")])
    with pytest.raises(ValueError, match="rows must be a non-empty list"):
        tables.key_results([])
