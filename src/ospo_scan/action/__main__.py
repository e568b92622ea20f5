"""`python -m ospo_scan.action scan|check`: the steps `action.yml` runs."""

import sys

from ospo_scan.action.steps import main

sys.exit(main())
