"""Benchmark of push and pull against a SeaweedFS server on 127.0.0.1, with DVC as the baseline.

Scenarios: one large random file (default 1 GiB), and a tree of small files
(default 20,000 of 1-16 KiB). For each: `mlvc push` from a repository, then
`mlvc pull` in a fresh clone; the same with `dvc push` / `dvc pull` when DVC
and dvc-s3 are installed (`pip install -e '.[bench]'` or any DVC on PATH).
Each tool gets its own empty bucket. Figures are medians of --runs runs;
peak memory comes from GNU time.

Usage: python benchmarks/bench_remote.py [--big-mib 1024] [--files 20000] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_core import (
    BIN,
    Sample,
    dvc_command,
    have_dvc,
    make_big_file,
    make_tree,
    run,
)
from tests.s3servers import ACCESS_KEY, REGION, SECRET_KEY, start_seaweedfs

MIB = 1024 * 1024


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def prepare(work: Path, name: str, tool: str, data: Path, url: str, endpoint: str) -> Path:
    """A repository tracking `data` with `tool`, its remote configured, committed."""
    repo = work / name
    repo.mkdir()
    git(repo, "init", "-q")
    os.rename(data, repo / data.name)
    if tool == "mlvc":
        mlvc = str(BIN / "mlvc")
        for args in (
            ["init", "-q"],
            ["remote", "add", "store", url, "--default"],
            ["remote", "modify", "store", "endpoint_url", endpoint],
            ["remote", "modify", "store", "region", REGION],
        ):
            subprocess.run([mlvc, *args], cwd=repo, check=True, capture_output=True)
        run([mlvc, "add", "-q", data.name], repo)
    else:
        dvc = dvc_command()
        for args in (
            ["init", "-q"],
            ["config", "core.analytics", "false"],
            ["remote", "add", "-d", "store", url],
            ["remote", "modify", "store", "endpointurl", endpoint],
            ["remote", "modify", "store", "region", REGION],
        ):
            subprocess.run([dvc, *args], cwd=repo, check=True, capture_output=True)
        run([dvc, "add", "-q", data.name], repo)
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=b@e", "commit", "-q", "-m", "data")
    return repo


def push_pull(work: Path, server, tool: str, data: Path, label: str, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    pushes: list[Sample] = []
    pulls: list[Sample] = []
    for attempt in range(runs):
        bucket = f"{tool}-{label}-{attempt}"
        server.create_bucket(bucket)
        repo = prepare(work, f"{bucket}-src", tool, data, f"s3://{bucket}/data", server.endpoint)
        command = (
            [str(BIN / "mlvc"), "push", "-q"] if tool == "mlvc" else [dvc_command(), "push", "-q"]
        )
        pushes.append(run(command, repo))
        clone = work / f"{bucket}-clone"
        git(work, "clone", "-q", str(repo), str(clone))
        command = (
            [str(BIN / "mlvc"), "pull", "-q"] if tool == "mlvc" else [dvc_command(), "pull", "-q"]
        )
        pulls.append(run(command, clone))
        os.rename(repo / data.name, data)
        subprocess.run(["rm", "-rf", str(repo), str(clone)], check=True)
        print(f"  {tool} {label}: push {pushes[-1].seconds:.2f} s, pull {pulls[-1].seconds:.2f} s")
    return {
        "push_s": statistics.median(s.seconds for s in pushes),
        "pull_s": statistics.median(s.seconds for s in pulls),
        "push_peak_mib": max(s.peak_rss_mib for s in pushes),
        "pull_peak_mib": max(s.peak_rss_mib for s in pulls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    os.environ["AWS_ACCESS_KEY_ID"] = ACCESS_KEY
    os.environ["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
    tools = ["mlvc", "dvc"] if have_dvc() else ["mlvc"]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="mlvc-bench-remote-") as temp:
        work = Path(temp)
        server = start_seaweedfs(work)
        try:
            big = work / "big.bin"
            make_big_file(big, args.big_mib)
            tree = work / "tree"
            tree_bytes = make_tree(tree, args.files)
            for tool in tools:
                results[f"{tool} big file"] = push_pull(work, server, tool, big, "big", args.runs)
                results[f"{tool} tree"] = push_pull(work, server, tool, tree, "tree", args.runs)
        finally:
            server.stop()
    print(f"\nbig file {args.big_mib} MiB; tree {args.files} files, {tree_bytes / MIB:.0f} MiB")
    print(
        f"{'scenario':16} {'push s':>8} {'pull s':>8} {'push MiB/s':>10} {'pull MiB/s':>10} "
        f"{'peak MiB':>9}"
    )
    for name, row in results.items():
        size = args.big_mib if "big" in name else tree_bytes / MIB
        print(
            f"{name:16} {row['push_s']:8.2f} {row['pull_s']:8.2f} {size / row['push_s']:10.1f} "
            f"{size / row['pull_s']:10.1f} {max(row['push_peak_mib'], row['pull_peak_mib']):9.1f}"
        )
    if "dvc big file" in results:
        for scenario in ("big file", "tree"):
            for step in ("push_s", "pull_s"):
                ratio = results[f"dvc {scenario}"][step] / results[f"mlvc {scenario}"][step]
                print(f"dvc/mlvc {scenario} {step[:-2]}: {ratio:.2f}x (above 1: mlvc is faster)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
