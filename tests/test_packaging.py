"""pyproject.toml and environment.yml describe the same environment."""
from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower().replace("_", "-")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def environment_lines():
    return [line.strip() for line in (ROOT / "environment.yml").read_text().splitlines()]


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = pyproject()["project"]
    wanted = {normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    pip_items = {
        normalise(line[2:]) for line in environment_lines()
        if line.startswith("- ") and any(op in line for op in "=<>")
        and not line.startswith("- python=")
    }
    assert pip_items == wanted
    assert "- -e ." in environment_lines()


def test_python_versions_agree():
    assert pyproject()["project"]["requires-python"] == ">=3.11,<3.12"
    assert "- python=3.11" in environment_lines()


def test_theano_pinned_to_the_release_the_course_is_built_on():
    assert "theano-pymc==1.1.2" in pyproject()["project"]["dependencies"]
