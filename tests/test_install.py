"""`pip install .` as a newcomer does it: a new virtualenv from `python3.11 -m venv`, with the
pip that Python bundles (23.x, never upgraded), from the package index the machine's pip is set
up for. The `hub` it installs must start, and the build must not warn about our packaging."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a source checkout holds besides the package; copied without it, so pip builds a copy
# (pip 23 builds in the source tree and would leave build/ in ours).
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "instance", "tests", "scripts", "artifacts",
                                    "build", "*.egg-info", "__pycache__", ".pytest_cache")
WARNINGS = re.compile(r"BuildBackendWarning|SetuptoolsDeprecationWarning|DeprecationWarning"
                      r"|deprecated", re.IGNORECASE)


@pytest.mark.slow
def test_pip_install_with_the_bundled_pip_gives_a_hub_that_starts(tmp_path):
    python = shutil.which("python3.11")
    assert python, "python3.11 is needed: the hub supports 3.11, and this is what it brings"
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    version = subprocess.run([*pip, "--version"], capture_output=True, text=True, check=True)
    assert re.match(r"pip 2[0-3]\.", version.stdout), version.stdout  # the old pip, as shipped
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    installed = subprocess.run([*pip, "install", "--verbose", str(source)], capture_output=True,
                               text=True, timeout=400, env=env)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    # Our own packaging is quiet: nothing deprecated or misconfigured in how we declare it.
    ours = [line for line in installed.stdout.splitlines() + installed.stderr.splitlines()
            if WARNINGS.search(line) and "Location 'file:" not in line]
    assert ours == []
    started = subprocess.run([str(venv / "bin" / "hub"), "--help"], capture_output=True,
                             text=True, timeout=120, cwd=tmp_path, env=env)
    assert started.returncode == 0, started.stderr
    assert "Usage: hub" in started.stdout and "ingest" in started.stdout
    # trafilatura's jusText needs lxml_html_clean; the hub imports it on first use of a page.
    imported = subprocess.run([str(venv / "bin" / "python"), "-c",
                               "import hub.indexing.main_text, hub.web, hub.cli"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
