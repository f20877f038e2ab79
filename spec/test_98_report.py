"""Chapter 98 — The report: how SPEC.md and SPEC.html show each behaviour's code, real output, pictures and index.

Every run writes artifacts/SPEC.md and artifacts/SPEC.html (spec/report/). These specs
check the parts a learner relies on: values recorded as TensorFlow prints them (spec/harness/observe.py), code
taken from the spec itself (spec/report/snippets.py), one outcome line, the index by API and pitfall
(spec/report/index.py), and a self-contained HTML page whose every behaviour, picture and link resolves. The
page is rendered from a small synthetic run in a temporary folder, so the check is the same in every run,
serial or parallel, whatever else was selected.
"""
import base64
import functools
import html.parser
import pathlib
import re
import types

import numpy as np
import pytest
import tensorflow as tf

from spec.harness import observe, pictures
from spec.report import collect, model, outcomes, snippets
from spec.report import markdown as spec_md
from spec.report import html as html_report

CHAPTER_1 = "spec/test_01_gradients.py"
CHAPTER_12 = "spec/test_12_numerics.py"


def _line_of(file: str, text: str) -> int:
    """The line number of the first line of `file` containing `text`."""
    mod = snippets.module(file)
    return next(i + 1 for i, line in enumerate(mod.lines) if text in line)


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
    assert record["line"] == _line_of("spec/test_98_report.py", "    where.run(dy_dx, tf.constant(3.0))")
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


# ------------------------------------------------------------------------------ a synthetic report


@pytest.fixture
def synthetic_report(tmp_path):
    """A SpecReport of three behaviours as a run would have gathered them, with one picture, in tmp_path."""
    config = types.SimpleNamespace(artifacts_dir=tmp_path, invocation_params=types.SimpleNamespace(args=("-k", "demo")),
                                   option=types.SimpleNamespace(collectonly=False))
    spec = collect.SpecReport(config)
    spec.sections = [lambda r: "## Extra section\n\nA link back to [the first behaviour](#test_gradient_of_x_squared_at_3_is_6).\n"]
    xs = np.linspace(-4.0, 4.0, 9)
    figure = pictures.curves_and_gradient(xs, xs**2, 2 * xs, 2 * xs, title="demo", function_label="x²",
                                          tape_label="tape", exact_label="2x")
    (tmp_path / "plots").mkdir()
    figure.savefig(tmp_path / "plots" / "demo.png", dpi=40)
    pictures._plt().close(figure)
    first = _line_of(CHAPTER_1, "    actual = where.run(dy_dx)")
    behaviours = [
        (CHAPTER_1, "test_gradient_of_x_squared_at_3_is_6", "The derivative of y = x² at x = 3 is 6.0.",
         [{"kind": "returned", "line": first, "value": "tf.Tensor(6.0, shape=(), dtype=float32)", "type": "EagerTensor"},
          {"kind": "picture", "line": first, "value": "plots/demo.png", "label": "x² and its gradient"}]),
        (CHAPTER_1, "test_gradient_of_w_squared_at_variable_5_is_10", "d(w·w)/dw at 5 is 10.0.", []),
        (CHAPTER_12, "test_where_picks_0_at_x_0_so_the_gradient_is_0_but_the_unselected_1_over_x_makes_it_nan",
         "tf.where's gradient is NaN at 0.", []),
    ]
    for file, name, claim, observed in behaviours:
        for mode in ("eager", "function", "xla"):
            meta = {"file": file, "name": name, "claim": claim, "chapter": f"Chapter {file[10:12].lstrip('0')} — Demo: x",
                    "chapter_doc": "", "mode": mode, "device": "cpu", "variant": "", "sources": ["AD-01"], "line": 1,
                    "case_key": [0]}
            spec.cases[f"{file}::{name}[{mode}-cpu]"] = {
                "nodeid": f"{file}::{name}[{mode}-cpu]", "meta": meta, "observed": list(observed),
                "outcomes": [("passed", "call", "")]}
            spec.totals["passed"] += 1
    return spec


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images, self.behaviours, self.external = set(), [], [], [], []
        self.index_links: list[str] = []
        self._in_index = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "section" and "index" in attrs.get("class", ""):
            self._in_index += 1
        if tag == "section" and "behaviour" in attrs.get("class", ""):
            self.behaviours.append(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
            if self._in_index:
                self.index_links.append(attrs["href"][1:])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("script", "link", "img", "iframe") and (attrs.get("src") or attrs.get("href") or "").startswith(("http", "//")):
            self.external.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "section" and self._in_index:
            self._in_index -= 1


def _markdown_links_and_targets(markdown: str) -> tuple[set, set]:
    """(#links outside code blocks, the anchors they may point at: `<a id>`s and GitHub's heading anchors)."""
    targets, links, seen, fence = set(), set(), {}, ""
    for line in markdown.splitlines():
        opening = line[: len(line) - len(line.lstrip("`"))]
        if len(opening) >= 3 and (not fence or line.strip() == fence):
            fence = "" if fence else opening
            continue
        if fence:
            continue
        targets |= set(re.findall(r'<a id="([^"]+)"', line))
        heading = re.match(r"#{1,6} (.*)", line)
        if heading:
            base = model.anchor(heading.group(1))
            targets.add(base if base not in seen else f"{base}-{seen[base]}")
            seen[base] = seen.get(base, 0) + 1
        links |= set(re.findall(r"\]\(#([^)\s]+)", line))
    return links, targets


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


# ------------------------------------------------------------------- where nothing was returned

#: how a test hands what TensorFlow returned to the report (spec/harness/observe.py records each)
RECORDING_ROUTES = ("where.run", "observe.returned", "pytest.raises", "pytest.warns", "oracle.assert_", "caplog")


@pytest.mark.source("LIVING-DOCS")
def test_every_tensorflow_behaviour_hands_what_tensorflow_returned_to_the_report():
    """Every test of TensorFlow (every chapter but the op atlas, which has its own table, and the tests of tapespec itself) passes what TensorFlow returned through where.run, observe.returned, pytest.raises, pytest.warns, the oracle or caplog, in its body or its helpers, so SPEC.md shows it whenever the test runs."""
    chapters = sorted(p.relative_to(snippets.ROOT).as_posix() for p in (snippets.ROOT / "spec").glob("test_*.py"))
    tensorflow = [f for f in chapters if f not in model.MACHINERY_CHAPTERS and f not in model.COMPACT_CHAPTERS]
    silent = [f"{f}::{name}" for f in tensorflow for name in snippets.module(f).tests
              if not any(route in snippets.snippet(f, name).text for route in RECORDING_ROUTES)]
    assert "spec/test_01_gradients.py" in tensorflow and "spec/test_98_report.py" not in tensorflow
    assert not silent, f"tests that show nothing TensorFlow returned: {silent}"


@pytest.mark.source("LIVING-DOCS")
def test_a_behaviour_without_a_returned_block_says_why_not_run_tapespec_itself_or_flagged_as_silent(synthetic_report):
    """Where SPEC.md shows no "returned" block, one line says why: a case not run gives its skip reason, a test of tapespec itself says so, and a TensorFlow behaviour that ran but recorded nothing is flagged ⚠️ (in SPEC.html too)."""
    from spec.harness import runtime

    gpu_only, itself = "test_memory_growth_is_on_for_every_gpu", "test_the_real_pictures_are_png_files_with_title_axes_and_legend"
    for file, name, outcome in [("spec/test_16_devices.py", gpu_only, ("skipped", "setup", runtime.NO_GPU_REASON)),
                                ("spec/test_98_report.py", itself, ("passed", "call", ""))]:
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


# ------------------------------------------------------------------------------------ how tapespec is built

#: What each part of spec/ may import (besides itself and the standard library): the layers README's "How tapespec
#: is built" draws. Chapters are the test modules; the machinery chapters (97, 98) test the machinery itself.
MAY_IMPORT = {
    "tolerances": set(),
    "oracle": {"tolerances"},
    "harness": {"oracle", "tolerances"},
    "bugs": {"harness"},
    "atlas": {"harness", "bugs", "oracle", "tolerances"},
    "chapters": {"harness", "bugs", "atlas", "oracle", "tolerances", "chapters"},
    "report": {"harness", "bugs", "atlas"},
    "upgrade": {"harness", "report", "atlas", "bugs", "oracle"},  # the baseline records what the oracle compared
    "selfcheck": {"harness"},
}
MACHINERY_TESTS = ("spec/test_97", "spec/test_98")


def _part(path) -> str:
    """The part of spec/ a module belongs to: its package, "chapters" for a test module, or the module itself."""
    relative = path.relative_to(snippets.ROOT / "spec")
    if relative.parts[0].startswith("test_"):
        return "chapters"
    return relative.parts[0].removesuffix(".py")


def _module_name(path) -> str:
    relative = path.relative_to(snippets.ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imports() -> dict:
    """module name -> (its file, the spec.* modules it imports anywhere in it, at module level or inside a function)."""
    import ast

    found = {}
    for path in sorted((snippets.ROOT / "spec").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name, targets = _module_name(path), set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("spec.")}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                if base == "spec" or base.startswith("spec."):
                    targets |= {f"{base}.{a.name}" if f"{base}.{a.name}" in _all_modules() else base for a in node.names}
        found[name] = (path, targets - {name})
    return found


@functools.cache
def _all_modules() -> frozenset:
    return frozenset(_module_name(p) for p in (snippets.ROOT / "spec").rglob("*.py"))


def test_imports_flow_one_way_from_chapters_and_machinery_down_to_the_harness():
    """Every module of spec/ imports only from the parts below it (tolerances < oracle < harness < bugs < atlas < chapters; report and upgrade read the atlas and the harness; the report imports no chapter), and no two modules import each other, directly or through others (README, "How tapespec is built")."""
    modules = _imports()
    wrong = []
    for name, (path, targets) in modules.items():
        part = _part(path)
        if str(path.relative_to(snippets.ROOT)).startswith(MACHINERY_TESTS):
            continue  # the machinery's own tests import what they test
        for target in sorted(targets):
            other = target.split(".")[1] if target.count(".") else target
            other = "chapters" if other.startswith("test_") else other
            if other != part and other not in MAY_IMPORT.get(part, set()):
                wrong.append(f"{name} ({part}) imports {target} ({other})")
    cycles = []
    graph = {name: {t for t in targets if t in modules} for name, (_, targets) in modules.items()}

    def visit(node, stack, done):
        if node in stack:
            cycles.append(" -> ".join(stack[stack.index(node):] + [node]))
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, stack + [node], done)
        done.add(node)

    done: set = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert not wrong and not cycles, "imports against the layers: " + "; ".join(wrong) + " · cycles: " + "; ".join(cycles)
