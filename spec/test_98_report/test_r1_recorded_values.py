"""Chapter 98, R1 — What TensorFlow returned: values recorded as print() shows them, and a reason wherever nothing was.

spec/harness/observe.py records; spec/report/snippets.py and spec/report/model.py show.
"""
import pathlib

import numpy as np
import pytest
import tensorflow as tf

from spec.harness import observe, pictures
from spec.report import model, snippets
from spec.report import markdown as spec_md
from spec.report import html as html_report


from spec.test_98_report.synthetic import _line_of


# ------------------------------------------------------------------------------- what was returned


@pytest.mark.source("LIVING-DOCS")
def test_values_are_recorded_as_print_shows_them_tf_tensor_6_0_and_their_type_names():
    """A returned value is recorded as print() shows it, `tf.Tensor(6.0, shape=(), dtype=float32)`, with its type name: EagerTensor, ResourceVariable, IndexedSlices, NoneType, tuple[...]."""
    params = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(params, [1]))
    sparse = tape.gradient(y, params)
    assert observe.format_value(tf.constant(6.0)) == "tf.Tensor(6.0, shape=(), dtype=float32)"
    assert observe.type_name(tf.constant(6.0)) == "EagerTensor"
    assert observe.type_name(tf.Variable(1.0)) == "ResourceVariable"
    assert observe.format_value(sparse).startswith("IndexedSlices(indices=tf.Tensor([1], shape=(1,), dtype=int32)")
    assert observe.type_name((sparse, None)) == "tuple[IndexedSlices, NoneType]"
    assert observe.format_value([tf.constant(1.0), None]) == "[tf.Tensor(1.0, shape=(), dtype=float32), None]"
    assert observe.format_value([("kernel", "dense/kernel")]) == "[('kernel', 'dense/kernel')]"  # strings quoted, as print() does


@pytest.mark.source("LIVING-DOCS")
def test_where_run_records_the_returned_value_and_the_line_that_called_it(where):
    """In every mode, what `where.run(f)` returned is recorded for the running case with the line of the test that called it: `tf.Tensor(6.0, shape=(), dtype=float32)`."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.gradient(y, x)

    before = len(observe.current())
    where.run(dy_dx, tf.constant(3.0))
    (record,) = observe.current()[before:]
    assert record["kind"] == "returned" and record["value"] == "tf.Tensor(6.0, shape=(), dtype=float32)", record
    assert record["line"] == _line_of("spec/test_98_report/test_r1_recorded_values.py", "    where.run(dy_dx, tf.constant(3.0))")
    assert record["where"] == str(where)


@pytest.mark.source("LIVING-DOCS")
def test_pytest_raises_records_the_exception_type_and_its_whole_message():
    """An exception caught by pytest.raises is recorded with its type, `tf.errors.InvalidArgumentError` for TensorFlow's, and its whole message, not the matched fragment."""
    before = len(observe.current())
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32"):
        tf.constant(10) * tf.constant(1.5)
    (record,) = observe.current()[before:]
    assert record["kind"] == "raised" and record["type"] == "tf.errors.InvalidArgumentError", record
    assert "cannot compute Mul as input #1(zero-based) was expected to be a int32 tensor but is a float tensor" in record["value"]


# ------------------------------------------------------------------- where nothing was returned

#: how a test hands what TensorFlow returned to the report (spec/harness/observe.py records each)
RECORDING_ROUTES = ("where.run", "observe.returned", "pytest.raises", "pytest.warns", "oracle.assert_", "caplog")


@pytest.mark.source("LIVING-DOCS")
def test_every_tensorflow_behaviour_hands_what_tensorflow_returned_to_the_report():
    """Every test of TensorFlow (every chapter but the op atlas, which has its own table, and the tests of tapespec itself) passes what TensorFlow returned through where.run, observe.returned, pytest.raises, pytest.warns, the oracle or caplog, in its body or its helpers, so SPEC.md shows it whenever the test runs."""
    chapters = sorted(p.relative_to(snippets.ROOT).as_posix() for p in (snippets.ROOT / "spec").glob("test_*.py"))
    tensorflow = [f for f in chapters if not f.startswith(model.MACHINERY_CHAPTERS) and f not in model.COMPACT_CHAPTERS]
    silent = [f"{f}::{name}" for f in tensorflow for name in snippets.module(f).tests
              if not any(route in snippets.snippet(f, name).text for route in RECORDING_ROUTES)]
    assert "spec/test_01_gradients.py" in tensorflow and "spec/test_98_report/test_r1_recorded_values.py" not in tensorflow
    assert not silent, f"tests that show nothing TensorFlow returned: {silent}"


@pytest.mark.source("LIVING-DOCS")
def test_a_behaviour_without_a_returned_block_says_why_not_run_tapespec_itself_or_flagged_as_silent(synthetic_report):
    """Where SPEC.md shows no "returned" block, one line says why: a case not run gives its skip reason, a test of tapespec itself says so, and a TensorFlow behaviour that ran but recorded nothing is flagged ⚠️ (in SPEC.html too)."""
    from spec.harness import runtime

    gpu_only, itself = "test_memory_growth_is_on_for_every_gpu", "test_the_real_pictures_are_png_files_with_title_axes_and_legend"
    for file, name, outcome in [("spec/test_16_devices.py", gpu_only, ("skipped", "setup", runtime.NO_GPU_REASON)),
                                ("spec/test_98_report/test_r1_recorded_values.py", itself, ("passed", "call", ""))]:
        meta = {"file": file, "name": name, "claim": "c.", "chapter": f"Chapter {file[10:12]} — Demo: x", "chapter_doc": "",
                "mode": None, "device": None, "variant": "", "sources": ["AD-01"], "line": 1, "case_key": [0]}
        synthetic_report.cases[f"{file}::{name}"] = {"nodeid": f"{file}::{name}", "meta": meta, "observed": [],
                                                     "outcomes": [outcome]}
    markdown = spec_md.render(synthetic_report)
    notes = {b.name: (b.note, b.silent) for b in synthetic_report.behaviours()}
    assert notes[gpu_only] == (f"What TensorFlow returned on this run: nothing (not run). Skip reason: {runtime.NO_GPU_REASON}.", False)
    assert notes[itself] == (model.MACHINERY_NOTE, False)
    assert notes["test_gradient_of_x_squared_at_3_is_6"] == ("", False)  # it has its "returned" block
    assert notes["test_gradient_of_w_squared_at_variable_5_is_10"] == (model.SILENT_NOTE, True)  # ran, recorded nothing
    for note, _ in notes.values():
        assert note in markdown
    assert "A test of tapespec itself, not of TensorFlow" in html_report.render(synthetic_report, markdown)


@pytest.mark.source("LIVING-DOCS")
def test_the_real_pictures_are_png_files_with_title_axes_and_legend(tmp_path):
    """A teaching picture is a PNG with a title, both axis labels and a legend (here x² and its gradient, drawn by spec/harness/pictures.py)."""
    xs = np.linspace(-2.0, 2.0, 5)
    figure = pictures.curves_and_gradient(xs, xs**2, 2 * xs, 2 * xs, title="y = x²", function_label="y = x²",
                                          tape_label="tape", exact_label="2x")
    ax = figure.axes[0]
    assert ax.get_title() == "y = x²" and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    path = pathlib.Path(tmp_path) / "x.png"
    figure.savefig(path, dpi=30)
    pictures._plt().close(figure)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
