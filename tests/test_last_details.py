"""The last details of the reader review (issue 24): Fig 2.3's lowest lines clear of the axis, Fig 4.2's
value labels clear of their bar names on a phone, and chapter tables that name their rows in plain words.

Tests without a browser read the chart specs and the tables; the one marked ``browser`` opens the built
book in headless Chromium with every other host blocked (see ``conftest.py``).
"""

from __future__ import annotations

import pytest

from swp_models.figures import continuity as continuity_figures


def _panels(spec: dict) -> list[dict]:
    """The innermost panels (single or layered views) of a chart spec, top to bottom."""
    out: list[dict] = []

    def walk(node: dict) -> None:
        for key in ("vconcat", "hconcat", "concat"):
            if key in node:
                for child in node[key]:
                    walk(child)
                return
        out.append(node)

    walk(spec)
    return out


def _layers(panel: dict) -> list[dict]:
    return panel.get("layer", [panel])


# ---------------------------------------------------------------- Fig 2.3: the 0 and 1 hand-off lines


@pytest.fixture(scope="module")
def turnover_spec() -> dict:
    return continuity_figures.turnover_chart().to_dict()


def test_fig_2_3_lowest_lines_run_inside_the_plot_clear_of_the_axis(turnover_spec):
    five = _panels(turnover_spec)[-1]
    line = _layers(five)[0]
    y = line["encoding"]["y"]
    low, high = y["scale"]["domain"]
    height = five["height"]
    # The axis sits below 0, so lines at 0 run on the 0 grid line, at least 10 px above the axis ...
    assert low < 0 and height * (0 - low) / (high - low) >= 10
    # ... and the axis shows no negative tick.
    assert min(y["axis"]["values"]) == 0
    assert not y["scale"].get("nice", False)


def test_fig_2_3_names_its_two_lowest_lines_in_the_strip_under_them(turnover_spec):
    five = _panels(turnover_spec)[-1]
    texts = [layer for layer in _layers(five) if (layer.get("mark", {}) or {}).get("type") == "text"]
    assert len(texts) == 1, "one label names the 0 and 1 hand-off lines"
    label = texts[0]
    data = turnover_spec["datasets"][label["data"]["name"]]
    assert data[0]["label"].startswith("0 and 1 hand-off: under ")
    low, high = _layers(five)[0]["encoding"]["y"]["scale"]["domain"]
    px = five["height"] / (high - low)
    # The label's box (its font size, centred) fits between the axis and the 0 line, where no line runs.
    centre, half = data[0]["percent"], label["mark"]["fontSize"] / 2 / px
    assert low < centre - half and centre + half < 0
    subtitle = " ".join(turnover_spec["vconcat"][0]["title"]["subtitle"])
    assert "along the axis" not in subtitle and "along the 0 line" in subtitle
    assert data[0]["label"].split("under ")[1] in subtitle


# ---------------------------------------------------------------- Fig 4.2: amounts clear of the bar names

CLEAR = 6  # px between a bar's name and the amount (or bar) under it, and the row above


def _comparison_rows(spec: dict) -> tuple[dict, list[dict]]:
    body = _panels(spec)[-1]
    return body, _layers(body)


def _text_layers(layers: list[dict], baseline: str | None = None) -> list[dict]:
    return [lay for lay in layers if lay["mark"]["type"] == "text"
            and (baseline is None or lay["mark"].get("baseline") == baseline)]


@pytest.mark.parametrize("build", ["budget_and_comparison_chart", "comparison_chart"])
def test_fig_4_2_names_sit_clear_of_the_amounts_and_bars_under_them(build):
    from swp_models.figures import practice as practice_figures

    spec = getattr(practice_figures, build)().to_dict()
    body, layers = _comparison_rows(spec)
    step = body["height"]["step"]
    bar = next(lay for lay in layers if lay["mark"]["type"] == "bar")["mark"]["height"]
    names = next(lay for lay in _text_layers(layers, "bottom") if lay["encoding"]["text"]["field"] == "segment")
    amounts = [lay for lay in _text_layers(layers) if lay["encoding"]["text"].get("field") == "label"]
    assert len(amounts) == 2, "amounts beside short bars and inside long ones"
    mark = names["mark"]
    segments = {r["segment"] for rows in spec["datasets"].values() for r in rows if "segment" in r}
    lines = max(s.count("\n") + 1 for s in segments)
    assert lines == 2
    # Vega draws a bottom-aligned name's first line at dy and each further line one line height below.
    last_bottom = mark["dy"] + mark["lineHeight"] * (lines - 1)
    first_top = mark["dy"] - mark["fontSize"] * 1.2
    amount_half = max(a["mark"]["fontSize"] for a in amounts) * 0.6
    assert last_bottom <= -max(bar / 2, amount_half) - CLEAR, "a name's last line touches the amount under it"
    assert first_top >= -step + max(bar / 2, amount_half) + CLEAR, "a name's first line touches the row above"


_GAPS = """() => {
  const fig = document.querySelector('#fig-budget');
  const texts = Array.from(fig.querySelectorAll('svg text')).map(t => ({t: t.textContent, r: t.getBoundingClientRect()}))
    .filter(x => x.r.width > 0);
  const names = texts.filter(x => /^(Practice|Child's care):/.test(x.t));
  const amounts = texts.filter(x => /^£[0-9,]+$/.test(x.t));
  let gap = Infinity;
  for (const a of amounts) for (const n of names) {
    gap = Math.min(gap, Math.max(n.r.left - a.r.right, a.r.left - n.r.right, n.r.top - a.r.bottom, a.r.top - n.r.bottom));
  }
  return {names: names.length, amounts: amounts.length, gap};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_fig_4_2_amounts_never_touch_the_bar_names_on_the_page(width, book_url, offline):
    tab = offline.new_page()
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{book_url}/book/04_practice_costs.html#fig-budget", wait_until="load")
    tab.wait_for_selector("#fig-budget svg text")
    seen = tab.evaluate(_GAPS)
    assert seen["names"] == 4 and seen["amounts"] >= 4, seen
    assert seen["gap"] >= CLEAR, f"at {width} px an amount comes within {seen['gap']:.1f} px of a bar's name"


# ---------------------------------------------------------------- tables: rows and columns in plain words

import re  # noqa: E402

# A model's or a statistic's symbol where a reader expects words (the symbol belongs in a note or the glossary).
JARGON = re.compile(r"Poisson|Erlang|Monte Carlo|Closed form|\bSEs?\b|\bCV\b|\bP\d{1,2}\b|E\[|Var\(|\bFFT\b|"
                    r"\bICC\b|\bTyped\b|hazard", re.I)


def test_the_jargon_reader_finds_symbols_and_passes_words():
    for symbol in ["Same worker all year (Poisson)", "Monte Carlo SE", "Difference (SEs)", "Erlang C", "P95", "CV",
                   "E[N] var(c): children's costs differ", "Var(S)", "Typed", "Closed form"]:
        assert JARGON.search(symbol), symbol
    for words in ["Same worker all year (at random, steady rate)", "Simulation's standard error", "Formula",
                  "Difference (standard errors)", "Workers keep their type", "95th percentile", "Spread within a group"]:
        assert not JARGON.search(words), words


def _row_and_column_names(table) -> list[str]:
    frame = table.frame
    return [str(c) for c in frame.columns] + [str(v) for v in frame.iloc[:, 0]]


def _chapter_2_tables():
    from swp_models.continuity import compare as cc
    from swp_models.figures import continuity_tables as ct
    from swp_models.tables import Table

    import pandas as pd

    five = cc.five_in_a_year()
    return {
        "scenarios": ct.scenario_table(),
        "stability": ct.stability_table(),
        "simulation": ct.simulation_table(n_children=20_000, seed=1),
        "queue": ct.queue_summary_table(),
        "queue check": ct.queue_check_table(n_runs=5, seed=1),
        "targets": ct.target_summary_table(),
        "five in a year": Table(pd.DataFrame({"Reading of the model": five["reading"]}), caption="readings"),
    }


def test_chapter_2_tables_name_rows_and_columns_in_plain_words_and_keep_the_model_in_a_note():
    tables = _chapter_2_tables()
    bad = {name: [n for n in _row_and_column_names(t) if JARGON.search(n)] for name, t in tables.items()}
    assert not any(bad.values()), bad
    # The model's name stays with its table, in the note (and in the glossary the chapter links).
    for name in ("scenarios", "stability", "simulation", "targets"):
        assert "Poisson" in tables[name].notes, name
    assert "Erlang C" in tables["queue check"].notes and "Erlang C" in tables["queue"].notes
    rows = list(tables["scenarios"].frame.iloc[:, 0])
    assert "Same worker all year, later in care (at random, steady rate)" in rows


def test_chapter_3_tables_name_rows_and_columns_in_plain_words():
    import pandas as pd

    from swp_models import costs
    from swp_models.costs import default_cost_model
    from swp_models.figures import costs_tables

    check = pd.DataFrame({"quantity": ["Cost of a child: mean"], "exact": [1.0], "simulated": [1.0],
                          "std_error": [0.1], "z": [0.0]})
    names = list(costs_tables.exact_vs_simulated_table(check).columns)
    names += list(costs.variance_decomposition(default_cost_model())["term"])
    assert not [n for n in names if JARGON.search(n)], names


@pytest.mark.parametrize("page", ["book/02_continuity.html", "book/03_child_costs.html", "book/04_practice_costs.html"])
def test_built_chapter_tables_head_rows_and_columns_in_plain_words(page, built_book):
    import html as html_text

    text = (built_book / page).read_text(encoding="utf-8")
    bad = []
    for table in re.findall(r"<table.*?</table>", text, re.S):
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            cells = re.findall(r"<t([hd])[^>]*>(.*?)</t[hd]>", row, re.S)
            # every heading cell, and the first cell of each row (the row's name)
            for k, (kind, cell) in enumerate(cells):
                if kind == "h" or k == 0:
                    words = html_text.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                    if JARGON.search(words):
                        bad.append(words)
    assert not bad, f"{page}: {sorted(set(bad))}"
