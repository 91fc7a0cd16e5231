"""The `mlvc` command line: parse arguments, call `mlvc.Repo`, render. Errors end here."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click
import typer

from mlvc.errors import MlvcError

app = typer.Typer(
    name="mlvc",
    help="Git-native data and model versioning with chunk-level deduplication.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Importing the command modules registers their commands, in this order in --help.
# isort: off
from mlvc.cli import workspace as _workspace  # noqa: E402, F401
from mlvc.cli import remote as _remote  # noqa: E402, F401
from mlvc.cli import pipeline as _pipeline  # noqa: E402, F401
from mlvc.cli import hooks as _hooks  # noqa: E402, F401
# isort: on

EXIT_INTERRUPTED = 130
EXIT_UNEXPECTED = 3


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; turn every error into a one-line message and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        status = app(args=args, prog_name="mlvc", standalone_mode=False)
    except MlvcError as error:
        _fail(f"error: {error}", error.exit_code)
    except click.ClickException as usage:
        usage.show()
        sys.exit(usage.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as failure:
        if os.environ.get("MLVC_DEBUG"):
            raise
        # disk full, permission denied...: the system's words, and where
        where = f": {failure.filename}" if failure.filename else ""
        _fail(f"error: {failure.strerror or failure}{where}", 1)
    except Exception as unexpected:
        if _during_interrupt(unexpected):
            _fail("interrupted", EXIT_INTERRUPTED)  # cleanup after Ctrl-C failed in turn
        if os.environ.get("MLVC_DEBUG"):
            raise
        _fail(
            f"unexpected error: {type(unexpected).__name__}: {unexpected} "
            "(set MLVC_DEBUG=1 for a traceback)",
            EXIT_UNEXPECTED,
        )
    if status == EXIT_INTERRUPTED:
        _fail("interrupted", EXIT_INTERRUPTED)  # typer turns Ctrl-C into this exit status
    sys.exit(status if isinstance(status, int) else 0)


def _during_interrupt(error: BaseException) -> bool:
    """Whether `error` was raised while a Ctrl-C was being handled."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__context__ or current.__cause__
    return False


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"mlvc: {message}\n")
    sys.exit(code)
