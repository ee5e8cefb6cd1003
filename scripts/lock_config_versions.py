"""Refresh config/versions.lock after bumping the version of config/model.yaml,
config/lexicon.yaml or config/analyser.yaml (see config/versions.py). Refuses, naming the
file, while a changed file still carries its old version."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.versions import LOCK_NAME, write_lock  # noqa: E402

if __name__ == "__main__":
    try:
        lock = write_lock()
    except ValueError as exc:
        sys.exit(str(exc))
    for name, entry in lock.items():
        print(f"config/{name}: version {entry['version']}  sha256 {entry['sha256'][:12]}")
    print(f"wrote config/{LOCK_NAME}")
