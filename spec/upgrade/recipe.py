"""Run the spec against another TensorFlow release (or tf-nightly) in one command.

    python -m spec.upgrade 2.17.1              # a fresh venv with tensorflow==2.17.1, then pytest -v
    python -m spec.upgrade 2.18                # the newest 2.18.x (tensorflow==2.18.*)
    python -m spec.upgrade nightly             # tf-nightly
    python -m spec.upgrade nightly-cpu         # tf-nightly-cpu (the same nightly without CUDA libraries)
    python -m spec.upgrade 2.16.2 -- -k keras  # everything after `--` goes to pytest
    python -m spec.upgrade 2.19.1 --print-requirements   # only print the requirements it would install

It copies requirements.txt with only its `tensorflow==...` line swapped (NumPy, Keras and everything
TensorFlow depends on are resolved by pip for that release), creates a virtual environment for it
(default: <temp dir>/tapespec-venvs/tf-<release>, reused while its requirements are unchanged), installs,
and runs `pytest -v` there with `--artifacts-dir=artifacts/tf-<release>`, so SPEC.md of that run lands in
artifacts/tf-<release>/SPEC.md, with the "Changed since TensorFlow <pinned>" section against the
committed baseline (spec/upgrade/baselines/). The exit status is pytest's.

The same thing by hand, for a venv you already have activated:

    sed 's/^tensorflow==.*/tensorflow==2.17.1/' requirements.txt > /tmp/req.txt && pip install -r /tmp/req.txt && pytest -v

Only the standard library is used here: this runs before TensorFlow is installed.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import venv

ROOT = pathlib.Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
_PIN = re.compile(r"^tensorflow==\S+[ \t]*$", re.MULTILINE)


def tensorflow_requirement(release: str) -> str:
    """The requirement line for a release: `2.17.1` -> `tensorflow==2.17.1`, `2.18` -> `tensorflow==2.18.*`,
    `nightly` / `tf-nightly` -> `tf-nightly`, `nightly-cpu` / `tf-nightly-cpu` -> `tf-nightly-cpu` (the CPU-only
    build of the same nightly, for package indexes that carry only that one), `pinned` -> requirements.txt's own
    line."""
    release = release.strip()
    if release in ("nightly", "tf-nightly"):
        return "tf-nightly"
    if release in ("nightly-cpu", "tf-nightly-cpu"):
        return "tf-nightly-cpu"
    if release in ("pinned", ""):
        return _PIN.search(REQUIREMENTS.read_text()).group(0).strip()
    parts = re.fullmatch(r"(\d+)\.(\d+)(\.\d+)?([.\-]?(?:rc|dev|post)\d+)?", release)
    if not parts:
        raise SystemExit(f"spec.upgrade: {release!r} is not a release like 2.17.1, 2.18 or nightly")
    major, minor, patch, suffix = parts.groups()
    if (int(major), int(minor)) < (2, 16):
        raise SystemExit(f"spec.upgrade: the spec runs on TensorFlow 2.16 and later, not {release}")
    return f"tensorflow=={release}" + (".*" if patch is None and suffix is None else "")


def requirements(release: str) -> str:
    """requirements.txt with only its TensorFlow pin swapped."""
    text = REQUIREMENTS.read_text()
    if not _PIN.search(text):
        raise SystemExit(f"spec.upgrade: no `tensorflow==...` line in {REQUIREMENTS}")
    return _PIN.sub(tensorflow_requirement(release), text, count=1)


def _label(release: str) -> str:
    return "tf-" + re.sub(r"[^\w.]+", "_", release.strip() or "pinned")


def _bin(venv_dir: pathlib.Path, name: str) -> pathlib.Path:
    return venv_dir / ("Scripts" if os.name == "nt" else "bin") / name


def install(release: str, venv_dir: pathlib.Path) -> pathlib.Path:
    """Create (or reuse) the venv for `release` and install the swapped requirements; return its python."""
    wanted = requirements(release)
    python = _bin(venv_dir, "python")
    stamp = venv_dir / "tapespec-requirements.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        print(f"spec.upgrade: reusing {venv_dir} (requirements unchanged)", flush=True)
        return python
    print(f"spec.upgrade: creating {venv_dir} for {tensorflow_requirement(release)}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    req = venv_dir / "requirements.txt"
    req.write_text(wanted)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-r", str(req)], check=True)
    stamp.write_text(wanted)
    return python


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, pytest_args = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(
        prog="python -m spec.upgrade",
        description="Run the spec against a TensorFlow release (>= 2.16) or tf-nightly in a fresh venv; "
        "arguments after `--` go to pytest (default: -v).",
    )
    parser.add_argument("release", help="2.17.1, 2.18 (newest patch), nightly, nightly-cpu, "
                        "or pinned (requirements.txt as is)")
    parser.add_argument("--venv", type=pathlib.Path, default=None,
                        help="the virtual environment to create or reuse (default: <temp>/tapespec-venvs/tf-<release>)")
    parser.add_argument("--print-requirements", action="store_true",
                        help="print requirements.txt with the TensorFlow pin swapped, and stop")
    parser.add_argument("--install-only", action="store_true", help="create the venv and install, run nothing")
    args = parser.parse_args(argv)

    if args.print_requirements:
        sys.stdout.write(requirements(args.release))
        return 0
    venv_dir = args.venv or pathlib.Path(tempfile.gettempdir()) / "tapespec-venvs" / _label(args.release)
    python = install(args.release, venv_dir.resolve())
    if args.install_only:
        return 0
    if not any(a.startswith("--artifacts-dir") for a in pytest_args):
        pytest_args.append(f"--artifacts-dir=artifacts/{_label(args.release)}")
    if not any(a in ("-v", "-q", "-vv", "--verbose", "--quiet") for a in pytest_args):
        pytest_args.insert(0, "-v")
    command = [str(python), "-m", "pytest", *pytest_args]
    print("spec.upgrade: " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
