"""Valid calls of swp_models.sensitivity and swp_models.figures.sensitivity.

The generic analyses (:func:`one_at_a_time`, :func:`sobol_indices`) are driven with a small linear model of
three toy assumptions; the book's model and maps with the fewest practice-years they accept, so that every
substituted value that is valid still answers within the walk's time limit. The page's figures read two
cached runs (the Sobol and the one-at-a-time run of the whole chapter model, about 15 s of CPU; timed by
``make bench``): the examples warm those caches outside the timed call.
"""

import numpy as np

from swp_models import sensitivity as sens

_M = "swp_models.sensitivity."
_F = "swp_models.figures.sensitivity."


def _toy() -> tuple:
    return tuple(sens.Assumption("toy", name, 0.5, 0.0, 1.0, "ratio", name) for name in ("a", "b", "c"))


def _linear(x: np.ndarray) -> np.ndarray:
    return np.column_stack([4 * x[:, 0] + 2 * x[:, 1], x[:, 0] * x[:, 1]])


def _result() -> sens.SobolResult:
    return sens.sobol_indices(_linear, _toy(), ["y1", "y2"], n_base=8, seed=0)


def _warm() -> dict:
    from swp_models.figures import sensitivity as figures

    figures.sobol_run()
    figures.tornado_run()
    figures.winner_frame()
    return {}


EXAMPLES = {
    _M + "Assumption": {"table": "toy", "parameter": "a", "value": 0.5, "low": 0.0, "high": 1.0, "unit": "ratio",
                        "description": "a toy assumption"},
    _M + "ranged_assumptions": {"tables": ["assumptions_contracts"]},
    _M + "one_at_a_time": lambda: {"evaluate": _linear, "assumptions": _toy(), "outputs": ["y1", "y2"]},
    _M + "sobol_indices": lambda: {"evaluate": _linear, "assumptions": _toy(), "outputs": ["y1", "y2"],
                                   "groups": {"a": "ab", "b": "ab", "c": "c"}, "n_base": 8, "seed": 0},
    _M + "SobolResult": lambda: {"indices": _result().indices, "settings": _result().settings,
                                 "outputs": _result().outputs},
    _M + "output_intervals": lambda: {"result": _result(), "coverage": 0.9},
    _M + "ChapterModel": lambda: {"assumptions": sens.chapter_assumptions()[:3], "n_years": 100, "seed": 1},
    _M + "chapter_model": {"n_years": 100, "seed": 1},
    _M + "sobol_settings": {"n_base": 8, "seed": 1},
    _M + "winner_map": {"tolerances": [250_000.0], "effort_costs": [10.0], "scopes": ["social_work"],
                        "n_years": 100, "seed": 1},
    _M + "break_even_cut": {"scope": "placements", "sharing": None, "against": "Full reimbursement",
                            "administration": False, "n_years": 200, "seed": 1},
    **{_F + name: _warm for name in ("cheapest_flips_table", "conclusions", "intervals_table", "key_results",
                                    "sobol_chart", "survival_sentence", "winner_chart", "break_even_sentence",
                                    "sobol_run", "tornado_run", "winner_frame")},
    _F + "tornado_chart": lambda: {**_warm(), "top": 10},
}
