"""Local Sphinx extension: every chart is on the page as a drawing before any script runs.

Each chart on a built page is a Vega-Lite spec that ``_static/swp-charts.js`` draws in the browser
(with its controls, tooltips, text alternative and fit to the column). Drawing a chapter's charts
takes the browser a second or more of processing, so at build time this extension also draws each
chart to SVG with ``vl-convert`` (the same Vega and Vega-Lite versions as the page's bundle, no
network) and puts the drawing inside the chart's box. The reader sees every chart as soon as the page's
HTML has arrived; the page's scripts, loaded deferred, then replace each drawing with the live chart,
those on screen first (see ``swpChart`` in ``_static/swp-charts.js``). A reader whose browser runs no
scripts keeps the drawings.

The drawing is made for the book's desktop column (:data:`COLUMN_WIDTH`), with the same title
wrapping, label wrapping (:func:`wrap_labels`: labels break into lines rather than end in "…") and
label limits the page's script applies at that width (:func:`desktop_spec`); on a
narrower screen it is scaled to the column until the live chart, fitted to that column, replaces it.
Drawings are cached by the spec's hash in ``_build/.swp-static-charts`` so a rebuild redraws only
charts that changed.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

#: Width of the book's text column at desktop widths (1024-1366 px windows), in px.
COLUMN_WIDTH = 740
#: The chart's box and its inline script as ``swp_models.charts`` writes them into a page.
_CHART = re.compile(
    r'<div class="swp-chart" id="(?P<id>swp-chart-[0-9a-f]{12})"></div>\s*'
    r'<script>\(function \(\) \{\n  var spec = (?P<spec>\{.*?\});\n  function draw\(\)',
    re.S,
)
#: Marks the moment the drawing is on screen: after the browser's next frame following its parse.
_PAINTED = ('<script>(function (e) {{ requestAnimationFrame(function () {{ setTimeout(function () {{'
            ' e.dataset.painted = String(performance.now()); }}, 0); }}); }})'
            '(document.getElementById("{id}"));</script>')
#: Scripts that only draw charts: loaded deferred so they never hold up the page's drawings.
DEFERRED_SCRIPTS = ("vega-bundle.js", "swp-charts.js")


def _wrap(text: Any, max_chars: int) -> Any:
    """A title or subtitle broken into lines of at most ``max_chars`` (as ``wrapText`` in the script)."""
    lines: list[Any] = []
    for t in text if isinstance(text, list) else [text]:
        if not isinstance(t, str) or len(t) <= max_chars:
            lines.append(t)
            continue
        line = ""
        for word in t.split(" "):
            if line and len(line + " " + word) > max_chars:
                lines.append(line)
                line = word
            else:
                line = line + " " + word if line else word
        if line:
            lines.append(line)
    return lines[0] if len(lines) == 1 else lines


def desktop_spec(spec: dict[str, Any], width: int = COLUMN_WIDTH) -> dict[str, Any]:
    """A copy of ``spec`` with the titles wrapped and label limits set as the page's script sets
    them for a column ``width`` px wide (``wrapTitles`` in ``_static/swp-charts.js``, wide case)."""
    out = copy.deepcopy(spec)
    limit = max(90, width * 4 // 10)

    def chars(size: float) -> int:
        return max(16, int((width - 16) // (size * 0.66)))

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        title = node.get("title")
        if isinstance(title, dict):
            if "text" in title:
                title["text"] = _wrap(title["text"], chars(title.get("fontSize") or 15))
            if "subtitle" in title:
                title["subtitle"] = _wrap(title["subtitle"], chars(title.get("subtitleFontSize") or 12))
        elif isinstance(title, str) and node is not out:
            node["title"] = _wrap(title, max(16, int(width * 0.5 // (12 * 0.6))))
        label_limit = node.get("labelLimit")
        if isinstance(label_limit, (int, float)) and not isinstance(label_limit, bool) \
                and (label_limit == 0 or label_limit > limit):
            node["labelLimit"] = limit
        for value in list(node.values()):
            walk(value)

    walk(out)
    config = out.setdefault("config", {})
    config.setdefault("axis", {})["labelLimit"] = limit
    config.setdefault("legend", {})["labelLimit"] = max(90, width * 6 // 10)
    wrap_labels(out, width, limit)
    config["axis"].setdefault("labelOverlap", "greedy")
    config["axis"]["labelSeparation"] = max(config["axis"].get("labelSeparation", 0), 6)
    return out


#: The width of an average character of 12 px text, in px (``TEXT_PX`` in the page's script).
_TEXT_PX = 7.2
_CATEGORY = ("nominal", "ordinal")
_LEGEND_CHANNELS = ("color", "fill", "stroke", "strokeDash", "shape", "size", "opacity")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def wrap_expr(chars: int, what: str) -> str:
    """A Vega expression breaking the text ``what`` into lines of at most ``chars`` characters (a long
    word keeps its line), as an array of lines, which Vega draws one under another."""
    return (f"split(trim(replace({what}, regexp('(.{{1,{chars}}}|\\\\S+)(?:\\\\s+|$)', 'g'), '$1\\n')), "
            "'\\n')")


def _field_values(spec: dict[str, Any]):
    import csv
    import io

    rows: list[dict] = []
    inline: list[Any] = []

    def find(node: Any) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "values" in data:
                inline.append(data["values"])
            for v in node.values():
                find(v)
        elif isinstance(node, list):
            for v in node:
                find(v)

    find(spec)
    for data in [*(spec.get("datasets") or {}).values(), *inline]:
        if isinstance(data, str):
            rows += list(csv.DictReader(io.StringIO(data)))
        elif isinstance(data, list):
            rows += [r for r in data if isinstance(r, dict)]
    cache: dict[str, list[str]] = {}

    def values(field: str) -> list[str]:
        if field not in cache:
            cache[field] = sorted({str(r[field]) for r in rows if r.get(field) is not None})
        return cache[field]

    return values


def wrap_labels(spec: dict[str, Any], width: int, limit: int) -> None:
    """Category labels on a y axis, legend labels, panel names and long text drawn from a field wrap
    instead of being cut with "…" (``wrapLabels`` in ``_static/swp-charts.js``, wide case)."""
    values = _field_values(spec)
    axis_chars = max(12, int(limit / _TEXT_PX))
    legend_chars = max(14, int(width * 0.6 / _TEXT_PX))
    text_chars = max(14, int(width * 0.5 / _TEXT_PX))

    def visit(node: Any, sizer: dict | None, in_layer: bool) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n, sizer, in_layer)
            return
        if not isinstance(node, dict):
            return
        here = sizer if in_layer and sizer is not None else node
        enc = node.get("encoding") if isinstance(node.get("encoding"), dict) else None
        if enc:
            y = enc.get("y")
            if isinstance(y, dict) and y.get("type") in _CATEGORY and isinstance(y.get("field"), str) \
                    and y.get("axis", {}) is not None:
                axis = y.setdefault("axis", {})
                if not axis.get("labelExpr"):
                    axis["labelExpr"] = wrap_expr(axis_chars, "datum.label")
                    axis["labelLimit"] = 0
                    vals = values(y["field"])
                    lines = max([1] + [len(_as_list(_wrap(v, axis_chars))) for v in vals])
                    if lines > 1:
                        need = 15 * lines + 4
                        height = here.get("height")
                        if isinstance(height, dict) and isinstance(height.get("step"), (int, float)):
                            height["step"] = max(height["step"], need)
                        elif isinstance(height, (int, float)) and not isinstance(height, bool):
                            here["height"] = max(height, need * max(1, len(vals)))
                        elif height is None:
                            here["height"] = {"step": max(20, need)}
            for ch in _LEGEND_CHANNELS:
                c = enc.get(ch)
                if isinstance(c, dict) and c.get("type") in _CATEGORY and c.get("legend", {}) is not None:
                    legend = c.setdefault("legend", {})
                    if not legend.get("labelExpr"):
                        legend["labelExpr"] = wrap_expr(legend_chars, "datum.label")
                        legend["labelLimit"] = 0
            t = enc.get("text")
            mark = node.get("mark")
            mark = mark.get("type") if isinstance(mark, dict) else mark
            if mark == "text" and isinstance(t, dict) and isinstance(t.get("field"), str) and not t.get("format") \
                    and not t.get("aggregate") and t.get("type") != "quantitative" and _FIELD_NAME.match(t["field"]) \
                    and any(len(v) > 2 * text_chars for v in values(t["field"])):
                node["transform"] = list(node.get("transform") or []) + [
                    {"calculate": wrap_expr(text_chars, "'' + datum." + t["field"]), "as": t["field"] + "_lines"}]
                enc["text"] = {"field": t["field"] + "_lines", "type": "nominal"}
        facet = node.get("facet") if isinstance(node.get("facet"), dict) else {}
        for f in (facet, facet.get("row"), facet.get("column"), *(enc.get(k) for k in ("row", "column", "facet")
                                                                    if enc)):
            if isinstance(f, dict) and isinstance(f.get("field"), str) and f.get("header", {}) is not None:
                header = f.setdefault("header", {})
                header.setdefault("labelExpr", wrap_expr(legend_chars, "datum.label"))
                header["labelLimit"] = 0
        if "layer" in node:
            visit(node["layer"], here, True)
        for key in ("vconcat", "hconcat", "concat"):
            if key in node:
                visit(node[key], None, False)
        if isinstance(node.get("spec"), dict):
            visit(node["spec"], None, False)

    visit(spec, spec, False)


def _as_list(x: Any) -> list:
    return x if isinstance(x, list) else [x]


def chart_svg(spec: dict[str, Any], cache: Path | None = None) -> str:
    """The chart drawn to SVG for the desktop column, from ``cache`` when it was drawn before."""
    text = json.dumps(spec, sort_keys=True)
    key = hashlib.sha256((text + str(COLUMN_WIDTH)).encode()).hexdigest()[:20]
    hit = cache / f"{key}.svg" if cache is not None else None
    if hit is not None and hit.is_file():
        return hit.read_text(encoding="utf-8")
    import vl_convert as vlc

    from swp_models.charts import _vega_lite_version

    svg = vlc.vegalite_to_svg(desktop_spec(spec), vl_version=_vega_lite_version())
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    if hit is not None:
        hit.parent.mkdir(parents=True, exist_ok=True)
        hit.write_text(svg, encoding="utf-8")
    return svg


def with_drawings(body: str, cache: Path | None = None) -> str:
    """``body`` with each chart's drawing inside its box, and the mark of when it is on screen."""

    def draw(m: re.Match) -> str:
        spec = json.loads(m.group("spec").replace("<\\/", "</"))
        chart_id = m.group("id")
        svg = chart_svg(spec, cache)
        label = html.escape(str(spec.get("description") or "A chart"), quote=True)
        static = (f'<div class="swp-chart" id="{chart_id}"><div class="swp-chart-static" role="img" '
                  f'aria-label="Chart: {label}">{svg}</div></div>' + _PAINTED.format(id=chart_id))
        return static + m.group(0)[m.group(0).index("</div>") + len("</div>"):]

    return _CHART.sub(draw, body)


def _add_drawings(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and "swp-chart" in body:
        context["body"] = with_drawings(body, Path(app.outdir).parent / ".swp-static-charts")
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [_deferred(js) for js in scripts]


def _deferred(js: Any) -> Any:
    """The script ``js``, loaded deferred if it is one of :data:`DEFERRED_SCRIPTS`."""
    name = str(getattr(js, "filename", js))
    if not any(name == n or name.endswith("/" + n) for n in DEFERRED_SCRIPTS):
        return js
    attributes = dict(getattr(js, "attributes", {}) or {})
    attributes["defer"] = "defer"
    return type(js)(js.filename, priority=js.priority, **attributes) if hasattr(js, "filename") \
        else js


def _static_files_hash(app) -> str:
    digest = hashlib.sha256()
    for folder in app.config.html_static_path:
        base = Path(app.confdir) / folder
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _pages_with_new_static_files(app, env, added, changed, removed):
    """Every page, when a file in ``_static`` changed: each page names its scripts and styles with a
    checksum, and Sphinx copies the files only when it writes pages."""
    current = _static_files_hash(app)
    if getattr(env, "swp_static_hash", None) == current:
        return []
    env.swp_static_hash = current
    return sorted(env.found_docs - set(added) - set(changed))


def setup(app):
    app.connect("html-page-context", _add_drawings, priority=950)
    app.connect("env-get-outdated", _pages_with_new_static_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
