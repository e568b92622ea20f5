"""`diff` and `scan --fail-on-regression` on real scans of a changing entity (SPEC §8)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.entity import README, Entity, run, validated


def _worse_and_better(entity: Entity) -> None:
    """app loses its security policy (a regression), lib gains a changelog (an improvement),
    and a new repository appears."""
    entity.remove("app", "SECURITY.md")
    entity.commit("lib", {"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n"})
    entity.add("tool", {"README.md": README})


def test_diff_of_the_last_two_scans(entity: Entity) -> None:
    assert run("scan", str(entity.root))[0] == 0
    _worse_and_better(entity)
    assert run("scan", str(entity.root))[0] == 0
    code, out, err = run("diff", "--format", "json")
    assert code == 0, err
    diff = validated(out, "diff-v1.json")
    assert diff["schema"] == "ospo-scan/diff/v1"
    assert (diff["old"]["id"], diff["new"]["id"]) == (1, 2)
    assert set(diff["old"]) == {
        "id",
        "started",
        "entity",
        "ruleset",
        "score",
        "level",
        "repositories",
        "errors",
    }
    assert diff["entity"] == {"old_score": diff["old"]["score"], "new_score": diff["new"]["score"]}
    assert diff["repositories"] == {"added": ["tool"], "removed": []}
    assert diff["changes"] == [
        {
            "repository": "app",
            "rule": "security-policy",
            "old": "pass",
            "new": "fail",
            "kind": "regression",
        },
        {
            "repository": "lib",
            "rule": "changelog",
            "old": "fail",
            "new": "pass",
            "kind": "improvement",
        },
    ]


def test_diff_in_markdown_puts_regressions_first(entity: Entity) -> None:
    assert run("scan", str(entity.root))[0] == 0
    _worse_and_better(entity)
    entity.remove("app", "README.md")
    assert run("scan", str(entity.root))[0] == 0
    code, out, _ = run("diff", "--format", "markdown")
    assert code == 0
    assert out.startswith("### What changed since the last audit\n")
    positions = [
        out.index(heading)
        for heading in ("**Regressions (3)**", "**Improvements (1)**", "**New repositories (1):**")
    ]
    assert positions == sorted(positions)
    assert "- app: `readme` pass → fail" in out
    # The README said how to install (pip install), not how to use: partial, then nothing.
    assert "- app: `readme-usage` partial → fail" in out
    assert "- app: `security-policy` pass → fail" in out
    assert "entity score **" in out
    code, table, _ = run("diff")
    assert code == 0
    assert "3 regressions, 1 improvement, 1 new and 0 removed repository" in table


def test_diff_of_report_files_and_scan_ids(entity: Entity, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    assert run("scan", str(entity.root), "--output", str(old))[0] == 0
    entity.remove("app", "SECURITY.md")
    (entity.root / "lib").rename(tmp_path / "lib-moved")
    assert run("scan", str(entity.root), "--output", str(tmp_path / "new.json"))[0] == 0
    from_files = run("diff", str(old), str(tmp_path / "new.json"), "--format", "json")
    from_ids = run("diff", "1", "2", "--format", "json")
    mixed = run("diff", str(old), "2", "--format", "json")
    for code, out, err in (from_files, from_ids, mixed):
        assert code == 0, err
        diff = validated(out, "diff-v1.json")
        assert diff["repositories"] == {"added": [], "removed": ["lib"]}
        assert [(c["repository"], c["rule"], c["kind"]) for c in diff["changes"]] == [
            ("app", "security-policy", "regression")
        ]
    assert json.loads(from_files[1])["old"]["id"] is None  # a file is not a recorded scan
    assert json.loads(from_ids[1])["old"]["id"] == 1


def test_diff_writes_to_a_file(entity: Entity, tmp_path: Path) -> None:
    for _ in range(2):
        assert run("scan", str(entity.root))[0] == 0
    target = tmp_path / "changes.md"
    code, out, _ = run("diff", "--format", "markdown", "--output", str(target))
    assert (code, out) == (0, "")
    assert "Nothing changed." in target.read_text(encoding="utf-8")


def test_diff_needs_two_scans(entity: Entity, tmp_path: Path) -> None:
    code, _, err = run("diff")
    assert code == 2
    assert (
        err
        == "ospo-scan: error: no scans recorded yet (hint: run `ospo-scan scan`, or give OLD NEW)\n"
    )
    assert run("scan", str(entity.root))[0] == 0
    code, _, err = run("diff")
    assert code == 2
    assert "only one scan of agency is recorded" in err
    code, _, err = run("diff", "1", "7")
    assert code == 2
    assert "no report file 7 and no scan 7" in err
    code, _, err = run("diff", "1")
    assert code == 2
    not_a_report = tmp_path / "notes.json"
    not_a_report.write_text('{"name": "x"}', encoding="utf-8")
    code, _, err = run("diff", "1", str(not_a_report))
    assert code == 2
    assert f"{not_a_report} is not an ospo-scan report" in err
    assert len(err.splitlines()) == 1


def test_fail_on_regression(entity: Entity) -> None:
    code, _, err = run("scan", str(entity.root), "--fail-on-regression")
    assert (code, err) == (0, "")  # nothing to compare with yet
    entity.commit("lib", {"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n"})
    code, _, err = run("scan", str(entity.root), "--fail-on-regression")
    assert (code, err) == (0, "")  # an improvement is not a regression
    entity.remove("app", "SECURITY.md")
    code, _, err = run("scan", str(entity.root), "--fail-on-regression")
    assert code == 1
    assert err.splitlines()[0] == (
        "ospo-scan: 1 regression(s) since the previous scan, e.g. app: security-policy pass -> fail"
    )
    assert "  regression: app: security-policy pass -> fail" in err.splitlines()
    code, _, err = run("scan", str(entity.root), "--fail-on-regression")
    assert (code, err) == (0, "")  # compared with the previous scan, which already lacked it


def test_regressions_are_judged_against_the_same_ruleset(entity: Entity, tmp_path: Path) -> None:
    assert run("scan", str(entity.root))[0] == 0
    entity.remove("app", "SECURITY.md")
    ruleset = tmp_path / "custom.toml"
    ruleset.write_text('id = "custom"\nversion = "1"\nextends = "un-ospo"\n', encoding="utf-8")
    code, _, err = run("scan", str(entity.root), "--ruleset", str(ruleset), "--fail-on-regression")
    assert (code, err) == (0, "")
