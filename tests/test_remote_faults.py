"""Remotes under stress: dedupe on the wire, many small files, corruption, kills, bad settings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import RemoteSpec, git, random_bytes, run_mlvc, tree_digest, write
from tests.s3servers import S3Server

MIB = 1024 * 1024


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mlvc: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def _commit_and_clone(repo: Path, name: str = "clone") -> Path:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data")
    target = repo.parent / name
    subprocess.run(["git", "clone", "-q", str(repo), str(target)], check=True)
    return target


@pytest.fixture
def moto_remote(remote: RemoteSpec) -> RemoteSpec:
    return remote


@pytest.mark.parametrize("remote", ["moto"], indirect=True)
def test_a_1_mib_edit_of_a_64_mib_file_pushes_under_2_mib(
    repo_dir: Path, remote: RemoteSpec
) -> None:
    remote.configure(repo_dir)
    original = random_bytes(64 * MIB, 31)
    model = write(repo_dir / "model.bin", original)
    _ok(run_mlvc(repo_dir, "add", "model.bin"))
    first = json.loads(_ok(run_mlvc(repo_dir, "push", "--json")).stdout)
    assert first["bytes_sent"] >= 64 * MIB
    edited = bytearray(original)
    edited[32 * MIB : 33 * MIB] = random_bytes(MIB, 32)
    model.write_bytes(bytes(edited))
    _ok(run_mlvc(repo_dir, "add", "model.bin"))
    second = json.loads(_ok(run_mlvc(repo_dir, "push", "--json")).stdout)
    assert 0 < second["bytes_sent"] < 2 * MIB


@pytest.mark.parametrize("remote", ["local", "moto"], indirect=True)
def test_20000_small_files_make_few_remote_objects(repo_dir: Path, remote: RemoteSpec) -> None:
    remote.configure(repo_dir)
    data = repo_dir / "images"
    for index in range(20_000):
        write(
            data / f"d{index % 50:02d}" / f"img{index:05d}.bin",
            random_bytes(100 + index % 2000, index),
        )
    _ok(run_mlvc(repo_dir, "add", "images"))
    _ok(run_mlvc(repo_dir, "push"))
    assert len(remote.object_keys()) < 50
    clone = _commit_and_clone(repo_dir)
    _ok(run_mlvc(clone, "pull"))
    assert tree_digest(clone / "images") == tree_digest(data)


@pytest.mark.parametrize("remote", ["local", "moto", "seaweedfs"], indirect=True)
def test_a_flipped_byte_in_the_remote_is_named_and_changes_nothing(
    repo_dir: Path, remote: RemoteSpec
) -> None:
    remote.configure(repo_dir)
    write(repo_dir / "data" / "good.bin", random_bytes(5000, 1))
    write(repo_dir / "data" / "victim.bin", random_bytes(400_000, 2))
    _ok(run_mlvc(repo_dir, "add", "data"))
    _ok(run_mlvc(repo_dir, "push"))
    pack = next(key for key in remote.object_keys() if key.endswith(".pack"))
    raw = bytearray(remote.read(pack))
    raw[len(raw) // 2] ^= 0x01  # inside victim.bin's chunks, by far the largest records
    remote.write(pack, bytes(raw))
    clone = _commit_and_clone(repo_dir)
    result = run_mlvc(clone, "pull")
    _one_line_error(
        result, "remote 'store'", "corrupt", "data/victim.bin", "workspace is unchanged"
    )
    assert not (clone / "data").exists()


@pytest.mark.parametrize("remote", ["moto"], indirect=True)
def test_a_push_killed_half_way_completes_when_run_again(
    repo_dir: Path, remote: RemoteSpec
) -> None:
    remote.configure(repo_dir)
    with open(repo_dir / "big.bin", "wb") as stream:
        for _ in range(12):
            stream.write(os.urandom(16 * MIB))
    _ok(run_mlvc(repo_dir, "add", "big.bin"))
    process = subprocess.Popen(
        [sys.executable, "-m", "mlvc", "push", "-j", "1"], cwd=repo_dir,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(key.endswith(".idx") for key in remote.object_keys()):
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    uploaded = [key for key in remote.object_keys() if key.endswith(".idx")]
    assert 0 < len(uploaded) < 6, "killed after some packs, before the last"
    again = json.loads(_ok(run_mlvc(repo_dir, "push", "--json")).stdout)
    assert 0 < again["records_sent"] < again["records_needed"]
    clone = _commit_and_clone(repo_dir)
    _ok(run_mlvc(clone, "pull"))
    assert tree_digest(clone / "big.bin") == tree_digest(repo_dir / "big.bin")


@pytest.mark.parametrize("remote", ["seaweedfs"], indirect=True)
def test_bad_remote_settings_are_one_line_errors(
    repo_dir: Path, remote: RemoteSpec, monkeypatch: pytest.MonkeyPatch, moto_server: S3Server
) -> None:
    remote.configure(repo_dir)
    write(repo_dir / "f.bin", random_bytes(1000, 1))
    _ok(run_mlvc(repo_dir, "add", "f.bin"))

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    _one_line_error(run_mlvc(repo_dir, "push"), "remote 'store'")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    _one_line_error(run_mlvc(repo_dir, "push"), "remote 'store'", "credentials")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mlvc-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mlvc-test-secret")

    _ok(run_mlvc(repo_dir, "remote", "add", "nobucket", "s3://no-such-bucket-here/x"))
    # SeaweedFS creates buckets on first write; moto answers NoSuchBucket
    _ok(run_mlvc(repo_dir, "remote", "modify", "nobucket", "endpoint_url", moto_server.endpoint))
    _one_line_error(run_mlvc(repo_dir, "push", "-r", "nobucket"), "remote 'nobucket'")

    _ok(run_mlvc(repo_dir, "remote", "add", "closed", "s3://bucket/x"))
    _ok(run_mlvc(repo_dir, "remote", "modify", "closed", "endpoint_url", "http://127.0.0.1:9"))
    started = time.monotonic()
    _one_line_error(run_mlvc(repo_dir, "push", "-r", "closed"), "remote 'closed'")
    assert time.monotonic() - started < 60
    assert (repo_dir / "f.bin.mlvc").exists()
