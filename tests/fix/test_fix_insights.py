"""`ospo-scan fix --rules security-insights`: a 2.2.0 file from the profile and the scan, valid,
never with a contact the profile lacks."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset
from ospo_scan.model import Outcome
from ospo_scan.rules._insights import validate_insights
from ospo_scan.untrusted.yaml_data import load_yaml
from tests.conftest import RepoFactory
from tests.fix.entities import CONTACTS_TOML, MIT, validated_plan
from tests.gitrepos import git
from tests.scanning import evaluate, result

SECURITY = "# Security\n\nReport vulnerabilities privately to security@agency.example.org.\n"


def _fix(*arguments: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(main, ["fix", *arguments], catch_exceptions=False)
    return outcome.exit_code, outcome.stdout, outcome.stderr


def _entity(
    tmp_path: Path,
    factory: RepoFactory,
    git_home: Path,
    *,
    contacts: str = CONTACTS_TOML,
    origin: str | None = "git@github.com:agency/api.git",
    files: dict[str, str] | None = None,
) -> Path:
    entity = tmp_path / "entity"
    entity.mkdir()
    (entity / "ospo-entity.toml").write_text(f'name = "Agency"\n{contacts}', encoding="utf-8")
    repo = factory(
        entity / "api", files or {"README.md": "# API\n", "LICENSE": MIT, "SECURITY.md": SECURITY}
    )
    if origin is not None:
        git(repo, "remote", "add", "origin", origin, home=git_home)
    return entity


def test_the_written_file_is_valid_2_2_0_and_a_rescan_passes(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = _entity(tmp_path, git_repo_factory, git_home)

    code, out, _ = _fix(str(entity), "--rules", "security-insights", "--write")

    assert code == 0, out
    written = (entity / "api" / "security-insights.yml").read_text(encoding="utf-8")
    document = load_yaml(written)
    assert validate_insights(document) == ("2.2.0", ())
    assert document["header"]["url"] == (
        "https://github.com/agency/api/raw/main/security-insights.yml"
    )
    assert document["project"]["administrators"] == [
        {"name": "@agency/ospo", "primary": True, "social": "@agency/ospo"}
    ]
    assert document["repository"]["core-team"] == document["project"]["administrators"]
    reporting = document["project"]["vulnerability-reporting"]
    assert reporting["contact"]["email"] == "security@agency.example.org"
    assert reporting["policy"] == "https://github.com/agency/api/blob/main/SECURITY.md"
    assert reporting["reports-accepted"] is True
    assert document["repository"]["license"] == {
        "url": "https://github.com/agency/api/blob/main/LICENSE",
        "expression": "MIT",
    }
    assert "&id" not in written
    assert written.startswith("# Security Insights 2.2.0 for api, proposed by `ospo-scan fix`")
    rescanned = result(
        evaluate(entity / "api", load_ruleset("osps-baseline", load_plugins=False)),
        "security-insights",
    )
    assert rescanned.outcome is Outcome.PASS
    assert rescanned.message == "security-insights.yml is valid Security Insights 2.2.0."


def test_without_maintainers_no_file_is_written_and_the_plan_says_why(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    contacts = '[contacts]\nsecurity = "security@agency.example.org"\n'
    entity = _entity(tmp_path, git_repo_factory, git_home, contacts=contacts)

    code, out, _ = _fix(str(entity), "--rules", "security-insights", "--write")

    assert code == 0
    assert not (entity / "api" / "security-insights.yml").exists()
    assert "contacts.maintainers in the entity profile (administrators, core team)" in out


def test_a_clone_without_a_forge_address_or_licence_says_both(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = _entity(
        tmp_path, git_repo_factory, git_home, origin=None, files={"README.md": "# API\n"}
    )

    code, out, _ = _fix(str(entity), "--rules", "security-insights")

    assert code == 0
    assert "the repository's https address on GitHub or GitLab" in out
    assert "an identified licence file" in out


def test_a_token_in_the_origin_remote_never_reaches_the_file(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    origin = "https://ada:ghp_secrettoken123@gitlab.example.org/agency/api.git"
    entity = _entity(tmp_path, git_repo_factory, git_home, origin=origin)

    code, out, _ = _fix(str(entity), "--rules", "security-insights")

    assert code == 0
    assert "ghp_secrettoken123" not in out
    assert "url: https://gitlab.example.org/agency/api\n" in out
    assert "https://gitlab.example.org/agency/api/-/raw/main/security-insights.yml" in out


def test_an_existing_file_is_never_replaced(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files = {
        "README.md": "# API\n",
        "LICENSE": MIT,
        ".github/security-insights.yml": "header: {}\n",
    }
    entity = _entity(tmp_path, git_repo_factory, git_home, files=files)

    code, out, _ = _fix(str(entity), "--rules", "security-insights", "--write")

    assert code == 0
    assert ".github/security-insights.yml exists; fix mode never changes it" in out
    assert not (entity / "api" / "security-insights.yml").exists()


def test_the_json_plan_proposes_the_optional_file_as_not_applicable_now(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = _entity(tmp_path, git_repo_factory, git_home)

    code, out, _ = _fix(str(entity), "--rules", "security-insights", "--format", "json")

    document = validated_plan(json.loads(out))
    assert code == 0
    (proposed,) = document["repositories"][0]["files"]
    assert (proposed["path"], proposed["rule"], proposed["outcome"]) == (
        "security-insights.yml",
        "security-insights",
        "not-applicable",
    )
