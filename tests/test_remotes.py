"""push, fetch and pull against a local directory, moto and SeaweedFS."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers import RemoteSpec, git, random_bytes, run_mlvc, tree_digest, write


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _clone(source: Path, name: str) -> Path:
    target = source.parent / name
    subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True)
    return target


def test_push_clone_pull_at_several_revisions(repo_dir: Path, remote: RemoteSpec) -> None:
    remote.configure(repo_dir)
    expected: dict[str, tuple[object, object]] = {}
    for version in range(3):
        for index in range(30):
            size = (index * 7919 + version * 104729) % 40_000
            write(
                repo_dir / "data" / f"part{index % 3}" / f"f{index}.bin",
                random_bytes(size, index + 100 * version),
            )
        write(repo_dir / "model.bin", random_bytes(1_500_000 + version, version))
        _ok(run_mlvc(repo_dir, "add", "data", "model.bin"))
        _ok(run_mlvc(repo_dir, "push"))
        sha = _commit(repo_dir, f"v{version}")
        expected[sha] = (tree_digest(repo_dir / "data"), tree_digest(repo_dir / "model.bin"))

    clone = _clone(repo_dir, "clone")
    for sha, (data_digest, model_digest) in expected.items():
        git(clone, "checkout", "-q", sha)
        _ok(run_mlvc(clone, "pull"))
        assert tree_digest(clone / "data") == data_digest
        assert tree_digest(clone / "model.bin") == model_digest
    status = json.loads(_ok(run_mlvc(clone, "status", "--json")).stdout)["paths"]
    assert {item["state"] for item in status} == {"unchanged"}


def test_status_remote_and_push_of_only_what_is_missing(repo_dir: Path, remote: RemoteSpec) -> None:
    remote.configure(repo_dir)
    write(repo_dir / "a.bin", random_bytes(300_000, 1))
    write(repo_dir / "b.bin", random_bytes(300_000, 2))
    _ok(run_mlvc(repo_dir, "add", "a.bin", "b.bin"))
    before = _ok(run_mlvc(repo_dir, "status", "--remote")).stdout
    assert "a.bin: not pushed" in before and "b.bin: not pushed" in before
    first = json.loads(_ok(run_mlvc(repo_dir, "push", "a.bin", "--json")).stdout)
    assert first["records_sent"] >= 1
    after = _ok(run_mlvc(repo_dir, "status", "--remote")).stdout
    assert "a.bin: pushed" in after and "b.bin: not pushed" in after
    again = json.loads(_ok(run_mlvc(repo_dir, "push", "a.bin", "--json")).stdout)
    assert again["records_sent"] == 0 and again["packs_sent"] == 0
