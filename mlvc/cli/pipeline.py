"""Pipeline commands: repro, validate, metrics show, metrics diff."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlvc.cli import app
from mlvc.cli.output import echo, print_json
from mlvc.repo import Repo

if TYPE_CHECKING:
    from mlvc.pipeline.runner import StageRun

metrics_app = typer.Typer(help="Show and compare the pipeline's metrics.", no_args_is_help=True)
app.add_typer(metrics_app, name="metrics")

Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def describe_run(run: StageRun) -> str:
    """One line per stage: whether it runs and why."""
    why = ", ".join(run.reasons)
    if run.outcome == "up to date":
        return f"Stage '{run.stage}' is up to date"
    if run.outcome == "would run":
        return f"Running stage '{run.stage}': {why}"
    return f"Stage '{run.stage}' {run.outcome}: {why}"


@app.command()
def repro(
    stages: Annotated[list[str] | None, typer.Argument(help="Stages (default: all).")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Only say what would run, and why.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="Run even if up to date.")] = False,
    json_output: Json = False,
) -> None:
    """Run the stages whose inputs changed, and those downstream, in order."""

    def announce(run: StageRun) -> None:
        line = describe_run(run)
        if dry_run and run.outcome == "would run":
            line = line.replace("Running stage", "Would run stage", 1)
        echo(line)

    with Repo(Path.cwd()) as repo:
        runs = repo.repro(
            stages or [], dry_run=dry_run, force=force, announce=None if json_output else announce
        )
    if json_output:
        print_json([run.to_json() for run in runs])
    elif not any(run.reasons for run in runs):
        echo("Nothing to do: every stage is up to date.")


@app.command()
def validate(
    all_stages: Annotated[
        bool, typer.Option("--all", help="Run every validation stage, changed or not.")
    ] = False,
    json_output: Json = False,
) -> None:
    """Run the validation stages whose inputs changed; fail when one misses a threshold."""
    with Repo(Path.cwd()) as repo:
        runs = repo.validate(all_stages=all_stages, announce=None if json_output else _announce)
    if json_output:
        print_json([run.to_json() for run in runs])
        return
    for run in runs:
        if run.outcome == "ran":
            echo(f"validation '{run.stage}' passed")
    if not runs:
        echo("No validation stages.")


def _announce(run: StageRun) -> None:
    echo(describe_run(run))


def _rows(data: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"file": file, "key": key, "value": value}
        for file, values in sorted(data.items())
        for key, value in sorted(values.items())
    ]


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_edge=False)
    for column in columns:
        table.add_column(
            column, justify="right" if column in ("value", "old", "new", "change") else "left"
        )
    for row in rows:
        table.add_row(*row)
    Console(highlight=False).print(table)


Markdown = Annotated[bool, typer.Option("--md", help="Print a Markdown table.")]


def _markdown(columns: list[str], rows: list[list[str]]) -> None:
    echo("| " + " | ".join(columns) + " |")
    echo("|" + "---|" * len(columns))
    for row in rows:
        echo("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")


def _openmetrics_name(file: str, key: str) -> str:
    import re

    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[^a-zA-Z0-9_]", "_", f"{stem}_{key}")


@metrics_app.command("show")
def metrics_show(
    json_output: Json = False,
    markdown: Markdown = False,
    openmetrics: Annotated[
        bool, typer.Option("--openmetrics", help="Print 'name value' lines (GitLab metrics).")
    ] = False,
) -> None:
    """Show the metrics in the workspace."""
    from mlvc.pipeline.metrics import read_metrics

    with Repo(Path.cwd()) as repo:
        rows = _rows(read_metrics(repo, None))
    if json_output:
        print_json(rows)
        return
    if openmetrics:
        for row in rows:
            if isinstance(row["value"], int | float) and not isinstance(row["value"], bool):
                echo(f"{_openmetrics_name(row['file'], row['key'])} {row['value']}")
        return
    if markdown:
        _markdown(["file", "key", "value"], [[r["file"], r["key"], f"{r['value']}"] for r in rows])
        return
    _table(
        "metrics", ["file", "key", "value"], [[r["file"], r["key"], f"{r['value']}"] for r in rows]
    )


@metrics_app.command("diff")
def metrics_diff(
    old: Annotated[str | None, typer.Argument(help="Old revision (default: HEAD).")] = None,
    new: Annotated[str | None, typer.Argument(help="New revision (default: workspace).")] = None,
    json_output: Json = False,
    markdown: Markdown = False,
) -> None:
    """Compare metrics between two revisions (or a revision and the workspace)."""
    from mlvc.pipeline.metrics import diff_metrics

    with Repo(Path.cwd()) as repo:
        changes = diff_metrics(repo, old or "HEAD", new)
    if json_output:
        print_json([{**change.to_json(), "change": change.delta} for change in changes])
        return
    rows = []
    for change in changes:
        delta = change.delta
        rows.append(
            [
                change.file,
                change.key,
                "-" if change.old is None else f"{change.old}",
                "-" if change.new is None else f"{change.new}",
                "-" if delta is None else f"{delta:+g}",
            ]
        )
    _table(
        f"metrics: {old or 'HEAD'} -> {new or 'workspace'}",
        ["file", "key", "old", "new", "change"],
        rows,
    )


ci_app = typer.Typer(
    help="Generate CI workflows that reproduce and validate.", no_args_is_help=True
)
app.add_typer(ci_app, name="ci")


@ci_app.command("init")
def ci_init(
    system: Annotated[str, typer.Argument(help="github or gitlab")],
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Replace mlvc's part even if edited by hand.")
    ] = False,
) -> None:
    """Write .github/workflows/mlvc.yml or .gitlab-ci.yml (or update mlvc's part of it)."""
    from mlvc.ci import init_ci

    with Repo(Path.cwd()) as repo:
        result = init_ci(repo, system, force=force)
    echo(f"{result.action} {result.path}, run when these change: {', '.join(result.triggers)}")
