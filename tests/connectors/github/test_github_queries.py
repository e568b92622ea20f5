"""The connector's GraphQL documents are valid against GitHub's published schema."""

from __future__ import annotations

from graphql import FieldNode, StringValueNode, Visitor, parse, validate, visit

from ospo_scan.connectors.github.queries import (
    ONE_REPOSITORY,
    OWNER_PAGE,
    ObjectRequest,
    object_batch,
)
from tests.connectors.github.fake_graphql import github_schema, query_cost


def _errors(query: str) -> list[str]:
    return [e.message for e in validate(github_schema(), parse(query))]


def test_listing_queries_are_valid() -> None:
    assert _errors(OWNER_PAGE) == []
    assert _errors(ONE_REPOSITORY) == []


def test_object_batches_with_awkward_names_are_valid() -> None:
    awkward = ['docs/"quoted".md', "docs/ü-ñ.md", "back\\slash.md", "emoji-🙂.md", "new\nline"]
    requests = [ObjectRequest('un-org/"odd"', path) for path in awkward]
    requests.append(ObjectRequest("un-org/app", "docs", tree=True))
    query, where = object_batch(requests)
    assert _errors(query) == []
    assert len(where) == len(requests)
    # Each path reaches GitHub exactly as named.
    expressions: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            for argument in node.arguments or ():
                if argument.name.value == "expression" and isinstance(
                    argument.value, StringValueNode
                ):
                    expressions.add(argument.value.value)

    visit(parse(query), Collect())
    assert expressions == {f"HEAD:{path}" for path in awkward} | {"HEAD:docs"}


def test_a_page_of_100_repositories_costs_three_points() -> None:
    # One point for the page and the topics, one for the 20 latest tags of each repository, one
    # for the authors of each default branch's last 100 commits: still one request.
    document = parse(OWNER_PAGE)
    variables = {"owner": "un-org", "first": 100, "withDefaults": True}
    assert query_cost(document, variables) == 3
