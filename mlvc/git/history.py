"""Reading pointer files out of git history with pygit2 (no checkout needed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mlvc.errors import GitCommandError, RevisionError
from mlvc.pointer import POINTER_SUFFIX

PointerBlobs = dict[str, bytes]
"""Pointer file path -> pointer file bytes."""


class GitHistory:
    """A pygit2 view of the repository, opened on first use."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._repository: Any = None

    @property
    def repository(self) -> Any:
        """The pygit2.Repository (pygit2 is imported lazily: it is slow to import)."""
        if self._repository is None:
            import pygit2

            try:
                self._repository = pygit2.Repository(str(self._root))
            except pygit2.GitError as exc:
                raise GitCommandError("pygit2 open", str(exc)) from exc
        return self._repository

    def resolve(self, revision: str) -> Any:
        """The commit a revision names."""
        import pygit2

        try:
            obj = self.repository.revparse_single(revision)
            return obj.peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
            raise RevisionError(revision) from None

    def pointers_at(self, revision: str) -> PointerBlobs:
        """Every pointer file in the tree of `revision`."""
        found: PointerBlobs = {}
        for path, blob_id in self._walk_tree(self.resolve(revision).tree, "", None):
            found[path] = self.repository[blob_id].data
        return found

    def file_at(self, revision: str, path: str) -> bytes | None:
        """A file's bytes at `revision`, or None when it does not exist there."""
        tree = self.resolve(revision).tree
        try:
            entry = tree[path]
        except KeyError:
            return None
        data: bytes = self.repository[entry.id].data
        return data

    def reachable_pointers(self) -> Iterator[tuple[str, bytes]]:
        """Pointer files of every commit reachable from a branch (local or remote-tracking), a tag
        or HEAD.

        Each distinct tree and pointer blob is visited once, so long histories
        with few changes cost little.
        """
        import pygit2

        repository = self.repository
        tips = []
        for name in repository.references:
            if name.startswith(("refs/heads/", "refs/tags/", "refs/remotes/")):
                tips.append(name)
        if not repository.head_is_unborn:
            tips.append("HEAD")
        if not tips:
            return
        walker = repository.walk(None)
        for name in tips:
            try:
                target = repository.revparse_single(name).peel(pygit2.Commit)
            except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
                continue  # a tag of a tree or blob has no history to walk
            walker.push(target.id)
        yield from self._commits_pointers(walker)

    def commits_pointers(self, revisions: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Pointer files of the given commits, each distinct tree and blob read once (so a
        subtree repeated at two paths is listed at one of them)."""
        return self._commits_pointers(self.resolve(revision) for revision in revisions)

    def _commits_pointers(self, commits: Iterable[Any]) -> Iterator[tuple[str, bytes]]:
        seen_trees: set[Any] = set()
        seen_blobs: set[Any] = set()
        for commit in commits:
            for path, blob_id in self._walk_tree(commit.tree, "", seen_trees):
                if blob_id not in seen_blobs:
                    seen_blobs.add(blob_id)
                    yield path, self.repository[blob_id].data

    def _walk_tree(
        self, tree: Any, prefix: str, seen: set[Any] | None
    ) -> Iterator[tuple[str, Any]]:
        """Pointer blobs below `tree`; trees already in `seen` are skipped (when given)."""
        import pygit2

        if seen is not None:
            if tree.id in seen:
                return
            seen.add(tree.id)
        for item in tree:
            path = prefix + item.name
            if item.type == pygit2.enums.ObjectType.TREE:
                yield from self._walk_tree(self.repository[item.id], path + "/", seen)
            elif item.type == pygit2.enums.ObjectType.BLOB and item.name.endswith(POINTER_SUFFIX):
                yield path, item.id
