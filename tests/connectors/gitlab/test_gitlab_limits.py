"""GitLab at its real limits: its schema, query size, complexity scoring and blob size limit."""

from __future__ import annotations

import itertools

import pytest
import requests
from graphql import parse, validate

from ospo_scan.connectors.gitlab.graphql import build_query, estimate
from ospo_scan.connectors.gitlab.work import ProjectWork, RoundRequest, TreePage
from ospo_scan.connectors.interface import RepoFailure
from ospo_scan.snapshot import Snapshot
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory, open_gitlab, read_all, snapshot
from tests.connectors.gitlab.fake_complexity import MAX_QUERY_SIZE, complexity
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_graphql import GitLabGraphQL, gitlab_schema
from tests.connectors.gitlab.fake_model import FILE_MODE, Blob, FakeInstance, FakeProject
from tests.connectors.gitlab.groups import MIT, digest, nested_group
from tests.connectors.gitlab.test_gitlab_faults import many_projects

pytestmark = pytest.mark.usefixtures("no_token")


def request(
    trees: int = 0, probe: int = 0, texts: int = 0, host: bool = False, root: bool = True
) -> RoundRequest:
    pages = [TreePage(f"dir{j}" if j or not root else "") for j in range(trees)]
    return RoundRequest(
        ProjectWork("group/project", "main"),
        trees=pages,
        probe=[f"docs/file{k}.md" for k in range(probe)],
        texts=[f"LICENSES/file{k}.txt" for k in range(texts)],
        host_facts=host,
    )


SHAPES = [
    request(trees=t, probe=p, texts=c, host=h, root=r)
    for t, p, c, h, r in itertools.product(
        (0, 1, 3), (0, 1, 7, 100), (0, 1, 50), (False, True), (True, False)
    )
    if t or p or c or h
]


def test_every_share_of_a_query_is_valid_against_gitlab_schema() -> None:
    """Item 18: a share holding only host facts used to declare `$r0` without using it."""
    for shape in SHAPES:
        query, _ = build_query([shape])
        errors = [e.message for e in validate(gitlab_schema(), parse(query))]
        assert errors == [], (shape, errors)
    host_only, _ = build_query([request(host=True)])
    assert "$r0" not in host_only


def test_the_estimate_is_the_score_gitlab_gives() -> None:
    """Item 20: each share, and a batch of them, scores exactly what GitLab's rules give."""
    for shape in SHAPES:
        query, variables = build_query([shape])
        assert estimate(shape) == complexity(gitlab_schema(), parse(query), variables), shape
    batch = SHAPES[:9]
    query, variables = build_query(batch)
    assert sum(map(estimate, batch)) == complexity(gitlab_schema(), parse(query), variables)


def test_blobs_are_paged_and_scored_as_connections() -> None:
    """Item 20: `blobs(paths:)` asks for as many nodes as paths, and pays for that page only."""
    query, _ = build_query([request(probe=7)])
    assert "first: 7)" in query
    # GitLab's rules: BlobsResolver 1 + 7 paths + Gitaly 1 + nodes { path size rawSize
    # storedExternally } 5 = 14, grown by 7 % for a page of 7: 14; project 1 + fullPath 1 +
    # repository 1.
    assert estimate(request(probe=7)) == 14 + 3
    # Without `first`, GitLab charges the default page of 100: twice as much.
    unpaged = query.replace(", first: 7", "")
    document = parse(unpaged)
    assert (
        complexity(gitlab_schema(), document, {"s0": ["a"] * 7, "r0": "main", "f0": "g/p"})
        == 28 + 3
    )


def test_gitlab_scores_fields_by_its_rules() -> None:
    """Item 22: figures worked out by hand from `Types::BaseField` and the resolvers."""
    schema = gitlab_schema()
    cases = {
        "{ queryComplexity { limit score } }": 3,
        '{ project(fullPath: "a") { fullPath } }': 2,
        # tree: TreeResolver 1 + Gitaly 1; blobs: Gitaly 2 + nodes { path } 2; lastCommit 10 + 1
        '{ project(fullPath: "a") { repository { tree { blobs { nodes { path } } '
        "lastCommit { sha } } } } }": 1 + 1 + 2 + 4 + 11,
        # blobs(paths:) of two paths, default page 100: (nodes 2 + 1 + 2 + Gitaly 1) * 2 = 12
        '{ project(fullPath: "a") { repository { blobs(paths: ["a", "b"]) '
        "{ nodes { path } } } } }": 14,
        # branchRules(first: 20): (nodes 1 + name 1 + isDefault 2 + resolver 1) * 1.2 = 6
        '{ project(fullPath: "a") { branchRules(first: 20) { nodes { name isDefault } } } }': 1 + 6,
    }
    for query, expected in cases.items():
        assert complexity(schema, parse(query), {}) == expected, query


def test_the_fake_checks_size_then_schema_then_complexity() -> None:
    """Item 22: GitLab's order; a query the real schema rejects is recorded."""
    api = GitLabGraphQL(FakeInstance(), limits=(5, 5))
    invalid = (
        '{ project(fullPath: "a") { noSuchField '
        'repository { blobs(paths: ["a"]) { nodes { path } } } } }'
    )
    status, answer = api.answer({"query": invalid}, authenticated=False)
    assert status == 200
    assert "data" not in answer
    assert answer["errors"][0]["message"] == "Field 'noSuchField' doesn't exist on type 'Project'"
    assert api.scores == []
    assert len(api.rejected) == 1

    unused = 'query($r0: String) { project(fullPath: "a") { fullPath } }'
    _, answer = api.answer({"query": unused}, authenticated=False)
    assert answer["errors"][0]["message"] == (
        "Variable $r0 is declared by anonymous query but not used"
    )

    too_large = (
        "{ " + " ".join(f'p{i}: project(fullPath: "a") {{ fullPath }}' for i in range(400)) + " }"
    )
    assert len(too_large) > MAX_QUERY_SIZE
    assert api.answer({"query": too_large}, authenticated=False) == (
        422,
        {"errors": [{"message": "Query too large"}]},
    )

    costly = '{ project(fullPath: "a") { repository { blobs(paths: ["a"]) { nodes { path } } } } }'
    _, answer = api.answer({"query": costly}, authenticated=False)
    assert answer["errors"][0]["message"] == (
        "Query has complexity of 12, which exceeds max complexity of 5"
    )


def test_a_query_the_schema_rejects_fails_the_test() -> None:
    """Item 22: whoever serves the fake learns of a query GitLab's schema rejects."""
    fake = FakeGitLab(FakeInstance()).__enter__()
    answer = requests.post(
        f"{fake.url}/api/graphql", json={"query": "{ projects { id } }"}, timeout=10
    )
    message = answer.json()["errors"][0]["message"]
    assert message == "Field 'id' doesn't exist on type 'ProjectConnection'"
    with pytest.raises(AssertionError, match="GitLab's schema rejects"):
        fake.__exit__(None, None, None)


def test_queries_stay_within_gitlab_query_size(fake_gitlab: FakeFactory) -> None:
    """Item 19: at a stated limit of 1000, 25 projects to a query passed 10,000 characters."""
    instance = many_projects(60)
    expected = digest(read_all(open_gitlab(fake_gitlab(instance), "many")))
    fake = fake_gitlab(instance, complexity_limits=(1000, 1000))

    items = read_all(open_gitlab(fake, "many"))
    assert digest(items) == expected
    assert max(fake.api.sizes) <= MAX_QUERY_SIZE
    assert max(fake.api.scores) <= 1000


def test_a_query_refused_as_too_large_is_split(fake_gitlab: FakeFactory) -> None:
    """Item 19: an instance refusing shorter queries than expected costs splits, not projects."""
    instance = many_projects(30)
    expected = digest(read_all(open_gitlab(fake_gitlab(instance), "many")))
    fake = fake_gitlab(instance, complexity_limits=(1000, 1000))
    fake.api.max_query_size = 2_000

    items = read_all(open_gitlab(fake, "many"))
    assert digest(items) == expected
    refused = [size for size in fake.api.sizes if size > 2_000]
    assert refused  # GitLab refused some; the connector split them until they fitted


@pytest.mark.parametrize("token", [None, TOKEN])
def test_no_query_passes_gitlab_default_limits(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    """Item 20: scored by GitLab's rules, packed batches used to pass the limit and be split."""
    if token:
        monkeypatch.setenv("GITLAB_TOKEN", token)
    instance = many_projects(40)
    for i in range(10):  # projects whose files need more than one round of sizes and texts
        texts = {f"LICENSES/L{k}.txt": f"licence {k}\n" for k in range(30 + i)}
        instance.add_project(FakeProject.from_texts(f"many/wide/w{i}", texts))
    fake = fake_gitlab(instance)

    items = read_all(open_gitlab(fake, "many"))
    assert all(isinstance(i, Snapshot) for i in items.values())
    limit = 250 if token else 200
    assert fake.complexity_scores
    assert max(fake.complexity_scores) <= limit


def lfs_pointer(content: bytes) -> bytes:
    return (
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:" + b"ab" * 32 + b"\nsize " + str(len(content)).encode() + b"\n"
    )


def test_files_in_git_lfs_are_read_as_their_content(fake_gitlab: FakeFactory) -> None:
    """Item 21: GitLab's blob of an LFS file is its pointer; the raw read asks for the content."""
    licence = MIT.encode()
    project = FakeProject.from_texts("lfs/p", {"README.md": "# P\n"})
    project.files["LICENSE"] = Blob(FILE_MODE, lfs_pointer(licence), lfs=licence)
    instance = FakeInstance()
    instance.add_project(project)

    for graphql in (True, False):
        fake = fake_gitlab(instance, graphql=graphql)
        item = snapshot(read_all(open_gitlab(fake, "lfs")), "lfs/p")
        assert item.read_bytes("LICENSE") == licence
        sizes = {e.path: e.size for e in item.listings[""]}
        assert sizes["LICENSE"] == len(licence) or not graphql  # REST listings carry no sizes


def test_texts_over_gitlab_total_blob_limit_are_fetched_in_parts(fake_gitlab: FakeFactory) -> None:
    """Item 21: 42 files of 500 KB (21 MB) in one `blobs` read: GitLab refuses the read."""
    body = ("licence text line\n" * 30_000).encode()[:512_000]
    texts = {f"LICENSES/L{k:02}.txt": body for k in range(42)}
    project = FakeProject("big/p", {p: Blob(FILE_MODE, b) for p, b in texts.items()})
    instance = FakeInstance()
    instance.add_project(project)
    fake = fake_gitlab(instance)

    item = snapshot(read_all(open_gitlab(fake, "big")), "big/p")
    assert all(item.read_bytes(path) == data for path, data in texts.items())
    assert fake.count("/raw") == 0  # every text came with the GraphQL rounds


def test_a_refused_blob_read_falls_back_to_raw_reads_of_its_files(
    fake_gitlab: FakeFactory,
) -> None:
    """Item 21: a `blobs` read GitLab still refuses fails its files over to raw reads, never the
    project (an instance whose limit is lower than GitLab's constant)."""
    instance = nested_group()
    project = instance.projects["top/a"]
    project.files["LICENSES/Apache-2.0.txt"] = Blob(FILE_MODE, b"Apache License\n" * 2000)
    expected = digest(read_all(open_gitlab(fake_gitlab(instance), "top")))
    fake = fake_gitlab(instance)
    fake.api.max_blobs_data = 10_000

    items = read_all(open_gitlab(fake, "top"))
    assert not [i for i in items.values() if isinstance(i, RepoFailure)]
    assert digest(items) == expected
    assert fake.count("/raw") >= 2  # the refused texts were read one by one
