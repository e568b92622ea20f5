"""ospo-scan: open source compliance scanner for Open Source Program Offices.

The package reads as its pipeline. Its layers, from the ground up: a module imports from its own
unit or from a lower layer only (imports for the type checker included), and units that share a
layer do not import each other. `tests/test_layout.py` enforces this table.

| layer | units | what they hold |
|---|---|---|
| 0 | `_compat`, `errors`, `untrusted` | errors; guards for what repositories and hosts say |
| 1 | `model`, `snapshot` | the data model: reports, profiles, repository snapshots |
| 2 | `evidence` | where evidence is looked for (SPEC §3) |
| 3 | `licences` | licence detection (scancode) and SPDX policy |
| 4 | `rules` | the rule interface, the registry and the built-in rules |
| 5 | `config` | rulesets, settings and entity profiles, as frozen objects |
| 6 | `connectors` | GitHub, GitLab and local directories as snapshots |
| 7 | `scan` | targets, scanner, evaluation, scoring, entities, sharding |
| 8 | `report` | the one report loader; merging shards |
| 9 | `history` | the store of past scans, diffs and trends |
| 10 | `formats` | one pure formatter per output format |
| 11 | `survey`, `fix` | readers of reports: the survey; files that make rules pass |
| 12 | `site` | the static site: every recorded audit as linked pages |
| 13 | `cli`, `action` | the commands; the GitHub Action's and system audit's steps |
| 14 | `__main__` | `python -m ospo_scan` |

Layers 0 to 2 are the ground floor; the root holds only them and this package's entry points.
"""

__version__ = "0.1.0"
