"""`scan --shard I/N`: the I-th of N deterministic parts of an entity's repositories.

A repository belongs to the part given by a stable hash of its full name (`org/repo`,
`group/sub/project`, or the name a local scan reports), so the same repository lands in the
same shard on every machine and every run, whatever order a host lists them in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ospo_scan.errors import UsageError

MAX_SHARDS = 1000
_SPEC = re.compile(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*")


@dataclass(frozen=True)
class Shard:
    """One part of a sharded scan."""

    index: int
    """1-based: which part."""
    count: int
    """How many parts the repositories are split into."""

    def holds(self, full_name: str) -> bool:
        """Whether the repository of that full name belongs to this part."""
        digest = hashlib.sha256(full_name.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """`I/N` with 1 <= I <= N <= MAX_SHARDS; UsageError otherwise."""
    found = _SPEC.fullmatch(text)
    if found is None:
        raise UsageError(f"--shard {text!r}: expected I/N, e.g. 2/4")
    index, count = int(found.group(1)), int(found.group(2))
    if not 1 <= count <= MAX_SHARDS or not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: I must be from 1 to N, and N at most {MAX_SHARDS}")
    return Shard(index, count)
