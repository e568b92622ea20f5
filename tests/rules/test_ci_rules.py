"""The CI rules on real git repositories, scanned as one entity: zizmor runs once, for real, over
every repository's workflows."""

from __future__ import annotations

import itertools
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.model import EvidenceSource, Outcome, Report, RuleResult
from ospo_scan.scan.ci import prepare_ci
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.scan.scanner import Scanner
from ospo_scan.scan.zizmor import ZIZMOR_VARIABLE, zizmor_executable
from ospo_scan.snapshot import HostFact, HostFacts
from tests.gitrepos import make_repo
from tests.rules import ci_fixtures
from tests.scanning import local_snapshot

NA = Outcome.NOT_APPLICABLE
PASS, FAIL, PARTIAL, UNKNOWN = Outcome.PASS, Outcome.FAIL, Outcome.PARTIAL, Outcome.UNKNOWN

REPOSITORIES = {
    "good-github": ci_fixtures.GOOD_GITHUB,
    "bad-github": ci_fixtures.BAD_GITHUB,
    "relying-github": ci_fixtures.RELYING_GITHUB,
    "good-gitlab": ci_fixtures.GOOD_GITLAB,
    "bad-gitlab": ci_fixtures.BAD_GITLAB,
    "no-ci": ci_fixtures.NO_CI,
    "unreadable": ci_fixtures.UNREADABLE,
}
RULES = (
    "ci-default-permissions",
    "ci-job-permissions",
    "ci-untrusted-input",
    "ci-untrusted-code",
    "ci-collaborator-input",
    "ci-dependency-tooling",
    "ci-tests",
    "ci-dependency-analysis",
    "ci-static-analysis",
)
EXPECTED = {
    "good-github": (PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS),
    "bad-github": (FAIL, FAIL, FAIL, FAIL, FAIL, FAIL, PARTIAL, FAIL, PARTIAL),
    # local scans cannot read the host's default token permissions
    "relying-github": (UNKNOWN, NA, PASS, PASS, NA, PASS, PASS, FAIL, FAIL),
    "good-gitlab": (UNKNOWN, NA, PASS, PASS, PASS, PASS, PASS, PASS, PASS),
    "bad-gitlab": (UNKNOWN, NA, FAIL, PASS, FAIL, FAIL, PARTIAL, FAIL, FAIL),
    "no-ci": (NA, NA, NA, NA, NA, NA, FAIL, FAIL, FAIL),
    # a workflow beyond the read bound could hold anything
    "unreadable": (UNKNOWN,) * 9,
}


def _ruleset() -> Ruleset:
    return load_ruleset("osps-baseline", load_plugins=False)


def _counting_zizmor(directory: Path) -> tuple[Path, Path]:
    """A zizmor that logs each run (and whether a token reached it), then runs the real one."""
    real = zizmor_executable()
    assert real is not None, "zizmor is a dependency of ospo-scan"
    log = directory / "runs.log"
    wrapper = directory / "zizmor"
    wrapper.write_text(
        f"#!/bin/sh\necho \"run token=${{GITHUB_TOKEN:-none}}\" >> '{log}'\nexec '{real}' \"$@\"\n",
        encoding="utf-8",
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


@pytest.fixture(scope="module")
def scanned(
    tmp_path_factory: pytest.TempPathFactory, git_home: Path
) -> Iterator[tuple[Report, Path]]:
    root = tmp_path_factory.mktemp("ci-entity")
    for name, files in REPOSITORIES.items():
        make_repo(root / "entity" / name, files, home=git_home)
    wrapper, log = _counting_zizmor(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ZIZMOR_VARIABLE, str(wrapper))
        patch.setenv("GITHUB_TOKEN", "ghp_notforzizmor")
        yield Scanner(_ruleset()).scan([str(root / "entity")]), log


def _result(report: Report, repository: str, rule: str) -> RuleResult:
    repo = next(r for r in report.repositories if r.name == repository)
    return next(r for r in repo.results if r.rule == rule)


@pytest.mark.skipif(sys.platform == "win32", reason="the counting wrapper is a shell script")
@pytest.mark.parametrize("repository", list(REPOSITORIES))
def test_each_ci_rule_on_each_repository(scanned: tuple[Report, Path], repository: str) -> None:
    report, _ = scanned
    outcomes = tuple(_result(report, repository, rule).outcome for rule in RULES)
    assert dict(zip(RULES, outcomes, strict=True)) == dict(
        zip(RULES, EXPECTED[repository], strict=True)
    )


def test_zizmor_runs_once_for_the_whole_scan_without_the_token(
    scanned: tuple[Report, Path],
) -> None:
    _, log = scanned
    assert log.read_text(encoding="utf-8").splitlines() == ["run token=none"]


def test_findings_name_what_zizmor_found_and_where(scanned: tuple[Report, Path]) -> None:
    report, _ = scanned
    untrusted = _result(report, "bad-github", "ci-untrusted-input")
    assert "github.event.issue.title" in untrusted.message
    assert "inputs.name" not in untrusted.message  # a collaborator's input is the next rule's
    assert untrusted.evidence[0].path == ".github/workflows/triage.yml"
    collaborator = _result(report, "bad-github", "ci-collaborator-input")
    assert "inputs.name" in collaborator.message
    code = _result(report, "bad-github", "ci-untrusted-code")
    assert "pull_request_target" in code.message
    assert "head.sha" in code.message
    permissions = _result(report, "bad-github", "ci-job-permissions")
    assert "nightly.yml:5 contents: write is overly broad at the workflow level" in (
        permissions.message
    )
    installer = _result(report, "bad-github", "ci-dependency-tooling")
    assert "curl -sSL https://example.org/install.sh | bash" in installer.message
    dependabot = _result(report, "bad-github", "ci-dependency-analysis")
    assert ".github/dependabot.yml proposes updates" in dependabot.message
    gitlab = _result(report, "bad-gitlab", "ci-untrusted-input")
    assert "$CI_MERGE_REQUEST_TITLE" in gitlab.message
    assert "announce" in gitlab.message
    platform = _result(report, "good-gitlab", "ci-untrusted-code")
    assert platform.evidence[0].source is EvidenceSource.PLATFORM


def test_the_baseline_ruleset_maps_every_ci_control() -> None:
    mapping = _ruleset().mapping
    controls = {str(ref) for rule in RULES for ref in mapping.evidences.get(rule, ())}
    assert controls == {
        f"osps-baseline:OSPS-{c}"
        for c in (
            "AC-04.01",
            "AC-04.02",
            "BR-01.01",
            "BR-01.03",
            "BR-01.04",
            "BR-05.01",
            "QA-06.01",
            "VM-05.03",
            "VM-06.02",
        )
    }


@pytest.mark.parametrize(
    ("default", "expected"), [("read", PASS), ("write", FAIL), (None, UNKNOWN)]
)
def test_default_permissions_follow_the_host_default(
    tmp_path: Path, git_home: Path, default: str | None, expected: Outcome
) -> None:
    snapshot = local_snapshot(make_repo(tmp_path / "r", ci_fixtures.RELYING_GITHUB, home=git_home))
    withheld = {HostFact.WORKFLOW_PERMISSIONS: "a token with Actions read access"}
    host = HostFacts(platform="github", default_workflow_permissions=default, withheld=withheld)
    snapshot = replace(snapshot, metadata=replace(snapshot.metadata, host=host))
    (prepared,) = prepare_ci([snapshot], audit=False)
    report = evaluate_repository(snapshot, _ruleset(), prepared=prepared)
    result = next(r for r in report.results if r.rule == "ci-default-permissions")
    assert result.outcome is expected
    if expected is UNKNOWN:
        assert "a token with Actions read access" in result.message


def _fake_zizmor(directory: Path, body: str) -> Path:
    script = directory / "fake-zizmor"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


HOSTILE_OUTPUT = r"""cat <<'EOF'
[{"ident": 5}, "x",
 {"ident": "template-injection", "locations": [{"symbolic": {"kind": "Primary",
   "key": {"Local": {"verbatim_path": "../../../etc/passwd"}}}}]},
 {"ident": "excessive-permissions", "locations": [{"symbolic": {"kind": "Primary",
   "key": {"Local": {"verbatim_path": "./r0/.github/workflows/w0.yml"}},
   "annotation": "\u001b]0;owned\u0007"},
   "concrete": {"location": {"start_point": {"row": "x"},
                             "offset_span": {"start": -4, "end": 2}}}}]}]
EOF
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the fake zizmor is a shell script")
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "zizmor is not installed"),
        ("echo 'not json'\n", "zizmor's output was not JSON"),
        ("exit 3\n", "zizmor failed (exit status 3)"),
        (HOSTILE_OUTPUT, "zizmor could not audit"),
    ],
)
def test_without_a_usable_zizmor_the_audited_rules_are_unknown_never_pass(
    tmp_path: Path,
    git_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    body: str | None,
    reason: str,
) -> None:
    executable = tmp_path / "absent" if body is None else _fake_zizmor(tmp_path, body)
    monkeypatch.setenv(ZIZMOR_VARIABLE, str(executable))
    snapshot = local_snapshot(make_repo(tmp_path / "r", ci_fixtures.GOOD_GITHUB, home=git_home))
    (prepared,) = prepare_ci([snapshot], audit=True)
    report = evaluate_repository(snapshot, _ruleset(), prepared=prepared)
    for rule in ("ci-job-permissions", "ci-untrusted-input", "ci-collaborator-input"):
        result = next(r for r in report.results if r.rule == rule)
        assert result.outcome is UNKNOWN, rule
        assert reason in result.message
        assert "\x1b" not in result.message
    # what needs no audit is still judged
    tests = next(r for r in report.results if r.rule == "ci-tests")
    assert tests.outcome is PASS


EVIL_WORKFLOW = """\
on: issues
jobs:
  "a\\e[2Jb":
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.issue.body }}"
"""


def _alias_bomb() -> str:
    """YAML whose aliases make 9 * 4**20 nodes of 21 lines."""
    names = [chr(97 + i) for i in range(21)]
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}]" for p, n in itertools.pairwise(names)]
    return "\n".join(lines) + "\n"


def test_a_hostile_repository_costs_the_others_nothing(tmp_path: Path, git_home: Path) -> None:
    hostile = {
        # zizmor crashes on this job name: the other repository's audit must not be lost
        ".github/workflows/evil\x1b]0;x\x07.yml": EVIL_WORKFLOW,
        ".github/workflows/bomb.yml": _alias_bomb() + "jobs: {x: {steps: [{run: pytest}]}}\n"
        "on: pull_request\n",
        ".github/workflows/tagged.yml": "!!python/object:os.system [echo]\n",
        ".gitlab-ci.yml": "x: !reference [.a, b]\ny: !custom {a: 1}\n" + "[" * 5000 + "\n",
    }
    make_repo(tmp_path / "entity" / "hostile", hostile, home=git_home)
    make_repo(tmp_path / "entity" / "bystander", ci_fixtures.BAD_GITHUB, home=git_home)
    report = Scanner(_ruleset()).scan([str(tmp_path / "entity")])
    bystander = _result(report, "bystander", "ci-untrusted-input")
    assert bystander.outcome is FAIL
    results = {
        r.rule: r for r in next(r for r in report.repositories if r.name == "hostile").results
    }
    assert results["ci-untrusted-input"].outcome is UNKNOWN
    assert "zizmor failed" in results["ci-untrusted-input"].message
    relying = results["ci-default-permissions"].message
    assert "\x1b" not in relying
    assert ".github/workflows/evil\\x1b]0;x\\x07.yml" in relying
    assert results["ci-tests"].outcome is PASS  # the alias bomb is walked within its budget
    assert all(r.outcome is not Outcome.ERROR for r in results.values())


def test_the_workflows_directory_is_listed_for_every_scan(tmp_path: Path, git_home: Path) -> None:
    snapshot = local_snapshot(make_repo(tmp_path / "r", ci_fixtures.GOOD_GITHUB, home=git_home))
    names = sorted(e.name for e in snapshot.entries(".github/workflows"))
    assert names == ["ci.yml", "codeql.yml", "label.yml", "release-notes.yml"]
    assert os.sep not in "".join(names)


def _outcomes(tmp_path: Path, git_home: Path, files: dict[str, str]) -> dict[str, RuleResult]:
    snapshot = local_snapshot(make_repo(tmp_path / "r", files, home=git_home))
    (prepared,) = prepare_ci([snapshot], audit=False)
    report = evaluate_repository(snapshot, _ruleset(), prepared=prepared)
    return {r.rule: r for r in report.results}


def test_tests_in_another_repositorys_reusable_workflow_are_unknown(
    tmp_path: Path, git_home: Path
) -> None:
    called = (
        "on: pull_request\njobs:\n  test:\n    uses: org/shared/.github/workflows/test.yml@v1\n"
    )
    results = _outcomes(tmp_path, git_home, {".github/workflows/ci.yml": called})
    assert results["ci-tests"].outcome is UNKNOWN
    assert "org/shared/.github/workflows/test.yml" in results["ci-tests"].message


def test_a_reusable_workflow_of_the_same_repository_runs_on_the_callers_triggers(
    tmp_path: Path, git_home: Path
) -> None:
    files = {
        ".github/workflows/ci.yml": "on: pull_request\njobs:\n  test:\n"
        "    uses: ./.github/workflows/tests.yml\n",
        ".github/workflows/tests.yml": "on: workflow_call\njobs:\n  unit:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
    }
    results = _outcomes(tmp_path, git_home, files)
    assert results["ci-tests"].outcome is PASS
    assert "tests.yml (job unit)" in results["ci-tests"].message


def test_write_all_at_the_top_of_a_single_job_workflow_is_excessive(
    tmp_path: Path, git_home: Path
) -> None:
    # zizmor reads a single job's top-level permissions as the job's own, and does not report
    # `write-all` there; the rule does.
    triage = ".github/workflows/triage.yml"
    files = {triage: ci_fixtures.BAD_GITHUB[triage]}
    snapshot = local_snapshot(make_repo(tmp_path / "r", files, home=git_home))
    (prepared,) = prepare_ci([snapshot], audit=True)
    report = evaluate_repository(snapshot, _ruleset(), prepared=prepared)
    results = {r.rule: r for r in report.results}
    assert results["ci-job-permissions"].outcome is FAIL
    assert results["ci-job-permissions"].message == f"`permissions: write-all` in {triage}."
    assert results["ci-default-permissions"].outcome is PASS  # the one job's own permissions


def test_an_audit_that_cannot_even_start_leaves_the_scan_whole(
    tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = local_snapshot(make_repo(tmp_path / "r", ci_fixtures.GOOD_GITHUB, home=git_home))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-directory"))
    (prepared,) = prepare_ci([snapshot], audit=True)
    report = evaluate_repository(snapshot, _ruleset(), prepared=prepared)
    result = next(r for r in report.results if r.rule == "ci-untrusted-input")
    assert result.outcome is UNKNOWN
    assert "the workflow audit failed (FileNotFoundError)" in result.message
