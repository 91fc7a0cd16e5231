"""`mlvc repro` and `mlvc validate`: run the stages whose inputs changed, in order, and record them.

A stage is stale when it has no record in mlvc.lock, or its command, one of
its dependencies (by content), one of its selected parameters, or one of its
outputs differs from the record, or a stage it depends on runs. A stage that
fails stops the run; what it wrote is not recorded, and the stages that
succeeded before it keep their records (the lock is written after each one).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlvc.errors import StageFailedError, ValidationFailedError
from mlvc.pipeline.fingerprint import MISSING, Fingerprints, environment
from mlvc.pipeline.graph import StageGraph
from mlvc.pipeline.lock import StageRecord, read_lock, write_lock
from mlvc.pipeline.metrics import check_thresholds
from mlvc.pipeline.spec import Stage, load_pipeline
from mlvc.workspace.results import JsonRecord

if TYPE_CHECKING:
    from mlvc.repo import Repo

_COMMAND_NOT_FOUND = 127


@dataclass
class StageRun(JsonRecord):
    """What repro decided for one stage, and what happened."""

    stage: str
    reasons: list[str] = field(default_factory=list)
    outcome: str = "up to date"
    """'up to date', 'would run', 'ran' or 'failed'."""


Announce = Callable[[StageRun], None]


def _silent(_: StageRun) -> None:
    """Default announcer: says nothing."""


def stale_reasons(
    stage: Stage,
    record: StageRecord | None,
    fingerprints: Fingerprints,
    running_upstream: list[str],
) -> list[str]:
    """Why `stage` must run (nothing when it is up to date)."""
    if record is None:
        return ["it has never run"]
    reasons = []
    if record.cmd != stage.cmd:
        reasons.append("its command changed")
    for dep in stage.deps:
        if fingerprints.path(dep) != record.deps.get(dep):
            reasons.append(f"{dep} changed")
    if set(record.deps) - set(stage.deps):
        reasons.append("its dependencies changed")
    current = fingerprints.params(stage)
    for file, values in current.items():
        for key, value in values.items():
            if record.params.get(file, {}).get(key, MISSING) != value:
                reasons.append(f"param {key} changed")
    for product in stage.products:
        now = fingerprints.path(product)
        if now != record.outs.get(product, record.metrics.get(product)):
            reasons.append(f"{product} is missing" if now == MISSING else f"{product} changed")
    reasons.extend(f"stage '{name}' runs first" for name in running_upstream)
    return reasons


def reproduce(
    repo: Repo,
    targets: list[str],
    *,
    dry_run: bool = False,
    force: bool = False,
    only_validation: bool = False,
    announce: Announce | None = None,
) -> list[StageRun]:
    """Run the stale stages among `targets` and their upstream (all stages by default)."""
    announce = announce or _silent
    stages = load_pipeline(repo.root) or {}
    graph = StageGraph(stages, repo.root)
    for target in targets:
        if target not in stages:
            from mlvc.errors import PipelineError

            raise PipelineError("mlvc.yaml", target, "no such stage")
    names = graph.with_upstream(targets) if targets else list(graph.order)
    if only_validation:
        names = [name for name in names if stages[name].is_validation]
    records = read_lock(repo.root)
    fingerprints = Fingerprints(repo)
    running: set[str] = set()
    runs = []
    env: dict[str, str] | None = None
    for name in names:
        stage = stages[name]
        upstream = sorted(graph.upstream[name] & running)
        if force:
            reasons = ["--force"]
        else:
            reasons = stale_reasons(stage, records.get(name), fingerprints, upstream)
        run = StageRun(name, reasons)
        runs.append(run)
        if not reasons:
            announce(run)
            continue
        running.add(name)
        run.outcome = "would run"
        announce(run)
        if dry_run:
            continue
        env = env or environment(repo.root)
        try:
            records[name] = _run_stage(repo, stage, fingerprints, env)
        except BaseException:
            run.outcome = "failed"
            raise
        run.outcome = "ran"
        write_lock(repo.root, records)
    repo.stat_cache.save()
    return runs


def _run_stage(
    repo: Repo, stage: Stage, fingerprints: Fingerprints, env: dict[str, str]
) -> StageRecord:
    deps = {dep: fingerprints.path(dep) for dep in stage.deps}
    params = fingerprints.params(stage)
    completed = subprocess.run(stage.cmd, shell=True, cwd=repo.root, check=False)
    if completed.returncode != 0:
        detail = "command not found" if completed.returncode == _COMMAND_NOT_FOUND else ""
        raise StageFailedError(stage.name, completed.returncode, detail)
    fingerprints.forget(stage.products)
    missing = [path for path in stage.products if not (repo.root / path).exists()]
    if missing:
        raise StageFailedError(stage.name, 1, f"it did not write {', '.join(missing)}")
    failures = check_thresholds(repo.root, stage)
    if failures:
        raise ValidationFailedError(stage.name, failures)
    if stage.outs:
        repo.add(list(stage.outs))
    return StageRecord(
        cmd=stage.cmd,
        deps=deps,
        params=params,
        outs={out: fingerprints.path(out) for out in stage.outs},
        metrics={metric: fingerprints.path(metric) for metric in stage.metrics},
        env=env,
    )


def stale_stages(repo: Repo) -> list[StageRun]:
    """The stages `mlvc repro` would run, and why (nothing runs)."""
    if load_pipeline(repo.root) is None:
        return []
    return [run for run in reproduce(repo, [], dry_run=True) if run.reasons]
