"""The Baseline's tree controls on real git repositories: the dependency list (OSPS-QA-02.01)
and binary artefacts in version control (OSPS-QA-05.01, OSPS-QA-05.02)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.local.tree import count_file_types
from ospo_scan.model import EvidenceSource, Outcome, RuleResult
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.scanning import local_snapshot, result

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)


def _result(repo: Path, rule: str, *, walk_bound: int | None = None) -> RuleResult:
    snapshot = local_snapshot(repo)
    if walk_bound is not None:
        snapshot = replace(snapshot, file_counter=partial(count_file_types, repo, limit=walk_bound))
    ruleset = load_ruleset("osps-baseline", load_plugins=False)
    return result(evaluate_repository(snapshot, ruleset), rule)


@pytest.mark.parametrize(
    ("files", "listed"),
    [
        (
            {"requirements.txt": "requests==2.32.3\n", "app.py": "import requests\n"},
            "requirements.txt (Python)",
        ),
        (
            {"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"},
            "pyproject.toml (Python)",
        ),
        ({"go.mod": "module example.org/x\n", "main.go": "package main\n"}, "go.mod (Go)"),
        (
            {"Api.csproj": "<Project />\n", "Program.cs": "class P {}\n"},
            "Api.csproj (.NET (NuGet))",
        ),
        ({"package.json": "{}", "index.js": ""}, "package.json (JavaScript/TypeScript (npm))"),
    ],
)
def test_a_dependency_list_at_the_root_passes(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], listed: str
) -> None:
    found = _result(git_repo_factory(tmp_path / "r", files), "dependency-list")

    assert found.outcome is Outcome.PASS
    assert found.message == f"Dependencies are listed in {listed}."
    assert found.evidence[0].source is EvidenceSource.MANIFEST


def test_code_at_the_root_without_a_list_fails(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "r",
        {"pyproject.toml": "[tool.black]\nline-length = 100\n", "clean.py": "import pandas\n"},
    )

    found = _result(repo, "dependency-list")

    assert found.outcome is Outcome.FAIL
    assert (
        found.message
        == "The repository holds Python (1 file(s)) code but no dependency list at its root."
    )
    assert [e.path for e in found.evidence] == ["clean.py"]


def test_code_only_in_subdirectories_is_unknown(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "r",
        {"api/main.go": "package main\n", "api/go.mod": "module x\n", "web/app.ts": ""},
    )

    found = _result(repo, "dependency-list")

    assert found.outcome is Outcome.UNKNOWN
    assert "lies in subdirectories (web/app.ts, api/main.go)" in found.message
    assert "What would settle it:" in found.message


def test_code_no_package_manager_serves_is_not_applicable(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"main.c": "int main(void) {}\n", "Makefile": "all:\n"})

    assert _result(repo, "dependency-list").outcome is Outcome.NOT_APPLICABLE


def test_an_unfinished_walk_that_found_no_code_is_unknown(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    files = {f"notes{i}.md": "x\n" for i in range(5)}
    repo = git_repo_factory(tmp_path / "r", {**files, "src/deep/app.py": "x = 1\n"})

    found = _result(repo, "dependency-list", walk_bound=3)

    assert found.outcome is Outcome.UNKNOWN
    assert "first 3 files counted" in found.message


def test_a_clean_tree_passes_both_artefact_controls(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "r",
        {
            "src/app.py": "x = 1\n",
            "docs/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(16),
            "fonts/Inter.woff2": bytes(32),
            "data/points.csv": "a,b\n",
        },
    )

    for rule in ("no-generated-executables", "no-binary-artefacts"):
        found = _result(repo, rule)
        assert found.outcome is Outcome.PASS, rule
        assert "None of the tree's 4 files" in found.message


def test_committed_executables_fail_both_controls_naming_the_files(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "r",
        {"src/app.py": "x = 1\n", "lib/libfast.so": ELF, "tools/helper.jar": b"PK\x03\x04"},
    )

    for rule in ("no-generated-executables", "no-binary-artefacts"):
        found = _result(repo, rule)
        assert found.outcome is Outcome.FAIL, rule
        assert found.message.startswith("2 file(s) in version control are ")
        assert found.message.endswith(": tools/helper.jar, lib/libfast.so.")
        assert [e.path for e in found.evidence] == ["tools/helper.jar", "lib/libfast.so"]


def test_an_archive_is_unreviewable_but_not_an_executable(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"src/app.py": "x\n", "vendor.tar.gz": b"\x1f\x8b"})

    assert _result(repo, "no-generated-executables").outcome is Outcome.PASS
    found = _result(repo, "no-binary-artefacts")
    assert found.outcome is Outcome.FAIL
    assert [e.path for e in found.evidence] == ["vendor.tar.gz"]


def test_an_unfinished_walk_is_unknown_when_clean_and_fails_when_not(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    clean = git_repo_factory(
        tmp_path / "clean", {**{f"n{i}.md": "x\n" for i in range(5)}, "deep/x/tool.exe": b"MZ"}
    )
    dirty = git_repo_factory(tmp_path / "dirty", {f"lib{i}.dll": b"MZ" for i in range(4)})

    unseen = _result(clean, "no-binary-artefacts", walk_bound=3)
    seen = _result(dirty, "no-binary-artefacts", walk_bound=3)

    assert unseen.outcome is Outcome.UNKNOWN
    assert "None of the first 3 files counted" in unseen.message
    assert seen.outcome is Outcome.FAIL
    assert seen.message.startswith("3 file(s) in version control")


def test_a_tree_that_cannot_be_counted_is_unknown(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})
    snapshot = replace(local_snapshot(repo), file_counter=lambda: None)
    ruleset = load_ruleset("osps-baseline", load_plugins=False)

    report = evaluate_repository(snapshot, ruleset)

    for rule in ("no-generated-executables", "no-binary-artefacts", "dependency-list"):
        assert result(report, rule).outcome is Outcome.UNKNOWN, rule
