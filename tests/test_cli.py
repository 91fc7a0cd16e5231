"""The command line: output, JSON, repeated init, rm, progress in logs."""

from __future__ import annotations

import json
from pathlib import Path

from mlvc.cli.output import PlainProgress, stderr_console
from mlvc.fsutil import human_size
from tests.helpers import git, random_bytes, run_mlvc, write


def test_init_twice_is_harmless(git_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").code == 0
    config = (git_dir / ".mlvc" / "config.toml").read_text()
    assert "avg_size = 65536" in config
    (git_dir / ".mlvc" / "config.toml").write_text(config + "# mine\n")
    assert cli("init").code == 0
    assert (git_dir / ".mlvc" / "config.toml").read_text().endswith("# mine\n")
    internal = [
        ".mlvc/cache/packs/x.pack",
        ".mlvc/lock",
        ".mlvc/state.db",
        ".mlvc/tmp/clock",
        ".mlvc/config.local.toml",
    ]
    assert git(git_dir, "check-ignore", *internal).split() == internal
    untracked = git(git_dir, "status", "--porcelain", "--untracked-files=all")
    assert untracked == "?? .mlvc/.gitignore\n?? .mlvc/config.toml\n"


def test_add_prints_what_to_commit_and_ignores_the_data(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "my data" / "x.bin", random_bytes(10_000, 1))
    result = cli("add", "my data")
    assert result.code == 0
    assert "added my data (1 files, 9.8 KiB, 9.8 KiB new in the cache)" in result.out
    assert "git add 'my data.mlvc' .gitignore" in result.out
    porcelain = git(repo_dir, "status", "--porcelain", "--untracked-files=all")
    assert '?? "my data.mlvc"' in porcelain and "x.bin" not in porcelain
    again = cli("add", "my data")
    assert "unchanged my data" in again.out and "0 B new" in again.out


def test_rm_stops_tracking_and_keeps_data(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "f.bin", "data")
    cli("add", "f.bin")
    assert "/f.bin" in (repo_dir / ".gitignore").read_text()
    result = cli("rm", "f.bin.mlvc")
    assert result.code == 0 and "stopped tracking f.bin" in result.out
    assert not (repo_dir / "f.bin.mlvc").exists()
    assert (repo_dir / "f.bin").read_text() == "data"
    assert "/f.bin" not in (repo_dir / ".gitignore").read_text()
    assert json.loads(cli("status", "--json").out) == {"paths": [], "stages": []}


def test_diff_json_between_revisions_and_workspace(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "d" / "a.txt", "one")
    cli("add", "d")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "one")
    write(repo_dir / "d" / "a.txt", "three")
    write(repo_dir / "d" / "b.txt", "new")
    changes = json.loads(cli("diff", "--json").out)
    assert [(c["path"], c["change"], c["old_size"], c["new_size"]) for c in changes] == [
        ("d/a.txt", "modified", 3, 5),
        ("d/b.txt", "added", None, 3),
    ]
    cli("add", "d")
    git(repo_dir, "commit", "-q", "-am", "two")
    assert json.loads(cli("diff", "HEAD~1", "HEAD", "--json").out) == changes
    assert cli("diff").out == "No changes.\n"
    assert json.loads(cli("diff", "HEAD~2", "HEAD", "--json").out)[0]["change"] == "added"


def test_gc_json_and_dry_run(repo_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(repo_dir / "f.bin", random_bytes(50_000, 1))
    cli("add", "f.bin")
    write(repo_dir / "f.bin", random_bytes(50_000, 2))
    cli("add", "f.bin")
    dry = json.loads(cli("gc", "--dry-run", "--json").out)
    assert dry["dry_run"] is True and dry["bytes_freed"] >= 50_000
    assert "freed" in cli("gc").out
    assert json.loads(cli("gc", "--json").out)["bytes_freed"] == 0


def test_progress_in_logs_is_a_plain_line_every_interval(capsys) -> None:  # type: ignore[no-untyped-def]
    progress = PlainProgress(stderr_console(), interval=0.0)
    progress.begin("Adding", 2048)
    progress.advance(1024)
    progress.end()
    err = capsys.readouterr().err
    assert "Adding: 1.0 KiB / 2.0 KiB (50%)" in err
    assert "\r" not in err and "\x1b" not in err


def test_quiet_and_non_terminal_output(repo_dir: Path) -> None:
    write(repo_dir / "f.bin", random_bytes(10_000, 1))
    quiet = run_mlvc(repo_dir, "add", "-q", "f.bin")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    status = run_mlvc(repo_dir, "status")
    assert status.stdout == "f.bin: unchanged\n" and status.stderr == ""


def test_help_and_usage_errors(repo_dir: Path) -> None:
    assert "checkout" in run_mlvc(repo_dir, "--help").stdout
    usage = run_mlvc(repo_dir, "add")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_human_sizes() -> None:
    assert [human_size(n) for n in (0, 1023, 1536, 5 * 1024**3)] == [
        "0 B",
        "1023 B",
        "1.5 KiB",
        "5.0 GiB",
    ]


def test_a_terminal_gets_a_progress_bar(repo_dir: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    write(repo_dir / "big.bin", random_bytes(64 * 1024 * 1024, 3))
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlvc", "add", "big.bin"],
        cwd=repo_dir,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        output += data
    assert process.wait() == 0
    text = output.decode("utf-8", "replace")
    assert "Adding" in text and "\x1b[" in text  # drawn with escape sequences
    assert "added big.bin" in text
