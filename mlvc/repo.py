"""`Repo`: the library API. One method per command; the CLI only renders what they return."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from mlvc.config import (
    CONFIG_NAME,
    Config,
    default_document,
    load_config,
    write_document,
)
from mlvc.errors import NotInitializedError, PathOutsideRepositoryError, UnsupportedPathError
from mlvc.fsutil import covers
from mlvc.git.history import GitHistory
from mlvc.git.worktree import find_worktree_root, list_files
from mlvc.lock import repository_lock
from mlvc.pointer import (
    POINTER_SUFFIX,
    Pointer,
    data_path_of,
    parse_pointer,
    parse_pointer_files,
    pointer_path_of,
)
from mlvc.progress import SILENT, Progress
from mlvc.store.objects import ObjectStore
from mlvc.store.state import StatCache
from mlvc.workspace.results import (
    AddResult,
    CheckoutResult,
    FileChange,
    GcResult,
    PathStatus,
)

if TYPE_CHECKING:
    from mlvc.pipeline.runner import Announce, StageRun
    from mlvc.remotes.fetch import FetchResult
    from mlvc.remotes.push import PushResult
    from mlvc.remotes.remote import Remote


T = TypeVar("T")
MLVC_DIR = ".mlvc"
_INTERNAL_IGNORES = "/cache/\n/tmp/\n/state.db*\n/lock\n/config.local.toml\n"


class Repo:
    """An mlvc repository: a git work tree with a `.mlvc/` directory."""

    def __init__(self, path: str | Path = ".") -> None:
        self.root = find_worktree_root(Path(path))
        self.mlvc_dir = self.root / MLVC_DIR
        if not (self.mlvc_dir / CONFIG_NAME).is_file():
            raise NotInitializedError(self.root)

    @classmethod
    def init(cls, path: str | Path = ".") -> Repo:
        """Create `.mlvc/` in the work tree containing `path`; harmless when it exists."""
        root = find_worktree_root(Path(path))
        mlvc_dir = root / MLVC_DIR
        for directory in (mlvc_dir, mlvc_dir / "cache" / "packs", mlvc_dir / "tmp"):
            directory.mkdir(parents=True, exist_ok=True)
        if not (mlvc_dir / CONFIG_NAME).exists():
            write_document(mlvc_dir / CONFIG_NAME, default_document())
        ignore_file = mlvc_dir / ".gitignore"
        if not ignore_file.exists():
            ignore_file.write_text(_INTERNAL_IGNORES, encoding="utf-8")
        return cls(root)

    # -- parts, opened on first use -------------------------------------------------

    @cached_property
    def config(self) -> Config:
        """The merged configuration."""
        return load_config(self.mlvc_dir)

    @cached_property
    def store(self) -> ObjectStore:
        """The local cache of packs."""
        directory = self.mlvc_dir / "cache" / "packs"
        directory.mkdir(parents=True, exist_ok=True)
        return ObjectStore(directory, fsync=self.config.fsync)

    @cached_property
    def stat_cache(self) -> StatCache:
        """The (inode, size, mtime) -> oid cache."""
        (self.mlvc_dir / "tmp").mkdir(exist_ok=True)
        return StatCache(self.mlvc_dir / "state.db", self.mlvc_dir / "tmp" / "clock")

    @cached_property
    def history(self) -> GitHistory:
        """Pointer files at git revisions."""
        return GitHistory(self.root)

    @contextmanager
    def locked(self, *, exclusive: bool) -> Iterator[None]:
        """Hold the repository lock; writers take it exclusively."""
        with repository_lock(self.mlvc_dir / "lock", exclusive=exclusive):
            yield

    def close(self) -> None:
        """Save the stat cache and close open files."""
        if "stat_cache" in self.__dict__:
            self.stat_cache.close()
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- paths and pointers ---------------------------------------------------------

    def data_path(self, user_path: str | Path) -> str:
        """The repository-relative data path a user path names (a pointer names its data)."""
        absolute = Path(os.path.abspath(user_path))
        try:
            relative = absolute.relative_to(self.root).as_posix()
        except ValueError:
            raise PathOutsideRepositoryError(str(user_path), self.root) from None
        if relative == ".":
            raise UnsupportedPathError(str(user_path), "it is the root of the repository")
        if relative.endswith(POINTER_SUFFIX):
            relative = data_path_of(relative)
        first = relative.split("/", 1)[0]
        if first in (".git", MLVC_DIR):
            raise UnsupportedPathError(relative, f"it is inside {first}/")
        if "\n" in relative or "\r" in relative:
            raise UnsupportedPathError(relative, "its name contains a line break")
        return relative

    def tracked_paths(self) -> list[str]:
        """Data paths whose pointer file is in the workspace."""
        pointers = list_files(self.root, "*" + POINTER_SUFFIX)
        return [data_path_of(path) for path in pointers if (self.root / path).is_file()]

    def read_pointer(self, data_path: str) -> Pointer:
        """Parse the workspace pointer file of a tracked path."""
        pointer_path = pointer_path_of(data_path)
        return parse_pointer((self.root / pointer_path).read_bytes(), pointer_path)

    # -- commands -------------------------------------------------------------------

    def add(self, paths: Sequence[str | Path], progress: Progress = SILENT) -> list[AddResult]:
        """Store files and directories in the cache and write their pointer files."""
        from mlvc.workspace.add import add_paths

        return add_paths(self, [self.data_path(path) for path in paths], progress)

    def status(self) -> list[PathStatus]:
        """Compare every tracked path in the workspace with its pointer."""
        from mlvc.workspace.status import workspace_status

        return workspace_status(self)

    def checkout(
        self,
        paths: Sequence[str | Path] = (),
        *,
        force: bool = False,
        progress: Progress = SILENT,
    ) -> CheckoutResult:
        """Make the workspace match the pointer files, from the cache."""
        from mlvc.workspace.checkout import checkout_paths

        selected = [self.data_path(path) for path in paths] or None
        return checkout_paths(self, selected, force=force, progress=progress)

    def diff(self, old: str | None = None, new: str | None = None) -> list[FileChange]:
        """File-level changes between two revisions; `None` as `new` means the workspace."""
        from mlvc.workspace.diff import diff_revisions

        return diff_revisions(self, old or "HEAD", new)

    def remove(self, paths: Sequence[str | Path]) -> list[str]:
        """Stop tracking paths; their data stays in the workspace and the cache."""
        from mlvc.workspace.remove import remove_paths

        return remove_paths(self, [self.data_path(path) for path in paths])

    def gc(
        self,
        *,
        dry_run: bool = False,
        workspace_only: bool = False,
        remote: str | None = None,
        jobs: int | None = None,
        progress: Progress = SILENT,
    ) -> GcResult:
        """Delete data no pointer references: in the cache, or with `remote` in that remote.

        The cache keeps what the workspace and every commit reachable from a branch, a tag or
        HEAD reference (only the workspace with `workspace_only`); a remote keeps what those
        commits reference.
        """
        if remote is not None:
            from mlvc.remotes.remote_gc import collect_remote_garbage

            with self.locked(exclusive=True):
                opened = self.remote(remote)
                return collect_remote_garbage(
                    self, opened, dry_run=dry_run, jobs=opened.jobs(jobs), progress=progress
                )
        from mlvc.store.gc import collect_garbage

        return collect_garbage(self, dry_run=dry_run, workspace_only=workspace_only)

    # -- pipelines ------------------------------------------------------------------

    def repro(
        self,
        stages: Sequence[str] = (),
        *,
        dry_run: bool = False,
        force: bool = False,
        announce: Announce | None = None,
    ) -> list[StageRun]:
        """Run the stages whose inputs changed (and those downstream), in order."""
        from mlvc.pipeline.runner import reproduce

        return reproduce(self, list(stages), dry_run=dry_run, force=force, announce=announce)

    def validate(
        self, *, all_stages: bool = False, announce: Announce | None = None
    ) -> list[StageRun]:
        """Run the validation stages whose inputs changed (every one with `all_stages`)."""
        from mlvc.pipeline.runner import reproduce

        return reproduce(self, [], force=all_stages, only_validation=True, announce=announce)

    def stale_stages(self) -> list[StageRun]:
        """The stages repro would run and why; nothing runs."""
        if not (self.root / "mlvc.yaml").is_file():
            return []  # no pipeline: spare the imports
        from mlvc.pipeline.runner import stale_stages

        return stale_stages(self)

    # -- remotes --------------------------------------------------------------------

    def remote(self, name: str | None = None) -> Remote:
        """The remote called `name`, or the default remote, opened."""
        from mlvc.remotes.remote import Remote
        from mlvc.remotes.settings import choose_remote

        settings = choose_remote(self.mlvc_dir, name)
        return Remote(settings, self.root, self.mlvc_dir / "cache" / "remotes")

    def workspace_pointers(self, paths: Sequence[str | Path] = ()) -> list[tuple[str, Pointer]]:
        """(path, pointer) for the tracked paths named (all when none are)."""
        from mlvc.workspace.checkout import select_tracked

        selected = [self.data_path(path) for path in paths] or None
        return [
            (path, self.read_pointer(path))
            for path in select_tracked(self.tracked_paths(), selected)
        ]

    def revision_pointers(
        self, revisions: Sequence[str], all_commits: bool
    ) -> list[tuple[str, Pointer]]:
        """(path, pointer) for the pointers of some revisions, or of every reachable commit."""
        files = [item for rev in revisions for item in self.history.pointers_at(rev).items()]
        if all_commits:
            files.extend(self.history.reachable_pointers())
        return parse_pointer_files(files)

    def select_pointers(
        self, paths: Sequence[str | Path], revisions: Sequence[str], all_commits: bool
    ) -> list[tuple[str, Pointer]]:
        """Workspace pointers, or those of revisions / all commits, limited to `paths`."""
        if not revisions and not all_commits:
            return self.workspace_pointers(paths)
        pointers = self.revision_pointers(revisions, all_commits)
        if paths:
            wanted = [self.data_path(path) for path in paths]
            pointers = [item for item in pointers if any(covers(w, item[0]) for w in wanted)]
        return pointers

    def push(
        self,
        paths: Sequence[str | Path] = (),
        *,
        revisions: Sequence[str] = (),
        all_commits: bool = False,
        remote: str | None = None,
        jobs: int | None = None,
        progress: Progress = SILENT,
    ) -> PushResult:
        """Upload what the tracked paths (of the workspace, or of revisions) need and the
        remote lacks."""
        from mlvc.remotes.push import push_pointers

        pointers = self.select_pointers(paths, revisions, all_commits)
        return self._transfer(push_pointers, pointers, remote, jobs, progress, exclusive=False)

    def fetch(
        self,
        paths: Sequence[str | Path] = (),
        *,
        revisions: Sequence[str] = (),
        all_commits: bool = False,
        remote: str | None = None,
        jobs: int | None = None,
        progress: Progress = SILENT,
    ) -> FetchResult:
        """Download into the cache what the workspace pointers (or revisions) need."""
        from mlvc.remotes.fetch import fetch_pointers

        pointers = self.select_pointers(paths, revisions, all_commits)
        return self._transfer(fetch_pointers, pointers, remote, jobs, progress, exclusive=True)

    def _transfer(
        self,
        action: Callable[..., T],
        pointers: list[tuple[str, Pointer]],
        remote: str | None,
        jobs: int | None,
        progress: Progress,
        *,
        exclusive: bool,
    ) -> T:
        """Run a push or fetch under the repository lock (fetch writes the cache: exclusive)."""
        with self.locked(exclusive=exclusive):
            opened = self.remote(remote)
            return action(self, opened, pointers, jobs=opened.jobs(jobs), progress=progress)

    def pull(
        self,
        paths: Sequence[str | Path] = (),
        *,
        remote: str | None = None,
        jobs: int | None = None,
        force: bool = False,
        progress: Progress = SILENT,
    ) -> tuple[FetchResult, CheckoutResult]:
        """Fetch what the workspace pointers need, then check it out."""
        fetched = self.fetch(paths, remote=remote, jobs=jobs, progress=progress)
        return fetched, self.checkout(paths, force=force, progress=progress)

    def remote_status(self, remote: str | None = None, jobs: int | None = None) -> dict[str, int]:
        """Tracked path -> records not in the remote yet (fully pushed paths are left out)."""
        from mlvc.remotes.fetch import missing_from_remote

        with self.locked(exclusive=False):
            opened = self.remote(remote)
            return missing_from_remote(self, opened, self.workspace_pointers(), opened.jobs(jobs))
