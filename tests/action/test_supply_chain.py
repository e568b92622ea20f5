"""The action's supply chain: actions pinned by commit SHA, dependencies by exact version."""

from __future__ import annotations

import re
from importlib.metadata import requires
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "action.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
CONSTRAINTS = ROOT / "action-constraints.txt"
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
TAG_COMMENT = re.compile(r"^\s+# v\d+(?:\.\d+){1,2}$")


def _uses() -> list[tuple[str, str, str]]:
    found = []
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES.match(line)
            if match:
                found.append((path.name, match["ref"], match["comment"] or ""))
    return found


def test_third_party_actions_are_pinned_by_commit_sha_with_the_tag_beside() -> None:
    third_party = [(f, ref, c) for f, ref, c in _uses() if not ref.startswith(("./", "ospo-scan/"))]
    assert len(third_party) >= 5
    for file, ref, comment in third_party:
        assert PINNED.match(ref), (file, ref)
        assert TAG_COMMENT.match(comment), (file, ref, comment)


def test_the_audit_example_pins_ospo_scan_to_a_release_not_a_branch() -> None:
    (ref,) = [ref for _, ref, _ in _uses() if ref.startswith("ospo-scan/ospo-scan@")]
    version = ref.split("@", 1)[1]
    assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", version), ref
    text = (ROOT / ".github" / "workflows" / "ospo-audit.yml").read_text(encoding="utf-8")
    assert "full commit SHA" in text


def test_the_action_installs_from_the_constraints_beside_it() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    (install,) = [step for step in action["runs"]["steps"] if step.get("id") == "install"]
    assert '--constraint "${ACTION_PATH}/action-constraints.txt"' in install["run"]


def _constraints() -> dict[str, str]:
    pinned: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, separator, version = line.partition("==")
        assert separator == "==", f"not an exact pin: {line}"
        assert version.strip(), f"not an exact pin: {line}"
        pinned[canonicalize_name(name)] = version.strip()
    return pinned


def test_every_runtime_dependency_is_pinned_to_a_version_it_allows() -> None:
    pinned = _constraints()
    runtime = [Requirement(r) for r in requires("ospo-scan") or ()]
    needed = [r for r in runtime if r.marker is None or r.marker.evaluate({"extra": ""})]
    assert needed
    for requirement in needed:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not pinned in {CONSTRAINTS.name}"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            requirement,
            pinned[name],
        )
