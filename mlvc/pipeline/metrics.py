"""Metrics files (JSON or YAML): reading them now or at a git revision, and checking thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlvc.pipeline.spec import Stage, load_pipeline
from mlvc.workspace.results import JsonRecord

if TYPE_CHECKING:
    from mlvc.repo import Repo


def parse_metrics(text: bytes) -> dict[str, Any]:
    """Flatten a JSON or YAML metrics document to dotted keys ('train.loss': 0.1)."""
    import yaml  # YAML is a superset of JSON: one loader reads both

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        else:
            flat[prefix] = value

    walk("", document)
    return flat


def check_thresholds(root: Path, stage: Stage) -> list[str]:
    """Descriptions of the thresholds the stage's metrics miss (empty: all hold)."""
    failures = []
    for file, thresholds in stage.thresholds.items():
        try:
            values = parse_metrics((root / file).read_bytes())
        except FileNotFoundError:
            values = {}
        for threshold in thresholds:
            value = values.get(threshold.key)
            if not isinstance(value, int | float) or isinstance(value, bool):
                failures.append(f"{file}: {threshold.key} is missing (needs {threshold})")
            elif not threshold.holds(float(value)):
                failures.append(f"{file}: {threshold.key} = {value:g} (needs {threshold})")
    return failures


@dataclass(frozen=True)
class MetricChange(JsonRecord):
    """One metric at two revisions."""

    file: str
    key: str
    old: Any
    new: Any

    @property
    def delta(self) -> float | None:
        """new - old, when both are numbers."""
        numbers = (int, float)
        if isinstance(self.old, numbers) and isinstance(self.new, numbers):
            return float(self.new) - float(self.old)
        return None


def metrics_files(repo: Repo) -> list[str]:
    """Every metrics file the pipeline declares."""
    stages = load_pipeline(repo.root) or {}
    return sorted({metric for stage in stages.values() for metric in stage.metrics})


def read_metrics(repo: Repo, revision: str | None) -> dict[str, dict[str, Any]]:
    """file -> flattened metrics, from the workspace (None) or a git revision."""
    found: dict[str, dict[str, Any]] = {}
    for file in metrics_files(repo):
        if revision is None:
            path = repo.root / file
            data = path.read_bytes() if path.is_file() else None
        else:
            data = repo.history.file_at(revision, file)
        if data is not None:
            found[file] = parse_metrics(data)
    return found


def diff_metrics(repo: Repo, old: str, new: str | None) -> list[MetricChange]:
    """Every metric of either side, with its value on each."""
    before, after = read_metrics(repo, old), read_metrics(repo, new)
    changes = []
    for file in sorted(before.keys() | after.keys()):
        old_values, new_values = before.get(file, {}), after.get(file, {})
        for key in sorted(old_values.keys() | new_values.keys()):
            changes.append(MetricChange(file, key, old_values.get(key), new_values.get(key)))
    return changes
