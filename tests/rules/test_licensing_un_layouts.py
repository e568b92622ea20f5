"""The licensing rules on licence files as UN-system entities publish them: the project's
licence judged apart from bundled notices, and a licence with inserted restrictions failed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.model import BundledLicence, Outcome
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.licences.un_texts import (
    APACHE_LOGO_BUNDLED,
    DUAL_CODE_CONTENT,
    HTML_IGO_BSD,
    MIT_PROJECT_LINE,
    MIT_RESTRICTED,
)
from tests.scanning import default_ruleset, local_snapshot, result, validated


def test_bundled_icon_terms_make_an_approved_licence_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": APACHE_LOGO_BUNDLED})
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    assert report.licence is not None
    assert report.licence.expression == "Apache-2.0"
    assert report.licence.approved is True
    assert (
        BundledLicence(
            "LICENSE", "LicenseRef-scancode-proprietary-license", "Glyph icons (static/icons)"
        )
        in report.licence.bundled
    )
    assert [b.expression for b in report.licence.bundled] == [
        "BSD-3-Clause",
        "MIT",
        "OFL-1.1",
        "LicenseRef-scancode-proprietary-license",
        "Apache-2.0",
    ]
    assert result(report, "license").outcome is Outcome.PASS
    approved = result(report, "license-approved")
    assert approved.outcome is Outcome.PARTIAL
    assert approved.message == (
        "Apache-2.0 is on the approved list (osi + dpg), but bundled third-party terms are not: "
        "LicenseRef-scancode-proprietary-license (“Glyph icons (static/icons)” in LICENSE)."
    )


def test_code_and_content_licence_passes(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": DUAL_CODE_CONTENT})
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    assert result(report, "license-approved").outcome is Outcome.PASS
    assert result(report, "license-approved").message == (
        "Apache-2.0 AND CC-BY-4.0 is on the approved list (osi + dpg)."
    )


def test_a_non_commercial_igo_licence_is_not_approved(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE.html": HTML_IGO_BSD})
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    approved = result(report, "license-approved")
    assert approved.outcome is Outcome.FAIL
    assert approved.message == "CC-BY-NC-SA-3.0-IGO is not on the approved list (osi + dpg)."


def test_restricted_mit_fails_quoting_the_inserted_words(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": MIT_RESTRICTED})
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    assert report.licence is not None
    assert report.licence.expression == "MIT"
    assert report.licence.approved is False
    approved = result(report, "license-approved")
    assert approved.outcome is Outcome.FAIL
    assert approved.message == (
        "The licence text in LICENSE has words inserted that restrict its use, so it is a "
        "modified licence, not MIT: “software shall not be used for commercial purposes or by "
        "any armed forces”."
    )


def test_a_harmless_insertion_still_passes(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": MIT_PROJECT_LINE})
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    assert result(report, "license-approved").outcome is Outcome.PASS
    assert report.licence is not None
    assert report.licence.restrictions == ()


def test_json_report_carries_bundled_notices_and_restrictions(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "portal", {"LICENSE": APACHE_LOGO_BUNDLED})
    git_repo_factory(entity / "tool", {"LICENSE": MIT_RESTRICTED})
    outcome = CliRunner().invoke(
        main, ["scan", str(entity), "--format", "json"], catch_exceptions=False
    )
    document = validated(json.loads(outcome.output))
    licences = {r["name"]: r["license"] for r in document["repositories"]}
    assert licences["portal"]["expression"] == "Apache-2.0"
    assert licences["portal"]["bundled"][0] == {
        "path": "LICENSE",
        "expression": "BSD-3-Clause",
        "heading": "d3-array (src/vendor/d3-array)",
    }
    assert licences["portal"]["restrictions"] == []
    assert licences["tool"]["restrictions"] == [
        "“software shall not be used for commercial purposes or by any armed forces”"
    ]
    assert licences["tool"]["bundled"] == []
