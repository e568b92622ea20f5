"""The options of every command that reads a host: which repositories, where the host is, which
token, and how long to wait for it. One definition, so `scan` and `fix` check them alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ospo_scan.cli._common import FiniteFloatRange, SourcedOption
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.errors import UsageError
from ospo_scan.scan.targets import CREDENTIALS_HINT
from ospo_scan.untrusted.redaction import has_credentials, without_credentials

Command = TypeVar("Command", bound=Callable[..., Any])

_OPTIONS = (
    click.option(
        "--visibility",
        cls=SourcedOption,
        type=click.Choice(["public", "private", "all"]),
        default="public",
        show_default=True,
    ),
    click.option(
        "--github-url",
        default=None,
        envvar="OSPO_SCAN_GITHUB_URL",
        help="GitHub Enterprise Server API root.",
    ),
    click.option(
        "--gitlab-url",
        default=None,
        envvar="OSPO_SCAN_GITLAB_URL",
        help="Self-managed GitLab instance URL.",
    ),
    click.option(
        "--token-env",
        default=None,
        envvar="OSPO_SCAN_TOKEN_ENV",
        metavar="NAME",
        help="Environment variable holding the host token (instead of GITHUB_TOKEN/GITLAB_TOKEN).",
    ),
    click.option(
        "--max-wait",
        cls=SourcedOption,
        type=FiniteFloatRange(0),
        default=900.0,
        show_default=True,
        help="Seconds the command may spend, in all, waiting for rate limits and retrying a host.",
    ),
)


def host_options(command: Command) -> Command:
    """Add --visibility, --github-url, --gitlab-url, --token-env and --max-wait."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def host_scan_options(
    visibility: str,
    github_url: str | None,
    gitlab_url: str | None,
    token_env: str | None,
    max_wait: float,
    **more: Any,
) -> ScanOptions:
    """The connectors' options; a host URL carrying credentials is a usage error."""
    for option, url in (("--github-url", github_url), ("--gitlab-url", gitlab_url)):
        if url and has_credentials(url):
            raise UsageError(
                f"{option} {without_credentials(url)}: a URL with credentials is not accepted",
                hint=CREDENTIALS_HINT,
            )
    return ScanOptions(
        visibility=visibility,
        github_url=github_url,
        gitlab_url=gitlab_url,
        token_env=token_env,
        max_wait=max_wait,
        **more,
    )
