"""`fix --open-pr` on GitLab: the real python-gitlab client against the fake GitLab's write API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ospo_scan.cli import main
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject
from tests.fix.entities import CONTACTS_TOML, validated_plan

README = "# App\n\nThe app.\n\nInstall with pip install app, then run app.\n"


def _instance() -> FakeInstance:
    instance = FakeInstance()
    instance.add_project(
        FakeProject.from_texts("agency/app", {"README.md": README, "package.json": "{}\n"})
    )
    instance.add_project(FakeProject.from_texts("agency/old", {"README.md": README}, archived=True))
    instance.add_project(FakeProject.from_texts("agency/locked", {"README.md": README}, push=False))
    return instance


def _fix(fake: FakeGitLab, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Agency"\n' + CONTACTS_TOML, encoding="utf-8")
    arguments = ["fix", "gitlab:agency", "--gitlab-url", fake.url, "--entity-file", str(profile)]
    runner = CliRunner(env={"GITLAB_TOKEN": TOKEN})
    result = runner.invoke(main, [*arguments, "--format", "json", *extra], catch_exceptions=False)
    document: dict[str, Any] = validated_plan(json.loads(result.stdout)) if result.stdout else {}
    return result.exit_code, document, result.stderr


def _applied(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["repository"]: entry for entry in document["applied"]}


def test_open_pr_commits_once_and_opens_one_merge_request_per_project(
    fake_gitlab: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_gitlab(_instance())

    code, document, err = _fix(fake, tmp_path, "--open-pr")

    assert code == 0, err
    assert document["defaults_repository"] is None  # GitLab has no organisation defaults
    applied = _applied(document)
    assert applied["agency/app"]["status"] == "opened"
    assert applied["agency/locked"]["status"] == "skipped"
    assert "no push access" in applied["agency/locked"]["detail"]
    assert "agency/old" not in applied
    expected = (
        ".gitlab/issue_templates/Bug.md",  # GitLab's place for issue templates
        "CHANGELOG.md",
        "CODEOWNERS",
        "CODE_OF_CONDUCT.md",
        "CONTRIBUTING.md",
        "CONTRIBUTORS.md",
        "GOVERNANCE.md",
        "SECURITY.md",
        "SUPPORT.md",
        "renovate.json",
    )
    assert [c[:3] for c in fake.writes.commits] == [("agency/app", "ospo-scan/fix", expected)]
    (merge,) = fake.writes.merge_requests["agency/app"]
    assert (merge["source_branch"], merge["target_branch"]) == ("ospo-scan/fix", "main")
    assert "| `renovate.json` | `dependency-updates` | fail |" in merge["description"]
    assert applied["agency/app"]["url"] == merge["web_url"]
    security = fake.writes.branches["agency/app"]["ospo-scan/fix"]["SECURITY.md"].decode()
    assert "security@agency.example.org" in security
    assert "GitHub" not in security


def test_a_second_run_updates_the_same_merge_request(
    fake_gitlab: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_gitlab(_instance())
    _fix(fake, tmp_path, "--open-pr")

    code, document, err = _fix(fake, tmp_path, "--open-pr")

    assert code == 0, err
    assert _applied(document)["agency/app"]["status"] == "updated"
    assert len(fake.writes.commits) == 1
    assert len(fake.writes.merge_requests["agency/app"]) == 1


def test_a_rate_limit_in_the_middle_is_waited_out(fake_gitlab: FakeFactory, tmp_path: Path) -> None:
    fake = fake_gitlab(_instance())
    fake.inject("/repository/commits", 429, 1, Retry_After="1")

    code, document, err = _fix(fake, tmp_path, "--open-pr")

    assert code == 0, err
    assert _applied(document)["agency/app"]["status"] == "opened"
    commit_answers = [s for m, p, s in fake.requests if m == "POST" and "commits" in p]
    assert commit_answers == [429, 201]
    assert len(fake.writes.commits) == 1


def test_open_pr_without_a_token_is_a_usage_error(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(_instance())
    runner = CliRunner(env={"GITLAB_TOKEN": ""})

    result = runner.invoke(main, ["fix", "gitlab:agency", "--gitlab-url", fake.url, "--open-pr"])

    assert result.exit_code == 2
    assert "--open-pr needs a GitLab token" in result.stderr


def test_a_codeowners_file_gitlab_reads_in_dot_gitlab_is_not_shadowed(
    fake_gitlab: FakeFactory, tmp_path: Path
) -> None:
    instance = FakeInstance()
    files = {"README.md": README, ".gitlab/CODEOWNERS": "* @agency/ospo\n"}
    instance.add_project(FakeProject.from_texts("agency/app", files))
    fake = fake_gitlab(instance)

    code, document, err = _fix(fake, tmp_path)

    assert code == 0, err
    (app,) = document["repositories"]
    assert "CODEOWNERS" not in [f["path"] for f in app["files"]]
    skipped = {s["rule"]: s["reason"] for s in app["skipped"]}
    assert skipped["maintainers"].startswith(".gitlab/CODEOWNERS exists; GitLab reads it")
    assert fake.writes.commits == []  # a dry run changes nothing
