"""Valid calls of the reader-facing modules: swp_models.charts (the house chart helpers) and
swp_models.findings's stored key results (the rest of the registry's examples are in rest.py).

Values that need the package are built by zero-argument callables, so this file imports nothing heavy.
"""

import tempfile
from pathlib import Path

_TMP = Path(tempfile.gettempdir())


def _chart():
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame({"x": [1.0, 2.0]})).mark_point().encode(x="x:Q")


def _chapter():
    from swp_models import findings

    return findings.CHAPTERS[0]


EXAMPLES = {
    "swp_models.charts.bound_params": {"spec": {"params": [{"name": "p", "bind": {"input": "range"}}]}},
    "swp_models.charts.colour_only": {"spec": {"mark": "point",
                                               "encoding": {"color": {"field": "a", "type": "nominal"}}}},
    "swp_models.charts.describe": {"title": "Children in care", "subtitle": ["SWP C grew to 727", "by 2011."]},
    "swp_models.charts.finish": lambda: {"chart": _chart(), "title": "A title", "source": "A source"},
    "swp_models.charts.selector": {"name": "p", "label": "Pick", "options": ["a", "b"], "value": "a"},
    "swp_models.charts.slider": {"name": "s", "label": "Share", "minimum": 0.0, "maximum": 1.0, "step": 0.1,
                                 "value": 0.5},
    "swp_models.charts.series_cues": {"field": "series:N", "domain": ["a", "b"]},
    "swp_models.charts.write_vega_bundle": {"path": str(_TMP / "swp-contract-vega.js")},
    "swp_models.findings.stored_key_results": lambda: {"chapter": _chapter()},
    "swp_models.findings.stored_glue": {"page": "book/10_appraisal"},
}
