"""`scan`'s outputs and exit lines: formats against extensions, standard output, and every
non-zero exit saying why on one line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.cli._common import configure_logging
from tests.cli.entity import Entity, run
from tests.conftest import RepoFactory


def _run(*arguments: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, git_repo_factory: RepoFactory) -> Path:
    return git_repo_factory(tmp_path / "tool", {"README.md": "# Tool\n"})


def test_fail_under_says_the_score_and_the_threshold(repo: Path) -> None:
    code, out, _ = _run("scan", str(repo), "--format", "json")
    score = json.loads(out)["entity"]["score"]
    code, _, err = _run("scan", str(repo), "--fail-under", "90")
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        f"ospo-scan: entity score {score:.1f} is below --fail-under 90"
    )


def test_a_bad_format_in_the_environment_names_the_variable(repo: Path) -> None:
    code, out, err = _run("scan", str(repo), env={"OSPO_SCAN_FORMAT": "pdf"})
    assert code == 2
    assert out == ""
    assert "OSPO_SCAN_FORMAT (the environment variable for '--format')" in err
    assert "'pdf' is not one of" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--format", "csv", "--output", "r.json"],
            "--format csv contradicts --output r.json, whose extension means json (hint: drop "
            "--format to write each file in its extension's format)",
        ),
        (
            ["--format", "json", "--output", "a.html", "--output", "b.csv"],
            "--format json contradicts --output a.html, whose extension means html (hint: drop "
            "--format to write each file in its extension's format)",
        ),
        (
            ["--output", "report.pdf"],
            "cannot tell the format of --output report.pdf from its extension (hint: give "
            "--format, or use a known extension: .badge.json, .sarif.json, .json, .txt, .md, "
            ".markdown, .sarif, .csv, .html, .htm)",
        ),
        (
            ["--output", "-", "--output", "-"],
            "--output - (standard output) is given more than once",
        ),
    ],
)
def test_outputs_that_contradict_themselves_are_usage_errors(
    repo: Path, tmp_path: Path, arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run("scan", str(repo), *arguments)
    assert code == 2
    assert out == ""
    assert err.strip() == f"ospo-scan: error: {message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tool"]  # nothing written


def test_dash_is_standard_output_beside_a_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run("scan", str(repo), "--output", "-", "--output", "report.json")
    assert code == 0, err
    assert out.startswith("tool: entity score ")
    assert not (tmp_path / "-").exists()
    assert json.loads((tmp_path / "report.json").read_text())["entity"]["name"] == "tool"
    code, out, _ = _run("scan", str(repo), "--format", "csv", "--output", "-")
    assert code == 0
    assert out.startswith("repository,url,status,score,")
    code, _, _ = _run("scan", str(repo), "--format", "markdown", "--output", "notes.txt")
    assert code == 0
    assert (tmp_path / "notes.txt").read_text().startswith("#")


def test_warnings_are_shown_on_stderr_whatever_the_format(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "tool",
        {
            "README.md": "# Tool\n",
            ".ospo-scan.toml": '[[exemptions]]\nrule = "governence"\nreason = "later"\n',
        },
    )
    code, out, err = _run("scan", str(repo), "--format", "json")
    assert code == 0
    warning = (
        ".ospo-scan.toml:1: exemption names an unknown rule id 'governence' "
        "(did you mean 'governance'?); it was ignored"
    )
    assert json.loads(out)["repositories"][0]["warnings"] == [warning]
    assert err.strip() == f"ospo-scan: warning: tool: {warning}"


def test_notices_reach_stderr_as_plain_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(verbose=False)
    logging.getLogger("ospo_scan.notices").info("building the licence tables")
    logging.getLogger("ospo_scan.scan.scanner").info("a detail only --verbose shows")
    assert capsys.readouterr().err == "ospo-scan: building the licence tables\n"


def test_help_does_not_claim_a_default_ruleset_the_profile_overrides() -> None:
    for command in ("scan", "fix"):
        code, out, _ = run(command, "--help")
        assert code == 0
        text = " ".join(out.split())
        assert "[default: un-ospo]" not in text
        assert "(default: the entity profile's `ruleset`, else un-ospo)" in text


def test_counts_are_worded_in_the_singular_for_one(tmp_path: Path, git_home: Path) -> None:
    entity = Entity(tmp_path / "agency", git_home)
    (entity.root / "lib").rename(tmp_path / "lib")
    code, out, _ = run("scan", str(entity.root / "app"), "--no-history")
    assert code == 0
    assert "; 1 repository, 1 in scope, 0 errors" in out.splitlines()[1]
