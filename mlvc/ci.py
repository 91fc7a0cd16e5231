"""`mlvc ci init github|gitlab`: a CI workflow that reproduces and validates when inputs change.

The workflow's path filters come from the pipeline (its deps that no stage
produces, its params files, mlvc.yaml) and the pointer files of tracked data.
The generated text sits between two marker lines that carry a checksum, so a
second run replaces it in place (never twice), and a block edited by hand is
only replaced with `force`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from mlvc.errors import MlvcError
from mlvc.fsutil import write_file_atomic
from mlvc.hashing import hash_bytes
from mlvc.pipeline.graph import StageGraph
from mlvc.pipeline.spec import PIPELINE_FILE, load_pipeline
from mlvc.pointer import pointer_path_of

if TYPE_CHECKING:
    from mlvc.repo import Repo

TARGETS = {"github": ".github/workflows/mlvc.yml", "gitlab": ".gitlab-ci.yml"}
BEGIN = "# >>> mlvc ci >>>"
END = "# <<< mlvc ci <<<"
_BLOCK = re.compile(
    re.escape(BEGIN) + r" checksum=([0-9a-f]+)\n(.*?)" + re.escape(END) + r"\n?", re.DOTALL
)


class CiFileEditedError(MlvcError):
    """The generated CI file was edited by hand; it is replaced only with --force."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path} was edited by hand since mlvc wrote it; use --force to replace mlvc's part"
        )


@dataclass(frozen=True)
class CiResult:
    """What `ci init` wrote."""

    path: str
    action: str
    """'created', 'updated' or 'unchanged'."""
    triggers: list[str]


def trigger_paths(repo: Repo) -> list[str]:
    """Git paths whose change should run the pipeline."""
    paths: set[str] = set()
    stages = load_pipeline(repo.root) or {}
    tracked = set(repo.tracked_paths())
    produced: set[str] = set()
    if stages:
        paths.add(PIPELINE_FILE)
        graph = StageGraph(stages, repo.root)
        produced = set(graph.producer)
        for stage in stages.values():
            paths.update(stage.params)
            for dep in stage.deps:
                if any(dep == out or dep.startswith(out + "/") for out in produced):
                    continue
                if dep in tracked:
                    paths.add(pointer_path_of(dep))  # the data is not in git: its pointer is
                elif (repo.root / dep).is_dir():
                    paths.add(dep + "/**")
                else:
                    paths.add(dep)
    for path in tracked:
        if path not in produced:
            paths.add(pointer_path_of(path))
    return sorted(paths)


def _render(kind: str, triggers: list[str]) -> str:
    template = resources.files("mlvc").joinpath("templates", f"{kind}.yml").read_text()
    indent = " " * (6 if kind == "github" else 10)
    quoted = [path.replace("'", "''") for path in triggers or [PIPELINE_FILE]]
    listing = "\n".join(f"{indent}- '{path}'" for path in quoted)
    return template.replace("@TRIGGERS@", listing)


def _checksum(body: str) -> str:
    return hash_bytes(body.encode()).hex()[:16]


def init_ci(repo: Repo, kind: str, *, force: bool = False) -> CiResult:
    """Write or update the CI file for `kind` ('github' or 'gitlab')."""
    if kind not in TARGETS:
        raise MlvcError(f"unknown CI system '{kind}' (use github or gitlab)")
    triggers = trigger_paths(repo)
    body = _render(kind, triggers)
    block = f"{BEGIN} checksum={_checksum(body)}\n{body}{END}\n"
    target = repo.root / TARGETS[kind]
    try:
        existing = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = None
    if existing is None:
        text, action = block, "created"
    else:
        match = _BLOCK.search(existing)
        if match is None:
            if kind == "github" and not force:
                raise CiFileEditedError(TARGETS[kind])
            text = existing.rstrip("\n") + "\n\n" + block if existing.strip() else block
            action = "updated"
        else:
            if match.group(1) != _checksum(match.group(2)) and not force:
                raise CiFileEditedError(TARGETS[kind])
            text = existing[: match.start()] + block + existing[match.end() :]
            action = "unchanged" if text == existing else "updated"
    if existing != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(target, text.encode("utf-8"))
    return CiResult(TARGETS[kind], action, triggers)
