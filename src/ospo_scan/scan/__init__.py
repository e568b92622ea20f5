"""The scan pipeline: targets -> scanner -> evaluation -> scoring -> entities.

How the package is arranged: `targets` (a `scan` argument becomes a connector target),
`scanner` (runs the connectors and assembles the report), `evaluation` (a ruleset's rules on one
snapshot, with exemptions), `scoring` (repository, category and entity scores), `entities`
(per-entity rows of a scan of several entities), `sharding` (`--shard I/N`).
"""
