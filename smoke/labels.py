"""The Chinese names of every code the product shows, and the one way it shows times.

Names are analyst-editable data in ``config/labels.yaml``; this module loads and checks
them once and answers lookups for the web templates (``install`` registers Jinja globals
and filters), the exports and the CLI. A code without a name falls back to a neutral
Chinese word or the code itself, never to an error page.

Times: every surface shows Asia/Shanghai. A stored ISO time with an offset is converted;
one without an offset was written by this project in UTC (``datetime.now(UTC)``), so it
is read as UTC. A bare date (a data date, such as an alert's) is shown as it is.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError, config_path, load_yaml
from indexing.models import DIMENSIONS, DOC_TYPES, HIGH_RISK, LEVELS
from smoke import regions
from smoke.service.threshold import high_risk
from smoke.service.timefmt import shanghai_display

LEVEL_ORDER: tuple[str, ...] = tuple(level for _, level, _ in reversed(LEVELS))  # green .. red
HIGH_LEVELS: tuple[str, ...] = tuple(level for bound, level, _ in LEVELS if bound >= HIGH_RISK)
SOURCE_KINDS: tuple[str, ...] = ("registry", "court", "complaint", "promo", "amac")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Strict):
    name: str = Field(description="The band's longer name, e.g. 红色（极高风险）.")
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class LabelsFile(_Strict):
    version: int
    levels: dict[str, Level]
    unscored: str = "未评分"
    dimensions: dict[str, str]
    source_kinds: dict[str, str]
    doc_types: dict[str, str]
    sources: dict[str, str] = {}
    alert_rules: dict[str, str]
    delivery_states: dict[str, str]
    source_states: dict[str, str]
    run_statuses: dict[str, str]
    run_kinds: dict[str, str]
    audit_actions: dict[str, str]
    audit_keys: dict[str, str]
    audit_values: dict[str, str] = {}


def _check(path: Path, f: LabelsFile) -> LabelsFile:
    """Every code the code base defines has a name: a new level or dimension without one
    is a config error naming the field, not an English word on a Chinese page."""
    required = {
        "levels": [lv for _, lv, _ in LEVELS],
        "dimensions": list(DIMENSIONS),
        "doc_types": list(DOC_TYPES),
        "source_kinds": list(SOURCE_KINDS),
    }
    for field, codes in required.items():
        missing = [c for c in codes if c not in getattr(f, field)]
        if missing:
            raise ConfigError(f"{path}: {field}: missing name(s) for {', '.join(missing)}")
    return f


@functools.cache
def _load(path: Path) -> LabelsFile:
    return _check(path, load_yaml(path, LabelsFile))


def labels(config_dir: Path | None = None) -> LabelsFile:
    """The names from ``config/labels.yaml`` (validated, loaded once per file)."""
    return _load(config_path("labels.yaml", config_dir))


# --- lookups -------------------------------------------------------------------------

_BAND_ZH = {level: zh for _, level, zh in LEVELS}  # one character each, with the bounds


def level_zh(level: str | None) -> str:
    return _BAND_ZH.get(level or "", labels().unscored)


def level_range(level: str | None) -> str:
    """``orange`` → ``60-79`` (from the bounds in indexing.models.LEVELS)."""
    bounds = sorted((lo, lv) for lo, lv, _ in LEVELS)
    for i, (lo, lv) in enumerate(bounds):
        if lv == level:
            return f"{lo}-{bounds[i + 1][0] - 1}" if i + 1 < len(bounds) else f"{lo}-100"
    return ""


def level_name(level: str | None) -> str:
    lv = labels().levels.get(level or "")
    return lv.name if lv else labels().unscored


def level_colour(level: str | None) -> str:
    lv = labels().levels.get(level or "")
    return lv.colour if lv else "#98a2ad"


def level_names() -> dict[str, str]:
    """{level id: one-character band name}, green to red."""
    return {lv: _BAND_ZH[lv] for lv in LEVEL_ORDER}


def level_bands() -> list[dict[str, Any]]:
    """[{level, lo, hi, zh, colour}] green to red: the bands for charts drawn in the browser."""
    bounds = sorted((lo, lv, zh) for lo, lv, zh in LEVELS)
    return [{"level": lv, "lo": lo, "hi": bounds[i + 1][0] if i + 1 < len(bounds) else 100, "zh": zh,
             "colour": level_colour(lv), "high": lo >= HIGH_RISK} for i, (lo, lv, zh) in enumerate(bounds)]


def dimension_zh(dim: str) -> str:
    return labels().dimensions.get(dim, dim)


def source_kind_zh(kind: str) -> str:
    return labels().source_kinds.get(kind, kind or "未知")


def doc_type_zh(doc_type: str) -> str:
    return labels().doc_types.get(doc_type, labels().doc_types.get("other", doc_type))


def source_zh(name: str, fallback: str = "") -> str:
    """A configured source's Chinese description (its YAML description is for developers);
    ``fallback`` when it has none."""
    return labels().sources.get(name, fallback)


def alert_rule_zh(rule: str) -> str:
    return labels().alert_rules.get(rule, rule)


def delivery_zh(state: str) -> str:
    return labels().delivery_states.get(state, state)


def source_state_zh(state: str) -> str:
    return labels().source_states.get(state, state)


def run_status_zh(status: str) -> str:
    return labels().run_statuses.get(status, status)


def run_kind_zh(kind: str) -> str:
    """``cycle`` → 完整周期, ``crawl:web`` → 采集 · web."""
    head, _, rest = (kind or "").partition(":")
    name = labels().run_kinds.get(head, head)
    return f"{name} · {rest}" if rest else name


def region_name(code: str | None) -> str:
    """The province of a region code (110101 → 北京); the code itself when unknown (smoke.regions)."""
    return regions.province_name((code or "").strip())


def provinces() -> dict[str, str]:
    return dict(regions.PROVINCES)


def audit_action_zh(action: str) -> str:
    return labels().audit_actions.get(action, action)


def _audit_value(key: str, value: Any) -> str:
    lab = labels()
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "；".join(f"{_audit_key(k)}：{_audit_value(k, v)}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, list | tuple):
        return "、".join(_audit_value(key, v) for v in value) or "—"
    text = str(value)
    if key == "region" and text.isdigit():
        return f"{region_name(text)}（{text}）"
    if key == "level":
        return level_zh(text) if text in lab.levels else text
    if key == "source_kind":
        return source_kind_zh(text)
    if key == "doc_type":
        return doc_type_zh(text)
    if key == "source":
        return text
    if key == "sha256":
        return text[:12] + "…" if len(text) > 12 else text
    return lab.audit_values.get(text, text)


def _audit_key(key: str) -> str:
    return labels().audit_keys.get(key, key)


def audit_detail_text(detail: Any) -> str:
    """An audit entry's conditions as readable Chinese: ``关键词：北京；类型：企业``."""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return detail
    if not isinstance(detail, dict):
        return "" if detail is None else str(detail)
    return "；".join(f"{_audit_key(k)}：{_audit_value(k, v)}" for k, v in sorted(detail.items()))


# --- times -----------------------------------------------------------------------------


# A stored time shown in Asia/Shanghai (``2026-11-30 05:25``): the one helper, smoke.service.timefmt.
shanghai = shanghai_display


def install(env: Any) -> None:
    """Register the lookups as Jinja globals and filters (one name each)."""
    funcs = {
        "level_zh": level_zh,
        "level_name": level_name,
        "level_range": level_range,
        "level_colour": level_colour,
        "dimension_zh": dimension_zh,
        "source_kind_zh": source_kind_zh,
        "doc_type_zh": doc_type_zh,
        "source_zh": source_zh,
        "alert_rule_zh": alert_rule_zh,
        "delivery_zh": delivery_zh,
        "source_state_zh": source_state_zh,
        "run_status_zh": run_status_zh,
        "run_kind_zh": run_kind_zh,
        "region_name": region_name,
        "audit_action_zh": audit_action_zh,
        "audit_detail_text": audit_detail_text,
        "shanghai": shanghai,
    }
    env.filters.update(funcs)
    env.globals.update(funcs)
    env.globals["LEVEL_ORDER"] = LEVEL_ORDER
    env.globals["level_bands"] = level_bands
    env.globals["HIGH_LEVELS"] = HIGH_LEVELS
    env.globals["HIGH_RISK"] = f"{high_risk():g}"  # the line shown in headings: the model's threshold
