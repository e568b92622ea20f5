"""Rulesets: the bundled default, extends, declarative rules and errors naming file, line, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.errors import ConfigError, UsageError
from ospo_scan.model import Outcome
from ospo_scan.rules.registry import builtin_rules
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.scanning import local_snapshot, result

BASELINE_IDS = {
    "readme",
    "license",
    "contributing",
    "code-of-conduct",
    "security-policy",
    "governance",
    "maintainers",
    "changelog",
    "dependency-updates",
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_default_ruleset_selects_every_baseline_rule_with_its_framework_items() -> None:
    ruleset = load_ruleset(load_plugins=False)
    assert ruleset.id == "un-ospo"
    ids = {c.rule.id for c in ruleset.rules}
    assert ids >= BASELINE_IDS
    assert all(c.evidences for c in ruleset.rules if c.rule.id in BASELINE_IDS)
    assert [level.name for level in ruleset.levels] == [
        "leading",
        "established",
        "developing",
        "initial",
    ]
    assert ruleset.level_for(90) == "leading"
    assert ruleset.level_for(74.99) == "developing"
    assert ruleset.level_for(0) == "initial"


def test_every_builtin_rule_explains_itself() -> None:
    for rule in builtin_rules().values():
        assert rule.description.endswith(".")
        assert rule.help_url.startswith("https://")
        assert len(rule.remediation) > 40


def test_extends_overrides_weights_disables_and_declares(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    ruleset_path = _write(
        tmp_path / "agency.toml",
        """
id = "agency"
version = "1"
extends = "un-ospo"

[rules.changelog]
enabled = false

[rules.readme]
weight = 20

[rules.publiccode-file]
type = "file-exists"
category = "metadata"
paths = ["publiccode.y*ml"]
remediation = "Add publiccode.yml."

[rules.un-mention]
type = "file-contains"
paths = ["README*"]
pattern = "(?i)united nations"
""",
    )
    ruleset = load_ruleset(str(ruleset_path), load_plugins=False)
    ids = [c.rule.id for c in ruleset.rules]
    assert "changelog" not in ids
    assert "license" in ids  # inherited
    readme = ruleset.rule("readme")
    assert readme is not None
    assert readme.weight == 20
    assert [str(ref) for ref in readme.evidences] == ["un-principles:6", "dpg:5"]  # inherited

    repo = git_repo_factory(
        tmp_path / "repo",
        {
            "README.md": "# A United Nations tool\n",
            "PublicCode.yml": "publiccodeYmlVersion: '0.4'\n",
        },
    )
    report = evaluate_repository(local_snapshot(repo), ruleset)
    assert result(report, "publiccode-file").outcome is Outcome.PASS
    assert result(report, "un-mention").outcome is Outcome.PASS
    bare = git_repo_factory(tmp_path / "bare", {"README.md": "# A tool\n"})
    report = evaluate_repository(local_snapshot(bare), ruleset)
    assert result(report, "publiccode-file").outcome is Outcome.FAIL
    assert result(report, "un-mention").outcome is Outcome.PARTIAL


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('id = "x"\n[rules.readme]\nweight = 3\ncolour = "red"\n', 4, "rules.readme.colour"),
        ('id = "x"\n[rules.not-a-rule]\nweight = 3\n', 2, "rules.not-a-rule"),
        ('id = "x"\n[rules.readme]\nweight = "heavy"\n', 3, "rules.readme.weight"),
        ('id = "x"\n\n[rules.readme]\nweight = -1\n', 4, "rules.readme.weight"),
        (
            'id = "x"\n[rules.mine]\ntype = "file-contains"\npaths = ["a"]\npattern = "("\n',
            5,
            "rules.mine.pattern",
        ),
        ('id = "x"\n[rules.mine]\ntype = "file-glob"\npaths = ["a"]\n', 3, "rules.mine.type"),
        ('id = "x"\n[rules.readme]\n[levels]\ngold = 120\n', 4, "levels.gold"),
        (
            'id = "x"\n[rules.readme]\n[levels]\nleading = 90\nestablished = 95\n',
            5,
            "levels.established",
        ),
        ('id = "x"\nflavour = 1\n', 2, "flavour"),
        ('id = "x"\n[rules.readme\nweight = 1\n', 2, None),
    ],
    ids=[
        "unknown-key",
        "unknown-rule",
        "bad-type",
        "negative",
        "bad-regex",
        "bad-type-name",
        "bad-level",
        "levels-out-of-order",
        "unknown-top-key",
        "syntax",
    ],
)
def test_malformed_ruleset_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str | None
) -> None:
    path = _write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_ruleset(str(path), load_plugins=False)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert error.key == key
    assert "\n" not in error.one_line()
    assert f"{path}:{line}" in error.one_line()


def test_unknown_ruleset_id_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown ruleset 'nope'"):
        load_ruleset("nope", load_plugins=False)


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'id = "a"\nextends = "b.toml"\n')
    _write(tmp_path / "b.toml", 'id = "b"\nextends = "a.toml"\n')
    with pytest.raises(ConfigError, match="too deep"):
        load_ruleset(str(tmp_path / "a.toml"), load_plugins=False)


def test_a_partial_levels_table_in_an_extending_ruleset_merges(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "strict.toml",
        'id = "strict"\nextends = "un-ospo"\n[levels]\nestablished = 80\n',
    )
    ruleset = load_ruleset(str(path), load_plugins=False)
    assert [(level.name, level.minimum) for level in ruleset.levels] == [
        ("leading", 90),
        ("established", 80),
        ("developing", 50),
        ("initial", 0),
    ]
    assert ruleset.level_for(78) == "developing"
    assert ruleset.level_for(100) == "leading"


def test_an_extending_ruleset_cannot_put_inherited_levels_out_of_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "odd.toml", 'id = "odd"\nextends = "un-ospo"\n[levels]\nleading = 70\n'
    )
    with pytest.raises(ConfigError, match="highest minimum to the lowest") as caught:
        load_ruleset(str(path), load_plugins=False)
    assert caught.value.line == 4
