"""The figures the text of chapter 5's sensitivity section quotes, each computed by the package.

The page glues them into its prose (``{glue:text}``), so the text always describes the grid the
winner map is drawn on: the risk tolerances and effort costs of :mod:`swp_models.sensitivity`, and
the cut a practice bearing all of its cost would make at each end (:func:`swp_models.contracts.effort_level`).
"""

from __future__ import annotations

from .. import contracts
from .. import sensitivity as sens
from ..tables import fmt_gbp, fmt_num, fmt_pct

__all__ = ["prose_numbers_sensitivity"]


def prose_numbers_sensitivity() -> dict[str, str]:
    """Formatted figures that the sensitivity section's text quotes, keyed by the name the page glues them under.

    Returns
    -------
    dict of str to str
        Glue name (``ch5s_...``) to the text shown, e.g. ``"ch5s_tolerance_low": "£125,000"``.
    """
    tolerances, efforts = sens.MAP_TOLERANCES, sens.MAP_EFFORT_COSTS
    k_low, k_high = min(efforts), max(efforts)

    def cut(k: float, digits: int) -> str:
        # The share of its cost a practice bearing all of it (share 1) would cut, at effort cost k.
        return fmt_pct(100 * contracts.effort_level(1.0, k), digits)

    return {
        "ch5s_tolerance_low": fmt_gbp(min(tolerances)),
        "ch5s_tolerance_high": f"£{fmt_num(max(tolerances) / 1e6, 0)} million",
        "ch5s_effort_low": f"{k_low:g}",
        "ch5s_effort_high": f"{k_high:g}",
        "ch5s_cut_most": cut(k_low, 0),
        "ch5s_cut_least": cut(k_high, 1),
    }
