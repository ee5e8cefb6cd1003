"""The version lock of the versioned config files (config/versions.lock).

Scores record the ``version`` of config/model.yaml, config/lexicon.yaml and
config/analyser.yaml, so a change to one of them must come with a new version. The lock
holds, per file, its version and the SHA-256 of its content (the parsed YAML without
``version``, in file order: comments and layout are not content, an added cue or a
changed weight is). ``problems()`` lists each file whose content changed while its
version did not (bump it), or whose version differs from the lock (refresh it with
``python scripts/lock_config_versions.py``, which refuses while a version is missing
its bump). tests/test_config_versions.py runs it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from config import CONFIG_DIR

VERSIONED = ("model.yaml", "lexicon.yaml", "analyser.yaml", "text_model.json")  # JSON is YAML too
LOCK_NAME = "versions.lock"
LOCK_SCRIPT = "python scripts/lock_config_versions.py"


def fingerprint(path: Path) -> dict[str, str]:
    """{"version", "sha256"} of one config file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    version = str(data.pop("version", ""))
    canonical = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return {"version": version, "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}


def read_lock(config_dir: Path = CONFIG_DIR) -> dict[str, dict[str, str]]:
    path = config_dir / LOCK_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def problems(config_dir: Path = CONFIG_DIR) -> list[str]:
    """What is wrong between the versioned files and the lock; [] when all is in order."""
    lock = read_lock(config_dir)
    out = []
    for name in VERSIONED:
        now = fingerprint(config_dir / name)
        locked = lock.get(name)
        where = f"config/{name}"
        if locked is None:
            out.append(f"{where} is not in config/{LOCK_NAME}: run {LOCK_SCRIPT}")
        elif now["sha256"] != locked["sha256"] and now["version"] == locked["version"]:
            out.append(f"{where} changed but its version is still {now['version']!r}: bump `version` in {where} "
                       f"(every score records it), then run {LOCK_SCRIPT}")
        elif now["version"] != locked["version"]:
            out.append(f"{where} is version {now['version']!r} but config/{LOCK_NAME} records {locked['version']!r}: "
                       f"run {LOCK_SCRIPT}")
    return out


def write_lock(config_dir: Path = CONFIG_DIR) -> dict[str, dict[str, str]]:
    """Record the current versions and hashes; refuses (ValueError) while a changed file
    still carries its locked version."""
    lock = read_lock(config_dir)
    unbumped = [p for p in problems(config_dir) if "bump `version`" in p]
    if unbumped:
        raise ValueError("\n".join(unbumped))
    new = {name: fingerprint(config_dir / name) for name in VERSIONED}
    if new != lock:
        (config_dir / LOCK_NAME).write_text(json.dumps(new, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return new
