"""`ospo-scan fix` on real git repositories and on the demo entity, end to end."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.connectors.interface import ApplyStatus
from ospo_scan.model import Outcome
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.fix.entities import CONTACTS_TOML, fix_plan_schema, make_entity, validated_plan
from tests.scanning import default_ruleset, local_snapshots

PRACTICE_RULES = [
    "readme-usage",
    "versioned-releases",
    "package-manifest",
    "recent-committers",
]
"""Rules that fail in the test entity and that fix mode leaves to people."""
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-agency"


def _fix(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fix", *arguments], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts:
            continue
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_default_is_a_dry_run_that_shows_diffs_and_changes_nothing(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)
    before = _tree_digest(entity)

    code, out, _ = _fix(str(entity))

    assert code == 0
    assert _tree_digest(entity) == before
    assert "== .github (new repository)" in out
    assert "+ SECURITY.md  [security-policy: fail]" in out
    assert "--- /dev/null\n+++ b/SECURITY.md\n@@ -0,0 +1," in out
    assert "+Report them privately to security@agency.example.org." in out
    assert "~ security-policy: fixed by SECURITY.md in .github" in out


def test_json_plan_for_machines(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=False)

    code, out, _ = _fix(str(entity), "--format", "json", "--per-repository")

    document = validated_plan(json.loads(out))
    assert code == 0
    assert document["schema"] == "ospo-scan/fix-plan/v1"
    assert document["entity"]["name"] == "Demo Agency"
    api = next(r for r in document["repositories"] if r["name"] == "api")
    changelog = next(f for f in api["files"] if f["path"] == "CHANGELOG.md")
    assert (changelog["rule"], changelog["outcome"]) == ("changelog", "fail")
    assert changelog["diff"].startswith("--- /dev/null\n+++ b/CHANGELOG.md\n")
    skipped = {s["rule"]: s["reason"] for s in api["skipped"]}
    assert "has no contacts.security" in skipped["security-policy"]
    assert "has no contacts.conduct" in skipped["code-of-conduct"]
    assert document["applied"] == []


def _not_passing(entity: Path) -> dict[str, dict[str, str]]:
    report = Scanner(default_ruleset()).scan([str(entity)])
    return {
        repo.name: {
            r.rule: f"{r.outcome.value}: {r.message}"
            for r in repo.results
            if r.outcome in (Outcome.FAIL, Outcome.PARTIAL)
        }
        for repo in report.repositories
        if repo.in_scope
    }


def test_write_makes_the_rules_partial_until_reviewed_and_a_second_run_changes_nothing(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)
    fixed = {
        "contributing",
        "code-of-conduct",
        "security-policy",
        "governance",
        "maintainers",
        "changelog",
        "dependency-updates",
        "issue-templates",
        "support-policy",
        "contributors-acknowledged",
    }

    code, out, _ = _fix(str(entity), "--write")

    assert code == 0, out
    assert (
        "api: written: wrote .github/CODEOWNERS, .github/dependabot.yml, CHANGELOG.md, "
        "CONTRIBUTORS.md\n" in out
    )
    assert "Nothing was changed" not in out
    assert "--- /dev/null" not in out  # the diffs belong to the dry run
    assert (entity / ".github" / "SECURITY.md").is_file()
    written = _not_passing(entity)
    assert set(written) == {"api", "web"}
    # What no file written from a template can show: how to use the project, a release, a
    # manifest, people committing lately (the repositories' commits are from 2024).
    unfixable = {*PRACTICE_RULES, "recent-activity"}
    assert set(written["api"]) == fixed | unfixable
    assert set(written["web"]) == fixed | unfixable | {"license"}
    for repo in written.values():
        for rule in fixed:
            assert repo[rule].startswith("partial: "), repo[rule]
            assert "written from a template, not yet reviewed" in repo[rule], repo[rule]
    after_first = _tree_digest(entity)

    code, out, _ = _fix(str(entity), "--write")

    assert code == 0
    assert _tree_digest(entity) == after_first
    assert out.endswith("0 files in 0 repositories.\nNothing to apply.\n")

    for path in entity.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(entity).parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            if "ospo-scan:template" in text:
                kept = [line for line in text.splitlines() if "ospo-scan:template" not in line]
                path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    reviewed = _not_passing(entity)
    left = {rule for repo in reviewed.values() for rule in repo}
    assert left == {"changelog", "license"} | unfixable
    assert reviewed["api"]["changelog"].endswith("records no release yet.")


def test_write_does_not_follow_a_symlinked_github_directory(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = git_repo_factory(
        tmp_path / "app",
        {"README.md": "# App\n\nRun pip install app.\n", "pyproject.toml": "[project]\n"},
    )
    (repo / ".github").symlink_to(outside)
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Agency"\n' + CONTACTS_TOML, encoding="utf-8")

    code, out, _ = _fix(str(repo), "--write", "--entity-file", str(profile))

    assert code == 3
    assert "refused .github/CODEOWNERS: .github is a symbolic link" in out
    assert list(outside.iterdir()) == []
    assert (repo / "CHANGELOG.md").is_file()


def test_write_then_rescan_the_demo_entity_raises_its_score(tmp_path: Path) -> None:
    demo = tmp_path / "demo-agency"
    shutil.copytree(DEMO, demo, symlinks=True)
    with (demo / "ospo-entity.toml").open("a", encoding="utf-8") as profile:
        profile.write(CONTACTS_TOML)
    before = Scanner(default_ruleset()).scan([str(demo)])

    code, out, _ = _fix(str(demo), "--format", "json", "--write")

    assert code == 0
    document = validated_plan(json.loads(out))
    assert {a["status"] for a in document["applied"]} == {"written"}
    fixed = {
        (repo["name"], file["rule"])
        for repo in document["repositories"]
        for file in repo["files"]
        if repo["name"] != ".github"
    } | {
        (repo["name"], covered["rule"])
        for repo in document["repositories"]
        for covered in repo["covered"]
    }
    assert fixed  # the demo has something to fix
    after = Scanner(default_ruleset()).scan([str(demo)])
    findings = {(r.name, res.rule): res for r in after.repositories for res in r.results}
    unreviewed = [key for key in fixed if "not yet reviewed" in findings[key].message]
    assert all(findings[key].outcome is Outcome.PARTIAL for key in fixed)
    assert sorted(unreviewed) == sorted(fixed)
    assert before.entity.score is not None
    assert after.entity.score is not None
    assert after.entity.score > before.entity.score
    assert after.entity.level != "leading"
    assert {s.name for s in local_snapshots(demo)} >= {".github", "data-portal"}

    for applied in document["applied"]:
        for written in applied["files"]:
            _review(demo / applied["repository"] / written)
    reviewed = Scanner(default_ruleset()).scan([str(demo)])
    findings = {(r.name, res.rule): res for r in reviewed.repositories for res in r.results}
    still = {k: res.message for k in fixed if (res := findings[k]).outcome is not Outcome.PASS}
    assert still
    assert all(rule == "changelog" for _, rule in still), still
    assert all(message.endswith("records no release yet.") for message in still.values())
    assert reviewed.entity.score is not None
    assert reviewed.entity.score > after.entity.score


def _review(path: Path) -> None:
    """What a person does once a written file says what they mean: delete the marker line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(line for line in lines if "ospo-scan:template" not in line) + "\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--write", "--open-pr"], "--write and --open-pr exclude each other"),
        (["--rules", "readme"], "fix mode cannot fix rule 'readme'"),
        (["--licence", "Not-A-Licence"], "is not an SPDX licence id"),
        (["--open-pr"], "--open-pr needs a GitHub or GitLab target"),
        (["--entity-file", "missing.toml"], "missing.toml: cannot read the entity file"),
        (
            ["--github-url", "https://user:hunter2@ghe.example.org/api/v3"],
            "--github-url https://ghe.example.org/api/v3: a URL with credentials is not accepted",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    tmp_path: Path, git_repo_factory: RepoFactory, arguments: list[str], message: str
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})

    code, _, err = _fix(str(repo), *arguments)

    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_non_finite_max_wait_is_refused_as_scan_refuses_it(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    code, _, err = _fix(str(repo), "--max-wait", "nan")
    assert code == 2
    assert "Invalid value for '--max-wait': 'nan' is not a finite number." in err


def test_an_entity_of_git_repositories_without_defaults_gets_files_per_repository(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    for name in ("api", "web"):
        git_repo_factory(entity / name, {"README.md": f"# {name}\n\nWhat it is.\n\nRun it.\n"})

    code, out, _ = _fix(str(entity), "--write", "--rules", "contributing,governance")

    assert code == 0, out
    assert not (entity / ".github").exists()  # git would not read it as a repository
    report = Scanner(default_ruleset()).scan([str(entity)])
    for repo in report.repositories:
        for rule in ("contributing", "governance"):
            found = next(r for r in repo.results if r.rule == rule)
            assert found.outcome is Outcome.PARTIAL, (repo.name, found.message)
            assert "written from a template, not yet reviewed" in found.message
            assert found.evidence[0].source.value == "repository"
            assert found.evidence[0].path == f"{rule.upper()}.md"


def test_the_schema_names_every_apply_status() -> None:
    statuses = fix_plan_schema()["$defs"]["applied"]["properties"]["status"]["enum"]
    assert statuses == [status.value for status in ApplyStatus]


def test_a_repository_that_cannot_be_scanned_never_loses_the_others_plan(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "app", {"README.md": "# App\n\nWhat it is.\n\nRun it.\n"})
    git_repo_factory(entity / "empty", {}, commit=False)

    code, out, _ = _fix(str(entity), "--format", "json")

    assert code == 3
    plans = {r["name"]: r for r in validated_plan(json.loads(out))["repositories"]}
    assert plans["empty"]["excluded"] == "could not be scanned: repository has no commits"
    assert "CHANGELOG.md" in [f["path"] for f in plans["app"]["files"]]


def _git_files(repo: Path) -> list[str]:
    return sorted(str(p.relative_to(repo / ".git")) for p in (repo / ".git").rglob("*"))


def test_write_never_writes_into_another_childs_git_directory(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    repo = git_repo_factory(entity / "app", {"README.md": "# App\n\nRun pip install app.\n"})
    (entity / "ospo-entity.toml").write_text('name = "Agency"\n' + CONTACTS_TOML, "utf-8")
    (entity / "mirror").symlink_to(repo / ".git", target_is_directory=True)
    before = _git_files(repo)

    code, out, _ = _fix(str(entity), "--write", "--per-repository")

    assert _git_files(repo) == before
    assert code == 3
    (line,) = [line for line in out.splitlines() if line.startswith("mirror: ")]
    assert line.startswith("mirror: failed: refused ")
    assert "refused CHANGELOG.md: .git is or lies in a .git directory" in line
    assert "wrote" not in line
    assert (repo / "CHANGELOG.md").is_file()  # the real working tree is fixed


def test_write_refuses_a_git_directory_given_as_the_target(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n\nRun pip install app.\n"})
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Agency"\n' + CONTACTS_TOML, encoding="utf-8")
    before = _git_files(repo)

    code, _, err = _fix(str(repo / ".git"), "--write", "--entity-file", str(profile))

    assert code == 2
    assert err.count("\n") == 1
    assert "is or lies in a .git directory; --write never writes there" in err
    assert _git_files(repo) == before


def test_fix_takes_the_ruleset_the_entity_profile_names_as_scan_does(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)
    (entity / "agency.toml").write_text(
        'id = "agency"\nversion = "1"\nextends = "un-ospo"\n\n'
        '[rules.publiccode-file]\ntype = "file-exists"\ncategory = "metadata"\n'
        'paths = ["publiccode.y*ml"]\nremediation = "Add publiccode.yml."\n',
        encoding="utf-8",
    )
    profile = entity / "ospo-entity.toml"
    profile.write_text(
        profile.read_text("utf-8").replace(
            'name = "Demo Agency"\n', 'name = "Demo Agency"\nruleset = "agency.toml"\n'
        )
        + '\n[[exemptions]]\nrule = "publiccode-file"\nreason = "Not a public code project."\n',
        encoding="utf-8",
    )
    scan = CliRunner().invoke(main, ["scan", str(entity), "--no-history"])
    assert scan.exit_code == 0, scan.stderr

    code, out, err = _fix(str(entity))

    assert (code, err) == (0, "")
    assert "+ SECURITY.md  [security-policy: fail]" in out


def test_scan_advises_what_fix_proposes_for_organisation_wide_files(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    for name in ("api", "web"):
        git_repo_factory(entity / name, {"README.md": f"# {name}\n\nWhat it is.\n\nRun it.\n"})
    scanned = tmp_path / "scan.json"
    scan = CliRunner().invoke(main, ["scan", str(entity), "--no-history", "--output", str(scanned)])
    rendered = CliRunner().invoke(main, ["report", str(scanned), "--no-history"])
    advice = rendered.stdout.split("fix first", 1)[1]
    assert scan.exit_code == 0
    assert ".github" not in advice
    assert "fix contributing in api, web" in advice
    code, out, _ = _fix(str(entity), "--rules", "contributing")
    assert code == 0
    assert "== api" in out
    assert ".github" not in out

    (entity / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    scan = CliRunner().invoke(main, ["scan", str(entity), "--no-history"])
    advice = scan.stdout.split("fix first", 1)[1]
    assert "add CONTRIBUTING.md to the organisation's .github repository" in advice
    code, out, _ = _fix(str(entity), "--rules", "contributing")
    assert "== .github (new repository)" in out
