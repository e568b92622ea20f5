"""Local entities of real git repositories for fix-mode tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema

from tests.conftest import RepoFactory
from tests.gitrepos import FileContent

CONTACTS_TOML = """
[contacts]
security = "security@agency.example.org"
conduct = "conduct@agency.example.org"
maintainers = ["@agency/ospo"]
"""
MIT = (
    "MIT License\n\nCopyright (c) 2024 Agency\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software "
    'and associated documentation files (the "Software"), to deal in the Software without '
    "restriction, including without limitation the rights to use, copy, modify, merge, publish, "
    "distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the "
    "Software is furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all copies or "
    "substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING '
    "BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND "
    "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, "
    "DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, "
    "ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN "
    "THE SOFTWARE.\n"
)


def make_entity(
    root: Path,
    factory: RepoFactory,
    *,
    contacts: bool,
    defaults: Mapping[str, FileContent] | None = None,
    extra: Mapping[str, Mapping[str, FileContent]] | None = None,
) -> Path:
    """An entity directory of git repositories `api` (MIT, npm) and `web` (pip, no licence),
    with an `ospo-entity.toml` (with `[contacts]` when `contacts`) and, when `defaults` is given,
    a `.github` defaults repository holding those files."""
    entity = root / "entity"
    entity.mkdir()
    profile = 'name = "Demo Agency"\n' + (CONTACTS_TOML if contacts else "")
    (entity / "ospo-entity.toml").write_text(profile, encoding="utf-8")
    files: dict[str, dict[str, FileContent]] = {
        "api": {
            "README.md": "# API\n\nThe public API.\n\nInstall with npm install; run npm start.\n",
            "LICENSE": MIT,
            "package.json": '{"name": "api", "license": "MIT"}\n',
        },
        "web": {
            "README.md": "# Web\n\nThe web site.\n\nInstall with pip install web; run web.\n",
            "pyproject.toml": '[project]\nname = "web"\n',
        },
    }
    for name, more in (extra or {}).items():
        files[name].update(more)
    for name, content in files.items():
        factory(entity / name, content)
    if defaults is not None:
        factory(entity / ".github", {"README.md": "# Defaults\n", **defaults})
    return entity


@cache
def fix_plan_schema() -> dict[str, Any]:
    text = (files("ospo_scan") / "schema" / "fix-plan-v1.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validated_plan(document: dict[str, Any]) -> dict[str, Any]:
    """The `fix --format json` document, after checking it against the shipped schema."""
    jsonschema.validate(document, fix_plan_schema(), cls=jsonschema.Draft202012Validator)
    return document
