"""Whether scancode's own licence index is built decides the first-run notice."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.licences.scancode import index_cached, licensedcode_cache

_MODULE = licensedcode_cache()  # imported through ospo-scan, which cleans up after scancode
LICENSE_INDEX_DIR = str(_MODULE.LICENSE_INDEX_DIR)
LICENSE_INDEX_FILENAME = str(_MODULE.LICENSE_INDEX_FILENAME)


def test_an_empty_cache_directory_has_no_index(tmp_path: Path) -> None:
    assert index_cached(str(tmp_path)) is False


def test_an_empty_index_file_is_not_an_index(tmp_path: Path) -> None:
    (tmp_path / LICENSE_INDEX_DIR).mkdir()
    (tmp_path / LICENSE_INDEX_DIR / LICENSE_INDEX_FILENAME).write_bytes(b"")
    assert index_cached(str(tmp_path)) is False


def test_a_built_index_is_found(tmp_path: Path) -> None:
    (tmp_path / LICENSE_INDEX_DIR).mkdir()
    (tmp_path / LICENSE_INDEX_DIR / LICENSE_INDEX_FILENAME).write_bytes(b"index")
    assert index_cached(str(tmp_path)) is True
