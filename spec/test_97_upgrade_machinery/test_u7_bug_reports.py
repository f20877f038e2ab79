"""Chapter 97, U7 — Upstream bug reports: every known bug not yet reported upstream gets an issue body a maintainer can act on.

`python -m spec.bugreport` writes, from a bug's record, the sections of TensorFlow's bug template: title, versions,
what goes wrong and why it is a bug, expected against actual with how the expected value was derived, the reproducer
and what it printed on this machine, the gradient function in TensorFlow's source, and the workaround
(spec/bugreport/). These specs build the reports of every unreported bug and run their reproducers.
"""
from __future__ import annotations

import pytest

from spec.bugreport import __main__ as command
from spec.bugreport import catalogue, issue

pytestmark = pytest.mark.source("OP-ATLAS")

SLOW = ("runs every unreported bug's reproducer and builds its report (about 0.1 s each); run with --run-slow, as "
        ".ci/run does")
SECTIONS = ("### Issue type", "### TensorFlow version", "### Current behavior?", "**Expected:**",
            "### Standalone code to reproduce the issue", "### Relevant log output", "### Where in TensorFlow",
            "### Workaround")


def _unreported():
    found = [f for f in catalogue.all_bugs() if f.bug.issue == "unreported"]
    return [pytest.param(f, id=f.slug) for f in found]


@pytest.mark.slow(reason=SLOW)
@pytest.mark.parametrize("found", _unreported())
def test_every_unreported_bug_gets_an_upstream_report_whose_reproducer_reproduces(found):
    """The report of an unreported bug has every section of TensorFlow's bug template, and its reproducer, run here, ends as the record says: to the end, or with the exception its comment names (a missing gradient's LookupError)."""
    output = issue.run(issue.standalone(found.bug.reproducer))
    ok, how = issue.reproduces(found, output)
    assert ok, f"{found.subject}: the reproducer does not reproduce as recorded: {how}"
    text = issue.body(found, output)
    missing = [s for s in SECTIONS if s not in text]
    assert not missing, f"{found.subject}: the report lacks {missing}"


def test_bugreport_without_a_query_exits_2_saying_what_it_needs(capsys):
    """`python -m spec.bugreport` with nothing to report on prints its usage and what to give, and exits 2, without a traceback."""
    assert command.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m spec.bugreport") and "give an op" in err and "Traceback" not in err


def test_bugreport_of_an_op_with_no_known_bug_exits_1_naming_it(capsys):
    """An op (or text) no known bug matches gives one line naming it and pointing at --list, and exit status 1."""
    assert command.main(["tf.no_such_op"]) == 1
    assert "no known bug matches 'tf.no_such_op'" in capsys.readouterr().err


def test_every_known_bug_states_its_kind_its_upstream_search_and_what_to_do_about_it():
    """Every known bug of the atlas and of the chapters has a kind with its reason, the searches behind its upstream link (or behind "unreported"), and, unless it is a convention, a workaround the spec runs or the reason there is none."""
    problems = []
    for found in catalogue.all_bugs():
        bug, where = found.bug, found.subject
        if not bug.kind or not bug.kind_why:
            problems.append(f"{where}: {bug.summary[:60]}…: no kind (or no kind_why)")
        if not bug.searched:
            problems.append(f"{where}: {bug.summary[:60]}…: no search terms behind {bug.issue}")
        if bug.kind != "convention" and bug.workaround is None and not bug.no_workaround:
            problems.append(f"{where}: {bug.summary[:60]}…: neither a workaround nor the reason there is none")
    assert not problems, f"{len(problems)} known bug(s) incomplete:\n" + "\n".join(sorted(set(problems))[:80])
