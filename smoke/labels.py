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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError, config_path, load_yaml
from indexing.models import (
    DIMENSIONS,
    DOC_TYPES,
    LEVEL_IDS,
    SOURCE_KINDS,
    high_levels,
    high_risk,
    level_bounds,
    level_for,
)
from smoke import regions
from smoke.service.timefmt import shanghai_display

LEVEL_ORDER: tuple[str, ...] = LEVEL_IDS  # green .. red
# The alert rules every surface names (smoke/alerts/rules.py, and ``test`` for a channel test).
ALERT_RULES: tuple[str, ...] = ("crossing", "rise", "critical", "test")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Strict):
    short: str = Field(min_length=1, max_length=2, description="The one-character band name: 绿 蓝 黄 橙 红.")
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
        "levels": list(LEVEL_IDS),
        "dimensions": list(DIMENSIONS),
        "doc_types": list(DOC_TYPES),
        "source_kinds": list(SOURCE_KINDS),
        "alert_rules": list(ALERT_RULES),
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

def level_zh(level: str | None) -> str:
    """The band's one-character name (``orange`` → 橙); 未评分 for none."""
    lv = labels().levels.get(level or "")
    return lv.short if lv else labels().unscored


def band_zh(index: float | None) -> str:
    """The one-character band name of a smoke index (65 → 橙), by the model's bands."""
    return labels().unscored if index is None else level_zh(level_for(index))


def level_range(level: str | None) -> str:
    """``orange`` → ``60-79`` (the bounds in config/model.yaml ``bands``)."""
    bounds = level_bounds()
    for i, (lo, lv) in enumerate(bounds):
        if lv == level:
            return f"{lo:g}-{bounds[i + 1][0] - 1:g}" if i + 1 < len(bounds) else f"{lo:g}-100"
    return ""


def level_name(level: str | None) -> str:
    lv = labels().levels.get(level or "")
    return lv.name if lv else labels().unscored


def level_colour(level: str | None) -> str:
    lv = labels().levels.get(level or "")
    return lv.colour if lv else "#98a2ad"


_TINT = 0.4  # share of the band's colour in a spreadsheet cell's fill


def level_fill(level: str | None) -> str:
    """The band's colour as a light tint for a spreadsheet cell (``RRGGBB``, no ``#``): the
    same colour as on the web, mixed with white so black text stays readable; "" for none."""
    lv = labels().levels.get(level or "")
    if lv is None:
        return ""
    rgb = (int(lv.colour[i:i + 2], 16) for i in (1, 3, 5))
    return "".join(f"{round(c * _TINT + 255 * (1 - _TINT)):02X}" for c in rgb)


class _LevelNames(Mapping[str, str]):
    """{level id: one-character band name}, green to red, read from config/labels.yaml when
    looked at, not when made: modules keep one as a constant, and importing them must not
    read (or fail on) the config before the CLI can report a bad SMOKE_CONFIG_DIR."""

    def __getitem__(self, level: str) -> str:
        lv = labels().levels.get(level) if level in LEVEL_ORDER else None
        if lv is None:
            raise KeyError(level)
        return lv.short

    def __iter__(self) -> Iterator[str]:
        return iter(LEVEL_ORDER)

    def __len__(self) -> int:
        return len(LEVEL_ORDER)


def level_names() -> Mapping[str, str]:
    """{level id: one-character band name}, green to red (config/labels.yaml, read on use)."""
    return _LevelNames()


def level_bands() -> list[dict[str, Any]]:
    """[{level, lo, hi, zh, colour, high}] green to red: the bands for charts (browser and SVG)."""
    bounds = level_bounds()
    threshold = high_risk()
    return [{"level": lv, "lo": lo, "hi": bounds[i + 1][0] if i + 1 < len(bounds) else 100.0, "zh": level_zh(lv),
             "colour": level_colour(lv), "high": lo >= threshold} for i, (lo, lv) in enumerate(bounds)]


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
    """An alert rule's title (``crossing`` → 升至高风险): pages, e-mails, robots, digests, CLI."""
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
    env.globals["HIGH_LEVELS"] = high_levels()
    env.globals["HIGH_RISK"] = f"{high_risk():g}"  # the line shown in headings: the model's threshold
