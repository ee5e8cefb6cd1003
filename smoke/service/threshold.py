"""The high-risk threshold (冒烟指数 at or above it: orange and red), read from the model.

Every surface (the cycle's list, the high-risk page, exports, the dashboard, the CLI)
asks ``high_risk()``; the number is written once, in config/model.yaml (the lower bound
of ``high_risk_band`` in ``bands``), and read through indexing.models, which the scorer's
levels read too."""

from __future__ import annotations

from indexing.models import high_risk

__all__ = ["high_risk", "is_high"]


def is_high(index: float | None) -> bool:
    return index is not None and index >= high_risk()
