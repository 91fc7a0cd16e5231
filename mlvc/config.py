"""Repository configuration: `.mlvc/config.toml` (committed) and `.mlvc/config.local.toml`.

The committed file holds what every clone must agree on (the chunking
parameters, so chunk boundaries and dedupe stay stable). The local file is
git-ignored and may override machine-specific settings such as `core.fsync`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlvc.chunking import ChunkParams
from mlvc.errors import ConfigError
from mlvc.fsutil import write_file_atomic

CONFIG_NAME = "config.toml"
LOCAL_CONFIG_NAME = "config.local.toml"
CONFIG_FORMAT = 1
DEFAULT_JOBS = 4
"""Parallel transfers to and from a remote when none is asked for."""


@dataclass(frozen=True)
class Config:
    """The settings mlvc acts on, merged from the committed and local files."""

    chunking: ChunkParams
    fsync: bool
    hooks_fetch: bool = True
    """Whether checkout/merge hooks fetch missing data from the default remote."""
    hooks_repro: bool = False
    """Whether checkout/merge hooks run `mlvc repro` after updating the data."""


def default_document() -> dict[str, Any]:
    """The committed configuration `mlvc init` writes."""
    params = ChunkParams()
    return {
        "core": {"format": CONFIG_FORMAT},
        "chunking": {
            "min_size": params.min_size,
            "avg_size": params.avg_size,
            "max_size": params.max_size,
        },
    }


def read_document(path: Path) -> dict[str, Any]:
    """Parse one TOML file; a missing file is an empty document."""
    try:
        with open(path, "rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", str(exc)) from None


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Write one TOML file atomically."""
    import tomli_w  # only writers pay for the import

    write_file_atomic(path, tomli_w.dumps(document).encode("utf-8"))


def load_config(mlvc_dir: Path) -> Config:
    """Read and check the configuration of the repository whose `.mlvc/` is `mlvc_dir`."""
    committed_path = mlvc_dir / CONFIG_NAME
    committed = read_document(committed_path)
    local = read_document(mlvc_dir / LOCAL_CONFIG_NAME)
    core = committed.get("core", {})
    version = core.get("format", CONFIG_FORMAT)
    if version != CONFIG_FORMAT:
        raise ConfigError(str(committed_path), "core.format", f"unsupported version {version}")
    chunking = committed.get("chunking", {})
    params = ChunkParams(
        _integer(chunking, "min_size", ChunkParams.min_size, committed_path),
        _integer(chunking, "avg_size", ChunkParams.avg_size, committed_path),
        _integer(chunking, "max_size", ChunkParams.max_size, committed_path),
    )
    problem = params.validate()
    if problem:
        raise ConfigError(str(committed_path), "chunking", problem)
    return Config(
        chunking=params,
        fsync=_flag(committed, local, "core", "fsync", False, mlvc_dir),
        hooks_fetch=_flag(committed, local, "hooks", "fetch", True, mlvc_dir),
        hooks_repro=_flag(committed, local, "hooks", "repro", False, mlvc_dir),
    )


def _flag(
    committed: dict[str, Any],
    local: dict[str, Any],
    section: str,
    key: str,
    default: bool,
    mlvc_dir: Path,
) -> bool:
    """A true/false setting; the local file wins over the committed one."""
    value = local.get(section, {}).get(key, committed.get(section, {}).get(key, default))
    if not isinstance(value, bool):
        raise ConfigError(str(mlvc_dir / CONFIG_NAME), f"{section}.{key}", "must be true or false")
    return value


def _integer(section: dict[str, Any], key: str, default: int, path: Path) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(str(path), f"chunking.{key}", "must be an integer")
    return value
