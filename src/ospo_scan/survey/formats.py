"""Which survey format renders what: the CLI picks one through `SurveyFormat`."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from ospo_scan._compat import assert_never

if TYPE_CHECKING:
    from ospo_scan.survey.model import Survey


class SurveyFormat(str, enum.Enum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    HTML = "html"


def survey_formatter(fmt: SurveyFormat) -> Callable[[Survey], str]:
    """The formatter of a format, imported when asked for; exhaustive over SurveyFormat."""
    match fmt:
        case SurveyFormat.TABLE:
            from ospo_scan.survey.text import format_survey_table

            return format_survey_table
        case SurveyFormat.MARKDOWN:
            from ospo_scan.survey.text import format_survey_markdown

            return format_survey_markdown
        case SurveyFormat.CSV:
            from ospo_scan.survey.render import format_survey_csv

            return format_survey_csv
        case SurveyFormat.JSON:
            from ospo_scan.survey.render import format_survey_json

            return format_survey_json
        case SurveyFormat.HTML:
            from ospo_scan.survey.html import format_survey_html

            return format_survey_html
        case _:
            assert_never(fmt)
