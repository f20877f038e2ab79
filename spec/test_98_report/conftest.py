"""The report chapter's fixtures (spec/test_98_report/synthetic.py builds them)."""
import pytest

from spec.test_98_report import synthetic


@pytest.fixture
def synthetic_report(tmp_path):
    """A SpecReport of three behaviours as a run would have gathered them, with one picture, in tmp_path."""
    return synthetic.synthetic_report(tmp_path)
