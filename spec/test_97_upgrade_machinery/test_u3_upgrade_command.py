"""Chapter 97, U3 — The upgrade command: `python -m spec.upgrade <release>` swaps the TensorFlow pin and runs the spec in a fresh venv.

These specs run the command on a requirements file under tmp_path, with installing replaced by a recorder (spec/upgrade/recipe.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import pathlib
import subprocess
import sys
import tempfile
import types

import pytest

from spec.upgrade import recipe as upgrade

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"
RC = "2.21.0rc1"


# ============================================================================== python -m spec.upgrade
REQUIREMENTS_TEXT = ("# hand-made requirements\n"
                     "tensorflow==2.21.0\n"
                     "tensorflow-probability==0.25.0\n"
                     "numpy>=1.26\n"
                     "pytest==9.2.0\n")


@pytest.fixture
def requirements_file(monkeypatch, tmp_path) -> pathlib.Path:
    """A hand-made requirements.txt on tmp_path, which spec.upgrade reads instead of the repository's."""
    path = tmp_path / "requirements.txt"
    path.write_text(REQUIREMENTS_TEXT)
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)
    return path


def _upgrade(*args: str, tmp_path: pathlib.Path) -> subprocess.CompletedProcess:
    """`python -m spec.upgrade ARGS` in a fresh interpreter, with its venv pointed into tmp_path."""
    return subprocess.run([sys.executable, "-m", "spec.upgrade", *args, "--venv", str(tmp_path / "venv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("release", "line"), [
    ("2.17.1", "tensorflow==2.17.1"), ("2.18", "tensorflow==2.18.*"), ("nightly", "tf-nightly"),
    ("tf-nightly", "tf-nightly"), ("nightly-cpu", "tf-nightly-cpu"), (RC, "tensorflow==2.21.0rc1"),
    ("pinned", "tensorflow==2.21.0"),
])
def test_upgrade_release_2_17_1_is_tensorflow_2_17_1_2_18_the_newest_2_18_and_nightly_tf_nightly(requirements_file, release, line):
    """A release names one requirement line: an exact release pins it, major.minor takes its newest patch (==2.18.*), nightly is the tf-nightly package (nightly-cpu its CPU-only build) and pinned is requirements.txt's own line (spec/upgrade/recipe.py; README)."""
    assert upgrade.tensorflow_requirement(release) == line


@pytest.mark.parametrize(("release", "line"), [
    ("2.17.1", "tensorflow==2.17.1"), ("2.18", "tensorflow==2.18.*"), ("nightly", "tf-nightly")])
def test_upgrade_requirements_swap_only_the_tensorflow_line(requirements_file, release, line):
    """The requirements for a release are requirements.txt with its `tensorflow==` line replaced and every other line, tensorflow-probability's pin included, unchanged (spec/upgrade/recipe.py; README)."""
    before, after = REQUIREMENTS_TEXT.splitlines(keepends=True), upgrade.requirements(release).splitlines(keepends=True)

    assert len(after) == len(before)
    assert [(i, a) for i, (b, a) in enumerate(zip(before, after)) if a != b] == [(1, line + "\n")]


def test_upgrade_requirements_keep_a_blank_line_after_the_tensorflow_pin(monkeypatch, tmp_path):
    """A blank line after the `tensorflow==` line stays: only the pin itself is replaced (spec/upgrade/recipe.py)."""
    path = tmp_path / "requirements.txt"
    path.write_text("tensorflow==2.21.0\n\n# test tools\npytest==9.2.0\n")
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)

    assert upgrade.requirements("2.17.1") == "tensorflow==2.17.1\n\n# test tools\npytest==9.2.0\n"


def test_upgrade_requirements_without_a_tensorflow_pin_stop_with_a_message_naming_the_file(monkeypatch, tmp_path):
    """A requirements file with no `tensorflow==` line stops the command with "no `tensorflow==...` line in <file>" (spec/upgrade/recipe.py)."""
    path = tmp_path / "requirements.txt"
    path.write_text("numpy>=1.26\n")
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)

    with pytest.raises(SystemExit) as stopped:
        upgrade.requirements("2.17.1")
    assert stopped.value.code == f"spec.upgrade: no `tensorflow==...` line in {path}"


def test_upgrade_print_requirements_prints_the_swapped_file_exits_0_and_creates_no_venv(requirements_file, tmp_path, capsys):
    """`python -m spec.upgrade 2.17.1 --print-requirements` prints the swapped requirements, returns 0 and creates no virtual environment (spec/upgrade/recipe.py)."""
    venv_dir = tmp_path / "venv"

    status = upgrade.main(["2.17.1", "--print-requirements", "--venv", str(venv_dir)])

    assert status == 0
    assert capsys.readouterr().out == REQUIREMENTS_TEXT.replace("tensorflow==2.21.0", "tensorflow==2.17.1")
    assert not venv_dir.exists()


@pytest.mark.parametrize(("release", "message"), [
    pytest.param("banana", "spec.upgrade: 'banana' is not a release like 2.17.1, 2.18 or nightly", id="banana"),
    pytest.param("2.15.1", "spec.upgrade: the spec runs on TensorFlow 2.16 and later, not 2.15.1", id="2.15.1"),
])
def test_upgrade_bad_release_exits_1_with_one_line_naming_it_and_no_traceback(tmp_path, release, message):
    """`python -m spec.upgrade banana` (or a release before 2.16) exits with status 1 and one line on stderr naming it, no traceback, no venv (spec/upgrade/recipe.py)."""
    done = _upgrade(release, tmp_path=tmp_path)

    assert (done.returncode, done.stderr, done.stdout) == (1, message + "\n", "")
    assert not (tmp_path / "venv").exists()


def test_upgrade_release_candidate_2_18rc1_prints_tensorflow_2_18rc1_not_a_traceback(tmp_path):
    """A release candidate written without the patch number, 2.18rc1, gives `tensorflow==2.18rc1`, as 2.21.0rc1 gives `tensorflow==2.21.0rc1` (spec/upgrade/recipe.py)."""
    done = _upgrade("2.18rc1", "--print-requirements", tmp_path=tmp_path)

    assert "Traceback" not in done.stderr, done.stderr.strip().splitlines()[-1]
    assert done.returncode == 0 and "\ntensorflow==2.18rc1\n" in done.stdout


def test_upgrade_help_exits_0_with_the_usage_and_every_option(tmp_path):
    """`python -m spec.upgrade --help` prints the usage, the release argument and each option, and exits 0 (spec/upgrade/recipe.py)."""
    done = _upgrade("--help", tmp_path=tmp_path)

    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: python -m spec.upgrade")
    for word in ("release", "--venv", "--print-requirements", "--install-only", "pytest"):
        assert word in done.stdout, word


def test_upgrade_without_a_release_exits_2_saying_release_is_required(tmp_path):
    """`python -m spec.upgrade` with no release is argparse's usage error: exit status 2, "the following arguments are required: release" (spec/upgrade/recipe.py)."""
    done = _upgrade(tmp_path=tmp_path)

    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("usage: python -m spec.upgrade")
    assert "error: the following arguments are required: release" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def no_install(monkeypatch) -> dict:
    """spec.upgrade with install and pytest replaced by recorders: what it would install where, and what it would run."""
    seen = {"status": 0}

    def install(release, venv_dir):
        seen["install"] = (release, venv_dir)
        return pathlib.Path("/venvs/tf/bin/python")

    def run(command, cwd):
        seen["command"], seen["cwd"] = command, cwd
        return subprocess.CompletedProcess(command, seen["status"])

    monkeypatch.setattr(upgrade, "install", install)
    monkeypatch.setattr(upgrade, "subprocess", types.SimpleNamespace(run=run))
    return seen


@pytest.mark.parametrize(("argv", "pytest_args"), [
    pytest.param([], ["-v", "--artifacts-dir=artifacts/tf-2.16.2"], id="default"),
    pytest.param(["--", "-k", "keras", "--run-slow"], ["-v", "-k", "keras", "--run-slow", "--artifacts-dir=artifacts/tf-2.16.2"],
                 id="-k keras --run-slow"),
    pytest.param(["--", "-q", "--artifacts-dir=/tmp/a"], ["-q", "--artifacts-dir=/tmp/a"], id="own -q and artifacts dir"),
])
def test_upgrade_runs_pytest_v_with_the_arguments_after_double_dash_and_artifacts_tf_release(no_install, argv, pytest_args):
    """Arguments after `--` go to pytest in the release's venv, with -v unless a verbosity is given and --artifacts-dir=artifacts/tf-<release> unless one is given, run from the repository (spec/upgrade/recipe.py; README)."""
    upgrade.main(["2.16.2", *argv])

    assert no_install["command"] == ["/venvs/tf/bin/python", "-m", "pytest", *pytest_args]
    assert no_install["cwd"] == upgrade.ROOT
    default_venv = pathlib.Path(tempfile.gettempdir()) / "tapespec-venvs" / "tf-2.16.2"
    assert no_install["install"] == ("2.16.2", default_venv.resolve())


def test_upgrade_exit_status_is_pytests_3(no_install):
    """The command returns the exit status of the pytest it ran, here 3 (spec/upgrade/recipe.py)."""
    no_install["status"] = 3

    assert upgrade.main(["nightly"]) == 3


def test_upgrade_reuses_a_venv_whose_stamp_equals_the_requirements_and_creates_nothing(requirements_file, tmp_path, monkeypatch):
    """A venv holding a python and a stamp equal to the release's requirements is reused as it is: no venv is created and pip is not run (spec/upgrade/recipe.py)."""
    def forbidden(*args, **kwargs):
        raise AssertionError("spec.upgrade created a venv or ran pip")

    monkeypatch.setattr(upgrade, "venv", types.SimpleNamespace(EnvBuilder=forbidden))
    monkeypatch.setattr(upgrade, "subprocess", types.SimpleNamespace(run=forbidden))
    venv_dir = tmp_path / "venv"
    python = upgrade._bin(venv_dir, "python")
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv_dir / "tapespec-requirements.txt").write_text(upgrade.requirements("2.17.1"))

    assert upgrade.install("2.17.1", venv_dir) == python
