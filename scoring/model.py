"""The scoring model: config/model.yaml (or a calibrated version of it) as code can use it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from config import config_path, load_yaml
from config.model import ModelConfig


def curve_points(curve: list[tuple[float, float]], value: float) -> float:
    """Piecewise-linear interpolation of ``value`` on ``curve``; flat outside its ends."""
    xs = [p[0] for p in curve]
    if value <= xs[0]:
        return float(curve[0][1])
    if value >= xs[-1]:
        return float(curve[-1][1])
    i = bisect.bisect_right(xs, value)
    (x0, y0), (x1, y1) = curve[i - 1], curve[i]
    if x1 == x0:
        return float(y1)
    return float(y0 + (y1 - y0) * (value - x0) / (x1 - x0))


@dataclass(frozen=True)
class Model:
    config: ModelConfig
    path: str = ""

    @property
    def version(self) -> str:
        return self.config.version

    def points(self, indicator_id: str, value: float) -> float:
        spec = self.config.indicators.get(indicator_id)
        if spec is None or not spec.enabled:
            return 0.0
        return curve_points(spec.curve, value)

    def weight(self, dimension: str) -> float:
        return self.config.dimensions[dimension].weight


def load_model(path: Path | None = None) -> Model:
    """The model from ``path`` or config/model.yaml (honouring SMOKE_CONFIG_DIR)."""
    p = path or config_path("model.yaml")
    return Model(load_yaml(Path(p), ModelConfig), str(p))
