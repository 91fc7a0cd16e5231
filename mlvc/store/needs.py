"""Which records a set of pointers needs, and which tracked file needs each one.

Local gc, push, fetch and remote gc all walk pointers the same way: a pointer
names a blob; a directory pointer's tree names one blob per file; a blob is a
chunk record, or a manifest record and the chunks it lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlvc.hashing import Oid
from mlvc.pointer import Pointer, PointerKind
from mlvc.store.objects import ObjectStore
from mlvc.store.packfile import RecordKind
from mlvc.tree import decode_tree
from mlvc.workspace.scan import join

Attribution = dict[Oid, str]
"""Record oid -> one tracked file that needs it (for error messages)."""


def pointer_blobs(store: ObjectStore, pointers: Iterable[tuple[str, Pointer]]) -> Attribution:
    """The blobs the pointers name: each file, each tree and each file of a tree.

    A tree must be in the store to be expanded; one that is not is still listed.
    """
    blobs: Attribution = {}
    for path, pointer in pointers:
        if pointer.oid in blobs:
            continue  # the same file or tree under another path or commit
        blobs[pointer.oid] = path
        if pointer.kind is PointerKind.DIR and not store.missing_chunks(pointer.oid):
            for entry in decode_tree(store.read_blob(pointer.oid), pointer.oid):
                blobs.setdefault(entry.oid, join(path, entry.path))
    return blobs


def blob_records(store: ObjectStore, blobs: Attribution) -> tuple[Attribution, Attribution]:
    """The stored records the blobs are made of, and the records they need that are not stored.

    A manifest's chunks are known only once the manifest is stored, so a missing
    manifest is reported alone; fetch asks again after downloading it.
    """
    records: Attribution = {}
    missing: Attribution = {}
    for blob, path in blobs.items():
        location = store.locate(blob)
        if location is None:
            missing.setdefault(blob, path)
            continue
        records.setdefault(blob, path)
        if location.entry.kind is RecordKind.MANIFEST:
            for chunk in store.blob_chunks(blob):
                target = records if chunk in store.table else missing
                target.setdefault(chunk, path)
    return records, missing
