"""The framework view's arithmetic (SPEC §11) on hand-made rule results."""

from __future__ import annotations

import pytest

from ospo_scan.config.frameworks import (
    Framework,
    FrameworkItem,
    FrameworkMapping,
    ItemRef,
    load_framework,
)
from ospo_scan.model import (
    DeclaredPrinciple,
    ItemStatus,
    Outcome,
    PrincipleAnswer,
    RepoReport,
    RepoStatus,
    RuleResult,
)
from ospo_scan.scan.frameworks import entity_frameworks, repository_frameworks
from ospo_scan.scan.scoring import entity_score, outcome_score, weighted_score

TOY = Framework(
    id="toy",
    title="Toy framework",
    version="1",
    url="https://toy.example",
    items=(
        FrameworkItem("1", "Two rules", "r1 and r2"),
        FrameworkItem("2", "Host only", "r3, which applies nowhere here", level=2),
        FrameworkItem("3", "Unmapped", "no rule", group="people"),
        FrameworkItem("4", "Half seen", "r1 and r3"),
    ),
)
MAPPING = FrameworkMapping(
    frameworks=(TOY,),
    evidences={
        "r1": (ItemRef("toy", "1"), ItemRef("toy", "4")),
        "r2": (ItemRef("toy", "1"),),
        "r3": (ItemRef("toy", "2"), ItemRef("toy", "4")),
    },
)
WEIGHTS = {"r1": 4.0, "r2": 1.0, "r3": 2.0, "r4": 3.0}


def _results(**outcomes: Outcome) -> tuple[RuleResult, ...]:
    return tuple(
        RuleResult(rule, "documentation", o, outcome_score(o), WEIGHTS[rule], "", "", "")
        for rule, o in outcomes.items()
    )


def _repo(name: str, in_scope: bool = True, **outcomes: Outcome) -> RepoReport:
    results = _results(**outcomes)
    return RepoReport(
        name, f"file:///{name}", RepoStatus.OK, weighted_score(results), in_scope, results=results
    )


REPOS = [
    _repo("a", r1=Outcome.PASS, r2=Outcome.FAIL, r3=Outcome.NOT_APPLICABLE, r4=Outcome.FAIL),
    _repo("b", r1=Outcome.PARTIAL, r2=Outcome.PASS, r3=Outcome.NOT_APPLICABLE, r4=Outcome.PASS),
    _repo("c", in_scope=False, r1=Outcome.FAIL, r2=Outcome.FAIL, r3=Outcome.PASS),
    RepoReport("d", "file:///d", RepoStatus.ERROR, None, True, error="unreadable"),
]


def test_item_scores_are_weighted_per_repository_then_averaged() -> None:
    (view,) = entity_frameworks(MAPPING, REPOS)
    assert (view.id, view.title, view.version, view.url) == (
        "toy",
        "Toy framework",
        "1",
        "https://toy.example",
    )
    two_rules = view.item("1")
    assert two_rules is not None
    # a: (4*1 + 1*0) / 5 = 80; b: (4*0.5 + 1*1) / 5 = 60; c is out of scope, d unreadable
    assert two_rules.score == pytest.approx(70.0)
    assert two_rules.status is ItemStatus.EVIDENCED
    assert [(r.rule, r.score) for r in two_rules.rules] == [("r1", 75.0), ("r2", 50.0)]
    assert two_rules.rules[0].outcomes == {Outcome.PASS: 1, Outcome.PARTIAL: 1}
    assert two_rules.rules[1].outcomes == {Outcome.PASS: 1, Outcome.FAIL: 1}
    assert two_rules.weakest is not None
    assert two_rules.weakest.rule == "r2"


def test_an_item_without_evidence_has_no_score_never_zero() -> None:
    (view,) = entity_frameworks(MAPPING, REPOS)
    host_only, unmapped = view.item("2"), view.item("3")
    assert host_only is not None
    assert unmapped is not None
    assert host_only.score is None
    assert host_only.status is ItemStatus.NOT_EVIDENCED
    assert host_only.rule_ids == ("r3",)
    assert host_only.rules[0].outcomes == {Outcome.NOT_APPLICABLE: 2}
    assert host_only.weakest is None
    assert host_only.level == 2
    assert unmapped.score is None
    assert unmapped.status is ItemStatus.NOT_EVIDENCED
    assert unmapped.rules == ()
    assert unmapped.group == "people"


def test_an_item_some_of_whose_rules_were_not_observed_is_partly_evidenced() -> None:
    (view,) = entity_frameworks(MAPPING, REPOS)
    half = view.item("4")
    assert half is not None
    assert half.status is ItemStatus.PARTLY
    assert half.score == pytest.approx(75.0)  # r1 alone: a 100, b 50


def test_an_item_of_every_rule_scores_as_the_entity_does() -> None:
    every = Framework("all", "All", "1", "https://all.example", (FrameworkItem("x", "X", "x"),))
    ref = ItemRef("all", "x")
    mapping = FrameworkMapping((every,), {rule: (ref,) for rule in WEIGHTS})
    (view,) = entity_frameworks(mapping, REPOS)
    assert view.items[0].score == entity_score(REPOS)


def test_repository_views_carry_the_items_whose_rules_counted_there() -> None:
    a, b = REPOS[0], REPOS[1]
    assert [(v.id, dict(v.items)) for v in repository_frameworks(MAPPING, a.results)] == [
        ("toy", {"1": 80.0, "4": 100.0})
    ]
    assert dict(repository_frameworks(MAPPING, b.results)[0].items) == {"1": 60.0, "4": 50.0}


def test_declared_principles_sit_beside_the_evidence() -> None:
    declared = {
        "2": DeclaredPrinciple(PrincipleAnswer.YES, "https://agency.example/contribute"),
        "3": DeclaredPrinciple(PrincipleAnswer.PARTLY),
    }
    principles_mapping = FrameworkMapping(
        MAPPING.frameworks, {**MAPPING.evidences, "r4": (ItemRef("un-principles", "3"),)}
    )
    # the UN principles are shown even when the ruleset maps no rule to them
    toy, principles = entity_frameworks(MAPPING, REPOS, declared)
    assert toy.id == "toy"
    assert all(item.declared is None for item in toy.items)
    assert principles.id == "un-principles"
    contribute = principles.item("2")
    assert contribute is not None
    assert contribute.status is ItemStatus.DECLARED
    assert contribute.score is None
    assert contribute.declared == declared["2"]
    open_by_default = principles.item("1")
    assert open_by_default is not None
    assert open_by_default.status is ItemStatus.NOT_EVIDENCED
    # evidenced and declared: the evidence's status stands, the declaration beside it
    un = load_framework("un-principles")
    assert un is not None
    mapped = FrameworkMapping((un,), principles_mapping.evidences)
    (view,) = entity_frameworks(mapped, REPOS, declared)
    secure = view.item("3")
    assert secure is not None
    assert secure.status is ItemStatus.EVIDENCED
    assert secure.score == pytest.approx(50.0)  # r4: a fail, b pass
    assert secure.declared == declared["3"]
