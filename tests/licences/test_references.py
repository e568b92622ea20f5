"""The reference tables built from scancode's data and cached on disk."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ospo_scan.licences import references
from ospo_scan.licences.normalise import licence_words, shipped_reference_words
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
    texts = [text for _, _, text, _ in references._texts(references._scancode_data())]
    sample = texts[::20] + [t for t in texts[::5] if "opyright" in t or "©" in t]
    assert len(sample) > 1000
    for text in sample:
        assert shipped_reference_words(text) == _words_the_old_way(text), text[:200]


@pytest.mark.scancode
def test_the_built_tables_hold_each_reference_as_the_scanner_reads_it() -> None:
    exact, index = references.build_tables()
    spelled = {number: word for word, number in exact.vocabulary.items()}
    assert sorted(spelled) == list(range(1, len(spelled) + 1))
    data = references._scancode_data()
    first_seen: dict[str, None] = {}
    for reference in index.references:
        first_seen.update(dict.fromkeys(spelled[n] for n in reference.words))
    assert list(first_seen) == sorted(exact.vocabulary, key=exact.vocabulary.__getitem__)
    for reference in index.references[::40]:
        split = references._split_data_file(data / reference.origin)
        assert split is not None
        words, stripped = _words_the_old_way(split[1])
        assert [spelled[n] for n in reference.words] == words
        assert reference.stripped == stripped
        assert references.whole_text_hash(reference.words) in exact.whole_texts
