"""A behaviour's code, taken from the spec itself so it cannot drift: the test function and the helpers it uses.

Everything here reads the test file's source with `ast` (never imports it), so the controlling process of a
pytest-xdist run, which collects nothing, renders the same code as a serial run:

- `snippet(file, name)`: the test function as written (its `@pytest.mark.parametrize` decorators, the `def`
  line and the body without the docstring), the module-level helpers it uses (functions, fixtures and
  constants of the same file, transitively, in file order; known-bug records and marks are shown elsewhere),
  and the names it calls, for the API index (spec/report/index.py);
- `console(file, records, ...)`: what TensorFlow returned, raised, warned and logged (spec/harness/observe.py
  records it by line) as an interactive session would show it: the statement, `print(name)` for each value it
  assigned, the exception as `Type: message`.
"""
from __future__ import annotations

import ast
import dataclasses
import functools
import math
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAX_HELPER_LINES = 40
#: types whose printed form already says what they are; any other type is shown when the test checks types
PLAIN_TYPES = {"EagerTensor", "NoneType", "float", "int", "bool", "str"}


@dataclasses.dataclass
class Module:
    path: pathlib.Path
    lines: list
    tree: ast.Module
    defs: dict  # top-level name -> node (functions, classes, assignments)
    tests: list  # test function names in file order


@dataclasses.dataclass
class Snippet:
    code: str  # the test function
    helpers: list  # [(name, source)] module-level helpers it uses, in file order
    calls: set  # dotted names it uses: "tf.GradientTape", "keras.layers.Dense", ".gradient" (a method)
    keywords: set  # keyword arguments it passes: "persistent", "unconnected_gradients", ...
    number: int  # 1-based position among the module's tests
    text: str  # code and helpers together, for keyword search


@functools.cache
def module(file: str) -> Module | None:
    path = pathlib.Path(file)
    path = path if path.is_absolute() else ROOT / path
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return None
    defs: dict = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        defs.setdefault(name.id, node)
    tests = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")]
    return Module(path, text.splitlines(), tree, defs, tests)


def _lines(mod: Module, first: int, last: int) -> list[str]:
    return [line.rstrip() for line in mod.lines[first - 1: last]]


def _source(mod: Module, node, decorators: bool = True) -> str:
    first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno]) if decorators else node.lineno
    return "\n".join(_lines(mod, first, node.end_lineno))


def _is_parametrize(decorator) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "parametrize"


def _function_code(mod: Module, node) -> str:
    """`@pytest.mark.parametrize(...)` decorators, the `def` line(s), the body without its docstring."""
    out = []
    for decorator in node.decorator_list:
        if _is_parametrize(decorator):
            out += _lines(mod, decorator.lineno, decorator.end_lineno)
    body = node.body
    header_end = body[0].lineno - 1
    out += _lines(mod, node.lineno, header_end)
    start = body[0].lineno
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        start = body[0].end_lineno + 1
        if len(body) == 1:
            out.append("    ...")
    rest = _lines(mod, start, node.end_lineno)
    while rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join(out + rest)


def _names(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_mark_or_bug(node) -> bool:
    """An assignment of a KnownBug record or a pytest mark: shown with the bug or the outcome, not as code."""
    value = getattr(node, "value", None)
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name) and func.id == "KnownBug":
            return True
        while isinstance(func, ast.Attribute):
            if func.attr == "mark":
                return True
            func = func.value
    return False


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _calls_and_keywords(nodes) -> tuple[set, set]:
    calls, keywords = set(), set()
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Attribute):
                dotted = _dotted(node)
                if dotted.split(".")[0] in ("tf", "keras", "tensorflow"):
                    calls.add(dotted)
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Attribute):
                    calls.add("." + node.func.attr)
                keywords |= {k.arg for k in node.keywords if k.arg}
    return calls, keywords


@functools.cache
def snippet(file: str, name: str) -> Snippet | None:
    mod = module(file)
    node = mod.defs.get(name) if mod else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    kept = [d for d in node.decorator_list if _is_parametrize(d)]
    wanted = _names(node) - {name}
    for d in kept:
        wanted |= _names(d)
    wanted |= {a.arg for a in node.args.args}  # fixtures of the same module
    seen: dict = {}
    while wanted:
        helper_name = wanted.pop()
        helper = mod.defs.get(helper_name)
        if helper is None or helper_name in seen or helper is node or helper_name.startswith("test"):
            continue
        if _is_mark_or_bug(helper):
            continue
        seen[helper_name] = helper
        wanted |= _names(helper) - set(seen)
    helpers = []
    for helper in sorted(dict.fromkeys(seen.values()), key=lambda n: n.lineno):
        source = _source(mod, helper)
        lines = source.splitlines()
        if len(lines) > MAX_HELPER_LINES:
            source = "\n".join(lines[:MAX_HELPER_LINES] + [f"    ...  # {len(lines) - MAX_HELPER_LINES} more lines in {file}"])
        label = helper.name if hasattr(helper, "name") else ", ".join(
            n.id for t in (helper.targets if isinstance(helper, ast.Assign) else [helper.target]) for n in ast.walk(t)
            if isinstance(n, ast.Name))
        helpers.append((label, source))
    calls, keywords = _calls_and_keywords([node, *kept, *seen.values()])
    code = _function_code(mod, node)
    number = mod.tests.index(name) + 1 if name in mod.tests else 0
    return Snippet(code, helpers, calls, keywords, number, "\n".join([code] + [s for _, s in helpers]))


# ------------------------------------------------------------------------------ the console view


def _statement(mod: Module, line: int):
    """The innermost statement at `line` (for a compound statement: its header)."""
    best = None
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            body = getattr(node, "body", None)
            if body and isinstance(body, list) and body and line >= body[0].lineno:
                continue  # the line is in the body: a statement inside is the innermost
            if best is None or (node.lineno, -(node.end_lineno or 0)) >= (best.lineno, -(best.end_lineno or 0)):
                best = node
    return best


def _where_call(node, line: int):
    """The innermost `where.run(fn, ...)` / `where.run_on(device, fn, ...)` call on `line`, if any."""
    found = None
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in ("run", "run_on") \
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "where" \
                and call.lineno <= line <= call.end_lineno:
            if found is None or call.lineno >= found.lineno:
                found = call
    return found


def _returned_call(node, line: int):
    """`observe.returned(x)` on `line` (a helper records a value it computed for several cases): its argument."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and call.args and call.lineno <= line <= call.end_lineno and (
                (isinstance(call.func, ast.Attribute) and call.func.attr == "returned")
                or (isinstance(call.func, ast.Name) and call.func.id == "returned")):
            return call.args[0]
    return None


def _as_plain_call(call) -> str:
    """`where.run(fn, a, b)` as the learner would write it: `fn(a, b)`."""
    skip = 1 if call.func.attr == "run" else 2
    if len(call.args) < skip:
        return ast.unparse(call)
    fn = call.args[skip - 1]
    return ast.unparse(ast.Call(func=fn, args=call.args[skip:], keywords=call.keywords))


def _oracle_call(node, line: int):
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr.startswith("assert_") \
                and call.args and call.lineno <= line <= call.end_lineno:
            return call
    return None


def _header(mod: Module, node) -> str:
    """A statement's own text; for `with`/`for`/`if` only the header line(s)."""
    body = getattr(node, "body", None)
    last = (body[0].lineno - 1) if isinstance(body, list) and body else node.end_lineno
    text = "\n".join(_lines(mod, node.lineno, last)).strip()
    return text


def _prompt(code: str) -> list[str]:
    lines = code.splitlines() or [""]
    return [">>> " + lines[0]] + ["... " + x for x in lines[1:]]


def _targets(node) -> list[str]:
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return []
    target = node.targets[0]
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
        return [e.id for e in target.elts]
    return []


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|nan|inf)", re.IGNORECASE)


def same_printed(a: str | None, b: str | None, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Two printed values that say the same: equal text, or the same text around numbers that agree to
    float32 rounding (XLA and eager may differ in the last digit)."""
    if a == b:
        return True
    if a is None or b is None or "".join(_NUMBER.sub("#", a).split()) != "".join(_NUMBER.sub("#", b).split()):
        return False
    x = [float(v) for v in _NUMBER.findall(a)]
    y = [float(v) for v in _NUMBER.findall(b)]
    if len(x) != len(y):
        return False
    for u, v in zip(x, y):
        if math.isnan(u) or math.isnan(v) or math.isinf(u) or math.isinf(v):
            if not (u == v or (math.isnan(u) and math.isnan(v))):
                return False
        elif abs(u - v) > atol + rtol * abs(v):
            return False
    return True


def _differences(record: dict, alternatives: dict, part: int | None = None) -> list[str]:
    """`# xla: ...` for every other mode whose matching record printed something else."""
    out = []
    for mode, alt in alternatives.items():
        if alt is None:
            continue
        if record["kind"] == "raised" or alt["kind"] == "raised":
            text = f"{alt.get('type')}: {alt.get('value', '').splitlines()[0] if alt.get('value') else ''}" \
                if alt["kind"] == "raised" else (alt.get("value", "").splitlines() or [""])[0]
            if (record["kind"], record.get("type")) != (alt["kind"], alt.get("type")):
                out.append(f"# {mode} instead: {text[:160]}")
            continue
        if part is not None and alt.get("parts") and record.get("parts") and part < len(alt["parts"]):
            mine, theirs = record["parts"][part], alt["parts"][part]
        else:
            mine, theirs = record.get("value"), alt.get("value")
        text = theirs.splitlines()[0] if theirs and "\n" not in theirs.strip() else "(prints differently)"
        if not same_printed(mine, theirs):
            out.append(f"# {mode} instead: {text[:160]}")
    return out


def _match(records: list[dict], alternatives: dict) -> list[dict]:
    """For each record, the record of each other mode at the same place (same kind of record from the same
    line, counted in order), or None."""
    matched = []
    counters: dict = {}
    for record in records:
        key = (record["kind"] == "raised" or record["kind"] == "returned", record.get("line", 0))
        n = counters.get(key, 0)
        counters[key] = n + 1
        alts = {}
        for mode, alt_records in alternatives.items():
            same = [r for r in alt_records if (r["kind"] in ("raised", "returned")) == key[0] and r.get("line", 0) == key[1]]
            alts[mode] = same[n] if n < len(same) else None
        matched.append(alts)
    return matched


def console(file: str, records: list[dict], show_types: bool = False, alternatives: dict | None = None) -> list[str]:
    """Records of one case as an interactive session would show them (lines, without a fence); where another
    mode's case (`alternatives`: mode -> its records) printed something else, a `# <mode> instead:` line."""
    mod = module(file)
    out: list[str] = []
    matched = _match(records, alternatives or {})
    for record, alts in zip(records, matched):
        kind, value, line = record["kind"], record.get("value", ""), record.get("line", 0)
        node = _statement(mod, line) if (mod and line) else None
        if kind == "returned":
            call = _where_call(node, line) if node is not None else None
            names = _targets(node) if node is not None else []
            if node is not None and names and (call is None or node.value is call):
                value_node = _returned_call(node.value, line) or node.value
                text = _as_plain_call(call) if call is not None else ast.unparse(value_node)
                out += _prompt(f"{', '.join(names)} = {text}")
                parts = record.get("parts") or ([value] if len(names) == 1 else [])
                types = record.get("types") or ([record.get("type", "")] if len(names) == 1 else [])
                if len(parts) != len(names):
                    out += _prompt(f"print({', '.join(names)})") + value.splitlines() + _differences(record, alts)
                    continue
                for i, (n, part, type_) in enumerate(zip(names, parts, types or [""] * len(parts))):
                    if n == "_":
                        continue
                    out += _prompt(f"print({n})") + part.splitlines()
                    out += _differences(record, alts, i if record.get("parts") else None)
                    if show_types and type_ and type_ not in PLAIN_TYPES:
                        out += _prompt(f"type({n}).__name__") + [repr(type_)]
                continue
            inner = _returned_call(node, line) if (node is not None and call is None) else None
            text = _as_plain_call(call) if call is not None else ast.unparse(inner) if inner is not None else (
                record.get("label") or (ast.unparse(node.value) if isinstance(node, ast.Assign) else ""))
            if not text:  # returned inside a helper the line does not show
                out += ["# returned:"] + value.splitlines() + _differences(record, alts)
                continue
            out += _prompt(f"print({text})") + value.splitlines() + _differences(record, alts)
            type_ = record.get("type", "")
            if show_types and type_ and type_ not in PLAIN_TYPES:
                out += _prompt(f"type({text}).__name__") + [repr(type_)]
        elif kind == "checked":
            call = _oracle_call(node, line) if node is not None else None
            label = record.get("label", "")
            if call is None:  # compared inside a helper: name it by what the comparison says it is
                out += [f"# {label or 'a value the test compared'}:"] + value.splitlines()
                continue
            expr = ast.unparse(call.args[0])
            out += _prompt(f"print({expr})" + (f"  # {label}" if label and label not in ("value", "gradient") else ""))
            out += value.splitlines()
            type_ = record.get("type", "")
            if show_types and type_ and type_ not in PLAIN_TYPES:
                out += _prompt(f"type({expr}).__name__") + [repr(type_)]
        elif kind == "raised":
            call = _where_call(node, line) if node is not None else None
            text = _as_plain_call(call) if call is not None else (_header(mod, node) if node is not None else "…")
            out += _prompt(text)
            message = value.splitlines() or [""]
            out += [f"{record.get('type', 'Exception')}: {message[0]}"] + message[1:] + _differences(record, alts)
        elif kind == "warned":
            body = getattr(node, "body", None) if node is not None else None
            target = body[0] if isinstance(body, list) and len(body) == 1 else node
            text = _header(mod, target) if target is not None else "…"
            prompt = _prompt(text)
            if not out or out[-len(prompt):] != prompt:
                out += prompt
            out += [f"{record.get('type', 'Warning')}: {x}" if i == 0 else x for i, x in enumerate(value.splitlines() or [""])]
        elif kind == "logged":
            level, _, logger = record.get("type", "WARNING tensorflow").partition(" ")
            out += [f"{level}:{logger}:{x}" if i == 0 else x for i, x in enumerate(value.splitlines() or [""])]
    return out
