"""The README and action.yml say what the GitHub token needs: every repository field the
connector reads for a fact, every REST endpoint of a scan, and the permissions by name."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ospo_scan.connectors.github import snapshot

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(snapshot.__file__).read_text(encoding="utf-8")


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### What the token needs, and what happens without it")
    return " ".join(readme[start : readme.index("\n### ", start + 1)].split())


def test_every_field_a_host_fact_comes_from_is_documented() -> None:
    start = SOURCE.index("def metadata_from(")
    body = SOURCE[start : SOURCE.index("\ndef ", start + 1)]
    fields = set(re.findall(r'node\.get\("(\w+)"\)', body))
    assert {"pushedAt", "viewerPermission", "defaultBranchRef"} <= fields
    section = _section()
    assert [
        field for field in sorted(fields) if not re.search(rf"`[^`]*\b{field}\b", section)
    ] == []
    for rest in ("contents/{path}", "git/blobs/{sha}", "git/trees/{branch}?recursive=1"):
        assert rest in section


def test_permissions_and_their_absence_are_named() -> None:
    section = _section()
    for words in (
        "Metadata: read",
        "Contents: read",
        "Administration: read is not needed",
        "`not-applicable` where GitHub does not say the token's permission",
        "no private repository other than the workflow's own",
        "`security-events: write`",
        "When the upload fails",
    ):
        assert words in section
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    token = " ".join(action["inputs"]["token"]["description"].split())
    assert "Metadata read" in token
    assert "Contents read" in token
    assert "not-applicable" in token
    upload = " ".join(action["inputs"]["upload-sarif"]["description"].split())
    assert "A failed upload fails the job" in upload
