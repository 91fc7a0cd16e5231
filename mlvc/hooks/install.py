"""Installing the mlvc git hooks: small shell scripts that call back into mlvc.

The hooks directory is what git itself uses (`git rev-parse --git-path hooks`), so
`core.hooksPath` and worktrees are respected. A hook that is already there and
is not mlvc's is renamed `<hook>.pre-mlvc`; mlvc's script runs it first (its
failure counts) and `uninstall` puts it back.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mlvc.errors import HookError
from mlvc.fsutil import write_file_atomic
from mlvc.git.worktree import run_git
from mlvc.workspace.results import JsonRecord

HOOKS = ("pre-commit", "post-checkout", "post-merge", "post-rewrite", "pre-push")
MARKER = "# mlvc-managed-hook"
CHAINED_SUFFIX = ".pre-mlvc"


@dataclass(frozen=True)
class HookState(JsonRecord):
    """One hook's installation."""

    hook: str
    state: str
    """'installed', 'not installed' or 'foreign' (another tool's hook, not chained)."""
    chains: bool
    """Whether an earlier hook is kept and run first."""
    path: str


def hooks_dir(root: Path) -> Path:
    """Where git looks for hooks in this work tree (honours core.hooksPath and worktrees)."""
    text = run_git(root, "rev-parse", "--git-path", "hooks").decode().strip()
    path = Path(text)
    return path if path.is_absolute() else (root / path)


def shim_text(python: str = sys.executable) -> str:
    """The hook script, bound to the interpreter that runs this mlvc."""
    template = resources.files("mlvc.hook_scripts").joinpath("mlvc-hook").read_text()
    return template.replace("@PYTHON@", shlex.quote(python))


def is_ours(path: Path) -> bool:
    """Whether the file at `path` is an mlvc hook script (of any version)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return MARKER in stream.read(4096)
    except (FileNotFoundError, IsADirectoryError):
        return False


def install_hooks(root: Path, *, force: bool = False) -> list[HookState]:
    """Install (or upgrade) every hook; keep and chain to hooks that were there."""
    directory = hooks_dir(root)
    directory.mkdir(parents=True, exist_ok=True)
    text = shim_text()
    for hook in HOOKS:
        target = directory / hook
        chained = directory / (hook + CHAINED_SUFFIX)
        if target.exists() and not is_ours(target):
            if chained.exists() and not force:
                raise HookError(
                    hook,
                    f"both {target} and {chained} exist; move one away or use --force "
                    f"(which replaces {chained.name})",
                )
            os.replace(target, chained)
        write_file_atomic(target, text.encode())
        target.chmod(0o755)
    return hooks_status(root)


def uninstall_hooks(root: Path) -> list[HookState]:
    """Remove mlvc's hooks and put back the ones they replaced."""
    directory = hooks_dir(root)
    for hook in HOOKS:
        target = directory / hook
        chained = directory / (hook + CHAINED_SUFFIX)
        if is_ours(target):
            target.unlink()
            if chained.exists():
                os.replace(chained, target)
    return hooks_status(root)


def hooks_status(root: Path) -> list[HookState]:
    """The state of every hook mlvc manages."""
    directory = hooks_dir(root)
    states = []
    for hook in HOOKS:
        target = directory / hook
        chains = (directory / (hook + CHAINED_SUFFIX)).exists()
        if is_ours(target):
            state = "installed"
        elif target.exists():
            state = "foreign"
        else:
            state = "not installed"
        states.append(HookState(hook, state, chains, str(target)))
    return states
