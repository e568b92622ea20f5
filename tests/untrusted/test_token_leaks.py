"""No token in any output: every failure path, with `-v`, in every format, on stdout and stderr.

The hosts here echo the credential they were sent in their error bodies, as a misconfigured proxy
does; the scan must still never print or write it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.wrappers import Request, Response

from ospo_scan.cli import main
from ospo_scan.formats import OutputFormat
from tests.connectors.github.fake_github import TOKEN as GITHUB_TOKEN
from tests.connectors.github.fake_github import FakeGitHub, Fault
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.gitlab.conftest import TOKEN as GITLAB_TOKEN
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.groups import nested_group

OUTPUTS = {
    OutputFormat.TABLE: "report.txt",
    OutputFormat.JSON: "report.json",
    OutputFormat.CSV: "report.csv",
    OutputFormat.MARKDOWN: "report.md",
    OutputFormat.SARIF: "report.sarif",
    OutputFormat.HTML: "report.html",
    OutputFormat.BADGE: "ospo.badge.json",
}


def test_every_format_is_written_in_these_tests() -> None:
    assert set(OUTPUTS) == set(OutputFormat)


def _scan(
    tmp_path: Path, arguments: list[str], environment: dict[str, str]
) -> tuple[int, list[str]]:
    """Run a scan writing every format; returns the exit code and every text it produced."""
    outputs = [tmp_path / name for name in OUTPUTS.values()]
    command = ["scan", *arguments, "-v"]
    for path in outputs:
        command += ["--output", str(path)]
    result = CliRunner(env=environment).invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    texts = [result.stdout, result.stderr]
    texts += [path.read_text(encoding="utf-8") for path in outputs if path.exists()]
    return result.exit_code, texts


GITLAB_FAULTS = [
    ("/api/graphql", 400),  # every project's files: an error row each
    ("/projects", 404),  # the listing
    ("/groups/", 400),  # the group itself
    ("/groups/", 422),
]


@pytest.fixture
def gitlab() -> Iterator[FakeGitLab]:
    with FakeGitLab(nested_group(), tokens=(GITLAB_TOKEN,)) as fake:
        yield fake


@pytest.mark.parametrize(("path", "status"), GITLAB_FAULTS)
def test_gitlab_errors_echoing_the_token_never_show_it(
    gitlab: FakeGitLab, tmp_path: Path, path: str, status: int
) -> None:
    gitlab.inject(path, status, 1000, echo=True)
    code, texts = _scan(
        tmp_path, ["gitlab:top", "--gitlab-url", gitlab.url], {"GITLAB_TOKEN": GITLAB_TOKEN}
    )
    assert code in (2, 3)
    assert any("for token ***" in text for text in texts)  # the echo reached the output, masked
    for text in texts:
        assert GITLAB_TOKEN not in text


@pytest.mark.parametrize("faults", [1, 40])
def test_github_errors_echoing_the_token_never_show_it(
    tmp_path: Path, faults: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GH_TOKEN", raising=False)
    repos = {f"repo-{i}": FakeRepo(f"repo-{i}", {"README.md": f"# Repo {i}\n"}) for i in range(3)}
    with FakeGitHub({"un-org": ("Organization", repos)}) as fake:
        fake.faults.extend(Fault("echo") for _ in range(faults))
        code, texts = _scan(
            tmp_path,
            ["github:un-org", "--github-url", fake.api_url],
            {"GITHUB_TOKEN": GITHUB_TOKEN},
        )
    assert code in (2, 3)
    assert any("***" in text for text in texts)
    for text in texts:
        assert GITHUB_TOKEN not in text


def test_a_token_named_by_token_env_is_redacted_too(gitlab: FakeGitLab, tmp_path: Path) -> None:
    gitlab.inject("/api/graphql", 400, 1000, echo=True)
    code, texts = _scan(
        tmp_path,
        ["gitlab:top", "--gitlab-url", gitlab.url, "--token-env", "AGENCY_GITLAB"],
        {"AGENCY_GITLAB": GITLAB_TOKEN, "GITLAB_TOKEN": ""},
    )
    assert code == 3
    assert any("for token ***" in text for text in texts)
    for text in texts:
        assert GITLAB_TOKEN not in text


@pytest.mark.parametrize(
    "arguments",
    [
        ["gitlab:top", "--gitlab-url", "http://agent:hunter2-secret@127.0.0.1:9/"],
        ["github:un-org", "--github-url", "http://agent:hunter2-secret@127.0.0.1:9/api/v3"],
        ["https://agent:hunter2-secret@gitlab.example.org/top"],
        ["https://agent:hunter2-secret@github.com/un-org"],
    ],
)
def test_credentials_in_a_url_are_refused_without_showing_them(
    tmp_path: Path, arguments: list[str]
) -> None:
    code, texts = _scan(tmp_path, arguments, {})
    assert code == 2
    assert "a URL with credentials is not accepted" in texts[1]
    for text in texts:
        assert "hunter2-secret" not in text
        assert "agent" not in text


def test_the_gitlab_token_does_not_follow_a_redirect_to_another_host(
    tmp_path: Path, gitlab: FakeGitLab
) -> None:
    """A 302 from the instance to another host: `PRIVATE-TOKEN` stays behind, as `Authorization`."""
    from pytest_httpserver import HTTPServer

    seen: list[dict[str, str]] = []

    def elsewhere(request: Request) -> Response:
        seen.append(dict(request.headers))
        return Response('{"message": "404 Not Found"}', 404, content_type="application/json")

    with HTTPServer(host="127.0.0.1", port=0) as other:
        other.expect_request("/api/v4/groups/top").respond_with_handler(elsewhere)

        with HTTPServer(host="127.0.0.1", port=0) as redirecting:
            target = f"http://127.0.0.1:{other.port}/api/v4/groups/top"
            redirecting.expect_request("/api/v4/groups/top").respond_with_response(
                Response(status=302, headers={"Location": target})
            )
            _scan(
                tmp_path,
                ["gitlab:top", "--gitlab-url", redirecting.url_for("/").rstrip("/")],
                {"GITLAB_TOKEN": GITLAB_TOKEN},
            )
    assert seen, "the redirect was followed"
    for headers in seen:
        assert GITLAB_TOKEN not in str(headers)


LONG_TOKEN = "glpat-Xq7vR2mK9pL4sT8wY3nB5c"
"""28 characters, as GitLab's personal access tokens are."""


def _no_part_of(token: str, text: str) -> bool:
    """Whether `text` holds no 8 consecutive characters of `token` (a cut secret included)."""
    return all(token[start : start + 8] not in text for start in range(len(token) - 7))


@pytest.mark.parametrize("padding", [124, 131, 140])
@pytest.mark.parametrize(("path", "status"), [("/api/graphql", 400), ("/groups/", 400)])
def test_a_token_echoed_where_the_message_is_cut_leaves_no_part_of_it(
    tmp_path: Path, path: str, status: int, padding: int
) -> None:
    """The error text is cut to 160 characters: with the echo placed across the cut, most of
    the token used to reach stderr and every report, unredacted for want of its end."""
    with FakeGitLab(nested_group(), tokens=(LONG_TOKEN,)) as fake:
        fake.inject(path, status, 1000, echo=True, padding=padding)
        code, texts = _scan(
            tmp_path, ["gitlab:top", "--gitlab-url", fake.url], {"GITLAB_TOKEN": LONG_TOKEN}
        )
    assert code in (2, 3)
    assert any("x" * 100 in text for text in texts)  # the host's text reached the output
    for text in texts:
        assert _no_part_of(LONG_TOKEN, text)


def test_a_token_echoed_where_fix_open_pr_cuts_the_message_leaves_no_part_of_it(
    tmp_path: Path,
) -> None:
    """`fix --open-pr` holds a token that can write; its errors are cut the same way."""
    with FakeGitLab(nested_group(), tokens=(LONG_TOKEN,)) as fake:
        fake.inject("/repository/", 400, 1000, echo=True, padding=124)
        result = CliRunner(env={"GITLAB_TOKEN": LONG_TOKEN}).invoke(
            main,
            ["fix", "gitlab:top", "--gitlab-url", fake.url, "--open-pr", "--format", "json", "-v"],
        )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "x" * 100 in result.stdout + result.stderr
    for text in (result.stdout, result.stderr):
        assert _no_part_of(LONG_TOKEN, text)
