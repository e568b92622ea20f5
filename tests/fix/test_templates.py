"""Every template, filled, passes its rule when scanned through the real rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.errors import ConfigError
from ospo_scan.fix.files import FillContext, fill
from ospo_scan.fix.kinds import FIX_KINDS, GITHUB, GITLAB, FixKind
from ospo_scan.fix.licence_text import licence_text
from ospo_scan.fix.templates import TemplateSet, bundled_templates_dir
from ospo_scan.model import Contacts, Outcome
from ospo_scan.rules.boilerplate import TEMPLATE_MARKER, TEMPLATE_NOTE
from tests.conftest import RepoFactory
from tests.scanning import evaluate, local_snapshot, result

CONTACTS = Contacts(
    security="security@agency.example.org",
    conduct="conduct@agency.example.org",
    maintainers=("@agency/ospo", "lead@agency.example.org"),
)
MANIFESTS = {"pyproject.toml": '[project]\nname = "app"\nlicense = "MIT"\n'}


def _context(platform: str | None, contacts: Contacts = CONTACTS) -> FillContext:
    return FillContext("Demo Agency", contacts, platform, TemplateSet.for_ruleset(None))


@pytest.mark.parametrize("platform", [None, GITHUB, GITLAB])
@pytest.mark.parametrize("kind", FIX_KINDS, ids=lambda kind: kind.rule)
def test_each_filled_template_is_partial_until_its_marker_line_is_deleted(
    tmp_path: Path, git_repo_factory: RepoFactory, kind: FixKind, platform: str | None
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n", **MANIFESTS})
    assert result(evaluate(repo), kind.rule).outcome is Outcome.FAIL
    content = fill(kind, "app", _context(platform), local_snapshot(repo))
    target = repo / kind.path_on(platform)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")

    written = result(evaluate(repo), kind.rule)

    assert written.outcome is Outcome.PARTIAL, written.message
    assert "written from a template, not yet reviewed" in written.message
    assert written.evidence[0].path == kind.path_on(platform)
    assert "${" not in content

    reviewed = [line for line in content.splitlines() if TEMPLATE_MARKER not in line]
    assert len(reviewed) == len(content.splitlines()) - 1
    if kind.rule == "changelog":  # a changelog is a record once it records a release
        reviewed.append("\n## [1.0.0] - 2026-01-05\n\n### Added\n\n- The first release.")
    target.write_text("\n".join(reviewed) + "\n", encoding="utf-8")

    found = result(evaluate(repo), kind.rule)

    assert found.outcome is Outcome.PASS, found.message


def test_every_bundled_template_carries_the_marker() -> None:
    templates = sorted(p for p in bundled_templates_dir().iterdir() if p.is_file())
    assert {p.name for p in templates} >= {k.template for k in FIX_KINDS} | {"renovate.json"}
    for template in templates:
        assert template.read_text(encoding="utf-8").count("${template_marker}") == 1, template


def test_a_template_names_the_marker_only_through_its_placeholder(tmp_path: Path) -> None:
    (tmp_path / "CONTRIBUTING.md").write_text("# How to help\n\n> ${template_marker}\n")
    templates = TemplateSet.for_ruleset(str(tmp_path))
    kind = next(k for k in FIX_KINDS if k.rule == "contributing")

    text = fill(kind, "app", FillContext("Demo Agency", CONTACTS, None, templates), None)

    assert text == f"# How to help\n\n> {TEMPLATE_NOTE}\n"


def test_the_code_of_conduct_is_the_contributor_covenant_with_attribution() -> None:
    kind = next(k for k in FIX_KINDS if k.rule == "code-of-conduct")
    text = fill(kind, "app", _context(None), None)
    assert text.startswith("# Contributor Covenant Code of Conduct\n")
    assert "reported to the community leaders responsible for enforcement at\n" in text
    assert "conduct@agency.example.org.\n" in text
    assert "[v2.1]: https://www.contributor-covenant.org/version/2/1/code_of_conduct.html" in text
    assert "[INSERT CONTACT METHOD]" not in text


def test_security_policy_names_private_reporting_only_on_github() -> None:
    kind = next(k for k in FIX_KINDS if k.rule == "security-policy")
    on_github = fill(kind, "app", _context(GITHUB), None)
    on_gitlab = fill(kind, "app", _context(GITLAB), None)
    assert "security@agency.example.org" in on_github
    assert "private vulnerability reporting" in on_github
    assert "private vulnerability reporting" not in on_gitlab


def test_codeowners_names_every_maintainer() -> None:
    kind = next(k for k in FIX_KINDS if k.rule == "maintainers")
    text = fill(kind, "app", _context(GITHUB), None)
    assert text.splitlines()[-1] == "*  @agency/ospo lead@agency.example.org"


@pytest.mark.parametrize("spdx_id", ["MIT", "Apache-2.0"])
def test_licence_text_is_identified_as_the_licence_asked_for(
    tmp_path: Path, git_repo_factory: RepoFactory, spdx_id: str
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    (repo / "LICENSE").write_text(licence_text(spdx_id, "Demo Agency", 2026), encoding="utf-8")

    report = evaluate(repo)

    assert result(report, "license").outcome is Outcome.PASS
    assert report.licence is not None
    assert report.licence.expression == spdx_id


def test_a_ruleset_template_directory_overrides_the_bundled_template(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("# History of ${project}\n", encoding="utf-8")
    templates = TemplateSet.for_ruleset(str(tmp_path))
    context = FillContext("Demo Agency", CONTACTS, None, templates)
    changelog = next(k for k in FIX_KINDS if k.rule == "changelog")
    governance = next(k for k in FIX_KINDS if k.rule == "governance")

    assert fill(changelog, "app", context, None) == "# History of app\n"
    assert fill(governance, "app", context, None).startswith("# Governance of app\n")


def test_an_unknown_placeholder_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("Owner: ${owner}\n", encoding="utf-8")
    context = FillContext("Demo Agency", CONTACTS, None, TemplateSet.for_ruleset(str(tmp_path)))
    changelog = next(k for k in FIX_KINDS if k.rule == "changelog")

    with pytest.raises(ConfigError, match=r"unknown placeholder \$\{owner\}"):
        fill(changelog, "app", context, None)


def test_a_missing_template_directory_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="templates directory does not exist"):
        TemplateSet.for_ruleset(str(tmp_path / "nowhere"))


def test_a_ruleset_names_its_templates_relative_to_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "agency.toml").write_text(
        'id = "agency"\nextends = "un-ospo"\ntemplates = "tpl"\n', encoding="utf-8"
    )
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "team.toml").write_text(
        'id = "team"\nextends = "../agency.toml"\n', encoding="utf-8"
    )

    agency = load_ruleset(str(tmp_path / "agency.toml"), load_plugins=False)
    team = load_ruleset(str(tmp_path / "teams" / "team.toml"), load_plugins=False)

    assert agency.templates == str((tmp_path / "tpl").resolve())
    assert team.templates == str((tmp_path / "tpl").resolve())
    assert load_ruleset("un-ospo", load_plugins=False).templates is None
