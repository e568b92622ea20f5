"""Guards for everything a repository or a host says: it is untrusted.

How the package is arranged: `bounded_read` (files read up to a bound, never through a link or
a device), `linear_regex` (patterns that run on repository text, compiled for linear time),
`display` (control and bidirectional characters made visible), `markdown` (repository text
escaped for Markdown), `redaction` (tokens removed from every host message), `answers` (a
host's answers bounded in time and size, within the bounds `answer_limits` names),
`unicode_classes` (Python's `\\w`, `\\s`, `\\d` spelt out for RE2).
"""
