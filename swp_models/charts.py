"""House style for the book's Altair charts, and an offline renderer.

Importing this module registers and enables

* the ``swp`` theme (fonts, sizes, a colour-blind-safe palette), and
* the ``swp`` renderer, whose HTML output draws the chart with the Vega, Vega-Lite and
  Vega-Embed scripts that ship with the book (``_static/vega-bundle.js``), so a page needs
  nothing from another host. In Jupyter the same output also carries the standard
  Vega-Lite MIME type, which JupyterLab draws natively.

Use :func:`finish` to give every chart its title, subtitle and source line.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Sequence

import altair as alt

from .validation import (check_finite, check_flag, check_in_range, check_instance, check_one_of, check_positive,
                         check_sequence, check_text)

__all__ = [
    "DASHES",
    "PALETTE",
    "SHAPES",
    "THEME",
    "bound_params",
    "colour_only",
    "describe",
    "finish",
    "slider",
    "selector",
    "series_cues",
    "source_line",
    "vega_bundle",
    "write_vega_bundle",
]

#: The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)

#: Name of the house Altair theme (registered and enabled on import).
THEME = "swp"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
_WIDTH = 440
_HEIGHT = 300
#: Smallest text on a chart, in px (the book's phone-width legibility floor).
_MIN_FONT = 12
_VEGA_EMBED_OPTIONS = {
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
    "renderer": "svg",
}


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": _FONT,
            "view": {"continuousWidth": _WIDTH, "continuousHeight": _HEIGHT, "stroke": None},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": _MIN_FONT, "subtitleColor": "#444"},
            "axis": {"labelFontSize": _MIN_FONT, "titleFontSize": _MIN_FONT, "titleFontWeight": "normal",
                     "grid": True, "gridColor": "#e6e6e6", "labelColor": "#333", "titleColor": "#222"},
            "legend": {"labelFontSize": _MIN_FONT, "titleFontSize": _MIN_FONT, "orient": "bottom"},
            "header": {"labelFontSize": _MIN_FONT, "titleFontSize": _MIN_FONT},
            "text": {"fontSize": _MIN_FONT},
            "range": {"category": list(PALETTE)},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0]},
            "concat": {"spacing": 10},
        }
    }


def _chart_id(spec: dict[str, Any]) -> str:
    text = json.dumps(spec, sort_keys=True)
    return "swp-chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _legible(node: Any) -> Any:
    """A copy of a spec with every font size raised to at least :data:`_MIN_FONT` px."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if (key == "fontSize" or key.endswith("FontSize")) and isinstance(value, (int, float)) \
                    and not isinstance(value, bool) and value < _MIN_FONT:
                out[key] = _MIN_FONT
            else:
                out[key] = _legible(value)
        return out
    if isinstance(node, list):
        return [_legible(v) for v in node]
    return node


def _embed_html(spec: dict[str, Any]) -> str:
    """The chart as HTML for the book's pages.

    ``_static/swp-charts.js`` (loaded on every page with a chart) fits the chart to the width of
    its column, adds its text alternative (description and data table) and the CSV download; where
    that script is absent (a notebook viewer) the chart is drawn by Vega-Embed as it is.
    """
    div = _chart_id(spec)
    payload = json.dumps(_legible(spec), separators=(",", ":")).replace("</", "<\\/")
    options = json.dumps(_VEGA_EMBED_OPTIONS)
    return (
        f'<div class="swp-chart" id="{div}"></div>\n'
        "<script>(function () {\n"
        f"  var spec = {payload};\n"
        "  function draw() {\n"
        f"    if (window.swpChart) {{ window.swpChart('{div}', spec, {options}); return; }}\n"
        f"    vegaEmbed('#{div}', spec, {options}).catch(function (e) {{\n"
        f"      document.getElementById('{div}').textContent = 'Chart failed to draw: ' + e; }}); }}\n"
        "  if (window.swpChart || window.vegaEmbed) { draw(); } else { window.addEventListener('load', draw); }\n"
        "})();</script>"
    )


def _renderer(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    return {
        "text/html": _embed_html(spec),
        f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json": spec,
        "text/plain": f"<{THEME} chart {_chart_id(spec)}>",
    }


alt.renderers.register(THEME, _renderer)
alt.renderers.enable(THEME)


def vega_bundle() -> str:
    """The Vega, Vega-Lite and Vega-Embed scripts as one self-contained JavaScript file.

    Built by ``vl-convert-python`` (no network access), wrapped in a function so its
    top-level names stay private; it defines ``window.vegaEmbed``.
    """
    import vl_convert as vlc

    return "(function () {\n" + vlc.javascript_bundle(vl_version=_vega_lite_version()) + "\n})();\n"


def _vega_lite_version() -> str:
    """The Vega-Lite version Altair writes (``"6.4"``), as ``vl-convert`` names its bundled versions."""
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def write_vega_bundle(path: str | Path) -> Path:
    """Write :func:`vega_bundle` to ``path`` if it is missing or different; return the path."""
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or pathlib.Path); got {type(path).__name__} {path!r:.80}")
    check_text("path", str(path))
    target = Path(path)
    text = vega_bundle()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


def source_line(sources: str | Sequence[str]) -> str:
    """Format the "Source:" line printed under a chart.

    Parameters
    ----------
    sources : str or sequence of str
        One source, or several (joined by "; "); at least one not blank.
    """
    sources = [sources] if isinstance(sources, str) else check_sequence("sources", sources)
    for i, s in enumerate(sources):
        check_instance(f"sources[{i}]", s, str, "string")
    if not any(s.strip() for s in sources):
        raise ValueError("sources must name at least one source; got none")
    return "Source: " + "; ".join(s.strip().rstrip(".") for s in sources if s.strip()) + "."


def finish(
    chart: alt.TopLevelMixin,
    title: str,
    *,
    source: str | Sequence[str],
    subtitle: str | Sequence[str] | None = None,
) -> alt.VConcatChart:
    """Give ``chart`` the house title, subtitle and a source line underneath.

    Parameters
    ----------
    chart : altair chart
        Any Altair chart (layers and concatenations included).
    title : str
        What the chart shows, in words.
    source : str or sequence of str
        Where the numbers come from (documents, sections, tables; "assumption" where so).
    subtitle : str or sequence of str, optional
        One or two lines of explanation (units, how to read it).

    Returns
    -------
    altair.VConcatChart
        The chart with the title on top and the source line below.
    """
    check_instance("chart", chart, alt.TopLevelMixin, "Altair chart")
    check_text("title", title)
    sources = [source] if isinstance(source, str) else check_sequence("source", source)
    for i, s in enumerate(sources):
        check_instance(f"source[{i}]" if not isinstance(source, str) else "source", s, str, "string")
    if not any(s.strip() for s in sources):
        raise ValueError("source must name at least one source; got none")
    if subtitle is not None:
        subs_given = [subtitle] if isinstance(subtitle, str) else check_sequence("subtitle", subtitle)
        for i, s in enumerate(subs_given):
            check_instance(f"subtitle[{i}]" if not isinstance(subtitle, str) else "subtitle", s, str, "string")
    head = alt.TitleParams(text=title, subtitle=subtitle if subtitle is not None else alt.Undefined)
    inner = chart.properties(title=head)
    foot = alt.TitleParams(
        text=source_line(sources),
        orient="bottom",
        anchor="start",
        fontSize=_MIN_FONT,
        fontWeight="normal",
        color="#555",
        offset=8,
    )
    subs = [] if subtitle is None else [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return alt.vconcat(inner).properties(title=foot, description=describe(title, subs or None))


def describe(title: str, subtitle: str | Sequence[str] | None = None) -> str:
    """The chart's text alternative: its title, then its subtitle as running text.

    A subtitle given as several lines is one text broken where the chart breaks it, so its lines are
    joined with a space; a full stop is put between two lines only where the first ends a statement
    without punctuation and the next starts a new one with a capital letter.

    Parameters
    ----------
    title : str
        The chart's title (not blank).
    subtitle : str or sequence of str, optional
        Its subtitle, one string or its lines (1 to 20).

    Returns
    -------
    str
        Sentences ending in a full stop, e.g. ``"Children in care. SWP C grew to 727 by 2011."``.
    """
    check_text("title", title)
    lines = [] if subtitle is None else [subtitle] if isinstance(subtitle, str) \
        else check_sequence("subtitle", subtitle, max_len=20)
    for i, line in enumerate(lines):
        check_instance(f"subtitle[{i}]", line, str, "string")
    text = ""
    for line in (t.strip() for t in lines):
        if not line:
            continue
        if text and text[-1].isalnum() and line[0].isupper():
            text += "."
        text = f"{text} {line}" if text else line
    parts = [t.rstrip(",;: ") for t in (title.strip(), text) if t.rstrip(",;: ")]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in parts)


#: Line styles that tell series apart without colour (solid, long dash, short dash, dash-dot, dotted).
DASHES: tuple[tuple[int, ...], ...] = ((1, 0), (7, 3), (2, 2), (8, 3, 2, 3), (1, 3))
#: Point shapes that tell series apart without colour.
SHAPES: tuple[str, ...] = ("circle", "square", "triangle-up", "diamond", "cross")


def series_cues(field: str, domain: Sequence[str], colours: Sequence[str] | None = None, *,
                title: str | None = None, legend: alt.Legend | None = None, line: bool = True,
                shape: bool = False) -> dict[str, Any]:
    """Encodings that tell the series of ``field`` apart by colour and by a second cue, with one legend.

    Colour is never the only cue (UK Analysis Function chart guidance): lines also differ by dash
    and points by shape; colour, dash and shape share the domain, order and legend, so Vega-Lite
    merges them into one legend without a warning.

    Parameters
    ----------
    field : str
        The field and type, e.g. ``"series:N"``.
    domain : sequence of str
        The series in legend order (at most five).
    colours : sequence of str, optional
        One colour a series (default: the house palette in order).
    title : str, optional
        The legend's title (default: none).
    legend : altair.Legend, optional
        The legend (default: below the chart, one entry a line).
    line : bool
        Add a dash encoding (for line marks).
    shape : bool
        Add a shape encoding (for point marks).

    Returns
    -------
    dict
        Keyword arguments for ``.encode``: ``color``, and ``strokeDash`` and/or ``shape``.
    """
    if ":" not in check_text("field", field):
        raise ValueError(f"field must be 'name:type', got {field!r}")
    names = check_sequence("domain", domain, max_len=len(DASHES))
    if not all(isinstance(n, str) for n in names):
        raise ValueError(f"domain must be 1 to {len(DASHES)} series names (text), got {domain!r:.80}")
    palette = check_sequence("colours", colours, max_len=len(DASHES)) if colours is not None \
        else list(PALETTE[:len(names)])
    if len(palette) != len(names) or not all(isinstance(c, str) for c in palette):
        raise ValueError(f"colours must give one colour a series ({len(names)}), got {colours!r:.80}")
    if title is not None:
        check_text("title", title)
    if legend is not None:
        check_instance("legend", legend, alt.Legend, "an altair.Legend")
    check_flag("line", line)
    check_flag("shape", shape)
    legend = legend if legend is not None else alt.Legend(orient="bottom", direction="vertical")
    legend = legend.copy()
    legend.symbolStrokeWidth = 2
    common = {"title": title, "sort": names, "legend": legend}
    out: dict[str, Any] = {"color": alt.Color(field, scale=alt.Scale(domain=names, range=palette), **common)}
    if line:
        out["strokeDash"] = alt.StrokeDash(field, scale=alt.Scale(domain=names,
                                                                  range=[list(d) for d in DASHES[:len(names)]]),
                                           **common)
    if shape:
        out["shape"] = alt.Shape(field, scale=alt.Scale(domain=names, range=list(SHAPES[:len(names)])), **common)
    return out


def bound_params(spec: dict[str, Any]) -> list[str]:
    """Names of the parameters bound to a control (slider, menu, buttons) anywhere in a chart spec.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec, e.g. ``chart.to_dict()``.

    Returns
    -------
    list of str
        In the order they appear; a name bound twice appears twice.
    """
    check_instance("spec", spec, dict, "dict (a Vega-Lite spec)")
    return [p["name"] for node in _dicts(spec) for p in node.get("params", []) or []
            if isinstance(p, dict) and "bind" in p and "name" in p]


def _dicts(node: Any) -> Any:
    """Every dict in a spec, depth first in document order (the spec itself first)."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dicts(v)


#: Encoding channels that tell the values of a field apart without colour.
_CUE_CHANNELS = ("strokeDash", "shape", "text", "x", "y", "row", "column", "facet")
_CONCATS = ("vconcat", "hconcat", "concat")


def _field(channel: Any) -> str | None:
    return channel.get("field") if isinstance(channel, dict) and isinstance(channel.get("field"), str) else None


def _cue_fields(encoding: dict[str, Any]) -> set[str]:
    return {f for ch in _CUE_CHANNELS if (f := _field(encoding.get(ch))) is not None}


def _layer_cues(node: dict[str, Any], inherited: dict[str, Any]) -> set[str]:
    """Fields a layer (and every layer inside it) separates by a channel other than colour."""
    encoding = {**inherited, **(node.get("encoding") or {})}
    found = _cue_fields(encoding) if "mark" in node else set()
    for child in node.get("layer", []) or []:
        if isinstance(child, dict):
            found |= _layer_cues(child, encoding)
    return found


def colour_only(spec: dict[str, Any]) -> list[str]:
    """Series told apart by colour alone anywhere in a chart spec (none means every colour has a second cue).

    A categorical (nominal or ordinal) ``color`` field needs a second channel on the same field
    (UK Analysis Function chart guidance: colour is never the only cue): a dash or shape, a text mark
    labelling it directly, an axis (``x``/``y``) or a facet (``row``/``column``/``facet``), in the
    mark itself, in another layer drawn with it, or in an enclosing facet.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec, e.g. ``chart.to_dict()``.

    Returns
    -------
    list of str
        One ``"<mark> coloured by <field>"`` entry per mark that relies on colour alone, in document order.
    """
    check_instance("spec", spec, dict, "dict (a Vega-Lite spec)")
    found: list[str] = []

    def walk(node: Any, inherited: dict[str, Any], separated: set[str]) -> None:
        if isinstance(node, list):
            for v in node:
                walk(v, inherited, separated)
            return
        if not isinstance(node, dict):
            return
        encoding = {**inherited, **(node.get("encoding") or {})}
        facet = node.get("facet") if isinstance(node.get("facet"), dict) else {}
        panels = [encoding.get(k) for k in ("row", "column", "facet")] + [facet, facet.get("row"), facet.get("column")]
        separated = separated | {f for p in panels if (f := _field(p)) is not None}
        if "layer" in node:
            separated = separated | _layer_cues(node, inherited)
            walk(node["layer"], encoding, separated)
        for key in _CONCATS:
            walk(node.get(key), {}, separated)
        if isinstance(node.get("spec"), dict):
            walk(node["spec"], {}, separated)
        if "mark" in node:
            colour = encoding.get("color")
            fields = [c for c in (colour, colour.get("condition") if isinstance(colour, dict) else None)
                      if isinstance(c, dict) and c.get("type") in ("nominal", "ordinal") and _field(c)]
            mark = node["mark"].get("type") if isinstance(node["mark"], dict) else node["mark"]
            found.extend(f"{mark} coloured by {c['field']}" for c in fields
                         if c["field"] not in separated | _cue_fields(encoding))

    walk(spec, {}, set())
    return found


def slider(name: str, label: str, minimum: float, maximum: float, step: float, value: float) -> alt.Parameter:
    """A named Altair parameter bound to a range slider (works in the static book).

    Parameters
    ----------
    name : str
        The parameter's name in the spec (non-empty; the page's tests find the control by it).
    label : str
        The control's label.
    minimum, maximum, step, value : float
        The slider's range, step and starting value: finite, ``minimum < maximum``, ``step > 0`` and
        ``minimum <= value <= maximum``.
    """
    check_text("name", name)
    check_instance("label", label, str, "string")
    lo, hi = check_finite("minimum", minimum), check_finite("maximum", maximum)
    if not lo < hi:
        raise ValueError(f"maximum must be above minimum ({lo:g}); got {hi:g}")
    if check_finite("step", step) <= 0:
        raise ValueError(f"step must be positive; got {step!r}")
    v = check_finite("value", value)
    if not lo <= v <= hi:
        raise ValueError(f"value must lie in [minimum, maximum] = [{lo:g}, {hi:g}]; got {v:g}")
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_range(min=minimum, max=maximum, step=step, name=label + " "),
    )


def selector(name: str, label: str, options: Sequence[Any], value: Any, labels: Sequence[str] | None = None,
             radio: bool = False) -> alt.Parameter:
    """A named Altair parameter bound to a drop-down (or radio buttons).

    Parameters
    ----------
    name : str
        The parameter's name in the spec (non-empty).
    label : str
        The control's label.
    options : sequence
        The values offered (at least one); ``value`` must be one of them.
    value
        The starting option.
    labels : sequence of str, optional
        What each option is called on the page (one per option).
    radio : bool, default False
        Radio buttons instead of a drop-down.
    """
    check_text("name", name)
    check_instance("label", label, str, "string")
    options = check_sequence("options", options)
    if value not in options:
        raise ValueError(f"value must be one of the options {options!r:.120}; got {value!r:.80}")
    if labels is not None:
        labels = check_sequence("labels", labels)
        if len(labels) != len(options):
            raise ValueError(f"labels must give one label per option ({len(options)}); got {len(labels)}")
    check_flag("radio", radio)
    kind = alt.binding_radio if radio else alt.binding_select
    kwargs: dict[str, Any] = {"options": list(options), "name": label + " "}
    if labels is not None:
        kwargs["labels"] = list(labels)
    return alt.param(name=name, value=value, bind=kind(**kwargs))
