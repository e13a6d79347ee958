"""Every public callable refuses bad and huge input by name, quickly and within memory.

See ``tests/api_contract.py`` for what is tried and ``tests/api_examples/`` for the valid calls it starts from.
The defining modules are walked in :data:`BATCHES` subprocesses (each a share of the modules), each module under
an address-space limit set again before it. One process, so that the chapters' figures the valid calls compute
(the sensitivity section's Sobol run, chapter 5's pricing, the appraisal's settings) are computed once: split
over more processes, each computed them again (eight took 257 s of work, two 203 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "api_contract.py"


def _modules() -> list[str]:
    sys.path.insert(0, str(HERE))
    try:
        import api_contract
    finally:
        sys.path.remove(str(HERE))
    return sorted(api_contract.public_callables())


MODULES = _modules()
#: Subprocesses the walk is split into (pytest-xdist spreads them over its workers; see the module's note).
BATCHES = 1
BATCH_MODULES = {f"batch{i + 1}": MODULES[i::BATCHES] for i in range(BATCHES)}


def test_every_module_is_walked():
    """The walk finds the package's public callables (a broken walk would pass every module vacuously)."""
    assert len(MODULES) >= 20
    assert "swp_models.validation" in MODULES
    assert sorted(m for batch in BATCH_MODULES.values() for m in batch) == MODULES


@pytest.mark.slow
@pytest.mark.parametrize("batch", sorted(BATCH_MODULES))
def test_public_callables_refuse_bad_input(batch):
    done = subprocess.run([sys.executable, str(SCRIPT), *BATCH_MODULES[batch]], capture_output=True, text=True,
                          timeout=1800, cwd=HERE.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    violations = json.loads(done.stdout)
    shown = "\n".join(
        f"{v['callable']}({v.get('parameter', '')}={v.get('value', '')}): {v['problem']}" for v in violations[:80]
    )
    assert not violations, f"{len(violations)} violations in {', '.join(BATCH_MODULES[batch])}:\n{shown}"
