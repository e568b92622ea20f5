"""The files fix mode writes, as data: Markdown (or YAML, JSON) with named placeholders.

Templates live in `rules/templates/`; a ruleset may name its own directory (`templates =
"path"`), whose files take precedence, name by name, over the bundled ones. Placeholders are
`${name}` (`$$` for a literal dollar sign); a template naming a placeholder fix mode does not
know is a configuration error, never a file written with a hole in it. `${template_marker}`
is always known: it writes the line a person deletes once the file is reviewed, and until then
the rules judge the file a template (`ospo_scan.rules.boilerplate`); every bundled template
carries it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.config._bundled import bundled_rulesets_dir
from ospo_scan.errors import ConfigError
from ospo_scan.rules.boilerplate import TEMPLATE_NOTE

PLACEHOLDERS = frozenset(
    {
        "entity",
        "project",
        "conduct_contact",
        "security_contact",
        "host_reporting",
        "maintainers",
        "updates",
        "template_marker",
    }
)
"""Every placeholder a template may use."""
_MAX_TEMPLATE_BYTES = 256 * 1024


def bundled_templates_dir() -> Path:
    """The templates shipped with ospo-scan."""
    return bundled_rulesets_dir() / "templates"


@dataclass(frozen=True)
class TemplateSet:
    """Where templates are looked up, first directory first."""

    directories: tuple[Path, ...]
    """The ruleset's own directory (when it names one), then the bundled one."""

    @classmethod
    def for_ruleset(cls, own_directory: str | None) -> TemplateSet:
        bundled = bundled_templates_dir()
        if own_directory is None:
            return cls((bundled,))
        own = Path(own_directory)
        if not own.is_dir():
            raise ConfigError("the ruleset's templates directory does not exist", path=str(own))
        return cls((own, bundled))

    def fill(self, name: str, values: Mapping[str, str]) -> str:
        """The template `name` with its placeholders replaced by `values`."""
        path = self._find(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read the template: {exc.strerror}", path=str(path)) from exc
        if len(data) > _MAX_TEMPLATE_BYTES:
            raise ConfigError("a template must be smaller than 256 KiB", path=str(path))
        try:
            template = string.Template(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError("a template must be UTF-8 text", path=str(path)) from exc
        unknown = sorted(set(template.get_identifiers()) - PLACEHOLDERS)
        if unknown or not template.is_valid():
            what = f"unknown placeholder ${{{unknown[0]}}}" if unknown else "a stray $"
            raise ConfigError(
                what,
                path=str(path),
                hint=f"placeholders: {', '.join(sorted(PLACEHOLDERS))}; write $$ for a dollar",
            )
        return template.substitute({**values, "template_marker": TEMPLATE_NOTE})

    def _find(self, name: str) -> Path:
        for directory in self.directories:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        raise ConfigError(f"no template named {name}", path=str(self.directories[0]))
