"""The one exception hierarchy of mlvc.

Every error a user can cause is an `MlvcError`. Subclasses keep the facts as
fields and build their own one-line message, so the CLI prints `str(error)`
and exits with `error.exit_code`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def _list_paths(paths: Iterable[str], limit: int = 5) -> str:
    """Join paths for a one-line message, eliding past `limit`."""
    items = sorted(paths)
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit} more"
    return shown


class MlvcError(Exception):
    """Root of every error mlvc raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAGitRepositoryError(MlvcError):
    """The working directory is not inside a git work tree."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"not inside a git work tree: {path} (run 'git init' first)")


class NotInitializedError(MlvcError):
    """The git work tree has no `.mlvc/` directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        super().__init__(f"mlvc is not initialized in {root} (run 'mlvc init')")


class PathOutsideRepositoryError(MlvcError):
    """A path given on the command line lies outside the work tree."""

    def __init__(self, path: str, root: Path) -> None:
        self.path = path
        self.root = root
        super().__init__(f"path is outside the repository {root}: {path}")


class UnsupportedPathError(MlvcError):
    """A path mlvc cannot track (special file, bad name, internal path...)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot track {path}: {reason}")


class PathNotFoundError(MlvcError):
    """A path given to a command does not exist."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no such file or directory: {path}")


class TrackedByGitError(MlvcError):
    """The path (or something inside it) is already tracked by git itself."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path} is tracked by git; untrack it first with 'git rm -r --cached {path}'"
        )


class OverlappingPathError(MlvcError):
    """A new tracked path would contain or sit inside an existing one."""

    def __init__(self, path: str, existing: str) -> None:
        self.path = path
        self.existing = existing
        super().__init__(f"{path} overlaps the tracked path {existing}")


class NotTrackedError(MlvcError):
    """A command named a path mlvc does not track."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} is not tracked by mlvc (no {path}.mlvc)")


class PointerFormatError(MlvcError):
    """A pointer file cannot be parsed."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"invalid pointer file {path}: {reason}")


class TreeFormatError(MlvcError):
    """A directory tree object cannot be parsed."""

    def __init__(self, oid_text: str, reason: str) -> None:
        self.oid_text = oid_text
        self.reason = reason
        super().__init__(f"invalid tree object {oid_text}: {reason}")


class StoreFormatError(MlvcError):
    """A pack or index file in a store is damaged or of an unknown version."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"damaged store file {path}: {reason}")


class CorruptObjectError(MlvcError):
    """An object read back from a store does not match its id."""

    def __init__(self, oid_text: str, location: str) -> None:
        self.oid_text = oid_text
        self.location = location
        super().__init__(f"object {oid_text} in {location} is corrupt (hash mismatch)")


class MissingDataError(MlvcError):
    """Data referenced by pointers is not in the cache."""

    def __init__(self, paths: Iterable[str], hint: str = "") -> None:
        self.paths = sorted(paths)
        message = f"data not in the cache for: {_list_paths(self.paths)}"
        super().__init__(message + (f" ({hint})" if hint else ""))


class LocalChangesError(MlvcError):
    """Checkout would overwrite workspace data that no pointer records."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = sorted(paths)
        super().__init__(
            "checkout would overwrite or delete local changes that are not in the cache: "
            f"{_list_paths(self.paths)} (run 'mlvc add' to keep them, or use --force)"
        )


class FileChangedError(MlvcError):
    """A file changed while mlvc was reading it."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} changed while it was being read; try again")


class RevisionError(MlvcError):
    """A git revision cannot be resolved."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(f"unknown git revision: {revision}")


class GitCommandError(MlvcError):
    """A `git` subprocess failed."""

    def __init__(self, command: str, detail: str) -> None:
        self.command = command
        self.detail = detail
        super().__init__(f"'{command}' failed: {detail}")


class ConfigError(MlvcError):
    """A configuration file or value is invalid."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path = path
        self.key = key
        self.reason = reason
        where = f"{path}: {key}" if key else path
        super().__init__(f"invalid configuration {where}: {reason}")


class LockTimeoutError(MlvcError):
    """Another mlvc process holds the repository lock."""

    def __init__(self, lock_path: Path, seconds: float) -> None:
        self.lock_path = lock_path
        self.seconds = seconds
        super().__init__(
            f"another mlvc process is using this repository (waited {seconds:.0f} s "
            f"for {lock_path})"
        )


class RemoteNotFoundError(MlvcError):
    """No remote of that name, or no default remote."""

    def __init__(self, name: str | None, known: list[str]) -> None:
        self.name = name
        self.known = known
        listing = ", ".join(known) if known else "none defined yet: 'mlvc remote add NAME URL'"
        if name is None:
            message = f"no default remote: name one with -r (remotes: {listing})"
        else:
            message = f"no remote named '{name}' (remotes: {listing})"
        super().__init__(message)


class RemoteError(MlvcError):
    """A remote could not be reached or used."""

    def __init__(self, name: str, url: str, detail: str) -> None:
        self.name = name
        self.url = url
        self.detail = detail
        super().__init__(f"remote '{name}' ({url}): {detail}")


class RemoteDataError(MlvcError):
    """Data in a remote is missing or corrupt; names the tracked files affected."""

    def __init__(self, name: str, problem: str, paths: Iterable[str]) -> None:
        self.name = name
        self.problem = problem
        self.paths = sorted(paths)
        super().__init__(
            f"remote '{name}': {problem} for {_list_paths(self.paths)}; the workspace is unchanged"
        )


class RemoteBusyError(MlvcError):
    """Another process holds a conflicting lock in the remote."""

    def __init__(self, name: str, holder: str) -> None:
        self.name = name
        self.holder = holder
        super().__init__(f"remote '{name}' is busy: {holder}; try again when it is done")


class PipelineError(MlvcError):
    """mlvc.yaml is invalid; names the file and, when it can, the stage."""

    def __init__(self, file: str, stage: str | None, reason: str) -> None:
        self.file = file
        self.stage = stage
        self.reason = reason
        where = f"{file}, stage '{stage}'" if stage else file
        super().__init__(f"{where}: {reason}")


class StageFailedError(MlvcError):
    """A stage's command failed; the run stops with its exit status."""

    def __init__(self, stage: str, status: int, detail: str = "") -> None:
        self.stage = stage
        self.status = status
        self.exit_code = status if 0 < status < 256 else 1
        extra = f": {detail}" if detail else ""
        super().__init__(f"stage '{stage}' failed with exit status {status}{extra}")


class ValidationFailedError(MlvcError):
    """A validation stage's metrics do not meet its thresholds."""

    def __init__(self, stage: str, failures: list[str]) -> None:
        self.stage = stage
        self.failures = failures
        super().__init__(f"validation '{stage}' failed: {'; '.join(failures)}")


class HookError(MlvcError):
    """A hook cannot be installed, or refuses the git operation it guards."""

    def __init__(self, hook: str, reason: str) -> None:
        self.hook = hook
        self.reason = reason
        super().__init__(f"{hook} hook: {reason}")
