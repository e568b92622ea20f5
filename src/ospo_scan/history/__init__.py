"""Every scan remembered: the history store, what changed between two scans, and trends.

- `store`: the SQLite store (`open_store`, `HistoryStore`), checked before it is written;
- `migrations`: its schema, versioned;
- `records`: what the store gives back about a scan;
- `location`: where the store lives by default;
- `diff`: what changed between two scans (regressions, improvements, repositories added/removed);
- `trends`: the entity's earlier scans, for the HTML report.

History reads reports and stores; it never talks to a host.
"""
