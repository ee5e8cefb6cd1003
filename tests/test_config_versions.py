"""A versioned config file (model, lexicon, analyser rules) never changes without its
version changing: scores record the versions, so the same version must mean the same
content (config/versions.lock holds each file's content hash next to its version)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from config import CONFIG_DIR
from config.versions import VERSIONED, fingerprint, problems, write_lock


def test_versioned_config_matches_its_lock() -> None:
    found = problems()
    assert not found, "\n".join(found)


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    for name in (*VERSIONED, "versions.lock"):
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    assert problems(tmp_path) == []
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _bump(path: Path, version: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^version: .*$", f'version: "{version}"', text, count=1, flags=re.M), encoding="utf-8")


def test_a_new_cue_without_a_version_bump_fails(config_copy: Path) -> None:
    _edit(config_copy / "analyser.yaml", "legitimacy:\n  cues:\n", "legitimacy:\n  cues:\n    - 新披露语\n")
    found = problems(config_copy)
    assert len(found) == 1 and "config/analyser.yaml changed but its version is still" in found[0]
    assert "bump `version`" in found[0] and "scripts/lock_config_versions.py" in found[0]
    with pytest.raises(ValueError, match="analyser.yaml"):
        write_lock(config_copy)  # the lock cannot be refreshed around a missing bump
    _bump(config_copy / "analyser.yaml", "9.0.0-test")
    assert "records" in problems(config_copy)[0]  # bumped: now the lock is stale
    write_lock(config_copy)
    assert problems(config_copy) == []


def test_a_changed_weight_in_the_model_or_lexicon_fails(config_copy: Path) -> None:
    _edit(config_copy / "model.yaml", "lpr_1y: 3.1", "lpr_1y: 3.0")
    text = (config_copy / "lexicon.yaml").read_text(encoding="utf-8")
    (config_copy / "lexicon.yaml").write_text(text.replace("拉人头: 5", "拉人头: 4", 1), encoding="utf-8")
    found = problems(config_copy)
    assert [f.split(" ")[0] for f in found] == ["config/model.yaml", "config/lexicon.yaml"]


def test_comments_are_not_content(config_copy: Path) -> None:
    before = fingerprint(config_copy / "model.yaml")
    _edit(config_copy / "model.yaml", "lpr_1y: 3.1", "lpr_1y: 3.1  # the one-year LPR")
    assert fingerprint(config_copy / "model.yaml") == before and problems(config_copy) == []
