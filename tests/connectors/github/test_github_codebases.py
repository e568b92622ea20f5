"""A project's codebases judged on GitHub, where the repository's own address is known: a README
linking the owner's other repositories is the documented list (OSPS-QA-04.01)."""

from __future__ import annotations

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import EvidenceSource, Outcome, RuleResult
from ospo_scan.scan.scanner import Scanner
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo

LISTING = """# Water Points

The project is three repositories:

- [water-points-api](https://github.com/un-org/water-points-api): the API
- [Water-Points-App](https://github.com/UN-org/Water-Points-App.git): the mobile app
- this one, the web site (https://github.com/un-org/web)
- unrelated: https://github.com/someone-else/tool
"""


def _results(fake_github: FakeFactory, readme: str) -> dict[str, RuleResult]:
    repo = FakeRepo("web", {"README.md": readme}, tags=("v1.0.0",))
    fake = fake_github({"un-org": ("Organization", {"web": repo})})
    rules = load_ruleset("osps-baseline", load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan(["github:un-org/web"])
    (scanned,) = report.repositories
    return {r.rule: r for r in scanned.results}


def test_a_readme_listing_the_owner_s_repositories_passes(fake_github: FakeFactory) -> None:
    results = _results(fake_github, LISTING)

    listed = results["codebases-listed"]
    assert listed.outcome is Outcome.PASS
    assert listed.message == (
        "README.md links to 2 other repositories of the project's owner: "
        "water-points-api, water-points-app."
    )
    assert [(e.path, e.source) for e in listed.evidence] == [("README.md", EvidenceSource.README)]
    subprojects = results["subprojects-security"]
    assert subprojects.outcome is Outcome.UNKNOWN


def test_a_readme_naming_no_other_repository_is_not_applicable(fake_github: FakeFactory) -> None:
    results = _results(fake_github, "# Web\n\nSee https://github.com/un-org/web/issues.\n")

    assert results["codebases-listed"].outcome is Outcome.NOT_APPLICABLE
    assert results["subprojects-security"].outcome is Outcome.NOT_APPLICABLE
