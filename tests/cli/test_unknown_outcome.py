"""End to end: a rule plugin that cannot observe its fact returns `unknown`, on a real repository.

The plugin is installed the way a third party installs one (an `ospo_scan.rules` entry point in
a distribution on the path), selected by a ruleset file, and scanned through the CLI on a real
`git init` repository: first where a person's review is recorded (pass), then where it is not
(unknown). The unknown must stay out of the score, show in every format as itself, raise no
code scanning alert, and be a plain change in `diff`, never a regression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.entity import run
from tests.conftest import RepoFactory
from tests.gitrepos import git
from tests.scanning import validated

PLUGIN_MODULE = """
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, unknown


class ThreatModelReviewRule(Rule):
    id = "threat-model-review"
    category = "security"
    description = "A person has judged the threat model adequate."
    help_url = "https://example.org/threat-model"
    remediation = "Have a maintainer review the threat model and record it in REVIEWED."

    def check(self, context):
        if context.snapshot.entry("REVIEWED") is not None:
            return Finding(
                Outcome.PASS,
                "The review is recorded.",
                (Evidence("REVIEWED", EvidenceSource.REPOSITORY),),
            )
        return unknown(
            "Whether the threat model is adequate is for a person to judge.",
            settles="a maintainer's review, recorded in REVIEWED",
        )
"""

RULESET = (
    'id = "reviewed"\nversion = "1"\n'
    "[rules.readme]\nweight = 1\n"
    "[rules.threat-model-review]\nweight = 3\n"
)
README = (
    "# Tool\n\nInstall with `pip install tool`.\n\nUsage: run `tool --help` to see the options.\n"
)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plugin installed on the path, and a ruleset file selecting it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "review_rules.py").write_text(PLUGIN_MODULE, encoding="utf-8")
    info = site / "review_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: review-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[ospo_scan.rules]\nreview = review_rules:ThreatModelReviewRule\n"
    )
    monkeypatch.syspath_prepend(str(site))
    ruleset = tmp_path / "reviewed.toml"
    ruleset.write_text(RULESET, encoding="utf-8")
    return ruleset


def _scan(entity: Path, ruleset: Path, output: Path, fmt: str = "json") -> int:
    code, _, _ = run(
        "scan", str(entity), "--ruleset", str(ruleset), "--format", fmt, "--output", str(output)
    )
    return code


def test_unknown_end_to_end(
    tmp_path: Path, plugin: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = tmp_path / "entity"
    app = git_repo_factory(entity / "app", {"README.md": README, "REVIEWED": "ok\n"})
    old = tmp_path / "old.json"
    assert _scan(entity, plugin, old) == 0
    old_doc = validated(json.loads(old.read_text(encoding="utf-8")))
    (old_result,) = [
        r for r in old_doc["repositories"][0]["results"] if r["rule"] == "threat-model-review"
    ]
    assert old_result["outcome"] == "pass"

    git(app, "rm", "--quiet", "REVIEWED", home=git_home)
    git(app, "commit", "--quiet", "-m", "Drop the review record", home=git_home)
    new = tmp_path / "new.json"
    assert _scan(entity, plugin, new) == 0
    doc = validated(json.loads(new.read_text(encoding="utf-8")))
    (repo,) = doc["repositories"]
    (result,) = [r for r in repo["results"] if r["rule"] == "threat-model-review"]
    assert result["outcome"] == "unknown"
    assert result["score"] is None
    assert "What would settle it: a maintainer's review, recorded in REVIEWED" in result["message"]
    # left out of the denominator: the readme alone makes the score
    readme = next(r for r in repo["results"] if r["rule"] == "readme")
    assert repo["score"] == 100.0 * readme["score"]
    assert repo["unknown"] == 1
    assert doc["summary"]["unknown"] == 1
    assert doc["summary"]["rule_pass_rates"]["threat-model-review"] is None

    table = tmp_path / "new.txt"
    assert _scan(entity, plugin, table, "table") == 0
    text = table.read_text(encoding="utf-8")
    assert "1 error" not in text
    assert "0 errors, 1 unknown" in text
    assert "threat-model-review (unknown)" in text
    assert "threat-model-review (1 repository): Whether the threat model" in text

    sarif = tmp_path / "new.sarif"
    assert _scan(entity, plugin, sarif, "sarif") == 0
    (sarif_run,) = json.loads(sarif.read_text(encoding="utf-8"))["runs"]
    assert sarif_run["results"] == []
    (invocation,) = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["associatedRule"]["id"] == "ospo-scan/threat-model-review"
    assert note["message"]["text"].startswith("unknown (not scored) in app: Whether")

    code, out, _ = run("diff", str(old), str(new), "--format", "json")
    assert code == 0
    diff = json.loads(out)
    assert diff["changes"] == [
        {
            "repository": "app",
            "rule": "threat-model-review",
            "old": "pass",
            "new": "unknown",
            "kind": "change",
        }
    ]


def test_unknown_is_recorded_and_no_regression_for_fail_on_regression(
    tmp_path: Path, plugin: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = tmp_path / "entity"
    app = git_repo_factory(entity / "app", {"README.md": README, "REVIEWED": "ok\n"})
    assert _scan(entity, plugin, tmp_path / "old.json") == 0
    git(app, "rm", "--quiet", "REVIEWED", home=git_home)
    git(app, "commit", "--quiet", "-m", "Drop the review record", home=git_home)
    code, _, err = run(
        "scan", str(entity), "--ruleset", str(plugin), "--fail-on-regression", "--format", "json"
    )
    assert code == 0, err
    # the history store keeps the outcome: the last two recorded scans differ by a plain change
    code, out, _ = run("diff", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    assert [(c["old"], c["new"], c["kind"]) for c in changes] == [("pass", "unknown", "change")]
