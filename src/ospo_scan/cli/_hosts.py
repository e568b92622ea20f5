"""The options of every command that reads a host: which repositories, where the host is, which
token, and how long to wait for it. One definition, so `scan` and `fix` check them alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ospo_scan.cli._common import FiniteFloatRange, SourcedOption
from ospo_scan.errors import UsageError
from ospo_scan.untrusted.answer_limits import MIB
from ospo_scan.untrusted.redaction import has_credentials, without_credentials

if TYPE_CHECKING:
    from ospo_scan.connectors.interface import ScanOptions

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
    click.option(
        "--answer-deadline",
        cls=SourcedOption,
        type=FiniteFloatRange(0, min_open=True),
        default=300.0,
        show_default=True,
        help="Seconds one answer from a host may take in all; a host slower than this "
        "(one that drips its answer) counts as silent.",
    ),
    click.option(
        "--scan-deadline",
        cls=SourcedOption,
        type=FiniteFloatRange(0, min_open=True),
        default=6 * 3600.0,
        show_default=True,
        help="Seconds the command may spend talking to one host; after that it counts as silent.",
    ),
    click.option(
        "--max-answer-mb",
        cls=SourcedOption,
        type=FiniteFloatRange(0, min_open=True),
        default=128.0,
        show_default=True,
        help="Largest answer read from a host, in MiB; a larger one fails its request only.",
    ),
)


def host_options(command: Command) -> Command:
    """Add --visibility, --github-url, --gitlab-url, --token-env, --max-wait and the bounds on
    answers (--answer-deadline, --scan-deadline, --max-answer-mb)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def host_scan_options(
    visibility: str,
    github_url: str | None,
    gitlab_url: str | None,
    token_env: str | None,
    max_wait: float,
    answers: AnswerBounds,
    **more: Any,
) -> ScanOptions:
    """The connectors' options; a host URL carrying credentials is a usage error."""
    from ospo_scan.connectors.interface import ScanOptions
    from ospo_scan.scan.targets import CREDENTIALS_HINT

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
        answer_deadline=answers.deadline,
        scan_deadline=answers.scan_deadline,
        max_answer_bytes=max(1, int(answers.max_mb * MIB)),
        **more,
    )


@dataclass(frozen=True)
class AnswerBounds:
    """The bounds the command line sets on a host's answers."""

    deadline: float
    """--answer-deadline: seconds per answer."""
    scan_deadline: float
    """--scan-deadline: seconds per host for the whole command."""
    max_mb: float
    """--max-answer-mb: MiB per answer."""
