"""Region codes (GB/T 2260) by province: the names people type and the names shown."""

from __future__ import annotations

from smoke import labels

PROVINCES = labels.provinces()  # names: config/labels.yaml (smoke.labels)

_BY_NAME = {name: code for code, name in PROVINCES.items()}
# What people add after a province's short name: 广东省, 北京市, 广西壮族自治区 ...
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")


region_name = labels.region_name


def region_code(value: str) -> str | None:
    """A region filter as a code prefix: digits (up to 6) as given, or a province's name
    (广东, 广东省) as its two digits; None when it is neither."""
    v = (value or "").strip()
    if v.isdigit() and len(v) <= 6:
        return v
    if v in _BY_NAME:
        return _BY_NAME[v]
    for suffix in _SUFFIXES:
        if v.endswith(suffix) and v[: -len(suffix)] in _BY_NAME:
            return _BY_NAME[v[: -len(suffix)]]
    return None


REGION_HELP = "a region code prefix of up to 6 digits (44, 4403, 440305) or a province name (北京, 广东, 广东省)"
