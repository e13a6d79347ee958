"""The package's structure, read from its source: no import cycles, no private names across packages, one
caller of the simulated sample and one reader of the assumption tables.

Imports inside functions count (deferring an import hides a cycle, it does not remove it); imports under
``if TYPE_CHECKING:`` do not. The first two rules are those of the shared ``check_structure.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "swp_models"

#: Who may call ``simulate_practice_years``; every other module takes the one sample from ``swp_models.engine``.
SIMULATE_CALLERS = {
    "swp_models.engine": "the one simulated sample of the book",
    "swp_models.outcomes": "simulate_outcomes draws outcomes on the same children as the costs",
    "swp_models.contracts.years": "where simulate_practice_years is defined",
    "swp_models.contracts.comparison": "the skimming experiment adds a child to years of its own",
    # Children from a cost model or caseload other than the book's, so they cannot be a prefix of its sample:
    "swp_models.explore.contracts": "the explorer's children once its settings leave the book's",
    "swp_models.sensitivity": "one sample for each cost model the sensitivity run varies",
}
#: What the page modules (``swp_models.figures``) may not call: they format results, they do not
#: simulate or price. Functions and methods that draw random numbers, simulate children or queues,
#: build or pay contracts, or price risk.
PRICING_CALLS = frozenset({
    "simulate_practice_years", "simulate_outcomes", "simulate_worker_counts", "simulate_worker_counts_detailed",
    "simulate_queue", "simulate_tenders", "default_rng", "as_generator", "default_contracts", "payment", "surplus",
    "compare", "effort_comparison", "failure_comparison", "risk_sharing", "limited_liability", "risk_premium",
    "skimming_gain", "simulated_optimal_share", "measured_power", "service_cuts", "upcoding_gain", "exit_gain",
    "upcoding_cost", "term_paths", "term_failure",
})
#: Who may read an assumption table (``assumptions_*``, ``evaluation_inputs``) through ``data.load/value/row``.
ASSUMPTION_READERS = {"swp_models.assumptions": "the one reader of every assumption table"}
#: Former module names, kept for code outside the package: ``swp_models.contracts`` imports the new homes.
SHIMS = {"swp_models.liability": "swp_models.contracts.liability",
         "swp_models.commissioning": "swp_models.contracts.council"}


def _modules() -> dict[str, tuple[ast.Module, bool]]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = (ast.parse(path.read_text(encoding="utf-8")), path.name == "__init__.py")
    return out


MODULES = _modules()


def _runtime_nodes(name: str) -> list[ast.AST]:
    """Every node of module ``name`` except those under ``if TYPE_CHECKING:``."""
    tree = MODULES[name][0]
    typing_only = {id(n) for t in ast.walk(tree) if isinstance(t, ast.If) and "TYPE_CHECKING" in ast.unparse(t.test)
                   for n in ast.walk(t)}
    return [n for n in ast.walk(tree) if id(n) not in typing_only]


def _imports(name: str) -> list[tuple[str, str]]:
    """``(module imported from, name imported)`` for each import of another module of the package in ``name``."""
    base = (name if MODULES[name][1] else name.rsplit(".", 1)[0]).split(".")
    out = []
    for node in _runtime_nodes(name):
        if isinstance(node, ast.ImportFrom):
            up = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join(up + ([node.module] if node.module else []))
            out += [(f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
    return [(m, n) for m, n in out if m in MODULES and m != name]


def _calls(name: str) -> list[ast.Call]:
    return [n for n in _runtime_nodes(name) if isinstance(n, ast.Call)]


def test_no_import_cycles():
    # A submodule using its own package's names is not a cycle between concerns.
    edges = {m: {t for t, _ in _imports(m) if not m.startswith(t + ".")} for m in MODULES}
    cycles = set()
    for start in MODULES:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in edges[node] - seen:
                if nxt == start:
                    cycles.add(" -> ".join(path + (start,)))
                else:
                    seen.add(nxt)
                    stack.append((nxt, path + (nxt,)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles)[:20])


def test_no_private_names_across_packages():
    bad = [f"{m} takes {n} from {t}" for m in MODULES for t, n in _imports(m)
           if n.startswith("_") and not n.startswith("__")
           and t.rsplit(".", 1)[0] != m.rsplit(".", 1)[0] and not t.startswith(m + ".")]
    assert not bad, "private names imported from another package (make them public where they belong):\n" + \
        "\n".join(bad)


def test_contracts_import_the_new_homes_not_the_former_names():
    bad = [f"{m} imports {t}" for m in MODULES if m.startswith("swp_models.contracts") for t, _ in _imports(m)
           if t in SHIMS]
    assert not bad, f"import {SHIMS} instead: {bad}"


def test_only_the_engine_and_the_listed_callers_simulate_practice_years():
    calls = {m for m in MODULES for c in _calls(m)
             if getattr(c.func, "id", getattr(c.func, "attr", None)) == "simulate_practice_years"}
    new = sorted(calls - set(SIMULATE_CALLERS))
    assert not new, f"take the years from swp_models.engine: {new}"


def test_the_page_modules_neither_simulate_nor_price():
    found = sorted(f"{m}:{c.lineno} {ast.unparse(c.func)}" for m in MODULES if m.startswith("swp_models.figures")
                   for c in _calls(m) if getattr(c.func, "id", getattr(c.func, "attr", None)) in PRICING_CALLS
                   and getattr(getattr(c.func, "value", None), "id", "") not in ("engine", "pricing"))
    assert not found, f"compute in swp_models.engine / swp_models.pricing (or the model modules); format here: {found}"


def test_the_rule_against_pricing_in_pages_sees_a_call():
    tree = ast.parse("from swp_models import engine\nx = contract.payment(years)\ny = np.random.default_rng(1)")
    names = [getattr(c.func, "id", getattr(c.func, "attr", None)) for c in ast.walk(tree) if isinstance(c, ast.Call)]
    assert {"payment", "default_rng"} <= set(names) & PRICING_CALLS


def test_only_swp_models_assumptions_reads_the_assumption_tables():
    readers = set()
    for m in MODULES:
        consts = {t.id: n.value.value for n in MODULES[m][0].body if isinstance(n, ast.Assign)
                  and isinstance(n.value, ast.Constant) for t in n.targets if isinstance(t, ast.Name)}
        from_data = {n for t, n in _imports(m) if t == "swp_models.data"}
        for c in _calls(m):
            f = c.func
            reader = f.attr if isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "data" else (
                f.id if isinstance(f, ast.Name) and f.id in from_data else "")
            table = c.args[0] if c.args else None
            text = table.value if isinstance(table, ast.Constant) else consts.get(getattr(table, "id", ""))
            if reader in ("load", "value", "row") and isinstance(text, str) and \
                    (text.startswith("assumptions_") or text == "evaluation_inputs"):
                readers.add(m)
    assert readers <= set(ASSUMPTION_READERS), \
        f"read through swp_models.assumptions.value / value_in: {sorted(readers - set(ASSUMPTION_READERS))}"
