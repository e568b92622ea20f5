"""The level a levelled framework (the OSPS Baseline) attains, on hand-made rule results."""

from __future__ import annotations

from ospo_scan.config.frameworks import Framework, FrameworkItem, FrameworkMapping, ItemRef
from ospo_scan.model import LevelStatus, Outcome, RepoReport, RepoStatus, RuleResult
from ospo_scan.scan.frameworks import attained_level, entity_frameworks, repository_frameworks
from ospo_scan.scan.scoring import outcome_score, weighted_score

LEVELLED = Framework(
    id="levelled",
    title="Levelled framework",
    version="1",
    url="https://levelled.example",
    items=(
        FrameworkItem("A-1", "Level one, two rules", "r1 and r2", level=1),
        FrameworkItem("B-1", "Level one, one rule", "r3", level=1),
        FrameworkItem("C-2", "Level two", "r4", level=2),
        FrameworkItem("D-3", "Level three", "r5", level=3),
    ),
)
EVERY_CONTROL_MAPPED = FrameworkMapping(
    frameworks=(LEVELLED,),
    evidences={
        "r1": (ItemRef("levelled", "A-1"),),
        "r2": (ItemRef("levelled", "A-1"),),
        "r3": (ItemRef("levelled", "B-1"),),
        "r4": (ItemRef("levelled", "C-2"),),
        "r5": (ItemRef("levelled", "D-3"),),
    },
)
B1_UNMAPPED = FrameworkMapping(
    frameworks=(LEVELLED,),
    evidences={rule: refs for rule, refs in EVERY_CONTROL_MAPPED.evidences.items() if rule != "r3"},
)
EVERY_PASS = {rule: Outcome.PASS for rule in ("r1", "r2", "r3", "r4", "r5")}


def _results(outcomes: dict[str, Outcome]) -> tuple[RuleResult, ...]:
    return tuple(
        RuleResult(rule, "security", o, outcome_score(o), 1.0, "", "", "")
        for rule, o in outcomes.items()
    )


def _level(
    mapping: FrameworkMapping, **changed: Outcome
) -> tuple[int | None, LevelStatus | None, tuple[str, ...]]:
    return attained_level(LEVELLED, mapping, _results(EVERY_PASS | changed))


def test_every_control_met_attains_the_top_level() -> None:
    assert _level(EVERY_CONTROL_MAPPED) == (3, LevelStatus.ATTAINED, ())
    assert _level(EVERY_CONTROL_MAPPED, r5=Outcome.EXEMPT) == (3, LevelStatus.ATTAINED, ())


def test_passing_every_evidenced_level_one_control_with_one_unevidenced_is_unconfirmed() -> None:
    assert _level(B1_UNMAPPED) == (0, LevelStatus.UNCONFIRMED, ())


def test_failing_a_level_one_control_is_level_zero() -> None:
    assert _level(EVERY_CONTROL_MAPPED, r3=Outcome.FAIL) == (0, LevelStatus.ATTAINED, ("B-1",))
    # One failed rule of two misses the control: a MUST half met is not met.
    assert _level(EVERY_CONTROL_MAPPED, r2=Outcome.PARTIAL) == (0, LevelStatus.ATTAINED, ("A-1",))


def test_a_missed_control_outweighs_an_unconfirmed_one_at_the_same_level() -> None:
    assert _level(B1_UNMAPPED, r1=Outcome.FAIL) == (0, LevelStatus.ATTAINED, ("A-1",))


def test_unknown_gaps_leave_the_level_unconfirmed() -> None:
    assert _level(EVERY_CONTROL_MAPPED, r4=Outcome.UNKNOWN) == (1, LevelStatus.UNCONFIRMED, ())
    assert _level(EVERY_CONTROL_MAPPED, r1=Outcome.ERROR) == (0, LevelStatus.UNCONFIRMED, ())
    # An unknown beside a pass on the same control still leaves it unconfirmed.
    assert _level(EVERY_CONTROL_MAPPED, r2=Outcome.UNKNOWN) == (0, LevelStatus.UNCONFIRMED, ())


def test_not_applicable_never_confirms_a_control() -> None:
    assert _level(EVERY_CONTROL_MAPPED, r5=Outcome.NOT_APPLICABLE) == (
        2,
        LevelStatus.UNCONFIRMED,
        (),
    )
    # Beside a pass on the same control it takes nothing away.
    assert _level(EVERY_CONTROL_MAPPED, r2=Outcome.NOT_APPLICABLE) == (3, LevelStatus.ATTAINED, ())


def test_a_miss_above_the_level_reached_is_still_listed() -> None:
    assert _level(EVERY_CONTROL_MAPPED, r3=Outcome.UNKNOWN, r5=Outcome.FAIL) == (
        0,
        LevelStatus.UNCONFIRMED,
        ("D-3",),
    )


def test_a_repository_without_results_has_no_level() -> None:
    assert attained_level(LEVELLED, EVERY_CONTROL_MAPPED, ()) == (None, None, ())


def test_a_framework_without_levels_has_no_level() -> None:
    flat = Framework("flat", "Flat", "1", "https://flat.example", (FrameworkItem("1", "t", "m"),))
    mapping = FrameworkMapping((flat,), {"r1": (ItemRef("flat", "1"),)})
    assert attained_level(flat, mapping, _results(EVERY_PASS)) == (None, None, ())
    (view,) = entity_frameworks(mapping, [_repo("a", {})])
    assert view.levels == {}
    assert view.missed == ()


def _repo(name: str, changed: dict[str, Outcome], in_scope: bool = True) -> RepoReport:
    results = _results(EVERY_PASS | changed)
    return RepoReport(
        name,
        f"file:///{name}",
        RepoStatus.OK,
        weighted_score(results),
        in_scope,
        results=results,
        frameworks=repository_frameworks(EVERY_CONTROL_MAPPED, results),
    )


def test_the_entity_counts_its_in_scope_repositories_per_level_and_the_controls_missed() -> None:
    repositories = [
        _repo("top", {}),
        _repo("two", {"r5": Outcome.FAIL}),
        _repo("zero", {"r3": Outcome.FAIL, "r5": Outcome.FAIL}),
        _repo("unsure", {"r1": Outcome.UNKNOWN}),
        _repo("unsure-too", {"r4": Outcome.NOT_APPLICABLE}),
        _repo("out", {"r1": Outcome.FAIL}, in_scope=False),
    ]
    (view,) = entity_frameworks(EVERY_CONTROL_MAPPED, repositories)
    assert view.levels == {"0": 1, "1": 0, "2": 1, "3": 1, "unconfirmed": 2}
    assert view.missed == (("D-3", 2), ("B-1", 1))
    assert [r.frameworks[0].level_bucket for r in repositories] == [
        "3",
        "2",
        "0",
        "unconfirmed",
        "unconfirmed",
        "0",
    ]
