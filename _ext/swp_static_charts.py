"""Local Sphinx extension: every chart is on the page as a drawing before any script runs.

Each chart on a built page is a Vega-Lite spec that ``_static/swp-charts.js`` draws in the browser
(with its controls, tooltips, text alternative and fit to the column). Drawing a chapter's charts
takes the browser a second or more of processing, so at build time this extension also draws each
chart to SVG with ``vl-convert`` (the same Vega and Vega-Lite versions as the page's bundle, no
network) and puts the drawing inside the chart's box. The reader sees every chart as soon as the page's
HTML has arrived; the page's scripts, loaded deferred, then replace each drawing with the live chart,
those on screen first (see ``swpChart`` in ``_static/swp-charts.js``). A reader whose browser runs no
scripts keeps the drawings.

Each chart is drawn twice: for the book's desktop column (:data:`COLUMN_WIDTH`) and for a phone's
(:data:`PHONE_WIDTH`), each with the same title wrapping, label wrapping (:func:`wrap_labels`: labels
break into lines rather than end in "…") and label limits the page's script applies at that width
(:func:`desktop_spec`); the phone's drawing also has its panels stacked and its widths narrowed as the
script narrows a live chart (:func:`phone_spec`). The page's style shows the phone's drawing below
:data:`PHONE_BREAK` px and the desktop's above, so with scripts off a phone's chart keeps legible text
instead of a desktop drawing scaled down to about half its size.
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
#: Width of the book's text column on a phone (a 360-390 px screen), in px.
PHONE_WIDTH = 340
#: The page's style shows the phone's drawing below this window width (px) and the desktop's above it.
PHONE_BREAK = 600
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
    """A title or subtitle broken into lines of at most ``max_chars`` (as ``wrapText`` in the script): a
    short tail of a wrapped line is carried on to the start of the next line rather than left alone."""
    lines: list[Any] = []
    given = text if isinstance(text, list) else [text]
    carry = ""
    for k, t in enumerate(given):
        if not isinstance(t, str):
            lines += [carry] if carry else []
            carry = ""
            lines.append(t)
            continue
        if carry:
            t, carry = carry + " " + t, ""
        if len(t) <= max_chars:
            lines.append(t)
            continue
        pieces: list[str] = []
        line = ""
        for word in t.split(" "):
            if line and len(line + " " + word) > max_chars:
                pieces.append(line)
                line = word
            else:
                line = line + " " + word if line else word
        if line:
            pieces.append(line)
        if len(pieces) > 1 and k + 1 < len(given) and isinstance(given[k + 1], str) \
                and len(pieces[-1]) < max(8, max_chars / 5):
            carry = pieces.pop()
        lines += pieces
    if carry:
        lines.append(carry)
    return lines[0] if len(lines) == 1 else lines


def desktop_spec(spec: dict[str, Any], width: int = COLUMN_WIDTH) -> dict[str, Any]:
    """A copy of ``spec`` with the titles wrapped and label limits set as the page's script sets
    them for a column ``width`` px wide (``wrapTitles`` in ``_static/swp-charts.js``, wide case)."""
    out = copy.deepcopy(spec)
    limit = max(90, width * 4 // 10)

    def chars(size: float) -> int:
        return max(16, int((width - 16) // (size * 0.66)))

    for node in _nodes(out):
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
    config = out.setdefault("config", {})
    config.setdefault("axis", {})["labelLimit"] = limit
    config.setdefault("legend", {})["labelLimit"] = max(90, width * 6 // 10)
    if width < _NARROW:
        _legends_one_a_line(out, width)
    wrap_labels(out, width, limit)
    config["axis"].setdefault("labelOverlap", "greedy")
    config["axis"]["labelSeparation"] = max(config["axis"].get("labelSeparation", 0), 6)
    # A drawing's text is set in the reader's font, which may run wider than the build's: entries of a
    # legend in a row keep room between them.
    config["legend"]["columnPadding"] = max(config["legend"].get("columnPadding", 0), 24)
    if width < _NARROW:
        config.setdefault("axisX", {}).setdefault("tickCount", 4)
    return out


#: Below this column width (px) the page's script treats a chart as narrow (``wrapTitles``).
_NARROW = 560


def _nodes(node: Any):
    """Every object in a spec (``walk`` in the page's script)."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _nodes(value)


def _legends_one_a_line(spec: dict[str, Any], width: int) -> None:
    """Legends one under another below the chart, one entry a line (``legendsOneALine``)."""
    for n in _nodes(spec):
        if isinstance(n.get("legend"), dict):
            n["legend"]["columns"] = 1
            n["legend"]["direction"] = "vertical"
    legend = spec.setdefault("config", {}).setdefault("legend", {})
    legend["columns"] = 1
    legend["labelLimit"] = max(90, width - 40)
    legend["layout"] = {"bottom": {"anchor": "start", "direction": "vertical", "margin": 6}}


def _stack_panels(spec: dict[str, Any]) -> None:
    """Panels side by side put one above the other, each named above it (``stackPanels``)."""
    for n in list(_nodes(spec)):
        if "hconcat" in n:
            n["vconcat"] = n.pop("hconcat")
        for o in (n.get("facet"), n.get("encoding"), n.get("repeat")):
            if isinstance(o, dict) and o.get("column") and not o.get("row"):
                o["row"] = o.pop("column")
                if isinstance(o["row"], dict) and o["row"].get("field"):
                    o["row"]["header"] = {**(o["row"].get("header") or {}), "labelAngle": 0, "labelOrient": "top",
                                          "labelAnchor": "start", "labelAlign": "left", "labelPadding": 4,
                                          "titleOrient": "top", "titleAngle": 0, "titleAnchor": "start"}


def _fewer_columns(spec: dict[str, Any], ratio: float) -> None:
    """Small multiples wrapped into fewer columns (``fewerColumns``)."""
    for n in _nodes(spec):
        cols = n.get("columns")
        if "facet" in n and isinstance(cols, int) and not isinstance(cols, bool) and cols > 1:
            n["columns"] = max(1, min(cols - 1, int(cols * ratio)))


def _narrower(spec: dict[str, Any], ratio: float) -> None:
    """Every width scaled by ``ratio`` (``narrower``), never below the script's floors."""
    for n in _nodes(spec):
        w = n.get("width")
        if isinstance(w, (int, float)) and not isinstance(w, bool) and "type" not in n:
            n["width"] = max(80, int(w * ratio))
        elif isinstance(w, dict) and isinstance(w.get("step"), (int, float)):
            w["step"] = max(3, w["step"] * ratio)
        cw = n.get("continuousWidth")
        if isinstance(cw, (int, float)) and not isinstance(cw, bool):
            n["continuousWidth"] = max(80, int(cw * ratio))


def phone_spec(spec: dict[str, Any], ratio: float = 1.0) -> dict[str, Any]:
    """A copy of ``spec`` laid out for a phone's column (:data:`PHONE_WIDTH`): panels stacked, small
    multiples in fewer columns, widths scaled by ``ratio`` (below 1 when a first drawing came out too
    wide) and titles, labels and legends as the page's script sets them at that width."""
    out = copy.deepcopy(spec)
    _stack_panels(out)
    _fewer_columns(out, ratio * PHONE_WIDTH / COLUMN_WIDTH)
    _narrower(out, ratio)
    # Room at the left for axis labels set in the reader's font, which may run wider than the build's.
    out.setdefault("padding", {"left": 12, "right": 5, "top": 5, "bottom": 5})
    return desktop_spec(out, PHONE_WIDTH)


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
    narrow = width < _NARROW
    axis_chars = max(12, int(limit / _TEXT_PX))
    legend_chars = max(14, int((width - 110 if narrow else width * 0.6) / _TEXT_PX))
    text_chars = max(14, int(width * (0.4 if narrow else 0.5) / _TEXT_PX))
    _merge_legends(spec, values)

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


def _merge_legends(spec: dict[str, Any], values: Any) -> None:
    """A field whose legend is off on one channel (a line's dash) but on on another (its colour) loses the
    off switch, so the two merge into one legend that wraps, without Vega-Lite's warning of conflicting
    legends; channels ordering a field by the same list of its categories (a colour and a shape, which
    Vega-Lite would draw as two legends) take that list as their domain, and merge (as ``wrapLabels`` in
    ``_static/swp-charts.js`` does). ``values(field)`` gives the field's values in the chart's data."""
    off: list[dict] = []
    on: set[str] = set()
    ordered: dict[str, list[dict]] = {}

    def scan(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                scan(n)
            return
        if not isinstance(node, dict):
            return
        enc = node.get("encoding")
        if isinstance(enc, dict):
            for ch in _LEGEND_CHANNELS:
                c = enc.get(ch)
                if isinstance(c, dict) and c.get("type") in _CATEGORY:
                    if "legend" in c and c["legend"] is None:
                        off.append(c)
                    else:
                        on.add(str(c.get("field")))
                    scale = c.get("scale") if isinstance(c.get("scale"), dict) else {}
                    if isinstance(c.get("sort"), list) and not scale.get("domain"):
                        ordered.setdefault(str(c.get("field")), []).append(c)
        for key, value in node.items():
            if key not in ("data", "datasets"):
                scan(value)

    scan(spec)
    for c in off:
        if str(c.get("field")) in on:
            del c["legend"]
    for field, cs in ordered.items():
        order = cs[0]["sort"]
        listed = {str(v) for v in order}
        if len(cs) < 2 or any(c["sort"] != order for c in cs) or any(v not in listed for v in values(field)):
            continue
        for c in cs:
            c["scale"] = {**(c.get("scale") or {}), "domain": c.pop("sort")}


def _as_list(x: Any) -> list:
    return x if isinstance(x, list) else [x]


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    from swp_models.charts import _vega_lite_version

    return re.sub(r"^<\?xml[^>]*>\s*", "", vlc.vegalite_to_svg(spec, vl_version=_vega_lite_version()))


def svg_width(svg: str) -> float:
    """The width an SVG drawing declares, in px."""
    m = re.search(r'<svg[^>]*?\swidth="([0-9.]+)', svg)
    if not m:
        raise ValueError(f"svg must declare its width; got {svg[:80]!r}")
    return float(m.group(1))


def _phone_svg(spec: dict[str, Any], key: str) -> str:
    """The phone's drawing, narrowed (as the page's script narrows a live chart) until it fits
    :data:`PHONE_WIDTH`; its ids made its own, as the page also holds the desktop's drawing."""
    ratio = 1.0
    svg = _svg(phone_spec(spec, ratio))
    for _ in range(4):
        width = svg_width(svg)
        if width <= PHONE_WIDTH + 1:
            break
        ratio *= PHONE_WIDTH / width * 0.92
        svg = _svg(phone_spec(spec, ratio))
    for name in set(re.findall(r'\sid="([^"]+)"', svg)):
        own = f"{name}-phone-{key}"
        svg = svg.replace(f'id="{name}"', f'id="{own}"').replace(f"url(#{name})", f"url(#{own})") \
            .replace(f'href="#{name}"', f'href="#{own}"')
    return svg


def chart_svg(spec: dict[str, Any], cache: Path | None = None, phone: bool = False) -> str:
    """The chart drawn to SVG for the desktop column (or, with ``phone``, a phone's), from ``cache``
    when the same layout was drawn before (the cache is keyed by the spec as laid out for that width,
    so a change in the layout's code draws the chart again)."""
    drawn = phone_spec(spec) if phone else desktop_spec(spec)
    text = json.dumps(drawn, sort_keys=True) + ("phone" if phone else "")
    key = hashlib.sha256(text.encode()).hexdigest()[:20]
    hit = cache / f"{key}.svg" if cache is not None else None
    if hit is not None and hit.is_file():
        return hit.read_text(encoding="utf-8")
    svg = _phone_svg(spec, key[:8]) if phone else _svg(drawn)
    if hit is not None:
        hit.parent.mkdir(parents=True, exist_ok=True)
        hit.write_text(svg, encoding="utf-8")
    return svg


def with_drawings(body: str, cache: Path | None = None) -> str:
    """``body`` with each chart's drawing inside its box, and the mark of when it is on screen."""

    def draw(m: re.Match) -> str:
        spec = json.loads(m.group("spec").replace("<\\/", "</"))
        chart_id = m.group("id")
        wide, narrow = chart_svg(spec, cache), chart_svg(spec, cache, phone=True)
        label = html.escape(str(spec.get("description") or "A chart"), quote=True)
        static = (f'<div class="swp-chart" id="{chart_id}"><div class="swp-chart-static" role="img" '
                  f'aria-label="Chart: {label}"><div class="swp-drawing-wide">{wide}</div>'
                  f'<div class="swp-drawing-phone">{narrow}</div></div></div>' + _PAINTED.format(id=chart_id))
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
