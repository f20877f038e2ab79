"""Chapter 98, R3 — The pages: SPEC.md and SPEC.html of a small synthetic run, every behaviour, picture and link resolving.

spec/report/markdown.py and spec/report/html.py render a report gathered in a temporary folder, the same in every run.
"""
import base64

import pytest

from spec.report import markdown as spec_md
from spec.report import html as html_report


from spec.test_98_report.synthetic import _markdown_links_and_targets, _Page


@pytest.mark.source("LIVING-DOCS")
def test_spec_md_shows_code_output_picture_and_one_outcome_line_per_behaviour(synthetic_report):
    """In SPEC.md each behaviour has its anchor, its code, the value TensorFlow returned after `>>> actual = dy_dx()`, its picture inline and one outcome line; the index links to it, and every #link has its anchor."""
    markdown = spec_md.render(synthetic_report)
    links, targets = _markdown_links_and_targets(markdown)
    assert links and not links - targets, f"links without an anchor: {sorted(links - targets)}"
    assert '<a id="test_gradient_of_x_squared_at_3_is_6"></a>' in markdown
    assert "def test_gradient_of_x_squared_at_3_is_6(where):\n    x = tf.Variable(3.0)" in markdown
    assert ">>> actual = dy_dx()\n>>> print(actual)\ntf.Tensor(6.0, shape=(), dtype=float32)" in markdown
    assert "![x² and its gradient](plots/demo.png)" in markdown
    assert "**Outcome:** eager ✅ · function ✅ · xla ✅\n" in markdown
    assert "- **tf.GradientTape: gradient** (3): [1.1](#test_gradient_of_x_squared_at_3_is_6) · " in markdown
    assert "- **tf.where** (1): [12.1](#test_where_picks_0" in markdown


@pytest.mark.source("LIVING-DOCS")
def test_spec_html_is_self_contained_and_every_behaviour_picture_and_link_resolves(synthetic_report):
    """SPEC.html has a section per behaviour, every picture embedded as a PNG data URI, every #link (index included) pointing at an id on the page, and nothing loaded from elsewhere."""
    page = _Page()
    page.feed(html_report.render(synthetic_report, spec_md.render(synthetic_report)))
    expected = [b.anchor for b in synthetic_report.behaviours()]
    assert page.behaviours == expected
    assert page.images, "the picture is missing"
    for src in page.images:
        assert src.startswith("data:image/png;base64,"), src[:60]
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    unresolved = sorted(set(page.links) - page.ids)
    assert not unresolved, f"links without a target: {unresolved}"
    assert set(expected) <= set(page.index_links), "a behaviour is missing from the index"
    assert "extra-section" in page.ids and not page.external
