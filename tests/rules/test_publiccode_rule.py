"""The publiccode rule on real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.model import Outcome
from ospo_scan.rules.publiccode import validate
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.scanning import local_snapshot, outcome, result

VALID = """publiccodeYmlVersion: "0.4"
name: Water Points
url: "https://github.com/example/water-points.git"
platforms:
  - web
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: Maps of rural water points for district engineers.
    longDescription: >
      Water Points keeps an up-to-date map of rural water points, their condition and
      their repairs, so that district engineers can plan maintenance rounds.
    features:
      - Offline maps
legal:
  license: Apache-2.0
maintenance:
  type: internal
  contacts:
    - name: Ada Tester
localisation:
  localisationReady: true
  availableLanguages:
    - en
    - fr
"""


def test_valid_file_passes(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"publiccode.yml": VALID})
    assert outcome(repo, "publiccode") is Outcome.PASS


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('publiccodeYmlVersion: "0.4"', "publiccodeYmlVersion: 0.4"), "quoted string"),
        (("softwareType: standalone/web", "softwareType: website"), "softwareType"),
        (("license: Apache-2.0", "license: Apache 2"), "not a valid SPDX expression"),
        (
            ("  type: internal\n  contacts:\n    - name: Ada Tester\n", "  type: internal\n"),
            "maintenance.contacts",
        ),
        (("developmentStatus: stable", "developmentStatus: done"), "developmentStatus"),
    ],
)
def test_invalid_files_are_partial_and_say_why(
    git_repo_factory: RepoFactory, tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    text = VALID.replace(*change)
    assert text != VALID
    repo = git_repo_factory(tmp_path / "repo", {"publiccode.yml": text})
    found = result(evaluate_repository(local_snapshot(repo), _ruleset()), "publiccode")
    assert found.outcome is Outcome.PARTIAL
    assert problem in found.message


def test_broken_yaml_is_partial(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"publiccode.yaml": "name: [unclosed\n"})
    found = result(evaluate_repository(local_snapshot(repo), _ruleset()), "publiccode")
    assert found.outcome is Outcome.PARTIAL
    assert "not valid YAML at line" in found.message


def test_missing_file_is_not_applicable_unless_required(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# r\n"})
    assert outcome(repo, "publiccode") is Outcome.NOT_APPLICABLE
    required = tmp_path / "required.toml"
    required.write_text(
        'id = "strict"\nextends = "un-ospo"\n\n[rules.publiccode.options]\nrequired = true\n'
    )
    report = evaluate_repository(
        local_snapshot(repo), load_ruleset(str(required), load_plugins=False)
    )
    assert result(report, "publiccode").outcome is Outcome.FAIL


def test_validate_names_every_missing_key() -> None:
    problems = validate({"name": "x"})
    assert any("url" in p for p in problems)
    assert any("localisation" in p for p in problems)
    assert validate(["not", "a", "mapping"]) == ["the file is not a mapping of keys"]


def _ruleset() -> Ruleset:
    return load_ruleset(load_plugins=False)
