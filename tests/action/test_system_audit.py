"""The system audit's plan: the `entities` input becomes one scan job per entity shard."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ospo_scan.action.system_audit import parse_entities, scan_matrix
from ospo_scan.errors import UsageError

ENTITIES = [
    {
        "name": "Agency A",
        "targets": "github:agency-a github:agency-a-labs",
        "entity-file": "entities/a.toml",
        "token-secret": "AGENCY_A_TOKEN",
        "shards": 3,
    },
    {"name": "Agency B", "targets": ["gitlab:agency-b"]},
]


def test_each_shard_of_each_entity_is_one_job() -> None:
    matrix = scan_matrix(parse_entities(json.dumps(ENTITIES)))
    assert [(row["slug"], row["shard"], row["artefact"]) for row in matrix] == [
        ("agency-a", "1/3", "report-agency-a-1-of-3"),
        ("agency-a", "2/3", "report-agency-a-2-of-3"),
        ("agency-a", "3/3", "report-agency-a-3-of-3"),
        ("agency-b", "", "report-agency-b-1-of-1"),
    ]
    first = matrix[0]
    assert json.loads(first["targets"]) == ["github:agency-a", "github:agency-a-labs"]
    assert (first["entity-file"], first["github-token-secret"]) == (
        "entities/a.toml",
        "AGENCY_A_TOKEN",
    )
    assert first["gitlab-token-secret"] == ""
    assert (matrix[3]["entity-file"], matrix[3]["gitlab-token-secret"]) == ("", "GITLAB_TOKEN")
    assert matrix[3]["github-token-secret"] == ""


@pytest.mark.parametrize(
    ("entities", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "non-empty JSON list"),
        ('[{"name": "A"}]', "entities[1].targets"),
        ('[{"name": "A", "targets": "x", "shards": 0}]', "entities[1].shards"),
        ('[{"name": "A", "targets": "x", "shards": true}]', "entities[1].shards"),
        ('[{"name": "A", "targets": "x", "token-secret": "A B"}]', "token-secret"),
        ('[{"name": "A", "targets": "x", "token": "ghp_x"}]', "unknown key 'token'"),
        ('[{"name": "A", "targets": "x"}, {"name": "a", "targets": "y"}]', "share the name"),
        ('[{"name": "", "targets": "x"}]', "entities[1].name"),
        (
            '[{"name": "A", "targets": "github:a gitlab:a", "token-secret": "T"}]',
            "entities[1].token-secret: the targets are on GitHub and GitLab",
        ),
        (
            '[{"name": "A", "targets": "github:a", "gitlab-token-secret": "T"}]',
            "entities[1].gitlab-token-secret: no target is on gitlab",
        ),
        (
            '[{"name": "A", "targets": "github:a", "github-token-secret": "A B"}]',
            "entities[1].github-token-secret",
        ),
        ('[{"name": "A", "targets": "svn:a"}]', "entities[1].targets: unknown target type"),
    ],
)
def test_a_bad_entities_input_is_one_clear_line(entities: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        scan_matrix(parse_entities(entities))
    assert message in caught.value.one_line()


def test_too_many_jobs_for_one_matrix_are_refused() -> None:
    many = [{"name": f"E{i}", "targets": f"github:e{i}", "shards": 64} for i in range(5)]
    with pytest.raises(UsageError, match="more than GitHub's 256"):
        scan_matrix(parse_entities(json.dumps(many)))


def test_the_plan_step_writes_the_matrix_output(tmp_path: Path) -> None:
    output = tmp_path / "github-output"
    done = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "plan"],
        env={"OSPO_SCAN_ENTITIES": json.dumps(ENTITIES), "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    name, _, value = output.read_text(encoding="utf-8").strip().partition("=")
    assert name == "matrix"
    assert len(json.loads(value)["include"]) == 4


def test_the_plan_step_fails_with_one_line_and_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "plan"],
        env={"OSPO_SCAN_ENTITIES": "[]"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "entities" in done.stderr
