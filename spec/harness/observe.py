"""What TensorFlow returned, raised, warned and logged on this run, recorded per test case for SPEC.md.

A learner reading a behaviour wants to see the real output next to the code: the value as TensorFlow prints
it (`tf.Tensor(6.0, shape=(), dtype=float32)`), its type where the type is the point (`IndexedSlices`,
`ResourceVariable`), and the whole exception or warning message. This plugin records, during a test's call
phase and without tracing anything:

- every value returned by `where.run` / `where.run_on` (spec/harness/modes.py), and every exception it raised;
- the exception caught by `pytest.raises(...)` (its type and full message), and the warnings caught by
  `pytest.warns(...)`;
- the `actual` argument of the oracle's comparisons (`oracle.assert_close`, ...), for tests that check a
  value they computed without `where.run`;
- what a test passes to `observe.returned(value)` (returned unchanged), for a value it checks with a plain
  `assert` (`tape.watched_variables()`, a `[None, None]` gradient list);
- for tests that take `caplog`, the WARNING-or-worse records TensorFlow logged;
- pictures drawn by the test (spec/harness/pictures.py).

Each record is a small dict of strings and ints (kind, line of the test body it came from, value, type, case),
attached to the call report as `report.tapespec_observed`, so it travels through pytest-xdist like the rest of
the report's metadata. Values are `str()` of what was returned, as `print()` shows it, truncated to a sane
length. Recording costs a `str()` per returned value and is skipped for the op atlas (its own section) and for
benchmarks (their timing must not include it).

The statement behind a record is named by its line only; spec/report/snippets.py turns the line back into
code at render time (`print(grad)`, `>>> tape.gradient(y, 1.0)`).
"""
from __future__ import annotations

import contextlib
import enum
import functools
import logging
import re
import sys

import pytest

from spec.harness import modes

MAX_RECORDS = 10  # per case
MAX_VALUE = 1500  # characters of one printed value
MAX_LINES = 10  # lines of one printed value: the first ones, "…", and the last (shape and dtype)

_state: dict = {"records": None, "code": None, "file": None, "where": "", "quiet": 0, "seen": set(), "depth": 0}
_originals: dict = {}


# ------------------------------------------------------------------------------------ formatting


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_UNIQUE_NAME = re.compile(r"\b(Tapespec\w*?)[0-9a-f]{8}\b")  # the spec's own op names made unique with a uuid


def _clip(text: str, limit: int = MAX_VALUE, lines: int = MAX_LINES) -> str:
    """At most `lines` lines (the first ones, "…", the last) and `limit` characters; memory addresses
    (`<function f at 0x7f…>`) and the uuid suffix of the spec's unique op names masked, so two runs print
    the same."""
    text = _UNIQUE_NAME.sub(r"\1…", _ADDRESS.sub("0x…", text))
    rows = text.splitlines() or [""]
    if len(rows) > lines:
        rows = rows[: lines - 2] + ["…"] + rows[-1:]
    text = "\n".join(rows)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _element(value, limit: int) -> str:
    """An element of a container: as `print()` shows it, but a string, bytes or enum member as `print()`
    shows it inside a list (`'a:0'`, `<UnconnectedGradients.NONE: 'none'>`)."""
    if isinstance(value, (str, bytes, enum.Enum)):
        return _clip(repr(value), limit)
    return format_value(value, limit)


def format_value(value, limit: int = MAX_VALUE) -> str:
    """The value as `print()` shows it; containers of tensors with each element as `print()` shows it."""
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        parts = [_element(v, limit) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        if len(value) == 1 and isinstance(value, tuple):
            close = ",)"
        sep = ",\n " if any("\n" in p for p in parts) else ", "
        return _clip(open_ + sep.join(parts) + close, limit, MAX_LINES * 2)
    if isinstance(value, dict):
        parts = [f"{k!r}: {_element(v, limit)}" for k, v in value.items()]
        sep = ",\n " if any("\n" in p for p in parts) else ", "
        return _clip("{" + sep.join(parts) + "}", limit, MAX_LINES * 2)
    try:
        text = str(value)
    except Exception as err:  # noqa: BLE001 - printing must never change a test's outcome
        text = f"<unprintable {type(value).__name__}: {type(err).__name__}>"
    return _clip(text, limit)


def type_name(value) -> str:
    """`EagerTensor`, `IndexedSlices`, `NoneType`; containers as `tuple[EagerTensor, NoneType]`."""
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        inner = ", ".join(dict.fromkeys(type_name(v) for v in value))
        return f"{type(value).__name__}[{inner}]"[:200]
    if isinstance(value, dict):
        inner = ", ".join(dict.fromkeys(type_name(v) for v in value.values()))
        return f"dict[{inner}]"[:200]
    return type(value).__name__


def exception_name(err: BaseException) -> str:
    """`InvalidArgumentError` as `tf.errors.InvalidArgumentError`, builtins by name, others module-qualified."""
    cls = type(err)
    module = cls.__module__
    if module == "builtins":
        return cls.__name__
    if module.startswith("tensorflow.python.framework.errors"):
        return f"tf.errors.{cls.__name__}"
    return f"{module}.{cls.__qualname__}"


# ------------------------------------------------------------------------------------- recording


def _active() -> bool:
    return _state["records"] is not None and not _state["quiet"] and len(_state["records"]) < MAX_RECORDS


def _line_in_test(frame) -> int:
    """The line of the test function's body that led here (through helpers of its module, if any)."""
    code, file = _state["code"], _state["file"]
    first_in_file = 0
    while frame is not None:
        if frame.f_code is code:
            return frame.f_lineno
        if not first_in_file and frame.f_code.co_filename == file:
            first_in_file = frame.f_lineno
        frame = frame.f_back
    return first_in_file


def _add(kind: str, line: int, value: str, type_: str = "", label: str = "", parts=None) -> None:
    records = _state["records"]
    if records is None:
        return
    entry = {"kind": kind, "line": int(line or 0), "value": value, "type": type_, "where": _state["where"]}
    if label:
        entry["label"] = label
    if parts:
        entry["parts"], entry["types"] = parts
    if entry not in records:
        records.append(entry)


def _returned(value, frame, label: str = "") -> None:
    """One returned value; a tuple or list of up to 8 also element by element (`y, grad = ...`)."""
    parts = None
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields") and 1 < len(value) <= 8:
        parts = ([format_value(v) for v in value], [type_name(v) for v in value])
    _add("returned", _line_in_test(frame), format_value(value), type_name(value), label, parts)


def returned(value, label: str = ""):
    """Record `value` as returned by TensorFlow for the current case (and return it unchanged).

    For helpers that compute several cases' values at once and hand each case its own: they run the
    computation under `quiet()` and call `returned(...)` with the case's part."""
    if _active():
        try:
            _returned(value, sys._getframe(1), label)
        except Exception:  # noqa: BLE001 - recording must never change a test's outcome
            pass
    return value


def current() -> list[dict]:
    """A copy of what the current case has recorded so far ([] outside a test's call phase)."""
    return [dict(r) for r in (_state["records"] or [])]


@contextlib.contextmanager
def quiet():
    """Record nothing inside (a computation shared by several cases, recorded per case with `returned`)."""
    _state["quiet"] += 1
    try:
        yield
    finally:
        _state["quiet"] -= 1


def _raised(err: BaseException, frame=None, tb=None) -> None:
    if not _active() or isinstance(err, AssertionError) or not isinstance(err, Exception):
        return
    if id(err) in _state["seen"]:
        return
    _state["seen"].add(id(err))
    line = 0
    if tb is not None:  # the statement of the test body that raised
        code, file = _state["code"], _state["file"]
        while tb is not None:
            if tb.tb_frame.f_code is code or (not line and tb.tb_frame.f_code.co_filename == file):
                line = tb.tb_lineno
            tb = tb.tb_next
    if not line and frame is not None:
        line = _line_in_test(frame)
    try:
        _add("raised", line, _clip(str(err), 2000, 30), exception_name(err))
    except Exception:  # noqa: BLE001
        pass


def picture(relpath: str, caption: str) -> None:
    """Record a picture (its path relative to the artifacts folder) drawn by the current case."""
    if _state["records"] is not None:
        _add("picture", _line_in_test(sys._getframe(1)), relpath, "", caption)


# --------------------------------------------------------------------------------------- wrappers


def _run_on(self, device_name, fn, *args, **kwargs):
    try:
        value = _originals["run_on"](self, device_name, fn, *args, **kwargs)
    except Exception as err:
        _raised(err, frame=sys._getframe(1))
        raise
    if _active():
        try:
            _returned(value, sys._getframe(1))
        except Exception:  # noqa: BLE001
            pass
    return value


class _RecordingContext:
    """A pytest context manager (`raises`, `warns`) passed through; subclasses record what it caught on exit."""

    def __init__(self, inner):
        self._inner = inner

    def __enter__(self):
        return self._inner.__enter__()

    def __getattr__(self, name):
        return getattr(self._inner, name)


class _RecordingRaises(_RecordingContext):
    """`pytest.raises(...)` as a context manager, recording the exception it caught."""

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        suppressed = self._inner.__exit__(exc_type, exc, tb)
        if suppressed and exc is not None:
            _raised(exc, tb=tb)
        return suppressed


def _raises(*args, **kwargs):
    __tracebackhide__ = True
    result = _originals["raises"](*args, **kwargs)
    if hasattr(result, "__exit__"):
        return _RecordingRaises(result)
    if getattr(result, "value", None) is not None:  # pytest.raises(Error, fn, *args): an ExceptionInfo
        _raised(result.value, tb=result.tb)
    return result


class _RecordingWarns(_RecordingContext):
    """`pytest.warns(...)` as a context manager, recording the warnings it caught."""

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        result = self._inner.__exit__(exc_type, exc, tb)
        if _active():
            line = _line_in_test(sys._getframe(1))
            for w in list(self._inner)[:3]:
                _add("warned", line, _clip(str(w.message), 1200, 20), w.category.__name__)
        return result


def _warns(*args, **kwargs):
    __tracebackhide__ = True
    result = _originals["warns"](*args, **kwargs)
    return _RecordingWarns(result) if hasattr(result, "__exit__") else result


def _checking(original):
    """Wrap an oracle comparison: record its `actual` for a case that has not recorded a returned value."""

    @functools.wraps(original)
    def compare(actual, *args, **kwargs):
        outermost = _state["depth"] == 0
        if outermost and _active() and not any(r["kind"] == "returned" for r in _state["records"]):
            try:
                what = args[2] if len(args) > 2 else kwargs.get("what", "")
                _add("checked", _line_in_test(sys._getframe(1)), format_value(actual), type_name(actual), str(what))
            except Exception:  # noqa: BLE001
                pass
        _state["depth"] += 1
        try:
            return original(actual, *args, **kwargs)
        finally:
            _state["depth"] -= 1

    compare._tapespec_observed = True
    return compare


def _install() -> None:
    if _originals:
        return
    from spec import oracle

    _originals["run_on"] = modes.Where.run_on
    modes.Where.run_on = _run_on
    _originals["raises"], _originals["warns"] = pytest.raises, pytest.warns
    pytest.raises, pytest.warns = _raises, _warns
    for name in ("assert_close", "assert_close_nonfinite", "assert_bracketed", "assert_structure_close"):
        original = getattr(oracle, name, None)
        if original is not None and not getattr(original, "_tapespec_observed", False):
            _originals[f"oracle.{name}"] = original
            setattr(oracle, name, _checking(original))


def _uninstall() -> None:
    from spec import oracle

    if "run_on" in _originals:
        modes.Where.run_on = _originals["run_on"]
        pytest.raises, pytest.warns = _originals["raises"], _originals["warns"]
    for key, original in _originals.items():
        if key.startswith("oracle."):
            name = key.split(".", 1)[1]
            current = getattr(oracle, name)
            # another plugin may have wrapped ours since: unwrap only what is still ours
            if getattr(current, "_tapespec_observed", False):
                setattr(oracle, name, original)
    _originals.clear()


# ----------------------------------------------------------------------------------------- hooks


def _skipped_item(item) -> bool:
    """The op atlas (its own section tabulates it) and benchmarks (their timing must not include recording)."""
    return item.get_closest_marker("atlas") is not None or "benchmark" in getattr(item, "fixturenames", ()) \
        or "bench" in getattr(item, "fixturenames", ())


def pytest_configure(config):
    _install()


def pytest_unconfigure(config):
    _uninstall()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    function = getattr(item, "obj", None)
    if function is None or _skipped_item(item):
        return (yield)
    where = getattr(getattr(item, "callspec", None), "params", {}).get("where")
    _state.update(records=[], code=getattr(function, "__code__", None),
                  file=getattr(getattr(function, "__code__", None), "co_filename", None),
                  where=str(where) if where is not None else "", seen=set(), depth=0, quiet=0)
    try:
        return (yield)
    finally:
        item._tapespec_observed = _state["records"]
        _state.update(records=None, code=None, file=None, where="", seen=set())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        records = list(getattr(item, "_tapespec_observed", None) or [])
        if "caplog" in getattr(item, "fixturenames", ()) and not _skipped_item(item):
            records += _logged(item, getattr(getattr(item, "callspec", None), "params", {}).get("where"))
        if records:
            report.tapespec_observed = records
    return report


def _logged(item, where) -> list[dict]:
    """WARNING-or-worse records logged during the call, for a test that takes `caplog` (others may be
    throttled by TensorFlow's log-once-per-call-site and would depend on test order)."""
    from _pytest.logging import caplog_records_key

    try:
        records = item.stash[caplog_records_key].get("call", [])
    except KeyError:
        return []
    out, seen = [], set()
    for record in records:
        if record.levelno < logging.WARNING:
            continue
        message = _clip(record.getMessage(), 800, 12)
        if message in seen:
            continue
        seen.add(message)
        out.append({"kind": "logged", "line": 0, "value": message, "type": f"{record.levelname} {record.name}",
                    "where": str(where) if where is not None else ""})
        if len(out) == 3:
            break
    return out
