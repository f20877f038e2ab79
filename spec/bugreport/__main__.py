"""python -m spec.bugreport: an upstream-ready GitHub issue body for a known TensorFlow gradient bug.

    python -m spec.bugreport tf.nn.moments          # the bug(s) of one op, printed (or any text of a summary)
    python -m spec.bugreport --list                 # every known bug: kind, where, upstream link
    python -m spec.bugreport --all                  # every unreported bug into artifacts/bug-reports/, with an index
    python -m spec.bugreport --all --reported-too   # every bug, reported ones included

Each body runs the bug's reproducer on this machine and shows what it printed (spec/bugreport/issue.py).
"""
from __future__ import annotations

import argparse
import pathlib
import sys

from spec.harness import runtime

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec.bugreport", description=__doc__.split("\n\n")[0])
    parser.add_argument("query", nargs="?", help="an op name (tf.nn.moments), a chapter file, or words of a bug's summary")
    parser.add_argument("--list", action="store_true", help="list every known bug")
    parser.add_argument("--all", action="store_true", help="write every unreported bug's report into --out")
    parser.add_argument("--reported-too", action="store_true", help="with --all: the bugs already reported upstream as well")
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "bug-reports"), help="where --all writes (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.query or args.list or args.all):
        parser.print_usage(sys.stderr)
        print("python -m spec.bugreport: give an op (or words of a summary), --list or --all", file=sys.stderr)
        return 2
    runtime.configure(require_gpu=False)
    from spec.bugreport import catalogue, issue

    found = catalogue.all_bugs()
    if args.list:
        for f in found:
            print(f"{f.bug.kind or 'unclassified':16} {f.subject:50} {f.bug.issue}")
        return 0
    if args.all:
        out = pathlib.Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        chosen = [f for f in found if args.reported_too or f.bug.issue == "unreported"]
        index = ["# Upstream-ready reports of tapespec's known TensorFlow gradient bugs\n"]
        for f in chosen:
            (out / f"{f.slug}.md").write_text(issue.body(f), encoding="utf-8")
            index.append(f"- [{issue.title(f)}]({f.slug}.md) ({f.bug.kind or 'unclassified'})")
        (out / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
        print(f"spec.bugreport: wrote {len(chosen)} report(s) and index.md to {out}")
        return 0
    chosen = catalogue.select(found, args.query)
    if not chosen:
        print(f"spec.bugreport: no known bug matches {args.query!r} (python -m spec.bugreport --list shows them)",
              file=sys.stderr)
        return 1
    print("\n---\n\n".join(issue.body(f) for f in chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
