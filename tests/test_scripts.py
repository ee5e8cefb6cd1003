"""The README's two commands: ./scripts/run then ./scripts/test must install the test
extras even though the first one already made .venv (scripts/_venv.sh's stamps)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_test_extras_are_installed_after_a_plain_install(tmp_path: Path) -> None:
    # A stand-in .venv whose python records each `pip install` it is asked for: the
    # script's own logic (stamps, order) runs for real, without a network install.
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/../../installs"\n')
    python.chmod(0o755)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    script = f'set -euo pipefail; source "{ROOT}/scripts/_venv.sh"; ensure_venv ""; ensure_venv "[test]"; ensure_venv "[test]"'
    subprocess.run(["bash", "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True)
    installs = (tmp_path / "installs").read_text().splitlines()
    assert installs == ["-m pip install -q -e .", "-m pip install -q -e .[test]"], installs
