"""NaN and infinity are usage errors (exit 2), wherever a number is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory

NON_FINITE = ["nan", "inf", "-inf", "+nan"]


@pytest.fixture
def repository(git_repo_factory: RepoFactory, tmp_path: Path) -> Path:
    return git_repo_factory(tmp_path / "tool", {"README.md": "# Tool\n"})


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("option", ["--fail-under", "--max-wait"])
def test_a_non_finite_option_is_a_usage_error(repository: Path, option: str, value: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(repository), option, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", NON_FINITE)
def test_a_non_finite_fail_under_from_the_environment_is_a_usage_error(
    repository: Path, value: str
) -> None:
    result = CliRunner(env={"OSPO_SCAN_FAIL_UNDER": value}).invoke(main, ["scan", str(repository)])
    assert result.exit_code == 2
    named = "Invalid value for OSPO_SCAN_FAIL_UNDER (the environment variable for '--fail-under'): "
    # NaN is refused as not finite; infinities already as out of the 0 to 100 range
    assert named in result.stderr
    assert value.lstrip("+") in result.stderr.split(named)[1]


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("[rules.readme]", "weight"),
        ("[rules.readme]", "partial-score"),
        ("[levels]", "gold"),
    ],
)
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_number_in_a_ruleset_names_file_line_and_key(
    repository: Path, tmp_path: Path, table: str, key: str, value: str
) -> None:
    ruleset = tmp_path / "mine.toml"
    ruleset.write_text(
        f'id = "mine"\nextends = "un-ospo"\n\n{table}\n{key} = {value}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["scan", str(repository), "--ruleset", str(ruleset), "--format", "json"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    dotted = f"{table.strip('[]')}.{key}"
    assert result.stderr == (
        f"ospo-scan: error: {ruleset}:5: {dotted}: expected a finite number, got {value}\n"
    )
