"""`mlvc.yaml`: the pipeline's stages, parsed and checked. Normative text: docs/pipelines.md."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlvc.errors import PipelineError

PIPELINE_FILE = "mlvc.yaml"
DEFAULT_PARAMS_FILE = "params.yaml"
_STAGE_KEYS = {"cmd", "deps", "outs", "params", "metrics", "kind", "thresholds", "desc"}
_KINDS = {"stage", "validation"}
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_THRESHOLD = re.compile(r"^\s*(>=|<=|>|<)\s*([-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)\s*$")


@dataclass(frozen=True)
class Threshold:
    """A bound on one metric, such as `accuracy >= 0.90`."""

    key: str
    operator: str
    bound: float

    def holds(self, value: float) -> bool:
        """Whether `value` satisfies the bound."""
        return {
            ">=": value >= self.bound,
            "<=": value <= self.bound,
            ">": value > self.bound,
            "<": value < self.bound,
        }[self.operator]

    def __str__(self) -> str:
        return f"{self.key} {self.operator} {self.bound:g}"


@dataclass(frozen=True)
class Stage:
    """One stage: a command, what it reads and what it writes."""

    name: str
    cmd: str
    deps: tuple[str, ...] = ()
    outs: tuple[str, ...] = ()
    params: dict[str, tuple[str, ...]] = field(default_factory=dict)
    metrics: tuple[str, ...] = ()
    kind: str = "stage"
    thresholds: dict[str, tuple[Threshold, ...]] = field(default_factory=dict)

    @property
    def is_validation(self) -> bool:
        """Validation stages pass or fail; they produce no outs."""
        return self.kind == "validation"

    @property
    def products(self) -> tuple[str, ...]:
        """Everything the stage writes: outs and metrics."""
        return self.outs + self.metrics


def _fail(stage: str | None, reason: str) -> PipelineError:
    return PipelineError(PIPELINE_FILE, stage, reason)


def _path_list(value: Any, stage: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(stage, f"'{key}' must be a list of paths")
    paths = []
    for item in value:
        normal = posixpath.normpath(item.strip())
        if posixpath.isabs(normal) or normal == ".." or normal.startswith("../") or normal == ".":
            raise _fail(stage, f"'{key}' path {item!r} must be inside the repository")
        paths.append(normal)
    return tuple(paths)


def _params(value: Any, stage: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if isinstance(value, list):
        value = {DEFAULT_PARAMS_FILE: value}
    if not isinstance(value, dict):
        raise _fail(stage, "'params' must map a file to a list of keys")
    result = {}
    for file, keys in value.items():
        if isinstance(keys, str):
            keys = [keys]
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            raise _fail(stage, f"'params' of {file} must be a list of keys such as train.lr")
        result[str(file)] = tuple(keys)
    return result


def _thresholds(
    value: Any, stage: str, metrics: tuple[str, ...]
) -> dict[str, tuple[Threshold, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(stage, "'thresholds' must map a metrics file to {key: '>= number'}")
    result = {}
    for file, bounds in value.items():
        if file not in metrics:
            raise _fail(stage, f"threshold file {file} is not one of the stage's metrics")
        if not isinstance(bounds, dict):
            raise _fail(stage, f"thresholds of {file} must map a key to an expression")
        parsed = []
        for key, expression in bounds.items():
            match = _THRESHOLD.match(str(expression))
            if match is None:
                raise _fail(
                    stage,
                    f"bad threshold {key}: {expression!r} (use >=, <=, > or < and a number)",
                )
            parsed.append(Threshold(str(key), match.group(1), float(match.group(2))))
        result[str(file)] = tuple(parsed)
    return result


def parse_stage(name: str, body: Any) -> Stage:
    """Check one stage's definition."""
    if not _NAME.match(name):
        raise _fail(name, "a stage name uses letters, digits, '_', '.' and '-'")
    if not isinstance(body, dict):
        raise _fail(name, "a stage must be a mapping with at least 'cmd'")
    unknown = sorted(set(body) - _STAGE_KEYS)
    if unknown:
        raise _fail(name, f"unknown key '{unknown[0]}' (known: {', '.join(sorted(_STAGE_KEYS))})")
    cmd = body.get("cmd")
    if not isinstance(cmd, str) or not cmd.strip():
        raise _fail(name, "'cmd' must be a non-empty command")
    kind = body.get("kind", "stage")
    if kind not in _KINDS:
        raise _fail(name, f"unknown kind '{kind}' (use 'validation' or leave it out)")
    outs = _path_list(body.get("outs"), name, "outs")
    if kind == "validation" and outs:
        raise _fail(name, "a validation stage has no outs")
    metrics = _path_list(body.get("metrics"), name, "metrics")
    return Stage(
        name=name,
        cmd=cmd.strip(),
        deps=_path_list(body.get("deps"), name, "deps"),
        outs=outs,
        params=_params(body.get("params"), name),
        metrics=metrics,
        kind=kind,
        thresholds=_thresholds(body.get("thresholds"), name, metrics),
    )


def load_pipeline(root: Path) -> dict[str, Stage] | None:
    """The stages of `root/mlvc.yaml` in file order, or None when there is no pipeline."""
    path = root / PIPELINE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    import yaml  # only repositories with a pipeline pay for the import

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _fail(None, f"not valid YAML{where}") from None
    if document is None:
        return {}
    if not isinstance(document, dict) or set(document) - {"stages"}:
        raise _fail(None, "the file must hold one key, 'stages'")
    stages = document.get("stages") or {}
    if not isinstance(stages, dict):
        raise _fail(None, "'stages' must map stage names to stages")
    return {str(name): parse_stage(str(name), body) for name, body in stages.items()}
