"""The test suite's own grouping over pytest-xdist's workers works as ``conftest.py`` says.

``make test`` and ``make unit`` run pytest with ``--dist loadgroup``: every check of one page, whatever its file,
runs in one worker (so the page is opened once at each size), and every other file's tests stay together (so a
module's fixtures, such as the explorer's Voila server, start once). pytest-xdist reads a test's group from the
``xdist_group`` marks that ``conftest.pytest_collection_modifyitems`` adds; when it cannot (as with pytest 9.2,
pytest-dev/pytest-xdist#1386), nothing fails but every test is sent on its own, and the browser checks open each
page again in each worker. This runs a small suite of the same shape through the same ``conftest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

_RECORD = '''
import json, os
import pytest

@pytest.fixture
def loaded():  # stands in for the browser's page (the real one opens Chromium)
    return None

def _record(request):
    with open(os.environ["GROUPS_LOG"], "a") as fh:
        fh.write(json.dumps({"id": request.node.nodeid, "worker": os.environ.get("PYTEST_XDIST_WORKER")}) + "\\n")
'''


def _page_tests(prefix: str) -> str:
    return _RECORD + f'''
@pytest.mark.parametrize("page", ["a.html", "b.html"])
@pytest.mark.parametrize("n", range(6))
def test_{prefix}_page(page, n, loaded, request):
    _record(request)
'''


#: Plugins this small suite does not use, left out so that each worker starts in a second rather than five.
_UNUSED_PLUGINS = ("cacheprovider", "nbval", "hypothesispytest", "anyio")


def test_checks_of_one_page_and_tests_of_one_file_share_a_worker(tmp_path):
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_book.py").write_text(_page_tests("book"))  # a file whose other tests are spread (SPREAD)
    (tmp_path / "test_reader.py").write_text(_page_tests("reader"))
    (tmp_path / "test_module.py").write_text(_RECORD + '''
@pytest.mark.parametrize("n", range(12))
def test_in_file(n, request):
    _record(request)
''')
    log = tmp_path / "groups.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", str(tmp_path),
         *(arg for plugin in _UNUSED_PLUGINS for arg in ("-p", f"no:{plugin}"))],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "GROUPS_LOG": str(log), "PYTEST_ADDOPTS": ""})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(runs) == 36  # 2 pages x 6 checks in each of two files, and 12 in one file
    workers: dict[str, set] = {}
    for run in runs:
        test_id, _, suffix = run["id"].partition("@")
        assert suffix, f"{test_id} reached pytest-xdist without its group"
        workers.setdefault(suffix, set()).add(run["worker"])
    assert sorted(workers) == ["page a.html", "page b.html", "test_module.py"]
    assert all(len(w) == 1 for w in workers.values()), workers
