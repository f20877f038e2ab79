"""A GitHub issue body for one known bug, in the sections of TensorFlow's bug template.

The body is written from the record and from running its reproducer on this machine: title, versions, what goes
wrong and why it is a bug (the kind), expected against actual with how the expected value was derived, the
standalone reproducer and what it printed here, the gradient functions in TensorFlow's source that the reproducer's
tape called, and the workaround (or why there is none).
"""
from __future__ import annotations

import contextlib
import inspect
import io
import pathlib
import platform
import re

TRIVIAL = {"Identity", "IdentityN", "Const", "Placeholder", "NoOp", "Reshape", "Shape", "Cast", "ReadVariableOp",
           "AddN", "AddV2", "Mul", "Sum", "ZerosLike", "OnesLike", "Fill"}


def run(code: str) -> tuple[str, str, set]:
    """Run a reproducer: (what it printed, the exception it ended with or "", the op types whose registered
    gradient functions TensorFlow looked up while it ran)."""
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry  # noqa: SLF001 - the table the tape consults
    looked_up: set = set()

    class Recording(dict):
        """The registry's table, noting every op type whose entry is asked for (Registry.lookup asks `in` first)."""

        def __contains__(self, name):
            looked_up.add(name)
            return super().__contains__(name)

    table = registry._registry  # noqa: SLF001
    registry._registry = Recording(table)  # noqa: SLF001
    printed = io.StringIO()
    error = ""
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "<reproducer>", "exec"), {"__name__": "__reproducer__"})  # noqa: S102 - our own record
    except Exception as err:  # noqa: BLE001 - an error may be exactly the bug
        error = f"{type(err).__name__}: {' '.join(str(err).split())[:600]}"
    finally:
        registry._registry = table  # noqa: SLF001
    return printed.getvalue().strip(), error, looked_up


IMPORTS = (("tf.", "import tensorflow as tf"), ("np.", "import numpy as np"), ("keras.", "import keras"),
           ("tnp.", "import tensorflow.experimental.numpy as tnp"))


def standalone(code: str) -> str:
    """The reproducer with the imports it uses but does not write (records often leave out `import tensorflow as tf`),
    so that the code a report shows runs as pasted."""
    missing = [line for prefix, line in IMPORTS
               if re.search(rf"(?<![\w.]){re.escape(prefix)}", code) and not re.search(rf"^\s*{re.escape(line)}\b|^import .*\b{prefix[:-1]}\b", code, re.M)]
    return "\n".join(missing + [code.strip()])


def documented_error(code: str) -> str | None:
    """The exception type a reproducer's comment says it gets ("got LookupError: ...", "# TypeError: ..."), if any."""
    found = re.search(r"(?:\bgot |#\s*)(\w+(?:Error|Exception))\b", code)
    return found.group(1) if found else None


def gradient_functions(op_types: set, summary: str) -> list[tuple[str, str, str, int]]:
    """(raw op, gradient function, file under site-packages, line) for the op types with a registered gradient,
    those the summary names first, trivial plumbing (Identity, Reshape, ...) left out."""
    from tensorflow.python.framework import ops

    table = ops._gradient_registry._registry  # noqa: SLF001
    found = []
    for name in sorted(op_types, key=lambda n: (n.lower() not in summary.lower(), n in TRIVIAL, n)):
        entry = table.get(name)
        fn = entry and entry["type"]
        if fn is None or (name in TRIVIAL and name.lower() not in summary.lower()):
            continue
        try:
            path, line = pathlib.Path(inspect.getsourcefile(fn)), inspect.getsourcelines(fn)[1]
        except (TypeError, OSError):
            continue
        parts = path.parts
        shown = "/".join(parts[parts.index("tensorflow"):]) if "tensorflow" in parts else path.name
        found.append((name, getattr(fn, "__name__", str(fn)), shown, line))
    return found[:4]


def versions() -> str:
    import numpy as np
    import tensorflow as tf

    try:
        import keras

        keras_version = keras.__version__
    except Exception:  # noqa: BLE001
        keras_version = "not importable"
    return (f"TensorFlow {tf.__version__} (CPU), Keras {keras_version}, Python {platform.python_version()}, "
            f"NumPy {np.__version__}, {platform.platform()}")


def title(found) -> str:
    first = re.split(r"(?<=[.;:])\s", found.bug.summary, maxsplit=1)[0].rstrip(".;:")
    return f"[gradient] {found.subject}: {first}"[:200]


def body(found, output: tuple[str, str, set] | None = None) -> str:
    """The issue body for `found` (spec/bugreport/catalogue.py), running its reproducer unless `output` is given."""
    bug = found.bug
    code = standalone(bug.reproducer)
    printed, error, looked_up = output if output is not None else run(code)
    expected = "; ".join(re.findall(r"#\s*(expected[^\n]*)", bug.reproducer)) or "see the summary"
    lines = [f"# {title(found)}\n", "### Issue type\n", "Bug\n", "### TensorFlow version\n", versions() + "\n",
             "### Current behavior?\n", bug.summary + "\n"]
    if bug.kind:
        lines.append(f"Why this is a bug ({bug.kind}): {bug.kind_why}\n" if bug.kind != "convention" else
                     f"This is a convention at a point with no derivative, not a wrong derivative: {bug.kind_why}\n")
    lines.append(f"**Expected:** {expected}.\n")
    derivations = [f"- at {p.label}: {p.why}" for p in found.points]
    if derivations:
        lines.append("How the expected value is derived (closed forms and limits, never TensorFlow's own gradient):\n")
        lines += derivations[:6] + [""]
    elif found.op is not None:
        lines.append("How the expected value is derived: float64 central differences (Richardson-extrapolated) of the "
                     "op's own forward value, and the adjoint identity between forward and reverse mode.\n")
    lines += ["### Standalone code to reproduce the issue\n", "```python\n" + code + "\n```\n",
              f"### Relevant log output (TensorFlow {versions().split()[1]}, this machine)\n",
              "```\n" + (printed or "(nothing printed)") + (f"\n{error}" if error else "") + "\n```\n"]
    functions = gradient_functions(looked_up, bug.summary)
    lines.append("### Where in TensorFlow\n")
    if functions:
        lines.append("The registered gradient functions the reproducer's tape called (the first is the one the summary names, "
                     "where it names one):\n")
        lines += [f"- `{fn}` for `{op}`: `{path}`, line {line}" for op, fn, path, line in functions] + [""]
    else:
        lines.append("The reproducer's tape called no registered gradient function for a non-trivial op (the bug is in "
                     "the forward op's value or in a missing registration: " + (error or "see the log") + ").\n")
    lines.append("### Workaround\n")
    if bug.workaround is not None:
        lines.append("Until it is fixed, this gives the correct value (checked by tapespec against the same oracle, in eager "
                     "mode, tf.function and XLA where the bug's check runs in them):\n")
        lines.append("```python\n" + bug.workaround.code.strip() + "\n```\n")
    else:
        lines.append((bug.no_workaround or "none recorded") + "\n")
    links = ([bug.issue] if bug.issue != "unreported" else []) + list(bug.related)
    if links or bug.searched:
        lines.append("### Related\n")
        lines += [f"- {link}" for link in links]
        if bug.searched:
            lines.append("- searched before filing: " + "; ".join(f"“{t}”" for t in bug.searched))
        lines.append("")
    lines.append("*Found by tapespec's op atlas, which checks TensorFlow's gradients against mathematics "
                 f"({found.subject}).*\n")
    return "\n".join(lines)


def reproduces(found, output: tuple[str, str, set]) -> tuple[bool, str]:
    """Whether the reproducer ran as its record says: to the end, or to the exception its comment names."""
    printed, error, _ = output
    wanted = documented_error(found.bug.reproducer)
    if wanted:
        return error.startswith(wanted), f"expected it to raise {wanted}; it {'raised ' + error if error else 'finished'}"
    return not error, f"it raised {error}" if error else "it ran to the end"
