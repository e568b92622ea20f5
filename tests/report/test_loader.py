"""The one report loader: schema-checked, into the scanner's own dataclasses, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.formats.json import format_json
from ospo_scan.report.loader import ReportFileError, parse_report, read_report
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.connectors.github.test_github_equivalence import MIT
from tests.formats.sample import build_report
from tests.scanning import default_ruleset

ROOT = Path(__file__).resolve().parents[2]


def test_a_scanned_report_loads_into_the_same_dataclasses() -> None:
    report = Scanner(default_ruleset()).scan([str(ROOT / "fixtures" / "demo-agency")])
    text = format_json(report)
    loaded = parse_report(text, origin="demo")
    assert loaded == report
    assert format_json(loaded) == text


def test_the_hostile_sample_round_trips() -> None:
    report = build_report()
    assert parse_report(format_json(report), origin="sample") == report


def test_a_report_from_before_scans_were_dated_still_loads(tmp_path: Path) -> None:
    document = json.loads(format_json(build_report()))
    del document["scan"]
    for repository in document["repositories"]:
        del repository["commit"], repository["default_branch"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = read_report(path)
    assert loaded.scan is None
    assert all(r.commit is None for r in loaded.repositories)
    assert loaded.entity == build_report().entity


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(schema="ospo-scan/report/v9"), "schema"),
        (lambda d: d["scan"].update(started="last Tuesday"), "scan/started"),
        (lambda d: d["repositories"][0].update(commit="not-a-sha"), "repositories/0/commit"),
        (lambda d: d["repositories"][1]["results"][0].update(outcome="great"), "outcome"),
        (lambda d: d.pop("summary"), "'summary' is a required property"),
    ],
)
def test_a_document_off_the_schema_is_refused_saying_where(change: object, where: str) -> None:
    document = json.loads(format_json(build_report()))
    change(document)  # type: ignore[operator]
    with pytest.raises(ReportFileError) as raised:
        parse_report(json.dumps(document), origin="week-10.json")
    assert raised.value.exit_code == 2
    message = raised.value.one_line()
    assert message.startswith("week-10.json is not an ospo-scan report: ")
    assert where in message
    assert "\n" not in message


def test_profiles_several_entities_and_bundled_notices_round_trip(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    bundled = (
        MIT.replace("United Nations", "Agency")
        + "\n\nThis repository may contain third-party code licensed as follows:\n\n"
        + "## jquery\n\n"
        + MIT
    )
    for number in (1, 2):
        entity = tmp_path / f"agency-{number}"
        entity.mkdir()
        (entity / "ospo-entity.toml").write_text(
            f'name = "Agency {number}"\ndescription = "A UN agency"\n'
            '[metadata]\ncountry = "CH"\n'
            '[contacts]\nsecurity = "security@agency.example.org"\nmaintainers = ["@agency/ospo"]\n'
            '[readiness.2024]\nospo = "established"\nbest-practices = true\n',
            encoding="utf-8",
        )
        git_repo_factory(entity / "app", {"README.md": "# App\n", "LICENSE": bundled})
    report = Scanner(default_ruleset()).scan(
        [str(tmp_path / "agency-1"), str(tmp_path / "agency-2")]
    )
    assert len(report.entities) == 2
    assert report.entities[0].readiness
    assert report.entities[0].contacts
    assert {repo.entity for repo in report.repositories} == {"Agency 1", "Agency 2"}
    text = format_json(report)
    loaded = parse_report(text, origin="entities")
    assert loaded == report
    assert format_json(loaded) == text
