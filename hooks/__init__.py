"""The git hook script `mlvc hooks install` writes (shipped in the package as mlvc.hook_scripts)."""
