"""The living-documentation report (artifacts/SPEC.md). Placeholder until the report lands."""
