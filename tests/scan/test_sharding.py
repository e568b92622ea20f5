"""`scan --shard I/N`: deterministic parts that together are the whole, read only once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.errors import UsageError
from ospo_scan.scan.scanner import Scanner
from ospo_scan.scan.sharding import Shard, parse_shard
from tests.conftest import RepoFactory
from tests.connectors.github.test_github_equivalence import REPOSITORIES
from tests.scanning import comparable_results

NAMES = [f"org/repo-{number}" for number in range(300)]


@pytest.mark.parametrize(("text", "shard"), [("1/1", Shard(1, 1)), (" 3 / 4 ", Shard(3, 4))])
def test_a_shard_is_i_of_n(text: str, shard: Shard) -> None:
    assert parse_shard(text) == shard
    assert str(shard) in text.replace(" ", "")


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2", "1/1001"])
def test_a_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--shard"):
        parse_shard(text)


@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_the_parts_partition_the_repositories(count: int) -> None:
    parts = [{name for name in NAMES if Shard(i, count).holds(name)} for i in range(1, count + 1)]
    assert set().union(*parts) == set(NAMES)
    assert sum(len(part) for part in parts) == len(NAMES)
    # a stable hash spreads names evenly enough that no part is empty or holds most of them
    assert all(len(NAMES) / count / 2 < len(part) < len(NAMES) / count * 2 for part in parts)


def test_local_shards_together_are_the_unsharded_scan(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "un-org"
    for name, files in REPOSITORIES.items():
        git_repo_factory(entity / name, files)
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    whole = Scanner(ruleset).scan([str(entity)])
    parts = [
        Scanner(ruleset, ScanOptions(shard=Shard(i, 3))).scan([str(entity)]) for i in (1, 2, 3)
    ]
    names = [[repo.name for repo in part.repositories] for part in parts]
    assert sorted(name for part in names for name in part) == sorted(
        repo.name for repo in whole.repositories
    )
    assert all(names)  # each part scanned something
    joined: dict[str, list[tuple[object, ...]]] = {}
    for part in parts:
        joined.update(comparable_results(part, ""))
    # every repository, `.github` defaults included, reads the same in its part as in the whole
    assert joined == comparable_results(whole, "")
