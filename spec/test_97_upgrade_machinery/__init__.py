"""Chapter 97 — The upgrade machinery: the baseline comparison, version gates, the upgrade command, the registry inventory and example ops.

These specs run the machinery behind "Changed since TensorFlow 2.21.0", `@pytest.mark.since` / `until`,
`python -m spec.upgrade` and the gradient registry inventory on small hand-made data: a baseline and a run
written here, version strings, a requirements file under pytest's tmp_path, inventories of a few ops. No
virtual environment is created and nothing is installed; only the example-op specs trace a TensorFlow op.
A strict xfail here would be a bug of the machinery itself: the test asserts the intended behaviour, and the
XPASS after a fix asks for the mark to be removed.
"""
