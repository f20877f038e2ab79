"""The upgrade machinery: what changes when TensorFlow does.

Owns the since/until release gates and SPEC.md's table behaviour × release (`gates`), the committed baseline of the
pinned release and its recording (`baseline`, with the data in baselines/), the "Changed since TensorFlow <pinned>"
comparison and section (`changes`), and the one-command recipe that runs the spec on another release or tf-nightly
in a fresh virtual environment (`recipe`; `python -m spec.upgrade`).

May import: spec.harness, spec.report (to add its sections) and spec.atlas.inventory. The recipe uses the standard
library only: it runs before TensorFlow is installed.
"""
