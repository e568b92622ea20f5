"""Whether a repository is mostly source code, and which licences count for code.

The DPG Standard approves Creative Commons and open data licences for content and data, not for
software: code published under CC-BY-4.0 alone is not open source as the OSI defines it. The
`license-approved` rule's `code_licences` option names the licences that count for code (shipped
lists by name, or SPDX ids); the default is the OSI list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ospo_scan.licences.lists import SHIPPED_LISTS, shipped_list
from ospo_scan.licences.spdx import licence_ids, normalise
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules.interface import RuleError
from ospo_scan.snapshot import FileTypes

DEFAULT_CODE_LICENCES = ("osi",)
MOSTLY = 0.5
"""Share of a tree's files that are source code above which the repository is code."""
MIN_SOURCE_FILES = 3
"""Fewer source files than this (a script beside a data set) never make a repository code."""

SOURCE_EXTENSIONS = frozenset(
    {
        *("py", "pyx", "ipynb", "r", "rmd", "jl", "m", "sas", "sps", "do", "ado", "stata"),
        *("js", "mjs", "cjs", "jsx", "ts", "tsx", "vue", "svelte", "dart", "elm"),
        *("java", "kt", "kts", "scala", "groovy", "gradle", "clj", "cljs"),
        *("c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "fs", "vb", "go", "rs", "swift"),
        *("rb", "php", "pl", "pm", "lua", "ex", "exs", "erl", "hs", "ml", "nim", "zig"),
        *("sh", "bash", "zsh", "ps1", "bat", "sql", "f90", "f", "for", "pas", "asm", "sol"),
    }
)
"""Extensions of source code; documents, data, markup, configuration and media are not."""


@dataclass(frozen=True)
class CodeShare:
    """How much of a tree is source code."""

    source: int
    """Files whose extension is one of source code."""
    total: int
    """Files counted."""
    complete: bool
    """Every file of the tree was counted (the walk did not stop at its bound)."""

    @property
    def mostly_code(self) -> bool:
        return self.source >= MIN_SOURCE_FILES and self.source > MOSTLY * self.total

    @property
    def described(self) -> str:
        bound = "" if self.complete else " counted"
        return f"{self.source} of its {self.total}{bound} files are source code"


def code_share(file_types: FileTypes | None) -> CodeShare | None:
    if file_types is None or not file_types.total:
        return None
    source = sum(n for ext, n in file_types.extensions.items() if ext in SOURCE_EXTENSIONS)
    return CodeShare(source, file_types.total, file_types.complete)


def code_licences(option: object) -> frozenset[str]:
    """The licences the `code_licences` option names (list names or SPDX ids)."""
    names: Sequence[object] = option if isinstance(option, list) else [option]
    licences: set[str] = set()
    for name in names:
        if isinstance(name, str) and name in SHIPPED_LISTS:
            licences |= shipped_list(name).licences
        elif isinstance(name, str) and (spdx := normalise(name)) is not None:
            licences.add(spdx)
        else:
            raise RuleError(
                f"code_licences: {name!r} is neither a shipped list "
                f"({', '.join(SHIPPED_LISTS)}) nor an SPDX id"
            )
    return frozenset(licences)


def only_content_licences(expression: str, for_code: frozenset[str]) -> list[str] | None:
    """The expression's licences when none of them counts for code, else None."""
    ids = licence_ids(expression)
    if not ids or any(i in for_code for i in ids):
        return None
    return ids


def code_under_content(
    count: Callable[[], FileTypes | None], option: object, expression: str, finding: Finding
) -> Finding:
    """`finding` (an approval), made partial when a repository of source code carries only
    licences approved for content and data (CC-BY-4.0 alone), none that counts for code. The
    tree is counted (`count`) only for such licences: on a host, that is one request."""
    content = only_content_licences(expression, code_licences(option))
    if content is None:
        return finding
    share = code_share(count())
    if share is None or not share.mostly_code:
        return finding
    return Finding(
        Outcome.PARTIAL,
        f"{expression} is approved for content and data, not for code, and this repository is "
        f"mostly code ({share.described}); license the code under an open source licence (the "
        f"ruleset's code_licences) and keep {', '.join(content)} for texts and data.",
        finding.evidence,
    )
