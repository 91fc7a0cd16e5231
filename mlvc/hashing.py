"""Object ids: XXH3-128 digests, written in text as ``xxh128:<32 hex digits>``."""

from __future__ import annotations

import re
from pathlib import Path

import xxhash

OID_SIZE = 16
HASH_NAME = "xxh128"
_TEXT_FORM = re.compile(rf"^{HASH_NAME}:([0-9a-f]{{32}})$")
_READ_SIZE = 1 << 20

Oid = bytes
"""A 16-byte XXH3-128 digest."""


def hash_bytes(data: bytes | bytearray | memoryview) -> Oid:
    """Return the object id of `data`."""
    return xxhash.xxh3_128_digest(data)


def new_hasher() -> xxhash.xxh3_128:
    """Return a streaming hasher whose digest is an object id."""
    return xxhash.xxh3_128()


def hash_file(path: Path) -> Oid:
    """Return the object id of a file's content, read in 1 MiB blocks."""
    hasher = new_hasher()
    buffer = bytearray(_READ_SIZE)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as stream:
        while count := stream.readinto(view):
            hasher.update(view[:count])
    return hasher.digest()


def oid_to_text(oid: Oid) -> str:
    """Render an object id as ``xxh128:<hex>``."""
    return f"{HASH_NAME}:{oid.hex()}"


def oid_from_text(text: str) -> Oid | None:
    """Parse ``xxh128:<hex>``; return None when `text` is not of that form."""
    match = _TEXT_FORM.match(text)
    return bytes.fromhex(match.group(1)) if match else None
