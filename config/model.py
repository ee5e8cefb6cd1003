"""Schema of ``config/model.yaml``: the smoke-index model (curves, weights, hard rules).

A model file is versioned: scores record ``version``, and the same inputs with the same
version always give the same score. ``smoke calibrate`` writes new versions next to it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DIMENSION_IDS = ("compliance", "complaints", "yield", "feature_words", "spread", "network")
# The colour bands, low to high (DESIGN.md). Their lower bounds are model data (``bands``
# below), their names and colours labels (config/labels.yaml).
LevelId = Literal["green", "blue", "yellow", "orange", "red"]
LEVEL_IDS: tuple[str, ...] = LevelId.__args__  # type: ignore[attr-defined]


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    weight: float = Field(ge=0, le=5, description="Index points per dimension point (see scoring/scorer.py).")


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimension: str
    label: str
    curve: list[tuple[float, float]] = Field(
        description="Piecewise-linear curve [[value, dimension points], ...], values ascending; flat outside."
    )
    enabled: bool = True

    @field_validator("dimension")
    @classmethod
    def _dim(cls, v: str) -> str:
        if v not in DIMENSION_IDS:
            raise ValueError(f"expected one of {', '.join(DIMENSION_IDS)}")
        return v

    @field_validator("curve")
    @classmethod
    def _curve(cls, v: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if not v:
            raise ValueError("a curve needs at least one point")
        xs = [p[0] for p in v]
        if xs != sorted(xs):
            raise ValueError("curve values must be ascending")
        for _, y in v:
            if not 0 <= y <= 100:
                raise ValueError(f"curve points must be within 0..100, got {y}")
        return v


class HardRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    indicator: str = Field(description="The indicator whose value > 0 triggers the rule.")
    min_index: float = Field(ge=0, le=100, description="The smoke index is raised to at least this.")


class Network(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed_min_index: float = Field(60, description="A company scoring at least this (without network) seeds risk.")
    similarity_threshold: float = Field(0.6, ge=0, le=1, description="Below this, promo texts are not near-copies.")
    max_cluster: int = Field(50, description="Values shared by more companies do not join clusters.")
    max_tie_members: int = Field(
        8, description="Values (a registered-agent address, a common name) shared by more companies carry no risk."
    )


class ModelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    description: str = ""
    lpr_1y: float = Field(3.1, gt=0, description="One-year loan prime rate, percent: the yield benchmark.")
    judicial_multiple: float = Field(4.0, description="Private lending above this many times the LPR is not protected.")
    complaint_half_life_days: float = Field(180, gt=0)
    recent_days: int = Field(90, gt=0, description="Window for growth indicators.")
    penalty_window_days: int = Field(730, gt=0, description="Administrative penalties for fundraising this recent weigh heavily.")
    risky_page_min_risk: float = Field(30, description="Promo pages below this text risk do not count as spread.")
    bands: dict[str, float] = Field(
        description="Each colour band's lowest smoke index, green (0) to red: the one place the level cut-offs "
                    "are written (indexing.models.level_for).")
    high_risk_band: LevelId = Field(
        description="The band where high risk begins; it and the bands above are high risk. Its lower bound is "
                    "the high-risk threshold (``high_risk``): the high-risk list, exports and alerts' default.")
    saturation_knee: float = Field(
        100, ge=0, le=100,
        description="Up to this the index is the weighted sum of dimensions; above it the index approaches 100 "
                    "smoothly (scoring.model.saturate), so companies beyond the cap keep their order. 100: a plain cap.")
    saturation_scale: float = Field(
        0, ge=0, description="Raw points above the knee over which the gap to 100 shrinks by e (0: 100 - knee, "
                             "a slope of 1 at the knee). Larger spreads the high bands further.")
    passing_mention_cues: list[str] = Field(
        default_factory=list,
        description="A news report or warning whose every sentence naming a company holds one of these clears "
                    "or merely mentions it (scoring/subject.py): it is no evidence against that company.")
    dimensions: dict[str, Dimension]
    indicators: dict[str, Indicator]
    hard_rules: dict[str, HardRule] = Field(default_factory=dict)
    network: Network = Field(default_factory=Network)

    @field_validator("bands")
    @classmethod
    def _bands(cls, v: dict[str, float]) -> dict[str, float]:
        if tuple(v) != LEVEL_IDS:
            raise ValueError(f"expected the bands {', '.join(LEVEL_IDS)} in that order, got {', '.join(v)}")
        bounds = list(v.values())
        if bounds[0] != 0 or any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)) or bounds[-1] > 100:
            raise ValueError(f"expected lower bounds rising from 0 (green) to at most 100, got {bounds}")
        return v

    @property
    def high_risk(self) -> float:
        """A smoke index at or above this is high risk: the lower bound of ``high_risk_band``."""
        return float(self.bands[self.high_risk_band])

    def level_for(self, index: float) -> str:
        """The colour band of a smoke index: the highest band whose lower bound it reaches."""
        level = LEVEL_IDS[0]
        for lv, bound in self.bands.items():
            if index >= bound:
                level = lv
        return level

    @model_validator(mode="after")
    def _complete(self) -> ModelConfig:
        missing = [d for d in DIMENSION_IDS if d not in self.dimensions]
        if missing:
            raise ValueError(f"dimensions: missing {', '.join(missing)}")
        for rid, rule in self.hard_rules.items():
            if rule.indicator not in self.indicators:
                raise ValueError(f"hard_rules.{rid}.indicator: unknown indicator {rule.indicator!r}")
        return self
