"""Remote commands: remote add/list/modify/remove/default, push, fetch, pull."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlvc.cli import app
from mlvc.cli.output import echo, make_progress, print_json
from mlvc.config import DEFAULT_JOBS
from mlvc.fsutil import human_size
from mlvc.repo import Repo

remote_app = typer.Typer(help="Define where data is pushed and pulled from.", no_args_is_help=True)
app.add_typer(remote_app, name="remote")

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
Local = Annotated[
    bool, typer.Option("--local", help="Write .mlvc/config.local.toml (not committed).")
]
RemoteName = Annotated[
    str | None, typer.Option("--remote", "-r", help="Remote to use (default: the default one).")
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help=f"Parallel transfers (default {DEFAULT_JOBS})."),
]
Paths = Annotated[list[Path] | None, typer.Argument(help="Tracked paths (default: all).")]
Revisions = Annotated[
    list[str] | None,
    typer.Option("--rev", help="Use the pointers of this git revision (repeatable)."),
]
AllCommits = Annotated[
    bool,
    typer.Option("--all-commits", help="Use the pointers of every commit of every branch and tag."),
]


@remote_app.command("add")
def remote_add(
    name: str,
    url: str,
    default: Annotated[bool, typer.Option("--default", "-d", help="Make it the default.")] = False,
    local: Local = False,
) -> None:
    """Define a remote: a local directory, s3://bucket/prefix, or any fsspec URL."""
    from mlvc.remotes.settings import add_remote

    add_remote(Repo(Path.cwd()).mlvc_dir, name, url, default=default, local=local)
    echo(f"added remote {name} ({url})" + (", the default" if default else ""))


@remote_app.command("list")
def remote_list(json_output: Json = False) -> None:
    """List remotes and their options (secrets hidden)."""
    from mlvc.remotes.settings import SECRET_KEYS, read_remotes

    remotes, default = read_remotes(Repo(Path.cwd()).mlvc_dir)
    shown = {
        name: {k: ("***" if k in SECRET_KEYS else v) for k, v in item.options.items()}
        for name, item in sorted(remotes.items())
    }
    if json_output:
        print_json({"default": default, "remotes": shown})
        return
    for name, options in shown.items():
        extra = " ".join(f"{k}={v}" for k, v in sorted(options.items()) if k != "url")
        marker = " (default)" if name == default else ""
        echo(f"{name}\t{options['url']}{marker}" + (f"\t{extra}" if extra else ""))


@remote_app.command("modify")
def remote_modify(
    name: str,
    key: str,
    value: Annotated[str | None, typer.Argument()] = None,
    unset: Annotated[bool, typer.Option("--unset", "-u", help="Remove the option.")] = False,
    local: Local = False,
) -> None:
    """Set an option: url, endpoint_url, region, profile, jobs, or (with --local) a secret."""
    from mlvc.remotes.settings import modify_remote

    if value is None and not unset:
        raise typer.BadParameter("give a VALUE, or --unset")
    modify_remote(Repo(Path.cwd()).mlvc_dir, name, key, None if unset else value, local=local)


@remote_app.command("remove")
def remote_remove(name: str) -> None:
    """Forget a remote (its data is left where it is)."""
    from mlvc.remotes.settings import remove_remote

    remove_remote(Repo(Path.cwd()).mlvc_dir, name)


@remote_app.command("default")
def remote_default(name: str, local: Local = False) -> None:
    """Make a remote the default one."""
    from mlvc.remotes.settings import set_default_remote

    set_default_remote(Repo(Path.cwd()).mlvc_dir, name, local=local)


def _transfer_command(verb: str, help_text: str) -> None:
    """Register `push` or `fetch`: the same options, one Repo method each."""

    def command(
        paths: Paths = None,
        rev: Revisions = None,
        all_commits: AllCommits = False,
        remote: RemoteName = None,
        jobs: Jobs = None,
        quiet: Quiet = False,
        json_output: Json = False,
    ) -> None:
        with Repo(Path.cwd()) as repo:
            method = repo.push if verb == "push" else repo.fetch
            result = method(
                paths or [],
                revisions=rev or [],
                all_commits=all_commits,
                remote=remote,
                jobs=jobs,
                progress=make_progress(quiet),
            )
        if json_output:
            print_json(result.to_json())
        elif not quiet:
            echo(result.summary())

    command.__doc__ = help_text
    app.command(verb)(command)


_transfer_command("push", "Upload the data of tracked paths that the remote does not have yet.")
_transfer_command("fetch", "Download into the cache the data the pointers (or revisions) need.")


@app.command()
def pull(
    paths: Paths = None,
    remote: RemoteName = None,
    jobs: Jobs = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Overwrite local changes not in the cache.")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Fetch the data the workspace pointers need, then check it out."""
    with Repo(Path.cwd()) as repo:
        fetched, checked_out = repo.pull(
            paths or [], remote=remote, jobs=jobs, force=force, progress=make_progress(quiet)
        )
    if not quiet:
        echo(
            f"fetched {fetched.records_fetched} objects ({human_size(fetched.bytes_received)}); "
            f"{len(checked_out.written)} written, {len(checked_out.deleted)} deleted, "
            f"{checked_out.unchanged} unchanged"
        )
