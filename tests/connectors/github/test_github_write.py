"""`fix --open-pr` on GitHub: the real PyGithub-based client against the fake GitHub's write API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset
from ospo_scan.connectors.github.write import GitHubWriter
from ospo_scan.connectors.interface import ApplyStatus, ScanOptions, Target, TargetKind
from ospo_scan.fix.apply import open_requests
from ospo_scan.fix.planner import FixOptions
from ospo_scan.fix.run import plan_run
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_github import TOKEN, FakeGitHub, Fault
from tests.connectors.github.fake_repos import FakeRepo
from tests.fix.entities import CONTACTS_TOML, validated_plan

README = "# App\n\nThe app.\n\nInstall with pip install app, then run app.\n"


def _org() -> dict[str, FakeRepo]:
    return {
        "app": FakeRepo("app", {"README.md": README, "pyproject.toml": "[project]\n"}),
        "old": FakeRepo("old", {"README.md": README}, archived=True),
        "locked": FakeRepo("locked", {"README.md": README, "package.json": "{}\n"}, push=False),
    }


def _profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "UN Org"\n' + CONTACTS_TOML, encoding="utf-8")
    return profile


def _fix(fake: FakeGitHub, profile: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    arguments = ["fix", "github:un-org", "--github-url", fake.api_url, "--entity-file"]
    arguments += [str(profile), "--format", "json", *extra]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    document = validated_plan(json.loads(result.stdout)) if result.stdout else {}
    return result.exit_code, document, result.stderr


def _applied(document: dict[str, object]) -> dict[str, dict[str, object]]:
    applied = document["applied"]
    assert isinstance(applied, list)
    return {entry["repository"]: entry for entry in applied}


def test_open_pr_creates_the_defaults_repository_and_one_request_per_repository(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})

    code, document, err = _fix(fake, _profile(tmp_path), "--open-pr")

    assert code == 0, err
    applied = _applied(document)
    assert applied["un-org/.github"]["status"] == "opened"
    assert applied["un-org/app"]["status"] == "opened"
    assert applied["un-org/locked"] == {
        "repository": "un-org/locked",
        "status": "skipped",
        "detail": "the token has no push access to this repository",
        "files": [],
        "url": None,
    }
    assert "un-org/old" not in applied  # archived: the plan leaves it out
    defaults = fake.writes.branches[("un-org", ".github")]["ospo-scan/fix"]
    assert sorted(defaults) == [
        ".github/ISSUE_TEMPLATE/bug_report.md",
        "CODE_OF_CONDUCT.md",
        "CONTRIBUTING.md",
        "GOVERNANCE.md",
        "SECURITY.md",
        "SUPPORT.md",
    ]
    assert b"security@agency.example.org" in defaults["SECURITY.md"]
    assert sorted(fake.writes.branches[("un-org", "app")]["ospo-scan/fix"]) == [
        ".github/CODEOWNERS",
        ".github/dependabot.yml",
        "CHANGELOG.md",
        "CONTRIBUTORS.md",
    ]
    (pull,) = fake.writes.pulls[("un-org", "app")]
    assert (pull["head"]["ref"], pull["base"]["ref"]) == ("ospo-scan/fix", "main")
    assert "| `CHANGELOG.md` | `changelog` | fail |" in pull["body"]
    assert applied["un-org/app"]["url"] == pull["html_url"]


def test_a_second_run_updates_the_same_branch_and_request(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    profile = _profile(tmp_path)
    _fix(fake, profile, "--open-pr")
    commits = list(fake.writes.commits)

    code, document, err = _fix(fake, profile, "--open-pr")

    assert code == 0, err
    applied = _applied(document)
    assert applied["un-org/app"]["status"] == "updated"
    assert applied["un-org/.github"]["status"] == "updated"
    assert fake.writes.commits == commits
    assert len(fake.writes.pulls[("un-org", "app")]) == 1
    assert len(fake.writes.pulls[("un-org", ".github")]) == 1


def test_a_rate_limit_in_the_middle_is_waited_out(
    fake_github: FakeFactory, tmp_path: Path, github_token: str
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    options = ScanOptions(github_url=fake.api_url)
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    run = plan_run("github:un-org", ruleset, options, FixOptions(), str(_profile(tmp_path)))
    before = len(fake.requests)

    def inject(message: str) -> None:
        if message.endswith("un-org/app"):
            fake.faults.append(Fault("secondary", 403, retry_after=1))

    results = {r.repository: r for r in open_requests(run, options, progress=inject)}

    assert results["un-org/app"].status is ApplyStatus.OPENED
    sent = fake.requests[before:]
    limited = [i for i, (_, _, status) in enumerate(sent) if status == 403]
    assert len(limited) == 1
    (method, path, _), (again, same_path, status) = sent[limited[0]], sent[limited[0] + 1]
    assert (again, same_path, status) == (method, path, 200)  # the same request, after the wait
    assert len(fake.writes.pulls[("un-org", "app")]) == 1
    content = fake.writes.branches[("un-org", "app")]["ospo-scan/fix"]["CHANGELOG.md"]
    assert content.decode("utf-8").startswith("# Changelog\n")


def test_open_pr_without_a_token_is_a_usage_error(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    runner = CliRunner(env={"GITHUB_TOKEN": "", "GH_TOKEN": ""})

    result = runner.invoke(
        main, ["fix", "github:un-org", "--github-url", fake.api_url, "--open-pr"]
    )

    assert result.exit_code == 2
    assert "--open-pr needs a GitHub token" in result.stderr
    assert TOKEN not in result.stderr


def test_one_repository_failing_never_loses_the_others(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    fake.writes.failing.add("un-org/app")

    code, document, _ = _fix(fake, _profile(tmp_path), "--open-pr")

    assert code == 3
    applied = _applied(document)
    assert applied["un-org/app"]["status"] == "failed"
    assert applied["un-org/app"]["detail"] == "GitHub answered 500: Server Error"
    assert applied["un-org/.github"]["status"] == "opened"
    assert TOKEN not in json.dumps(document)


def test_an_archived_repository_is_skipped_by_the_writer(
    fake_github: FakeFactory, github_token: str
) -> None:
    fake = fake_github({"un-org": ("Organization", _org())})
    options = ScanOptions(github_url=fake.api_url)
    writer = GitHubWriter.for_options(options, Target(TargetKind.GITHUB, "un-org"))

    result = writer.propose("un-org/old", {"CHANGELOG.md": "# C\n"}, "t", "b", create=False)
    writer.close()

    assert (result.status, result.detail) == (ApplyStatus.SKIPPED, "archived: read-only")
    assert ("un-org", "old") not in fake.writes.branches


def test_a_defaults_repository_that_cannot_be_created_says_what_to_do(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    fake = fake_github({"un-org": ("User", _org())})

    code, document, _ = _fix(fake, _profile(tmp_path), "--open-pr")

    assert code == 3
    defaults = _applied(document)["un-org/.github"]
    assert defaults["status"] == "failed"
    detail = str(defaults["detail"])
    assert detail.startswith("cannot create un-org/.github: GitHub answered 404")
    assert "--per-repository" in detail
    assert _applied(document)["un-org/app"]["status"] == "opened"


@pytest.mark.parametrize("token", [True, False], ids=["graphql", "rest-without-a-token"])
def test_dependabot_covers_manifests_below_the_root_on_github(
    fake_github: FakeFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: bool
) -> None:
    """With a token, one tree query per directory; without one, the one recursive REST tree."""
    if not token:
        monkeypatch.delenv("GITHUB_TOKEN")
    files = {
        "README.md": README,
        "package.json": "{}\n",
        "web/package.json": "{}\n",
        "services/api/requirements.txt": "flask\n",
        "services/api/Dockerfile": "FROM python:3.12\n",
        "node_modules/x/package.json": "{}\n",
    }
    fake = fake_github({"un-org": ("Organization", {"app": FakeRepo("app", files)})})
    code, document, err = _fix(fake, _profile(tmp_path), "--rules", "dependency-updates")
    assert code == 0, err
    repositories = document["repositories"]
    assert isinstance(repositories, list)
    (repository,) = repositories
    (proposed,) = repository["files"]
    assert proposed["path"] == ".github/dependabot.yml"
    content = proposed["content"]
    assert '    directories:\n      - "/"\n      - "/web"\n' in content
    assert '  - package-ecosystem: "pip"\n    directory: "/services/api"\n' in content
    assert '  - package-ecosystem: "docker"\n    directory: "/services/api"\n' in content
