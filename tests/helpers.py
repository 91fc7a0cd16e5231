"""Helpers for tests: git, files, snapshots and an in-process CLI runner."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlvc.cli import main


def git(cwd: Path, *args: str) -> str:
    """Run real git; fail the test on error."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def random_bytes(size: int, seed: int) -> bytes:
    """Reproducible random data."""
    return random.Random(seed).randbytes(size)


def write(path: Path, data: bytes | str, executable: bool = False) -> Path:
    """Create a file with its parents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if executable:
        path.chmod(0o755)
    return path


def tree_digest(root: Path) -> dict[str, tuple[str, str]]:
    """path -> (kind+mode, sha256 or link target) for everything below `root`."""
    found: dict[str, tuple[str, str]] = {}
    if root.is_file() and not root.is_symlink():
        return {"": (_mode(root), hashlib.sha256(root.read_bytes()).hexdigest())}
    for directory, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if (Path(directory) / d).is_symlink()]:
            path = Path(directory) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            else:
                found[rel] = (_mode(path), hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def _mode(path: Path) -> str:
    return "exec" if os.access(path, os.X_OK) else "file"


def dir_size(path: Path) -> int:
    """Bytes of every file below `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class Result:
    """What one CLI run produced."""

    code: int
    out: str
    err: str


class CliRunner:
    """Runs mlvc.cli.main in-process, capturing its streams and exit status."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str) -> Result:
        self._capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)


def run_mlvc(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run mlvc in a separate process (for signals and real exit statuses)."""
    return subprocess.run(
        [sys.executable, "-m", "mlvc", *args], cwd=cwd, capture_output=True, text=True
    )


@dataclass
class RemoteSpec:
    """A remote for a test: a local directory, or a bucket prefix on an S3 server."""

    kind: str
    url: str
    server: object | None
    bucket: str | None

    def configure(self, repo: Path, name: str = "store") -> None:
        """Define the remote in `repo` (committed config) and make it the default."""
        assert run_mlvc(repo, "remote", "add", name, self.url, "--default").returncode == 0
        if self.server is not None:
            endpoint = self.server.endpoint  # type: ignore[attr-defined]
            for key, value in (("endpoint_url", endpoint), ("region", "us-west-2")):
                result = run_mlvc(repo, "remote", "modify", name, key, value)
                assert result.returncode == 0, result.stderr

    def object_keys(self) -> list[str]:
        """Every object in the remote, relative to its root."""
        if self.server is None:
            root = Path(self.url)
            return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        client = self.server.client()  # type: ignore[attr-defined]
        keys: list[str] = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            keys.extend(item["Key"].split("/", 1)[1] for item in page.get("Contents", []))
        return sorted(keys)

    def read(self, key: str) -> bytes:
        """One object's bytes."""
        if self.server is None:
            return (Path(self.url) / key).read_bytes()
        client = self.server.client()  # type: ignore[attr-defined]
        return client.get_object(Bucket=self.bucket, Key=f"project/{key}")["Body"].read()

    def write(self, key: str, data: bytes) -> None:
        """Replace one object (to inject faults)."""
        if self.server is None:
            (Path(self.url) / key).write_bytes(data)
            return
        client = self.server.client()  # type: ignore[attr-defined]
        client.put_object(Bucket=self.bucket, Key=f"project/{key}", Body=data)
