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
        var rows = Array.prototype.map.call(table.rows, function (tr) {
          return Array.prototype.map.call(tr.cells, function (td) {
            var s = td.textContent.trim();
            return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
          }).join(",");
        });
        var stem = (location.pathname.split("/").pop() || "index.html").replace(/\.html$/, "");
        var kind = table.classList.contains("swp-key-results") ? "key-results" : "table-" + (n + 1);
        var a = document.createElement("a");
        a.className = "swp-download";
        a.textContent = "Download this table (CSV)";
        a.download = stem + "-" + kind + ".csv";
        a.href = URL.createObjectURL(new Blob([rows.join("\n") + "\n"], { type: "text/csv" }));
        var p = document.createElement("p");
        p.className = "swp-download-line";
        p.appendChild(a);
        wrap.insertAdjacentElement("afterend", p);
      }
    });
  });
})();
