"""`unknown` in scoring, the summary and the framework views (SPEC §4, §11)."""

from __future__ import annotations

from ospo_scan.model import Outcome
from ospo_scan.rules.interface import unknown
from ospo_scan.scan.entities import entity_parts
from tests.rule_results import SETTLES, unknown_report


def test_unknown_says_what_would_settle_it_and_is_neither_pass_nor_fail() -> None:
    finding = unknown("Only a person can judge the threat model.", settles="a maintainer's review")
    assert finding.outcome is Outcome.UNKNOWN
    assert finding.message == (
        "Only a person can judge the threat model. What would settle it: a maintainer's review"
    )
    assert not Outcome.UNKNOWN.counts
    # shown after the outcomes that need nothing, before those that ask for work
    assert Outcome.NOT_APPLICABLE.severity < Outcome.UNKNOWN.severity < Outcome.PARTIAL.severity


def test_unknown_leaves_the_denominator_and_is_counted_apart() -> None:
    report = unknown_report()
    observed, unobserved = report.repositories
    assert observed.score == 100.0
    # readme (8) passes, licence (10) fails; the security policy (8) is out of the denominator
    assert unobserved.score == round(100.0 * 8 / 18, 2)
    assert "security" not in {c for c, s in unobserved.category_scores.items() if s is not None}
    assert (observed.unknown, unobserved.unknown) == (0, 1)
    assert report.summary.unknown == 1
    assert report.summary.errors == 0
    assert not report.has_errors
    # pass rates leave the unknown out of both the passes and the count
    assert report.summary.rule_pass_rates["security-policy"] == 1.0
    assert report.summary.rule_pass_rates["license"] == 0.5
    (part,) = entity_parts(report)
    assert part.summary.unknown == 1
    assert SETTLES in unobserved.results[2].message


def test_framework_views_treat_unknown_as_not_observed() -> None:
    report = unknown_report()
    principles = report.entity.framework("un-principles")
    assert principles is not None
    item = next(i for i in principles.items if "security-policy" in [r.rule for r in i.rules])
    evidence = next(r for r in item.rules if r.rule == "security-policy")
    assert evidence.outcomes == {Outcome.PASS: 1, Outcome.UNKNOWN: 1}
    assert evidence.score == 100.0  # the pass alone: the unknown is not observed, not a zero
    # in the repository whose only evidence of the item is unknown, the item has no score
    assert item.id == "3"
    unobserved = report.repositories[1]
    view = next(f for f in unobserved.frameworks if f.id == "un-principles")
    assert view.items.get("3") is None
