"""What a stage's inputs and outputs are now: path oids, parameter values, the environment."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlvc.errors import PipelineError
from mlvc.hashing import hash_bytes, oid_to_text
from mlvc.pipeline.spec import Stage
from mlvc.workspace.scan import WorkspaceHasher, list_work_files

if TYPE_CHECKING:
    from mlvc.repo import Repo

MISSING = "missing"
# Files that running code creates next to it; they are not inputs.
_NOISE = ("__pycache__/", ".ipynb_checkpoints/")
_DEPENDENCY_LOCKS = (
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "requirements.lock",
    "conda-lock.yml",
    "requirements.txt",
    "environment.yml",
)


class Fingerprints:
    """Computes oids of workspace paths once per command, through the stat cache."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.hasher = WorkspaceHasher(repo.stat_cache)
        self._cache: dict[str, str] = {}
        self._params: dict[str, Any] = {}

    def path(self, path: str, fresh: bool = False) -> str:
        """`xxh128:...` of a file or directory (a directory by its tree), or 'missing'."""
        if not fresh and path in self._cache:
            return self._cache[path]
        files = list_work_files(self.repo.root / path, path)
        if files is None:
            value = MISSING
        else:
            files = {k: v for k, v in files.items() if not any(n in k for n in _NOISE)}
            if "" in files:
                value = oid_to_text(self.hasher.snapshot(path, files)[""].oid)
            else:
                value = oid_to_text(self.hasher.tree_oid(path, files)[0])
        self._cache[path] = value
        return value

    def forget(self, paths: tuple[str, ...]) -> None:
        """Drop cached values (after a stage rewrote these paths)."""
        for path in paths:
            self._cache.pop(path, None)

    def params(self, stage: Stage) -> dict[str, dict[str, Any]]:
        """The stage's selected parameter values, by file and dotted key."""
        values: dict[str, dict[str, Any]] = {}
        for file, keys in stage.params.items():
            document = self._load_params(file, stage.name)
            values[file] = {key: _lookup(document, key, file, stage.name) for key in keys}
        return values

    def _load_params(self, file: str, stage: str) -> Any:
        if file not in self._params:
            import yaml  # YAML is a superset of JSON: one loader reads both

            try:
                text = (self.repo.root / file).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise PipelineError(file, stage, "the params file does not exist") from None
            try:
                self._params[file] = yaml.safe_load(text) or {}
            except yaml.YAMLError:
                raise PipelineError(file, stage, "not valid YAML or JSON") from None
        return self._params[file]


def _lookup(document: Any, key: str, file: str, stage: str) -> Any:
    value = document
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PipelineError(file, stage, f"parameter '{key}' is not in {file}")
        value = value[part]
    return value


def environment(root: Path) -> dict[str, str]:
    """The Python version, and the hash of the dependency lock file (or of `pip freeze`)."""
    env = {"python": platform.python_version()}
    for name in _DEPENDENCY_LOCKS:
        path = root / name
        if path.is_file():
            env["dependencies"] = f"{name} {oid_to_text(hash_bytes(path.read_bytes()))}"
            return env
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        check=False,
    ).stdout
    env["dependencies"] = f"pip freeze {oid_to_text(hash_bytes(frozen))}"
    return env
