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
