"""`mlvc rm`: stop tracking paths. Their data stays in the workspace and in the cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlvc.errors import NotTrackedError
from mlvc.git.ignore import remove_ignores
from mlvc.pointer import pointer_path_of

if TYPE_CHECKING:
    from mlvc.repo import Repo


def remove_paths(repo: Repo, paths: list[str]) -> list[str]:
    """Delete the pointer files and `.gitignore` entries of tracked paths."""
    for path in paths:
        if not (repo.root / pointer_path_of(path)).is_file():
            raise NotTrackedError(path)
    with repo.locked(exclusive=True):
        for path in paths:
            (repo.root / pointer_path_of(path)).unlink()
        remove_ignores(repo.root, paths)
    return paths
