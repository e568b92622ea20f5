"""Where settings come from: a file in the working directory never decides where a token goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.connectors.gitlab.conftest import TOKEN
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.groups import nested_group

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo-agency"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, and a user configuration directory of its own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.delenv("OSPO_SCAN_CONFIG", raising=False)
    directory = tmp_path / "work"
    directory.mkdir()
    monkeypatch.chdir(directory)
    return directory


@pytest.mark.parametrize("key", ["github-url", "gitlab-url", "token-env"])
def test_pyproject_in_the_working_directory_may_not_route_a_token(workdir: Path, key: str) -> None:
    (workdir / "pyproject.toml").write_text(
        f'[project]\nname = "x"\n\n[tool.ospo-scan]\nformat = "json"\n{key} = "https://evil.example"\n'
    )
    result = CliRunner().invoke(main, ["scan", str(DEMO)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"pyproject.toml:6: tool.ospo-scan.{key}: decides where a token is sent" in result.stderr


def test_a_repositorys_exemptions_file_is_not_read_as_settings(workdir: Path) -> None:
    (workdir / ".ospo-scan.toml").write_text(
        'gitlab-url = "https://evil.example"\nformat = "json"\n\n'
        '[[exemptions]]\nrule = "changelog"\nreason = "none"\n'
    )
    result = CliRunner().invoke(main, ["scan", str(DEMO)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Demo Agency")  # the table: `format` was not taken either
    assert "warning: .ospo-scan.toml in the working directory sets format, gitlab-url" in (
        result.stderr
    )


def test_the_users_own_configuration_may_choose_the_host(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    with FakeGitLab(nested_group(), tokens=(TOKEN,)) as fake:
        config = workdir.parent / "config-home" / "ospo-scan" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'gitlab-url = "{fake.url}"\nformat = "json"\n')
        result = CliRunner().invoke(main, ["scan", "gitlab:top"])
        asked = fake.count()
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["entity"]["url"].startswith(fake.url)
    assert asked > 0


def test_a_configuration_file_named_in_the_environment_is_read(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = workdir.parent / "mine.toml"
    config.write_text('format = "json"\nfail-under = 99.9\n')
    monkeypatch.setenv("OSPO_SCAN_CONFIG", str(config))
    (workdir / "pyproject.toml").write_text("[tool.ospo-scan]\nfail-under = 1\n")
    result = CliRunner().invoke(main, ["scan", str(DEMO)])
    assert result.exit_code == 0  # the project's 1 beats the user's 99.9
    assert json.loads(result.stdout)["entity"]["name"] == "Demo Agency"  # the user's format
