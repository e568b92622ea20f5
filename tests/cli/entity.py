"""A small entity of real git repositories whose compliance the tests change between scans."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from tests.gitrepos import git, write_files

README = "# App\n\nInstall with `pip install app`, then run `app --help` to see the usage.\n"
SECURITY = "# Security\n\nReport vulnerabilities privately to security@agency.example.org.\n"


class Entity:
    """Two repositories, `app` and `lib`, under one directory; helpers to change them."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.home = home
        for name, files in (
            ("app", {"README.md": README, "SECURITY.md": SECURITY}),
            ("lib", {"README.md": README}),
        ):
            self.add(name, files)

    def add(self, name: str, files: dict[str, str]) -> Path:
        path = self.root / name
        path.mkdir(parents=True)
        git(path, "init", "--quiet", home=self.home)
        self.commit(name, files)
        return path

    def commit(self, name: str, files: dict[str, str]) -> None:
        path = self.root / name
        write_files(path, files)
        git(path, "add", "--all", home=self.home)
        git(path, "commit", "--quiet", "--allow-empty", "-m", "change", home=self.home)

    def remove(self, name: str, file: str) -> None:
        git(self.root / name, "rm", "--quiet", file, home=self.home)
        git(self.root / name, "commit", "--quiet", "-m", f"remove {file}", home=self.home)

    def head(self, name: str) -> str:
        return git(self.root / name, "rev-parse", "HEAD", home=self.home).strip()


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def run_bytes(*arguments: str) -> tuple[int, bytes]:
    """The exit code and standard output as bytes, line endings untouched (CSV has CRLF)."""
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes
