"""The git work tree seen through the `git` command: root, listed files, ignore rules."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mlvc.errors import GitCommandError, NotAGitRepositoryError

# Variables a hook inherits from git that would point nested git calls elsewhere.
_INHERITED_GIT_VARIABLES = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_PREFIX")


def find_worktree_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds `.git` (a directory or a file)."""
    current = start.resolve()
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return candidate
    raise NotAGitRepositoryError(start)


def git_environment(*, keep_index: bool = False) -> dict[str, str]:
    """The environment for nested git calls, without variables inherited from a hook.

    `keep_index` keeps GIT_INDEX_FILE: a pre-commit hook must read the index being
    committed, which `git commit -a` puts in a temporary file.
    """
    dropped = set(_INHERITED_GIT_VARIABLES) - ({"GIT_INDEX_FILE"} if keep_index else set())
    return {key: value for key, value in os.environ.items() if key not in dropped}


def run_git(root: Path, *args: str, keep_index: bool = False, stdin: bytes | None = None) -> bytes:
    """Run `git args...` in `root` and return its standard output."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            env=git_environment(keep_index=keep_index),
            input=stdin,
            check=False,
        )
    except FileNotFoundError:
        raise GitCommandError("git", "the git command is not installed") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitCommandError(
            f"git {args[0]}", detail[-1] if detail else f"exit {result.returncode}"
        )
    return result.stdout


def _split_z(output: bytes) -> list[str]:
    return [os.fsdecode(item) for item in output.split(b"\0") if item]


def list_files(root: Path, pattern: str) -> list[str]:
    """Files matching `pattern` that git tracks or could track (untracked, not ignored)."""
    output = run_git(
        root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", pattern
    )
    return sorted(set(_split_z(output)))


def tracked_paths(root: Path, path: str) -> list[str]:
    """Files git tracks at `path` or below it."""
    return _split_z(run_git(root, "ls-files", "-z", "--cached", "--", f":(literal){path}"))
