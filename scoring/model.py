"""The scoring model: config/model.yaml (or a calibrated version of it) as code can use it."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import cached_property
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


def saturate(raw: float, knee: float, scale: float = 0.0) -> float:
    """The index from the raw weighted sum: ``raw`` up to ``knee``, then an exponential
    approach to 100 (the gap to 100 shrinks by e every ``scale`` raw points; 0 means
    100 - knee, a slope of 1 at the knee). Strictly increasing, so more evidence always
    ranks higher and nothing at the knee or above falls below it; 100 itself is only
    reached by overwhelming evidence. ``knee`` 100 is a plain cap at 100."""
    if raw <= knee:
        return raw
    room = 100.0 - knee
    if room <= 0:
        return 100.0
    return knee + room * (1.0 - math.exp(-(raw - knee) / (scale or room)))


def raise_to_floor(index: float, floor: float) -> float:
    """A hard rule's floor without losing order: [0, 100] maps onto [floor, 100], so two
    companies under the same rule keep the order their evidence gave them."""
    return floor + (100.0 - floor) * index / 100.0


@dataclass(frozen=True, slots=True)
class IndicatorPlan:
    id: str
    dimension: str
    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def points(self, value: float) -> float:
        xs, ys = self.xs, self.ys
        if value <= xs[0]:
            return ys[0]
        if value >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, value)
        x0, x1 = xs[i - 1], xs[i]
        if x1 == x0:
            return ys[i]
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (value - x0) / (x1 - x0)


@dataclass(frozen=True)
class Model:
    config: ModelConfig
    path: str = ""

    @cached_property
    def plan(self) -> tuple[IndicatorPlan, ...]:
        """Enabled indicators sorted by id, curves unpacked: what the scorer loops over."""
        return tuple(
            IndicatorPlan(i, spec.dimension, spec.label, tuple(float(p[0]) for p in spec.curve),
                          tuple(float(p[1]) for p in spec.curve))
            for i, spec in sorted(self.config.indicators.items()) if spec.enabled
        )

    @cached_property
    def weights(self) -> dict[str, float]:
        return {d: spec.weight for d, spec in self.config.dimensions.items()}

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
