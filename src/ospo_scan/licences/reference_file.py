"""The reference tables as one file that is memory-mapped, not unpickled, and what it follows.

Layout: a magic line, a JSON header (the data fingerprint, a checksum of the body, and where
each section lies), then the sections, 8-byte aligned. The large sections are flat arrays
(every reference's words, the sorted hashes of indexed passages and of whole texts, their
posting lists) used in place through `memoryview`, so a process touches only the pages it
looks at; the small ones (vocabulary, names, each reference's expression and origin) are JSON.
Nothing in the file depends on a process (no pickled objects, no build time): the same data
gives the same bytes.

The tables follow the installed scancode data through its fingerprint: a digest of the
sha256 of every licence data file as pip recorded them in scancode's `RECORD`, or, where no
`RECORD` lists them (a source checkout), of each data file's name, size and modification time.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import sys
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ospo_scan.licences.reference_build import SHINGLE, BuiltTables

MAGIC = b"ospo-scan licence tables\n"
FORMAT = 1
"""Bumped whenever the layout, the normalisation or the sampling changes."""
COMPATIBILITY = f"{FORMAT}:{sys.byteorder}:{hash(tuple(range(SHINGLE)))}"
"""What else the file's bytes depend on: native byte order, and Python's hash of a passage
(the same on every 64-bit CPython since 3.8; a Python that hashes otherwise rebuilds)."""
_DATA_PARTS = ("licenses", "rules")
Typecode = Literal["B", "H", "I", "Q", "q"]
"""The integer array types the file holds."""
_RECORD_PREFIX = "licensedcode/data/"


def data_stamp(data: Path) -> str | None:
    """Cheap to compute each run: changes whenever scancode is installed again. None when no
    installed `RECORD` describes the data directory (the fingerprint is then computed each time)."""
    record = _record(data)
    if record is None:
        return None
    stats = []
    for path in (record, data / "licenses", data / "rules"):
        status = path.stat()
        stats.append((str(path), status.st_size, status.st_mtime_ns, status.st_ino))
    return hashlib.sha256(f"{COMPATIBILITY}{stats}".encode()).hexdigest()[:32]


def data_fingerprint(data: Path) -> str:
    """A digest of the licence data files the tables are built from (see the module's notes)."""
    digest = hashlib.sha256(COMPATIBILITY.encode())
    record = _record(data)
    if record is not None:
        prefixes = tuple(f"{_RECORD_PREFIX}{part}/" for part in _DATA_PARTS)
        text = record.read_text(encoding="utf-8", errors="replace")
        lines = sorted(line for line in text.splitlines() if line.startswith(prefixes))
        digest.update("\n".join(lines).encode())
        return digest.hexdigest()
    for part in _DATA_PARTS:
        directory = data / part
        entries = sorted(os.scandir(directory), key=lambda e: e.name) if directory.is_dir() else []
        for entry in entries:
            status = entry.stat()
            digest.update(f"{part}/{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _record(data: Path) -> Path | None:
    """scancode-toolkit's installed `RECORD`, when it lists the files of `data`."""
    site = data.parent.parent
    if data.parent.name != "licensedcode" or data.name != "data":
        return None
    try:
        candidates = sorted(site.glob("scancode_toolkit-*.dist-info/RECORD"))
    except OSError:
        return None
    for record in candidates:
        with record.open(encoding="utf-8", errors="replace") as lines:
            if any(line.startswith(f"{_RECORD_PREFIX}licenses/") for line in lines):
                return record
    return None


def _sections(built: BuiltTables) -> Iterator[tuple[str, bytes]]:
    def column(typecode: str, values: Any) -> bytes:
        return array(typecode, values).tobytes()

    words_typecode = "H" if len(built.vocabulary) < 2**16 else "I"
    offsets = [0]
    for ids in built.words:
        offsets.append(offsets[-1] + len(ids))
    whole = sorted(built.whole_texts.items())
    passages = sorted(built.by_sampled_passage.items())
    posting_offsets = [0]
    for _, numbers in passages:
        posting_offsets.append(posting_offsets[-1] + len(numbers))
    yield "words_typecode", words_typecode.encode()
    yield (
        "exact",
        _json(
            {
                "vocabulary": built.vocabulary,
                "spdx_keys": built.spdx_keys,
                "names": [[list(words), key] for words, key in built.names.items()],
            }
        ),
    )
    yield "references", _json({"expressions": built.expressions, "origins": built.origins})
    yield "is_full_text", column("B", built.is_full_text)
    yield "stripped", column("I", built.stripped)
    yield "sampled_counts", column("I", built.sampled_counts)
    yield "word_offsets", column("Q", offsets)
    yield "words", b"".join(column(words_typecode, ids) for ids in built.words)
    yield "whole_hashes", column("q", (h for h, _ in whole))
    yield "whole_references", column("I", (n for _, n in whole))
    yield "passage_hashes", column("q", (h for h, _ in passages))
    yield "posting_offsets", column("Q", posting_offsets)
    yield "postings", column("I", (n for _, numbers in passages for n in numbers))


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def table_bytes(built: BuiltTables) -> bytes:
    """The file's bytes: the same tables give the same bytes."""
    body = bytearray()
    places: dict[str, list[int]] = {}
    for name, section in _sections(built):
        body.extend(b"\0" * (-len(body) % 8))
        places[name] = [len(body), len(section)]
        body.extend(section)
    header = _json(
        {
            "compatibility": COMPATIBILITY,
            "fingerprint": built.fingerprint,
            "checksum": zlib.adler32(body),
            "sections": places,
        }
    )
    start = MAGIC + len(header).to_bytes(4, "little") + header
    return start + b"\0" * (-len(start) % 8) + bytes(body)


def write_tables(path: Path, built: BuiltTables) -> None:
    """Written beside, then renamed into place: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(table_bytes(built))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True)
class MappedTables:
    """A tables file mapped into memory, its sections as byte views."""

    fingerprint: str
    sections: dict[str, memoryview]

    def array(self, name: str, typecode: Typecode) -> memoryview[int]:
        return self.sections[name].cast(typecode)

    def words(self) -> memoryview[int]:
        """Every reference's words, one after another, in the width they were written."""
        return self.array("words", "I" if bytes(self.sections["words_typecode"]) == b"I" else "H")

    def json(self, name: str) -> Any:
        return json.loads(bytes(self.sections[name]))


def open_tables(path: Path, fingerprint: str) -> MappedTables | None:
    """The tables in `path` if they are whole and built from data with `fingerprint`; None
    for a missing, foreign, damaged or stale file."""
    try:
        with path.open("rb") as stream:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    view = memoryview(mapped)
    try:
        return _checked(view, fingerprint)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def tables_in_memory(built: BuiltTables) -> MappedTables:
    """The tables held in memory, for when they cannot be written to disk."""
    tables = _checked(memoryview(table_bytes(built)), built.fingerprint)
    assert tables is not None  # just made, with this fingerprint
    return tables


def _checked(view: memoryview, fingerprint: str) -> MappedTables | None:
    if bytes(view[: len(MAGIC)]) != MAGIC:
        return None
    length = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 4], "little")
    start = len(MAGIC) + 4
    header = json.loads(bytes(view[start : start + length]))
    if header["compatibility"] != COMPATIBILITY or header["fingerprint"] != fingerprint:
        return None
    start += length
    body = view[start + (-start % 8) :]
    if zlib.adler32(body) != header["checksum"]:
        return None
    sections: dict[str, memoryview] = {}
    for name, (offset, size) in header["sections"].items():
        if offset < 0 or size < 0 or offset + size > len(body):
            return None
        sections[name] = body[offset : offset + size]
    return MappedTables(fingerprint, sections)
