"""The GitHub Action and the UN-system audit, as Python steps the workflows run.

How the package is arranged: `steps` (the Action's scan and check steps, run as
`python -m ospo_scan.action scan|check`), `history` (the audit reports kept on a history branch
between runs), `system_audit` (`python -m ospo_scan.action.system_audit plan|survey`, the
matrix plan and the final merge and survey of `system-audit.yml`).
"""
