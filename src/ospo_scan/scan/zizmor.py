"""One zizmor process auditing every repository's GitHub Actions workflows of a scan.

The workflows are written under neutral names (`r12/.github/workflows/w3.yml`) into a temporary
tree, zizmor runs once over it offline (no network, no configuration, no token in its
environment), and its findings are mapped back to each repository. Its output is bounded and
read defensively: it quotes the workflows, which are the repositories' text.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.rules.ci import AuditFinding, CiFile, WorkflowAudit, workflow_document

log = logging.getLogger(__name__)

ZIZMOR_VARIABLE = "OSPO_SCAN_ZIZMOR"
"""An environment variable naming the zizmor executable to run (default: the one installed
beside ospo-scan, else the first on PATH)."""
TIMEOUT_SECONDS = 900
MAX_OUTPUT_BYTES = 256 * 1024 * 1024
"""zizmor's JSON beyond this is not read: the audit is then unknown for every repository."""
ARGUMENTS = (
    "--offline",
    "--no-config",
    "--no-ignores",
    "--persona=regular",
    "--format=json-v1",
    "--no-exit-codes",
    "--no-progress",
    "--color=never",
    "--collect=workflows",
)
"""Offline audits only; no configuration file of anyone's; ignore comments reported as
`suppressed` rather than hidden; exit status 0 unless zizmor itself fails."""


def zizmor_executable() -> str | None:
    """The zizmor to run, or None when none is installed."""
    configured = os.environ.get(ZIZMOR_VARIABLE)
    if configured:
        return configured if Path(configured).is_file() else None
    name = "zizmor.exe" if sys.platform == "win32" else "zizmor"
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which("zizmor")


@dataclass(frozen=True)
class _Written:
    repository: int
    file: CiFile
    data: bytes


MAX_RUNS = 64
"""zizmor runs per scan at most: one, plus those that isolate repositories that make it fail."""


def audit_workflows(repositories: Sequence[Sequence[CiFile]]) -> list[WorkflowAudit]:
    """Each repository's audit, in order; every one says why when zizmor could not run.

    One zizmor process audits every repository. When it fails (a workflow zizmor crashes on),
    the repositories are halved and audited again until the ones it fails on are isolated:
    one hostile repository costs the others nothing."""
    executable = zizmor_executable()
    if executable is None:
        return [WorkflowAudit(failure="zizmor is not installed") for _ in repositories]
    audits = [WorkflowAudit() for _ in repositories]
    auditable = [_auditable(files) for files in repositories]
    pending = [[i for i, files in enumerate(auditable) if files]]
    runs = 0
    while pending:
        group = pending.pop()
        if not group:
            continue
        runs += 1
        result = (
            _audit_once(executable, {i: auditable[i] for i in group})
            if runs <= MAX_RUNS
            else _Failure(f"zizmor failed on other repositories {MAX_RUNS} times", final=True)
        )
        if isinstance(result, _Failure) and (result.final or len(group) == 1):
            for index in group:
                audits[index] = WorkflowAudit(failure=result.reason)
        elif isinstance(result, _Failure):
            pending += [group[: len(group) // 2], group[len(group) // 2 :]]
        else:
            for index, audit in result.items():
                audits[index] = audit
    return audits


def _auditable(files: Sequence[CiFile]) -> tuple[CiFile, ...]:
    """The workflows GitHub could run: zizmor is given nothing else."""
    return tuple(f for f in files if workflow_document(f.text) is not None)


@dataclass(frozen=True)
class _Failure:
    reason: str
    final: bool = False
    """Running again on fewer repositories would fail the same way (a timeout, no executable)."""


def _audit_once(
    executable: str, repositories: dict[int, tuple[CiFile, ...]]
) -> dict[int, WorkflowAudit] | _Failure:
    with tempfile.TemporaryDirectory(prefix="ospo-scan-zizmor-") as root:
        written = _write(Path(root) / "tree", repositories)
        output = _run(executable, Path(root))
    if isinstance(output, _Failure):
        return output
    stdout, stderr = output
    try:
        raw = json.loads(stdout)
    except ValueError:
        return _Failure("zizmor's output was not JSON")
    if not isinstance(raw, list):
        return _Failure("zizmor's output was not a list of findings")
    findings: dict[int, list[AuditFinding]] = {index: [] for index in repositories}
    for item in raw:
        mapped = _finding(item, written)
        if mapped is not None:
            findings[mapped[0]].append(mapped[1])
    audited = {
        words[-1]
        for line in stderr.splitlines()
        if (words := line.split()) and words[0] == "INFO" and words[-2:-1] == ["completed"]
    }
    not_audited: dict[int, list[str]] = {index: [] for index in repositories}
    for name, entry in written.items():
        if name not in audited:
            not_audited[entry.repository].append(entry.file.path)
    return {
        index: WorkflowAudit(tuple(findings[index]), tuple(not_audited[index]))
        for index in repositories
    }


def _write(tree: Path, repositories: dict[int, tuple[CiFile, ...]]) -> dict[str, _Written]:
    written: dict[str, _Written] = {}
    for index, files in repositories.items():
        directory = tree / f"r{index}" / ".github" / "workflows"
        directory.mkdir(parents=True)
        for number, file in enumerate(files):
            data = file.text.encode("utf-8", errors="replace")
            (directory / f"w{number}.yml").write_bytes(data)
            written[f"./r{index}/.github/workflows/w{number}.yml"] = _Written(index, file, data)
    return written


def _run(executable: str, root: Path) -> tuple[str, str] | _Failure:
    """zizmor's standard output and error, or why it gave none."""
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(root), "NO_COLOR": "1"}
    environment["XDG_CACHE_HOME"] = str(root / "cache")
    with (root / "out").open("w+b") as out, (root / "err").open("w+b") as err:
        try:
            completed = subprocess.run(
                [executable, *ARGUMENTS, "."],
                cwd=root / "tree",
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=environment,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return _Failure(f"zizmor did not finish within {TIMEOUT_SECONDS} seconds", final=True)
        except OSError as exc:
            return _Failure(f"zizmor could not be started ({type(exc).__name__})", final=True)
        if completed.returncode != 0:
            return _Failure(f"zizmor failed (exit status {completed.returncode})")
        if out.tell() > MAX_OUTPUT_BYTES or err.tell() > MAX_OUTPUT_BYTES:
            return _Failure(f"zizmor's output exceeded {MAX_OUTPUT_BYTES} bytes")
        out.seek(0)
        err.seek(0)
        return (
            out.read().decode("utf-8", errors="replace"),
            err.read().decode("utf-8", errors="replace"),
        )


def _finding(item: Any, written: dict[str, _Written]) -> tuple[int, AuditFinding] | None:
    """One finding mapped to its repository; None when it is not shaped as zizmor's v1 JSON
    or names no workflow written."""
    if not isinstance(item, dict) or not isinstance(item.get("ident"), str):
        return None
    primary = next(
        (
            location
            for location in item.get("locations") or ()
            if isinstance(location, dict) and _get(location, "symbolic", "kind") == "Primary"
        ),
        None,
    )
    name = _get(primary, "symbolic", "key", "Local", "verbatim_path")
    entry = written.get(name) if isinstance(name, str) else None
    if entry is None:
        return None
    row = _get(primary, "concrete", "location", "start_point", "row")
    start = _get(primary, "concrete", "location", "offset_span", "start")
    end = _get(primary, "concrete", "location", "offset_span", "end")
    expression = ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
        expression = entry.data[start : min(end, start + 500)].decode("utf-8", errors="replace")
    annotation = _get(primary, "symbolic", "annotation")
    steps = _get(primary, "symbolic", "route", "route")
    route = tuple(
        str(value)[:200]
        for step in (steps if isinstance(steps, list) else ())[:50]
        if isinstance(step, dict)
        for value in step.values()
    )
    return entry.repository, AuditFinding(
        audit=item["ident"][:80],
        path=entry.file.path,
        line=row + 1 if isinstance(row, int) and row >= 0 else 0,
        annotation=annotation[:300] if isinstance(annotation, str) else "",
        expression=expression,
        route=route,
        suppressed=item.get("ignored") is True,
    )


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
