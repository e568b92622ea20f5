"""The UN-system readiness survey (SPEC §9): entities' own answers beside their scans' evidence.

- `model`: inputs (`EntityScan`, tallies) and results (`Survey`, years, entity rows);
- `inputs`: what the survey takes from a report;
- `compute`: indicators with their own denominators, evidence, and where the two disagree;
- `render`: JSON (`ospo-scan/survey/v1`) and CSV; `text`: table and Markdown.
"""
