"""Benchmark of the core commands, reported as ratios against baselines run in the same process.

Runs, each several times (the median is reported):
  * `mlvc add` of one large random file, against `cp` of the same file, and
    against `dvc add` when DVC is installed (`pip install -e '.[bench]'`);
  * `mlvc add` of a tree of small files (1-16 KiB each), against `dvc add`;
  * `mlvc status` on that clean tree, against `dvc status`.
Peak memory is the maximum resident set size of each command (from wait4).

Usage: python benchmarks/bench_core.py [--big-mib 2048] [--files 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
BIN = Path(sys.executable).parent


@dataclass
class Sample:
    seconds: float
    peak_rss_mib: float


GNU_TIME = Path("/usr/bin/time")


def run(command: list[str], cwd: Path) -> Sample:
    """Run a command to completion; return its wall time and peak memory.

    A child's ru_maxrss includes the memory image it was forked from, so the
    command is started by GNU time (a tiny process) when it is installed;
    otherwise the figure from wait4 is an upper bound that includes this script.
    """
    os.sync()  # start every run without the previous run's dirty pages still being written
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", report.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped if GNU_TIME.exists() else command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        peak_kib = int(report.read().strip() or 0) if GNU_TIME.exists() else usage.ru_maxrss
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    return Sample(elapsed, peak_kib / 1024)


def fresh_repo(parent: Path, name: str, tool: str) -> Path:
    """A new git repository initialized for `tool` ('mlvc' or 'dvc')."""
    repo = parent / name
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    if tool == "mlvc":
        subprocess.run([str(BIN / "mlvc"), "init", "-q"], cwd=repo, check=True)
    else:
        subprocess.run([dvc_command(), "init", "-q"], cwd=repo, check=True)
        subprocess.run([dvc_command(), "config", "core.analytics", "false"], cwd=repo, check=True)
    return repo


def dvc_command() -> str:
    return str(BIN / "dvc") if (BIN / "dvc").exists() else shutil.which("dvc") or "dvc"


def have_dvc() -> bool:
    return (BIN / "dvc").exists() or shutil.which("dvc") is not None


def make_big_file(path: Path, size_mib: int) -> None:
    with open(path, "wb") as stream:
        for _ in range(size_mib // 64):
            stream.write(os.urandom(64 * MIB))


def make_tree(root: Path, count: int) -> int:
    rng = random.Random(20)
    total = 0
    for index in range(count):
        size = rng.randrange(1024, 16 * 1024 + 1)
        path = root / f"part{index % 100:02d}" / f"file{index:05d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
        total += size
    return total


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.seconds for s in samples), max(s.peak_rss_mib for s in samples)
    )


def time_add(work: Path, tool: str, source: Path, runs: int) -> Sample:
    """Add `source` into a fresh repository `runs` times (a cold cache each time)."""
    samples = []
    for attempt in range(runs):
        repo = fresh_repo(work, f"{tool}-add", tool)
        target = repo / source.name
        os.rename(source, target)
        try:
            command = [str(BIN / "mlvc"), "add", "-q", source.name]
            if tool == "dvc":
                command = [dvc_command(), "add", "-q", source.name]
            samples.append(run(command, repo))
        finally:
            os.rename(target, source)
        print(f"  {tool} add {source.name} run {attempt + 1}: {samples[-1].seconds:.2f} s")
    return median(samples)


def time_cp(work: Path, source: Path, runs: int) -> Sample:
    samples = []
    for _ in range(runs):
        target = work / "copy.bin"
        samples.append(run(["cp", str(source), str(target)], work))
        target.unlink()
    return median(samples)


def time_status(work: Path, tool: str, source: Path, runs: int) -> Sample:
    """Status of a clean, just-added tree: the median of `runs` runs after a warm-up."""
    repo = fresh_repo(work, f"{tool}-status", tool)
    target = repo / source.name
    os.rename(source, target)
    try:
        if tool == "mlvc":
            run([str(BIN / "mlvc"), "add", "-q", source.name], repo)
            command = [str(BIN / "mlvc"), "status"]
        else:
            run([dvc_command(), "add", "-q", source.name], repo)
            command = [dvc_command(), "status", "-q"]
        run(command, repo)  # warm-up: the stat cache settles, the page cache is warm
        return median([run(command, repo) for _ in range(runs)])
    finally:
        os.rename(target, source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mib", type=int, default=2048)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--status-runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="work directory (default: tmp)")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args()
    tools = ["mlvc", "dvc"] if have_dvc() else ["mlvc"]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="mlvc-bench-") as temp:
        work = Path(temp)
        big = work / "big.bin"
        print(f"writing a {args.big_mib} MiB random file and {args.files} small files ...")
        make_big_file(big, args.big_mib)
        tree = work / "tree"
        tree_bytes = make_tree(tree, args.files)
        results["cp big file"] = vars(time_cp(work, big, args.runs))
        for tool in tools:
            results[f"{tool} add big file"] = vars(time_add(work, tool, big, args.runs))
            results[f"{tool} add tree"] = vars(time_add(work, tool, tree, args.runs))
            results[f"{tool} status tree"] = vars(time_status(work, tool, tree, args.status_runs))
    print()
    print(f"big file: {args.big_mib} MiB; tree: {args.files} files, {tree_bytes / MIB:.0f} MiB")
    print(f"{'operation':24} {'median s':>9} {'peak MiB':>9}")
    for name, sample in results.items():
        print(f"{name:24} {sample['seconds']:9.3f} {sample['peak_rss_mib']:9.1f}")
    cp = results["cp big file"]["seconds"]
    print(f"\nmlvc add big file / cp: {results['mlvc add big file']['seconds'] / cp:.2f}x")
    if "dvc add big file" in results:
        for what in ("add big file", "add tree", "status tree"):
            ratio = results[f"dvc {what}"]["seconds"] / results[f"mlvc {what}"]["seconds"]
            print(f"dvc {what} / mlvc {what}: {ratio:.2f}x (above 1: mlvc is faster)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
