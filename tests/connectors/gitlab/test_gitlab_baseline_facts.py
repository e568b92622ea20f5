"""The OSPS Baseline's host facts from GitLab: asked only when a rule reads them, read through
the real python-gitlab client from the fake GitLab, and `unknown` (withheld, with the role that
would settle it) for what a token without the Maintainer role cannot see."""

from __future__ import annotations

import itertools

import pytest
from graphql import parse, validate

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.gitlab.facts import (
    DEVELOPER,
    GROUP_READER,
    INSTANCE_ADMIN,
    MAINTAINER,
    observe,
)
from ospo_scan.connectors.gitlab.gather import ExtraAnswers
from ospo_scan.connectors.gitlab.graphql import build_query, estimate
from ospo_scan.connectors.gitlab.work import ProjectWork, RoundRequest, TreePage
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import BranchRules, HostFact, HostFacts, HostRelease
from tests.connectors.gitlab.conftest import (
    ADMIN_TOKEN,
    REPORTER_TOKEN,
    TOKEN,
    FakeFactory,
    open_gitlab,
    read_all,
    snapshot,
)
from tests.connectors.gitlab.fake_complexity import complexity
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_graphql import gitlab_schema
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject

EVERY_FACT = frozenset(HostFact)
DCO = {"reject_non_dco_commits": True, "prevent_secrets": True, "commit_message_regex": ""}


def baseline_group(tier: str = "premium") -> FakeInstance:
    """`org` (no two-factor requirement) with `org/secure` (requiring it): one project that
    does what the Baseline asks, one that does not, and one further down `org/secure`."""
    instance = FakeInstance(tier)
    instance.add_group("org")
    instance.add_group("org/secure").require_two_factor = True
    instance.add_project(
        FakeProject.from_texts(
            "org/secure/good",
            {"README.md": "# Good\n"},
            releases=("v1.1.0", "v1.0.0"),
            release_notes={"v1.1.0": "## Fixed\n\n- CVE-2026-0001 in the parser\n"},
            release_assets={"v1.1.0": ("good-1.1.0.tar.gz", "SHA256SUMS")},
            push_access_levels=(0,),
            pipelines_must_succeed=True,
            push_rule=dict(DCO),
            approval_rules=[
                {
                    "id": 1,
                    "name": "All members",
                    "rule_type": "any_approver",
                    "approvals_required": 2,
                    "applies_to_all_protected_branches": True,
                    "protected_branches": [],
                }
            ],
        )
    )
    instance.add_project(
        FakeProject.from_texts(
            "org/plain",
            {"README.md": "# Plain\n"},
            protected_branches=(),
            issues_access_level="private",
            job_token_push=True,
            push_rule={"commit_message_regex": "^(feat|fix): ", "reject_non_dco_commits": False},
        )
    )
    instance.add_project(
        FakeProject.from_texts(
            "org/secure/team/signed",
            {"README.md": "# Signed\n"},
            allow_force_push=True,
            push_access_levels=(0, 40),
            push_rule={"commit_message_regex": r"^Signed-off-by: .+ <.+@.+>$"},
        )
    )
    return instance


def scan_facts(fake: FakeGitLab, facts: frozenset[HostFact]) -> dict[str, HostFacts]:
    source = open_gitlab(fake, "org")
    source.ask_for(facts)
    items = read_all(source)
    return {name: snapshot(items, name).metadata.host for name in items}


def test_a_maintainer_token_reads_every_fact(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    fake = fake_gitlab(baseline_group())
    hosts = scan_facts(fake, EVERY_FACT)

    good, plain, signed = (
        hosts["org/secure/good"],
        hosts["org/plain"],
        hosts["org/secure/team/signed"],
    )
    assert good.branch_rules == BranchRules(
        changes_reviewed=True,
        deletion_blocked=True,
        force_push_blocked=True,
        required_checks=("pipeline",),
        required_approvals=2,
        sources=(
            "GitLab: the default branch cannot be deleted",
            'protected branch "main"',
            "merge checks: pipelines must succeed",
            "merge request approval rules",
        ),
    )
    assert good.releases == (
        HostRelease(
            tag="v1.1.0",
            notes="## Fixed\n\n- CVE-2026-0001 in the parser\n",
            assets=("good-1.1.0.tar.gz", "SHA256SUMS"),
        ),
        HostRelease(tag="v1.0.0"),
    )
    assert (good.signoff_required, good.secret_push_protection, good.mfa_required) == (
        True,
        True,
        True,
    )
    assert good.vulnerability_reporting is True  # confidential issues, open to everyone
    assert good.default_workflow_permissions == "read"
    assert good.collaborator_default == "none"
    assert (good.discussions_enabled, good.published_advisories) == (None, None)
    assert good.withheld == {}

    # Unprotected: a maintainer sees every rule, and none protects the default branch.
    assert plain.branch_rules is not None
    assert (plain.branch_rules.changes_reviewed, plain.branch_rules.force_push_blocked) == (
        False,
        False,
    )
    assert (plain.branch_rules.required_checks, plain.branch_rules.required_approvals) == ((), 0)
    assert plain.releases == ()
    assert (plain.signoff_required, plain.secret_push_protection) == (False, False)
    assert plain.vulnerability_reporting is False  # members-only issues: no private channel
    assert plain.default_workflow_permissions == "write"
    # No group above requires two-factor authentication; a self-managed instance may still.
    assert plain.mfa_required is None
    assert plain.withheld == {HostFact.MFA: INSTANCE_ADMIN}

    # A Maintainer may push and force push: not every change is reviewed.
    assert signed.branch_rules is not None
    assert (signed.branch_rules.changes_reviewed, signed.branch_rules.force_push_blocked) == (
        False,
        False,
    )
    assert signed.signoff_required is True  # the message rule needs `Signed-off-by:`

    assert signed.mfa_required is True  # required by `org/secure`, above its own group
    assert fake.api.rejected == []


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"^Signed-off-by: .+ <.+@.+>$", True),
        (r"^(feat|fix)(\(\w+\))?: [\s\S]*Signed-off-by: ", True),
        (r"^(feat|fix)(\(\w+\))?: ", False),
        (r"[\s\S]*", False),
        (r"(?i)fixes #\d+", False),  # asks for something else
    ],
)
def test_a_message_rule_requires_sign_off_only_when_it_refuses_every_unsigned_message(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch, pattern: str, required: bool
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    instance = baseline_group()
    instance.projects["org/plain"].push_rule = {"commit_message_regex": pattern}
    hosts = scan_facts(fake_gitlab(instance), frozenset({HostFact.SIGNOFF}))

    assert hosts["org/plain"].signoff_required is required


@pytest.mark.parametrize("token", [REPORTER_TOKEN, None], ids=["reporter", "anonymous"])
def test_without_the_maintainer_role_the_hidden_facts_are_withheld_never_false(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token:
        monkeypatch.setenv("GITLAB_TOKEN", token)
    else:
        monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    fake = fake_gitlab(baseline_group())
    hosts = scan_facts(fake, EVERY_FACT)

    for name in ("org/secure/good", "org/plain"):
        host = hosts[name]
        rules = host.branch_rules
        assert rules is not None
        assert (rules.changes_reviewed, rules.force_push_blocked, rules.required_approvals) == (
            None,
            None,
            None,
        )
        assert rules.deletion_blocked is True  # GitLab's own guarantee
        assert (host.signoff_required, host.secret_push_protection) == (None, None)
        assert host.default_workflow_permissions is None
        assert host.withheld[HostFact.BRANCH_RULES] == (
            f"{MAINTAINER} (protected branches); {DEVELOPER} (approval rules)"
        )
        for fact in (HostFact.SIGNOFF, HostFact.SECRET_SCANNING, HostFact.WORKFLOW_PERMISSIONS):
            assert host.withheld[fact] == MAINTAINER
    # What the token is sure to be refused is not even asked.
    assert fake.count("/push_rule") == 0
    assert fake.count("/approval_rules") == (3 if token else 0)  # a developer could read them
    good = hosts["org/secure/good"]
    assert good.branch_rules is not None
    assert good.branch_rules.required_checks == ("pipeline",)  # anyone sees the merge checks
    assert [r.tag for r in good.releases or ()] == ["v1.1.0", "v1.0.0"]
    assert good.mfa_required is True  # a public group's requirement is public


def test_community_edition_has_no_push_or_approval_rules_to_require_anything(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    fake = fake_gitlab(baseline_group(tier="ce"))
    good = scan_facts(fake, EVERY_FACT)["org/secure/good"]
    assert fake.count("/push_rule") == fake.count("/approval_rules") == 0  # not even asked

    assert good.branch_rules is not None
    assert good.branch_rules.required_approvals == 0
    assert (good.signoff_required, good.secret_push_protection) == (False, False)
    assert good.withheld == {}


def test_an_ultimate_instance_gives_secret_push_protection(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    instance = baseline_group(tier="ultimate")
    instance.projects["org/plain"].secret_push_protection = True
    hosts = scan_facts(fake_gitlab(instance), frozenset({HostFact.SECRET_SCANNING}))

    assert hosts["org/plain"].secret_push_protection is True
    assert hosts["org/secure/team/signed"].secret_push_protection is False


def _requests(fake: FakeGitLab) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in fake.requests]


def test_a_scan_asking_for_no_new_fact_makes_exactly_todays_requests(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    fake = fake_gitlab(baseline_group())
    read_all(open_gitlab(fake, "org"))  # today's connector: nobody asks for a fact
    today, today_queries = _requests(fake), list(fake.api.queries)
    fake.requests.clear()
    fake.api.queries.clear()

    ruleset = load_ruleset("un-ospo", load_plugins=False)
    assert ruleset.host_facts == frozenset()
    report = Scanner(ruleset, ScanOptions(gitlab_url=fake.url)).scan(["gitlab:org"])
    assert len(report.repositories) == 3

    def listed(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Requests other than file reads (which the rules make, on demand)."""
        return sorted(r for r in requests if "/repository/files/" not in r[1])

    assert listed(_requests(fake)) == listed(today)
    assert sorted(fake.api.queries) == sorted(today_queries)
    # The host-facts share is the one every scan asked before the Baseline's facts existed.
    todays_share = (
        "branchRules(first: 20) { nodes { name isDefault isProtected } } "
        "userPermissions { adminProject } "
        'goodFirstIssue: issues(labelName: ["good first issue"], first: 1) { count } '
        'helpWanted: issues(labelName: ["help wanted"], first: 1) { count } '
        "releases(first: 20) { nodes { tagName } }"
    )
    assert sum(q.count(todays_share) for q in fake.api.queries) == 3


def test_what_each_fact_costs_in_requests(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batched facts cost no request; push rules and approval rules one REST request each per
    project; the groups' two-factor requirement one GraphQL query per scan, and (on a
    self-managed instance, where a project's groups do not require it) one request for the
    instance's own requirement."""
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    fake = fake_gitlab(baseline_group())
    read_all(open_gitlab(fake, "org"))
    base = len(fake.requests)
    projects = 3

    def cost(facts: frozenset[HostFact]) -> int:
        fake.requests.clear()
        source = open_gitlab(fake, "org")
        source.ask_for(facts)
        read_all(source)
        return len(fake.requests) - base

    batched = frozenset(
        {
            HostFact.RELEASES,
            HostFact.VULNERABILITY_REPORTING,
            HostFact.WORKFLOW_PERMISSIONS,
            HostFact.COLLABORATOR_PERMISSIONS,
            HostFact.DISCUSSIONS,
            HostFact.ADVISORIES,
        }
    )
    assert cost(batched) == 0
    assert cost(frozenset({HostFact.MFA})) == 2
    assert cost(frozenset({HostFact.SIGNOFF, HostFact.SECRET_SCANNING})) == projects
    assert cost(frozenset({HostFact.BRANCH_RULES})) == projects
    assert cost(EVERY_FACT) == 2 * projects + 2


FACT_SETS = [
    frozenset(),
    frozenset({HostFact.BRANCH_RULES}),
    frozenset({HostFact.RELEASES}),
    EVERY_FACT,
]


def test_every_share_with_facts_is_valid_and_scored_as_gitlab_scores_it() -> None:
    for facts, (trees, probe, host) in itertools.product(
        FACT_SETS, [(0, 0, True), (1, 3, True), (3, 0, True), (1, 0, False)]
    ):
        work = ProjectWork("group/project", "main", facts=facts)
        shape = RoundRequest(
            work,
            trees=[TreePage("" if j == 0 else f"d{j}") for j in range(trees)],
            probe=[f"docs/f{k}.md" for k in range(probe)],
            texts=[],
            host_facts=host,
        )
        query, variables = build_query([shape])
        assert [e.message for e in validate(gitlab_schema(), parse(query))] == []
        assert estimate(shape) == complexity(gitlab_schema(), parse(query), variables)


@pytest.mark.parametrize("required", [True, False])
def test_an_administrator_sees_the_instances_own_two_factor_requirement(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch, required: bool
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", ADMIN_TOKEN)
    instance = baseline_group()
    instance.require_two_factor = required
    hosts = scan_facts(fake_gitlab(instance), frozenset({HostFact.MFA}))

    assert hosts["org/plain"].mfa_required is required
    assert hosts["org/plain"].withheld == {}
    assert hosts["org/secure/good"].mfa_required is True


def test_a_wildcard_rule_protects_the_default_branch_and_its_approvals_apply(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    instance = baseline_group()
    project = instance.projects["org/plain"]
    project.protected_branches = ("ma*", "release/*")
    project.push_access_levels = (0,)
    project.approval_rules = [
        {"rule_type": "regular", "approvals_required": 3, "protected_branches": [{"name": "m*n"}]},
        {"rule_type": "regular", "approvals_required": 5, "protected_branches": [{"name": "dev"}]},
        {"rule_type": "report_approver", "approvals_required": 9, "protected_branches": []},
    ]
    project.push_rule = {"commit_message_regex": "(?<=x)y"}  # RE2 cannot run it: not judged
    rules = scan_facts(fake_gitlab(instance), EVERY_FACT)["org/plain"]

    assert rules.branch_rules is not None
    assert rules.branch_rules.changes_reviewed is True
    assert rules.branch_rules.force_push_blocked is True
    assert rules.branch_rules.required_approvals == 3
    assert 'protected branch "ma*"' in rules.branch_rules.sources
    assert 'protected branch "release/*"' not in rules.branch_rules.sources
    assert rules.signoff_required is None
    assert HostFact.SIGNOFF not in rules.withheld  # no role would settle it


def test_without_graphql_the_groups_requirement_is_read_through_rest(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    fake = fake_gitlab(baseline_group(), graphql=False)
    hosts = scan_facts(fake, EVERY_FACT)

    good = hosts["org/secure/good"]
    assert good.mfa_required is True
    assert good.signoff_required is True
    assert good.branch_rules is not None
    # Branch protection comes from GraphQL only: not observed, and no role would change that.
    assert good.branch_rules.changes_reviewed is None
    assert good.branch_rules.required_checks == ("pipeline",)
    assert HostFact.BRANCH_RULES not in good.withheld
    assert good.releases is None
    asked = [path for _, path, _ in fake.requests if path.startswith("/api/v4/groups/org%2F")]
    assert sorted(asked) == ["/api/v4/groups/org%2Fsecure", "/api/v4/groups/org%2Fsecure%2Fteam"]


def test_on_gitlab_com_no_group_requirement_means_no_requirement() -> None:
    """GitLab.com requires two-factor authentication of no one (the connector tells it by the
    host name, which the fake on 127.0.0.1 cannot have): the groups decide alone."""
    project = {"default_branch": "main", "namespace": {"kind": "group", "full_path": "org/team"}}
    groups = {"org": False, "org/team": False}
    found = observe(
        frozenset({HostFact.MFA}), project, None, ExtraAnswers(), groups, instance_mfa=False
    )
    assert (found.values, found.withheld) == ({"mfa_required": False}, {})
    unreadable = {"org": None, "org/team": False}
    found = observe(
        frozenset({HostFact.MFA}), project, None, ExtraAnswers(), unreadable, instance_mfa=False
    )
    assert (found.values, found.withheld) == ({"mfa_required": None}, {HostFact.MFA: GROUP_READER})
