"""Pipelines in real git repositories with a small real pipeline of Python scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import git, run_mlvc, tree_digest, write

PIPELINE = """\
stages:
  prepare:
    cmd: {python} src/prepare.py data/raw data/clean
    deps: [src/prepare.py, data/raw]
    outs: [data/clean]
  train:
    cmd: {python} src/train.py
    deps: [src/train.py, data/clean]
    params: {{params.yaml: [train.lr, train.epochs]}}
    outs: [models/model.bin]
    metrics: [metrics/train.json]
  validate:
    kind: validation
    cmd: {python} src/validate.py
    deps: [models/model.bin, data/clean]
    metrics: [metrics/validate.json]
    thresholds: {{metrics/validate.json: {{accuracy: ">= 0.90"}}}}
"""

PREPARE = """\
import pathlib, sys
raw, clean = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
clean.mkdir(parents=True, exist_ok=True)
for path in sorted(raw.iterdir()):
    (clean / path.name).write_bytes(path.read_bytes().upper())
with open("runs.log", "a") as log:
    log.write("prepare\\n")
"""

TRAIN = """\
import json, pathlib, yaml
params = yaml.safe_load(open("params.yaml"))["train"]
data = b"".join(p.read_bytes() for p in sorted(pathlib.Path("data/clean").iterdir()))
pathlib.Path("models").mkdir(exist_ok=True)
pathlib.Path("models/model.bin").write_bytes(data * params["epochs"] + str(params["lr"]).encode())
pathlib.Path("metrics").mkdir(exist_ok=True)
json.dump({"loss": round(1.0 / params["epochs"], 4)}, open("metrics/train.json", "w"))
with open("runs.log", "a") as log:
    log.write("train\\n")
"""

VALIDATE = """\
import json, pathlib
model = pathlib.Path("models/model.bin").read_bytes()
accuracy = 0.95 if b"0.01" in model[-8:] else 0.5
json.dump({"accuracy": accuracy}, open("metrics/validate.json", "w"))
with open("runs.log", "a") as log:
    log.write("validate\\n")
"""


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _runs(repo: Path) -> list[str]:
    log = repo / "runs.log"
    names = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return names


def make_pipeline(repo: Path, python: str = sys.executable) -> None:
    """Write the test pipeline (scripts, params, raw data) into `repo` and track the raw data."""
    write(repo / "mlvc.yaml", PIPELINE.format(python=python))
    write(repo / "src" / "prepare.py", PREPARE)
    write(repo / "src" / "train.py", TRAIN)
    write(repo / "src" / "validate.py", VALIDATE)
    write(repo / "params.yaml", "train:\n  lr: 0.01\n  epochs: 3\n")
    write(repo / "data" / "raw" / "a.txt", "alpha\n")
    write(repo / "data" / "raw" / "b.txt", "beta\n")
    ignored = (repo / ".gitignore").read_text() if (repo / ".gitignore").exists() else ""
    write(repo / ".gitignore", ignored + "/runs.log\n/.gitlab-ci-local/\n")
    _ok(run_mlvc(repo, "add", "data/raw"))


@pytest.fixture
def pipeline_repo(repo_dir: Path) -> Path:
    make_pipeline(repo_dir)
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "pipeline")
    return repo_dir


def test_only_what_changed_runs(pipeline_repo: Path) -> None:
    repo = pipeline_repo
    first = _ok(run_mlvc(repo, "repro"))
    assert _runs(repo) == ["prepare", "train", "validate"]
    assert "Running stage 'prepare': it has never run" in first.stdout
    lock = (repo / "mlvc.lock").read_text()
    assert "models/model.bin: xxh128:" in lock and "train.lr: 0.01" in lock and "python:" in lock
    assert (repo / "models" / "model.bin.mlvc").exists() and (repo / "data" / "clean.mlvc").exists()

    nothing = _ok(run_mlvc(repo, "repro"))
    assert _runs(repo) == [] and "Nothing to do" in nothing.stdout

    write(repo / "data" / "raw" / "c.txt", "gamma\n")
    _ok(run_mlvc(repo, "add", "data/raw"))
    status = _ok(run_mlvc(repo, "status")).stdout
    assert "prepare is stale: data/raw changed" in status
    dry = _ok(run_mlvc(repo, "repro", "--dry-run"))
    assert "Would run stage 'train': stage 'prepare' runs first" in dry.stdout
    assert _runs(repo) == []
    _ok(run_mlvc(repo, "repro"))
    assert _runs(repo) == ["prepare", "train", "validate"]

    write(repo / "params.yaml", "train:\n  lr: 0.01\n  epochs: 4\n")
    changed = _ok(run_mlvc(repo, "repro"))
    assert _runs(repo) == ["train", "validate"]
    assert "Running stage 'train': param train.epochs changed" in changed.stdout

    text = (repo / "mlvc.yaml").read_text()
    write(
        repo / "mlvc.yaml",
        "# the team's pipeline\n" + text.replace("  train:\n", "  train:  # fits\n"),
    )
    _ok(run_mlvc(repo, "repro"))
    assert _runs(repo) == []


def test_a_failing_validation_names_the_threshold(pipeline_repo: Path) -> None:
    repo = pipeline_repo
    _ok(run_mlvc(repo, "repro"))
    _runs(repo)
    lock_before = (repo / "mlvc.lock").read_text()
    write(repo / "params.yaml", "train:\n  lr: 0.5\n  epochs: 3\n")
    failed = run_mlvc(repo, "repro")
    assert failed.returncode == 1
    expected = "metrics/validate.json: accuracy = 0.5 (needs accuracy >= 0.9)"
    assert f"validation 'validate' failed: {expected}" in failed.stderr
    lock_after = (repo / "mlvc.lock").read_text()
    assert lock_after != lock_before, "train succeeded and keeps its new record"
    assert "lr: 0.5" in lock_after
    validation = run_mlvc(repo, "validate")
    assert validation.returncode == 1 and "accuracy >= 0.9" in validation.stderr
    write(repo / "params.yaml", "train:\n  lr: 0.01\n  epochs: 3\n")
    _ok(run_mlvc(repo, "repro"))
    passed = _ok(run_mlvc(repo, "validate", "--all"))
    assert "validation 'validate' passed" in passed.stdout


def test_metrics_show_and_diff(pipeline_repo: Path) -> None:
    repo = pipeline_repo
    _ok(run_mlvc(repo, "repro"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "trained")
    write(repo / "params.yaml", "train:\n  lr: 0.01\n  epochs: 5\n")
    _ok(run_mlvc(repo, "repro"))
    shown = json.loads(_ok(run_mlvc(repo, "metrics", "show", "--json")).stdout)
    assert {"file": "metrics/train.json", "key": "loss", "value": 0.2} in shown
    diff = json.loads(_ok(run_mlvc(repo, "metrics", "diff", "--json")).stdout)
    loss = next(row for row in diff if row["key"] == "loss")
    assert loss["old"] == 0.3333 and loss["new"] == 0.2 and loss["change"] == pytest.approx(-0.1333)
    table = _ok(run_mlvc(repo, "metrics", "diff", "HEAD")).stdout
    assert "loss" in table and "0.3333" in table


def test_round_trip_through_a_remote_and_old_commits(pipeline_repo: Path) -> None:
    repo = pipeline_repo
    _ok(run_mlvc(repo, "remote", "add", "store", str(repo.parent / "remote"), "--default"))
    _ok(run_mlvc(repo, "repro"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    v1_model = tree_digest(repo / "models" / "model.bin")
    write(repo / "params.yaml", "train:\n  lr: 0.01\n  epochs: 7\n")
    _ok(run_mlvc(repo, "repro"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v2")
    _ok(run_mlvc(repo, "push", "--all-commits"))

    git(repo, "checkout", "-q", "HEAD~1")
    _ok(run_mlvc(repo, "checkout"))
    assert tree_digest(repo / "models" / "model.bin") == v1_model
    assert "Nothing to do" in _ok(run_mlvc(repo, "repro", "--dry-run")).stdout

    clone = repo.parent / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    git(clone, "checkout", "-q", "main")
    _ok(run_mlvc(clone, "pull"))
    assert (clone / "models" / "model.bin").exists()
    assert "Nothing to do" in _ok(run_mlvc(clone, "repro", "--dry-run")).stdout


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            lambda t: t.replace(
                "deps: [src/prepare.py, data/raw]", "deps: [src/prepare.py, models/model.bin]"
            ),
            "stages form a cycle",
        ),
        (
            lambda t: t.replace(
                "deps: [src/train.py, data/clean]", "deps: [src/train.py, data/nothing]"
            ),
            "stage 'train': dependency data/nothing does not exist and no stage produces it",
        ),
        (
            lambda t: t.replace('">= 0.90"', '"about 0.9"'),
            "stage 'validate': bad threshold accuracy",
        ),
        (
            lambda t: t.replace(
                "outs: [models/model.bin]", "outs: [models/model.bin]\n    colour: red"
            ),
            "stage 'train': unknown key 'colour'",
        ),
        (
            lambda t: t.replace("outs: [models/model.bin]", "outs: [data/clean]"),
            "output data/clean is also an output of stage 'prepare'",
        ),
        (
            lambda t: t.replace(f"{sys.executable} src/prepare.py", "no-such-program-xyz"),
            "stage 'prepare' failed with exit status 127: command not found",
        ),
    ],
)
def test_bad_pipelines_are_named_and_record_nothing(pipeline_repo: Path, edit, fragment) -> None:  # type: ignore[no-untyped-def]
    repo = pipeline_repo
    path = repo / "mlvc.yaml"
    path.write_text(edit(path.read_text()))
    result = run_mlvc(repo, "repro")
    assert result.returncode != 0
    mlvc_lines = [line for line in result.stderr.splitlines() if line.startswith("mlvc: ")]
    assert len(mlvc_lines) == 1 and fragment in mlvc_lines[0]  # the shell may say more
    assert not (repo / "mlvc.lock").exists()
