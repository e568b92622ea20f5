"""Licence detection: which licence a repository carries, and on what evidence.

`analyse` is the single entry point rules use; it reads only licence candidates (licence files,
the README's licence section, manifests), never the whole tree.
"""

from __future__ import annotations

from ospo_scan.licences.analysis import analyse
from ospo_scan.licences.approval import LicencePolicy
from ospo_scan.licences.model import LicenceAnalysis, LicenceFile

__all__ = ["LicenceAnalysis", "LicenceFile", "LicencePolicy", "analyse"]
