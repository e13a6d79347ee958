/* The book's charts as readers meet them (loaded on every page with a chart).
 *
 * swpChart(id, spec, options) draws a Vega-Lite chart with Vega-Embed, then fits it to its column:
 * side-by-side panels are stacked, small multiples wrap into fewer columns, and widths shrink until
 * the chart is no wider than the column; text keeps its size (at least 12 px, set in the spec). It
 * redraws when the column's width changes. Under each chart: its description and its data as a
 * table behind a disclosure, with the data as CSV to download.
 *
 * Drawn twice: the built page already holds each chart as an SVG drawing (made at build time, see
 * _ext/swp_static_charts.py), so the reader sees every chart as soon as the HTML arrives. This script
 * (loaded deferred) then replaces each drawing with the live chart, one at a time while the browser is
 * idle: first a chart whose controls the page's address sets, then charts on screen, then the rest in
 * page order. A chart is marked data-painted when its drawing is on screen and data-drawn when it
 * is live.
 *
 * Scenario links: the value of every control the reader moves is kept in the page address's hash
 * (#figure&name=value&..., values as JSON), so the address is a link to that scenario that opens at
 * the figure last moved. A page opened with such a hash scrolls to that figure and sets those
 * controls (and every chart that shares them) before it is marked drawn; a value a chart does not
 * offer is left at its default, with a notice on the chart.
 */
(function () {
  "use strict";
  var ROWS_SHOWN = 60;
  var charts = [];

  function clone(o) { return JSON.parse(JSON.stringify(o)); }
  function walk(node, fn) {
    if (Array.isArray(node)) { node.forEach(function (n) { walk(n, fn); }); }
    else if (node && typeof node === "object") {
      fn(node);
      Object.keys(node).forEach(function (k) { walk(node[k], fn); });
    }
  }
  function some(spec, test) { var found = false; walk(spec, function (n) { if (test(n)) { found = true; } }); return found; }
  function sideBySide(n) {
    return n.hconcat || (n.facet && n.facet.column) || (n.encoding && n.encoding.column) || (n.repeat && n.repeat.column);
  }
  // Panels side by side (concatenated, faceted or repeated by column) are put one above the other.
  function stackPanels(spec) {
    walk(spec, function (n) {
      if (n.hconcat) { n.vconcat = n.hconcat; delete n.hconcat; }
      [n.facet, n.encoding, n.repeat].forEach(function (o) {
        if (o && o.column && !o.row) {
          o.row = o.column;
          delete o.column;
          // Each panel's name above it, level, rather than turned on its side beside a panel shorter than it.
          if (o.row && typeof o.row === "object" && !Array.isArray(o.row) && o.row.field) {
            o.row.header = Object.assign({}, o.row.header || {}, { labelAngle: 0, labelOrient: "top", labelAnchor: "start",
              labelAlign: "left", labelPadding: 4, titleOrient: "top", titleAngle: 0, titleAnchor: "start" });
          }
        }
      });
    });
  }
  function fewerColumns(spec, ratio) {
    walk(spec, function (n) {
      if (n.facet && typeof n.columns === "number" && n.columns > 1) {
        n.columns = Math.max(1, Math.min(n.columns - 1, Math.floor(n.columns * ratio)));
      }
    });
  }
  function narrower(spec, ratio) {
    walk(spec, function (n) {
      if (typeof n.width === "number" && !n.type) { n.width = Math.max(80, Math.floor(n.width * ratio)); }
      else if (n.width && typeof n.width.step === "number") { n.width.step = Math.max(3, n.width.step * ratio); }
      if (typeof n.continuousWidth === "number") { n.continuousWidth = Math.max(80, Math.floor(n.continuousWidth * ratio)); }
    });
  }
  // Break a title or subtitle into lines no wider than the column (Vega titles do not wrap).
  // A short tail of a wrapped line ("... with 0 or" / "1") is carried on to the start of the next
  // line rather than left standing alone.
  function wrapText(text, maxChars) {
    var lines = [], carry = "", input = Array.isArray(text) ? text : [text];
    input.forEach(function (t, k) {
      if (typeof t !== "string") { if (carry) { lines.push(carry); carry = ""; } lines.push(t); return; }
      if (carry) { t = carry + " " + t; carry = ""; }
      if (t.length <= maxChars) { lines.push(t); return; }
      var pieces = [], line = "";
      t.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > maxChars) { pieces.push(line); line = word; }
        else { line = line ? line + " " + word : word; }
      });
      if (line) { pieces.push(line); }
      if (pieces.length > 1 && typeof input[k + 1] === "string" &&
          pieces[pieces.length - 1].length < Math.max(8, maxChars / 5)) { carry = pieces.pop(); }
      lines = lines.concat(pieces);
    });
    if (carry) { lines.push(carry); }
    return lines.length === 1 ? lines[0] : lines;
  }
  function wrapTitles(spec, width) {
    var chars = function (size) { return Math.max(16, Math.floor((width - 16) / (size * 0.66))); };
    var narrow = width < 560;
    var limit = Math.max(90, Math.floor(width * 0.4));
    walk(spec, function (n) {
      var t = n.title;
      if (t && typeof t === "object" && !Array.isArray(t)) {
        if (t.text !== undefined) { t.text = wrapText(t.text, chars(t.fontSize || 15)); }
        if (t.subtitle !== undefined) { t.subtitle = wrapText(t.subtitle, chars(t.subtitleFontSize || 12)); }
      } else if (typeof t === "string" && n !== spec) {
        n.title = wrapText(t, Math.max(16, Math.floor(width * 0.5 / (12 * 0.6))));
      }
      // A label limit of 0 means "no limit": on a narrow column every limit is capped.
      if (typeof n.labelLimit === "number" && (n.labelLimit === 0 || n.labelLimit > limit)) { n.labelLimit = limit; }
    });
    // Long category labels are cut with an ellipsis rather than widen the chart (the full labels
    // are in the chart's data table).
    spec.config = spec.config || {};
    spec.config.axis = spec.config.axis || {};
    spec.config.axis.labelLimit = limit;
    spec.config.legend = spec.config.legend || {};
    spec.config.legend.labelLimit = Math.max(90, Math.floor(width * 0.6));
    if (narrow) { legendsOneALine(spec, width); }
    wrapLabels(spec, width, limit);
    // Tick labels that would touch are thinned out rather than drawn over one another.
    spec.config.axis.labelOverlap = spec.config.axis.labelOverlap || "greedy";
    spec.config.axis.labelSeparation = Math.max(spec.config.axis.labelSeparation || 0, 6);
    spec.config.axisX = spec.config.axisX || {};
    if (narrow && spec.config.axisX.tickCount === undefined) { spec.config.axisX.tickCount = 4; }
  }
  // ---- Labels that wrap instead of being cut ("…") ---------------------------------------
  // Category labels on the y axis, legend labels and text marks drawn from a field are broken into
  // lines of at most `chars` characters by a Vega expression (a label that is an array of lines is
  // drawn on several lines); a y axis whose labels now take several lines gets taller bands.
  var TEXT_PX = 7.2;  // the width of an average character of 12 px text
  function wrapExpr(chars, what) {
    return "split(trim(replace(" + what + ", regexp('(.{1," + chars + "}|\\\\S+)(?:\\\\s+|$)', 'g'), '$1\\n')), '\\n')";
  }
  function linesOf(text, chars) {
    var w = wrapText(String(text), chars);
    return Array.isArray(w) ? w.length : 1;
  }
  // The distinct values of a field across the chart's inline data (read once a field, when asked).
  function fieldValues(spec) {
    var sets = null, cache = {};
    return function (field) {
      if (!(field in cache)) {
        sets = sets || datasets(spec);
        var seen = {};
        sets.forEach(function (d) {
          d.rows.forEach(function (r) { if (r[field] !== undefined && r[field] !== null) { seen[String(r[field])] = true; } });
        });
        cache[field] = Object.keys(seen);
      }
      return cache[field];
    };
  }
  var CATEGORY = { nominal: true, ordinal: true };
  var LEGEND_CHANNELS = ["color", "fill", "stroke", "strokeDash", "shape", "size", "opacity"];
  function wrapLabels(spec, width, limit) {
    var values = fieldValues(spec);
    var narrow = width < 560;
    var axisChars = Math.max(12, Math.floor(limit / TEXT_PX));
    var legendChars = Math.max(14, Math.floor((narrow ? width - 110 : width * 0.6) / TEXT_PX));
    var textChars = Math.max(14, Math.floor(width * (narrow ? 0.4 : 0.5) / TEXT_PX));
    // A field whose legend is off on one channel (a line's dash) but on on another (its colour): the
    // off switch is dropped, so the two merge into one legend that wraps, without Vega-Lite's warning
    // of conflicting legends.
    // Channels that order a field's categories by a list of their own (a colour and a shape) are
    // drawn as two legends by Vega-Lite; given that list as their common domain they merge into one.
    var off = [], on = {}, sorted = {};
    (function scan(node) {
      if (Array.isArray(node)) { node.forEach(scan); return; }
      if (!node || typeof node !== "object") { return; }
      if (node.encoding) {
        LEGEND_CHANNELS.forEach(function (ch) {
          var c = node.encoding[ch];
          if (c && CATEGORY[c.type]) {
            if (c.legend === null) { off.push(c); } else { on[c.field] = true; }
            if (Array.isArray(c.sort) && !(c.scale && c.scale.domain)) { (sorted[c.field] = sorted[c.field] || []).push(c); }
          }
        });
      }
      Object.keys(node).forEach(function (k) { if (k !== "data" && k !== "datasets") { scan(node[k]); } });
    })(spec);
    off.forEach(function (c) { if (on[c.field]) { delete c.legend; } });
    Object.keys(sorted).forEach(function (field) {
      var cs = sorted[field], order = JSON.stringify(cs[0].sort);
      var listed = cs[0].sort.map(String);
      if (cs.length < 2 || cs.some(function (c) { return JSON.stringify(c.sort) !== order; }) ||
          values(field).some(function (v) { return listed.indexOf(v) < 0; })) { return; }
      cs.forEach(function (c) { c.scale = Object.assign({}, c.scale || {}, { domain: c.sort }); delete c.sort; });
    });
    function visit(node, sizer, inLayer) {
      if (Array.isArray(node)) { node.forEach(function (n) { visit(n, sizer, inLayer); }); return; }
      if (!node || typeof node !== "object") { return; }
      var here = inLayer ? sizer : node;
      var enc = node.encoding;
      if (enc) {
        var y = enc.y;
        if (y && CATEGORY[y.type] && typeof y.field === "string" && y.axis !== null) {
          y.axis = y.axis || {};
          if (!y.axis.labelExpr) {
            y.axis.labelExpr = wrapExpr(axisChars, "datum.label");
            y.axis.labelLimit = 0;
            var vals = values(y.field);
            var lines = Math.max.apply(null, [1].concat(vals.map(function (v) { return linesOf(v, axisChars); })));
            if (lines > 1) {
              var need = 15 * lines + 4;
              if (here.height && typeof here.height === "object" && typeof here.height.step === "number") {
                here.height.step = Math.max(here.height.step, need);
              } else if (typeof here.height === "number") {
                here.height = Math.max(here.height, need * Math.max(1, vals.length));
              } else if (here.height === undefined) { here.height = { step: Math.max(20, need) }; }
            }
          }
        }
        LEGEND_CHANNELS.forEach(function (ch) {
          var c = enc[ch];
          if (c && CATEGORY[c.type] && c.legend !== null) {
            c.legend = c.legend || {};
            if (!c.legend.labelExpr) { c.legend.labelExpr = wrapExpr(legendChars, "datum.label"); c.legend.labelLimit = 0; }
          }
        });
        var t = enc.text;
        var mark = typeof node.mark === "string" ? node.mark : node.mark && node.mark.type;
        if (mark === "text" && t && typeof t.field === "string" && !t.format && !t.aggregate &&
            t.type !== "quantitative" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.field) &&
            values(t.field).some(function (v) { return v.length > 2 * textChars; })) {
          // Only long text (a headline) is wrapped: a short label keeps its one line, placed as drawn.
          node.transform = (node.transform || []).concat([{ calculate: wrapExpr(textChars, "'' + datum." + t.field), as: t.field + "_lines" }]);
          enc.text = { field: t.field + "_lines", type: "nominal" };
        }
      }
      // Panel names (facet headers) wrap too.
      var facets = [node.facet, node.facet && node.facet.row, node.facet && node.facet.column,
                    enc && enc.row, enc && enc.column, enc && enc.facet];
      facets.forEach(function (f) {
        if (f && typeof f === "object" && typeof f.field === "string" && f.header !== null) {
          f.header = f.header || {};
          if (!f.header.labelExpr) { f.header.labelExpr = wrapExpr(legendChars, "datum.label"); }
          f.header.labelLimit = 0;
        }
      });
      if (node.layer) { visit(node.layer, here, true); }
      ["vconcat", "hconcat", "concat"].forEach(function (k) { if (node[k]) { visit(node[k], null, false); } });
      if (node.spec) { visit(node.spec, null, false); }
    }
    visit(spec, spec, false);
  }
  // Legends one under another below the chart, one entry a line (on a phone, or wherever a legend
  // in a row is what makes the chart wider than its column).
  function legendsOneALine(spec, width) {
    walk(spec, function (n) {
      if (n.legend && typeof n.legend === "object") { n.legend.columns = 1; n.legend.direction = "vertical"; }
    });
    spec.config = spec.config || {};
    spec.config.legend = spec.config.legend || {};
    spec.config.legend.columns = 1;
    spec.config.legend.labelLimit = Math.max(90, width - 40);
    spec.config.legend.layout = { bottom: { anchor: "start", direction: "vertical", margin: 6 } };
  }
  function drawnWidth(box) {
    var svg = box.querySelector("svg, canvas");
    return svg ? svg.getBoundingClientRect().width : 0;
  }

  // ---- Scenario links ------------------------------------------------------------------
  // The address's hash: "#fig-name&control=value&...": the anchor of the figure last moved (so the
  // link opens at its chart), then the controls' values as JSON.
  var anchor = "";
  var scenario = readHash();
  function readHash() {
    var out = {}, h = location.hash.replace(/^#/, "");
    if (h.indexOf("=") < 0) { return out; }  // an ordinary anchor, not a scenario
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i < 0) { if (kv && !anchor) { anchor = decodeURIComponent(kv); } return; }
      if (i < 1) { return; }
      try { out[decodeURIComponent(kv.slice(0, i))] = JSON.parse(decodeURIComponent(kv.slice(i + 1))); }
      catch (e) { /* a hand-edited value that is not JSON is ignored */ }
    });
    return out;
  }
  function scenarioHash() {
    var keys = Object.keys(scenario).sort();
    if (!keys.length) { return ""; }
    return "#" + (anchor ? encodeURIComponent(anchor) + "&" : "") + keys.map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(JSON.stringify(scenario[k]));
    }).join("&");
  }
  function writeHash() {
    var hash = scenarioHash();
    history.replaceState(history.state, "", location.pathname + location.search + hash);
    charts.forEach(function (c) { if (c.link) { c.link.href = hash || "#"; } });
  }
  // The anchor a link to this chart opens at: its figure's, else its section's, else its own.
  function anchorOf(chart) {
    var fig = chart.el.closest("figure[id]");
    if (fig) { return fig.id; }
    var sec = chart.el.closest("section[id]");
    return sec ? sec.id : chart.el.id;
  }
  // The chart a scenario link names, brought on screen (again once it is live, as drawing may move it).
  function land() {
    var target = anchor && document.getElementById(anchor);
    if (target) { target.scrollIntoView({ block: "start" }); }
  }
  // The controls' allowed values, from the spec's bindings: a range (min, max, step) or options.
  function bindings(spec) {
    var out = {};
    walk(spec, function (n) {
      (Array.isArray(n.params) ? n.params : []).forEach(function (p) {
        if (p && p.bind && p.name && !out[p.name]) { out[p.name] = p.bind; }
      });
    });
    return out;
  }
  function allowed(bind, value) {
    if (!bind) { return true; }
    if (bind.input === "range") {
      if (typeof value !== "number" || !isFinite(value)) { return false; }
      var lo = bind.min === undefined ? -Infinity : bind.min, hi = bind.max === undefined ? Infinity : bind.max;
      if (value < lo - 1e-9 || value > hi + 1e-9) { return false; }
      if (bind.step && isFinite(lo)) { var k = (value - lo) / bind.step; return Math.abs(k - Math.round(k)) < 1e-6; }
      return true;
    }
    if (Array.isArray(bind.options)) { return bind.options.some(function (o) { return same(o, value); }); }
    return true;
  }
  function notice(chart, text) {
    var p = chart.el.querySelector(".swp-scenario-notice");
    if (!p) {
      p = document.createElement("p");
      p.className = "swp-scenario-notice";
      p.setAttribute("role", "status");
      chart.el.insertBefore(p, chart.el.firstChild);
    }
    p.textContent = text;
  }
  function boundNames(spec) {
    var names = [];
    walk(spec, function (n) {
      (Array.isArray(n.params) ? n.params : []).forEach(function (p) {
        if (p && p.bind && p.name && names.indexOf(p.name) < 0) { names.push(p.name); }
      });
    });
    return names;
  }
  function same(a, b) { return a === b || String(a) === String(b); }
  // A control moved on one chart: record it, and move the same control on every other chart.
  function moved(chart, name, value) {
    if (same(value, chart.defaults[name])) { delete scenario[name]; } else { scenario[name] = value; anchor = anchorOf(chart); }
    charts.forEach(function (c) {
      if (c !== chart && c.result && c.names.indexOf(name) >= 0 && !same(c.result.view.signal(name), value)) {
        c.result.view.signal(name, value).runAsync();
      }
    });
    writeHash();
  }
  // A new drawing of a chart takes the scenario's values and reports its controls' moves.
  function follow(chart, view) {
    var applied = false;
    var binds = bindings(chart.spec);
    chart.names.forEach(function (name) {
      if (!(name in chart.defaults)) { chart.defaults[name] = view.signal(name); }
      if (name in scenario && !allowed(binds[name], scenario[name])) {
        // A value the chart does not hold (a hand-edited or outdated link): keep the default, say so.
        notice(chart, "The link set \u201c" + name + "\u201d to " + JSON.stringify(scenario[name]) +
          ", which this chart does not offer; it shows the default, " + JSON.stringify(chart.defaults[name]) + ", instead.");
        delete scenario[name];
        writeHash();
      }
      if (name in scenario && !same(view.signal(name), scenario[name])) { view.signal(name, scenario[name]); applied = true; }
      view.addSignalListener(name, function (n, v) { moved(chart, n, v); });
    });
    return applied ? view.runAsync() : Promise.resolve(view);
  }
  function scenarioLink(chart) {
    if (!chart.names.length) { return; }
    var p = document.createElement("p");
    p.className = "swp-scenario";
    var a = document.createElement("a");
    a.className = "swp-scenario-link";
    a.href = scenarioHash() || "#";
    a.textContent = "Link to this scenario";
    a.title = "Copies a link to this chart with its sliders and menus as set now";
    var status = document.createElement("span");
    status.className = "swp-scenario-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    a.addEventListener("click", function (e) {
      e.preventDefault();
      anchor = anchorOf(chart);
      writeHash();
      var url = location.href;
      var say = function (text) { status.textContent = ""; setTimeout(function () { status.textContent = text; }, 50); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { say("Link copied."); },
          function () { say("Copy this page's address to share the scenario."); });
      } else { say("The page's address now links to this scenario: copy it to share it."); }
    });
    p.appendChild(a);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(status);
    chart.link = a;
    chart.el.appendChild(p);
  }

  // Draw, measure, and narrow until the chart fits its column (at most five drawings).
  function fit(chart) {
    var target = chart.el.clientWidth;
    var spec = clone(chart.spec);
    var tries = 0;
    wrapTitles(spec, target);
    chart.target = target;
    chart.lastWidth = undefined;
    chart.best = null;
    chart.legendsStacked = target < 560;
    function settle(result) {
      if (chart.static) {
        // The live chart takes the drawing's place.
        chart.static.remove();
        chart.static = null;
        chart.box.classList.remove("swp-chart-pending");
      }
      var w = drawnWidth(chart.box);
      if (chart.result && chart.result !== result) { chart.result.finalize(); }
      chart.result = result;
      chart.el.classList.toggle("swp-chart-overflows", w > target + 1);
      // A group of radio buttons is a fieldset whose legend is its name, so the name is announced
      // with each button (Vega keeps its inputs, which are moved, not remade).
      chart.box.querySelectorAll(".vega-bind").forEach(function (bind) {
        var radios = bind.querySelector(".vega-bind-radio");
        var name = bind.querySelector(".vega-bind-name");
        if (!radios || !name || (radios.parentNode && radios.parentNode.tagName === "FIELDSET")) { return; }
        var set = document.createElement("fieldset");
        set.className = "swp-radio-group";
        var legend = document.createElement("legend");
        legend.className = "vega-bind-name";
        legend.textContent = name.textContent.trim();
        set.appendChild(legend);
        radios.parentNode.insertBefore(set, radios);
        set.appendChild(radios);
        name.parentNode.removeChild(name);
      });
      var actions = chart.box.querySelector("details > summary");
      if (actions && !actions.textContent.trim()) { actions.setAttribute("aria-label", "Save the chart as SVG or PNG"); }
      return follow(chart, result.view).then(function () {
        chart.el.dataset.drawn = String(performance.now());
        if (anchor && !chart.landed && anchorOf(chart) === anchor) { chart.landed = true; land(); }
        return result;
      });
    }
    function attempt() {
      return vegaEmbed(chart.box, spec, chart.options).then(function (result) {
        var w = drawnWidth(chart.box);
        var stuck = chart.lastWidth !== undefined && w > chart.lastWidth * 0.97 && tries > 1;
        if (stuck && !chart.legendsStacked) {
          // Narrowing the plot no longer helps: a legend in a row may be what is too wide.
          chart.legendsStacked = true;
          legendsOneALine(spec, target);
          chart.lastWidth = undefined;
          result.finalize();
          return attempt();
        }
        if (stuck && chart.best) {
          // Narrowing no longer helps (a label, not the plot, sets the width): keep the widest plot
          // that drew no wider than this one.
          spec = chart.best;
          chart.lastWidth = undefined;
          tries = 6;
          result.finalize();
          return vegaEmbed(chart.box, spec, chart.options).then(function (res) { return settle(res); });
        }
        chart.lastWidth = w;
        if (w <= target + 1 || tries >= 5) { return settle(result); }
        result.finalize();
        tries += 1;
        var ratio = target / w;
        chart.best = clone(spec);
        if (some(spec, sideBySide)) { stackPanels(spec); }
        else if (some(spec, function (n) { return n.facet && n.columns > 1; })) { fewerColumns(spec, ratio); }
        else { narrower(spec, ratio * 0.92); }
        return attempt();
      });
    }
    return attempt().catch(function (e) {
      chart.box.classList.remove("swp-chart-pending");
      chart.box.textContent = "The live chart failed to draw: " + e;
    });
  }

  // Inline data given as CSV text (a quote-aware reader for the files pandas writes).
  function parseCsv(text) {
    var rows = [], row = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i++; }
        else if (ch === '"') { quoted = false; }
        else { cell += ch; }
      } else if (ch === '"') { quoted = true; }
      else if (ch === ",") { row.push(cell); cell = ""; }
      else if (ch === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
      else if (ch !== "\r") { cell += ch; }
    }
    if (cell || row.length) { row.push(cell); rows.push(row); }
    var head = rows.shift() || [];
    return rows.map(function (r) { var o = {}; head.forEach(function (h, j) { o[h] = r[j]; }); return o; });
  }
  function rowsOf(values) {
    return typeof values === "string" ? parseCsv(values) : values;
  }
  function datasets(spec) {
    var out = [];
    if (spec.datasets) { Object.keys(spec.datasets).forEach(function (k) { out.push({ name: k, rows: rowsOf(spec.datasets[k]) }); }); }
    walk(spec, function (n) { if (n.data && n.data.values !== undefined) { out.push({ name: "values", rows: rowsOf(n.data.values) }); } });
    // The chart's main data first: the set with the most columns, then the most rows (a reference
    // line's one-value datum comes last).
    return out.filter(function (d) { return Array.isArray(d.rows) && d.rows.length && typeof d.rows[0] === "object"; })
      .sort(function (a, b) {
        return columnsOf(b.rows).length - columnsOf(a.rows).length || b.rows.length - a.rows.length;
      });
  }
  function columnsOf(rows) {
    var cols = [];
    rows.slice(0, 200).forEach(function (r) { Object.keys(r).forEach(function (k) { if (cols.indexOf(k) < 0) { cols.push(k); } }); });
    return cols;
  }
  function csvCell(v) {
    if (v === null || v === undefined) { return ""; }
    var s = String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // The unit of each field a chart draws on a quantitative axis, read from the axis's title and format:
  // "£ thousand, 2005-06 prices" gives gbp_thousand_2005_06, "(%)" pct, a "%" format share (0-1).
  // A field drawn as the end of a bar or band (x2, y2) takes the unit of its start.
  var PAIRED = { x2: "x", y2: "y", theta2: "theta", radius2: "radius" };
  function unitOfTitle(title, format) {
    var t = (Array.isArray(title) ? title.join(" ") : String(title || "")).toLowerCase();
    var f = String(format || "");
    if (/%/.test(f)) { return "share"; }
    if (t.indexOf("\u00a3") >= 0) {
      var scale = /\u00a3\s*(thousand|k\b)|\u00a3[\d.,]*k\b|thousand/.test(t) ? "_thousand"
        : /\u00a3\s*(million|m\b)|\u00a3[\d.,]*m\b|million/.test(t) ? "_million" : "";
      var m = /(\d{4}(?:[-\u2013\/]\d{2,4})?) prices/.exec(t);
      var meta = document.querySelector('meta[name="swp-price-year"]');
      var year = m ? m[1] : /the year's prices|cash/.test(t) ? "cash" : meta ? meta.getAttribute("content") : "";
      return "gbp" + scale + (year ? "_" + year.replace(/[^0-9a-z]+/g, "_") : "");
    }
    if (/percentage points|\(points\)|\bpts\b/.test(t)) { return "points"; }
    if (/%|per cent/.test(t)) { return "pct"; }
    var time = /\((years?|months?|weeks?|days?)\b/.exec(t) || /^(years|months|weeks|days)\b/.exec(t);
    return time ? time[1].replace(/s?$/, "s") : "";
  }
  function fieldUnits(spec) {
    var units = {}, ends = {};
    walk(spec, function (n) {
      var enc = n.encoding;
      if (!enc || typeof enc !== "object" || Array.isArray(enc)) { return; }
      Object.keys(enc).forEach(function (ch) {
        var e = enc[ch];
        if (!e || typeof e !== "object" || typeof e.field !== "string") { return; }
        if (PAIRED[ch]) { ends[e.field] = enc[PAIRED[ch]]; return; }
        if (e.type !== "quantitative") { return; }
        var axis = e.axis && typeof e.axis === "object" ? e.axis : {};
        var unit = unitOfTitle(e.title !== undefined ? e.title : axis.title, axis.format || e.format);
        // A field drawn in two units (panels of one chart) keeps its bare name.
        if (unit && !(e.field in units)) { units[e.field] = unit; }
        else if (e.field in units && units[e.field] !== unit) { units[e.field] = ""; }
      });
    });
    Object.keys(ends).forEach(function (f) {
      var start = ends[f];
      if (!(f in units) && start && typeof start.field === "string" && units[start.field]) { units[f] = units[start.field]; }
    });
    return units;
  }
  // A column's name in a download: the field's name, then its unit when the field's name lacks it.
  function csvName(col, units) {
    var unit = units && units[col];
    if (!unit) { return col; }
    var bare = col.replace(/_(k|m|pct|gbp)$/, "");
    return col.slice(-unit.length) === unit ? col : bare + "_" + unit;
  }
  window.swpCsvColumns = function (spec, cols) {
    var units = fieldUnits(spec);
    return cols.map(function (c) { return csvName(c, units); });
  };
  function toCsv(rows, cols, units) {
    return [cols.map(function (c) { return csvCell(csvName(c, units)); }).join(",")].concat(rows.map(function (r) {
      return cols.map(function (c) { return csvCell(r[c]); }).join(",");
    })).join("\n") + "\n";
  }
  function pageStem() {
    var p = location.pathname.split("/").pop() || "index.html";
    return p.replace(/\.html$/, "");
  }
  window.swpCsvLink = function (text, filename, label) {
    var a = document.createElement("a");
    a.className = "swp-download";
    a.textContent = label;
    a.download = filename;
    a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
    return a;
  };

  function alternative(chart, n) {
    var desc = chart.spec.description || "";
    if (desc) { chart.el.setAttribute("aria-label", "Chart: " + desc); chart.el.setAttribute("role", "figure"); }
    var details = document.createElement("details");
    details.className = "swp-chart-data";
    var summary = document.createElement("summary");
    summary.textContent = "Chart description and data";
    details.appendChild(summary);
    var filled = false;
    details.addEventListener("toggle", function () {
      if (filled || !details.open) { return; }
      filled = true;
      var p = document.createElement("p");
      p.className = "swp-chart-desc";
      p.textContent = desc || "A chart.";
      details.appendChild(p);
      var sets = datasets(chart.spec);
      if (!sets.length && chart.result) {
        // Data the chart generates itself (sequences, formulas): read it back from the drawn view.
        var state = chart.result.view.getState({ data: function () { return true; }, signals: function () { return false; }, recurse: true });
        Object.keys(state.data || {}).forEach(function (k) {
          var rows = (state.data[k] && state.data[k].values) || state.data[k];
          if (Array.isArray(rows) && rows.length && typeof rows[0] === "object" && sets.length < 2) {
            sets.push({ name: k, rows: rows.map(function (r) {
              var o = {}; Object.keys(r).forEach(function (c) { if (c.charAt(0) !== "_" && typeof r[c] !== "object") { o[c] = r[c]; } }); return o;
            }) });
          }
        });
      }
      var units = fieldUnits(chart.spec);
      sets.forEach(function (d, k) {
        var cols = columnsOf(d.rows);
        var name = pageStem() + "-chart-" + (n + 1) + (k ? "-" + (k + 1) : "") + ".csv";
        var link = window.swpCsvLink(toCsv(d.rows, cols, units), name,
          "Download the data (CSV, " + d.rows.length + " rows)");
        var para = document.createElement("p");
        para.appendChild(link);
        details.appendChild(para);
        var wrap = document.createElement("div");
        wrap.className = "swp-table-scroll";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Chart data");
        var table = document.createElement("table");
        table.className = "table swp-table swp-chart-table";
        var cap = document.createElement("caption");
        cap.textContent = d.rows.length > ROWS_SHOWN
          ? "First " + ROWS_SHOWN + " of " + d.rows.length + " rows (the CSV has them all)" : "The chart's data";
        table.appendChild(cap);
        var head = table.createTHead().insertRow();
        cols.forEach(function (c) { var th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
        var body = table.createTBody();
        d.rows.slice(0, ROWS_SHOWN).forEach(function (r) {
          var tr = body.insertRow();
          cols.forEach(function (c) { tr.insertCell().textContent = r[c] === undefined || r[c] === null ? "" : String(r[c]); });
        });
        wrap.appendChild(table);
        details.appendChild(wrap);
      });
    });
    chart.el.appendChild(details);
  }

  // ---- Live charts, one at a time ------------------------------------------------------
  var busy = false;
  function later(fn) {
    if (window.requestIdleCallback) { window.requestIdleCallback(fn, { timeout: 150 }); }
    else { setTimeout(fn, 16); }
  }
  function onScreen(chart) {
    var r = chart.el.getBoundingClientRect();
    return r.bottom > -100 && r.top < window.innerHeight + 100;
  }
  function setByAddress(chart) {
    return chart.names.some(function (name) { return name in scenario; });
  }
  function nextChart() {
    var waiting = charts.filter(function (c) { return !c.started; });
    return waiting.filter(setByAddress)[0] || waiting.filter(onScreen)[0] || waiting[0] || null;
  }
  function drawLive(chart) {
    if (!chart.started) {
      chart.started = true;
      if (chart.static) { chart.box.classList.add("swp-chart-pending"); }
      fit(chart).then(chart.done, chart.done);
    }
    return chart.drawn;
  }
  function pump() {
    if (busy) { return; }
    var chart = nextChart();
    if (!chart) { return; }
    busy = true;
    drawLive(chart).then(function () { busy = false; later(pump); });
  }

  window.swpChart = function (id, spec, options) {
    var el = document.getElementById(id);
    var box = document.createElement("div");
    box.className = "swp-chart-view";
    var drawing = el.querySelector(".swp-chart-static");
    el.insertBefore(box, drawing ? drawing.nextSibling : null);
    var chart = { el: el, box: box, spec: spec, options: options, result: null, target: 0,
                  names: boundNames(spec), defaults: {}, link: null, static: drawing, started: false };
    chart.drawn = new Promise(function (resolve) { chart.done = resolve; });
    charts.push(chart);
    scenarioLink(chart);
    alternative(chart, charts.length - 1);
    later(pump);
  };

  // Scripts the page needs only after its charts (MathJax, marked by the book's build as
  // script.swp-after-charts) load once the page has loaded: they take no bandwidth from the page's
  // HTML, which carries the charts' drawings, nor from the Vega bundle.
  function afterCharts() {
    document.querySelectorAll("script.swp-after-charts[data-src]").forEach(function (tag) {
      var s = document.createElement("script");
      s.src = tag.getAttribute("data-src");
      s.async = true;
      document.head.appendChild(s);
    });
  }
  // A scenario link opens at its chart (the browser does not: "#fig&name=value" is no element's id).
  if (anchor) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", land); } else { land(); }
  }
  if (document.readyState === "complete") { setTimeout(afterCharts, 0); }
  else { window.addEventListener("load", afterCharts); }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) {
        if (c.started && c.result && Math.abs(c.el.clientWidth - c.target) > 24) { fit(c); }
      });
    }, 200);
  });
  window.swpCharts = charts;
})();
