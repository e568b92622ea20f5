"""One rule of the `osps-baseline` ruleset, run on a real `git init` repository."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules.interface import RuleContext
from ospo_scan.snapshot import Snapshot
from tests.gitrepos import git
from tests.scanning import local_snapshot


@cache
def baseline_ruleset() -> Ruleset:
    return load_ruleset("osps-baseline", load_plugins=False)


def check(repo: Path, rule_id: str, *, snapshot: Snapshot | None = None) -> Finding:
    """What `rule_id`, as the Baseline ruleset maps it, finds in `repo`."""
    ruleset = baseline_ruleset()
    config = ruleset.rule(rule_id)
    assert config is not None, f"{rule_id} is not in the osps-baseline ruleset"
    assert config.evidences, f"{rule_id} evidences no control"
    context = RuleContext(snapshot or local_snapshot(repo), config.options, ruleset.licence_policy)
    return config.rule.check(context)


def release(repo: Path, git_home: Path, tag: str = "v1.0.0") -> Path:
    """Tag the repository's head: the project has made a release."""
    git(repo, "tag", tag, home=git_home)
    return repo


def check_after_losing(repo: Path, rule_id: str, path: str) -> Finding:
    """What `rule_id` finds when `path`, listed when the repository was opened, is gone by the
    time the rule reads it: the connector cannot read it."""
    snapshot = local_snapshot(repo)
    (repo / path).unlink()
    return check(repo, rule_id, snapshot=snapshot)


def assert_outcome(finding: Finding, expected: Outcome, *words: str) -> None:
    """The finding's outcome, and words its message or evidence must hold."""
    assert finding.outcome is expected, finding.message
    said = finding.message + " ".join(f" {e.path} {e.detail or ''}" for e in finding.evidence)
    for word in words:
        assert word in said, f"{word!r} not in {said!r}"
