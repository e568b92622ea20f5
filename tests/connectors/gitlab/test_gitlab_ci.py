"""The CI rules on GitLab: `.gitlab-ci.yml` and its local includes are read through the
connector's snapshot, as on a local clone."""

from __future__ import annotations

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, Report
from ospo_scan.scan.scanner import Scanner
from tests.connectors.gitlab.conftest import FakeFactory
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_model import FILE_MODE, Blob, FakeInstance, FakeProject
from tests.rules import ci_fixtures


def _instance(ci: bool) -> FakeInstance:
    instance = FakeInstance()
    for name, files in (("good", ci_fixtures.GOOD_GITLAB), ("bad", ci_fixtures.BAD_GITLAB)):
        project = FakeProject(f"agency/{name}")
        kept = files if ci else {"README.md": files["README.md"]}
        project.files.update({p: Blob(FILE_MODE, t.encode()) for p, t in kept.items()})
        instance.add_project(project)
    return instance


def _scan(fake: FakeGitLab, ruleset_id: str = "osps-baseline") -> Report:
    ruleset = load_ruleset(ruleset_id, load_plugins=False)
    return Scanner(ruleset, ScanOptions(gitlab_url=fake.url)).scan(["gitlab:agency"])


@pytest.mark.usefixtures("no_token")
def test_gitlab_ci_definitions_are_judged_through_the_connector(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(_instance(ci=True))
    report = _scan(fake)
    outcomes = {
        repo.name.removeprefix("agency/"): {r.rule: r.outcome for r in repo.results}
        for repo in report.repositories
    }
    assert outcomes["good"]["ci-static-analysis"] is Outcome.PASS  # the SAST template
    assert outcomes["good"]["ci-collaborator-input"] is Outcome.PASS  # the local include read
    assert outcomes["bad"]["ci-untrusted-input"] is Outcome.FAIL
    assert outcomes["bad"]["ci-dependency-tooling"] is Outcome.FAIL
    # `.gitlab-ci.yml` rides in the round that reads the root's files; only the one local
    # include (outside the listed directories) is read on its own
    bare = fake_gitlab(_instance(ci=False))
    _scan(bare)
    extra = [p for _, p, _ in fake.requests if p.endswith("/raw")]
    assert extra == ["/api/v4/projects/agency%2Fgood/repository/files/ci%2Fdeploy.yml/raw"]
    assert len(fake.requests) == len(bare.requests) + 1


def _texts_read(fake: FakeGitLab) -> set[str]:
    """The paths whose texts the batched queries read (`blobs(paths: $cN)`)."""
    return {
        path
        for variables in fake.api.variables
        for name, value in variables.items()
        if name.startswith("c") and isinstance(value, list)
        for path in value
    }


@pytest.mark.usefixtures("no_token")
def test_a_scan_whose_rules_read_no_ci_reads_no_gitlab_ci(fake_gitlab: FakeFactory) -> None:
    baseline = fake_gitlab(_instance(ci=True))
    _scan(baseline)
    assert ".gitlab-ci.yml" in _texts_read(baseline)
    default = fake_gitlab(_instance(ci=True))
    _scan(default, "un-ospo")
    assert "README.md" in _texts_read(default)
    assert ".gitlab-ci.yml" not in _texts_read(default)
