"""The GitLab connector (gitlab.com and self-managed instances), over python-gitlab.

How the package is arranged:

- `connector`: `GitLabConnector`, the entry point: enumeration of a group and its subgroups
  (REST), and the rounds that read every project;
- `target`: where a target lives (instance root, group or project path);
- `http`: the python-gitlab client set up for scans, rate limits, and errors explained;
- `work`, `graphql`: what each project still needs, packed into batched GraphQL rounds within
  GitLab's complexity limits;
- `snapshot`: GitLab's answers made into the snapshot every connector builds.
"""

from ospo_scan.connectors.gitlab.connector import GitLabConnector

__all__ = ["GitLabConnector"]
