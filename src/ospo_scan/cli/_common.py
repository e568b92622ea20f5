"""What every command shares: exit codes, the one-line failure, token redaction, logging."""

from __future__ import annotations

import logging
import math
import os
import signal
import sys
import threading
import traceback
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from ospo_scan.errors import OspoScanError
from ospo_scan.untrusted import redaction
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.redaction import RedactingFormatter, register_secret

if TYPE_CHECKING:
    from ospo_scan.config import Ruleset

EXIT_OK = 0
EXIT_BELOW_THRESHOLD = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

_TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN")


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that refuses NaN and infinity, which compare false with every bound."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


class SourcedOption(click.Option):
    """An option whose bad value names where it came from: an environment variable or the
    settings file, not only the option the user never typed."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        source = ctx.get_parameter_source(self.name or "") if ctx is not None else None
        if source is ParameterSource.ENVIRONMENT and isinstance(self.envvar, str):
            return f"{self.envvar} (the environment variable for {super().get_error_hint(ctx)})"
        if source is ParameterSource.DEFAULT_MAP:
            return f"{super().get_error_hint(ctx)} (from the settings file)"
        return super().get_error_hint(ctx)


_TERMINATIONS = ("SIGTERM", "SIGHUP")
"""What a CI timeout or cancel sends; atexit handlers do not run for them."""


def clean_up_when_terminated() -> None:
    """On SIGTERM or SIGHUP, remove the temporary files the scan made, then end as the signal
    asks (its default action, so the parent sees the signal). A signal set to be ignored
    (`nohup`) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for name in _TERMINATIONS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _terminated)


_SCANCODE = "ospo_scan.licences.scancode"
"""The module that makes temporary directories; until it is imported there are none."""


def _terminated(number: int, frame: FrameType | None) -> None:
    # Looked up, not imported: importing scancode's side in a signal handler would load it
    # only to find nothing to remove.
    scancode = sys.modules.get(_SCANCODE)
    if scancode is not None:
        scancode.remove_temporary_directories()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)


def load_or_exit(spec: str) -> Ruleset:
    from ospo_scan.config import load_ruleset

    try:
        return load_ruleset(spec)
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)


def fail(message: str, code: int, verbose: bool = False, token_env: str | None = None) -> NoReturn:
    if verbose and sys.exc_info()[1] is not None:
        shown = neutralise(redact(traceback.format_exc(), token_env), keep_line_breaks=True)
        click.echo(shown, err=True, nl=False)
    click.echo(f"ospo-scan: error: {neutralise(redact(message, token_env))}", err=True)
    sys.exit(code)


def register_tokens(token_env: str | None = None) -> None:
    """Every token the environment holds for a host, as secrets that output never shows."""
    for name in (*_TOKEN_VARIABLES, *([token_env] if token_env else [])):
        register_secret(os.environ.get(name, "").strip())
        register_secret(os.environ.get(name, ""))


def redact(text: str, token_env: str | None = None) -> str:
    """Remove any host token's value (and any other secret in use) from text about to be shown."""
    register_tokens(token_env)
    return redaction.redact(text)


def configure_logging(verbose: bool) -> None:
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(RedactingFormatter("ospo-scan: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[stream])
    # Notices (a slow first run, say) are shown whatever the level, as plain lines.
    notices = logging.getLogger("ospo_scan.notices")
    notices.setLevel(logging.INFO)
    for old in list(notices.handlers):
        notices.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("ospo-scan: %(message)s"))
    notices.addHandler(handler)
    notices.propagate = False
