"""Fix mode: the files that make failing rules pass, planned, written, or proposed as requests.

`run.plan_run` scans a target and builds a `model.FixPlan` (`planner`), filled from templates
(`templates`, `files`) for the rules and files `kinds` lists; `render` shows it; `apply` writes
it into local working trees or opens one pull/merge request per repository through each
connector's write side.
"""
