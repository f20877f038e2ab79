"""Chapter 98, R2 — A behaviour's code and outcome: the test as the spec runs it, and one outcome line for every mode.

spec/report/snippets.py and spec/report/outcomes.py.
"""

import pytest

from spec.report import model, outcomes, snippets


from spec.test_98_report.synthetic import CHAPTER_1, CHAPTER_12, _line_of


# ------------------------------------------------------------------------------------------ the code


@pytest.mark.source("LIVING-DOCS")
def test_a_behaviours_code_is_its_test_without_docstring_or_marks_plus_the_helpers_it_uses():
    """The code shown for the sigmoid behaviour is its test function from the file, without docstring or source marks, after the helpers it uses: SIGMOID_XS, _sigmoid_gradient and the sigmoid_xs fixture."""
    snippet = snippets.snippet(CHAPTER_1, "test_sigmoid_gradient_equals_sigmoid_times_one_minus_sigmoid")
    assert snippet.code.startswith("def test_sigmoid_gradient_equals_sigmoid_times_one_minus_sigmoid(where, sigmoid_xs):\n")
    assert '"""' not in snippet.code and "pytest.mark.source" not in snippet.code
    assert [name for name, _ in snippet.helpers] == ["SIGMOID_XS", "_sigmoid_gradient", "sigmoid_xs"]
    assert ".gradient" in snippet.calls and "tf.sigmoid" in snippet.calls


@pytest.mark.source("LIVING-DOCS")
def test_the_console_shows_each_assigned_name_printed_and_a_mode_that_printed_otherwise():
    """`y, grad = where.run(f, x)` shows as `>>> y, grad = f(x)`, `>>> print(y)`, `>>> print(grad)` with the values, and `# xla instead: ...` where XLA printed another value."""
    line = _line_of(CHAPTER_12, "y, grad = where.run(_where_reciprocal, tf.constant(0.0))")
    zero, nan = "tf.Tensor(0.0, shape=(), dtype=float32)", "tf.Tensor(nan, shape=(), dtype=float32)"
    record = {"kind": "returned", "line": line, "value": f"({zero}, {nan})", "type": "tuple[EagerTensor]",
              "parts": [zero, nan], "types": ["EagerTensor", "EagerTensor"], "where": "eager-cpu"}
    xla = dict(record, parts=[zero, zero], where="xla-cpu")
    lines = snippets.console(CHAPTER_12, [record], alternatives={"xla": [xla]})
    assert lines == [">>> y, grad = _where_reciprocal(tf.constant(0.0))", ">>> print(y)", zero,
                     ">>> print(grad)", nan, f"# xla instead: {zero}"]


# --------------------------------------------------------------------------------------- outcomes


def _case(variant, mode, device, category, reason="", **meta):
    return {"nodeid": f"x::t[{mode}-{device}-{variant}]", "observed": [],
            "meta": dict(variant=variant, mode=mode, device=device, **meta),
            "outcomes": [(category, "call" if category != "skipped" else "setup", reason)]}


@pytest.mark.source("LIVING-DOCS")
def test_the_outcome_is_one_line_when_the_cases_agree_and_a_table_when_they_differ():
    """Six cases that agree read `eager ✅ · function ✅ · xla ✅ · gpu not run: no GPU visible`; an XLA-only known bug gets a table with 🐞 in its cell."""
    from spec.harness import runtime

    agree = [_case("", m, d, "skipped" if d == "gpu" else "passed", runtime.NO_GPU_REASON if d == "gpu" else "")
             for d in ("cpu", "gpu") for m in ("eager", "function", "xla")]
    line, differs = outcomes.outcome_line(agree, {}, {})
    assert line == "**Outcome:** eager ✅ · function ✅ · xla ✅ · gpu not run: no GPU visible\n" and not differs
    bug = {"summary": "s", "issue": "unreported"}
    mixed = [_case("a", "eager", "cpu", "passed"), _case("a", "xla", "cpu", "xfailed", known_bug=bug),
             _case("b", "eager", "cpu", "passed"), _case("b", "xla", "cpu", "passed")]
    table, differs = outcomes.outcome_line(mixed, {}, {})
    assert differs and "| case | eager | xla |" in table and "| `a` | ✅ | 🐞 known bug |" in table, table


# ------------------------------------------------------------------------------------- index and links


@pytest.mark.source("LIVING-DOCS")
def test_the_pitfall_index_matches_whole_words_banana_is_not_nan_but_nan_and_inf_are():
    """The pitfall index files a behaviour under NaN and inf only for the words themselves: a claim about "banana" or "information" is not filed there, one that returns nan or -inf is (spec/report/index.py)."""
    from spec.report import index

    def facts(key, claim, returned=()):
        return {"key": key, "file": "spec/test_01_gradients.py", "meta": {}, "claim": claim, "calls": set(), "keywords": set(),
                "text": "", "returned": list(returned), "raised": [], "warned": False, "differs": False, "known_bug": False}

    entries = index.pitfall_entries([facts("a", "a banana of information"), facts("b", "its gradient", ["tf.Tensor(nan, ...)"]),
                                     facts("c", "the limit is -inf")])
    assert entries.get("NaN and inf in values or gradients") == ["b", "c"]


@pytest.mark.source("LIVING-DOCS")
def test_the_index_by_api_and_pitfall_leaves_out_the_tests_of_tapespec_itself():
    """A test of tapespec itself (chapters 97 and 98) mentions modes such as "xla" as data, not as TensorFlow's XLA, so neither index lists it (spec/report/model.py)."""
    import types

    machinery = types.SimpleNamespace(compact=False, file="spec/test_97_upgrade_machinery/test_u2_release_gates.py", key="m",
                                      meta={}, claim="NaN", snippet=None, returned=[], raised=[], warned=False, differs=False,
                                      cases=[])
    api, pitfalls = model.behaviour_index([machinery])
    assert api == {} and pitfalls == {}


@pytest.mark.source("LIVING-DOCS")
@pytest.mark.parametrize(("prose", "linked"), [
    ("see https://www.tensorflow.org/guide/function; then", "see <https://www.tensorflow.org/guide/function>; then"),
    ("(issue https://github.com/tensorflow/tensorflow/issues/38349).", "(issue <https://github.com/tensorflow/tensorflow/issues/38349>)."),
    ("at https://openxla.org/xla/known_issues, which", "at <https://openxla.org/xla/known_issues>, which"),
])
def test_a_bare_url_in_prose_is_linked_without_the_punctuation_after_it(prose, linked):
    """A URL in a chapter's prose becomes a link that stops before the semicolon, full stop, comma or bracket that follows it (spec/report/model.py)."""
    assert model.link_urls(prose) == linked
