"""Fixtures: every test runs with its own HOME and git config, in real temporary git repos."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest

from tests.helpers import CliRunner, git

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
