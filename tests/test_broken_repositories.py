"""One broken repository becomes that repository's error row; the report is always written."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.scanning import validated

DEEP_TOML = "a = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_YAML = "publiccodeYmlVersion: " + "[" * 5000 + "]" * 5000 + "\n"
README = "# Tool\n\nInstall it with pip install tool, then run tool --help to see the commands.\n"


def _nest(directory: Path, levels: int) -> Path:
    """`levels` directories inside `directory`, made one at a time (no recursion)."""
    for _ in range(levels):
        directory = directory / "a"
        directory.mkdir()
    return directory


def _unnest(directory: Path) -> None:
    """Remove a deep tree without recursion (pytest's own clean-up would recurse too deep)."""
    visited = []
    pending = [directory]
    while pending:
        current = pending.pop()
        visited.append(current)
        for entry in os.scandir(current):
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            else:
                Path(entry.path).unlink()
    for emptied in reversed(visited):
        emptied.rmdir()


def _scan_json(entity: Path, tmp_path: Path) -> tuple[int, dict[str, dict[str, object]], str]:
    output = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["scan", str(entity), "--output", str(output)], catch_exceptions=False
    )
    report = validated(json.loads(output.read_text(encoding="utf-8")))
    return result.exit_code, {r["name"]: r for r in report["repositories"]}, result.stderr


def test_broken_repositories_become_error_rows_and_the_report_is_written(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "good", {"README.md": README})
    nul = git_repo_factory(entity / "nul-gitdir", {"README.md": README})
    shutil.rmtree(nul / ".git")
    (nul / ".git").write_bytes(b"gitdir: foo\0bar\n")
    git_repo_factory(entity / "deep-publiccode", {"publiccode.yml": DEEP_YAML})

    code, repos, stderr = _scan_json(entity, tmp_path)

    assert code == 3, stderr
    assert set(repos) == {"good", "nul-gitdir", "deep-publiccode"}
    assert repos["good"]["status"] == "ok"
    assert repos["nul-gitdir"]["status"] == "error"
    assert "NUL byte" in str(repos["nul-gitdir"]["error"])
    assert repos["deep-publiccode"]["status"] == "ok"
    results = repos["deep-publiccode"]["results"]
    assert isinstance(results, list)
    (publiccode,) = [r for r in results if r["rule"] == "publiccode"]
    assert publiccode["outcome"] == "partial"
    assert "nests too deeply" in publiccode["message"]
    assert "internal error" not in stderr


def test_deep_refs_and_deep_exemptions_are_scanned(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "good", {"README.md": README})
    unborn = git_repo_factory(entity / "deep-refs", {"README.md": README}, commit=False)
    bottom = _nest(unborn / ".git" / "refs" / "heads", 1200)
    (bottom / "branch").write_text("0" * 40 + "\n", encoding="ascii")
    git_repo_factory(entity / "deep-exemptions", {".ospo-scan.toml": DEEP_TOML})

    try:
        code, repos, stderr = _scan_json(entity, tmp_path)
    finally:
        _unnest(unborn / ".git" / "refs" / "heads" / "a")

    assert code == 0, stderr
    assert {name: repo["status"] for name, repo in repos.items()} == {
        "good": "ok",
        "deep-refs": "ok",
        "deep-exemptions": "ok",
    }
    warnings = repos["deep-exemptions"]["warnings"]
    assert isinstance(warnings, list)
    assert any("nested too deeply" in w and "exemptions were ignored" in w for w in warnings)


def test_a_deeply_nested_ruleset_is_a_usage_error(tmp_path: Path) -> None:
    ruleset = tmp_path / "deep.toml"
    ruleset.write_text(DEEP_TOML, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--ruleset", str(ruleset)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{ruleset}: invalid TOML: arrays or tables nested too deeply" in result.stderr


def test_a_deeply_nested_entity_file_is_a_usage_error(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(entity / "good", {"README.md": README})
    (entity / "ospo-entity.toml").write_text(DEEP_TOML, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(entity)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "ospo-entity.toml: invalid TOML: arrays or tables nested too deeply" in result.stderr
    assert os.fspath(entity) in result.stderr
