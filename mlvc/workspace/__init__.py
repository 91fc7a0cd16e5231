"""The workspace commands: add, status, checkout, diff, rm."""
