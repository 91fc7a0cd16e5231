"""Everything mlvc asks of git: the work tree, its files, its history."""
