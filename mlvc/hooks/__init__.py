"""Git hooks: installing the shims, and what each hook does."""
