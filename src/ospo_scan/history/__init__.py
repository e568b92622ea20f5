"""Every scan remembered: the history store, what changed between two scans, and trends.

- `checks`: whether a file is a store this version may write, checked before anything is;
- `store`: the SQLite store (`open_store`, `HistoryStore`);
- `migrations`: its schema, versioned;
- `records`: what the store gives back about a scan;
- `audits`: what its tables tell of many audits at once (figures, tallies, visibility, outcome
  histories), for the site;
- `location`: where the store lives by default;
- `diff`: what changed between two scans (regressions, improvements, repositories added/removed);
- `trends`: the entity's earlier scans, for the HTML report;
- `render`: `history` and `diff` as table, Markdown and JSON.

History reads reports and stores; it never talks to a host.
"""
