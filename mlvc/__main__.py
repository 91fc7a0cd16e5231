"""`python -m mlvc`: the same as the `mlvc` command."""

from mlvc.cli import main

main()
