"""Reports read back: the one loader, and the merge of shards.

How the package is arranged: `loader` (a report JSON file, checked against the shipped schema,
becomes the scanner's own dataclasses), `merge` (shards of one scan joined into the report the
unsharded scan gives).
"""
