"""`.gitlab-ci.yml` as the CI rules read it: jobs and their scripts, includes, inputs.

GitLab's runner hands CI variables to the job's shell as environment variables, so a script line
`echo "$CI_MERGE_REQUEST_TITLE"` prints data; the title becomes code only where a line has it
parsed again (`eval`, `sh -c`, `python -c`). Inputs (`$[[ inputs.name ]]`) are different: GitLab
pastes their text into the configuration before anything runs, like GitHub's `${{ }}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ospo_scan.rules.ci import CiDefinitions, Reference, mapping, parse_yaml, strings
from ospo_scan.untrusted.linear_regex import linear

_KEYWORDS = frozenset(
    {
        "default",
        "include",
        "stages",
        "variables",
        "workflow",
        "image",
        "services",
        "cache",
        "before_script",
        "after_script",
        "spec",
        "pages",
    }
)
"""Top-level keys that are not jobs (`pages` is a job, but GitLab Pages publishes, never tests)."""
_SCRIPT_KEYS = ("before_script", "script", "after_script")
_ONLY_AFTER_ACCEPTANCE = frozenset(
    {"main", "master", "tags", "schedules", "web", "triggers", "api"}
)
_AFTER_ACCEPTANCE_CONDITION = linear(
    r"CI_DEFAULT_BRANCH|CI_COMMIT_TAG|schedule|\"main\"|\"master\""
)
_ON_MERGE_REQUEST = linear(r"merge_request")

UNTRUSTED_VARIABLE = linear(
    r"\$\{?(CI_MERGE_REQUEST_TITLE|CI_MERGE_REQUEST_DESCRIPTION|CI_COMMIT_MESSAGE"
    r"|CI_COMMIT_TITLE|CI_COMMIT_DESCRIPTION|CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME"
    r"|CI_MERGE_REQUEST_SOURCE_BRANCH_NAME|CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME"
    r"|CI_COMMIT_AUTHOR|CI_MERGE_REQUEST_LABELS)(?:[^\w]|$)"
)
"""A predefined variable whose value a merge request's author or a pusher chooses."""
REPARSING = linear(
    r"(?:^|[\s;&|(`])(?:eval|(?:ba|z|da|k)?sh\s+-\w*c|pwsh\s+-c\w*|powershell\s+-c\w*"
    r"|python3?\s+-c|node\s+-e|perl\s+-e|ruby\s+-e|Invoke-Expression|iex)(?:\s|$)",
    re.IGNORECASE,
)
"""A command that parses its argument as code again."""
INPUT_INTERPOLATION = linear(r"\$\[\[\s*inputs\.([\w-]+)")


@dataclass(frozen=True)
class GitlabJob:
    name: str
    path: str
    """The file that defines it."""
    commands: tuple[str, ...]
    """Its script lines (`before_script`, `script`, `after_script`, defaults included)."""
    on_change: bool
    """It runs for merge requests or every branch, not only after changes are accepted."""


@dataclass(frozen=True)
class GitlabPipeline:
    jobs: tuple[GitlabJob, ...]
    includes: tuple[str, ...]
    """Lower-cased `template:`, `component:`, `project:`+`file:` and `remote:` includes."""
    open_inputs: tuple[tuple[str, str], ...]
    """(file, input) of string inputs with neither `options:` nor `regex:` to constrain them."""
    interpolations: tuple[tuple[str, str], ...]
    """(file, input) of each `$[[ inputs.name ]]` in a job's script."""
    invalid: tuple[str, ...]
    """Files that do not parse as a GitLab CI configuration."""


def pipeline(ci: CiDefinitions) -> GitlabPipeline | None:
    """The GitLab pipeline the repository defines; None when it has no `.gitlab-ci.yml`."""
    if not ci.gitlab:
        return None
    jobs: list[GitlabJob] = []
    includes: list[str] = []
    open_inputs: list[tuple[str, str]] = []
    interpolations: list[tuple[str, str]] = []
    invalid: list[str] = []
    for file in ci.gitlab:
        documents = parse_yaml(file.text)
        body = documents[-1] if documents else None
        if not isinstance(body, dict):
            invalid.append(file.path)
            continue
        if documents and len(documents) > 1:
            open_inputs += [(file.path, name) for name in _open_inputs(documents[0])]
        includes += _includes(body.get("include"))
        defaults = mapping(body.get("default")) or body
        for name, job in body.items():
            if not isinstance(job, dict) or name in _KEYWORDS or str(name).startswith("."):
                continue
            commands = _commands(job, defaults, body)
            jobs.append(GitlabJob(str(name), file.path, commands, _on_change(job)))
            interpolations += [
                (file.path, m.group(1)) for c in commands for m in INPUT_INTERPOLATION.finditer(c)
            ]
    return GitlabPipeline(
        tuple(jobs), tuple(includes), tuple(open_inputs), tuple(interpolations), tuple(invalid)
    )


def _commands(
    job: dict[Any, Any], defaults: dict[Any, Any], body: dict[Any, Any]
) -> tuple[str, ...]:
    """A job's script lines, with what it `extends` (hidden jobs of the same file) and defaults."""
    sources = [job]
    extends = job.get("extends")
    for parent in extends if isinstance(extends, list) else [extends]:
        if isinstance(parent, str):
            sources.append(mapping(body.get(parent)))
    sources.append(defaults)
    lines: list[str] = []
    for key in _SCRIPT_KEYS:
        source = next((s for s in sources if key in s), {})
        script = source.get(key)
        for item in script if isinstance(script, list) else [script]:
            if isinstance(item, Reference) and len(item) == 2:  # one level, as GitLab reads most
                item = mapping(body.get(item[0])).get(item[1])
            lines += strings(item)
    return tuple(lines)


def _on_change(job: dict[Any, Any]) -> bool:
    only = job.get("only")
    refs = mapping(only).get("refs", only) if only is not None else None
    if refs is not None:
        names = {str(r).lower() for r in strings(refs)}
        if names and names <= _ONLY_AFTER_ACCEPTANCE:
            return False
    rules = job.get("rules")
    if isinstance(rules, list) and rules:
        conditions = [str(mapping(r).get("if", "")) for r in rules]
        if any(_ON_MERGE_REQUEST.search(c) for c in conditions):
            return True
        return not all(c and _AFTER_ACCEPTANCE_CONDITION.search(c) for c in conditions)
    return True


def _includes(include: Any) -> list[str]:
    items = include if isinstance(include, list) else [include]
    found = []
    for item in items:
        entry = mapping(item)
        for key in ("template", "component", "remote"):
            if isinstance(entry.get(key), str):
                found.append(entry[key].lower())
        if isinstance(entry.get("project"), str):
            found += [f"{entry['project']}:{f}".lower() for f in strings(entry.get("file"))]
    return found


def _open_inputs(header: Any) -> list[str]:
    inputs = mapping(mapping(mapping(header).get("spec")).get("inputs"))
    open_ = []
    for name, spec in inputs.items():
        spec = mapping(spec)
        typed = str(spec.get("type", "string")).lower()
        if typed == "string" and "options" not in spec and "regex" not in spec:
            open_.append(str(name))
    return open_


def reparsed_untrusted(job: GitlabJob) -> tuple[str, str] | None:
    """(variable, line) where a job parses an untrusted variable's value as code."""
    for line in (line for block in job.commands for line in block.splitlines()):
        if (variable := UNTRUSTED_VARIABLE.search(line)) and REPARSING.search(line):
            return variable.group(1), line.strip()
    return None
