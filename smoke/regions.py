"""Region codes (GB/T 2260) and their names: the one place that turns ``110101`` into
北京市东城区 and 广东 / 深圳 / 南山区 into code prefixes.

Companies carry a 6-digit district code; the first two digits are the province, the
first four the prefecture-level city. Provinces are complete; districts are those this
table knows (the sandbox world draws its companies from the same table). A code whose
district is unknown is named by its province.
"""

from __future__ import annotations

import re

# province code -> full name
PROVINCE_FULL: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip
# province code -> short name (charts, narrow columns)
PROVINCES: dict[str, str] = {
    code: re.sub(r"(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$", "", name) for code, name in PROVINCE_FULL.items()
}

# (district code, province, city, district)
DISTRICTS: tuple[tuple[str, str, str, str], ...] = (
    ("110101", "北京市", "北京市", "东城区"), ("110102", "北京市", "北京市", "西城区"),
    ("110105", "北京市", "北京市", "朝阳区"), ("110106", "北京市", "北京市", "丰台区"),
    ("110108", "北京市", "北京市", "海淀区"), ("120101", "天津市", "天津市", "和平区"),
    ("120103", "天津市", "天津市", "河西区"), ("130102", "河北省", "石家庄市", "长安区"),
    ("140105", "山西省", "太原市", "小店区"), ("150102", "内蒙古自治区", "呼和浩特市", "新城区"),
    ("210102", "辽宁省", "沈阳市", "和平区"), ("220102", "吉林省", "长春市", "南关区"),
    ("230102", "黑龙江省", "哈尔滨市", "道里区"), ("310101", "上海市", "上海市", "黄浦区"),
    ("310104", "上海市", "上海市", "徐汇区"), ("310112", "上海市", "上海市", "闵行区"),
    ("310115", "上海市", "上海市", "浦东新区"), ("320102", "江苏省", "南京市", "玄武区"),
    ("320106", "江苏省", "南京市", "鼓楼区"), ("320505", "江苏省", "苏州市", "虎丘区"),
    ("320506", "江苏省", "苏州市", "吴中区"), ("330102", "浙江省", "杭州市", "上城区"),
    ("330106", "浙江省", "杭州市", "西湖区"), ("330108", "浙江省", "杭州市", "滨江区"),
    ("340104", "安徽省", "合肥市", "蜀山区"), ("350102", "福建省", "福州市", "鼓楼区"),
    ("350203", "福建省", "厦门市", "思明区"), ("360102", "江西省", "南昌市", "东湖区"),
    ("370102", "山东省", "济南市", "历下区"), ("370202", "山东省", "青岛市", "市南区"),
    ("410105", "河南省", "郑州市", "金水区"), ("420102", "湖北省", "武汉市", "江岸区"),
    ("420106", "湖北省", "武汉市", "武昌区"), ("430102", "湖南省", "长沙市", "芙蓉区"),
    ("430104", "湖南省", "长沙市", "岳麓区"), ("440103", "广东省", "广州市", "荔湾区"),
    ("440104", "广东省", "广州市", "越秀区"), ("440106", "广东省", "广州市", "天河区"),
    ("440303", "广东省", "深圳市", "罗湖区"), ("440304", "广东省", "深圳市", "福田区"),
    ("440305", "广东省", "深圳市", "南山区"), ("440306", "广东省", "深圳市", "宝安区"),
    ("450103", "广西壮族自治区", "南宁市", "青秀区"), ("460106", "海南省", "海口市", "龙华区"),
    ("500103", "重庆市", "重庆市", "渝中区"), ("500105", "重庆市", "重庆市", "江北区"),
    ("510104", "四川省", "成都市", "锦江区"), ("510107", "四川省", "成都市", "武侯区"),
    ("520102", "贵州省", "贵阳市", "南明区"), ("530102", "云南省", "昆明市", "五华区"),
    ("610103", "陕西省", "西安市", "碑林区"), ("610113", "陕西省", "西安市", "雁塔区"),
    ("620102", "甘肃省", "兰州市", "城关区"), ("630104", "青海省", "西宁市", "城西区"),
    ("640104", "宁夏回族自治区", "银川市", "兴庆区"), ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
)  # fmt: skip
_BY_CODE = {d[0]: d for d in DISTRICTS}
_CITIES = {d[0][:4]: (d[1], d[2]) for d in DISTRICTS}  # city code prefix -> (province, city)


class RegionError(ValueError):
    """A region given by name or code that this table does not know; the message says what is accepted."""


def province_name(code: str) -> str:
    """The province's short name (广东) of a region code; the code itself when unknown, 未知 when empty."""
    code = code or ""
    return PROVINCES.get(code[:2], code or "未知")


def region_name(code: str) -> str:
    """The full name of a region code: 广东省深圳市南山区, 北京市东城区; the province's full
    name when the district is not in the table (with its city's when that is: 440300 ->
    广东省深圳市); the code itself when the province is unknown; 未知 when empty."""
    code = (code or "").strip()
    if not code:
        return "未知"
    d = _BY_CODE.get(code)
    if d:
        _, prov, city, district = d
        return (prov if prov == city else prov + city) + district
    if code[:4] in _CITIES and len(code) >= 4:
        prov, city = _CITIES[code[:4]]
        return prov if prov == city else prov + city
    return PROVINCE_FULL.get(code[:2], code)


def _names() -> dict[str, set[str]]:
    """Every name a user may type -> the code prefixes it covers."""
    out: dict[str, set[str]] = {}

    def add(name: str, prefix: str) -> None:
        out.setdefault(name, set()).add(prefix)

    for code, full in PROVINCE_FULL.items():
        add(full, code)
        add(PROVINCES[code], code)
    for code, _prov, city, district in DISTRICTS:
        if city not in PROVINCE_FULL.values():  # a municipality's city is its province
            add(city, code[:4])
            add(city.removesuffix("市"), code[:4])
        add(district, code)
    return out


_NAMES = _names()


def resolve_region(text: str) -> list[str]:
    """The region code prefixes a user's region means: digits (``44``, ``4403``, ``440305``)
    as they are; a province name (广东 / 广东省: all its regions), a city (深圳 / 深圳市) or a
    district (南山区). Several, separated by commas, add up. Raises RegionError otherwise."""
    prefixes: set[str] = set()
    for part in re.split(r"[,，、\s]+", (text or "").strip()):
        if not part:
            continue
        if part.isdigit() and part.isascii():
            if len(part) > 6:
                raise RegionError(f"region: expected a code of at most 6 digits or a region name, got {part!r}")
            prefixes.add(part)
        elif part in _NAMES:
            prefixes |= _NAMES[part]
        else:
            raise RegionError(
                f"region: unknown region {part!r}; expected a code prefix (44, 4403, 440305) or a name "
                f"such as 广东 / 广东省 / 深圳 / 南山区")
    # a prefix covered by a shorter one adds nothing
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def in_regions(code: str, prefixes: list[str]) -> bool:
    return any((code or "").startswith(p) for p in prefixes)
