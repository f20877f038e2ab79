"""Chapter 97, U5 — Example ops: the op without a gradient that chapters use is chosen from the live registry.

These specs choose again with the registry patched (spec/harness/examples.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import pathlib

import pytest

from spec.atlas import inventory
from spec.harness import examples

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"


# ============================================================================== example ops
@pytest.fixture
def choose_again():
    """Forget the cached example op before and after the test, so the chapters get the live registry's choice."""
    examples.op_without_gradient.cache_clear()
    yield
    examples.op_without_gradient.cache_clear()


@pytest.mark.source("API-75")
def test_example_op_without_gradient_has_no_entry_in_the_live_gradient_registry():
    """The example op the missing-gradient specs use is a candidate whose op type has no entry at all in TensorFlow's live gradient registry (neither a gradient nor tf.no_gradient's None) (spec/harness/examples.py)."""
    from tensorflow.python.framework import ops

    op = examples.op_without_gradient()

    assert op.op_type in [c[0] for c in examples.CANDIDATES]
    assert op.op_type not in ops.gradient_registry.list()


@pytest.mark.source("API-75")
def test_example_registry_lookup_counts_a_not_differentiable_entry_as_registered():
    """An op registered as not differentiable (tf.no_gradient, entry None) counts as registered, so it is never chosen as the op without a gradient (spec/harness/examples.py)."""
    not_differentiable = set(inventory.live()["not_differentiable"])

    assert not_differentiable and not_differentiable <= examples.registered_gradients()


@pytest.mark.source("API-75")
def test_example_op_skips_adjustcontrastv2_once_it_has_a_gradient_and_takes_adjustsaturation(monkeypatch, choose_again):
    """With AdjustContrastv2 in the registry, the choice skips it and takes the next candidate without an entry, AdjustSaturation (spec/harness/examples.py)."""
    monkeypatch.setattr(examples, "registered_gradients", lambda: {"AdjustContrastv2"})

    assert examples.op_without_gradient().op_type == "AdjustSaturation"


@pytest.mark.source("API-75")
def test_example_op_with_every_candidate_registered_is_an_assertionerror_naming_each_candidate(monkeypatch, choose_again):
    """When every candidate has a registry entry no op is chosen: an AssertionError names each candidate as having a registered gradient (spec/harness/examples.py)."""
    monkeypatch.setattr(examples, "registered_gradients", lambda: {c[0] for c in examples.CANDIDATES})

    with pytest.raises(AssertionError, match="no candidate op without a registered gradient is left") as caught:
        examples.op_without_gradient()
    for op_type, _, _ in examples.CANDIDATES:
        assert f"{op_type}: has a registered gradient" in str(caught.value)


@pytest.mark.source("API-75")
def test_example_op_skips_a_candidate_whose_call_does_not_build_its_op(monkeypatch, choose_again):
    """A candidate whose call does not build its op type is skipped and named as such ("does not build it"), even with no registry entry (spec/harness/examples.py)."""
    import tensorflow as tf

    monkeypatch.setattr(examples, "registered_gradients", set)
    monkeypatch.setattr(examples, "CANDIDATES", (("NoSuchOp", "tf.identity(x)", tf.identity),))

    with pytest.raises(AssertionError, match=r"NoSuchOp: tf.identity\(x\) does not build it"):
        examples.op_without_gradient()
