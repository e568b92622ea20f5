"""What a rule reading a Baseline host fact says when the fact is not there to read."""

from __future__ import annotations

from ospo_scan.model import Finding
from ospo_scan.rules.interface import unknown
from ospo_scan.snapshot import HostFact, Snapshot

ON_THE_HOST = (
    "scanning the repository on its host (github:OWNER/REPO or gitlab:GROUP/PROJECT), with a "
    "token that may read the setting"
)


def fact_unknown(snapshot: Snapshot, fact: HostFact, what: str) -> Finding:
    """`unknown` for a host fact that was not observed: withheld by the host (with the permission
    that would settle it), not asked of a local clone, or not said."""
    host = snapshot.metadata.host
    if fact in host.withheld:
        return unknown(f"The host did not let the token see {what}", settles=host.withheld[fact])
    if host.platform is None:
        return unknown(f"A local clone does not show {what}", settles=ON_THE_HOST)
    return unknown(f"The host did not say {what}", settles=ON_THE_HOST)
