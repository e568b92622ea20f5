"""Security policy, dependency updates, governance and maintainers rules on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Outcome
from ospo_scan.rules.security import private_channel
from tests.conftest import RepoFactory
from tests.scanning import evaluate, outcome, result

POLICY_EMAIL = """# Security policy

Please report vulnerabilities privately to security@unicef.example.org and not in public issues.
"""
POLICY_ADVISORY = """# Reporting a vulnerability

Use "Report a vulnerability" on the Security tab:
https://github.com/example/app/security/advisories/new
"""
POLICY_VDP = """# Security

Follow our coordinated disclosure policy at https://www.who.example.int/about/vulnerability-disclosure
"""
POLICY_NO_CHANNEL = """# Security

We take security seriously and fix vulnerabilities quickly. Please open an issue if you find one.
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"SECURITY.md": POLICY_EMAIL}, Outcome.PASS),
        ({".github/SECURITY.md": POLICY_ADVISORY}, Outcome.PASS),
        ({"docs/SECURITY.rst": POLICY_VDP}, Outcome.PASS),
        ({"SECURITY.md": POLICY_NO_CHANNEL}, Outcome.PARTIAL),
        ({"SECURITY.md": ""}, Outcome.FAIL),
        ({"README.md": "# app\n"}, Outcome.FAIL),
    ],
    ids=["email", "advisory", "vdp", "no-channel", "empty", "none"],
)
def test_security_policy(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "repo", files)
    assert outcome(repo, "security-policy") is expected


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("write to psirt [at] undp [dot] org", True),
        ("mailto:security@example.org", True),
        ("Questions: noreply@github.com", False),
        ("See https://example.org/security for our process.", True),
        ("We fix bugs quickly.", False),
    ],
)
def test_private_channel_detection(text: str, channel: bool) -> None:
    assert (private_channel(text) is not None) is channel


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({".github/dependabot.yml": "version: 2\n"}, Outcome.PASS),
        ({"renovate.json": "{}\n"}, Outcome.PASS),
        ({".github/renovate.json5": "{}\n"}, Outcome.PASS),
        ({".renovaterc": "{}\n"}, Outcome.PASS),
        ({"dependabot.yml": "version: 2\n"}, Outcome.FAIL),  # only .github/ is read by Dependabot
    ],
)
def test_dependency_updates(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "repo", files)
    assert outcome(repo, "dependency-updates") is expected


@pytest.mark.parametrize(
    ("files", "governance", "maintainers"),
    [
        (
            {"GOVERNANCE.md": "Decisions by consensus.\n", ".github/CODEOWNERS": "* @team\n"},
            Outcome.PASS,
            Outcome.PASS,
        ),
        (
            {"docs/governance.rst": "Steering committee.\n", "MAINTAINERS": "Ada\n"},
            Outcome.PASS,
            Outcome.PASS,
        ),
        ({"OWNERS": "approvers:\n- ada\n"}, Outcome.FAIL, Outcome.PASS),
        ({"README.md": "# app\n"}, Outcome.FAIL, Outcome.FAIL),
    ],
)
def test_governance_and_maintainers(
    git_repo_factory: RepoFactory,
    tmp_path: Path,
    files: dict[str, str],
    governance: Outcome,
    maintainers: Outcome,
) -> None:
    report = evaluate(git_repo_factory(tmp_path / "repo", files))
    assert result(report, "governance").outcome is governance
    assert result(report, "maintainers").outcome is maintainers


def test_maintainers_are_never_inherited(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    from ospo_scan.scan.evaluation import evaluate_repository
    from tests.scanning import default_ruleset, local_snapshots

    git_repo_factory(
        tmp_path / "org" / ".github",
        {"CODEOWNERS": "* @org\n", "GOVERNANCE.md": "Org-wide governance.\n"},
    )
    git_repo_factory(tmp_path / "org" / "app", {"README.md": "# app\n"})
    app = next(s for s in local_snapshots(tmp_path / "org") if s.name == "app")
    report = evaluate_repository(app, default_ruleset())
    assert result(report, "maintainers").outcome is Outcome.FAIL
    assert result(report, "governance").outcome is Outcome.PASS
