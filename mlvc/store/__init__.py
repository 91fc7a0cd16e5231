"""Packs, the object store built on them, the stat cache and garbage collection."""
