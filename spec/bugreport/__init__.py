"""Upstream-ready bug reports: a GitHub issue body for any known TensorFlow gradient bug, written from its record.

Owns finding every KnownBug (the op atlas's records, and the chapters' own bugs, found by importing the chapter
modules, which run no TensorFlow op at import) with its context (`catalogue`), running its reproducer, locating the
gradient function of the raw ops involved in TensorFlow's source, and writing the issue body (`issue`); the command
`python -m spec.bugreport` (in `__main__`).

May import: spec.harness, spec.bugs, spec.atlas and the chapters (to read their KnownBugs). Nothing imports it.
"""
