"""The GitHub connector (github.com and GitHub Enterprise Server), over PyGithub.

How the package is arranged:

- `connector`: `GitHubConnector`, the entry point: targets, tokens, and which scan to run;
- `client`, `errors`: GraphQL and REST calls through PyGithub's requester, rate limits and
  faults, and how GitHub's refusals become connector errors;
- `queries`, `scan`, `fetch`: with a token, the batched GraphQL documents, the owner's pages
  of repositories, and the batched texts rules read;
- `rest`: without a token, public repositories through the REST API;
- `trees`, `links`, `snapshot`: GitHub's trees and texts made into the snapshot every connector
  builds, symbolic links followed as a working tree would.
"""

from ospo_scan.connectors.github.connector import GitHubConnector

__all__ = ["GitHubConnector"]
