"""Regions for the filter parser: a user's region (code prefix or name) as one code prefix.
Names and codes live in one table, smoke.regions."""

from __future__ import annotations

from smoke.regions import PROVINCES, RegionError, resolve_region
from smoke.regions import province_name as region_name

__all__ = ["PROVINCES", "REGION_HELP", "region_code", "region_name"]


def region_code(value: str) -> str | None:
    """A region filter as one code prefix: digits (up to 6) as given, or a province, city or
    district name (广东, 广东省, 深圳, 南山区); None when it is none of these or names several."""
    try:
        prefixes = resolve_region(value)
    except RegionError:
        return None
    return prefixes[0] if len(prefixes) == 1 else None


REGION_HELP = ("a region code prefix of up to 6 digits (44, 4403, 440305) or one region name "
               "(北京, 广东, 广东省, 深圳, 南山区)")
