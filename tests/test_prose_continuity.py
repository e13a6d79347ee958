"""Chapter 2's prose figures: each is glued from :func:`prose_numbers_continuity`, and agrees with the data.

The first tests tie the page to the function (every figure the function formats is used in the text, every
glued name in the text is produced by the chapter's glue cell, and no £ or % figure is typed into the text);
the others recompute a handful of the figures by hand from the rows of ``data/``.
"""

from __future__ import annotations

import math
import sys
from types import SimpleNamespace

import pytest

import prose_glue
from conftest import ROOT
from swp_models import assumptions, data
from swp_models.figures.continuity_prose import prose_numbers_continuity
from test_prose_figures import typed_figures

NOTEBOOK = ROOT / "book" / "02_continuity.ipynb"
CHAPTER = "02_continuity"


@pytest.fixture(scope="module")
def numbers() -> dict[str, str]:
    return prose_numbers_continuity()


def _glue_cell_output(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run the chapter's first code cell with a recording ``glue``: the names and texts it glues."""
    cell = prose_glue.glue_cell(CHAPTER)
    glued: dict[str, str] = {}

    def glue(name: str, value: object, display: bool = True) -> None:
        assert display is False, f"{name} is glued with display=True"
        glued[name] = value  # type: ignore[assignment]

    monkeypatch.setitem(sys.modules, "myst_nb", SimpleNamespace(glue=glue))
    exec(compile(cell.source, str(NOTEBOOK), "exec"), {})
    return glued


def test_every_figure_is_used_and_every_glued_name_is_produced(numbers, monkeypatch):
    used = prose_glue.glued_names(CHAPTER)
    glued = _glue_cell_output(monkeypatch)
    assert glued == numbers
    assert used <= set(glued), f"glued in the text but not by the glue cell: {sorted(used - set(glued))}"
    assert set(numbers) <= used, f"formatted but not used in the text: {sorted(set(numbers) - used)}"
    assert all(name.startswith("ch2_") for name in numbers)
    assert all(text and "nan" not in text.lower() for text in numbers.values())


def test_no_figure_is_typed_into_the_prose():
    found = [f for text in prose_glue.markdown(CHAPTER) for f in typed_figures(text)]
    assert found == [], f"typed £/% figures in chapter 2's prose; glue them: {found}"


def test_the_2005_rates_and_the_practice_assumption_are_the_data_rows(numbers):
    for region, key in (("England", "england"), ("London", "london")):
        for measure, name in (("turnover_rate", "turnover"), ("vacancy_rate", "vacancy")):
            value = data.value("workforce_rates_2005", region=region, measure=measure)
            assert numbers[f"ch2_{name}_{key}"] == f"{value:g}%"
    assert numbers["ch2_practice_turnover"] == f"{assumptions.value('practice_turnover'):g}%"
    lords = data.load("workforce_lords").set_index(["area", "measure"])["value"]
    assert numbers["ch2_agency_london"] == f"{lords[('London', 'agency_staff_rate')]:g}%"
    assert numbers["ch2_agency_rest"] == f"{lords[('England excluding London', 'agency_staff_rate')]:g}%"


def test_one_worker_all_year_and_the_lead_by_hand(numbers):
    """exp(-h), h = (1 - v)(-ln(1 - T)) + v / tau, from the data rows and the assumptions."""
    tau = assumptions.value("agency_tenure_years")

    def rate(region: str, measure: str) -> float:
        return data.value("workforce_rates_2005", region=region, measure=measure) / 100

    def keep(t: float, v: float) -> float:
        return math.exp(-((1 - v) * -math.log(1 - t) + v / tau))

    england = keep(rate("England", "turnover_rate"), rate("England", "vacancy_rate"))
    london = keep(rate("London", "turnover_rate"), rate("London", "vacancy_rate"))
    practice = keep(assumptions.value("practice_turnover") / 100, assumptions.value("practice_vacancy") / 100)
    assert numbers["ch2_one_england"] == f"{100 * england:.1f}%"
    assert numbers["ch2_one_england_round"] == f"{100 * england:.0f}%"
    assert numbers["ch2_one_london_round"] == f"{100 * london:.0f}%"
    assert numbers["ch2_one_practice"] == f"{100 * practice:.1f}%"
    assert numbers["ch2_lead"] == f"{100 * (practice - england):.1f} points"
    assert numbers["ch2_one_agency_only"] == f"{100 * keep(0.0, rate('England', 'vacancy_rate')):.0f}%"
    # "five in a year" later in care: four or more changes of a Poisson count with mean h
    h = -math.log(england)
    at_most_three = sum(math.exp(-h) * h**j / math.factorial(j) for j in range(4))
    assert numbers["ch2_five_later"] == f"{100 * (1 - at_most_three):.2f}%"
    # a target T with no agency cover needs turnover of at most 1 - T
    assert int(numbers["ch2_target_turnover"][:-1]) == 100 - int(numbers["ch2_target"][:-1])


def test_the_stability_index_and_the_2017_workforce_by_hand(numbers):
    one = data.value("stability_index", period="2017-18", measure="at_least_one_change_share")
    assert numbers["ch2_index_one"] == f"{one:g}%"
    assert numbers["ch2_index_three_2y"] == \
        f"{data.value('stability_index', period='2016-17 to 2017-18', measure='three_or_more_changes_share'):g}%"
    h = -math.log(1 - one / 100)
    assert numbers["ch2_fitted_two"] == f"{100 * (1 - math.exp(-h) * (1 + h)):.1f}%"
    staff = data.value("workforce_2017", measure="social_workers_fte")
    agency = data.value("workforce_2017", measure="agency_workers_fte")
    assert numbers["ch2_agency_2017"] == f"{100 * agency / (staff + agency):.1f}%"
    assert numbers["ch2_turnover_2017"] == f"{data.value('workforce_2017', measure='turnover_rate_headcount'):g}%"


def test_the_rota_and_the_queue_by_hand(numbers):
    team = data.row("committee_evidence_2008", measure="team_size")
    weeks = data.value("committee_evidence_2008", measure="night_duty_interval")
    assert numbers["ch2_rota_nights_small"] == f"{100 * team['low'] / (7 * weeks):.0f}%"
    assert numbers["ch2_rota_nights_large"] == f"{100 * team['high'] / (7 * weeks):.0f}%"
    # Erlang C for the fewest workers whose places exceed the children (offered load = children)
    children = data.value("practice_design", parameter="caseload_children")
    cap = int(data.value("committee_evidence_2008", measure="caseload_cap"))
    places = (int(children) // cap + 1) * cap
    b = 1.0
    for k in range(1, places + 1):
        b = children * b / (k + children * b)
    rho = children / places
    assert numbers["ch2_queue_in_use"] == f"{100 * rho:.0f}%"
    assert numbers["ch2_queue_wait"] == f"{100 * b / (1 - rho * (1 - b)):.1f}%"
