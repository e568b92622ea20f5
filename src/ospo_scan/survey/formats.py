"""Which survey format renders what: the CLI picks one through `SurveyFormat`."""

from __future__ import annotations

import enum
from collections.abc import Callable

from ospo_scan._compat import assert_never
from ospo_scan.survey.html import format_survey_html
from ospo_scan.survey.model import Survey
from ospo_scan.survey.render import format_survey_csv, format_survey_json
from ospo_scan.survey.text import format_survey_markdown, format_survey_table


class SurveyFormat(str, enum.Enum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    HTML = "html"


def survey_formatter(fmt: SurveyFormat) -> Callable[[Survey], str]:
    match fmt:
        case SurveyFormat.TABLE:
            return format_survey_table
        case SurveyFormat.MARKDOWN:
            return format_survey_markdown
        case SurveyFormat.CSV:
            return format_survey_csv
        case SurveyFormat.JSON:
            return format_survey_json
        case SurveyFormat.HTML:
            return format_survey_html
        case _:
            assert_never(fmt)
