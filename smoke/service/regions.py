"""Region codes (GB/T 2260) by province: the names people type and the names shown."""

from __future__ import annotations

PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip

_BY_NAME = {name: code for code, name in PROVINCES.items()}
# What people add after a province's short name: 广东省, 北京市, 广西壮族自治区 ...
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")


def region_name(code: str) -> str:
    code = code or ""
    return PROVINCES.get(code[:2], code or "未知")


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
