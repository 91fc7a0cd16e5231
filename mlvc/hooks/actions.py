"""What each git hook does. The shell scripts call `mlvc hook-run HOOK ARGS...`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from mlvc.errors import HookError, MlvcError
from mlvc.git.worktree import run_git
from mlvc.pointer import POINTER_SUFFIX, Pointer, parse_pointer_files, pointer_path_of

if TYPE_CHECKING:
    from mlvc.progress import Progress
    from mlvc.repo import Repo

ZERO_SHA = "0" * 40
Say = Callable[[str], None]


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def staged_pointers(repo: Repo) -> dict[str, bytes]:
    """Pointer path -> bytes of every pointer file in the index being committed."""
    listing = run_git(
        repo.root, "ls-files", "-s", "-z", "--", "*" + POINTER_SUFFIX, keep_index=True
    )
    entries: list[tuple[str, str]] = []
    for item in listing.split(b"\0"):
        if item:
            meta, _, raw_path = item.partition(b"\t")
            entries.append((os.fsdecode(raw_path), meta.split()[1].decode()))
    if not entries:
        return {}
    batch = run_git(
        repo.root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in entries).encode()
    )
    blobs: dict[str, bytes] = {}
    position = 0
    for path, _ in entries:
        header_end = batch.index(b"\n", position)
        size = int(batch[position:header_end].split()[2])
        blobs[path] = batch[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return blobs


def pre_commit(repo: Repo, say: Say = _say) -> None:
    """Refuse a commit whose data and pointers disagree; then run the affected validations."""
    problems: list[str] = []
    for status in repo.status():
        if status.state == "modified":
            problems.append(
                f"{status.path}: data changed but not recorded "
                f"(run: mlvc add '{status.path}' && git add '{status.path}.mlvc')"
            )
    staged = staged_pointers(repo)
    for path in repo.tracked_paths():
        pointer_file = pointer_path_of(path)
        current = (repo.root / pointer_file).read_bytes()
        if staged.get(pointer_file) not in (None, current):
            problems.append(
                f"{pointer_file}: updated but not staged (run: git add '{pointer_file}')"
            )
    if problems:
        raise HookError(
            "pre-commit", "the commit does not match the data:\n  " + "\n  ".join(problems)
        )
    runs = repo.validate(
        announce=lambda run: say(f"mlvc: validating '{run.stage}'") if run.reasons else None
    )
    for run in runs:
        if run.outcome == "ran":
            say(f"mlvc: validation '{run.stage}' passed")


def sync_workspace(repo: Repo, hook: str, say: Say = _say) -> None:
    """After the pointers changed: fetch what is missing, check out, report stale stages."""
    config = repo.config
    try:
        if config.hooks_fetch and _has_remote(repo):
            repo.fetch()
        repo.checkout()
    except MlvcError as error:
        say(f"mlvc ({hook}): the workspace data was not fully updated: {error}")
    for run in repo.stale_stages():
        say(f"mlvc: {run.stage} is stale: {', '.join(run.reasons)}")
    if config.hooks_repro:
        repo.repro(
            announce=lambda run: say(f"mlvc: running '{run.stage}'") if run.reasons else None
        )


def _has_remote(repo: Repo) -> bool:
    from mlvc.errors import RemoteNotFoundError
    from mlvc.remotes.settings import choose_remote

    try:
        choose_remote(repo.mlvc_dir, None)
    except RemoteNotFoundError:
        return False
    return True


def pushed_pointers(repo: Repo, remote_name: str, updates: list[str]) -> list[tuple[str, Pointer]]:
    """The pointers of every commit a `git push` sends (from pre-push's standard input)."""
    commits: set[str] = set()
    for line in updates:
        fields = line.split()
        if len(fields) != 4 or fields[1] == ZERO_SHA:
            continue  # a deleted ref sends no commit
        local_sha, remote_sha = fields[1], fields[3]
        exclude = ["--not", f"--remotes={remote_name}"] if remote_name else []
        if remote_sha != ZERO_SHA and _exists(repo, remote_sha):
            exclude = [f"^{remote_sha}"]
        listing = run_git(repo.root, "rev-list", local_sha, *exclude).decode().split()
        commits.update(listing)
    return parse_pointer_files(repo.history.commits_pointers(sorted(commits)))


def _exists(repo: Repo, sha: str) -> bool:
    try:
        run_git(repo.root, "cat-file", "-e", f"{sha}^{{commit}}")
    except MlvcError:
        return False
    return True


def pre_push(repo: Repo, remote_name: str, updates: list[str], say: Say = _say) -> None:
    """Push to the default data remote the data of the commits being pushed."""
    from mlvc.remotes.push import push_pointers

    pointers = pushed_pointers(repo, remote_name, updates)
    if not pointers:
        return
    if not _has_remote(repo):
        raise HookError(
            "pre-push",
            "the pushed commits reference data but no data remote is set "
            "(mlvc remote add NAME URL --default), or skip with MLVC_SKIP_HOOKS=1",
        )
    opened = repo.remote()
    try:
        result = push_pointers(repo, opened, pointers, jobs=opened.jobs(None), progress=_progress())
    except MlvcError as error:
        raise HookError(
            "pre-push", f"the data push failed, so git push is stopped: {error}"
        ) from None
    say(f"mlvc: {result.summary()}")


def _progress() -> Progress:
    from mlvc.cli.output import make_progress

    return make_progress(quiet=False)
