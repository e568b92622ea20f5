"""`ospo-scan survey INPUT...`: the readiness survey of entities, their answers beside the
evidence of their scans, year by year."""

from __future__ import annotations

from pathlib import Path, PurePath

import click

from ospo_scan.cli._common import fail
from ospo_scan.config import DEFAULT_RULESET
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.survey.formats import SurveyFormat, survey_formatter
from ospo_scan.untrusted.display import neutralise

_EXTENSIONS = {
    ".json": SurveyFormat.JSON,
    ".csv": SurveyFormat.CSV,
    ".md": SurveyFormat.MARKDOWN,
    ".html": SurveyFormat.HTML,
    ".htm": SurveyFormat.HTML,
    ".txt": SurveyFormat.TABLE,
}
STDOUT = "-"


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in SurveyFormat]),
    default=None,
    help="Output format (default: table, or taken from --output's extension).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write to FILE (`-` is standard output); repeat to write several formats at once, "
    "each taken from its extension.",
)
@click.option(
    "--ruleset",
    "ruleset_spec",
    default=DEFAULT_RULESET,
    show_default=True,
    help="The ruleset whose `established` level counts principles as established.",
)
def survey(
    inputs: tuple[str, ...], output_format: str | None, outputs: tuple[str, ...], ruleset_spec: str
) -> None:
    """Survey entities from their reports and entity files.

    INPUT... are report JSON files, entity files (their readiness answers), or directories
    searched for both (an entity directory's repositories are not searched). Of several reports
    of an entity in one year, the latest counts.
    """
    from ospo_scan.survey.compute import build_survey
    from ospo_scan.survey.inputs import collect

    try:
        plan = _plan(output_format, outputs)
        established = _established(ruleset_spec)
        collected = collect(inputs)
        if not collected.scans and not collected.answers and not collected.principles:
            raise UsageError(
                "no report or entity file among the inputs",
                hint="give report JSON files (`ospo-scan scan --format json`) or entity files",
            )
        for warning in collected.warnings:
            click.echo(f"ospo-scan: warning: {neutralise(warning)}", err=True)
        if summary := collected.skipped_summary():
            click.echo(f"ospo-scan: note: {neutralise(summary)}", err=True)
        result = build_survey(
            collected.scans, collected.answers, collected.principles, established=established
        )
        for fmt, path in plan:
            text = survey_formatter(fmt)(result)
            if path is None:
                click.echo(text, nl=False)
                continue
            try:
                Path(path).write_text(text, encoding="utf-8", newline="")  # keep CSV's CRLF
            except OSError as exc:
                raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except OspoScanError as exc:
        fail(exc.one_line(), exc.exit_code)


def _plan(
    output_format: str | None, outputs: tuple[str, ...]
) -> list[tuple[SurveyFormat, str | None]]:
    """Which format goes to which file (None: standard output)."""
    if not outputs:
        return [(_format(output_format, None), None)]
    if outputs.count(STDOUT) > 1:
        raise UsageError("--output - (standard output) is given more than once")
    return [(_format(output_format, path), None if path == STDOUT else path) for path in outputs]


def _established(ruleset_spec: str) -> float | None:
    """The minimum score of the ruleset's `established` level (None when it has none)."""
    from ospo_scan.config import load_ruleset

    ruleset = load_ruleset(ruleset_spec)
    return next((level.minimum for level in ruleset.levels if level.name == "established"), None)


def _format(output_format: str | None, output: str | None) -> SurveyFormat:
    named = (
        _EXTENSIONS.get(PurePath(output).suffix.lower()) if output not in (None, STDOUT) else None
    )
    if output_format is None:
        if output not in (None, STDOUT) and named is None:
            known = ", ".join(sorted(_EXTENSIONS))
            raise UsageError(
                f"cannot tell the format of --output {output} from its extension",
                hint=f"give --format, or use a known extension: {known}",
            )
        return named or SurveyFormat.TABLE
    chosen = SurveyFormat(output_format)
    if named is not None and named is not chosen and named is not SurveyFormat.TABLE:
        raise UsageError(
            f"--format {chosen.value} contradicts --output {output}, "
            f"whose extension means {named.value}"
        )
    return chosen
