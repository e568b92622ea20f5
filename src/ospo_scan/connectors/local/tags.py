"""What a release tag's tree holds at its root, read from the git objects without running git.

A tag names a commit, directly (a lightweight tag) or through an annotated tag object; the
commit names its tree. The tree's root entries are what the release's source archive holds at
its top, where the licence of the release must be (OSPS-LE-03.02).
"""

from __future__ import annotations

from pathlib import Path

from ospo_scan.connectors.local.git import tag_target
from ospo_scan.connectors.local.objects import ObjectStore
from ospo_scan.snapshot import TreeNames

MAX_PEELS = 8
"""Annotated tags pointing at annotated tags are followed this far at most."""
_TREE_MODE = b"40000"


def tag_root(common_dir: Path, tag: str) -> TreeNames | None:
    """The names at the root of `tag`'s tree (directories ending in `/`); None when the tag or
    one of its objects cannot be read (a shallow clone, an unusual ref)."""
    object_id = tag_target(common_dir, tag)
    if object_id is None:
        return None
    with ObjectStore(common_dir) as store:
        for _ in range(MAX_PEELS):
            found = store.read(object_id)
            if found is None:
                return None
            kind, data = found
            if kind == "tree":
                return _root_names(data)
            header = data.split(b"\n", 1)[0]
            wanted = b"object " if kind == "tag" else b"tree " if kind == "commit" else None
            if wanted is None or not header.startswith(wanted):
                return None
            object_id = header[len(wanted) :].decode("ascii", errors="replace").strip()
    return None


def _root_names(tree: bytes) -> TreeNames | None:
    names: list[str] = []
    position = 0
    while position < len(tree):
        space = tree.find(b" ", position)
        nul = tree.find(b"\0", space + 1)
        if space < 0 or nul < 0 or nul + 21 > len(tree):
            return None  # malformed: not a tree git wrote
        mode, name = tree[position:space], tree[space + 1 : nul]
        text = name.decode("utf-8", errors="backslashreplace")
        names.append(f"{text}/" if mode == _TREE_MODE else text)
        position = nul + 21
    return tuple(names)
