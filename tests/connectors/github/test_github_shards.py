"""`scan --shard I/N` on GitHub: the parts together are the whole, and each is read once."""

from __future__ import annotations

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.scanner import Scanner
from ospo_scan.sharding import Shard
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.github.test_github_equivalence import REPOSITORIES
from tests.scanning import comparable_results


def test_github_shards_read_each_repository_once(fake_github: FakeFactory) -> None:
    repos = {name: FakeRepo(name, files) for name, files in REPOSITORIES.items()}
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    whole_fake = fake_github({"un-org": ("Organization", repos)})
    whole = Scanner(ruleset, ScanOptions(github_url=whole_fake.api_url)).scan(["github:un-org"])
    count = 3
    part_fake = fake_github({"un-org": ("Organization", repos)})
    joined: dict[str, list[tuple[object, ...]]] = {}
    for index in range(1, count + 1):
        options = ScanOptions(github_url=part_fake.api_url, shard=Shard(index, count))
        joined.update(
            comparable_results(Scanner(ruleset, options).scan(["github:un-org"]), "un-org/")
        )
    assert joined == comparable_results(whole, "un-org/")
    # Each part lists the organisation once and fetches only its own repositories' texts.
    assert len(part_fake.requests) <= 1.5 * len(whole_fake.requests) + count
