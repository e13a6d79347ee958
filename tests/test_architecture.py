"""The package's structure, read from its source (no import): no import cycles, no private names across packages,
one home for the simulated sample and for the assumption tables.

Imports inside functions count (deferring an import hides a cycle, it does not remove it); imports under
``if TYPE_CHECKING:`` do not. The same rules as ``check_structure.py`` of the shared tools.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "swp_models"

#: Who may call ``simulate_practice_years`` (every other module takes the one sample from ``swp_models.engine``).
SIMULATE_CALLERS = {
    "swp_models.engine": "the one simulated sample of the book",
    "swp_models.outcomes": "simulate_outcomes draws outcomes on the same children as the costs",
    "swp_models.contracts.years": "where simulate_practice_years is defined",
    "swp_models.contracts.comparison": "the skimming experiment adds a child to years of its own",
    # Callers that predate the engine, each drawing from a cost model other than the central one:
    "swp_models.abroad": "the comparison abroad prices its own years (chapter 9; edited elsewhere)",
    "swp_models.explore.contracts": "the explorer's children when its settings leave the book's",
    "swp_models.sensitivity": "one sample per varied cost model of the sensitivity run",
    "swp_models.figures.contracts_tables": "needs_mix_comparison prices each needs mix on its own years",
}
#: Who may read an assumption table (``assumptions_*``, ``evaluation_inputs``) through ``data.load``/``value``/``row``.
ASSUMPTION_READERS = {
    "swp_models.assumptions": "the one reader of every assumption table",
}
#: Former module names kept for code outside the package; the package's own modules import the new homes.
SHIMS = {"swp_models.liability": "swp_models.contracts.liability", "swp_models.commissioning": "swp_models.contracts.council"}


def _modules() -> dict[str, tuple[ast.Module, bool]]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = (ast.parse(path.read_text(encoding="utf-8")), path.name == "__init__.py")
    return out


MODULES = _modules()


def _runtime_nodes(tree: ast.Module):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    typing_only = {id(n) for t in ast.walk(tree) if isinstance(t, ast.If) and "TYPE_CHECKING" in ast.unparse(t.test)
                   for n in ast.walk(t)}
    return [n for n in ast.walk(tree) if id(n) not in typing_only]


def _imports(name: str) -> list[tuple[str, str]]:
    """``(module imported from, name imported)`` for each ``from ... import`` of the package in module ``name``."""
    tree, is_pkg = MODULES[name]
    out = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            base = (name if is_pkg else name.rsplit(".", 1)[0]).split(".")
            if node.level:
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                out.append((full if full in MODULES else target, alias.name))
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
    return [(m, n) for m, n in out if m in MODULES and m != name]


def test_no_import_cycles():
    # A submodule using its own package's names is not a cycle between concerns.
    edges = {m: {t for t, _ in _imports(m) if not m.startswith(t + ".")} for m in MODULES}
    cycles = []
    for start in MODULES:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    cycles.append(" -> ".join(path + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles))[:20])


def test_contracts_never_import_the_former_module_names():
    bad = [f"{m} imports {t}" for m in MODULES if m.startswith("swp_models.contracts") for t, _ in _imports(m) if t in SHIMS]
    assert not bad, f"import the new homes ({SHIMS}): {bad}"


def test_no_private_names_across_packages():
    bad = [f"{m} takes {n} from {t}" for m in MODULES for t, n in _imports(m)
           if n.startswith("_") and not n.startswith("__")
           and not (t.rsplit(".", 1)[0] == m.rsplit(".", 1)[0] or t.startswith(m + "."))]
    assert not bad, "private names imported from another package (make them public where they belong):\n" + \
        "\n".join(bad)


def _calls(name: str):
    return [n for n in _runtime_nodes(MODULES[name][0]) if isinstance(n, ast.Call)]


def test_only_the_engine_simulates_the_practice_years():
    calls = [m for m in MODULES for c in _calls(m)
             if getattr(c.func, "id", getattr(c.func, "attr", None)) == "simulate_practice_years"]
    assert set(calls) <= set(SIMULATE_CALLERS), f"call simulate_practice_years through swp_models.engine: {calls}"


def _assumption_table(arg: ast.expr, constants: dict[str, str]) -> bool:
    text = arg.value if isinstance(arg, ast.Constant) else constants.get(getattr(arg, "id", ""))
    return isinstance(text, str) and (text.startswith("assumptions_") or text == "evaluation_inputs")


def test_only_swp_models_assumptions_reads_the_assumption_tables():
    readers = set()
    for m, (tree, _) in MODULES.items():
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Constant) for t in n.targets if isinstance(t, ast.Name)}
        from_data = {n for t, n in _imports(m) if t == "swp_models.data"}
        for call in _calls(m):
            f = call.func
            via_data = (isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "data"
                        and f.attr in ("load", "value", "row")) or (isinstance(f, ast.Name) and f.id in from_data
                                                                    and f.id in ("load", "value", "row"))
            if via_data and call.args and _assumption_table(call.args[0], constants):
                readers.add(m)
    assert readers <= set(ASSUMPTION_READERS), \
        f"read assumption tables through swp_models.assumptions.value / value_in: {sorted(readers - set(ASSUMPTION_READERS))}"
