"""The reference tables built from scancode's data and cached on disk."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ospo_scan.licences import references
from ospo_scan.licences.references import ExactTable, PassageIndex, exact_table, passage_index


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OSPO_SCAN_CACHE_DIR", str(tmp_path))
    exact_table.cache_clear()
    passage_index.cache_clear()
    yield tmp_path
    exact_table.cache_clear()
    passage_index.cache_clear()


@pytest.mark.scancode
def test_tables_are_built_once_then_loaded_from_the_cache(
    fresh_cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ospo_scan.notices")
    built = exact_table()
    assert [r.getMessage() for r in caplog.records] == [
        "building the licence tables from scancode's licence texts; this takes a while once, "
        f"then they are cached in {fresh_cache}"
    ]
    files = sorted(p.name for p in fresh_cache.iterdir())
    assert len(files) == 2
    assert files[0].startswith("licence-exact-scancode")
    assert files[1].startswith("licence-passages-scancode")
    assert passage_index().build == built.build

    exact_table.cache_clear()
    passage_index.cache_clear()
    loaded = exact_table()
    assert loaded.build == built.build
    assert loaded.whole_texts == built.whole_texts
    assert passage_index().build == built.build
    assert len(passage_index().references) == len(passage_index().sampled_counts)


def test_a_damaged_cache_file_is_not_trusted(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pickle"
    damaged.write_bytes(b"not a pickle at all")
    assert references._load(damaged, ExactTable) is None
    assert references._load(tmp_path / "missing.pickle", PassageIndex) is None
