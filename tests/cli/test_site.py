"""`ospo-scan site`'s bad inputs: one line on stderr and the SPEC's exit code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.history.store import open_store


def _site(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["site", *arguments], catch_exceptions=False)
    return result.exit_code, result.stderr


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    code, err = _site("--history", str(missing), "--output", str(tmp_path / "site"))
    assert code == 2
    assert err == f"ospo-scan: error: no history store at {missing}\n"
    assert not (tmp_path / "site").exists()


def test_a_file_that_is_not_a_store_is_a_usage_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database\n", encoding="utf-8")
    code, err = _site("--history", str(bogus), "--output", str(tmp_path / "site"))
    assert code == 2
    assert len(err.splitlines()) == 1
    assert str(bogus) in err
    assert bogus.read_text(encoding="utf-8") == "not a database\n"


def test_a_store_without_audits_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    open_store(empty).close()
    code, err = _site("--history", str(empty), "--output", str(tmp_path / "site"))
    assert code == 2
    assert err.startswith("ospo-scan: error: no audit in the history stores or inputs")
    assert len(err.splitlines()) == 1


def test_the_store_option_is_required(tmp_path: Path) -> None:
    code, err = _site("--output", str(tmp_path / "site"))
    assert code == 2
    assert "--history" in err
