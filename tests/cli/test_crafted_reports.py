"""Crafted report files and damaged stores: one clear line and exit 2 from every command that
reads them, never a traceback, and never a number that is not finite in what is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.formats.json import format_json
from tests.cli.entity import Entity, run
from tests.formats.sample import build_report


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    path.write_text(format_json(build_report()), encoding="utf-8")
    return path


def _deeply_nested(text: str) -> str:
    return text.rstrip()[:-1] + ', "extra": ' + "[" * 100_000 + "]" * 100_000 + "}\n"


def _with(change: Callable[[dict[str, Any]], None]) -> Callable[[str], str]:
    def crafted(text: str) -> str:
        document = json.loads(text)
        change(document)
        return json.dumps(document)

    return crafted


def _nan_score(document: dict[str, Any]) -> None:
    document["entity"]["score"] = float("nan")


def _infinite_weight(document: dict[str, Any]) -> None:
    document["repositories"][0]["results"][0]["weight"] = float("inf")


def _huge_weights(document: dict[str, Any]) -> None:
    for result in document["repositories"][0]["results"][:2]:
        result["weight"] = 1e308


def _date_with_a_newline(document: dict[str, Any]) -> None:
    document["scan"]["started"] += "\n"


CRAFTED = {
    "deep nesting": (_deeply_nested, "nested too deeply"),
    "NaN score": (_with(_nan_score), "NaN is not a JSON number"),
    "infinite weight": (_with(_infinite_weight), "Infinity is not a JSON number"),
    "overflowing number": (lambda t: t.replace('"score": 64.7', '"score": 1e999', 1), "1e999"),
    "weights of 1e308": (_with(_huge_weights), "greater than the maximum"),
    "date with a newline": (_with(_date_with_a_newline), "scan/started"),
}

COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "report": lambda crafted, good: ["report", str(crafted), "--format", "json"],
    "diff": lambda crafted, good: ["diff", str(good), str(crafted), "--format", "json"],
    "survey": lambda crafted, good: ["survey", str(crafted), "--format", "json"],
    "merge": lambda crafted, good: ["merge", str(crafted)],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_report_is_one_line_and_exit_2(tmp_path: Path, case: str, command: str) -> None:
    good = _good(tmp_path)
    craft, reason = CRAFTED[case]
    crafted = tmp_path / "crafted.json"
    crafted.write_text(craft(good.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(*COMMANDS[command](crafted, good))
    assert code == 2, err
    assert err.startswith(f"ospo-scan: error: {crafted}")
    assert reason in err
    assert err.count("\n") == 1
    assert "NaN" not in out
    assert "Infinity" not in out


def test_weights_that_overflow_the_roll_up_are_refused_in_a_ruleset(
    tmp_path: Path, entity: Entity
) -> None:
    ruleset = tmp_path / "heavy.toml"
    ruleset.write_text(
        'id = "heavy"\nversion = "1"\nextends = "un-ospo"\n'
        "[rules.license]\nweight = 1e308\n[rules.readme]\nweight = 1e308\n",
        encoding="utf-8",
    )
    output = tmp_path / "report.json"
    code, _, err = run(
        "scan", str(entity.root), "--ruleset", str(ruleset), "--no-history", "--output", str(output)
    )
    assert code == 2
    assert err == (
        f"ospo-scan: error: {ruleset}:5: rules.license.weight: weight must be from 0 to 1,000,000\n"
    )
    assert not output.exists()


def test_the_largest_weights_still_give_finite_scores(tmp_path: Path, entity: Entity) -> None:
    ruleset = tmp_path / "heavy.toml"
    ruleset.write_text(
        'id = "heavy"\nversion = "1"\nextends = "un-ospo"\n'
        "[rules.license]\nweight = 1000000\n[rules.readme]\nweight = 1000000\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "scan", str(entity.root), "--ruleset", str(ruleset), "--no-history", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the report"))
    assert 0 <= document["entity"]["score"] <= 100


def _damage(store: Path) -> None:
    """Every page after the first overwritten: the store opens, and fails when read."""
    data = bytearray(store.read_bytes())
    for index in range(4096, len(data), 7):
        data[index] = 0xAB
    store.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "arguments",
    [["diff"], ["diff", "1", "2"], ["report", "1"], ["history"]],
    ids=["diff-latest", "diff-ids", "report", "history"],
)
def test_a_damaged_store_is_one_line_for_every_reader(
    tmp_path: Path, entity: Entity, arguments: list[str]
) -> None:
    store = tmp_path / "history.sqlite3"
    for _ in range(2):
        assert run("scan", str(entity.root), "--history", str(store))[0] == 0
    _damage(store)
    code, _, err = run(*arguments, "--history", str(store))
    assert code == 2
    assert err.startswith(f"ospo-scan: error: history store {store} is damaged or unreadable")
    assert err.count("\n") == 1
