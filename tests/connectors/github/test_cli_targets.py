"""What the command line makes of GitHub targets: configuration errors are exit 2, a target
that cannot be read is an error row beside the others' results (exit 3, report written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.scanning import validated


def _scan(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *arguments], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _org() -> dict[str, FakeRepo]:
    return {"app": FakeRepo("app", {"README.md": "# App\n"})}


def test_an_unknown_organisation_is_a_configuration_error(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    code, out, err = _scan("github:no-such-org", "--github-url", fake.api_url)
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "ospo-scan: error: no GitHub organisation or user named 'no-such-org' "
        "(hint: check the name; with GitHub Enterprise Server pass --github-url)"
    )


def test_a_rejected_token_is_a_configuration_error(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_revoked0token000000000000000000000")
    code, _, err = _scan("github:un-org", "--github-url", fake.api_url)
    assert code == 2
    assert "GitHub rejected the token in GITHUB_TOKEN" in err
    assert "ghp_revoked" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_unset_token_env_variable_is_a_configuration_error(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    monkeypatch.delenv("AGENCY_TOKEN", raising=False)
    code, _, err = _scan(
        "github:un-org", "--github-url", fake.api_url, "--token-env", "AGENCY_TOKEN"
    )
    assert code == 2
    assert "AGENCY_TOKEN (named by --token-env) is not set" in err


def test_a_failing_target_is_an_error_row_and_the_others_are_reported(
    fake_github: FakeFactory, git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    fake.graphql.saml_protected.add("un-org")
    local = git_repo_factory(tmp_path / "tool", {"README.md": "# Tool\n\nUsage: run it.\n"})
    report_path = tmp_path / "report.json"
    code, _, err = _scan(
        str(local), "github:un-org", "--github-url", fake.api_url, "--output", str(report_path)
    )
    assert code == 3
    assert err.strip().splitlines()[-1] == (
        "ospo-scan: scan incomplete: 1 repository or target could not be scanned; see the report"
    )
    report = validated(json.loads(report_path.read_text(encoding="utf-8")))
    rows = {r["name"]: r for r in report["repositories"]}
    assert rows["tool"]["status"] == "ok"
    assert rows["tool"]["score"] is not None
    failed = rows["github:un-org"]
    assert failed["status"] == "error"
    assert "SAML" in failed["error"]
    entities = {e["name"]: e for e in report["entities"]}
    assert set(entities) == {"tool", "github:un-org"}
    assert entities["tool"]["score"] == rows["tool"]["score"]
    assert entities["github:un-org"]["score"] is None
    assert report["entity"]["score"] == rows["tool"]["score"]


def test_an_entity_file_profiles_an_organisation(fake_github: FakeFactory, tmp_path: Path) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    profile = tmp_path / "un-org.toml"
    profile.write_text(
        'name = "UN Org"\n[metadata]\ncountry = "CH"\n[contacts]\nsecurity = "sec@un.example.org"\n'
        '[readiness.2025]\npolicy = "developing"\n[repositories.app]\narchived = true\n',
        encoding="utf-8",
    )
    code, out, err = _scan(
        "github:un-org",
        "--github-url",
        fake.api_url,
        "--entity-file",
        str(profile),
        "--format",
        "json",
    )
    assert code == 0, err
    entity = validated(json.loads(out))["entity"]
    assert entity["name"] == "UN Org"
    assert entity["metadata"] == {"country": "CH"}
    assert entity["contacts"] == {"security": "sec@un.example.org"}
    assert entity["readiness"] == {"2025": {"policy": "developing"}}
    assert any("[repositories] tables simulate host facts" in note for note in entity["notes"])
