"""environment.yml (conda) lists the same dependencies, with the same bounds, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from jnpolicy_analysis.paths import PROJECT_DIR


def _split(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), bound.replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(
        _split(s) for s in project["dependencies"] + project["optional-dependencies"]["test"]
    )
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    have: dict[str, str] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            have.update(_split(s) for s in item["pip"])
        else:
            name, bound = _split(item)
            if name not in ("python", "pip"):
                have[name] = bound
    assert have == wanted


def test_environment_python_matches_requires_python():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    assert f"python{project['requires-python']}" in env["dependencies"]
