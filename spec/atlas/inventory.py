"""The gradient registry inventory: which public raw ops have a gradient, which are not differentiable.

For every op in `tf.raw_ops` (the public raw ops) the inventory records one of three states, read from
TensorFlow's gradient registry (`ops.gradient_registry`, filled by `@ops.RegisterGradient` and
`ops.NotDifferentiable`):

- `gradient`: a gradient function is registered;
- `not_differentiable`: registered as not differentiable (the lookup returns None: the tape gives None);
- `neither`: nothing registered (the tape raises LookupError when it meets the op).

The committed file `spec/atlas/registry_inventory.json` is the inventory of the pinned release, one op
per line so that a diff reads op by op. Regenerate it (after changing the pin) with:

    python -m spec.atlas.inventory --write

`python -m spec.atlas.inventory` prints the difference between the live registry and the file.
"""
from __future__ import annotations

import json
import pathlib
import sys

PATH = pathlib.Path(__file__).with_name("registry_inventory.json")
STATES = ("gradient", "not_differentiable", "neither")


def live() -> dict:
    """{"tensorflow": version, state: sorted op names} for the TensorFlow imported here."""
    import tensorflow as tf
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry  # noqa: SLF001 - the table the tape and tf.function consult
    public = sorted(name for name in dir(tf.raw_ops) if not name.startswith("_"))
    states = {state: [] for state in STATES}
    for name in public:
        entry = registry.get(name)
        states["neither" if entry is None else "gradient" if entry["type"] is not None else "not_differentiable"].append(name)
    return {"tensorflow": tf.__version__, **states}


def committed() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


def state_of(inventory: dict) -> dict[str, str]:
    return {name: state for state in STATES for name in inventory[state]}


def difference(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """[(op, old state or 'absent', new state or 'absent')] for every op whose state differs."""
    before, after = state_of(old), state_of(new)
    return [(name, before.get(name, "absent"), after.get(name, "absent"))
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def render(inventory: dict) -> str:
    """JSON with one op name per line, so that `git diff` shows changes op by op."""
    lines = ["{", f'  "tensorflow": {json.dumps(inventory["tensorflow"])},']
    for i, state in enumerate(STATES):
        names = inventory[state]
        lines.append(f'  "{state}": [')
        lines.extend(f"    {json.dumps(n)}{',' if j < len(names) - 1 else ''}" for j, n in enumerate(names))
        lines.append("  ]" + ("," if i < len(STATES) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv not in ([], ["--write"]):
        print("usage: python -m spec.atlas.inventory [--write]", file=sys.stderr)
        return 2
    current = live()
    if argv == ["--write"]:
        PATH.write_text(render(current), encoding="utf-8")
        counts = ", ".join(f"{len(current[s])} {s}" for s in STATES)
        print(f"wrote {PATH} for TensorFlow {current['tensorflow']}: {counts}")
        return 0
    diff = difference(committed(), current)
    print(f"TensorFlow {current['tensorflow']} vs the inventory of {committed()['tensorflow']}: {len(diff)} op(s) differ")
    for name, old, new in diff:
        print(f"  {name}: {old} -> {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
