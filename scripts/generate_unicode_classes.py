r"""Write src/ospo_scan/untrusted/unicode_classes.json: Python's `\w`, `\s`, `\d` as RE2 class
ranges for each Unicode database version of the Pythons given, computed by each of them.

    python scripts/generate_unicode_classes.py python3.10 python3.11 python3.12 python3.13
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "ospo_scan" / "untrusted" / "unicode_classes.json"
COMPUTE = (
    "import json, unicodedata\n"
    "from ospo_scan.untrusted.unicode_classes import CLASSES, computed_class_body\n"
    "print(json.dumps([unicodedata.unidata_version,"
    " {c: computed_class_body(c) for c in sorted(CLASSES)}]))\n"
)


def bodies(python: str) -> tuple[str, dict[str, str]]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [python, "-c", COMPUTE], env=environment, capture_output=True, text=True, check=True
    )
    version, found = json.loads(done.stdout)
    return version, found


def main() -> None:
    versions = dict(bodies(python) for python in sys.argv[1:] or [sys.executable])
    text = json.dumps(versions, indent=1, sort_keys=True)
    TARGET.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
