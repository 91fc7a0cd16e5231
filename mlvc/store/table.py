"""An in-memory lookup over the indexes of a set of packs (local or remote)."""

from __future__ import annotations

from dataclasses import dataclass

from mlvc.hashing import OID_SIZE, Oid
from mlvc.store.packfile import IndexEntry, entry_at, index_entry_offsets


@dataclass(frozen=True, slots=True)
class Location:
    """A record's pack and index entry."""

    pack: str
    entry: IndexEntry


class PackTable:
    """Maps an oid to (pack name, offset of its entry in that pack's index bytes).

    Entries are decoded only when looked up, which keeps loading hundreds of
    thousands of records cheap. When two packs hold the same oid, the first
    index added wins; the other copy is redundant.
    """

    def __init__(self) -> None:
        self._oids: dict[Oid, tuple[str, int]] = {}
        self._indexes: dict[str, bytes] = {}

    def add_index(self, name: str, data: bytes) -> None:
        """Add one verified index."""
        self._indexes[name] = data
        oids = self._oids
        for offset in index_entry_offsets(data):
            oids.setdefault(data[offset : offset + OID_SIZE], (name, offset))

    def __contains__(self, oid: Oid) -> bool:
        return oid in self._oids

    def __len__(self) -> int:
        return len(self._oids)

    def locate(self, oid: Oid) -> Location | None:
        """Where the record with this oid is, or None."""
        found = self._oids.get(oid)
        if found is None:
            return None
        name, offset = found
        return Location(name, entry_at(self._indexes[name], offset))

    def home(self, oid: Oid) -> str | None:
        """The pack lookups use for `oid`; copies of its record in other packs are redundant."""
        found = self._oids.get(oid)
        return found[0] if found else None

    def entries(self, pack: str) -> list[IndexEntry]:
        """Every entry of one pack's index."""
        data = self._indexes[pack]
        return [entry_at(data, offset) for offset in index_entry_offsets(data)]

    def pack_names(self) -> list[str]:
        """Every pack added, sorted."""
        return sorted(self._indexes)
