"""Text normalisation shared by crawlers, the store and the scorer.

``normalize_text`` is the canonical form every document is stored and indexed in:

1. Unicode NFKC: full-width letters, digits and punctuation become half-width,
   compatibility ideographs (U+F900..) and Kangxi radicals (U+2F00..) become the
   unified ideographs.
2. Invisible characters are removed: zero-width spaces and joiners, bidi controls,
   soft hyphens, variation selectors, tag characters, fillers, stray combining marks.
   Promoters insert them between characters to defeat keyword filters.
3. Variant and look-alike characters used for evasion are folded (``VARIANTS``:
   噺→新, 鈈→不, Japanese shinjitai 伝→传, CJK radical-supplement forms ⻔→门 ...).
   This runs *before* the traditional→simplified step because OpenCC maps some of
   these to unrelated characters (OpenCC: 鈈→钚 plutonium; in promotions 鈈 is 不).
4. Traditional → simplified with OpenCC's t2s dictionaries (from the installed
   ``opencc-python-reimplemented`` package): its phrase table first (乾坤 stays,
   乾淨→干净), then its character table. The pure-Python OpenCC converter is far too
   slow for millions of documents, so the same tables are compiled into one
   ``str.translate`` table plus one phrase regex (same output as OpenCC on its own
   phrase list, checked by a test; a few MB/s instead of a few KB/s).
5. Whitespace runs collapse to one space; the ends are stripped.

``squeeze`` is the evasion-robust matching form (非 法 集 资 / 传-销 / 传*销 → 非法集资 /
传销); ``normalize_name`` the form company names are compared in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# --- invisible characters ----------------------------------------------------
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels (render as nothing)
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space / non-joiner / joiner, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0x1D173, 0x1D17A),  # musical formatting controls
    (0xE0000, 0xE007F),  # tag characters
    (0xE0100, 0xE01EF),  # variation selectors supplement
    # Combining marks left over after NFKC composed what it could: "传̶销" strike-through
    # and "Zalgo" decoration. Accented letters are precomposed by NFKC, so they survive.
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)

# --- variant and look-alike characters -----------------------------------------
# Characters that real promotional text uses in place of ordinary simplified ones,
# to slip past keyword filters, and that OpenCC's t2s table does not fold (or folds
# to something else). Only characters that are rare in ordinary mainland text are
# listed, so folding them never changes the meaning of honest text.
VARIANTS: dict[str, str] = {
    # evasion look-alikes and 异体字 seen in promotions and chat screenshots
    "噺": "新", "鈈": "不", "芣": "不", "吥": "不", "伱": "你", "妳": "你", "莪": "我", "涐": "我",
    "徣": "借", "歀": "款", "亊": "事", "弍": "二", "弌": "一", "弐": "二",
    "淸": "清", "靑": "青", "戶": "户", "吿": "告", "敎": "教", "硏": "研", "査": "查",
    "啓": "启", "卽": "即", "旣": "既", "槪": "概", "兾": "冀", "淨": "净", "裡": "里",
    "姍": "姗", "賍": "赃", "劵": "券", "蔴": "麻", "菓": "果", "囙": "因", "鷄": "鸡",
    "衹": "只", "崑": "昆", "迺": "乃", "乗": "乘", "囬": "回",
    "廻": "回", "凖": "准", "涙": "泪", "捴": "总", "縂": "总", "揔": "总", "蹟": "迹",
    "銭": "钱",
    # Japanese shinjitai (appear in copied or machine-converted text)
    "伝": "传", "売": "卖", "読": "读", "険": "险", "検": "检", "験": "验", "図": "图",
    "実": "实", "価": "价", "単": "单", "営": "营", "総": "总", "証": "证", "権": "权",
    "団": "团", "経": "经", "済": "济", "変": "变", "収": "收", "対": "对", "発": "发",
    "労": "劳", "鉄": "铁", "楽": "乐", "帰": "归", "様": "样", "継": "继", "続": "续",
    "歩": "步", "渉": "涉", "亜": "亚", "悪": "恶", "圧": "压", "囲": "围", "隠": "隐",
    "栄": "荣", "穏": "稳", "仮": "假", "拡": "扩", "覚": "觉", "関": "关", "歓": "欢",
    "観": "观", "気": "气", "偽": "伪", "挙": "举", "拠": "据", "駆": "驱", "恵": "惠",
    "軽": "轻", "県": "县", "剣": "剑", "広": "广", "鉱": "矿", "砕": "碎", "雑": "杂",
    "賛": "赞", "児": "儿", "釈": "释", "従": "从", "獣": "兽", "縦": "纵", "粛": "肃",
    "処": "处", "焼": "烧", "奨": "奖", "浄": "净", "剰": "剩", "畳": "叠", "縄": "绳",
    "譲": "让", "醸": "酿", "粋": "粹", "酔": "醉", "髄": "髓", "斉": "齐", "摂": "摄",
    "専": "专", "戦": "战", "繊": "纤", "荘": "庄", "捜": "搜", "挿": "插", "巣": "巢",
    "層": "层", "騒": "骚", "増": "增", "蔵": "藏", "臓": "脏", "帯": "带", "択": "择",
    "沢": "泽", "弾": "弹", "遅": "迟", "鋳": "铸", "庁": "厅", "徴": "征", "聴": "听",
    "鎮": "镇", "転": "转", "稲": "稻", "闘": "斗", "徳": "德", "悩": "恼", "脳": "脑",
    "覇": "霸", "廃": "废", "髪": "发", "抜": "拔", "浜": "滨", "仏": "佛", "併": "并",
    "辺": "边", "豊": "丰", "毎": "每", "黙": "默", "薬": "药", "訳": "译", "揺": "摇",
    "謡": "谣", "頼": "赖", "覧": "览", "竜": "龙", "両": "两", "猟": "猎", "緑": "绿",
    "塁": "垒", "霊": "灵", "齢": "龄", "暦": "历", "歴": "历", "録": "录", "駅": "驿",
    "塩": "盐", "払": "拂",
    # CJK Radicals Supplement (U+2E80..U+2EFF): NFKC leaves these alone, yet they render
    # like ordinary characters (⻔店, ⻢云, ⻅面) and are a known filter-evasion trick.
    "⺁": "厂", "⺇": "几", "⺈": "刀", "⺊": "卜", "⺌": "小", "⺍": "小", "⺎": "兀",
    "⺏": "尢", "⺐": "尢", "⺑": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺖": "心",
    "⺗": "心", "⺘": "手", "⺙": "攴", "⺛": "无", "⺜": "日", "⺝": "月", "⺞": "歹",
    "⺟": "母", "⺠": "民", "⺡": "水", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪",
    "⺦": "丬", "⺧": "牛", "⺨": "犬", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示",
    "⺭": "示", "⺮": "竹", "⺯": "糸", "⺰": "糸", "⺱": "网", "⺲": "网", "⺳": "网",
    "⺴": "网", "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿",
    "⺻": "聿", "⺼": "肉", "⺽": "臼", "⺾": "艸", "⺿": "艸", "⻀": "艸", "⻁": "虎",
    "⻂": "衣", "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠",
    "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝",
    "⻐": "金", "⻑": "长", "⻒": "长", "⻓": "长", "⻔": "门", "⻕": "阜", "⻖": "阝",
    "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐",
    "⻬": "齐", "⻭": "齿", "⻮": "齿", "⻯": "龙", "⻰": "龙", "⻱": "龟", "⻲": "龟",
    "⻳": "龟",
}


def _load_opencc_tables() -> tuple[dict[str, str], dict[str, str]]:
    """OpenCC t2s character and phrase tables (first candidate of each entry)."""
    import opencc  # opencc-python-reimplemented: we read its bundled dictionaries

    d = Path(opencc.__file__).parent / "dictionary"

    def read(name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in (d / name).read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                key, vals = line.split("\t", 1)
                out[key] = vals.split(" ")[0]
        return out

    return read("TSCharacters.txt"), read("TSPhrases.txt")


class _Tables:
    """Everything ``normalize_text`` needs, compiled once."""

    def __init__(self) -> None:
        chars, phrases = _load_opencc_tables()
        invisible = {cp: None for lo, hi in _INVISIBLE_RANGES for cp in range(lo, hi + 1)}
        # Step A: invisible removal + variant folding (before t2s, see module docstring).
        pre = dict(invisible)
        pre.update({ord(k): v for k, v in VARIANTS.items()})
        self.pre = str.maketrans(pre)
        # Step B: OpenCC characters. Variant targets win over OpenCC (鈈).
        self.t2s = str.maketrans({k: v for k, v in chars.items() if len(k) == 1 and k != v})
        # Phrases whose conversion differs from converting their characters one by one.
        kept = {k: v for k, v in phrases.items() if v != k.translate(self.t2s)}
        alts = sorted(kept, key=len, reverse=True)  # longest first: OpenCC's max match
        self.phrases = kept
        # re compiles a literal alternation into a fast prefix scan (~200M chars/s here), so
        # the phrase pass costs little even on text without any traditional character.
        self.phrase_re = re.compile("|".join(map(re.escape, alts))) if alts else None


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


_SPACES = re.compile(r"\s+")


def t2s(text: str) -> str:
    """Traditional → simplified with OpenCC's t2s tables (fast path: see module docstring)."""
    tb = _tables()
    if tb.phrase_re is None:
        return text.translate(tb.t2s)
    # Phrase conversions are final: the character table must not touch them (乾坤 stays).
    out: list[str] = []
    pos = 0
    for m in tb.phrase_re.finditer(text):
        out.append(text[pos : m.start()].translate(tb.t2s))
        out.append(tb.phrases[m.group(0)])
        pos = m.end()
    out.append(text[pos:].translate(tb.t2s))
    return "".join(out)


def normalize_text(text: str) -> str:
    """Canonical form for indexing and matching: NFKC, no invisible chars, variants folded,
    simplified, whitespace collapsed. Idempotent."""
    if not text:
        return ""
    tb = _tables()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(tb.pre)
        text = t2s(text)
    return _SPACES.sub(" ", text).strip()


# --- squeeze: evasion-robust matching form ---------------------------------------
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Separators between two CJK characters: any run of non-word characters (spaces,
# punctuation, symbols, emoji) and underscores. Digits and letters are kept: they
# carry meaning (20%, APP).
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[\\W_]+(?=[{_CJK}])")
# Whitespace next to a CJK character on one side only ("年化 20%" → "年化20%").
# (a run is tried from its start only and taken whole: linear on a page of spaces)
_SPACE_NEXT_TO_CJK = re.compile(f"(?<=[{_CJK}])\\s+|(?<!\\s)\\s++(?=[{_CJK}])")


def squeeze(text: str) -> str:
    """``text`` (already normalised) with spacing tricks undone, for matching only.

    Removes every run of spaces, punctuation and symbols between two CJK characters
    (非 法 集 资 / 传-销 / 传*销 / 传🔥销 → 非法集资 / 传销 / 传销 / 传销) and spaces between a CJK
    character and anything else; ASCII words stay separated by one space. Sentence
    punctuation between CJK characters goes too, so matches may span two sentences:
    use it for finding terms, never for showing text.
    """
    text = _BETWEEN_CJK.sub("", text)
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


_NAME_NOISE = re.compile(r"[\W_]+")


def normalize_name(name: str) -> str:
    """Canonical form of a company name for exact comparison: normalised, lower-case,
    without spaces, brackets or punctuation ("（深圳）XX 投資有限公司" == "(深圳)xx投资有限公司")."""
    return _NAME_NOISE.sub("", normalize_text(name)).lower()


def normalize_domain(url_or_domain: str) -> str:
    """Bare lower-case host of a URL or domain, without ``www.``, port or credentials:
    'https://user@WWW.Example.com:8080/x' -> 'example.com'. Both store backends key
    ``companies_by_domain`` on it."""
    s = (url_or_domain or "").strip().lower()
    if "://" in s:
        s = s.split("://", 1)[1]
    for sep in "/?#":
        s = s.split(sep, 1)[0]
    s = s.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return s[4:] if s.startswith("www.") else s
