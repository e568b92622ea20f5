"""A shields.io endpoint badge (https://shields.io/badges/endpoint-badge) for a README.

Publish the JSON somewhere public and point
`https://img.shields.io/endpoint?url=<where it is>` at it.
"""

from __future__ import annotations

import json

from ospo_scan.model import Report

BADGE_LABEL = "OSPO compliance"

_COLOURS = ((90.0, "brightgreen"), (75.0, "green"), (50.0, "yellow"), (25.0, "orange"))
"""Colour by score, best first; below the last threshold the badge is red."""


def format_badge(report: Report) -> str:
    score = report.entity.score
    if score is None:
        message, colour = "unknown", "lightgrey"
    else:
        message = f"{score:.0f}%"
        if report.entity.level:
            message += f" {report.entity.level}"
        colour = next((name for floor, name in _COLOURS if score >= floor), "red")
    badge = {"schemaVersion": 1, "label": BADGE_LABEL, "message": message, "color": colour}
    return json.dumps(badge, ensure_ascii=False) + "\n"
