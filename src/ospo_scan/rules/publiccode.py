"""The `publiccode` rule: a publiccode.yml that public-code catalogues can read.

Checked against the keys the publiccode.yml standard makes mandatory (yml.publiccode.tools).
The file is read as data with a safe YAML loader, never executed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeGuard

from ospo_scan.licences.spdx import normalise
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable

FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
DEVELOPMENT_STATUSES = frozenset({"concept", "development", "beta", "stable", "obsolete"})
SOFTWARE_TYPES = frozenset(
    {
        "standalone/mobile",
        "standalone/iot",
        "standalone/desktop",
        "standalone/web",
        "standalone/backend",
        "standalone/other",
        "addon",
        "library",
        "configurationFiles",
    }
)
MAINTENANCE_TYPES = frozenset({"internal", "contract", "community", "none"})
SHORT_DESCRIPTION_MAX = 150
_SHOWN_PROBLEMS = 3


class PubliccodeRule(Rule):
    id = "publiccode"
    category = "metadata"
    description = "publiccode.yml describes the software for public-code catalogues, validly."
    help_url = "https://yml.publiccode.tools/"
    remediation = (
        "Add a publiccode.yml at the repository root with the standard's mandatory keys "
        "(name, url, platforms, developmentStatus, softwareType, description, legal.license, "
        "maintenance, localisation); the editor at publiccode-editor.developers.italia.it helps."
    )
    default_weight = 2.0
    option_types: ClassVar[Mapping[str, type]] = {"required": bool}
    option_defaults: ClassVar[Mapping[str, Any]] = {"required": False}

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        entry = next((e for name in FILE_NAMES if (e := snapshot.find_file(name))), None)
        if entry is None:
            if context.options.get("required", False):
                return Finding(Outcome.FAIL, "No publiccode.yml, which this ruleset requires.")
            return not_applicable("No publiccode.yml, and this ruleset does not require one.")
        evidence = (Evidence(entry.path, EvidenceSource.REPOSITORY),)
        text = snapshot.read_text(entry.path)
        if text is None or text.binary or text.truncated:
            return Finding(Outcome.PARTIAL, f"{entry.path} could not be read as text.", evidence)
        import yaml  # here: only a repository that has the file needs a YAML reader

        try:
            document = yaml.safe_load(text.text)
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 1}" if where is not None else ""
            return Finding(Outcome.PARTIAL, f"{entry.path} is not valid YAML{line}.", evidence)
        except RecursionError:
            return Finding(Outcome.PARTIAL, f"{entry.path} nests too deeply to read.", evidence)
        problems = validate(document)
        if problems:
            shown = "; ".join(problems[:_SHOWN_PROBLEMS])
            more = f" (and {len(problems) - _SHOWN_PROBLEMS} more)" if len(problems) > 3 else ""
            return Finding(Outcome.PARTIAL, f"{entry.path} is not valid: {shown}{more}.", evidence)
        return Finding(Outcome.PASS, f"{entry.path} is valid.", evidence)


def validate(document: Any) -> list[str]:
    """What a publiccode.yml lacks or gets wrong, against the standard's mandatory keys."""
    if not isinstance(document, dict):
        return ["the file is not a mapping of keys"]
    problems: list[str] = []
    if not isinstance(document.get("publiccodeYmlVersion"), str):
        problems.append("publiccodeYmlVersion must be a quoted string")
    for key in ("name", "url"):
        if not _text(document.get(key)):
            problems.append(f"{key} is missing")
    if not _strings(document.get("platforms")):
        problems.append("platforms must list at least one platform")
    if document.get("developmentStatus") not in DEVELOPMENT_STATUSES:
        problems.append(
            f"developmentStatus must be one of {', '.join(sorted(DEVELOPMENT_STATUSES))}"
        )
    if document.get("softwareType") not in SOFTWARE_TYPES:
        problems.append("softwareType is missing or not one of the standard's types")
    problems += _description_problems(document.get("description"))
    problems += _legal_problems(document.get("legal"))
    problems += _maintenance_problems(document.get("maintenance"))
    problems += _localisation_problems(document.get("localisation"))
    return problems


def _description_problems(description: Any) -> list[str]:
    if not isinstance(description, dict) or not description:
        return ["description must have at least one language"]
    problems = []
    for language, texts in description.items():
        if not isinstance(texts, dict):
            problems.append(f"description.{language} must be a mapping")
            continue
        short = texts.get("shortDescription")
        if not _text(short):
            problems.append(f"description.{language}.shortDescription is missing")
        elif len(short) > SHORT_DESCRIPTION_MAX:
            problems.append(f"description.{language}.shortDescription is over 150 characters")
        if not _text(texts.get("longDescription")):
            problems.append(f"description.{language}.longDescription is missing")
        if not _strings(texts.get("features")):
            problems.append(f"description.{language}.features must list at least one feature")
    return problems


def _legal_problems(legal: Any) -> list[str]:
    licence = legal.get("license") if isinstance(legal, dict) else None
    if not _text(licence):
        return ["legal.license is missing"]
    if normalise(licence) is None:
        return [f"legal.license {licence!r} is not a valid SPDX expression"]
    return []


def _maintenance_problems(maintenance: Any) -> list[str]:
    if not isinstance(maintenance, dict) or maintenance.get("type") not in MAINTENANCE_TYPES:
        return ["maintenance.type must be internal, contract, community or none"]
    kind = maintenance["type"]
    if kind == "contract" and not maintenance.get("contractors"):
        return ["maintenance.contractors is required for contract maintenance"]
    if kind in ("internal", "community") and not maintenance.get("contacts"):
        return [f"maintenance.contacts is required for {kind} maintenance"]
    return []


def _localisation_problems(localisation: Any) -> list[str]:
    if not isinstance(localisation, dict):
        return ["localisation is missing"]
    problems = []
    if not isinstance(localisation.get("localisationReady"), bool):
        problems.append("localisation.localisationReady must be true or false")
    if not _strings(localisation.get("availableLanguages")):
        problems.append("localisation.availableLanguages must list at least one language")
    return problems


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_text(item) for item in value)
