"""Git hooks, driven by real git: commit, checkout, pull and push with the hooks installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import git, random_bytes, run_mlvc, tree_digest, write
from tests.test_pipeline import make_pipeline


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def hooked(repo_dir: Path) -> Path:
    _ok(
        run_mlvc(
            repo_dir, "remote", "add", "store", str(repo_dir.parent / "data-remote"), "--default"
        )
    )
    write(repo_dir / "data" / "a.bin", random_bytes(50_000, 1))
    _ok(run_mlvc(repo_dir, "add", "data"))
    _ok(run_mlvc(repo_dir, "hooks", "install"))
    git(repo_dir, "add", "-A")
    _ok(_git(repo_dir, "commit", "-q", "-m", "data"))
    return repo_dir


def test_install_is_idempotent_and_uninstall_restores_a_foreign_hook(repo_dir: Path) -> None:
    hooks = repo_dir / ".git" / "hooks"
    write(
        hooks / "pre-commit",
        '#!/bin/sh\necho foreign >> "$(git rev-parse --show-toplevel)/foreign.log"\n',
        executable=True,
    )
    first = _ok(run_mlvc(repo_dir, "hooks", "install")).stdout
    assert "pre-commit: installed, runs the hook it replaced first" in first
    again = _ok(run_mlvc(repo_dir, "hooks", "install")).stdout
    assert again == first
    assert (hooks / "pre-commit.pre-mlvc").read_text().startswith("#!/bin/sh\necho foreign")
    write(repo_dir / "x.txt", "x")
    git(repo_dir, "add", "x.txt")
    _ok(_git(repo_dir, "commit", "-q", "-m", "x"))
    assert (repo_dir / "foreign.log").read_text() == "foreign\n"

    write(
        hooks / "pre-commit.pre-mlvc",
        "#!/bin/sh\necho 'foreign says no' >&2\nexit 3\n",
        executable=True,
    )
    write(repo_dir / "y.txt", "y")
    git(repo_dir, "add", "y.txt")
    refused = _git(repo_dir, "commit", "-q", "-m", "y")
    assert refused.returncode != 0 and "foreign says no" in refused.stderr

    uninstalled = _ok(run_mlvc(repo_dir, "hooks", "uninstall")).stdout
    assert "pre-commit: foreign" in uninstalled and "pre-push: not installed" in uninstalled
    assert "foreign says no" in (hooks / "pre-commit").read_text()
    assert not (hooks / "pre-commit.pre-mlvc").exists()


def test_commit_is_refused_until_the_data_is_added(hooked: Path) -> None:
    write(hooked / "data" / "a.bin", random_bytes(50_000, 2))
    git(hooked, "add", "-A")
    refused = _git(hooked, "commit", "-q", "-m", "edit")
    assert refused.returncode != 0
    assert (
        "data: data changed but not recorded (run: mlvc add 'data' && git add 'data.mlvc')"
        in refused.stderr
    )
    _ok(run_mlvc(hooked, "add", "data"))
    not_staged = _git(hooked, "commit", "-q", "-m", "edit")
    assert not_staged.returncode != 0
    assert "data.mlvc: updated but not staged (run: git add 'data.mlvc')" in not_staged.stderr
    git(hooked, "add", "data.mlvc")
    _ok(_git(hooked, "commit", "-q", "-m", "edit"))
    write(hooked / "data" / "a.bin", random_bytes(50_000, 3))
    write(hooked / "notes.txt", "n")
    git(hooked, "add", "notes.txt")
    skipped = subprocess.run(
        ["git", "commit", "-q", "-m", "skip"], cwd=hooked, capture_output=True, text=True,
        env={**__import__("os").environ, "MLVC_SKIP_HOOKS": "1"},
    )  # fmt: skip
    assert skipped.returncode == 0, skipped.stderr
    write(hooked / "notes2.txt", "n")
    git(hooked, "add", "notes2.txt")
    _ok(_git(hooked, "commit", "-q", "--no-verify", "-m", "no verify"))


def _commit_trained_pipeline(repo: Path) -> None:
    """Replace the fixture's data by the test pipeline, run it, and commit the result."""
    _ok(run_mlvc(repo, "rm", "data"))
    (repo / "data" / "a.bin").unlink()
    make_pipeline(repo)
    _ok(run_mlvc(repo, "repro"))
    git(repo, "add", "-A")
    _ok(_git(repo, "commit", "-q", "-m", "pipeline"))


def test_a_failing_validation_blocks_the_commit(hooked: Path) -> None:
    _commit_trained_pipeline(hooked)
    write(hooked / "params.yaml", "train:\n  lr: 0.5\n  epochs: 3\n")
    repro = run_mlvc(hooked, "repro", "train")
    assert repro.returncode == 0, repro.stderr
    git(hooked, "add", "-A")
    refused = _git(hooked, "commit", "-q", "-m", "bad lr")
    assert refused.returncode != 0
    assert "validation 'validate' failed" in refused.stderr and "accuracy >= 0.9" in refused.stderr


def test_checkout_pull_and_push_move_the_data(hooked: Path) -> None:
    bare = hooked.parent / "origin.git"
    _ok(_git(hooked.parent, "init", "-q", "--bare", str(bare)))
    git(hooked, "remote", "add", "origin", str(bare))
    pushed = _ok(_git(hooked, "push", "-q", "origin", "main"))
    assert "mlvc: pushed" in pushed.stderr
    assert list((hooked.parent / "data-remote" / "packs").glob("*.idx"))

    git(hooked, "checkout", "-q", "-b", "experiment")
    write(hooked / "data" / "b.bin", random_bytes(70_000, 4))
    _ok(run_mlvc(hooked, "add", "data"))
    git(hooked, "add", "-A")
    _ok(_git(hooked, "commit", "-q", "-m", "more data"))
    experiment = tree_digest(hooked / "data")
    _ok(_git(hooked, "checkout", "-q", "main"))
    assert not (hooked / "data" / "b.bin").exists(), "post-checkout brought main's data back"
    _ok(_git(hooked, "checkout", "-q", "experiment"))
    assert tree_digest(hooked / "data") == experiment

    clone = hooked.parent / "teammate"
    _ok(_git(hooked.parent, "clone", "-q", str(bare), str(clone)))
    _ok(run_mlvc(clone, "pull"))
    _ok(run_mlvc(clone, "hooks", "install"))
    _ok(_git(hooked, "push", "-q", "origin", "experiment:main"))
    pulled = _ok(_git(clone, "pull", "-q", "origin", "main"))
    assert tree_digest(clone / "data") == experiment, pulled.stderr

    (hooked.parent / "data-remote").rename(hooked.parent / "gone")
    (hooked.parent / "data-remote").write_text("not a directory")
    write(hooked / "data" / "c.bin", random_bytes(10_000, 5))
    _ok(run_mlvc(hooked, "add", "data"))
    git(hooked, "add", "-A")
    _ok(_git(hooked, "commit", "-q", "-m", "unpushable"))
    failed = _git(hooked, "push", "-q", "origin", "experiment")
    assert failed.returncode != 0
    assert "pre-push hook: the data push failed, so git push is stopped" in failed.stderr
    assert "experiment" not in _git(hooked, "ls-remote", str(bare)).stdout


def test_core_hooks_path_is_honoured(repo_dir: Path) -> None:
    custom = repo_dir / "my-hooks"
    git(repo_dir, "config", "core.hooksPath", "my-hooks")
    _ok(run_mlvc(repo_dir, "hooks", "install"))
    assert "mlvc-managed-hook" in (custom / "pre-commit").read_text()
    assert not (repo_dir / ".git" / "hooks" / "pre-commit").exists()
    write(repo_dir / "f.bin", "1")
    _ok(run_mlvc(repo_dir, "add", "f.bin"))
    write(repo_dir / "f.bin", "2")
    git(repo_dir, "add", "-A")
    refused = _git(repo_dir, "commit", "-q", "-m", "x")
    assert refused.returncode != 0 and "f.bin: data changed" in refused.stderr


def test_checkout_reports_the_stages_that_became_stale(hooked: Path) -> None:
    _commit_trained_pipeline(hooked)
    git(hooked, "checkout", "-q", "-b", "tuning")
    write(hooked / "params.yaml", "train:\n  lr: 0.01\n  epochs: 9\n")
    git(hooked, "add", "params.yaml")
    _ok(_git(hooked, "commit", "-q", "-m", "more epochs, not trained yet"))
    back = _ok(_git(hooked, "checkout", "main"))
    assert "is stale" not in back.stderr
    again = _ok(_git(hooked, "checkout", "tuning"))
    assert "mlvc: train is stale: param train.epochs changed" in again.stderr


def test_pull_rebase_updates_data_and_fetch_can_be_turned_off(hooked: Path) -> None:
    bare = hooked.parent / "origin.git"
    _ok(_git(hooked.parent, "init", "-q", "--bare", str(bare)))
    git(hooked, "remote", "add", "origin", str(bare))
    _ok(_git(hooked, "push", "-q", "origin", "main"))
    clone = hooked.parent / "teammate"
    _ok(_git(hooked.parent, "clone", "-q", str(bare), str(clone)))
    _ok(run_mlvc(clone, "pull"))
    _ok(run_mlvc(clone, "hooks", "install"))
    write(clone / "notes.txt", "local work\n")
    git(clone, "add", "notes.txt")
    _ok(_git(clone, "commit", "-q", "-m", "local"))

    write(hooked / "data" / "a.bin", random_bytes(50_000, 9))
    _ok(run_mlvc(hooked, "add", "data"))
    git(hooked, "add", "-A")
    _ok(_git(hooked, "commit", "-q", "-m", "new data"))
    _ok(_git(hooked, "push", "-q", "origin", "main"))
    _ok(_git(clone, "pull", "-q", "--rebase", "origin", "main"))  # post-rewrite, no post-merge
    assert tree_digest(clone / "data") == tree_digest(hooked / "data")

    write(clone / ".mlvc" / "config.local.toml", "[hooks]\nfetch = false\n")
    write(hooked / "data" / "a.bin", random_bytes(50_000, 10))
    _ok(run_mlvc(hooked, "add", "data"))
    git(hooked, "add", "-A")
    _ok(_git(hooked, "commit", "-q", "-m", "newer data"))
    _ok(_git(hooked, "push", "-q", "origin", "main"))
    pulled = _ok(_git(clone, "pull", "-q", "--rebase", "origin", "main"))
    assert "data not in the cache for: data" in pulled.stderr


def test_hooks_installed_from_a_worktree_guard_it_too(hooked: Path) -> None:
    _ok(run_mlvc(hooked, "hooks", "uninstall"))
    _ok(run_mlvc(hooked, "push"))
    worktree = hooked.parent / "wt"
    git(hooked, "worktree", "add", "-q", "-b", "side", str(worktree))
    _ok(run_mlvc(worktree, "pull"))
    installed = _ok(run_mlvc(worktree, "hooks", "install", "--json")).stdout
    assert str(hooked / ".git" / "hooks" / "pre-commit") in installed  # git's common hooks dir
    write(worktree / "data" / "a.bin", random_bytes(50_000, 11))
    write(worktree / "x.txt", "x")
    git(worktree, "add", "x.txt")
    refused = _git(worktree, "commit", "-q", "-m", "x")
    assert refused.returncode != 0 and "data: data changed but not recorded" in refused.stderr
