"""Validated configuration: YAML files in this folder, settings from the environment.

Every file has a pydantic model; ``load_yaml`` reports a bad file as
``ConfigError("config/model.yaml: dimensions.yield.weight: expected a number, got 'high'")``
so the operator knows the file, the field and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

CONFIG_DIR = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)


class SmokeError(Exception):
    """The root of the project's errors that an operator can act on: the message is one
    line naming the file (or setting) and what is wrong. ``smoke.errors`` maps each kind
    to a CLI exit code and an HTTP status, in one place."""


class ConfigError(SmokeError):
    """Raised by config loading: the message names the file, the field and what was expected."""


def config_path(name: str, config_dir: Path | None = None) -> Path:
    """The path of ``name`` (e.g. "model.yaml", "sources/registry.yaml") in the config dir.

    ``SMOKE_CONFIG_DIR`` overrides the bundled folder, file by file: a file missing
    there falls back to the bundled one.
    """
    from config.settings import config_dir_setting

    base = config_dir or config_dir_setting()
    if base is not None:
        candidate = Path(base) / name
        if candidate.exists():
            return candidate
    return CONFIG_DIR / name


def load_yaml(path: Path, model: type[M]) -> M:
    """Read and validate one YAML file against ``model``."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        # A file saved as GBK / GB18030 by a Chinese Windows editor is the usual case.
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                          f"save it as UTF-8 (it may be GBK)") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if raw is None:
        raw = {}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from exc


def format_validation_error(path: Path | str, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        got = err.get("input")
        got_s = "" if isinstance(got, dict | list) else f", got {got!r}"
        lines.append(f"{path}: {loc}: {err['msg'].lower()}{got_s}")
    return "\n".join(lines)
