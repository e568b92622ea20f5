"""The error family of ospo-scan.

Every error carries a one-line, user-facing message and an optional hint. Core modules raise
these; only the CLI decides how an error becomes an exit code (see `exit_code`).
"""

from __future__ import annotations


class OspoScanError(Exception):
    """Base of every error ospo-scan reports to its user."""

    exit_code: int = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and hint as one line, fit for a terminal or a log."""
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class UsageError(OspoScanError):
    """A bad target, option or rule id given on the command line."""


class ConfigError(OspoScanError):
    """A malformed ruleset, entity file or `.ospo-scan.toml`, located by file, line and key."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = path if line is None else f"{path}:{line}"
        if key:
            where = f"{where}: {key}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line
        self.key = key


class ConnectorError(OspoScanError):
    """A host or directory could not be enumerated at all (bad token, unknown organisation)."""

    exit_code = 3


class RepositoryError(OspoScanError):
    """One repository could not be read; the scan of the others goes on."""

    exit_code = 3


class TargetRejected(ConnectorError):
    """Nothing was scanned because of what the user gave: an unknown organisation or group, a
    rejected or missing token. A configuration error, not an incomplete scan."""

    exit_code = 2
