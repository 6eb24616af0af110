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


def test_xdist_groups_keep_a_group_on_one_worker(tmp_path):
    """`make test` relies on `--dist loadgroup` to build each shared book once (tests/books.py): all tests
    of an `xdist_group` must run on the same worker with the pinned pytest and pytest-xdist."""
    import subprocess
    import sys

    (tmp_path / "test_a.py").write_text("import pytest\npytestmark = pytest.mark.xdist_group('g')\n"
                                        + "".join(f"def test_{i}(): pass\n" for i in range(6)))
    (tmp_path / "test_b.py").write_text("import pytest\n@pytest.mark.xdist_group('g')\ndef test_b(): pass\n"
                                        + "".join(f"def test_free_{i}(): pass\n" for i in range(6)))
    out = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider",
                          "-c", "/dev/null", "--rootdir", str(tmp_path), str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path).stdout
    workers = set(re.findall(r"\[(gw\d)\] .*PASSED \S+@g\b", out))
    assert len(re.findall(r"PASSED \S+@g\b", out)) == 7 and len(workers) == 1, out
