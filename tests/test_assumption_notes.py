"""Figures quoted in the assumption tables' notes stay tied to the values they describe.

A note such as "about 1.2% of the contract's value" goes stale when the contract's value moves. Each note below
that quotes a computed figure is listed with the function that computes it; the test recomputes every figure
and checks the note quotes exactly those figures, and no others.
"""

from __future__ import annotations

import re
from typing import Callable

import pytest

from swp_models import data, engine
from swp_models.scenario import Scenario

_FIGURE = re.compile(r"£[\d,]+|\d+(?:\.\d+)?%")


def _value(scope: str) -> float:
    """The contract's value a year at zero margin under a scope: the practice's expected cost (£)."""
    return engine.own_costs(Scenario.central(scope=scope)).expected_total


def _share(parameter: str) -> Callable[[], set[str]]:
    def figures() -> set[str]:
        v = data.value("assumptions_outcomes", parameter=parameter)
        return {f"{100 * v / _value(s):.1f}%" for s in ("placements", "social_work")}
    return figures


def _margin() -> set[str]:
    high = data.row("assumptions_contracts", parameter="contract_margin")["high"]
    return {f"£{round(high * _value(s), -3):,.0f}" for s in ("placements", "social_work")} | {"0", f"{100 * high:g}%"}


#: (table, parameter) -> the figures its note must quote, computed now.
NOTES: dict[tuple[str, str], Callable[[], set[str]]] = {
    ("assumptions_outcomes", "bonus_cap"): _share("bonus_cap"),
    ("assumptions_outcomes", "surplus_cap"): _share("surplus_cap"),
    ("assumptions_contracts", "contract_margin"): _margin,
}


@pytest.mark.parametrize("table, parameter", sorted(NOTES))
def test_note_quotes_the_computed_figures(table, parameter):
    row = data.row(table, parameter=parameter)
    note = row["quote"]
    want = {w for w in NOTES[(table, parameter)]() if w.startswith("£") or w.endswith("%")}
    own = {f"£{row['value']:,.0f}"} if row["unit"] == "GBP" else set()  # the row's own value may be named
    got = set(_FIGURE.findall(note))
    assert want <= got <= want | own, (note, want)
