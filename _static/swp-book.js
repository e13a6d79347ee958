/* Every page: working menu buttons on every screen, tables that show they scroll, tables as CSV.
 *
 * The theme pair draws two "site navigation" and two "on this page" buttons but binds its scripts
 * to the first of each, which is hidden below 992 px; every other copy is made to press the first.
 */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // A table of words (sources, systems, indicators) reads on a phone as one card a row: each cell
  // under its column's name. Tables of numbers keep their grid and scroll, their first column fixed.
  var NUMBER = /^[\s(]*[-\u2212+~<>\u2264\u2265]?\s*[\u00a3$\u20ac]?\s*[\d.,]+\s*(%|k|m|bn|pp|x|\u00d7)?[\s)]*$/i;
  function cardsOnAPhone(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var body = table.tBodies[0];
    if (!head || !body || head.cells.length < 3 || table.closest(".swp-findings")) { return; }
    var cells = 0, words = 0;
    Array.prototype.forEach.call(body.rows, function (tr) {
      Array.prototype.forEach.call(tr.cells, function (td) {
        var t = td.textContent.trim();
        if (!t || t === "\u2014" || t === "-") { return; }
        cells += 1;
        if (!NUMBER.test(t) && t.length > 3) { words += 1; }
      });
    });
    if (!cells || words / cells < 0.6) { return; }
    var names = Array.prototype.map.call(head.cells, function (th) { return th.textContent.trim(); });
    table.classList.add("swp-cards");
    Array.prototype.forEach.call(body.rows, function (tr) {
      Array.prototype.forEach.call(tr.cells, function (td, i) {
        if (names[i]) { td.setAttribute("data-label", names[i]); }
      });
    });
  }


  // ---- Tables as CSV -------------------------------------------------------------------
  // Each column keeps the words the page shows (named after its heading, in snake_case); a column
  // of numbers with a unit gains, beside it, the numbers themselves in that unit and any bounds the
  // cells give: "£50k to £54k" gives ..._low_gbp_2005_06 and ..._high_gbp_2005_06; "80% (75.4-83.9%)"
  // a value with its low and high; "+£134 (± £5)" a value with its low and high. Money is in pounds
  // at the price year the table's caption or heading names, else the book's (the page's
  // swp-price-year meta tag, from swp_models.tables.PRICE_YEAR); "the year's prices" is cash.
  var SCALE = { "": 1, k: 1e3, m: 1e6, bn: 1e9 };
  var ONE = "([+\u2212\u2013-]?)\\s*(\u00a3?)\\s*(\\d[\\d,]*(?:\\.\\d+)?|\\.\\d+)\\s*(k|m|bn)?\\s*" +
    "(%|points?|pts|years?|months?|weeks?|days?)?";
  var VALUE = new RegExp("^" + ONE + "$", "i");
  var RANGE = new RegExp("^" + ONE + "\\s*(?:to|\u2013|-)\\s*" + ONE + "$", "i");
  var BOUNDS = new RegExp("^" + ONE + "\\s*\\(\\s*" + ONE + "\\s*(?:to|\u2013|-)\\s*" + ONE + "\\s*\\)$", "i");
  var PLUS_MINUS = new RegExp("^" + ONE + "\\s*\\(\\s*\u00b1\\s*" + ONE + "\\s*\\)$", "i");
  function unitOf(pound, suffix) {
    if (pound) { return "gbp"; }
    var u = (suffix || "").toLowerCase();
    if (u === "%") { return "pct"; }
    if (/^(point|pts)/.test(u)) { return "points"; }
    return u ? u.replace(/s?$/, "s") : "";
  }
  // One number from a regex match starting at group k: [value, unit], or null.
  function numberAt(m, k) {
    if (!m || m[k + 2] === undefined) { return null; }
    var sign = m[k] === "+" || !m[k] ? 1 : -1;
    var mult = m[k + 3] ? SCALE[m[k + 3].toLowerCase()] : 1;
    if (m[k + 3] && !m[k + 1]) { return null; }  // "5 m" is not money; only "£5m" scales
    return [sign * parseFloat(m[k + 2].replace(/,/g, "")) * mult, unitOf(m[k + 1], m[k + 4])];
  }
  // A cell's numbers: {value, low, high, unit}, or null for words.
  window.swpCellNumbers = function (text) {
    var t = String(text).replace(/\u2060|\u00a0/g, " ").replace(/\s+/g, " ").trim();
    var m, a, b, c;
    if ((m = VALUE.exec(t))) { a = numberAt(m, 1); return a && { value: a[0], unit: a[1] }; }
    if ((m = BOUNDS.exec(t))) {
      a = numberAt(m, 1); b = numberAt(m, 6); c = numberAt(m, 11);
      if (a && b && c) {
        var u = a[1] || b[1] || c[1];
        if ((!b[1] || b[1] === u) && (!c[1] || c[1] === u)) { return { value: a[0], low: b[0], high: c[0], unit: u }; }
      }
      return null;
    }
    if ((m = PLUS_MINUS.exec(t))) {
      a = numberAt(m, 1); b = numberAt(m, 6);
      if (a && b && (!b[1] || b[1] === a[1])) { return { value: a[0], low: a[0] - Math.abs(b[0]), high: a[0] + Math.abs(b[0]), unit: a[1] }; }
      return null;
    }
    if ((m = RANGE.exec(t))) {
      a = numberAt(m, 1); b = numberAt(m, 6);
      if (a && b && (a[1] === b[1] || !a[1] || !b[1]) && a[0] <= b[0]) { return { low: a[0], high: b[0], unit: a[1] || b[1] }; }
    }
    return null;
  };
  function snake(words, fallback) {
    var s = String(words).toLowerCase().replace(/\u00a3/g, " gbp ").replace(/%/g, " pct ")
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return s || fallback;
  }
  // The price year a table's money is in, as it goes into a column name ("2005_06", or "cash").
  function priceYear(table) {
    var words = (table.caption ? table.caption.textContent : "") + " " + (table.tHead ? table.tHead.textContent : "");
    var m = /(\d{4}(?:[-\u2013\/]\d{2,4})?) prices/.exec(words);
    if (m) { return m[1].replace(/[^0-9]+/g, "_"); }
    if (/the year's prices|cash prices|nominal/i.test(words)) { return "cash"; }
    var meta = document.querySelector('meta[name="swp-price-year"]');
    return meta ? meta.getAttribute("content").replace(/[^0-9]+/g, "_") : "";
  }
  window.swpTableCsv = function (table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var bodyRows = [];
    Array.prototype.forEach.call(table.tBodies, function (tb) {
      Array.prototype.forEach.call(tb.rows, function (tr) {
        bodyRows.push(Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); }));
      });
    });
    var headCells = head ? head.cells : [];
    var width = Math.max.apply(null, [headCells.length].concat(bodyRows.map(function (r) { return r.length; })));
    var names = [], used = {};
    for (var i = 0; i < width; i++) {
      var name = snake(headCells[i] ? headCells[i].textContent.trim() : "", i ? "column_" + (i + 1) : "row");
      while (used[name]) { name += "_" + (i + 1); }
      used[name] = true;
      names.push(name);
    }
    var year = priceYear(table);
    var columns = [];
    names.forEach(function (name, i) {
      columns.push({ name: name, cell: function (r) { return r[i] === undefined ? "" : r[i]; } });
      // The column's numbers: every cell with text either a number in one unit or a dash for none.
      var parsed = [], unit = null, ok = true, any = false;
      bodyRows.forEach(function (r) {
        var t = r[i] === undefined ? "" : r[i];
        if (!ok) { return; }
        if (!t || /^[\u2014\u2013\-]$|^n\/a$/i.test(t)) { parsed.push(null); return; }
        var n = window.swpCellNumbers(t);
        if (!n || (unit !== null && n.unit !== unit)) { ok = false; return; }
        unit = n.unit; any = true; parsed.push(n);
      });
      if (!ok || !any) { return; }
      var plain = parsed.every(function (n, k) { return !n || (n.value !== undefined && n.low === undefined && String(n.value) === bodyRows[k][i]); });
      if (plain) { return; }  // the words are already the numbers
      var suffix = unit === "gbp" ? "gbp" + (year ? "_" + year : "") : unit || "number";
      var round = function (v) { return v === undefined ? "" : String(Math.round(v * 1e6) / 1e6); };
      [["value", ""], ["low", "_low"], ["high", "_high"]].forEach(function (part) {
        if (!parsed.some(function (n) { return n && n[part[0]] !== undefined; })) { return; }
        columns.push({ name: name + part[1] + "_" + suffix,
          cell: function (r, k) { return parsed[k] ? round(parsed[k][part[0]]) : ""; } });
      });
    });
    var cell = function (s) { s = String(s); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    var lines = [columns.map(function (c) { return cell(c.name); }).join(",")];
    bodyRows.forEach(function (r, k) { lines.push(columns.map(function (c) { return cell(c.cell(r, k)); }).join(",")); });
    return lines.join("\n") + "\n";
  };

  ready(function () {
    [".primary-toggle", ".secondary-toggle"].forEach(function (sel) {
      var all = document.querySelectorAll(sel);
      for (var i = 1; i < all.length; i++) {
        all[i].addEventListener("click", function (e) {
          e.preventDefault();
          e.stopImmediatePropagation();
          document.querySelector(sel).click();
        }, true);
      }
    });

    // Accessible names: a control's name contains its visible words; icon-only summaries get one.
    document.querySelectorAll(".search-button-field[aria-label], summary[aria-label]").forEach(function (el) {
      if (el.textContent.trim()) { el.removeAttribute("aria-label"); }
    });
    document.querySelectorAll(".bd-sidebar-primary details > summary").forEach(function (el) {
      if (!el.textContent.trim()) { el.setAttribute("aria-label", "Show or hide this part's sections"); }
    });

    // The header's ".pdf" item: the page's printed PDF where it has been printed (the colophon links
    // it), else named for what it does, printing the page.
    var pdfItem = document.querySelector(".btn-download-pdf-button");
    var printed = document.querySelector(".swp-pdf-links:not([hidden]) a");
    if (pdfItem && printed) {
      pdfItem.removeAttribute("onclick");
      pdfItem.title = "This page as a PDF (A4)";
      pdfItem.addEventListener("click", function () { location.href = printed.href; });
    } else if (pdfItem) {
      var words = pdfItem.querySelector(".btn__text-container");
      if (words) { words.textContent = "Print"; }
      pdfItem.title = "Print this page, or save it as a PDF from the print dialog";
    }

    // The reference list is a list of bibliography entries, not of list items.
    document.querySelectorAll(".citation-list[role=list]").forEach(function (el) { el.removeAttribute("role"); });

    var article = document.querySelector("main") || document.body;
    article.querySelectorAll("table").forEach(function (table, n) {
      if (table.closest(".swp-chart, .highlight, .swp-colophon")) { return; }
      var parent = table.parentElement;
      var wrap = parent;
      if (!parent.classList.contains("swp-table-scroll")) {
        wrap = document.createElement("div");
        wrap.className = "swp-table-scroll";
        parent.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      var cap = table.querySelector("caption");
      wrap.setAttribute("aria-label", cap ? cap.textContent.trim() : "Table " + (n + 1));
      cardsOnAPhone(table);
      // The caption is shown above the scroll box, so it stays in view while the table scrolls (the
      // table keeps its caption for screen readers, which read the copy's words once).
      var before = wrap.previousElementSibling;
      if (cap && !(before && before.classList.contains("swp-table-caption"))) {
        var shown = document.createElement("div");
        shown.className = "swp-table-caption";
        shown.setAttribute("aria-hidden", "true");
        shown.innerHTML = cap.innerHTML;
        wrap.parentElement.insertBefore(shown, wrap);
        cap.classList.add("swp-caption-moved");
      }
      var cue = function () { wrap.classList.toggle("is-scrollable", wrap.scrollWidth > wrap.clientWidth + 2); };
      cue();
      window.addEventListener("resize", cue);
      if (table.classList.contains("swp-table") && window.Blob) {
        var stem = (location.pathname.split("/").pop() || "index.html").replace(/\.html$/, "");
        var kind = table.classList.contains("swp-key-results") ? "key-results" : "table-" + (n + 1);
        var a = document.createElement("a");
        a.className = "swp-download";
        a.textContent = "Download this table (CSV)";
        a.download = stem + "-" + kind + ".csv";
        a.href = URL.createObjectURL(new Blob([window.swpTableCsv(table)], { type: "text/csv" }));
        var p = document.createElement("p");
        p.className = "swp-download-line";
        p.appendChild(a);
        wrap.insertAdjacentElement("afterend", p);
      }
    });
  });
})();
