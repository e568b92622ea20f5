"""The reference tables: built from scancode's data, shipped or cached, used only when they
were built from the licence data installed."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ospo_scan.licences import reference_build, references
from ospo_scan.licences.normalise import licence_words, shipped_reference_words
from ospo_scan.licences.reference_build import build_tables, scancode_data, split_data_file
from ospo_scan.licences.reference_file import (
    data_fingerprint,
    data_stamp,
    open_tables,
    table_bytes,
    write_tables,
)
from ospo_scan.licences.references import (
    ExactTable,
    PassageIndex,
    exact_table,
    load_tables,
    passage_index,
    whole_text_hash,
)

BUILDING = "building the licence tables from scancode's licence texts"
LICENCES = ("mit", "apache-2.0", "bsd-new", "isc")
RULES = ("mit_12", "apache-2.0_17", "gpl-3.0_33")


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OSPO_SCAN_CACHE_DIR", str(tmp_path))
    for cached in (exact_table, passage_index, references._tables):
        cached.cache_clear()
    yield tmp_path
    for cached in (exact_table, passage_index, references._tables):
        cached.cache_clear()


def _scancode_like(root: Path) -> Path:
    """A site directory holding a small copy of scancode's licence data, as installed."""
    installed = scancode_data()
    data = root / "site" / "licensedcode" / "data"
    (data / "licenses").mkdir(parents=True)
    (data / "rules").mkdir()
    for key in LICENCES:
        shutil.copy(installed / "licenses" / f"{key}.LICENSE", data / "licenses")
    for rule in RULES:
        shutil.copy(installed / "rules" / f"{rule}.RULE", data / "rules")
    return data


def _record(data: Path) -> Path:
    """scancode's RECORD beside the data, as pip writes it: path, sha256, size."""
    lines = []
    for path in sorted(data.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            relative = path.relative_to(data.parent.parent).as_posix()
            lines.append(f"{relative},sha256={digest},{path.stat().st_size}")
    record = data.parent.parent / "scancode_toolkit-32.5.0.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return record


def _notices(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ospo_scan.notices"]


@pytest.fixture
def notices(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="ospo_scan.notices")
    return caplog


def test_tables_are_built_once_then_loaded_from_the_cache(
    tmp_path: Path, notices: pytest.LogCaptureFixture
) -> None:
    data = _scancode_like(tmp_path)
    cache = tmp_path / "cache"
    built = ExactTable(load_tables(data, tmp_path / "none.bin", cache))
    assert len(_notices(notices)) == 1
    assert _notices(notices)[0].startswith(BUILDING)
    assert [p.name.startswith("licence-tables-") for p in cache.iterdir()] == [True]

    loaded = load_tables(data, tmp_path / "none.bin", cache)
    assert len(_notices(notices)) == 1  # not built again
    exact, index = ExactTable(loaded), PassageIndex(loaded)
    assert exact.build == built.build == data_fingerprint(data)
    assert exact.vocabulary == built.vocabulary
    spdx = {exact.spdx_keys[key] for key in LICENCES}
    assert spdx == {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC"}
    mit = next(r for r in index.references if r.origin == "licenses/mit.LICENSE")
    assert exact.whole_text(whole_text_hash(mit.words)) == ("mit", "licenses/mit.LICENSE", True)
    assert len(index.references) == len(index.sampled_counts) == len(LICENCES) + 1


def test_shipped_tables_are_used_when_built_from_the_installed_data(
    tmp_path: Path, notices: pytest.LogCaptureFixture
) -> None:
    data = _scancode_like(tmp_path)
    shipped = tmp_path / "wheel" / "licence-tables.bin"
    write_tables(shipped, build_tables(data, data_fingerprint(data)))
    cache = tmp_path / "cache"
    tables = load_tables(data, shipped, cache)
    assert tables.fingerprint == data_fingerprint(data)
    assert _notices(notices) == []
    assert not cache.exists() or not list(cache.glob("licence-tables-*"))


def test_shipped_tables_of_other_data_are_not_used_the_installed_data_is_built(
    tmp_path: Path, notices: pytest.LogCaptureFixture
) -> None:
    data = _scancode_like(tmp_path)
    shipped = tmp_path / "wheel" / "licence-tables.bin"
    write_tables(shipped, build_tables(data, data_fingerprint(data)))
    mit = data / "licenses" / "mit.LICENSE"
    mit.write_text(mit.read_text(encoding="utf-8") + "\nAn added sentence of the licence.\n")
    tables = load_tables(data, shipped, tmp_path / "cache")
    assert _notices(notices)[0].startswith(BUILDING)
    assert tables.fingerprint == data_fingerprint(data) != open_header_fingerprint(shipped)
    index = PassageIndex(tables)
    words = next(r.words for r in index.references if r.origin == "licenses/mit.LICENSE")
    spelled = {n: w for w, n in ExactTable(tables).vocabulary.items()}
    assert [spelled[n] for n in words[-6:]] == ["an", "added", "sentence", "of", "the", "license"]


def open_header_fingerprint(path: Path) -> str:
    text = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    return text.split('"fingerprint":"')[1].split('"')[0]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_damaged_shipped_or_cached_tables_are_rebuilt(
    tmp_path: Path, notices: pytest.LogCaptureFixture, damage: str
) -> None:
    data = _scancode_like(tmp_path)
    fingerprint = data_fingerprint(data)
    good = table_bytes(build_tables(data, fingerprint))
    damaged = {
        "truncated": good[: len(good) // 2],
        "flipped": good[:-10] + bytes([good[-10] ^ 0xFF]) + good[-9:],
        "garbage": b"not tables at all" * 100,
        "empty": b"",
    }[damage]
    shipped = tmp_path / "wheel" / "licence-tables.bin"
    shipped.parent.mkdir()
    shipped.write_bytes(damaged)
    cache = tmp_path / "cache"
    cache.mkdir()
    cached = cache / f"licence-tables-{fingerprint[:32]}.bin"
    cached.write_bytes(damaged)
    assert open_tables(shipped, fingerprint) is None
    tables = load_tables(data, shipped, cache)
    assert _notices(notices)[0].startswith(BUILDING)
    assert cached.read_bytes() == good
    assert len(PassageIndex(tables).references) == len(LICENCES) + 1


def test_the_same_data_gives_the_same_bytes(tmp_path: Path) -> None:
    data = _scancode_like(tmp_path)
    first = table_bytes(build_tables(data, "a fingerprint"))
    assert table_bytes(build_tables(data, "a fingerprint")) == first


def test_the_fingerprint_follows_scancode_s_record_of_its_data(tmp_path: Path) -> None:
    data = _scancode_like(tmp_path)
    by_files = data_fingerprint(data)
    assert data_stamp(data) is None  # no RECORD: the fingerprint is computed from the files
    record = _record(data)
    by_record = data_fingerprint(data)
    assert by_record != by_files
    stamp = data_stamp(data)
    assert stamp is not None
    os.utime(data / "licenses" / "mit.LICENSE", ns=(1, 1))
    assert data_fingerprint(data) == by_record  # the same files as recorded: same digest
    record.write_text(record.read_text().replace("sha256=", "sha256=0"), encoding="utf-8")
    assert data_fingerprint(data) != by_record
    assert data_stamp(data) != stamp


def test_the_fingerprint_of_an_installation_is_remembered_in_the_cache(
    tmp_path: Path, notices: pytest.LogCaptureFixture
) -> None:
    data = _scancode_like(tmp_path)
    _record(data)
    cache = tmp_path / "cache"
    tables = load_tables(data, tmp_path / "none.bin", cache)
    remembered = cache / f"licence-data-{data_stamp(data)}.txt"
    assert remembered.read_text(encoding="ascii") == tables.fingerprint == data_fingerprint(data)
    assert load_tables(data, tmp_path / "none.bin", cache).fingerprint == tables.fingerprint
    assert len(_notices(notices)) == 1


@pytest.mark.scancode
def test_the_installed_scancode_s_tables_load_from_the_cache(fresh_cache: Path) -> None:
    exact, index = exact_table(), passage_index()
    assert exact.build == index.build
    assert exact.spdx_keys["apache-2.0"] == "Apache-2.0"
    assert len(index.references) == len(index.sampled_counts) > 10_000
    assert [p.name[:15] for p in sorted(fresh_cache.glob("licence-tables-*"))] == [
        "licence-tables-"
    ]


def _words_the_old_way(text: str) -> tuple[list[str], int]:
    """What the table build computed before: the RE2 path twice, with and without copyright."""
    words = licence_words(text)
    return words, len(licence_words(text, keep_copyright=True)) - len(words)


@pytest.mark.parametrize(
    "text",
    [
        "Copyright (c) 2024 Example\n\nPermission is hereby granted, free of charge\n",
        "Permission is granted\r\nto [use](http://example.org/use) it\r\n",
        "See [the\x0cterms](http://example.org/terms) and [name of author]\n",
        "<html><head><title>MIT</title></head><body>Copyright &copy; 2020</body></html>",
        "© Example\n<style>p {}</style><!-- note --> WWW licences apply",
        "No newline at the end, no copyright",
        "",
    ],
)
def test_shipped_reference_words_are_the_words_the_scanner_gives_a_text(text: str) -> None:
    assert shipped_reference_words(text) == _words_the_old_way(text)


@pytest.mark.scancode
def test_every_shipped_text_in_a_sample_gives_the_same_words_both_ways() -> None:
    texts = [text for _, _, text, _ in reference_build.reference_texts(scancode_data())]
    sample = texts[::20] + [t for t in texts[::5] if "opyright" in t or "©" in t]
    assert len(sample) > 1000
    for text in sample:
        assert shipped_reference_words(text) == _words_the_old_way(text), text[:200]


@pytest.mark.scancode
def test_the_built_tables_hold_each_reference_as_the_scanner_reads_it() -> None:
    data = scancode_data()
    built = build_tables(data, "fingerprint")
    assert len(set(built.vocabulary)) == len(built.vocabulary)
    first_seen: dict[str, None] = {}
    for ids in built.words:
        first_seen.update(dict.fromkeys(built.vocabulary[n - 1] for n in ids))
    assert list(first_seen) == built.vocabulary
    for number in range(0, len(built.words), 40):
        split = split_data_file(data / built.origins[number])
        assert split is not None
        words, stripped = _words_the_old_way(split[1])
        assert [built.vocabulary[n - 1] for n in built.words[number]] == words
        assert built.stripped[number] == stripped
        assert whole_text_hash(built.words[number]) in built.whole_texts
