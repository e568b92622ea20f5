"""What counts as a regression, an improvement or a plain change (SPEC §8)."""

from __future__ import annotations

import pytest

from ospo_scan.history.diff import ChangeKind, ScanOutcomes, change_kind, diff_scans
from ospo_scan.history.records import ScanRecord
from ospo_scan.model import Outcome

P, E, H, F = Outcome.PASS, Outcome.EXEMPT, Outcome.PARTIAL, Outcome.FAIL
NA, ERR, UNK = Outcome.NOT_APPLICABLE, Outcome.ERROR, Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (P, H, ChangeKind.REGRESSION),
        (P, F, ChangeKind.REGRESSION),
        (E, H, ChangeKind.REGRESSION),
        (E, F, ChangeKind.REGRESSION),
        (H, F, ChangeKind.REGRESSION),
        (F, H, ChangeKind.IMPROVEMENT),
        (F, P, ChangeKind.IMPROVEMENT),
        (H, E, ChangeKind.IMPROVEMENT),
        (P, E, ChangeKind.CHANGE),
        (E, P, ChangeKind.CHANGE),
        (P, NA, ChangeKind.CHANGE),
        (NA, F, ChangeKind.CHANGE),
        (P, ERR, ChangeKind.CHANGE),
        (ERR, P, ChangeKind.CHANGE),
        # an unknown is neither a regression nor an improvement, whichever way it goes
        (P, UNK, ChangeKind.CHANGE),
        (E, UNK, ChangeKind.CHANGE),
        (UNK, F, ChangeKind.CHANGE),
        (UNK, H, ChangeKind.CHANGE),
        (F, UNK, ChangeKind.CHANGE),
        (UNK, P, ChangeKind.CHANGE),
        (UNK, NA, ChangeKind.CHANGE),
    ],
)
def test_change_kinds(old: Outcome, new: Outcome, kind: ChangeKind) -> None:
    assert change_kind(old, new) is kind


def _scan(
    scan_id: int, score: float | None, outcomes: dict[str, dict[str, Outcome]]
) -> ScanOutcomes:
    record = ScanRecord(
        scan_id, f"2026-03-0{scan_id}T06:00:00.000Z", "e", "r", "1", score, None, len(outcomes), 0
    )
    return ScanOutcomes(record, outcomes)


def test_changes_are_ordered_worst_first_and_new_rules_are_not_changes() -> None:
    old = _scan(1, 60.0, {"a": {"x": P, "y": F, "z": NA}, "b": {"x": H}, "gone": {"x": P}})
    new = _scan(
        2, 55.5, {"a": {"x": F, "y": P, "z": P, "new-rule": F}, "b": {"x": F}, "fresh": {"x": F}}
    )
    diff = diff_scans(old, new)
    assert [(c.repository, c.rule, c.kind) for c in diff.changes] == [
        ("a", "x", ChangeKind.REGRESSION),
        ("b", "x", ChangeKind.REGRESSION),
        ("a", "y", ChangeKind.IMPROVEMENT),
        ("a", "z", ChangeKind.CHANGE),
    ]
    assert (diff.added, diff.removed) == (("fresh",), ("gone",))
    assert diff.score_delta == pytest.approx(-4.5)
    assert diff.as_json()["entity"] == {"old_score": 60.0, "new_score": 55.5}


def test_a_repository_that_could_not_be_scanned_has_no_changes() -> None:
    diff = diff_scans(_scan(1, 50.0, {"a": {"x": P}}), _scan(2, None, {"a": {}}))
    assert diff.changes == ()
    assert diff.score_delta is None
