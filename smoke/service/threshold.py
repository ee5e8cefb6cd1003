"""The high-risk threshold (冒烟指数 at or above it: orange and red), read from the model.

Every surface (the cycle's list, the high-risk page, exports, the dashboard, the CLI)
asks ``high_risk()``; the number is written once, in config/model.yaml (``high_risk``,
default 60 in config/model.py)."""

from __future__ import annotations

from functools import lru_cache


def high_risk() -> float:
    """The model's high-risk threshold (config/model.yaml, honouring SMOKE_CONFIG_DIR)."""
    from config import config_path

    return _read(str(config_path("model.yaml")))


@lru_cache(maxsize=8)
def _read(path: str) -> float:
    from pathlib import Path

    from scoring.model import load_model

    return float(load_model(Path(path)).config.high_risk)


def is_high(index: float | None) -> bool:
    return index is not None and index >= high_risk()
