"""`mlvc.lock`: what each stage's last successful run saw and produced (committed to git)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlvc.errors import PipelineError
from mlvc.fsutil import write_file_atomic

LOCK_FILE = "mlvc.lock"
LOCK_VERSION = 1


@dataclass
class StageRecord:
    """One stage's last successful run."""

    cmd: str
    deps: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    outs: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        """The YAML mapping written to the lock file (empty sections left out)."""
        document: dict[str, Any] = {"cmd": self.cmd}
        for key in ("deps", "params", "outs", "metrics", "env"):
            value = getattr(self, key)
            if value:
                document[key] = value
        return document


def read_lock(root: Path) -> dict[str, StageRecord]:
    """Every stage record in `root/mlvc.lock` (none when the file does not exist)."""
    import yaml

    try:
        document = yaml.safe_load((root / LOCK_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except yaml.YAMLError:
        raise PipelineError(LOCK_FILE, None, "not valid YAML") from None
    if not isinstance(document, dict) or document.get("version") != LOCK_VERSION:
        raise PipelineError(LOCK_FILE, None, f"expected 'version: {LOCK_VERSION}'")
    records = {}
    for name, body in (document.get("stages") or {}).items():
        if not isinstance(body, dict) or not isinstance(body.get("cmd"), str):
            raise PipelineError(LOCK_FILE, str(name), "a record needs at least 'cmd'")
        records[str(name)] = StageRecord(
            cmd=body["cmd"],
            deps=dict(body.get("deps") or {}),
            params=dict(body.get("params") or {}),
            outs=dict(body.get("outs") or {}),
            metrics=dict(body.get("metrics") or {}),
            env=dict(body.get("env") or {}),
        )
    return records


def write_lock(root: Path, records: dict[str, StageRecord]) -> None:
    """Write every record, sorted by stage name, through a temporary file and a rename."""
    import yaml

    document = {
        "version": LOCK_VERSION,
        "stages": {name: records[name].to_document() for name in sorted(records)},
    }
    text = "# Written by mlvc repro: commit it with your pointers. Do not edit.\n"
    text += yaml.safe_dump(document, sort_keys=True, allow_unicode=True, default_flow_style=False)
    write_file_atomic(root / LOCK_FILE, text.encode("utf-8"))
