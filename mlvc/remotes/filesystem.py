"""Opening a remote's fsspec filesystem from its settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlvc.errors import RemoteError
from mlvc.remotes.settings import RemoteSettings

# The pip extra (or package) that brings each protocol, for the error when it is missing.
_PACKAGE_HINTS = {
    "s3": "pip install 'mlvc[s3]' (s3fs)",
    "s3a": "pip install 'mlvc[s3]' (s3fs)",
    "gs": "pip install gcsfs",
    "gcs": "pip install gcsfs",
    "az": "pip install adlfs",
    "abfs": "pip install adlfs",
    "ssh": "pip install sshfs",
    "sftp": "pip install sshfs",
    "hf": "pip install huggingface_hub",
}
_LOCAL_PROTOCOLS = {None, "", "file", "local"}
MULTIPART_CHUNK = 5 * 1024 * 1024
"""Uploads of 10 MiB and more go in parts of this size (S3 multipart; 5 MiB is its minimum)."""


def split_url(url: str) -> tuple[str | None, str]:
    """('s3', 'bucket/prefix') for 's3://bucket/prefix'; (None, path) for a local path."""
    protocol, sep, rest = url.partition("://")
    if not sep:
        return None, url
    return protocol.lower(), rest


def open_filesystem(settings: RemoteSettings, repo_root: Path) -> tuple[Any, str]:
    """The filesystem and the root path inside it for a remote."""
    protocol, rest = split_url(settings.url)
    if protocol in _LOCAL_PROTOCOLS:
        from fsspec.implementations.local import LocalFileSystem

        root = Path(rest)
        if not root.is_absolute():
            root = repo_root / root  # relative to the work tree, as in DVC
        return LocalFileSystem(auto_mkdir=True), root.as_posix()
    import fsspec

    try:
        filesystem_class = fsspec.get_filesystem_class(protocol)
    except ImportError:
        hint = _PACKAGE_HINTS.get(protocol or "", f"install the fsspec package for {protocol}://")
        raise RemoteError(
            settings.name, settings.url, f"support is not installed: {hint}"
        ) from None
    except ValueError:
        raise RemoteError(settings.name, settings.url, f"unknown protocol '{protocol}'") from None
    options = _storage_options(protocol or "", settings.options)
    try:
        filesystem = filesystem_class(**options)
    except Exception as exc:
        raise RemoteError(settings.name, settings.url, f"cannot open: {exc}") from None
    return filesystem, rest.rstrip("/")


def _storage_options(protocol: str, options: dict[str, str]) -> dict[str, Any]:
    """fsspec constructor arguments for a protocol, from mlvc's option names."""
    result: dict[str, Any] = {"skip_instance_cache": True}
    if protocol in ("s3", "s3a"):
        client: dict[str, Any] = {}
        if "endpoint_url" in options:
            result["endpoint_url"] = options["endpoint_url"]
        if "region" in options:
            client["region_name"] = options["region"]
        if "profile" in options:
            result["profile"] = options["profile"]
        for ours, theirs in (
            ("access_key_id", "key"),
            ("secret_access_key", "secret"),
            ("session_token", "token"),
        ):
            if ours in options:
                result[theirs] = options[ours]
        result["client_kwargs"] = client
        # Fail fast on a wrong endpoint; mlvc retries transient errors itself.
        result["config_kwargs"] = {
            "connect_timeout": 5,
            "retries": {"max_attempts": 2},
            # mlvc checks every record itself; botocore's extra CRCs only cost memory and time
            "request_checksum_calculation": "when_required",
            "response_checksum_validation": "when_required",
        }
    else:
        passthrough = {"endpoint_url", "region", "profile", "password", "token", "account_key"}
        result.update({k: v for k, v in options.items() if k in passthrough})
    return result
