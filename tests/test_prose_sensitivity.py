"""Chapter 5's sensitivity section: every prose figure glued from ``prose_numbers_sensitivity``, and right.

The grid the text describes is checked against the grid of the winner map stored on the page, and the
cuts against ``1/k`` computed here, so a wrong end of the grid or a wrong rounding fails.
"""

from __future__ import annotations

from prose_glue import check_prose_is_glued, stored_chart_rows
from swp_models.figures.sensitivity_prose import prose_numbers_sensitivity

CHAPTER = "05_sensitivity"
N = prose_numbers_sensitivity()


def test_every_figure_is_glued_and_every_glued_name_is_produced():
    check_prose_is_glued(CHAPTER, N, "prose_numbers_sensitivity")


def _winner_grid() -> tuple[set[float], set[float]]:
    """Risk tolerances and effort costs of the winner map as the page stores it."""
    rows = [r for r in stored_chart_rows(CHAPTER, "figures.winner_chart()") if "tol_order" in r]
    return {r["tol_order"] for r in rows}, {r["k_order"] for r in rows}


def test_the_grid_is_the_winner_maps():
    tolerances, efforts = _winner_grid()
    assert N["ch5s_tolerance_low"] == f"£{min(tolerances):,.0f}" == "£125,000"
    assert N["ch5s_tolerance_high"] == f"£{max(tolerances) / 1e6:.0f} million" == "£1 million"
    assert (N["ch5s_effort_low"], N["ch5s_effort_high"]) == (f"{min(efforts):g}", f"{max(efforts):g}") == ("5", "30")


def test_the_cuts_are_one_over_k():
    """A practice bearing all of its cost cuts the fraction 1/k of it."""
    k_low, k_high = float(N["ch5s_effort_low"]), float(N["ch5s_effort_high"])
    assert N["ch5s_cut_most"] == f"{100 / k_low:.0f}%" == "20%"
    assert N["ch5s_cut_least"] == f"{100 / k_high:.1f}%" == "3.3%"
