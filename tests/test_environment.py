"""environment.yml (for conda users) states the same versions as requirements.lock."""

from __future__ import annotations

import re

import yaml


def _pins(lines):
    pins = {}
    for line in lines:
        m = re.match(r"^\s*(?:-\s*)?([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_yml_agrees_with_lock(project):
    lock = _pins((project.root / "requirements.lock").read_text().splitlines())
    env = yaml.safe_load((project.root / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = _pins(pip_section)
    assert len(conda_pins) >= 15
    disagree = {name: (v, lock.get(name)) for name, v in conda_pins.items() if lock.get(name) != v}
    assert not disagree, f"environment.yml y requirements.lock no coinciden: {disagree}"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == "python=3.11"


def test_direct_dependencies_are_all_pinned(project):
    import tomllib

    lock = _pins((project.root / "requirements.lock").read_text().splitlines())
    deps = tomllib.loads((project.root / "pyproject.toml").read_text())["project"]["dependencies"]
    missing = [d for d in deps if d.lower().replace("_", "-") not in lock]
    assert not missing, missing
