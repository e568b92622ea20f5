"""Code under a content licence, judged on GitHub: the tree is counted with one request, and only
for a repository whose licences are content licences only."""

from __future__ import annotations

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, RepoReport
from ospo_scan.scan.scanner import Scanner
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.licences.texts import scancode_text

README = "# Nutrition survey tools\n\nCleans survey exports. Install with pip install nutri.\n"
CODE = {
    "README.md": README,
    "src/nutri/__init__.py": "",
    "src/nutri/clean.py": "def clean(rows):\n    return rows\n",
    "src/nutri/weights.py": "WEIGHTS = {}\n",
    "src/nutri/report.R": "summary(data)\n",
    "tests/test_clean.py": "def test_clean():\n    assert True\n",
    ".github/workflows/test.yml": "on: push\n",
}


def _scan(fake_github: FakeFactory, *repos: FakeRepo) -> tuple[dict[str, RepoReport], list[str]]:
    fake = fake_github({"un-org": ("Organization", {r.name: r for r in repos})})
    rules = load_ruleset("un-ospo", load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan(["github:un-org"])
    trees = [path for _, path, _ in fake.requests if "/git/trees/" in path]
    return {r.name.rsplit("/", 1)[-1]: r for r in report.repositories}, trees


def test_code_under_cc_by_is_partial_on_github_with_one_tree_request(
    fake_github: FakeFactory,
) -> None:
    content = FakeRepo("nutri", {**CODE, "LICENSE": scancode_text("cc-by-4.0")})
    code = FakeRepo("engine", {**CODE, "LICENSE": scancode_text("mit")})

    reports, trees = _scan(fake_github, content, code)

    approved = next(r for r in reports["nutri"].results if r.rule == "license-approved")
    assert approved.outcome is Outcome.PARTIAL
    assert "mostly code (5 of its 7 files are source code)" in approved.message
    other = next(r for r in reports["engine"].results if r.rule == "license-approved")
    assert other.outcome is Outcome.PASS
    assert trees == ["/api/v3/repos/un-org/nutri/git/trees/main"]


def test_binary_artefacts_are_named_from_the_one_tree_request(fake_github: FakeFactory) -> None:
    files = {**CODE, "bin/nutri.exe": "MZ", "dist-old/nutri-1.0.whl": "PK", "requirements.txt": ""}
    fake = fake_github({"un-org": ("Organization", {"nutri": FakeRepo("nutri", files)})})
    rules = load_ruleset("osps-baseline", load_plugins=False)

    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan(["github:un-org/nutri"])

    (repo,) = report.repositories
    outcomes = {r.rule: r for r in repo.results}
    executables = outcomes["no-generated-executables"]
    assert executables.outcome is Outcome.FAIL
    assert [e.path for e in executables.evidence] == ["bin/nutri.exe"]
    binaries = outcomes["no-binary-artefacts"]
    assert [e.path for e in binaries.evidence] == ["bin/nutri.exe", "dist-old/nutri-1.0.whl"]
    trees = [path for _, path, _ in fake.requests if "/git/trees/" in path]
    assert trees == ["/api/v3/repos/un-org/nutri/git/trees/main"]
