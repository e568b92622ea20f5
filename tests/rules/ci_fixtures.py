"""Repositories with CI definitions, good and bad, for the CI rules' tests."""

from __future__ import annotations

PINNED_CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"

GOOD_GITHUB = {
    "README.md": "# good\n",
    ".github/workflows/ci.yml": f"""\
name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: {PINNED_CHECKOUT}
        with:
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: python -m pip install -r requirements.txt
      - run: python -m pytest -q
      - uses: actions/dependency-review-action@3b139cfc5fae8b618d3eae3675e383bb1769c019
""",
    ".github/workflows/codeql.yml": f"""\
on: [pull_request]
permissions: {{}}
jobs:
  analyze:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: {PINNED_CHECKOUT}
        with:
          persist-credentials: false
      - uses: github/codeql-action/init@df409f7d9260372bd5f19e5b04e83cb3c43714ae
      - uses: github/codeql-action/analyze@df409f7d9260372bd5f19e5b04e83cb3c43714ae
""",
    ".github/workflows/release-notes.yml": """\
on:
  workflow_dispatch:
    inputs:
      title:
        type: string
permissions:
  contents: read
jobs:
  notes:
    runs-on: ubuntu-latest
    steps:
      - env:
          TITLE: ${{ inputs.title }}
        run: echo "$TITLE"
""",
    ".github/workflows/label.yml": """\
on: pull_request_target
permissions: {}
jobs:
  label:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9
""",
}

BAD_GITHUB = {
    "README.md": "# bad\n",
    ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
    "    schedule:\n      interval: weekly\n",
    ".github/workflows/triage.yml": """\
on:
  pull_request_target:
  issues:
  workflow_dispatch:
    inputs:
      name:
        type: string
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.issue.title }}"
      - run: echo "${{ inputs.name }}"
      - run: curl -sSL https://example.org/install.sh | bash
""",
    ".github/workflows/tests.yml": """\
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: go test ./...
""",
    ".github/workflows/nightly.yml": """\
on:
  schedule:
    - cron: "0 3 * * *"
permissions:
  contents: write
jobs:
  semgrep:
    runs-on: ubuntu-latest
    steps:
      - run: semgrep ci
  report:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: echo done
""",
}

RELYING_GITHUB = {
    "README.md": "# relying\n",
    ".github/workflows/test.yml": """\
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm ci
      - run: npm test
""",
}

GOOD_GITLAB = {
    "README.md": "# good gitlab\n",
    ".gitlab-ci.yml": """\
spec:
  inputs:
    environment:
      options: [staging, production]
---
include:
  - template: Security/SAST.gitlab-ci.yml
  - template: Security/Dependency-Scanning.gitlab-ci.yml
  - local: ci/deploy.yml
.setup:
  script:
    - python -m pip install -r requirements.txt
unit:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - !reference [.setup, script]
    - pytest
    - echo "$CI_MERGE_REQUEST_TITLE"
""",
    "ci/deploy.yml": """\
deploy:
  stage: deploy
  script:
    - ./deploy.sh "$[[ inputs.environment ]]"
""",
}

BAD_GITLAB = {
    "README.md": "# bad gitlab\n",
    ".gitlab-ci.yml": """\
spec:
  inputs:
    target:
      type: string
---
test:
  only: [main]
  script:
    - curl -fsSL https://example.org/get.sh | sh
    - make test
announce:
  script:
    - eval "echo $CI_MERGE_REQUEST_TITLE"
    - ./publish --to $[[ inputs.target ]]
""",
}

NO_CI = {"README.md": "# no ci\n"}

UNREADABLE = {
    "README.md": "# unreadable\n",
    ".github/workflows/generated.yml": "# generated\n" + "x: 1\n" * 70_000,
}
