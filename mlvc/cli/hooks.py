"""Hook commands: hooks install/uninstall/status, and hook-run (what the hook scripts call)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mlvc.cli import app
from mlvc.cli.output import echo, print_json
from mlvc.repo import Repo

hooks_app = typer.Typer(help="Install the git hooks that keep data in step.", no_args_is_help=True)
app.add_typer(hooks_app, name="hooks")

Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _render(states: list, json_output: bool) -> None:  # type: ignore[type-arg]
    if json_output:
        print_json([state.to_json() for state in states])
        return
    for state in states:
        chain = ", runs the hook it replaced first" if state.chains else ""
        echo(f"{state.hook}: {state.state}{chain}")


@hooks_app.command("install")
def hooks_install(
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Replace an earlier kept hook (<hook>.pre-mlvc).")
    ] = False,
    json_output: Json = False,
) -> None:
    """Install pre-commit, post-checkout, post-merge, post-rewrite and pre-push hooks."""
    from mlvc.hooks.install import install_hooks

    _render(install_hooks(Repo(Path.cwd()).root, force=force), json_output)


@hooks_app.command("uninstall")
def hooks_uninstall(json_output: Json = False) -> None:
    """Remove mlvc's hooks and restore the hooks they replaced."""
    from mlvc.hooks.install import uninstall_hooks

    _render(uninstall_hooks(Repo(Path.cwd()).root), json_output)


@hooks_app.command("status")
def hooks_status(json_output: Json = False) -> None:
    """Show which hooks are installed."""
    from mlvc.hooks.install import hooks_status as states

    _render(states(Repo(Path.cwd()).root), json_output)


@app.command("hook-run", hidden=True)
def hook_run(
    hook: str,
    args: Annotated[list[str] | None, typer.Argument()] = None,
) -> None:
    """Run one hook's work (called by the installed hook scripts)."""
    from mlvc.hooks import actions

    if os.environ.get("MLVC_SKIP_HOOKS", "0") not in ("", "0"):
        return
    args = args or []
    with Repo(Path.cwd()) as repo:
        if hook == "pre-commit":
            actions.pre_commit(repo)
        elif hook == "post-checkout":
            # the third argument is 1 for a branch checkout, 0 for a file checkout
            checkout_type = args[2] if len(args) > 2 else os.environ.get("PRE_COMMIT_CHECKOUT_TYPE")
            if checkout_type != "0":
                actions.sync_workspace(repo, hook)
        elif hook in ("post-merge", "post-rewrite"):
            actions.sync_workspace(repo, hook)
        elif hook == "pre-push":
            remote_name = args[0] if args else os.environ.get("PRE_COMMIT_REMOTE_NAME", "")
            updates = [line for line in sys.stdin.read().splitlines() if line.strip()]
            if not updates and os.environ.get("PRE_COMMIT_TO_REF"):
                # under the pre-commit framework the refs come as variables, not stdin
                updates = [
                    f"ref {os.environ['PRE_COMMIT_TO_REF']} ref "
                    f"{os.environ.get('PRE_COMMIT_FROM_REF') or '0' * 40}"
                ]
            actions.pre_push(repo, remote_name, updates)
        else:
            raise typer.BadParameter(f"unknown hook {hook}")
