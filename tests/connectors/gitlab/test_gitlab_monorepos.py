"""A monorepo on GitLab: the scan lists only the root and a few fixed folders, so the rules see
the workspace but not its packages' files, and say so."""

from __future__ import annotations

import json

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.scan.scanner import Scanner
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject
from tests.connectors.gitlab.groups import MIT


def test_a_gitlab_monorepo_says_its_packages_were_not_looked_at(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    instance = FakeInstance()
    instance.add_project(
        FakeProject.from_texts(
            "agency/toolkit",
            {
                "README.md": "# Toolkit\n\nShared form components. Install with npm install.\n",
                "package.json": json.dumps({"private": True, "workspaces": ["packages/*"]}),
                "packages/forms/package.json": '{"name": "@agency/forms"}',
                "packages/forms/LICENSE": MIT,
            },
        )
    )
    fake = fake_gitlab(instance)
    ruleset = load_ruleset("un-ospo", load_plugins=False)

    report = Scanner(ruleset, ScanOptions(gitlab_url=fake.url)).scan(["gitlab:agency/toolkit"])

    (toolkit,) = report.repositories
    licence = next(r for r in toolkit.results if r.rule == "license")
    assert licence.message == (
        "No licence file found; package.json (packages/*) declares a workspace whose package "
        "directories this scan does not list (GitLab scans list only the root and a few fixed "
        "folders); scan a clone to judge each package's files."
    )
