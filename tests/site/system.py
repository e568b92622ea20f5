"""A small UN system on disk: two entities of real git repositories, audited by real
`ospo-scan scan` runs into a history store; one repository is private, names are hostile."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from tests.gitrepos import git, write_files

HOSTILE_ENTITY = '<script>alert("entity")</script>\u202eevil'
HOSTILE_REPOSITORY = '<img src=x onerror=alert(1)>\u202e&"q'
PRIVATE_REPOSITORY = "secret-plans"
README = "# App\n\nInstall with `pip install app`, then run `app --help` to see the usage.\n"
SECURITY = "# Security\n\nReport vulnerabilities privately to security@agency.example.org.\n"


class System:
    """Entities `agency` (a hostile display name, a private repository, a hostile repository
    name) and `bureau`, audited into `store`."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.home = home
        self.store = root / "history.sqlite3"
        self.agency = root / "agency"
        self.bureau = root / "bureau"
        write_files(
            self.agency,
            {
                "ospo-entity.toml": (
                    f"name = {_toml(HOSTILE_ENTITY)}\n"
                    f'[repositories."{PRIVATE_REPOSITORY}"]\nvisibility = "private"\n'
                    '[readiness.2026]\nospo = "established"\npolicy = "completed"\n'
                )
            },
        )
        self.add(self.agency / "app", {"README.md": README, "SECURITY.md": SECURITY})
        self.add(self.agency / PRIVATE_REPOSITORY, {"README.md": "# Plans\n"})
        self.add(self.agency / HOSTILE_REPOSITORY, {"README.md": "# <b>hostile</b>\n"})
        write_files(self.bureau, {"ospo-entity.toml": 'name = "bureau"\n'})
        self.add(self.bureau / "tool", {"README.md": README})
        self.add(self.bureau / "data", {"README.md": README, "LICENSE": MIT})

    def add(self, path: Path, files: dict[str, str]) -> None:
        path.mkdir(parents=True)
        git(path, "init", "--quiet", home=self.home)
        self.commit(path, files)

    def commit(self, path: Path, files: dict[str, str]) -> None:
        write_files(path, files)
        git(path, "add", "--all", home=self.home)
        git(path, "commit", "--quiet", "--allow-empty", "-m", "change", home=self.home)

    def audit(self, entity: Path, *extra: str) -> None:
        """One audit of an entity, every repository included, recorded into the store."""
        result = CliRunner().invoke(
            main,
            ["scan", str(entity), "--visibility", "all", "--history", str(self.store), *extra],
            catch_exceptions=False,
        )
        assert result.exit_code in (0, 1), result.stderr


def _toml(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E")
    return f'"{escaped}"'


MIT = (
    "MIT License\n\nCopyright (c) 2026 Bureau\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    'software and associated documentation files (the "Software"), to deal in the Software '
    "without restriction, including without limitation the rights to use, copy, modify, merge, "
    "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons "
    "to whom the Software is furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all copies or "
    "substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, '
    "INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR "
    "PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE "
    "FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR "
    "OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER "
    "DEALINGS IN THE SOFTWARE.\n"
)
