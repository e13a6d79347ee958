"""The input contract of every public callable, driven with bad and huge values.

Run by ``tests/test_api_contract.py`` in a subprocess (one per defining module) under an address-space
limit, so that an allocation of several GiB fails instead of exhausting the machine:

    python tests/api_contract.py swp_models.costs        # prints a JSON list of violations
    python tests/api_contract.py swp_models.costs swp_models.data    # several modules in one process

What it does, for every name in every ``__all__`` of every module of ``swp_models`` that is a function or a
class (classes are driven through their constructor), attributed to the module that defines it:

1. Build a valid call: keyword arguments from the callable's entry in ``EXAMPLES``, then for each remaining
   parameter without a default, a value from ``FACTORIES`` by the parameter's annotated class name, then from
   ``PARAMS`` by parameter name. The valid call must succeed (within ``BASELINE_SECONDS``).
2. For each parameter in turn, substitute each bad value of its kind (read from the annotation, or from the
   default's type) and call again. A value that is never valid for its kind (NaN, infinity, a string for a
   number, a bool for a number, ``None`` where ``None`` is not allowed, a huge size, a fraction for a count,
   an empty sequence) must raise :class:`ValueError` or :class:`TypeError` whose message names the parameter,
   within ``BAD_SECONDS``. A value that may be valid (zero, a negative number, a huge amount of money, an
   unknown option string) must either succeed or raise such an error, within ``MAYBE_SECONDS``. Anything else
   (another exception, a ``MemoryError``, a hang, a silent success on a never-valid value) is a violation.

Examples live in ``tests/api_examples/<concern>.py``. Each file may define:

``EXAMPLES``  ``{"module.qualname": {param: value, ...}}`` (or a zero-argument callable returning that dict),
              keyed by the defining module and qualified name, e.g. ``"swp_models.costs.total_cost_moments"``.
``FACTORIES`` ``{"ClassName": zero_argument_callable}`` giving a valid instance for parameters annotated with
              that class.
``PARAMS``    ``{param_name: value}`` valid values by parameter name (used when no example or factory gives one;
              two files may not give the same name different values).
``ACCEPTS``   ``{"module.qualname": {param: [values documented to succeed]}}`` for a never-valid-looking value
              the callable documents as valid (e.g. ``None`` meaning "use the data's value"); the docstring must
              say so.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import math
import os
import pkgutil
import re
import resource
import signal
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = Path(__file__).resolve().parent / "api_examples"

BAD_SECONDS = 1.0
MAYBE_SECONDS = 10.0
BASELINE_SECONDS = 60.0
#: Extra address space a call may take beyond what the process holds when the walk starts.
MEMORY_HEADROOM = 1536 * 2**20

#: Parameter names that count things (draws, years, workers, children, grid points): a huge value must be refused.
SIZE_NAME = re.compile(
    r"^(n|c|k|m|draws|sims|years|reps|size|steps|workers|caseload|children|practices|points|samples|"
    r"n_\w+|\w+_years|max_\w+|\w+_draws|\w+_sims|\w+_size|\w+_points|\w+_grid|grid_\w+|team_size|"
    r"bootstrap\w*|horizon\w*|term\w*|\w+_count|count\w*|children_per_\w+|social_workers|n)$"
)
#: Parameter names that are random seeds: any non-negative integer is valid.
SEED_NAME = re.compile(r"^(seed|\w+_seed|rng|random_state)$")

HUGE = 10**15


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):  # pragma: no cover - exercised only by a hang
    raise _Timeout()


@contextlib.contextmanager
def _limit(seconds: float):
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# --- the examples --------------------------------------------------------------------------------------------

def load_examples() -> dict[str, dict]:
    """Merge every ``tests/api_examples/*.py`` into one set of tables."""
    merged: dict[str, dict] = {"EXAMPLES": {}, "FACTORIES": {}, "PARAMS": {}, "ACCEPTS": {}}
    for path in sorted(EXAMPLE_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"api_examples_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for table in merged:
            for key, value in getattr(module, table, {}).items():
                if table == "PARAMS" and key in merged[table] and merged[table][key] is not value \
                        and repr(merged[table][key]) != repr(value):
                    raise ValueError(f"PARAMS[{key!r}] is given two different values ({path.name})")
                if table in ("EXAMPLES", "ACCEPTS") and key in merged[table]:
                    raise ValueError(f"{table}[{key!r}] is given twice ({path.name})")
                merged[table][key] = value
    return merged


# --- the walk ------------------------------------------------------------------------------------------------

def all_modules() -> list[str]:
    import swp_models

    names = ["swp_models"]
    for info in pkgutil.walk_packages(swp_models.__path__, "swp_models."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


def public_callables() -> dict[str, list[tuple[str, Callable]]]:
    """``{defining module: [(qualified key, callable), ...]}`` over every ``__all__`` of the package."""
    found: dict[int, tuple[str, str, Callable]] = {}
    for name in all_modules():
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if not callable(obj) or not (inspect.isfunction(obj) or inspect.isclass(obj)
                                         or hasattr(obj, "__wrapped__")):
                continue
            if inspect.isclass(obj) and (issubclass(obj, BaseException) or _is_enum(obj)):
                continue
            home = getattr(obj, "__module__", "") or ""
            if not home.startswith("swp_models"):
                continue
            key = f"{home}.{getattr(obj, '__qualname__', attr)}"
            found.setdefault(id(obj), (home, key, obj))
    out: dict[str, list[tuple[str, Callable]]] = {}
    for home, key, obj in found.values():
        out.setdefault(home, []).append((key, obj))
    return {k: sorted(v, key=lambda kv: kv[0]) for k, v in sorted(out.items())}


def _is_enum(cls: type) -> bool:
    import enum

    return issubclass(cls, enum.Enum)


# --- kinds of parameter and their bad values -------------------------------------------------------------------

_CONTAINER = re.compile(r"Sequence|Iterable|Collection|list|tuple|ndarray|ArrayLike|Mapping|dict|Series|"
                        r"DataFrame|set\b|frozenset")


def _annotation_text(param: inspect.Parameter) -> str:
    ann = param.annotation
    if ann is inspect.Parameter.empty:
        return ""
    if isinstance(ann, str):
        return ann
    return getattr(ann, "__name__", None) or str(ann)


def kind_of(param: inspect.Parameter) -> tuple[str, bool]:
    """The parameter's kind (``int``, ``real``, ``flag``, ``text``, ``path``, ``container``, ``object``,
    ``object_or_number``, ``any``) and
    whether ``None`` is allowed."""
    text = _annotation_text(param)
    default = param.default
    optional = ("None" in text or "Optional" in text or default is None)
    bare = re.sub(r"\bNone\b|Optional|\||\[|\]|\s", " ", text).split()
    if _CONTAINER.search(text):
        return "container", optional
    if text:
        words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9.]*", text)) - {"None", "Optional", "Literal"}
        if "Literal" in text:
            return "text", optional
        if words and words <= {"bool"}:
            return "flag", optional
        if words and words <= {"int", "Integral", "np.integer"}:
            return "int", optional
        if words and words <= {"float", "int", "Real", "np.floating", "Number"}:
            return "real", optional
        if words and words <= {"str"}:
            return "text", optional
        if words and words <= {"Path", "str", "os.PathLike", "PathLike"}:
            return "path", optional
        if any(w[:1].isupper() for w in words) and not (words & {"Any", "Callable", "object"}):
            # A class, or a class or a number (a seed or a Generator; a caseload or a Caseload).
            numeric = words & {"int", "float", "Real", "Integral", "SeedLike"}
            return ("object_or_number" if numeric else "object"), optional
        return "any", optional
    if isinstance(default, bool):
        return "flag", optional
    if isinstance(default, int):
        return "int", optional
    if isinstance(default, float):
        return "real", optional
    if isinstance(default, str):
        return "text", optional
    if isinstance(default, (list, tuple, dict)):
        return "container", optional
    return "any", optional


def bad_values(name: str, kind: str, optional: bool) -> list[tuple[str, Any, bool]]:
    """``(label, value, must_raise)`` for a parameter of this kind."""
    out: list[tuple[str, Any, bool]] = []
    sized = bool(SIZE_NAME.match(name)) and not SEED_NAME.match(name)
    seed = bool(SEED_NAME.match(name))
    if kind in ("int", "real"):
        out += [("nan", math.nan, True), ("inf", math.inf, True), ("-inf", -math.inf, True),
                ("str", "x", True), ("bool", True, True), ("zero", 0, False), ("negative", -1, False)]
        out.append(("huge", HUGE, sized))
        if kind == "int":
            out.append(("fraction", 2.5, True))
        if seed:
            out = [v for v in out if v[0] not in ("huge", "negative")]
    elif kind == "flag":
        out += [("str", "yes", True)]
    elif kind == "text":
        out += [("int", 123, True), ("unknown", "no-such-option-zz", False), ("empty", "", False)]
    elif kind == "path":
        out += [("int", 123, True)]
    elif kind == "container":
        out += [("int", 5, True), ("empty", [], True)]
    elif kind == "object":
        out += [("str", "x", True), ("int", 7, True)]
    elif kind == "object_or_number":
        out += [("str", "x", True), ("nan", math.nan, True), ("bool", True, True), ("fraction", 2.5, False)]
        if sized:
            out.append(("huge", HUGE, True))
    if not optional and kind != "any":
        out.append(("None", None, True))
    return out


# --- calling -------------------------------------------------------------------------------------------------

def _resolve(value: Any) -> Any:
    return value() if callable(value) and getattr(value, "__name__", "") == "<lambda>" else value


def valid_call(key: str, obj: Callable, examples: dict) -> tuple[dict, list[str]]:
    """Keyword arguments for a valid call of ``obj`` and the names of parameters nothing could supply."""
    entry = examples["EXAMPLES"].get(key, {})
    kwargs = dict(entry() if callable(entry) else entry)
    missing = []
    for name, param in inspect.signature(obj).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or name in kwargs:
            continue
        if param.default is not param.empty:
            continue
        words = re.findall(r"[A-Za-z_][A-Za-z_0-9]*", _annotation_text(param))
        factory = next((examples["FACTORIES"][w] for w in words if w in examples["FACTORIES"]), None)
        if factory is not None:
            kwargs[name] = factory()
        elif name in examples["PARAMS"]:
            kwargs[name] = _resolve(examples["PARAMS"][name])
        else:
            missing.append(name)
    return kwargs, missing


def _call(obj: Callable, kwargs: dict, seconds: float) -> tuple[str, str]:
    """Call and classify: ``("ok", "")``, ``("error", "Type: message")``, ``("timeout", "")``.

    A thread the call starts (an explorer prepares figures in the background) is waited for within the same
    time: the call's work is all counted against it, and the threads of one call do not pile up beside the
    next calls (built at once, several explorers each computed the same figures again)."""
    sink = io.StringIO()
    before = set(threading.enumerate())
    try:
        with _limit(seconds), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                obj(**kwargs)
            finally:
                for thread in set(threading.enumerate()) - before:
                    thread.join()
    except _Timeout:
        return "timeout", ""
    except BaseException as exc:  # noqa: BLE001 - every outcome is classified
        if isinstance(exc, KeyboardInterrupt):
            raise
        return "error", f"{type(exc).__name__}: {str(exc)[:300]}"
    return "ok", ""


def _names_param(message: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


def check_callable(key: str, obj: Callable, examples: dict) -> list[dict]:
    violations: list[dict] = []
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return [{"callable": key, "problem": "no signature to drive"}]
    kwargs, missing = valid_call(key, obj, examples)
    if missing:
        return [{"callable": key, "problem": f"no valid example for {', '.join(missing)} "
                                            f"(add one in tests/api_examples/)"}]
    status, detail = _call(obj, kwargs, BASELINE_SECONDS)
    if status != "ok":
        return [{"callable": key, "problem": f"the valid example fails: {status} {detail}"}]
    accepts = examples["ACCEPTS"].get(key, {})
    for name, param in params.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        kind, optional = kind_of(param)
        for label, value, must_raise in bad_values(name, kind, optional):
            if any(value is v or (type(v) is type(value) and v == value) for v in accepts.get(name, [])):
                continue
            trial = dict(kwargs)
            trial[name] = value
            started = time.perf_counter()
            status, detail = _call(obj, trial, BAD_SECONDS if must_raise else MAYBE_SECONDS)
            took = time.perf_counter() - started
            problem = None
            if status == "timeout":
                problem = f"no answer within {BAD_SECONDS if must_raise else MAYBE_SECONDS:g} s"
            elif status == "ok":
                if must_raise:
                    problem = "accepted"
            elif not detail.startswith(("ValueError", "TypeError", "DataValidationError")):
                problem = f"raised {detail}"
            elif not _names_param(detail, name) and (must_raise or not any(_names_param(detail, other)
                                                                           for other in params)):
                # A never-valid value must be refused by its own name; a value that is wrong only in relation
                # to another argument (high=0 below value=5) may be refused naming either.
                problem = f"message does not name {name!r}: {detail}"
            elif must_raise and took > BAD_SECONDS:
                problem = f"refused only after {took:.1f} s"
            if problem:
                violations.append({"callable": key, "parameter": name, "kind": kind, "value": label,
                                   "problem": problem})
    return violations


def _bound_memory() -> None:
    """Bound the address space to what the process holds now plus ``MEMORY_HEADROOM``: a call that tries to
    allocate GiB fails with MemoryError (a violation). Set again before each module, so that what an earlier
    module left in its caches does not count against the next."""
    try:
        vm = int(re.search(r"VmSize:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (vm + MEMORY_HEADROOM, resource.RLIM_INFINITY))
    except (OSError, AttributeError, ValueError):
        pass


def run(module_names: list[str]) -> list[dict]:
    examples = load_examples()
    by_module = public_callables()
    out: list[dict] = []
    for module in module_names:
        _bound_memory()
        for key, obj in by_module.get(module, []):
            out.extend(check_callable(key, obj, examples))
    return out


def main(argv: list[str]) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    if argv and argv[0] == "--list":
        print(json.dumps(sorted(public_callables())))
        return 0
    # Import everything before the memory limit so that imports do not count against it, and start the
    # chart compiler's JavaScript engine, which reserves a large address space once, at its first call.
    public_callables()
    load_examples()
    try:
        import vl_convert

        vl_convert.vegalite_to_vega({"mark": "point", "data": {"values": [{"a": 1}]},
                                     "encoding": {"x": {"field": "a", "type": "quantitative"}}})
    except ImportError:
        pass
    print(json.dumps(run(argv), indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
