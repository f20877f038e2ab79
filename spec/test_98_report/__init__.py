"""Chapter 98 — The report: how SPEC.md and SPEC.html show each behaviour's code, real output, pictures and index.

Every run writes artifacts/SPEC.md and artifacts/SPEC.html (spec/report/). These specs
check the parts a learner relies on: values recorded as TensorFlow prints them (spec/harness/observe.py), code
taken from the spec itself (spec/report/snippets.py), one outcome line, the index by API and pitfall
(spec/report/index.py), and a self-contained HTML page whose every behaviour, picture and link resolves. The
page is rendered from a small synthetic run in a temporary folder, so the check is the same in every run,
serial or parallel, whatever else was selected.
"""
