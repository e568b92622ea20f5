"""YAML from a repository, read as plain data: aliases and nesting cannot blow up a scan."""

from __future__ import annotations

import pytest

from ospo_scan.untrusted.yaml_data import YamlDataError, load_yaml


def _laughs(levels: int) -> str:
    """Each level's list holds the previous one nine times: 9**levels values from a few lines."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        alias = f"*l{level - 1}"
        lines.append(f"l{level}: &l{level} [{', '.join([alias] * 9)}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_before_anything_walks_it() -> None:
    with pytest.raises(YamlDataError, match="expands to more than 50000 values"):
        load_yaml(_laughs(9))


def test_a_few_shared_values_are_fine() -> None:
    document = load_yaml(_laughs(2))
    assert document["l2"][0][0] == ["lol"] * 9


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 300))]
)
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(YamlDataError, match="nests more deeply"):
        load_yaml(text)


def test_scalars_are_read_as_yaml_1_2_reads_them() -> None:
    document = load_yaml("date: 2025-03-01\nanswer: yes\nflag: off\nreal: true\nversion: 2.2.0\n")
    assert document == {
        "date": "2025-03-01",
        "answer": "yes",
        "flag": "off",
        "real": True,
        "version": "2.2.0",
    }


def test_invalid_yaml_says_where() -> None:
    with pytest.raises(YamlDataError, match="at line 2"):
        load_yaml("a: 1\nb: : c\n")


def test_several_documents_are_refused() -> None:
    with pytest.raises(YamlDataError, match="not valid YAML"):
        load_yaml("a: 1\n---\nb: 2\n")


def test_python_objects_are_never_built() -> None:
    with pytest.raises(YamlDataError):
        load_yaml("!!python/object/apply:os.system ['true']\n")
