"""Fixtures: every test runs with its own HOME and git config, in real temporary git repos."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest

from tests.helpers import CliRunner, RemoteSpec, git
from tests.s3servers import ACCESS_KEY, SECRET_KEY, S3Server, start_moto, start_seaweedfs

_SESSION_HOME: Path | None = None


def _write_gitconfig(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = mlvc tests\n\temail = tests@mlvc.invalid\n"
        "[init]\n\tdefaultBranch = main\n"
        "[advice]\n\tdetachedHead = false\n"
    )


@pytest.fixture(scope="session", autouse=True)
def _pygit2_global_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """libgit2 reads its global config path once, so point it at a test home up front."""
    global _SESSION_HOME
    _SESSION_HOME = tmp_path_factory.mktemp("home")
    _write_gitconfig(_SESSION_HOME)
    for level in (
        pygit2.enums.ConfigLevel.GLOBAL,
        pygit2.enums.ConfigLevel.XDG,
        pygit2.enums.ConfigLevel.SYSTEM,
    ):
        pygit2.settings.search_path[level] = str(_SESSION_HOME)


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private HOME, XDG dirs and git config; no inherited GIT_* or MLVC_* variables."""
    home = tmp_path / "home"
    _write_gitconfig(home)
    for name in list(os.environ):
        if name.startswith(("GIT_", "MLVC_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def git_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git work tree, made the current directory."""
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def repo_dir(git_dir: Path) -> Path:
    """A git work tree with `mlvc init` done and its setup committed."""
    from mlvc import Repo

    Repo.init(git_dir)
    git(git_dir, "add", ".mlvc")
    git(git_dir, "commit", "-q", "-m", "mlvc init")
    return git_dir


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[CliRunner]:
    """Run `mlvc` in-process through its real entry point."""
    yield CliRunner(capsys)


# -- remotes: a local directory, moto and SeaweedFS -----------------------------------


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """moto's standalone S3 server on a free port, for the whole session."""
    server = start_moto(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seaweedfs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """A SeaweedFS `weed mini` cluster on free ports, for the whole session."""
    server = start_seaweedfs(tmp_path_factory.mktemp("weed"))
    yield server
    server.stop()


@pytest.fixture(params=["local", "moto", "seaweedfs"])
def remote(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> RemoteSpec:
    """A fresh, empty remote of each kind, with credentials in the environment."""
    kind = request.param
    if kind == "local":
        return RemoteSpec(kind, str(tmp_path / "remote-store"), None, None)
    server = request.getfixturevalue(f"{kind}_server")
    bucket = f"bkt-{next(_BUCKETS)}"
    server.create_bucket(bucket)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    return RemoteSpec(kind, f"s3://{bucket}/project", server, bucket)


_BUCKETS = itertools.count(1)
