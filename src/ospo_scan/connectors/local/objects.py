"""Git objects read from `.git/objects` as plain files: loose objects and pack files, bounded.

Git is never run. A loose object is one zlib stream. A packed object is found through its pack's
index (version 2) by a binary search of a few 20-byte reads, inflated from its offset in the pack,
and rebuilt through its delta chain when git stored it as a delta against another object. Every
read is bounded: an object is inflated up to `MAX_OBJECT_BYTES`, a delta chain followed at most
`MAX_DELTA_DEPTH` steps, at most `MAX_PACKS` packs consulted. Anything malformed or beyond a bound
is an object that could not be read (None), never an exception the scan has to handle.

Only SHA-1 repositories are read (a SHA-256 repository's ids are 64 hex digits), and objects
borrowed through `objects/info/alternates` are not followed.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from ospo_scan.untrusted.bounded_read import RegularFile, read_regular_file

MAX_OBJECT_BYTES = 1024 * 1024
"""The most of an object (or of a delta, or of its base) ever inflated."""
MAX_DELTA_DEPTH = 64
"""The longest delta chain followed (git's own default depth is 50)."""
MAX_PACKS = 64
"""Packs consulted, by name; a repository with more is read as far as these reach."""

_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_INDEX_MAGIC = b"\xfftOc"
_FANOUT_END = 8 + 256 * 4
_COMPRESSED_CHUNK = 64 * 1024
_MAX_COMPRESSED = 4 * MAX_OBJECT_BYTES
"""Compressed bytes read for one object at most (deflate never needs this many per output)."""
_TYPES = {1: "commit", 2: "tree", 3: "blob", 4: "tag"}
_OFS_DELTA = 6
_REF_DELTA = 7

GitObject = tuple[str, bytes]
"""An object's type (`commit`, `tree`, `blob`, `tag`) and its content."""


class ObjectStore:
    """The objects of one repository, read on demand. Use as a context manager."""

    def __init__(self, common_dir: Path) -> None:
        self._directory = common_dir / "objects"
        self._packs: list[_Pack] | None = None

    def __enter__(self) -> ObjectStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for pack in self._packs or ():
            pack.close()

    def read(self, object_id: str) -> GitObject | None:
        """An object by its 40-hex id; None when absent, malformed or beyond a bound."""
        if not _SHA1.match(object_id):
            return None
        return self._read(bytes.fromhex(object_id), depth=0)

    def _read(self, binary_id: bytes, depth: int) -> GitObject | None:
        loose = self._loose(binary_id.hex())
        if loose is not None:
            return loose
        for pack in self._open_packs():
            offset = pack.find(binary_id)
            if offset is not None:
                return pack.object_at(offset, depth, self._read)
        return None

    def _loose(self, object_id: str) -> GitObject | None:
        path = self._directory / object_id[:2] / object_id[2:]
        try:
            compressed = read_regular_file(path, _MAX_COMPRESSED)
        except OSError:
            return None  # absent (then perhaps packed), or not a regular file
        chunks = [compressed]
        data = _inflate(lambda: chunks.pop() if chunks else b"", MAX_OBJECT_BYTES + 64)
        if data is None:
            return None
        header, nul, content = data.partition(b"\0")
        kind, _, _ = header.partition(b" ")
        if not nul or kind.decode("ascii", "replace") not in _TYPES.values():
            return None
        return kind.decode("ascii"), content[:MAX_OBJECT_BYTES]

    def _open_packs(self) -> list[_Pack]:
        if self._packs is None:
            self._packs = []
            try:
                names = sorted(p.name for p in (self._directory / "pack").glob("pack-*.idx"))
            except OSError:
                names = []
            for name in names[:MAX_PACKS]:
                pack = _Pack.open(self._directory / "pack", name.removesuffix(".idx"))
                if pack is not None:
                    self._packs.append(pack)
        return self._packs


class _Pack:
    """One pack file and its version 2 index, opened for bounded reads."""

    def __init__(self, index: RegularFile, pack: RegularFile, fanout: tuple[int, ...]) -> None:
        self._index = index
        self._pack = pack
        self._fanout = fanout
        self._count = fanout[255]

    @classmethod
    def open(cls, directory: Path, stem: str) -> _Pack | None:
        try:
            index = RegularFile(directory / f"{stem}.idx")
        except OSError:
            return None
        try:
            header = index.read_at(0, _FANOUT_END)
            if len(header) != _FANOUT_END or header[:8] != _INDEX_MAGIC + struct.pack(">I", 2):
                raise OSError("not a version 2 pack index")
            fanout = struct.unpack(">256I", header[8:])
            pack = RegularFile(directory / f"{stem}.pack")
        except OSError:
            index.close()
            return None
        return cls(index, pack, fanout)

    def close(self) -> None:
        self._index.close()
        self._pack.close()

    def find(self, binary_id: bytes) -> int | None:
        """The offset of an object in the pack, by binary search of the index's sorted ids."""
        first = binary_id[0]
        low = self._fanout[first - 1] if first else 0
        high = self._fanout[first]
        while low < high:
            middle = (low + high) // 2
            name = self._index.read_at(_FANOUT_END + 20 * middle, 20)
            if len(name) != 20:
                return None
            if name == binary_id:
                return self._offset(middle)
            if name < binary_id:
                low = middle + 1
            else:
                high = middle
        return None

    def _offset(self, position: int) -> int | None:
        offsets = _FANOUT_END + 24 * self._count  # past the ids and their CRC-32s
        raw = self._index.read_at(offsets + 4 * position, 4)
        if len(raw) != 4:
            return None
        (offset,) = struct.unpack(">I", raw)
        if offset & 0x80000000:
            large = self._index.read_at(offsets + 4 * self._count + 8 * (offset & 0x7FFFFFFF), 8)
            if len(large) != 8:
                return None
            (offset,) = struct.unpack(">Q", large)
        return int(offset)

    def object_at(
        self, offset: int, depth: int, by_id: Callable[[bytes, int], GitObject | None]
    ) -> GitObject | None:
        """The object stored at `offset`, its delta chain (within this pack or by id) applied."""
        if depth > MAX_DELTA_DEPTH or offset >= self._pack.size:
            return None
        head = self._pack.read_at(offset, 32)
        parsed = _entry_header(head)
        if parsed is None:
            return None
        kind, size, position = parsed
        base: GitObject | None = None
        if kind == _OFS_DELTA:
            distance = _offset_distance(head, position)
            if distance is None or distance[0] <= 0 or distance[0] > offset:
                return None
            base = self.object_at(offset - distance[0], depth + 1, by_id)
            position = distance[1]
        elif kind == _REF_DELTA:
            base_id = head[position : position + 20]
            if len(base_id) != 20:
                return None
            base = by_id(base_id, depth + 1)
            position += 20
        elif kind not in _TYPES:
            return None
        if kind in (_OFS_DELTA, _REF_DELTA) and (base is None or size > MAX_OBJECT_BYTES):
            return None
        data = self._inflate_from(offset + position, min(size, MAX_OBJECT_BYTES))
        if data is None:
            return None
        if base is None:
            return _TYPES[kind], data
        rebuilt = apply_delta(base[1], data)
        return None if rebuilt is None else (base[0], rebuilt)

    def _inflate_from(self, start: int, limit: int) -> bytes | None:
        position = start

        def next_chunk() -> bytes:
            nonlocal position
            if position - start >= _MAX_COMPRESSED:
                return b""
            chunk = self._pack.read_at(position, _COMPRESSED_CHUNK)
            position += len(chunk)
            return chunk

        return _inflate(next_chunk, limit)


def _inflate(next_chunk: Callable[[], bytes], limit: int) -> bytes | None:
    """At most `limit` bytes of a zlib stream fed by `next_chunk`; None when it is corrupt."""
    inflater = zlib.decompressobj()
    out = bytearray()
    pending = b""
    try:
        while len(out) < limit and not inflater.eof:
            pending = pending or next_chunk()
            if not pending:
                break
            out += inflater.decompress(pending, limit - len(out))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return None
    return bytes(out)


def _entry_header(head: bytes) -> tuple[int, int, int] | None:
    """A pack entry's type, inflated size, and where its data (or delta base) starts."""
    if not head:
        return None
    byte = head[0]
    kind = (byte >> 4) & 7
    size = byte & 0x0F
    shift = 4
    position = 1
    while byte & 0x80:
        if position >= len(head) or shift > 60:
            return None
        byte = head[position]
        size |= (byte & 0x7F) << shift
        shift += 7
        position += 1
    return kind, size, position


def _offset_distance(head: bytes, position: int) -> tuple[int, int] | None:
    """An OFS_DELTA's distance back to its base, and where the delta's data starts."""
    if position >= len(head):
        return None
    byte = head[position]
    distance = byte & 0x7F
    position += 1
    while byte & 0x80:
        if position >= len(head):
            return None
        byte = head[position]
        distance = ((distance + 1) << 7) | (byte & 0x7F)
        position += 1
    return distance, position


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def apply_delta(base: bytes, delta: bytes) -> bytes | None:
    """Git's delta format: copy ranges of `base` and insert literal bytes; None when invalid."""
    try:
        source_size, position = _varint(delta, 0)
        target_size, position = _varint(delta, position)
        if source_size != len(base) or target_size > MAX_OBJECT_BYTES:
            return None
        out = bytearray()
        while position < len(delta):
            opcode = delta[position]
            position += 1
            if opcode & 0x80:
                offset = size = 0
                for bit in range(4):
                    if opcode & (1 << bit):
                        offset |= delta[position] << (8 * bit)
                        position += 1
                for bit in range(3):
                    if opcode & (0x10 << bit):
                        size |= delta[position] << (8 * bit)
                        position += 1
                size = size or 0x10000
                if offset + size > len(base):
                    return None
                out += base[offset : offset + size]
            elif opcode:
                out += delta[position : position + opcode]
                position += opcode
            else:
                return None
            if len(out) > target_size:
                return None
    except IndexError:
        return None
    return bytes(out) if len(out) == target_size else None
