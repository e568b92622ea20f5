"""The local connector: directories of clones on disk, read without running git.

How the package is arranged:

- `connector`: `LocalConnector`, the entry point: one repository or an entity of repositories,
  the `.github` defaults, the host facts an entity profile simulates, and the snapshots;
- `files`: safe, bounded access to one working tree (links, FIFOs and devices handled);
- `git`: what `.git` says (HEAD, refs), read as plain files.
"""

from ospo_scan.connectors.local.connector import LocalConnector

__all__ = ["LocalConnector"]
