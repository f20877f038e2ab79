"""A known bug's strict xfail counts only when the failure shows that bug's symptom.

`KnownBug(..., symptom="gradient registry has no entry for: AdjustContrastv2")` says what the failure of a
case it breaks must contain. A strict xfail on AssertionError alone would also swallow a *different* failure
of the same case: on a release that registers the missing gradient but gets a value wrong, the case would
still read "known bug" and the upgrade report would not show the change. With a symptom, such a failure is
reported as failed, naming the symptom expected and the failure seen. A bug without a symptom keeps the
plain strict xfail.
"""
from __future__ import annotations

import pytest

from spec.bugs.record import known_bug_of


def symptom_of(item) -> str:
    return getattr(known_bug_of(item), "symptom", "") or ""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield  # outermost wrapper: pytest's xfail handling has already run
    if call.when != "call" or call.excinfo is None or not hasattr(report, "wasxfail"):
        return report
    symptom = symptom_of(item)
    failure = " ".join(str(call.excinfo.value).split())
    if symptom and symptom not in failure:
        del report.wasxfail
        report.outcome = "failed"
        report.longrepr = (f"AssertionError: expected the known bug's symptom {symptom!r} (strict xfail); "
                           f"actual failure: {call.excinfo.typename}: {failure[:1000]}")
    return report
