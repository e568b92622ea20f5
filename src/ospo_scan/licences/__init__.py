"""Licence detection: which licence a repository carries, and on what evidence.

`analyse` is the single entry point rules use; it reads only licence candidates (licence files,
the README's licence section, manifests), never the whole tree. The names below are imported
when first asked for, so that a module of this package (the reference tables' build, which the
wheel's build hook runs) can be imported without the whole of licence detection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ospo_scan.licences.analysis import analyse
    from ospo_scan.licences.approval import LicencePolicy
    from ospo_scan.licences.model import LicenceAnalysis, LicenceFile

__all__ = ["LicenceAnalysis", "LicenceFile", "LicencePolicy", "analyse"]

_HOMES = {
    "analyse": "analysis",
    "LicencePolicy": "approval",
    "LicenceAnalysis": "model",
    "LicenceFile": "model",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"ospo_scan.licences.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
