"""The shields.io endpoint badge."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ospo_scan.formats.badge import format_badge
from ospo_scan.model import Report


def _badge(report: Report, score: float | None, level: str | None) -> dict[str, object]:
    entity = dataclasses.replace(report.entity, score=score, level=level)
    badge: dict[str, object] = json.loads(format_badge(dataclasses.replace(report, entity=entity)))
    return badge


def test_badge_follows_the_shields_endpoint_schema(report: Report) -> None:
    badge = json.loads(format_badge(report))
    assert badge == {
        "schemaVersion": 1,
        "label": "OSPO compliance",
        "message": "65% developing",
        "color": "yellow",
    }


@pytest.mark.parametrize(
    ("score", "colour"),
    [(100.0, "brightgreen"), (90.0, "brightgreen"), (89.9, "green"), (75.0, "green"),
     (50.0, "yellow"), (49.9, "orange"), (25.0, "orange"), (24.9, "red"), (0.0, "red")],
)  # fmt: skip
def test_colour_follows_the_score(report: Report, score: float, colour: str) -> None:
    assert _badge(report, score, "any")["color"] == colour


def test_no_score_is_a_grey_unknown(report: Report) -> None:
    badge = _badge(report, None, None)
    assert (badge["message"], badge["color"]) == ("unknown", "lightgrey")


def test_a_score_without_level_shows_only_the_score(report: Report) -> None:
    assert _badge(report, 72.4, None)["message"] == "72%"
