"""A malformed `ospo-entity.toml` is a configuration error naming its file, line and key."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.errors import ConfigError, OspoScanError
from tests.gitrepos import write_files


def open_error(entity: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        LocalConnector().open(Target(TargetKind.LOCAL, str(entity)), ScanOptions())
    return caught.value


def entity_with(tmp_path: Path, toml: str | bytes) -> Path:
    entity = tmp_path / "agency"
    write_files(entity, {"ospo-entity.toml": toml, "app/README.md": "# App\n"})
    return entity


@pytest.mark.parametrize(
    ("toml", "line", "key", "message"),
    [
        (
            'name = "Agency"\nnmae = "typo"\n',
            2,
            "nmae",
            "unknown key (allowed: contacts, description, exemptions, metadata, name, principles, "
            "readiness, repositories, ruleset, survey-year, url)",
        ),
        ('name = "Agency"\n\n[owner]\nemail = "x@example.org"\n', 3, "owner", "unknown key"),
        ("ruleset = 1\n", 1, "ruleset", "must be a string"),
        ('name = "A"\n[metadata]\ncountry = "CH"\nfounded = 2019\n', 4, "metadata.founded", None),
        ('metadata = "flat"\n', 1, "metadata", "must be a table"),
        (
            "[repositories.app]\narchived = false\n\n[repositories.app.extra]\n",
            4,
            "repositories.app.extra",
            "unknown key",
        ),
        (
            '[repositories.app]\ndescription = "ok"\narchvied = true\n',
            3,
            "repositories.app.archvied",
            "unknown key (allowed: archived, description, fork, topics, visibility)",
        ),
        ('[repositories.app]\narchived = "yes"\n', 2, "repositories.app.archived", None),
        ("[repositories.app]\ntopics = [1, 2]\n", 2, "repositories.app.topics", None),
        (
            '[repositories.app]\nvisibility = "secret"\n',
            2,
            "repositories.app.visibility",
            "must be one of public, private, internal",
        ),
        (
            'name = "A"\n\n[repositories.ghost]\nfork = true\n',
            3,
            "repositories.ghost",
            "no repository directory of that name",
        ),
        ('[repositories]\napp = { fork = "no" }\n', 2, "repositories.app.fork", None),
    ],
)
def test_a_bad_key_is_located(
    tmp_path: Path, toml: str, line: int, key: str, message: str | None
) -> None:
    entity = entity_with(tmp_path, toml)

    error = open_error(entity)

    path = str(entity / "ospo-entity.toml")
    assert (error.path, error.line, error.key) == (path, line, key)
    assert error.one_line().startswith(f"{path}:{line}: {key}: ")
    if message is not None:
        assert error.message.startswith(f"{path}:{line}: {key}: {message}")
    assert "\n" not in error.one_line()
    assert error.exit_code == 2


def test_a_toml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    entity = entity_with(tmp_path, 'name = "Agency"\ndescription = \n')

    error = open_error(entity)

    path = str(entity / "ospo-entity.toml")
    assert (error.path, error.line, error.key) == (path, 2, None)
    assert error.one_line() == f"{path}:2: invalid TOML: Invalid value"


def test_an_entity_file_that_is_not_utf8_gives_its_line(tmp_path: Path) -> None:
    entity = entity_with(tmp_path, b'name = "Agency"\ndescription = "Agence de sant\xe9"\n')

    error = open_error(entity)

    assert error.line == 2
    assert error.one_line().endswith("ospo-entity.toml:2: not valid UTF-8")


def test_an_entity_file_that_is_a_fifo_is_not_opened(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(entity, {"app/README.md": "# App\n"})
    os.mkfifo(entity / "ospo-entity.toml")
    errors: list[OspoScanError] = []

    def scan() -> None:
        errors.append(open_error(entity))

    worker = threading.Thread(target=scan, daemon=True)
    worker.start()
    worker.join(timeout=60)  # a guard against hanging the suite, not a speed check

    assert not worker.is_alive(), "opening the FIFO blocked"
    (error,) = errors
    path = str(entity / "ospo-entity.toml")
    assert error.one_line() == f"{path}: cannot read the entity file: not a regular file"


def test_an_empty_entity_file_is_valid(tmp_path: Path) -> None:
    entity = entity_with(tmp_path, "")

    source = LocalConnector().open(Target(TargetKind.LOCAL, str(entity)), ScanOptions())

    assert source.name == "agency"
    assert source.profile is not None
    assert source.profile.metadata == {}
    assert [r.name for r in source.repositories] == ["app"]
