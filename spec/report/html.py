"""artifacts/SPEC.html: the same report as SPEC.md, as one self-contained page to open in a browser.

Rendered from the same model as SPEC.md (`SpecReport.behaviours()`, spec/report/), with:
- every picture embedded as a base64 `data:` URI (the file can be mailed or downloaded alone);
- each behaviour a `<section class="behaviour" id="<test name>" data-outcome="passed|failed|...">`, its code
  in a collapsible `<details>` (open when short), what TensorFlow returned in a console block;
- buttons that filter behaviours by outcome (a few lines of inline JavaScript; without JavaScript everything
  shows), and a sidebar with the chapters and the index;
- the parts of SPEC.md that other plugins write (the op atlas, "Changed since", the version table) converted
  from their markdown by markdown-it-py (CommonMark, with GFM tables and linkify), its headings given GitHub's
  anchors and its pictures embedded.

Links inside the page are `#anchor`s; the test in spec/test_98_report.py parses the page with html.parser and
checks that every behaviour, every picture and every index link is present and resolves.
"""
from __future__ import annotations

import base64
import html
import pathlib
import re

from markdown_it import MarkdownIt

from spec.report import markdown as spec_md
from spec.report import model, sources
from spec.report.outcomes import ORDER

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg2: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); }
nav#sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: 270px; overflow-y: auto; padding: 12px 14px;
  border-right: 1px solid var(--line); background: var(--bg2); font-size: 13px; }
nav#sidebar a { display: block; color: var(--fg); text-decoration: none; padding: 1px 0; }
nav#sidebar a:hover { color: var(--accent); }
main { margin-left: 270px; padding: 16px 32px 80px; max-width: 1180px; }
h1, h2, h3 { line-height: 1.25; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 40px; }
h3 { margin: 0 0 6px; font-size: 17px; } h3 a { color: inherit; text-decoration: none; }
code { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg2); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--bg2); padding: 10px 12px; overflow-x: auto; border-radius: 6px; border: 1px solid var(--line); }
pre code { background: none; padding: 0; }
pre.console { background: #0d1117; color: #e6edf3; border-color: #0d1117; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13.5px; } th, td { border: 1px solid var(--line); padding: 3px 8px; }
th { background: var(--bg2); }
section.behaviour { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 14px 0; }
section.behaviour[data-outcome="failed"], section.behaviour[data-outcome="error"] { border-color: #d1242f; }
section.behaviour[data-outcome="xpassed"] { border-color: #9a6700; }
.claim { font-size: 15.5px; } .muted, .sources { color: var(--muted); font-size: 13px; }
details > summary { cursor: pointer; color: var(--muted); font-size: 13px; }
figure { margin: 8px 0; } figure img { max-width: 100%; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 13px; }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
.filters button { font: inherit; font-size: 13px; margin: 2px; padding: 2px 10px; border: 1px solid var(--line);
  border-radius: 12px; background: #fff; cursor: pointer; } .filters button.active { background: var(--accent); color: #fff; }
.index li { margin: 3px 0; } .index a { margin-right: 2px; }
@media (max-width: 900px) { nav#sidebar { display: none; } main { margin-left: 0; padding: 12px; } }
"""

SCRIPT = """
(function () {
  var buttons = document.querySelectorAll('.filters button[data-filter]');
  function apply(filter) {
    document.querySelectorAll('section.behaviour').forEach(function (s) {
      var show = filter === 'all' || (filter === 'differs' ? s.dataset.differs === '1' : s.dataset.outcome === filter);
      s.hidden = !show;
    });
    document.querySelectorAll('section.chapter').forEach(function (c) {
      c.hidden = filter !== 'all' && !c.querySelector('section.behaviour:not([hidden])');
    });
    buttons.forEach(function (b) { b.classList.toggle('active', b.dataset.filter === filter); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.dataset.filter); }); });
  window.addEventListener('hashchange', function () {  // a link to a hidden behaviour shows everything again
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.closest('[hidden]')) { apply('all'); target.scrollIntoView(); }
  });
})();
"""

FILTERS = [("all", "all"), ("passed", "✅ passed"), ("failed", "❌ failed"), ("error", "💥 error"),
           ("skipped", "⏭️ skipped"), ("xfailed", "🐞 known bug / xfail"), ("xpassed", "⚠️ xpassed"),
           ("differs", "modes disagree")]


# ---------------------------------------------------------------------------------------- markdown


def _data_uri(src: str, root: pathlib.Path | None) -> str:
    """A relative picture path as a data: URI (left as it is when the file is missing)."""
    if root is None or re.match(r"[a-z]+:", src):
        return src
    path = root / src
    try:
        data = path.read_bytes()
    except OSError:
        return src
    kind = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


class Anchors:
    """GitHub's heading anchors, with -1, -2 for repeats; ids already taken are not reused."""

    def __init__(self, taken=()):
        self.seen: dict = {}
        self.taken = set(taken)

    def __call__(self, heading: str) -> str:
        base = model.anchor(re.sub(r"<[^>]+>", "", heading).strip())
        anchor, n = base, self.seen.get(base, 0)
        while anchor in self.taken:
            n += 1
            anchor = f"{base}-{n}"
        self.seen[base] = n
        self.taken.add(anchor)
        return anchor


def _renderer(root: pathlib.Path | None, anchors: Anchors) -> MarkdownIt:
    """CommonMark with GFM tables and linkify (trailing punctuation stays out of a bare URL), plus what the page
    needs: GitHub's anchors on headings, pictures and linked local files embedded as data: URIs, the console style
    for `pycon` blocks, and a behaviour's `<a id>` dropped where its section already carries that id."""
    md = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["table", "linkify"])

    def heading_open(self, tokens, idx, options, env):
        tokens[idx].attrSet("id", anchors(tokens[idx + 1].content))
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens, idx, options, env):
        token = tokens[idx]
        src = token.attrGet("src") or ""
        token.attrSet("data-src", src)
        token.attrSet("src", _data_uri(src, root))
        return self.image(tokens, idx, options, env)

    def link_open(self, tokens, idx, options, env):
        href = tokens[idx].attrGet("href") or ""
        if root is not None and href.endswith((".png", ".svg")) and not re.match(r"[a-z]+:|#", href):
            tokens[idx].attrSet("href", _data_uri(href, root))
        return self.renderToken(tokens, idx, options, env)

    def fence(self, tokens, idx, options, env):
        token = tokens[idx]
        cls = ' class="console"' if token.info.strip() == "pycon" else ""
        return f"<pre{cls}><code>{html.escape(token.content.rstrip(chr(10)))}</code></pre>\n"

    def html_block(self, tokens, idx, options, env):
        found = re.match(r'<a id="([^"]+)"></a>\s*$', tokens[idx].content)
        if found is not None:
            if found.group(1) in anchors.taken:
                return ""
            anchors.taken.add(found.group(1))
        return tokens[idx].content

    for name, rule in (("heading_open", heading_open), ("image", image), ("link_open", link_open), ("fence", fence),
                       ("html_block", html_block)):
        md.add_render_rule(name, rule)
    return md


def markdown_to_html(text: str, root: pathlib.Path | None = None, anchors: Anchors | None = None) -> str:
    """Markdown (SPEC.md's parts) to HTML by markdown-it-py."""
    return _renderer(root, anchors or Anchors()).render(text)


def inline(text: str, root: pathlib.Path | None = None) -> str:
    """Inline markdown (code, images, links, autolinks, emphasis) to HTML, everything else escaped."""
    return _renderer(root, Anchors()).renderInline(text)


# ----------------------------------------------------------------------------------------- page


def _behaviour_html(b, root, shown: dict) -> str:
    bug = any((c["meta"] or {}).get("known_bug") for c in b.cases)
    out = [f'<section class="behaviour" id="{html.escape(b.anchor)}" data-outcome="{b.status}" '
           f'data-differs="{1 if b.differs else 0}" data-known-bug="{1 if bug else 0}">',
           f'<h3><a href="#{html.escape(b.anchor)}">{model.status_icon(b)} {b.number}</a> '
           f"<code>{html.escape(b.name)}</code></h3>",
           f'<p class="claim">{inline(b.claim or "(no docstring: the claim is missing)", root)}</p>']
    if b.meta.get("erratum") and b.meta.get("corrected"):
        out.append("<p>Corrected code:</p><pre><code>" + html.escape(b.meta["corrected"]) + "</code></pre>")
    note, new_helpers, test_code = model.code_parts(b, shown)
    if test_code:
        helpers = "\n\n".join(source for _, source in new_helpers)
        code = (note + "\n" if note else "") + (helpers + "\n\n\n" if helpers else "") + test_code
        n = len(code.splitlines())
        names = ", ".join(name for name, _ in b.snippet.helpers)
        summary = f"Code ({n} lines" + (f"; helpers: {html.escape(names)}" if names else "") + ")"
        out.append(f'<details class="code"{" open" if n <= 30 else ""}><summary>{summary}</summary>'
                   f"<pre><code>{html.escape(code)}</code></pre></details>")
    if b.console:
        where = f" ({b.console_case.replace('-', ', ')})" if b.console_case else ""
        out.append(f'<p class="muted">What TensorFlow returned on this run{where}:</p>'
                   f'<pre class="console"><code>{html.escape(chr(10).join(b.console))}</code></pre>')
    elif b.note:
        out.append(f'<p class="muted note">{inline(b.note, root)}</p>')
    for relpath, caption in b.pictures:
        out.append(f'<figure><img src="{_data_uri(relpath, root)}" alt="{html.escape(caption)}" data-src="{html.escape(relpath)}">'
                   f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    out.append('<div class="outcome">' + markdown_to_html(b.outcome, root) + "</div>")
    for (summary, issue), variants in model.known_bugs(b).items():
        link = html.escape(issue) if issue in ("", "unreported") else f'<a href="{html.escape(issue)}">{html.escape(issue)}</a>'
        where = (" In " + ", ".join(f"<code>{html.escape(v)}</code>" for v in variants) + ".") if variants else ""
        out.append(f"<p>🐞 Known TensorFlow bug: {html.escape(summary)} ({link or 'unreported'}).{where}</p>")
    refs = b.meta.get("sources") or []
    cited = " · ".join(sources.describe(r) for r in refs) if refs else "**none declared**"
    out.append(f'<p class="sources">Source: {inline(cited, root)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _index_html(title: str, anchor: str, entries: dict, by_key: dict, intro: str) -> str:
    out = [f'<section class="index" id="{anchor}"><h2>{html.escape(title)}</h2><p class="muted">{html.escape(intro)}</p><ul>']
    for label, keys in entries.items():
        found = [by_key[k] for k in keys if k in by_key]
        links = " ".join(f'<a href="#{html.escape(b.anchor)}" title="{html.escape(b.claim)}">{b.number}</a>' for b in found)
        out.append(f"<li><strong>{html.escape(label)}</strong> ({len(found)}): {links}</li>")
    out.append("</ul></section>")
    return "\n".join(out)


def _split(markdown: str) -> tuple[str, str]:
    """SPEC.md's head (up to its Contents) and tail (from its Errata, without the index, which the page
    renders from the model)."""
    head = markdown.split("\n## Contents\n", 1)[0]
    tail = markdown.split("\n## Errata\n", 1)[1] if "\n## Errata\n" in markdown else ""
    tail = "## Errata\n" + tail if tail else ""
    sections = re.split(r"(?m)^(?=## )", tail)
    tail = "".join(x for x in sections if not x.startswith(("## Index by API\n", "## Index by pitfall\n")))
    return head, tail


def render(spec_report, markdown: str) -> str:
    root = getattr(spec_report.config, "artifacts_dir", None)
    behaviours = spec_report.behaviours()
    chapters = model.by_chapter(behaviours)
    by_key = {b.key: b for b in behaviours}
    taken = {b.anchor for b in behaviours} | {"index-by-api", "index-by-pitfall", "how-to-read-a-behaviour"}
    taken |= {model.anchor(t) for t in chapters}
    anchors = Anchors(taken)
    head, tail = _split(markdown)
    api, pitfalls = model.behaviour_index(behaviours)

    side = ['<nav id="sidebar"><strong>tapespec</strong>',
            '<a href="#how-to-read-a-behaviour">How to read a behaviour</a>']
    side += [f'<a href="#{model.anchor(t)}">{html.escape(t)}</a>' for t in chapters]
    side += ['<a href="#index-by-api">Index by API</a>', '<a href="#index-by-pitfall">Index by pitfall</a>']
    tail_headings = re.findall(r"^## (.+)$", tail, flags=re.M)
    side.append("</nav>")

    body = ['<main>', markdown_to_html(head, root, Anchors(taken | {"contents"}))]
    active = ' class="active"'
    body.append('<div class="filters">Show: ' + " ".join(
        f'<button data-filter="{key}"{active if key == "all" else ""}>{label}</button>' for key, label in FILTERS)
        + "</div>")
    rows = []
    for title, group in chapters.items():
        counts = {k: sum(1 for b in group for case in b.cases for c, _, _ in case["outcomes"] if c == k) for k in ORDER}
        rows.append(f'<tr><td><a href="#{model.anchor(title)}">{html.escape(title)}</a></td><td>{len(group)}</td>'
                    + "".join(f"<td>{counts[k] or ''}</td>" for k in ORDER) + "</tr>")
    body.append('<h2 id="contents">Contents</h2><table><thead><tr><th>chapter</th><th>behaviours</th>'
                + "".join(f"<th>{k}</th>" for k in ORDER) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    body.append(markdown_to_html(spec_md.HOW_TO_READ.replace("## How to read a behaviour", "", 1), root, anchors)
                .join(['<section id="how-to-read-a-behaviour"><h2>How to read a behaviour</h2>', "</section>"]))
    for title, group in chapters.items():
        body.append(f'<section class="chapter"><h2 id="{model.anchor(title)}">{html.escape(title)}</h2>')
        body.append(f"<p>{inline(model.chapter_intro(group[0]), root)}</p>")
        for relpath, caption in spec_report.chapter_pictures(group[0].file):
            body.append(f'<figure><img src="{_data_uri(relpath, root)}" alt="{html.escape(caption)}" data-src="{html.escape(relpath)}">'
                        f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        shown: dict = {}
        body += [_behaviour_html(b, root, shown) for b in group]
        body.append("</section>")
    body.append(_index_html("Index by API", "index-by-api", api, by_key,
                            "Which behaviours use an API, from their code (and, for Keras, distribution, devices and "
                            "execution modes, their marks and chapter). Hover a number for the claim."))
    body.append(_index_html("Index by pitfall", "index-by-pitfall", pitfalls, by_key,
                            "Which behaviours show a pitfall, from what TensorFlow returned, raised, warned and logged on "
                            "this run and from their claims."))
    body.append(markdown_to_html(tail, root, anchors))
    body.append("</main>")
    side_tail = [f'<a href="#{model.anchor(h)}">{html.escape(h)}</a>' for h in tail_headings
                 if h not in ("Index by pitfall",)]
    side = side[:-1] + side_tail + ["</nav>"]
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>tapespec: TensorFlow's autodiff, as specified and as run</title>\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(side) + "\n" + "\n".join(body)
            + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
