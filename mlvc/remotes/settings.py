"""Remote definitions in the configuration files.

As in DVC, `mlvc remote add/modify/remove` write the committed
`.mlvc/config.toml`, so every clone knows the remote; with `--local` they
write the git-ignored `.mlvc/config.local.toml`. Secrets are accepted only in
the local file; a committed secret is an error rather than silently used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlvc.config import CONFIG_NAME, LOCAL_CONFIG_NAME, read_document, write_document
from mlvc.errors import ConfigError, RemoteNotFoundError

SECRET_KEYS = frozenset(
    {"access_key_id", "secret_access_key", "session_token", "password", "token", "account_key"}
)
REMOTE_KEYS = frozenset({"url", "endpoint_url", "region", "profile", "jobs"}) | SECRET_KEYS
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class RemoteSettings:
    """One remote: its name and its options (committed values overridden by local ones)."""

    name: str
    options: dict[str, str]

    @property
    def url(self) -> str:
        """Where the remote lives."""
        return self.options["url"]


def _paths(mlvc_dir: Path, local: bool) -> Path:
    return mlvc_dir / (LOCAL_CONFIG_NAME if local else CONFIG_NAME)


def _check_committed_secrets(path: Path, document: dict[str, Any]) -> None:
    for name, options in document.get("remote", {}).items():
        for key in options:
            if key in SECRET_KEYS:
                raise ConfigError(
                    str(path),
                    f"remote.{name}.{key}",
                    f"secrets belong in {LOCAL_CONFIG_NAME}, which git ignores "
                    "(use 'mlvc remote modify --local')",
                )


def read_remotes(mlvc_dir: Path) -> tuple[dict[str, RemoteSettings], str | None]:
    """Every remote, and the name of the default one (None if unset)."""
    committed_path = _paths(mlvc_dir, local=False)
    committed = read_document(committed_path)
    local = read_document(_paths(mlvc_dir, local=True))
    _check_committed_secrets(committed_path, committed)
    merged: dict[str, dict[str, str]] = {}
    for document in (committed, local):
        for name, options in document.get("remote", {}).items():
            if not isinstance(options, dict):
                raise ConfigError(str(committed_path), f"remote.{name}", "must be a table")
            merged.setdefault(name, {}).update({k: str(v) for k, v in options.items()})
    remotes = {}
    for name, options in merged.items():
        if "url" not in options:
            raise ConfigError(str(committed_path), f"remote.{name}.url", "is missing")
        remotes[name] = RemoteSettings(name, options)
    default = local.get("core", {}).get("remote") or committed.get("core", {}).get("remote")
    return remotes, default


def choose_remote(mlvc_dir: Path, name: str | None) -> RemoteSettings:
    """The remote called `name`, or the default remote."""
    remotes, default = read_remotes(mlvc_dir)
    chosen = name or default
    if chosen is None:
        if len(remotes) == 1:
            return next(iter(remotes.values()))
        raise RemoteNotFoundError(None, sorted(remotes))
    if chosen not in remotes:
        raise RemoteNotFoundError(chosen, sorted(remotes))
    return remotes[chosen]


def add_remote(mlvc_dir: Path, name: str, url: str, *, default: bool, local: bool) -> None:
    """Define a remote (an existing one of that name is an error)."""
    if not _NAME.match(name):
        raise ConfigError(name, "", "a remote name uses letters, digits, '.', '_' and '-'")
    if name in read_remotes(mlvc_dir)[0]:
        raise ConfigError(name, "", f"a remote named '{name}' exists (use 'mlvc remote modify')")
    path = _paths(mlvc_dir, local)
    document = read_document(path)
    document.setdefault("remote", {})[name] = {"url": url}
    if default:
        document.setdefault("core", {})["remote"] = name
    write_document(path, document)


def modify_remote(mlvc_dir: Path, name: str, key: str, value: str | None, *, local: bool) -> None:
    """Set (or with value None, unset) one option of a remote."""
    if name not in read_remotes(mlvc_dir)[0]:
        raise RemoteNotFoundError(name, sorted(read_remotes(mlvc_dir)[0]))
    if key not in REMOTE_KEYS:
        known = ", ".join(sorted(REMOTE_KEYS))
        raise ConfigError(f"remote.{name}", key, f"unknown option (known: {known})")
    if key in SECRET_KEYS and not local:
        raise ConfigError(
            f"remote.{name}", key, "a secret is written only with --local, never committed"
        )
    path = _paths(mlvc_dir, local)
    document = read_document(path)
    options = document.setdefault("remote", {}).setdefault(name, {})
    if value is None:
        options.pop(key, None)
    else:
        options[key] = value
    write_document(path, document)


def remove_remote(mlvc_dir: Path, name: str) -> None:
    """Forget a remote in both files (its data stays where it is)."""
    if name not in read_remotes(mlvc_dir)[0]:
        raise RemoteNotFoundError(name, sorted(read_remotes(mlvc_dir)[0]))
    for local in (False, True):
        path = _paths(mlvc_dir, local)
        document = read_document(path)
        changed = document.get("remote", {}).pop(name, None) is not None
        if document.get("core", {}).get("remote") == name:
            del document["core"]["remote"]
            changed = True
        if changed:
            write_document(path, document)


def set_default_remote(mlvc_dir: Path, name: str, *, local: bool) -> None:
    """Make `name` the remote used when none is named."""
    if name not in read_remotes(mlvc_dir)[0]:
        raise RemoteNotFoundError(name, sorted(read_remotes(mlvc_dir)[0]))
    path = _paths(mlvc_dir, local)
    document = read_document(path)
    document.setdefault("core", {})["remote"] = name
    write_document(path, document)
