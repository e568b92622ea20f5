"""The command line: exit codes of SPEC §6, outputs, and the demo entity end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.formats import OutputFormat, formatter_for
from tests.conftest import RepoFactory
from tests.scanning import validated

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo-agency"


def _run(*arguments: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_report() -> dict[str, object]:
    code, out, err = _run("scan", str(DEMO), "--format", "json")
    assert code == 0, err
    return validated(json.loads(out))


def test_demo_entity_report(demo_report: dict[str, object]) -> None:
    entity = demo_report["entity"]
    assert isinstance(entity, dict)
    assert entity["name"] == "Demo Agency"
    assert entity["source"] == "local"
    assert entity["defaults_repository"] == ".github"
    repos = {r["name"]: r for r in demo_report["repositories"]}  # type: ignore[attr-defined]
    assert set(repos) == {
        ".github",
        "data-portal",
        "field-survey-app",
        "open-dataset",
        "legacy-toolkit",
        "forked-charts",
        "prototype-dashboard",
    }
    assert not repos[".github"]["in_scope"]
    assert repos["legacy-toolkit"]["archived"]
    assert not repos["legacy-toolkit"]["in_scope"]
    assert repos["forked-charts"]["fork"]
    assert not repos["forked-charts"]["in_scope"]
    assert repos["data-portal"]["score"] == 100.0
    scored = [r["score"] for r in repos.values() if r["in_scope"]]
    assert entity["score"] == pytest.approx(sum(scored) / len(scored), abs=0.01)
    survey = {r["rule"]: r for r in repos["field-survey-app"]["results"]}
    assert survey["code-of-conduct"]["evidence"][0]["source"] == "organisation-default"
    assert repos["data-portal"]["license"]["expression"] == "Apache-2.0"
    exempt = {r["rule"]: r for r in repos["open-dataset"]["results"]}["changelog"]
    assert exempt["outcome"] == "exempt"


def test_table_shows_score_level_rows_and_pass_rates() -> None:
    code, out, _ = _run("scan", str(DEMO))
    assert code == 0
    assert out.startswith("Demo Agency: entity score ")
    assert "prototype-dashboard" in out
    assert "no (archived)" in out
    assert "pass rate" in out


def test_fail_under(demo_report: dict[str, object]) -> None:
    entity = demo_report["entity"]
    assert isinstance(entity, dict)
    score = entity["score"]
    assert _run("scan", str(DEMO), "--fail-under", str(score - 1))[0] == 0
    code, _, _ = _run("scan", str(DEMO), "--fail-under", str(score + 1))
    assert code == 1


def test_several_outputs_in_one_scan(tmp_path: Path) -> None:
    json_path, table_path = tmp_path / "report.json", tmp_path / "report.txt"
    code, out, _ = _run("scan", str(DEMO), "--output", str(json_path), "--output", str(table_path))
    assert code == 0
    assert out == ""
    validated(json.loads(json_path.read_text()))
    assert "entity score" in table_path.read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["scan", "/nonexistent/ospo-scan-test"], "/nonexistent/ospo-scan-test"),
        (["scan", "bitbucket:org"], "unknown target type 'bitbucket'"),
        (["scan", str(DEMO), "--ruleset", "no-such-ruleset"], "unknown ruleset"),
        (["scan", str(DEMO), "--output", "report.weird"], "cannot tell the format"),
        (["rules", "show", "no-such-rule"], "unknown rule id 'no-such-rule'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(arguments: list[str], message: str) -> None:
    code, out, err = _run(*arguments)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert out == ""


def test_bad_ruleset_names_file_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\n[rules.readme]\nwieght = 3\n')
    code, _, err = _run("scan", str(DEMO), "--ruleset", str(bad))
    assert code == 2
    assert f"{bad}:3: rules.readme.wieght: unknown key" in err


def test_unscannable_repository_exits_3_and_keeps_the_others(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    git_repo_factory(tmp_path / "entity" / "good", {"README.md": "# good\n"})
    git_repo_factory(tmp_path / "entity" / "empty", {}, commit=False)
    code, out, _ = _run("scan", str(tmp_path / "entity"), "--format", "json")
    assert code == 3
    report = validated(json.loads(out))
    repos = {r["name"]: r for r in report["repositories"]}
    assert repos["good"]["status"] == "ok"
    assert repos["empty"]["status"] == "error"
    assert repos["empty"]["error"] == "repository has no commits"


def test_tokens_never_appear_in_errors() -> None:
    secret = "ghp_" + "S3cr3tT0kenValue" * 2
    code, _, err = _run("scan", f"/nonexistent/{secret}", env={"GITHUB_TOKEN": secret})
    assert code == 2
    assert secret not in err
    assert "***" in err


def test_rules_list_and_show() -> None:
    code, out, _ = _run("rules", "list")
    assert code == 0
    assert "security-policy" in out
    assert "weight" in out
    code, out, _ = _run("rules", "show", "security-policy")
    assert code == 0
    assert "how to pass:" in out
    assert "evidences: un-principles:3 Secure by design (UN Open Source Principles)" in out


def test_rules_list_groups_rules_by_framework_item() -> None:
    code, out, _ = _run("rules", "list", "--framework", "un-principles")
    assert code == 0
    lines = out.splitlines()
    secure = lines.index("3. Secure by design")
    assert lines[secure + 1].split() == [
        "security-policy,",
        "dependency-updates,",
        "branch-protection",
    ]
    contribute = lines.index("2. Contribute back")
    assert "no rule" in lines[contribute + 1]
    code, out, _ = _run("rules", "list", "--framework", "dpg")
    assert code == 0
    assert "9. Do no harm by design" in out
    code, _, err = _run("rules", "list", "--framework", "sfpc")
    assert code == 2
    assert "unknown framework 'sfpc' (frameworks: dpg, osps-baseline, un-principles)" in err


def test_every_output_format_has_a_formatter(demo_report: dict[str, object]) -> None:
    from ospo_scan.config import load_ruleset
    from ospo_scan.scan.scanner import Scanner

    report = Scanner(load_ruleset(load_plugins=False)).scan([str(DEMO)])
    assert report.entity.score is not None
    shown = (f"{report.entity.score:.1f}", f"{round(report.entity.score)}")
    for output_format in OutputFormat:
        text = formatter_for(output_format)(report)
        # Every format carries the entity score, or (CSV, one row per repository) the repositories.
        assert any(score in text for score in shown) or "data-portal" in text, output_format


def test_settings_file_environment_and_command_line_precedence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ospo-scan]\nformat = "json"\nfail-under = 99.5\n'
    )
    code, out, _ = _run("scan", str(DEMO))
    assert code == 1  # fail-under from the settings file
    validated(json.loads(out))  # format from the settings file
    code, out, _ = _run("scan", str(DEMO), env={"OSPO_SCAN_FAIL_UNDER": "10"})
    assert code == 0  # the environment beats the file
    code, out, _ = _run(
        "scan",
        str(DEMO),
        "--fail-under",
        "0",
        "--format",
        "table",
        env={"OSPO_SCAN_FAIL_UNDER": "99"},
    )
    assert code == 0  # the command line beats both
    assert out.startswith("Demo Agency")


def test_settings_file_with_unknown_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ospo-scan]\nruleset = "un-ospo"\nfail_under = 3\n'
    )
    code, _, err = _run("scan", str(DEMO))
    assert code == 2
    assert "pyproject.toml:3: tool.ospo-scan.fail_under: unknown key" in err
