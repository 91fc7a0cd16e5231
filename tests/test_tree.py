from __future__ import annotations

import pytest

from mlvc.errors import TreeFormatError
from mlvc.hashing import hash_bytes
from mlvc.tree import EntryMode, TreeEntry, decode_tree, encode_tree


def test_tree_round_trips_odd_names_in_sorted_order() -> None:
    entries = [
        TreeEntry("z/ñame with space.bin", hash_bytes(b"1"), 1, EntryMode.FILE),
        TreeEntry('quote"and\\back\tslash', hash_bytes(b"2"), 2, EntryMode.EXEC),
        TreeEntry("a/link", hash_bytes(b"target"), 6, EntryMode.LINK),
    ]
    data = encode_tree(entries)
    assert data.startswith(b"mlvc-tree 1\n")
    decoded = decode_tree(data, hash_bytes(data))
    assert decoded == sorted(entries, key=lambda entry: entry.path)
    assert encode_tree(reversed(entries)) == data


@pytest.mark.parametrize(
    "data",
    [b"not a tree\n", b'mlvc-tree 1\nfile 00 1 "x"\n', b"mlvc-tree 1\nfile", b"\xff\n"],
)
def test_malformed_trees_are_rejected(data: bytes) -> None:
    with pytest.raises(TreeFormatError):
        decode_tree(data, hash_bytes(data))
