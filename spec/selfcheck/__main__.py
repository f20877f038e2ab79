"""The self-check: does the spec catch broken autodiff?

    python -m spec.selfcheck                 # clean run, then every fault; writes artifacts/self-check.md
    python -m spec.selfcheck --fault watch-does-nothing --fault sigmoid-gradient-x1.01
    python -m spec.selfcheck --list          # the faults and the chapter each one targets
    python -m spec.selfcheck --orders 5      # also: the suite passes in 5 random orders (pytest-random-order)

1. It runs the selected suite with no fault. If anything fails there, it stops: a broken suite would make
   every fault look caught.
2. It runs the suite once per fault (spec/selfcheck/faults.py), each in a fresh Python process with
   TAPESPEC_FAULT=<name>, two processes at a time by default (`--jobs`), and reads which test cases
   failed from pytest's JUnit XML.
3. It writes artifacts/self-check.md: fault × the tests that caught it, and every fault nothing caught.
   It exits 1 if a fault survived or a run broke, 2 if the clean run failed, 0 otherwise.

The selection is every chapter except the benchmarks and the tests marked slow: `pytest spec
--ignore=spec/test_90_benchmarks -m "not slow" --only-modes=eager`, each run with its own artifacts in a
temporary folder. A fault patches TensorFlow's Python layer (the tape, the gradient registry, the public
functions), which tf.function and XLA reach while tracing just as eager code does at run time; the eager
cases are the cheap ones (no tracing), so they carry the fault runs, and a fault that only acts inside
tf.function (`modes=("function",)`) runs the function cases. `--modes eager,function,xla` runs every
fault in every mode (several times slower).
Extra pytest arguments go after `--`, e.g. `python -m spec.selfcheck -- -m "not slow"`.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import datetime
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

from spec.selfcheck.faults import ENV, FAULTS

ROOT = pathlib.Path(__file__).resolve().parents[2]
SELECTION = ["spec", "--ignore=spec/test_90_benchmarks", "-m", "not slow",
             "-p", "no:cacheprovider", "-q", "--no-header", "-rN"]
DEFAULT_MODES = "eager"
TIMEOUT_S = 900


@dataclasses.dataclass
class Run:
    label: str
    fault: str | None
    modes: str
    returncode: int
    seconds: float
    cases: int
    failed: list  # "file::test[case]" that failed or errored
    output_tail: str


def run_suite(label: str, fault: str | None, modes: str, extra: list, workdir: pathlib.Path) -> Run:
    out = workdir / label
    out.mkdir(parents=True, exist_ok=True)
    junit = out / "junit.xml"
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if fault:
        env[ENV] = fault
    fault_args = list(FAULTS[fault].pytest_args) if fault else []
    cmd = [sys.executable, "-m", "pytest", *SELECTION, f"--only-modes={modes}", f"--artifacts-dir={out / 'artifacts'}",
           f"--junitxml={junit}", *fault_args, *extra]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
        rc, text = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as err:
        rc, text = -1, f"timed out after {TIMEOUT_S} s\n{err.stdout or ''}"
    seconds = time.monotonic() - started
    cases, failed = _read_junit(junit)
    return Run(label, fault, modes, rc, seconds, cases, failed, "\n".join(str(text).splitlines()[-25:]))


def _read_junit(path: pathlib.Path):
    if not path.exists():
        return 0, []
    cases, failed = 0, []
    for case in ET.parse(path).getroot().iter("testcase"):
        cases += 1
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "")
            file = module.replace(".", "/") + ".py" if module else case.get("file", "?")
            failed.append(f"{file}::{case.get('name')}")
    return cases, sorted(set(failed))


def _group(failed: list) -> dict:
    """'spec/test_01_x.py::test_y[eager-cpu]' → {'test_01_x.py::test_y': ['eager-cpu', ...]}."""
    groups: dict = collections.defaultdict(list)
    for nodeid in failed:
        base, _, case = nodeid.partition("[")
        groups[base.removeprefix("spec/")].append(case.rstrip("]") or "—")
    return dict(groups)


def _fault_verdict(run: Run) -> str:
    if run.returncode not in (0, 1) or (run.returncode == 1 and not run.failed):
        return "run broke"
    return "caught" if run.failed else "SURVIVED"


def write_report(path: pathlib.Path, clean: Run, runs: list, orders: list, wall: float, extra: list) -> None:
    w = []
    add = w.append
    caught = [r for r in runs if _fault_verdict(r) == "caught"]
    add("# tapespec self-check: does the spec catch broken autodiff?\n")
    add(f"Run `python -m spec.selfcheck{' -- ' + ' '.join(extra) if extra else ''}` on "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU cores; "
        f"wall time {wall / 60:.1f} min. Selection: `pytest {shlex.join(SELECTION + extra)}` with "
        f"`--only-modes` as in the table (clean run: `{clean.modes}`).\n")
    add(f"**Clean run (no fault): {clean.cases} cases, "
        f"{'all passed or skipped' if clean.returncode == 0 else f'{len(clean.failed)} FAILED (rc {clean.returncode})'}, "
        f"{clean.seconds:.0f} s.**\n")
    if clean.returncode != 0:
        add("The suite fails without any fault, so no fault was run: a broken suite would look strong.\n")
        add("```\n" + clean.output_tail + "\n```\n")
    if runs:
        survived = [r for r in runs if _fault_verdict(r) != "caught"]
        add(f"**Faults: {len(caught)} of {len(runs)} caught**"
            + (f"; not caught: {', '.join(f'`{r.fault}`' for r in survived)}" if survived else "") + ".\n")
        add("Each fault ran in a fresh process (`TAPESPEC_FAULT=<name>`, spec/selfcheck/faults.py). "
            "A fault is caught when at least one test case fails under it.\n")
        add("| fault | chapter | what goes wrong | modes | verdict | failing cases | s | chapters that caught it (tests) | tests that caught it (cases) |")
        add("|---|---|---|---|---|---:|---:|---|---|")
        for r in runs:
            f = FAULTS[r.fault]
            groups = _group(r.failed)
            per_chapter = collections.Counter(t.split("::")[0].split("_")[1] for t in groups)
            chapters = ", ".join(f"{c} ({n})" for c, n in sorted(per_chapter.items()))
            tests = "<br>".join(f"`{t}` ({', '.join(c)})" for t, c in groups.items()) or "—"
            icon = {"caught": "✅", "SURVIVED": "❌", "run broke": "💥"}[_fault_verdict(r)]
            add(f"| `{f.name}` | {f.chapter} | {f.description} | {r.modes} | {icon} {_fault_verdict(r)} | "
                f"{len(r.failed)} of {r.cases} | {r.seconds:.0f} | {chapters or '—'} | {tests} |")
        add("")
        for r in runs:
            if _fault_verdict(r) != "caught":
                add(f"### Gap: `{r.fault}` ({_fault_verdict(r)})\n")
                add(f"{FAULTS[r.fault].description}. No test case failed ({r.cases} ran, rc {r.returncode}). "
                    "Add a test that pins the behaviour this fault breaks.\n")
                add("```\n" + r.output_tail + "\n```\n")
        chapters = collections.Counter(FAULTS[r.fault].chapter for r in caught)
        add("Faults caught per target chapter: " + ", ".join(f"{c} ({n})" for c, n in sorted(chapters.items())) + ".\n")
    if orders:
        add("## Order independence\n")
        add("The same selection in random order (pytest-random-order, "
            "`--random-order-bucket=global --random-order-seed=N`):\n")
        add("| seed | cases | failed | seconds |")
        add("|---:|---:|---:|---:|")
        for seed, r in orders:
            add(f"| {seed} | {r.cases} | {len(r.failed) or (0 if r.returncode == 0 else f'rc {r.returncode}')} | {r.seconds:.0f} |")
        add("")
        for seed, r in orders:
            if r.returncode != 0:
                add(f"Seed {seed} failed: " + ", ".join(f"`{x}`" for x in r.failed) + "\n")
    add("## Adding a fault\n")
    add("Write a function in spec/selfcheck/faults.py that patches TensorFlow and decorate it with "
        "`@fault(\"name\", \"chapter\", \"what goes wrong\")`; use `_patch` / `_wrap_gradient` so the "
        "patch is undone at the end. Check it alone with `python -m spec.selfcheck --fault name`.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(w), encoding="utf-8")


def _modes_of(name: str, default: str) -> str:
    return ",".join(FAULTS[name].modes) if FAULTS[name].modes else default


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec.selfcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS), help="run only this fault (repeatable)")
    parser.add_argument("--modes", default=DEFAULT_MODES, metavar="MODES",
                        help=f"execution modes a fault run covers (default {DEFAULT_MODES}; e.g. eager,function,xla); "
                        "faults that act only in tf.function name their own")
    parser.add_argument("--jobs", type=int, default=2, help="fault runs at a time (default 2)")
    parser.add_argument("--orders", type=int, default=0, metavar="N",
                        help="also run the selection in N random orders (seeds 1..N; needs requirements-dev.txt)")
    parser.add_argument("--artifacts-dir", default=str(ROOT / "artifacts"), help="where self-check.md goes")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    args = parser.parse_args(argv)
    names = args.fault or sorted(FAULTS, key=lambda n: FAULTS[n].chapter)  # by chapter, stable
    if args.list:
        for n in names:
            f = FAULTS[n]
            print(f"{f.name:36} {f.chapter:22} [{_modes_of(n, args.modes)}] {f.description}")
        return 0
    # The clean run covers every mode any fault run uses, so each fault run's selection is known to pass.
    clean_modes = ",".join(dict.fromkeys(m for n in names for m in _modes_of(n, args.modes).split(",")))
    report = pathlib.Path(args.artifacts_dir) / "self-check.md"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tapespec-selfcheck-") as tmp:
        work = pathlib.Path(tmp)
        print(f"self-check: clean run (pytest {shlex.join(SELECTION + args.pytest_args)} --only-modes={clean_modes}) ...",
              flush=True)
        clean = run_suite("clean", None, clean_modes, args.pytest_args, work)
        print(f"self-check: clean run: {clean.cases} cases, {len(clean.failed)} failed, rc {clean.returncode}, "
              f"{clean.seconds:.0f} s", flush=True)
        if clean.returncode != 0 or clean.cases == 0:
            write_report(report, clean, [], [], time.monotonic() - started, args.pytest_args)
            print(clean.output_tail)
            print(f"self-check: the suite fails with no fault; see {report}")
            return 2
        runs = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_suite, n, n, _modes_of(n, args.modes), args.pytest_args, work) for n in names]
            for fut in concurrent.futures.as_completed(futures):
                r = fut.result()
                runs.append(r)
                print(f"self-check: {r.fault:36} {_fault_verdict(r):10} {len(r.failed):4} failing cases "
                      f"({r.seconds:.0f} s)", flush=True)
        runs.sort(key=lambda r: names.index(r.fault))
        orders = []
        for seed in range(1, args.orders + 1):
            r = run_suite(f"order-{seed}", None, clean_modes,
                          ["--random-order-bucket=global", f"--random-order-seed={seed}", *args.pytest_args], work)
            orders.append((seed, r))
            print(f"self-check: random order seed {seed}: {r.cases} cases, {len(r.failed)} failed, rc {r.returncode}",
                  flush=True)
    wall = time.monotonic() - started
    write_report(report, clean, runs, orders, wall, args.pytest_args)
    bad = [r.fault for r in runs if _fault_verdict(r) != "caught"]
    bad_orders = [seed for seed, r in orders if r.returncode != 0]
    print(f"self-check: {len(runs) - len(bad)} of {len(runs)} faults caught in {wall / 60:.1f} min; wrote {report}")
    if bad:
        print("self-check: NOT caught: " + ", ".join(bad))
    if bad_orders:
        print(f"self-check: the suite failed in random order for seeds {bad_orders}")
    return 1 if bad or bad_orders else 0


if __name__ == "__main__":
    sys.exit(main())
