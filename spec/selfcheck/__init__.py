"""The self-check: does the spec catch broken autodiff?

Owns the injectable faults (`faults`, a pytest plugin: `TAPESPEC_FAULT=<name>` breaks TensorFlow's autodiff one way
before anything is traced) and the command that runs the suite once per fault and reports what caught each one
(`python -m spec.selfcheck`, in `__main__`).

May import: spec.harness. Nothing imports it but conftest.py (the plugin) and its own command.
"""
