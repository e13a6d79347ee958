"""Statistics helpers, input validation and the chart house style."""

from __future__ import annotations

import json
import math
import re

import altair as alt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import charts, stats, validation


def test_wilson_interval_known_value():
    # Wilson (1927) interval for 80% of 339 at 95%: computed by hand below.
    p, n, z = 0.80, 339, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = stats.wilson_interval(0.80 * 339, 339)
    assert lo == pytest.approx(centre - half, abs=1e-12)
    assert hi == pytest.approx(centre + half, abs=1e-12)
    assert lo == pytest.approx(0.7539, abs=5e-4) and hi == pytest.approx(0.8395, abs=5e-4)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), frac=st.floats(0, 1), conf=st.floats(0.5, 0.999))
def test_wilson_interval_contains_estimate_and_stays_in_unit_interval(n, frac, conf):
    lo, hi = stats.wilson_interval(frac * n, n, conf)
    assert 0.0 <= lo <= frac + 1e-12 and frac - 1e-12 <= hi <= 1.0


def test_wilson_interval_narrows_with_n_and_widens_with_confidence():
    w = lambda k, n, c=0.95: (lambda t: t[1] - t[0])(stats.wilson_interval(k, n, c))
    assert w(80, 100) > w(800, 1000)
    assert w(80, 100, 0.99) > w(80, 100, 0.9)


@pytest.mark.parametrize(
    "args, message",
    [
        ((5, 0), "n must be a whole number in \\[1, 1,000,000,000,000\\]; got 0"),
        ((11, 10), "successes must be in \\[0, 10\\]; got 11"),
        ((5, 10, 1.0), "confidence must be in \\(0, 1\\); got 1.0"),
        ((float("nan"), 10), "successes must be a finite number; got nan"),
        ((5, 10.5), "n must be a whole number in \\[1, 1,000,000,000,000\\]; got 10.5"),
    ],
)
def test_wilson_interval_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        stats.wilson_interval(*args)


def test_validation_messages_name_parameter_value_and_range():
    with pytest.raises(ValueError, match=r"share must be in \[0, 1\]; got 1.5"):
        validation.check_probability("share", 1.5)
    with pytest.raises(ValueError, match=r"turnover must be in \[0, 1\); got 1"):
        validation.check_probability("turnover", 1, allow_one=False)
    with pytest.raises(ValueError, match=r"tenure must be in \(0, inf\); got 0"):
        validation.check_positive("tenure", 0)
    with pytest.raises(ValueError, match=r"flag must be a real number; got True"):
        validation.check_finite("flag", True)
    with pytest.raises(ValueError, match=r"group must be one of 'a', 'b'; got 'c'"):
        validation.check_one_of("group", "c", ["a", "b"])
    assert validation.check_integer("k", 3, low=0) == 3


def _chart() -> alt.Chart:
    df = pd.DataFrame({"x": ["a", "b"], "y": [1.0, 2.0]})
    return alt.Chart(df).mark_bar().encode(x=alt.X("x:N", title="Thing"), y=alt.Y("y:Q", title="Value (%)"))


def test_finish_adds_title_and_source_line():
    spec = charts.finish(_chart(), "A title", source="Le Grand (2007), s.4.3", subtitle="units").to_dict()
    assert spec["title"]["text"] == "Source: Le Grand (2007), s.4.3."
    assert spec["title"]["orient"] == "bottom"
    assert spec["vconcat"][0]["title"]["text"] == "A title"


def test_finish_requires_title_and_source():
    with pytest.raises(ValueError, match="title"):
        charts.finish(_chart(), " ", source="x")
    with pytest.raises(ValueError, match="source"):
        charts.finish(_chart(), "t", source=[" "])


def test_renderer_output_is_offline_and_deterministic():
    chart = charts.finish(_chart(), "A title", source="s")
    bundle_a = chart._repr_mimebundle_()
    bundle_b = chart._repr_mimebundle_()
    html = bundle_a["text/html"]
    assert html == bundle_b["text/html"]
    # The only address in the output is the Vega-Lite schema identifier, which is never fetched.
    addresses = set(re.findall(r"https?://[^\"' ]+", html))
    assert "vegaEmbed(" in html and addresses <= {f"https://vega.github.io/schema/vega-lite/{alt.SCHEMA_VERSION}.json"}
    assert "<script src" not in html
    spec = next(v for k, v in bundle_a.items() if k.startswith("application/vnd.vegalite"))
    assert json.dumps(spec)


def test_named_params_keep_their_names():
    s = charts.slider("share", "Practice share", 0, 1, 0.1, 0.5)
    spec = _chart().add_params(s).to_dict()
    assert spec["params"][0]["name"] == "share"
    assert spec["params"][0]["bind"]["input"] == "range"


@pytest.mark.slow
def test_vega_bundle_defines_vega_embed_without_remote_loads():
    text = charts.vega_bundle()
    assert "window.vegaEmbed" in text
    assert "<script" not in text


def test_bound_params_finds_controls_in_nested_specs():
    s = charts.slider("share", "Share", 0, 1, 0.1, 0.5)
    free = alt.param(name="unbound", value=1)
    spec = charts.finish(_chart().add_params(s, free), "t", source="s").to_dict()
    assert charts.bound_params(spec) == ["share"]


def test_normal_quantile_known_values_and_open_ends():
    assert stats.normal_quantile(0.975) == pytest.approx(1.959963984540054, abs=1e-12)
    assert stats.normal_quantile(0.5) == 0.0
    assert stats.normal_quantile(1e-9) == pytest.approx(-5.997807015, abs=1e-8)
    for p in (0.0, 1.0):
        with pytest.raises(ValueError, match=rf"p must be in \(0, 1\); got {p}"):
            stats.normal_quantile(p)
    with pytest.raises(ValueError, match=r"p must be a finite number; got nan"):
        stats.normal_quantile(float("nan"))


def test_proportion_se_known_values_and_bad_input():
    assert stats.proportion_se(0.2, 100) == pytest.approx(0.04, abs=1e-15)
    assert stats.proportion_se(0.0, 10) == 0.0 and stats.proportion_se(1.0, 10) == 0.0
    assert stats.proportion_se(0.5, 1) == 0.5
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]; got 1.5"):
        stats.proportion_se(1.5, 10)
    with pytest.raises(ValueError, match=r"n must be a whole number in \[1, 1,000,000,000,000\]; got 0"):
        stats.proportion_se(0.5, 0)


def test_wilson_interval_at_the_ends():
    lo, hi = stats.wilson_interval(0, 10)
    assert lo == pytest.approx(0.0, abs=1e-12) and hi == pytest.approx(0.2775328, abs=1e-6)
    lo, hi = stats.wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.2775328, abs=1e-6)
    lo, hi = stats.wilson_interval(5, 10, 0.9)
    assert (lo + hi) / 2 == pytest.approx(0.5, abs=1e-12)


def test_wilson_interval_is_clipped_to_the_unit_interval():
    # Rounding puts the raw limits just outside [0, 1] here: the clip keeps them at exactly 1 and 0.
    assert stats.wilson_interval(9, 9)[1] == 1.0
    assert stats.wilson_interval(0, 21)[0] == 0.0


def test_colour_only_finds_series_told_apart_by_colour_alone():
    df = pd.DataFrame({"x": [1, 2, 1, 2], "y": [1.0, 2.0, 2.0, 1.0], "s": ["a", "a", "b", "b"]})
    base = alt.Chart(df)
    lines = base.mark_line().encode(x="x:Q", y="y:Q", color="s:N")
    assert charts.colour_only(charts.finish(lines, "t", source="s").to_dict()) == ["line coloured by s"]
    # a second cue on the same field, in the mark, in a layer drawn with it, or as a facet
    dashed = base.mark_line().encode(x="x:Q", y="y:Q", **charts.series_cues("s:N", ["a", "b"]))
    labelled = lines + base.mark_text().encode(x="max(x):Q", y="y:Q", text="s:N")
    faceted = lines.facet(row="s:N")
    by_axis = base.mark_bar().encode(x="y:Q", y="s:N", color="s:N")
    for chart in (dashed, labelled, faceted, by_axis):
        assert charts.colour_only(charts.finish(chart, "t", source="s").to_dict()) == []
    # a cue on another field, a colour condition on a field, and an ordinal colour still count as colour alone
    other = base.mark_line().encode(x="x:Q", y="y:Q", color="s:N", strokeDash="x:N")
    assert charts.colour_only(other.to_dict()) == ["line coloured by s"]
    cond = base.mark_bar().encode(x="x:O", y="y:Q", color=alt.condition("datum.y > 1", "s:O", alt.value("grey")))
    assert charts.colour_only(cond.to_dict()) == ["bar coloured by s"]
    # a continuous colour scale is not a series cue
    assert charts.colour_only(base.mark_point().encode(x="x:Q", y="y:Q", color="y:Q").to_dict()) == []
    with pytest.raises(TypeError, match="spec"):
        charts.colour_only([])
