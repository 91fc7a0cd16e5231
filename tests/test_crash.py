"""A SIGKILL in the middle of `mlvc add` leaves the cache usable."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import git, run_mlvc

MIB = 1024 * 1024


def _write_big_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as stream:
        for _ in range(size // (8 * MIB)):
            block = os.urandom(8 * MIB)
            digest.update(block)
            stream.write(block)
    return digest.hexdigest()


def test_sigkill_during_add(repo_dir: Path) -> None:
    packs = repo_dir / ".mlvc" / "cache" / "packs"
    content = _write_big_file(repo_dir / "big.bin", 320 * MIB)
    process = subprocess.Popen(
        [sys.executable, "-m", "mlvc", "add", "big.bin"],
        cwd=repo_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        partial = [p for p in packs.glob("*.tmp") if p.stat().st_size > 8 * MIB]
        if partial and list(packs.glob("*.idx")):
            break
        time.sleep(0.01)
    else:
        raise AssertionError("mlvc add never got half-way")
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert not (repo_dir / "big.bin.mlvc").exists(), "killed before any pointer was written"
    assert list(packs.glob("*.tmp")), "the kill left a partial pack behind"

    added = run_mlvc(repo_dir, "add", "big.bin")
    assert added.returncode == 0, added.stderr
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "big")

    gc = run_mlvc(repo_dir, "gc")
    assert gc.returncode == 0, gc.stderr
    assert "freed 0 B" not in gc.stdout
    assert not list(packs.glob("*.tmp"))

    (repo_dir / "big.bin").unlink()
    restored = run_mlvc(repo_dir, "checkout")
    assert restored.returncode == 0, restored.stderr
    assert hashlib.sha256((repo_dir / "big.bin").read_bytes()).hexdigest() == content


def test_ctrl_c_during_add_exits_130_and_leaves_no_temporary_file(repo_dir: Path) -> None:
    _write_big_file(repo_dir / "big.bin", 256 * MIB)
    packs = repo_dir / ".mlvc" / "cache" / "packs"
    process = subprocess.Popen(
        [sys.executable, "-m", "mlvc", "add", "big.bin"],
        cwd=repo_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(packs.glob("*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate()
    assert process.returncode == 130, err
    assert err == "mlvc: interrupted\n"
    assert not list(packs.glob("*.tmp"))
    assert not (repo_dir / "big.bin.mlvc").exists()
