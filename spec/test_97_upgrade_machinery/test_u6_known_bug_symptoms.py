"""Chapter 97, U6 — Known bugs: a strict xfail counts only when the failure shows the bug's symptom.

These specs pass hand-made reports through the symptom hook (spec/bugs/symptoms.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import pathlib
import types

import pytest


pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"


# ------------------------------------------------------------------------------ a known bug's symptom

def _known_bug_report(symptom: str, failure: Exception):
    """The report of a case carrying a known bug with `symptom`, after pytest's strict xfail took `failure`
    as expected; passed through spec/bugs/symptoms.py's hook."""
    from spec.bugs import KnownBug
    from spec.bugs import symptoms as known_bugs

    bug = KnownBug("Op has no gradient", "unreported", "tape.gradient(op(x), x)", symptom=symptom)
    item = types.SimpleNamespace(iter_markers=lambda name: [types.SimpleNamespace(args=(bug,))] if name == "known_bug" else [])
    call = types.SimpleNamespace(when="call", excinfo=types.SimpleNamespace(value=failure, typename=type(failure).__name__))
    report = types.SimpleNamespace(outcome="skipped", wasxfail="reason: known TensorFlow bug", longrepr=None)
    hook = known_bugs.pytest_runtest_makereport(item, call)
    next(hook)
    with pytest.raises(StopIteration) as done:
        hook.send(report)
    return done.value.value


@pytest.mark.source("OP-ATLAS")
def test_known_bug_xfail_counts_when_the_failure_shows_its_symptom():
    """A case of a known bug whose failure contains the bug's symptom ("gradient registry has no entry for: AdjustHue") stays an expected failure (spec/bugs/symptoms.py)."""
    failure = AssertionError("expected the tape's gradient; TensorFlow raised LookupError: gradient registry has no entry for: AdjustHue")

    report = _known_bug_report("gradient registry has no entry for: AdjustHue", failure)

    assert (report.outcome, hasattr(report, "wasxfail")) == ("skipped", True)


@pytest.mark.source("OP-ATLAS")
def test_known_bug_case_failing_without_its_symptom_is_failed_naming_the_symptom_and_the_failure():
    """A case of a known bug that fails for another reason (here InvalidArgumentError: a double where the op takes float) is reported failed, not as the known bug, and the message names the symptom expected and the failure seen (spec/bugs/symptoms.py)."""
    failure = AssertionError("TensorFlow raised InvalidArgumentError: input #1 was expected to be a float tensor but is a double tensor")

    report = _known_bug_report("gradient registry has no entry for: AdjustHue", failure)

    assert report.outcome == "failed" and not hasattr(report, "wasxfail")
    assert report.longrepr == ("AssertionError: expected the known bug's symptom 'gradient registry has no entry for: AdjustHue' "
                               "(strict xfail); actual failure: AssertionError: TensorFlow raised InvalidArgumentError: "
                               "input #1 was expected to be a float tensor but is a double tensor")


@pytest.mark.source("OP-ATLAS")
def test_known_bug_whose_reproducer_gets_a_lookuperror_has_that_registry_message_as_its_symptom():
    """A KnownBug whose reproducer says "got LookupError: gradient registry has no entry for: SoftsignGrad" has "gradient registry has no entry for: SoftsignGrad" as its symptom unless it names one; a bug without such a line has none (spec/atlas/records.py)."""
    from spec.bugs import KnownBug

    missing = KnownBug("SoftsignGrad has no gradient", "unreported",
                       "print(acc.jvp(y))  # expected 0.44, got LookupError: gradient registry has no entry for: SoftsignGrad")
    wrong_value = KnownBug("Cumprod at 0", "unreported", "print(t.gradient(y, x))  # expected [1, 8, 0], got [1, 0, 0]")

    assert missing.symptom == "gradient registry has no entry for: SoftsignGrad"
    assert wrong_value.symptom == ""
