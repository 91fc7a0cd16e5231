"""Remote gc and its locks, and the remote configuration commands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import RemoteSpec, git, random_bytes, run_mlvc, tree_digest, write

MIB = 1024 * 1024


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("remote", ["local", "moto"], indirect=True)
def test_remote_gc_keeps_what_branches_reference(repo_dir: Path, remote: RemoteSpec) -> None:
    remote.configure(repo_dir)
    write(repo_dir / "data" / "a.bin", random_bytes(MIB, 1))
    write(repo_dir / "data" / "b.bin", random_bytes(MIB, 2))
    _ok(run_mlvc(repo_dir, "add", "data"))
    _ok(run_mlvc(repo_dir, "push"))
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "v1")
    v1 = tree_digest(repo_dir / "data")
    write(repo_dir / "data" / "b.bin", random_bytes(MIB, 3))  # pushed, never committed
    _ok(run_mlvc(repo_dir, "add", "data"))
    _ok(run_mlvc(repo_dir, "push"))

    dry = json.loads(
        _ok(run_mlvc(repo_dir, "gc", "--remote", "store", "--dry-run", "--json")).stdout
    )
    assert dry["dry_run"] and dry["bytes_freed"] >= MIB
    result = json.loads(_ok(run_mlvc(repo_dir, "gc", "--remote", "store", "--json")).stdout)
    assert result["bytes_freed"] >= MIB
    assert result["objects_removed"] >= 1
    again = json.loads(_ok(run_mlvc(repo_dir, "gc", "--remote", "store", "--json")).stdout)
    assert again["bytes_freed"] == 0

    clone = repo_dir.parent / "clone"
    subprocess.run(["git", "clone", "-q", str(repo_dir), str(clone)], check=True)
    _ok(run_mlvc(clone, "pull"))
    assert tree_digest(clone / "data") == v1


@pytest.mark.parametrize("remote", ["local"], indirect=True)
def test_gc_and_push_exclude_each_other(repo_dir: Path, remote: RemoteSpec) -> None:
    remote.configure(repo_dir)
    write(repo_dir / "f.bin", random_bytes(1000, 1))
    _ok(run_mlvc(repo_dir, "add", "f.bin"))
    _ok(run_mlvc(repo_dir, "push"))
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "f")
    import time

    locks = Path(remote.url) / "locks"
    holder = {"kind": "push", "host": "elsewhere", "pid": 1, "time": time.time()}
    (locks / "push-0123").write_text(json.dumps(holder))
    refused = run_mlvc(repo_dir, "gc", "--remote", "store")
    assert refused.returncode == 1
    assert "remote 'store' is busy: a push is running" in refused.stderr
    (locks / "push-0123").unlink()
    (locks / "gc").write_text(json.dumps({**holder, "kind": "gc"}))
    blocked = run_mlvc(repo_dir, "push")
    assert blocked.returncode == 1 and "a gc is running" in blocked.stderr
    stale = {**holder, "kind": "gc", "time": time.time() - 7 * 3600}
    (locks / "gc").write_text(json.dumps(stale))
    _ok(run_mlvc(repo_dir, "push"))
    _ok(run_mlvc(repo_dir, "gc", "--remote", "store"))
    assert not (locks / "gc").exists()


def test_remote_configuration_commands(repo_dir: Path) -> None:
    _ok(run_mlvc(repo_dir, "remote", "add", "store", "s3://bucket/prefix", "--default"))
    _ok(run_mlvc(repo_dir, "remote", "modify", "store", "endpoint_url", "http://127.0.0.1:9000"))
    refused = run_mlvc(repo_dir, "remote", "modify", "store", "secret_access_key", "s3cr3t")
    assert refused.returncode == 1 and "only with --local" in refused.stderr
    _ok(run_mlvc(repo_dir, "remote", "modify", "--local", "store", "secret_access_key", "s3cr3t"))
    committed = (repo_dir / ".mlvc" / "config.toml").read_text()
    assert "endpoint_url" in committed and "s3cr3t" not in committed
    assert "s3cr3t" in (repo_dir / ".mlvc" / "config.local.toml").read_text()
    listing = json.loads(_ok(run_mlvc(repo_dir, "remote", "list", "--json")).stdout)
    assert listing["default"] == "store"
    assert listing["remotes"]["store"]["secret_access_key"] == "***"
    assert "s3cr3t" not in _ok(run_mlvc(repo_dir, "remote", "list")).stdout
    unknown = run_mlvc(repo_dir, "remote", "modify", "store", "colour", "blue")
    assert unknown.returncode == 1 and "unknown option" in unknown.stderr

    _ok(run_mlvc(repo_dir, "remote", "add", "cloud", "gs://bucket/x"))
    write(repo_dir / "f.bin", "x")
    _ok(run_mlvc(repo_dir, "add", "f.bin"))
    missing = run_mlvc(repo_dir, "push", "-r", "cloud")
    assert missing.returncode == 1
    assert (
        "remote 'cloud' (gs://bucket/x): support is not installed: pip install gcsfs"
        in missing.stderr
    )
    nowhere = run_mlvc(repo_dir, "push", "-r", "nowhere")
    assert "no remote named 'nowhere' (remotes: cloud, store)" in nowhere.stderr

    _ok(run_mlvc(repo_dir, "remote", "remove", "store"))
    assert (
        "store"
        not in json.loads(_ok(run_mlvc(repo_dir, "remote", "list", "--json")).stdout)["remotes"]
    )
    assert "s3cr3t" not in (repo_dir / ".mlvc" / "config.local.toml").read_text()


def test_a_committed_secret_is_refused(repo_dir: Path) -> None:
    config = repo_dir / ".mlvc" / "config.toml"
    config.write_text(config.read_text() + '\n[remote.store]\nurl = "/tmp/x"\npassword = "pw"\n')
    result = run_mlvc(repo_dir, "push")
    assert result.returncode == 1
    assert "remote.store.password: secrets belong in config.local.toml" in result.stderr
