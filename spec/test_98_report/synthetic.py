"""What the report's chapter shares: a synthetic report gathered as a run would gather it, an HTML page parser, and
the line finder. Not a chapter: it holds no test."""
import html.parser
import re
import types

import numpy as np

from spec.harness import pictures
from spec.report import collect, model, snippets

CHAPTER_1 = "spec/test_01_gradients.py"
CHAPTER_12 = "spec/test_12_numerics.py"

def _line_of(file: str, text: str) -> int:
    """The line number of the first line of `file` containing `text`."""
    mod = snippets.module(file)
    return next(i + 1 for i, line in enumerate(mod.lines) if text in line)





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


