from __future__ import annotations

import pytest

from mlvc.errors import PointerFormatError
from mlvc.hashing import hash_bytes
from mlvc.pointer import Pointer, PointerKind, parse_pointer

OID = hash_bytes(b"hello")


def test_file_pointer_has_one_canonical_text() -> None:
    pointer = Pointer(PointerKind.FILE, OID, 5, 1, executable=True)
    text = pointer.dumps()
    assert text == (
        "version: mlvc/1\nkind: file\n"
        f"oid: xxh128:{OID.hex()}\nsize: 5\nfiles: 1\nexecutable: true\n"
    )
    assert parse_pointer(text.encode(), "p") == pointer


def test_unknown_keys_are_kept_and_written_sorted() -> None:
    text = (
        f"version: mlvc/1\nkind: dir\noid: xxh128:{OID.hex()}\nsize: 10\nfiles: 3\n"
        "zeta: 1\nalpha: two words\n"
    )
    pointer = parse_pointer(text.encode(), "p")
    assert pointer.extra == {"zeta": "1", "alpha": "two words"}
    assert pointer.dumps().endswith("alpha: two words\nzeta: 1\n")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"\x00\xff garbage", "not UTF-8"),
        (b"hello world\n", "line 1"),
        (b"version: mlvc/9\nkind: file\n", "unsupported version"),
        (b"kind: file\n", "unsupported version 'none'"),
        (b"version: mlvc/1\nkind: file\noid: xxh128:zz\nsize: 1\nfiles: 1\n", "bad oid"),
        (b"version: mlvc/1\nkind: blob\n", "unknown kind"),
        (b"version: mlvc/1\nkind: file\n", "missing key 'oid'"),
        (
            f"version: mlvc/1\nkind: file\noid: xxh128:{OID.hex()}\nsize: -1\nfiles: 1\n".encode(),
            "non-negative",
        ),
        (
            f"version: mlvc/1\nkind: file\noid: xxh128:{OID.hex()}\nsize: 1\nfiles: 2\n".encode(),
            "files: 1",
        ),
        (b"version: mlvc/1\nversion: mlvc/1\n", "twice"),
        (b"x" * 2000, "larger than"),
    ],
)
def test_bad_pointers_are_rejected_with_a_reason(text: bytes, reason: str) -> None:
    with pytest.raises(PointerFormatError) as caught:
        parse_pointer(text, "data.mlvc")
    assert reason in str(caught.value)
    assert str(caught.value).startswith("invalid pointer file data.mlvc:")
