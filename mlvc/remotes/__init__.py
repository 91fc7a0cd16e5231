"""Remotes: object stores that hold packs, and the transfers to and from them."""
