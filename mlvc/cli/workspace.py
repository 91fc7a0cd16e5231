"""Workspace commands: init, add, status, checkout, diff, rm, gc."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlvc.cli import app
from mlvc.cli.output import echo, make_progress, print_json
from mlvc.fsutil import human_size
from mlvc.repo import Repo
from mlvc.workspace.results import FileChange, PathState, PathStatus

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.command()
def init(quiet: Quiet = False) -> None:
    """Set up mlvc in the current git work tree (harmless when already done)."""
    repo = Repo.init(Path.cwd())
    if not quiet:
        echo(f"Initialized mlvc in {repo.mlvc_dir}")
        echo("Commit .mlvc/config.toml and .mlvc/.gitignore to share the setup.")


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files and directories to track.")],
    quiet: Quiet = False,
) -> None:
    """Store files and directories in the cache and write PATH.mlvc pointer files."""
    with Repo(Path.cwd()) as repo:
        results = repo.add(paths, progress=make_progress(quiet))
    if quiet:
        return
    for result in results:
        pointer = result.pointer
        what = f"{pointer.files} files, " if pointer.kind == "dir" else ""
        verb = "added" if result.changed else "unchanged"
        echo(
            f"{verb} {result.path} ({what}{human_size(pointer.size)}, "
            f"{human_size(result.new_bytes)} new in the cache)"
        )
    changed = [f"'{r.path}.mlvc'" for r in results if r.changed]
    if changed:
        echo(f"To record this in git: git add {' '.join(changed)} .gitignore")


def _render_change(change: FileChange) -> str:
    sizes = {
        "added": human_size(change.new_size),
        "deleted": human_size(change.old_size),
        "modified": f"{human_size(change.old_size)} -> {human_size(change.new_size)}",
    }[change.change.value]
    return f"{change.change.value + ':':10} {change.path} ({sizes})"


def _render_status(status: PathStatus) -> list[str]:
    label = status.state.value
    if not status.in_cache:
        label += ", not in cache"
    lines = [f"{status.path}: {label}"]
    if status.kind == "dir" or status.state is not PathState.MODIFIED:
        lines.extend("    " + _render_change(change) for change in status.changes)
    return lines


@app.command()
def status(
    json_output: Json = False,
    remote: Annotated[
        bool, typer.Option("--remote", help="List what is not pushed to the remote yet.")
    ] = False,
    remote_name: Annotated[
        str | None, typer.Option("-r", help="Remote for --remote (default: the default one).")
    ] = None,
) -> None:
    """Show, for each tracked path, whether the workspace matches its pointer."""
    if remote or remote_name:
        _remote_status(remote_name, json_output)
        return
    with Repo(Path.cwd()) as repo:
        statuses = repo.status()
        stale = repo.stale_stages()
    if json_output:
        print_json(
            {
                "paths": [item.to_json() for item in statuses],
                "stages": [{"stage": run.stage, "reasons": run.reasons} for run in stale],
            }
        )
        return
    if not statuses:
        echo("No tracked paths.")
    for item in statuses:
        for line in _render_status(item):
            echo(line)
    for run in stale:
        echo(f"{run.stage} is stale: {', '.join(run.reasons)}")


def _remote_status(name: str | None, json_output: bool) -> None:
    with Repo(Path.cwd()) as repo:
        missing = repo.remote_status(name)
        tracked = repo.tracked_paths()
    if json_output:
        print_json([{"path": path, "missing_objects": missing.get(path, 0)} for path in tracked])
        return
    for path in tracked:
        count = missing.get(path, 0)
        echo(f"{path}: not pushed ({count} objects missing)" if count else f"{path}: pushed")


@app.command()
def checkout(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Tracked paths (default: all).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Overwrite local changes not in the cache.")
    ] = False,
    quiet: Quiet = False,
    json_output: Json = False,
) -> None:
    """Make the workspace match the pointer files, from the cache."""
    with Repo(Path.cwd()) as repo:
        result = repo.checkout(paths or [], force=force, progress=make_progress(quiet))
    if json_output:
        print_json(result.to_json())
    elif not quiet:
        echo(
            f"{len(result.written)} written, {len(result.deleted)} deleted, "
            f"{result.unchanged} unchanged"
        )


@app.command()
def diff(
    old: Annotated[str | None, typer.Argument(help="Old revision (default: HEAD).")] = None,
    new: Annotated[str | None, typer.Argument(help="New revision (default: workspace).")] = None,
    json_output: Json = False,
) -> None:
    """List tracked files added, modified or deleted between two revisions."""
    with Repo(Path.cwd()) as repo:
        changes = repo.diff(old, new)
    if json_output:
        print_json([change.to_json() for change in changes])
        return
    for change in changes:
        echo(_render_change(change))
    if not changes:
        echo("No changes.")


@app.command("rm")
def remove(
    paths: Annotated[list[Path], typer.Argument(help="Tracked paths to stop tracking.")],
    quiet: Quiet = False,
) -> None:
    """Stop tracking paths; their data stays in the workspace and the cache."""
    with Repo(Path.cwd()) as repo:
        removed = repo.remove(paths)
    if not quiet:
        for path in removed:
            echo(f"stopped tracking {path} (removed {path}.mlvc)")


@app.command()
def gc(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Only report what would be deleted.")
    ] = False,
    workspace_only: Annotated[
        bool, typer.Option("--workspace-only", "-w", help="Keep only what the workspace uses.")
    ] = False,
    remote: Annotated[
        str | None,
        typer.Option("--remote", "-r", help="Collect in this remote instead of the cache."),
    ] = None,
    json_output: Json = False,
    quiet: Quiet = False,
) -> None:
    """Delete cached data no pointer in the workspace, a branch or a tag references."""
    with Repo(Path.cwd()) as repo:
        result = repo.gc(
            dry_run=dry_run,
            workspace_only=workspace_only,
            remote=remote,
            progress=make_progress(quiet),
        )
    if json_output:
        print_json(result.to_json())
        return
    if quiet:
        return
    verb = "would free" if result.dry_run else "freed"
    echo(
        f"{verb} {human_size(result.bytes_freed)} of {human_size(result.bytes_before)}: "
        f"{result.objects_removed} objects removed, {result.objects_kept} kept, "
        f"{result.packs_removed} packs deleted, {result.packs_rewritten} rewritten"
    )
