"""The report: artifacts/SPEC.md and artifacts/SPEC.html, written by every run from what the tests recorded.

Owns collecting each case's metadata and outcome (`collect`, the pytest plugin), the model both files are rendered
from (`model`: behaviours, outcome lines, "returned" blocks), the Markdown renderer (`markdown`), the HTML renderer
(`html`, CommonMark by markdown-it-py), a behaviour's code and console lines (`snippets`), the index by API and
pitfall (`index`), the sources a test cites (`sources`, with its data in sources.json), the op atlas's section and
pass map (`atlas`) and the known-bug sections (`bugs`).

May import: spec.harness, spec.bugs and spec.atlas (its records, read-only). It imports no chapter; other machinery
(the upgrade report) adds sections through `model.SECTIONS`.
"""
