"""The sources a behaviour can cite, read from the data file sources.json next to this module.

`@pytest.mark.source("AD-16", "seed 002")` names entries of `SOURCES`: the seed documents, the catalogue of
documented behaviours (autodiff-catalogue.md, 157 entries, checked against TensorFlow 2.21.0 and generated once)
and documentation pages cited beyond it. Each entry has `title`, `section`, `url`, `issues` ("owner/repo#N") and
`documentation_only` (a note with no executable value; the report does not count it as a gap). SPEC.md prints each
test's sources with their section and link, and lists every entry no test covers. To add a source, add an entry to
sources.json by hand with the same keys.
"""
from __future__ import annotations

import json
import pathlib

_DATA = json.loads(pathlib.Path(__file__).with_name("sources.json").read_text(encoding="utf-8"))
SEEDS: dict = _DATA["seeds"]
CATALOGUE: dict = _DATA["catalogue"]
PAGES: dict = _DATA["pages"]
SOURCES: dict = {**SEEDS, **CATALOGUE, **PAGES}


def describe(ref: str) -> str:
    """Markdown for one source: `AD-16` linked to its page, with its section and issue links."""
    entry = SOURCES.get(ref)
    if entry is None:
        return f"`{ref}` (not in spec/report/sources.json)"
    if ref in SEEDS:
        return f"{ref} (seed document)"
    issues = "".join(f", {_issue_link(i)}" for i in entry["issues"])
    section = entry["section"].split(" ", 1)[1] if entry["section"][:1].isdigit() else entry["section"]
    label = f"[{ref}]({entry['url']})" if entry["url"] else ref
    return f"{label} ({section}{issues})"


def _issue_link(issue: str) -> str:
    repo, number = issue.split("#")
    text = f"#{number}" if repo == "tensorflow/tensorflow" else issue
    return f"[{text}](https://github.com/{repo}/issues/{number})"
