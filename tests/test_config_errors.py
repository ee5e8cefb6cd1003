"""A malformed config file fails with the file, the field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from config import ConfigError, load_yaml


class Sample(BaseModel):
    name: str
    weight: float = Field(ge=0)


def test_wrong_type_names_file_field_and_expectation(tmp_path: Path) -> None:
    f = tmp_path / "model.yaml"
    f.write_text("name: x\nweight: high\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_yaml(f, Sample)
    msg = str(exc.value)
    assert str(f) in msg and "weight" in msg and "number" in msg and "'high'" in msg


def test_broken_yaml_names_line(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML \(line \d+"):
        load_yaml(f, Sample)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_yaml(tmp_path / "nope.yaml", Sample)
