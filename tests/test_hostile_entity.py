"""A whole hostile entity scanned end to end: nothing crashes, nothing outside is read."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.gitrepos import Symlink
from tests.scanning import validated

PASSWD_MARKER = "root:x:0:0"


def test_hostile_entity(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(
        entity / "linked-licence",
        {
            "LICENSE": Symlink("/etc/passwd"),
            "README.md": Symlink("../../../../../../etc/passwd"),
            "docs": Symlink("/etc"),
        },
    )
    git_repo_factory(
        entity / "huge-guide",
        {
            "CONTRIBUTING.md": "Contribute by opening a pull request with tests.\n" * 700_000,
        },
    )
    git_repo_factory(entity / "binary-readme", {"README.md": bytes(range(256)) * 64})
    git_repo_factory(
        entity / "latin1",
        {
            "README.md": (
                "# Données ouvertes\n\nJeux de données régionaux, mis à jour chaque trimestre.\n\n"
                "## Installation\n\nTéléchargez l'archive et décompressez-la à côté du tableur.\n"
            ).encode("latin-1"),
            "SECURITY.md": "Signalez les failles à sécurité@exemple.org.\n".encode("latin-1"),
        },
    )
    git_repo_factory(entity / "empty-security", {"SECURITY.md": "", "LICENCE": "\n"})
    git_repo_factory(entity / "no-commits", {}, commit=False)
    odd = git_repo_factory(entity / "odd-names", {"README.md": "# Odd\n"})
    (odd / os.fsdecode(b"CONTRIBUTING-\xff.md")).write_bytes(b"guide")
    os.mkfifo(odd / "CHANGELOG.md")

    result = CliRunner().invoke(
        main, ["scan", str(entity), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 3, result.stderr  # the repository without commits
    assert PASSWD_MARKER not in result.stdout
    report = validated(json.loads(result.stdout))
    repos = {r["name"]: r for r in report["repositories"]}
    assert set(repos) == {
        "linked-licence",
        "huge-guide",
        "binary-readme",
        "latin1",
        "empty-security",
        "no-commits",
        "odd-names",
    }
    outcomes = {
        name: {r["rule"]: r["outcome"] for r in repo["results"]} for name, repo in repos.items()
    }
    assert repos["no-commits"]["status"] == "error"
    assert outcomes["linked-licence"]["license"] == "fail"
    assert outcomes["linked-licence"]["readme"] == "fail"
    assert outcomes["huge-guide"]["contributing"] == "pass"
    assert outcomes["binary-readme"]["readme"] == "fail"
    assert outcomes["latin1"]["readme"] == "pass"
    assert outcomes["latin1"]["security-policy"] == "pass"
    assert outcomes["empty-security"]["security-policy"] == "fail"
    assert outcomes["empty-security"]["license"] != "pass"
    assert outcomes["odd-names"]["changelog"] == "fail"  # a FIFO is not a changelog
    assert any("\\xff" in warning for warning in repos["odd-names"]["warnings"])
