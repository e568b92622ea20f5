"""Wheel build hook: the licence reference tables, built from the scancode-toolkit installed in
the build environment and shipped in the wheel, so that the first scan after `pip install .`
need not build them. The build is deterministic (the same scancode data gives the same bytes);
at run time the tables are used only if the installed scancode's licence data has the same
fingerprint, and are rebuilt into the user cache otherwise. An editable install ships none:
a source checkout builds them on first use.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SHIPPED = "ospo_scan/licences/_tables/licence-tables.bin"


class LicenceTablesHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, str(Path(self.root) / "src"))
        from ospo_scan.licences.reference_build import build_tables, scancode_data
        from ospo_scan.licences.reference_file import data_fingerprint, write_tables

        data = scancode_data()
        self._scratch = Path(tempfile.mkdtemp(prefix="ospo-scan-tables-"))
        tables = self._scratch / "licence-tables.bin"
        write_tables(tables, build_tables(data, data_fingerprint(data)))
        build_data["force_include"][str(tables)] = SHIPPED

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
