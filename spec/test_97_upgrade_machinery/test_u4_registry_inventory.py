"""Chapter 97, U4 — The gradient-registry inventory: which raw ops have a gradient, as a committed file compared op by op.

These specs diff and render hand-made inventories and the committed one (spec/atlas/inventory.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import copy
import json
import pathlib

import pytest

from spec.atlas import inventory

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"


# ============================================================================ the registry inventory
OLD = {"tensorflow": "2.21.0", "gradient": ["Add", "Sin"], "not_differentiable": ["Shape"],
       "neither": ["AdjustContrastv2", "Print"]}
NEW = {"tensorflow": "2.22.0", "gradient": ["Add", "AdjustContrastv2", "NewOp"], "not_differentiable": ["Shape", "Sin"],
       "neither": []}


@pytest.mark.source("OP-ATLAS")
def test_inventory_difference_names_each_changed_op_with_old_and_new_state_absent_if_missing():
    """difference(old, new) lists exactly the ops whose state changed, sorted, as (op, old, new), "absent" where an inventory lacks the op; Add and Shape, unchanged, are not listed (spec/atlas/inventory.py)."""
    assert inventory.difference(OLD, NEW) == [
        ("AdjustContrastv2", "neither", "gradient"),
        ("NewOp", "absent", "gradient"),
        ("Print", "neither", "absent"),
        ("Sin", "gradient", "not_differentiable"),
    ]


@pytest.mark.source("OP-ATLAS")
def test_inventory_difference_of_an_inventory_with_itself_is_empty_whatever_its_version():
    """Two inventories with the same op states differ in nothing, even when their TensorFlow versions differ (spec/atlas/inventory.py)."""
    assert inventory.difference(OLD, {**copy.deepcopy(OLD), "tensorflow": "2.22.0"}) == []


@pytest.mark.source("OP-ATLAS")
def test_inventory_render_writes_one_op_per_line_and_round_trips_through_json():
    """render() gives JSON with every op name alone on its own line (so a diff reads op by op), an empty state included, and json.loads gives the inventory back (spec/atlas/inventory.py)."""
    text = inventory.render(NEW)

    lines = [line.strip().rstrip(",") for line in text.splitlines()]
    for state in inventory.STATES:
        for op in NEW[state]:
            assert lines.count(json.dumps(op)) == 1, op
    assert len(lines) == 2 + 1 + 2 * len(inventory.STATES) + sum(len(NEW[s]) for s in inventory.STATES)
    assert json.loads(text) == NEW


@pytest.mark.source("OP-ATLAS")
def test_committed_inventory_file_is_exactly_what_render_writes_for_it():
    """The committed spec/atlas/registry_inventory.json is render()'s output for its own content, so regenerating it on the same registry changes no line (spec/atlas/inventory.py)."""
    assert inventory.render(inventory.committed()) == inventory.PATH.read_text(encoding="utf-8")
