"""Bad input: a one-line error, a non-zero exit, and nothing changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import git, random_bytes, run_mlvc, tree_digest, write


def _everything(root: Path) -> dict[str, tuple[str, str]]:
    digest = tree_digest(root)
    return {path: value for path, value in digest.items() if not path.startswith(".git/")}


def _assert_one_line_failure(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mlvc: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def tracked(repo_dir: Path) -> Path:
    write(repo_dir / "data" / "a.bin", random_bytes(300_000, 1))
    write(repo_dir / "model.bin", random_bytes(100_000, 2))
    assert run_mlvc(repo_dir, "add", "data", "model.bin").returncode == 0
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "data")
    return repo_dir


@pytest.mark.parametrize(
    ("setup", "args", "fragment"),
    [
        (
            lambda r: (r / "model.bin.mlvc").write_bytes(b"\x00garbage\xff"),
            ["status"],
            "invalid pointer file model.bin.mlvc",
        ),
        (
            lambda r: (r / "model.bin.mlvc").write_text("version: mlvc/1\nkind: file\n"),
            ["checkout"],
            "missing key 'oid'",
        ),
        (
            lambda r: (r / "model.bin.mlvc").write_text(
                "version: mlvc/1\nkind: file\noid: xxh128:" + "ab" * 16 + "\nsize: 5\nfiles: 1\n"
            ),
            ["checkout"],
            "data not in the cache for: model.bin",
        ),
        (lambda r: None, ["add", "../outside.bin"], "outside the repository"),
        (
            lambda r: write(r / "code.py", "print(1)\n") and git(r, "add", "code.py"),
            ["add", "code.py"],
            "code.py is tracked by git",
        ),
        (lambda r: None, ["add", "nope.bin"], "no such file or directory: nope.bin"),
        (lambda r: None, ["add", "data/a.bin"], "overlaps the tracked path data"),
        (lambda r: None, ["add", ".mlvc/config.toml"], "inside .mlvc/"),
        (lambda r: None, ["rm", "untracked.bin"], "not tracked by mlvc"),
        (lambda r: None, ["diff", "no-such-rev"], "unknown git revision: no-such-rev"),
    ],
)
def test_bad_input_changes_nothing(tracked: Path, setup, args, fragment) -> None:  # type: ignore[no-untyped-def]
    write(tracked.parent / "outside.bin", b"outside")
    setup(tracked)
    before = _everything(tracked)
    result = run_mlvc(tracked, *args)
    _assert_one_line_failure(result, fragment)
    assert _everything(tracked) == before


def test_outside_a_git_repository(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    for args in (["init"], ["status"], ["add", "x"]):
        _assert_one_line_failure(run_mlvc(outside, *args), "not inside a git work tree")
    assert list(outside.iterdir()) == []


def test_not_initialized(git_dir: Path) -> None:
    _assert_one_line_failure(run_mlvc(git_dir, "status"), "run 'mlvc init'")


def test_checkout_refuses_to_overwrite_unrecorded_changes(tracked: Path) -> None:
    model = tracked / "model.bin"
    model.write_bytes(b"precious local edit")
    extra = write(tracked / "data" / "new.bin", b"not added")
    git(tracked, "checkout", "--", "model.bin.mlvc")
    result = run_mlvc(tracked, "checkout")
    _assert_one_line_failure(result, "local changes")
    assert "model.bin" in result.stderr
    assert model.read_bytes() == b"precious local edit"
    assert extra.exists()
    forced = run_mlvc(tracked, "checkout", "--force")
    assert forced.returncode == 0, forced.stderr
    assert model.read_bytes() == random_bytes(100_000, 2)
    assert not extra.exists()


def test_checkout_replaces_changes_that_are_in_the_cache(tracked: Path) -> None:
    model = tracked / "model.bin"
    model.write_bytes(b"version two")
    assert run_mlvc(tracked, "add", "model.bin").returncode == 0
    git(tracked, "checkout", "--", "model.bin.mlvc")
    result = run_mlvc(tracked, "checkout", "model.bin")
    assert result.returncode == 0, result.stderr
    assert model.read_bytes() == random_bytes(100_000, 2)
