"""The world generator: a deterministic, streamed population of companies with planted
schemes, legitimate look-alikes and ordinary businesses, their registry entries, court
records, complaints and web pages over a fixed span of dates.

Streaming: companies are generated one at a time from ``Random(seed:i)`` and written in
batches; what links companies (recurring people, shared addresses, rebirths) is derived
from bounded pools and a bounded queue of recent schemes, so memory does not grow with N.
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sandbox import data
from sandbox.creditcode import make_code
from sandbox.db import INDEXES, create
from sandbox.difficulty import EASY, Difficulty
from sandbox.difficulty import difficulty as difficulty_preset
from sandbox.risk import lookalike_risk, scheme_risk_path
from sandbox.text.banks import ARCHETYPES, BRAND_STEMS, SCHEME_SCOPES, SCHEME_WORDS

START = date(2021, 7, 1)
TODAY = date(2024, 6, 30)
SPAN = (TODAY - START).days
FORMAT_VERSION = 1

LOOKALIKES = ("bank", "fund", "ecommerce", "direct_selling", "law_firm", "minor_flags", "finance_name")
_LOOKALIKE_WEIGHTS = (0.04, 0.14, 0.16, 0.06, 0.06, 0.34, 0.20)
LOOKALIKE_SHARE = 0.08

ENCODINGS = ("utf-8", "gbk", "gb18030", "big5")
_ENC_WEIGHTS = (0.68, 0.14, 0.08, 0.10)


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    out = "".join(lazy_pinyin(text)).lower()
    return "".join(c for c in out if c.isascii() and c.isalnum()) or "site"


class _Writer:
    """Batched inserts into world.db plus the two truth files."""

    BATCH = 2000

    def __init__(self, out: Path) -> None:
        self.conn = create(out / "world.db")
        self.conn.execute("BEGIN")
        (out / "truth").mkdir(parents=True, exist_ok=True)
        self.truth_companies = open(out / "truth" / "companies.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed in close())
        self.truth_documents = open(out / "truth" / "documents.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.rows: dict[str, list[tuple]] = {}
        self.counts: dict[str, int] = {}
        self.sql = {
            "companies": "INSERT INTO companies VALUES (?,?,?,?,?,?,?)",
            "entries": "INSERT INTO entries VALUES (?,?,?,?,?,?,?)",
            "judgments": "INSERT INTO judgments VALUES (?,?,?,?)",
            "dishonest": "INSERT INTO dishonest VALUES (?,?,?)",
            "complaints": "INSERT INTO complaints VALUES (?,?,?,?)",
            "pages": "INSERT INTO pages VALUES (?,?,?,?,?,?,?)",
            "managers": "INSERT INTO managers VALUES (?,?,?,?,?,?)",
        }

    def add(self, table: str, row: tuple) -> None:
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        self.counts[table] = self.counts.get(table, 0) + 1
        if len(rows) >= self.BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for t in [table] if table else list(self.rows):
            if self.rows.get(t):
                self.conn.executemany(self.sql[t], self.rows[t])
                self.rows[t] = []

    def site(self, domain: str, kind: str, first_date: str, code: str | None, encoding: str,
             header: str, name: str) -> str:
        """Insert a site now (its domain must be unique); returns the domain actually used."""
        base, n = domain, 1
        while self.conn.execute("SELECT 1 FROM sites WHERE domain=?", (domain + ".test",)).fetchone():
            n += 1
            domain = f"{base}{n}"
        domain += ".test"
        self.conn.execute("INSERT INTO sites VALUES (?,?,?,?,?,?,?)",
                          (domain, kind, first_date, code, encoding, header, name))
        self.counts["sites"] = self.counts.get("sites", 0) + 1
        return domain

    def page(self, domain: str, path: str, when: str, kind: str, ptype: str, code: str | None,
             codes: list[str], extra: dict[str, Any]) -> None:
        self.add("pages", (domain, path, when, kind, ptype, code, _dumps(extra)))
        self.document(f"http://{domain}{path}", kind, codes, when)

    def document(self, url: str, kind: str, codes: list[str], when: str) -> None:
        self.truth_documents.write(_dumps({"url": url, "kind": kind, "credit_codes": codes, "date": when}) + "\n")
        self.counts["documents"] = self.counts.get("documents", 0) + 1

    def close(self) -> None:
        self.flush()
        self.conn.executescript(INDEXES)
        self.conn.commit()
        self.conn.close()
        self.truth_companies.close()
        self.truth_documents.close()


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------ shared sites

_FORUMS = ("理财交流", "财富圈", "赚钱吧", "宝妈创业", "副业联盟", "投资者之家", "币圈茶馆", "养老生活", "创业者论坛", "省钱吧")
_ARTICLES = ("财经快讯", "创业故事", "财富头条", "今日推荐", "生活资讯", "商业观察", "热点速递", "网赚日报")
_NEWS = ("法治日报网", "都市晨报", "财经观察网", "民生新闻网", "经济时报", "社会新闻网")
_REGULATORS = ("地方金融管理局", "市场监督管理局", "防范非法集资宣传网", "公安局经侦支队")


def _shared_sites(w: _Writer, rng: random.Random, n: int) -> dict[str, list[str]]:
    """Forums, article sites, news sites and regulators; their number grows with N in
    steps so that no site holds an unbounded number of pages."""
    k = max(1, n // 3000)
    out: dict[str, list[str]] = {"forum": [], "article": [], "news": [], "regulator": []}
    for kind, names, count in (("forum", _FORUMS, len(_FORUMS) * k), ("article", _ARTICLES, len(_ARTICLES) * k),
                               ("news", _NEWS, len(_NEWS) * k), ("regulator", _REGULATORS, 0)):
        if kind == "regulator":
            for code, prov, city, _ in data.REGIONS[:: max(1, len(data.REGIONS) // (6 * k))][: 6 * k]:
                for rname in _REGULATORS:
                    title = (prov if city == prov else city) + rname
                    enc = "utf-8" if rng.random() < 0.8 else "gbk"
                    dom = w.site(_pinyin(city[:-1]) + _pinyin(rname)[:6] + code[-2:], kind, day(-400), None, enc, "ok", title)
                    out[kind].append(dom)
                    out.setdefault("regulator:" + prov, []).append(dom)
            continue
        for j in range(count):
            name = names[j % len(names)] + ("" if j < len(names) else str(j // len(names) + 1))
            enc = rng.choices(ENCODINGS, _ENC_WEIGHTS)[0]
            header = rng.choices(("ok", "missing"), (0.85, 0.15))[0]
            out[kind].append(w.site(_pinyin(name), kind, day(-400), None, enc, header, name))
    return out


# ------------------------------------------------------------------ people and places


def person_name(seed: int, pid: int) -> str:
    """The name of person ``pid``: a pure function (a multiplicative hash), so people
    need no table and a person recurs wherever their id does."""
    h = ((pid + 0x9E3779B9) * 0x9E3779B97F4A7C15 + seed * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    h ^= h >> 29
    g = data.GIVEN_CHARS
    given = g[(h >> 8) % len(g)] + (g[(h >> 24) % len(g)] if (h >> 40) % 10 < 7 else "")
    return data.SURNAMES[h % len(data.SURNAMES)] + given


def _pid(rng: random.Random, i: int, recur: float) -> int:
    """A person id: usually new to this company, sometimes someone from a nearby company
    (people recur across companies the way real networks do)."""
    if rng.random() < recur and i > 0:
        return rng.randrange(max(0, i - 400) * 4, i * 4)
    return i * 4 + rng.randrange(4)


# Professional operators recur across many schemes (职业操盘手): a small fixed pool.
def _operator_pid(rng: random.Random, seed: int) -> int:
    return -(1 + rng.randrange(60))


def _address(rng: random.Random, region: tuple[str, str, str, str], i: int, seed: int, level: Difficulty = EASY) -> str:
    _, prov, city, district = region
    if rng.random() < level.hub_address:  # a mass-registration address (商务秘书集中登记地)
        r = random.Random(f"{seed}:hub:{region[0]}:{rng.randrange(level.hubs_per_region)}")
        return f"{city if city == prov else prov + city}{district}{r.choice(data.STREETS)}{r.randrange(1, 300)}号{r.choice(data.BUILDINGS)}{r.randrange(2, 30)}层{rng.randrange(1, 999):03d}室（集中办公区）"
    r = rng
    return f"{city if city == prov else prov + city}{district}{r.choice(data.STREETS)}{r.randrange(1, 900)}号{r.choice(data.BUILDINGS) if r.random() < 0.6 else ''}{r.randrange(1, 30)}{'层' if r.random() < 0.5 else '楼'}{r.randrange(1, 40):02d}{r.randrange(1, 20):02d}"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
    return f"0{rng.randrange(10, 999)}-{rng.randrange(2, 9)}{rng.randrange(10**7):07d}"


def _trade(rng: random.Random) -> str:
    return rng.choice(data.TRADE_CHARS) + rng.choice(data.TRADE_CHARS)


# ------------------------------------------------------------------ the generator


def generate(out_dir: Path, companies: int = 300, seed: int = 7, prevalence: float = 0.08,
             progress: Callable[[int, int], None] | None = None, difficulty: str = "easy") -> Path:
    """Write a world folder (``world.json``, ``world.db``, ``truth/``) and return it.

    Same arguments give byte-identical files. Memory stays bounded whatever
    ``companies`` is (1,000,000 fits well under 2 GiB). ``difficulty`` names a preset of
    sandbox/difficulty.py ("easy" or "hard").
    """
    level = difficulty_preset(difficulty)
    if companies < 1:
        raise ValueError("companies: expected a positive number")
    if not 0.0 <= prevalence <= 0.5:
        raise ValueError(f"prevalence: expected a fraction between 0 and 0.5, got {prevalence}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    w = _Writer(out_dir)
    gen = _Generator(w, companies, seed, prevalence, level)
    step = max(1, companies // 100)
    for i in range(companies):
        gen.company(i)
        if progress and (i + 1) % step == 0:
            progress(i + 1, companies)
    gen.finish()
    w.conn.execute("INSERT INTO meta VALUES ('today', ?), ('start', ?), ('seed', ?)",
                   (TODAY.isoformat(), START.isoformat(), str(seed)))
    counts = dict(sorted(w.counts.items()))
    w.close()
    meta = {
        "format": FORMAT_VERSION,
        "seed": seed,
        "difficulty": level.name,
        "companies": companies,
        "prevalence": prevalence,
        "start": START.isoformat(),
        "today": TODAY.isoformat(),
        "archetypes": list(ARCHETYPES),
        "lookalikes": list(gen.lookalike_kinds),
        "counts": {**counts, "schemes": gen.schemes, "lookalikes": gen.lookalikes},
        "files": ["world.json", "world.db", "truth/companies.jsonl", "truth/documents.jsonl"],
    }
    (out_dir / "world.json").write_text(_dumps(meta) + "\n", encoding="utf-8")
    return out_dir


def read_world_meta(world_dir: Path) -> dict[str, Any]:
    """The parsed ``world.json`` of a world folder (clear error when it is not one)."""
    path = Path(world_dir) / "world.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not a sandbox world (run `smoke sandbox generate --out {world_dir}`)")
    return json.loads(path.read_text(encoding="utf-8"))


class _Generator:
    def __init__(self, w: _Writer, n: int, seed: int, prevalence: float, level: Difficulty = EASY) -> None:
        self.w, self.n, self.seed, self.prevalence, self.level = w, n, seed, prevalence, level
        self.lookalike_kinds = LOOKALIKES + tuple(k for k, _ in level.extra_lookalikes)
        self.lookalike_weights = _LOOKALIKE_WEIGHTS + tuple(wt for _, wt in level.extra_lookalikes)
        self.innocents: deque[dict[str, Any]] = deque(maxlen=50)  # bounded: bystanders news may name
        self.rng = random.Random(f"{seed}:world")
        self.shared = _shared_sites(w, self.rng, n)
        self.collapsed: deque[dict[str, Any]] = deque(maxlen=200)  # bounded: rebirth sources
        self.schemes = 0
        self.lookalikes = 0
        # Small worlds still get every archetype and every look-alike kind: the first
        # slots (spread out) are forced, the rest drawn so the expected total matches.
        forced_schemes = min(2 * len(ARCHETYPES), round(prevalence * n)) if prevalence > 0 else 0
        forced = [("scheme", ARCHETYPES[k % len(ARCHETYPES)]) for k in range(forced_schemes)]
        if n >= 60:
            forced += [("lookalike", kind) for kind in self.lookalike_kinds]
        self.forced: dict[int, tuple[str, str]] = {}
        stride = max(1, min(13, n // max(1, len(forced))))
        for k, f in enumerate(forced):
            self.forced[3 + k * stride if 3 + k * stride < n else k] = f
        rest = max(1, n - len(self.forced))
        self.p_scheme = max(0.0, (prevalence * n - forced_schemes) / rest)
        self.p_look = max(0.0, (LOOKALIKE_SHARE * n - (len(forced) - forced_schemes)) / rest)

    # -------------------------------------------------------------- per company
    def company(self, i: int) -> None:
        seed = self.seed
        rng = random.Random(seed * 10_000_019 + i)  # int seeding: cheap and stable
        if i in self.forced:
            category, sub = self.forced[i]
        else:
            u = rng.random()
            if u < self.p_scheme:
                category, sub = "scheme", rng.choice(ARCHETYPES)
            elif u < self.p_scheme + self.p_look:
                category, sub = "lookalike", rng.choices(self.lookalike_kinds, self.lookalike_weights)[0]
            else:
                category, sub = "ordinary", ""
        region = rng.choice(data.REGIONS)
        code_kind = "31" if sub == "law_firm" else "91"
        code = make_code(region[0], i + seed * 7919, code_kind)
        c: dict[str, Any] = {
            "code": code, "seq": i, "region": region[0], "category": category, "sub": sub,
            "trade": _trade(rng), "people": [], "entries": [], "websites": [], "brands": [],
            "status": [], "names": [],
        }
        c["city"] = region[2]
        c["district"] = region[3]
        c["address"] = _address(rng, region, i, seed, self.level)
        c["phones"] = [_phone(rng) for _ in range(1 if rng.random() < 0.8 else 2)]
        if category == "scheme":
            self._scheme(i, rng, c, sub)
            self.schemes += 1
        elif category == "lookalike":
            self._lookalike(i, rng, c, sub)
            self.lookalikes += 1
        else:
            self._ordinary(i, rng, c)
            if self.level.angry_ordinary:
                hr = random.Random(f"{seed}:hard:{i}")
                if hr.random() < self.level.angry_ordinary:
                    self._angry_complaints(i, hr, c, hr.choice(data.ANGRY_TRADES)[3])
        self._generic_docs(i, rng)
        self._write_company(c)

    def _base_people(self, i: int, rng: random.Random, c: dict[str, Any], recur: float, operator: bool = False) -> None:
        rep = _operator_pid(rng, self.seed) if operator and rng.random() < 0.5 else _pid(rng, i, recur)
        c["rep_pid"] = rep
        people = [[rep, "法定代表人", None]]
        n_sh = rng.choice((1, 1, 2, 2, 3))
        shares = sorted((rng.randrange(5, 60) for _ in range(n_sh)), reverse=True)
        total = sum(shares)
        acc = 0
        for k in range(n_sh):
            pid = rep if k == 0 and rng.random() < 0.7 else (
                _operator_pid(rng, self.seed) if operator and rng.random() < 0.3 else _pid(rng, i, recur))
            pct = 100 - acc if k == n_sh - 1 else round(shares[k] * 100 / total)
            acc += pct
            people.append([pid, "股东", pct])
        for role in data.ROLES_EXEC[: rng.randrange(1, 4)]:
            people.append([_pid(rng, i, recur), role, None])
        c["people"] = people

    def _name(self, rng: random.Random, c: dict[str, Any], word: str) -> str:
        _, prov, city, _ = next(r for r in data.REGIONS if r[0] == c["region"])
        place = city[:-1] if rng.random() < 0.8 else prov[:-1]
        return f"{place}{c['trade']}{word}{rng.choice(data.ORG_SUFFIXES)}"

    # -------------------------------------------------------------- ordinary
    def _ordinary(self, i: int, rng: random.Random, c: dict[str, Any], industry: tuple | None = None) -> None:
        ind = industry or rng.choice(data.ORDINARY_INDUSTRIES)
        c["industry"], c["scope"] = ind[0], ind[2]
        c["founded"] = rng.randrange(-9000, SPAN - 5)
        c["names"] = [[day(c["founded"]), self._name(rng, c, ind[1])]]
        c["capital"] = rng.choice((10, 50, 100, 200, 300, 500, 1000))
        c["paid"] = 0 if rng.random() < 0.6 else c["capital"]
        self._base_people(i, rng, c, 0.2)
        c["status"] = [[day(c["founded"]), "存续"]]
        if rng.random() < 0.03 and c["founded"] < SPAN - 400:
            when = rng.randrange(max(0, c["founded"] + 200), SPAN)
            c["status"].append([day(when), "注销"])
        if rng.random() < 0.10:
            self._ordinary_site(i, rng, c, ind)
        if rng.random() < 0.03:  # ordinary civil litigation: noise for court indicators
            when = rng.randrange(max(0, c["founded"] + 30), SPAN) if c["founded"] < SPAN - 40 else SPAN
            self._judgment(i, rng, c, "civil_trade", when, 0)
        if rng.random() < 0.02:
            when = rng.randrange(max(0, c["founded"]), SPAN)
            self._complaint(i, rng, c, when, "service", 0)
        if rng.random() < 0.04 and c["founded"] < SPAN - 200:
            self._change(rng, c, rng.randrange(c["founded"] + 100, SPAN))

    def _ordinary_site(self, i: int, rng: random.Random, c: dict[str, Any], ind: tuple) -> None:
        first = max(c["founded"], -300) + rng.randrange(0, 200)
        if first > SPAN:
            return
        dom = self.w.site(_pinyin(c["trade"]) + rng.choice(("", "", "gs", "company", "sh", "cn")), "company",
                          day(first), c["code"], rng.choices(ENCODINGS, _ENC_WEIGHTS)[0], "ok", c["names"][0][1])
        c["websites"].append([dom, day(first)])
        for k, (path, ptype) in enumerate((("/", "home"), ("/about.html", "about"), ("/p/1.html", "product"))):
            when = min(SPAN, first + k * rng.randrange(1, 90))
            self.w.page(dom, path, day(when), "other", "ordinary_" + ptype, c["code"], [c["code"]],
                        {"seed": rng.randrange(10**9), "industry": ind[0]})

    def _change(self, rng: random.Random, c: dict[str, Any], when: int, what: str | None = None) -> None:
        what = what or rng.choice(("名称变更", "住所变更", "法定代表人变更", "经营范围变更", "注册资本变更"))
        if what == "名称变更":
            old = c["names"][-1][1]
            new = old.replace(c["trade"], _trade(rng), 1)
            c["names"].append([day(when), new])
            detail = f"{old} → {new}"
        elif what == "住所变更":
            old, new = c["address"], c["address"][:-4] + f"{rng.randrange(1, 40):02d}{rng.randrange(1, 20):02d}"
            detail = f"{old} → {new}"
        elif what == "法定代表人变更":
            detail = f"{person_name(self.seed, c['rep_pid'])} → {person_name(self.seed, c['rep_pid'] + 1)}"
        elif what == "注册资本变更":
            detail = f"{c['capital']}万元人民币 → {c['capital'] * 2}万元人民币"
        else:
            detail = f"{c['scope'][:12]}…… → {c['scope'][:12]}……（增加咨询服务）"
        c["entries"].append(("change", day(when), what, "", "", detail))

    # -------------------------------------------------------------- look-alikes
    def _angry_complaints(self, i: int, hr: random.Random, c: dict[str, Any], story: str) -> None:
        """Customers of a legitimate business who are angry (a gym that closed, a late
        refund): severe words, real money, no scheme behind them."""
        for _ in range(hr.randrange(3, 12)):
            when = hr.randrange(max(0, c["founded"]), SPAN + 1) if c["founded"] < SPAN else SPAN
            self._complaint(i, hr, c, when, "angry_" + story, 3)

    def _hard_lookalike(self, i: int, rng: random.Random, c: dict[str, Any], sub: str) -> None:
        """Look-alikes only hard worlds have: angry customers, licensed finance firms with
        registry flags, companies named in passing by reports about a scheme."""
        hr = random.Random(f"{self.seed}:hard:{i}")
        if sub == "angry_customers":
            trade = hr.choice(data.ANGRY_TRADES)
            self._ordinary(i, rng, c, trade[:3])
            c["brands"] = [c["trade"] + trade[1][:2]]
            self._angry_complaints(i, hr, c, trade[3])
            if hr.random() < 0.4 and c["founded"] < SPAN - 60:
                self._judgment(i, hr, c, "civil_trade", hr.randrange(max(0, c["founded"] + 30), SPAN), 0)
        elif sub == "licensed_flagged":
            self._lookalike(i, rng, c, "fund")
            auth = f"{c['city']}{c['district']}市场监督管理局"
            listed = (date(hr.choice((2022, 2023)), 7, 1) - START).days + hr.randrange(0, 20)
            c["entries"].append(("abnormal", day(listed), "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告", auth,
                                 day(listed + hr.randrange(30, 200)) if hr.random() < 0.7 else "", ""))
            if hr.random() < 0.6:
                c["entries"].append(("penalty", day(hr.randrange(0, SPAN)), hr.choice((
                    "未按规定履行信息披露义务", "未按规定办理变更登记", "广告中使用绝对化用语")),
                    f"中国证券监督管理委员会{c['city'][:-1]}监管局", "", f"警告，罚款{hr.choice((3, 5, 10))}万元"))
            for _ in range(hr.randrange(0, 4)):
                self._judgment(i, hr, c, "civil_trade", hr.randrange(0, SPAN), 0)
            for _ in range(hr.randrange(0, 4)):
                self._complaint(i, hr, c, hr.randrange(0, SPAN + 1), "angry_refund", 3)
        else:  # named_in_news
            finance = hr.random() < 0.5
            self._ordinary(i, rng, c, ("商务服务业", hr.choice(("投资咨询", "资产管理", "企业管理咨询")),
                                       "企业管理咨询；投资咨询（不含证券、期货）；财务咨询") if finance else None)
            if self.collapsed:
                cand = self.collapsed[hr.randrange(len(self.collapsed))]
                when = min(SPAN, cand["collapse"] + hr.randrange(1, 90))
                self._news(hr, when, [cand["about"]], "collapse", bystander=c)
        self.innocents.append({"code": c["code"], "names": c["names"]})

    def _lookalike(self, i: int, rng: random.Random, c: dict[str, Any], sub: str) -> None:
        if sub in ("angry_customers", "licensed_flagged", "named_in_news"):
            self._hard_lookalike(i, rng, c, sub)
            return
        if sub in ("minor_flags", "finance_name"):
            if sub == "finance_name":
                ind = ("商务服务业", rng.choice(("投资咨询", "资产管理", "财富管理咨询", "投资管理")),
                       "企业管理咨询；投资咨询（不含证券、期货）；财务咨询；市场调查")
            else:
                ind = None
            self._ordinary(i, rng, c, ind)
            if sub == "minor_flags" or rng.random() < 0.3:
                for _ in range(rng.choice((1, 1, 2))):
                    y = rng.choice((2021, 2022, 2023))
                    listed = (date(y, 7, 1) - START).days + rng.randrange(0, 20)
                    if listed < c["founded"] + 365 or listed > SPAN:
                        continue
                    removed = listed + rng.randrange(30, 300)
                    c["entries"].append(("abnormal", day(listed),
                                         "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
                                         f"{c['city']}{c['district']}市场监督管理局",
                                         day(removed) if removed <= SPAN else "", ""))
                if rng.random() < 0.3:
                    when = rng.randrange(max(0, c["founded"]), SPAN) if c["founded"] < SPAN else SPAN
                    c["entries"].append(("penalty", day(when), rng.choice(("未按规定明码标价", "广告中使用绝对化用语", "未按规定办理变更登记")),
                                         f"{c['city']}{c['district']}市场监督管理局", "", f"警告，罚款{rng.choice((2000, 5000, 10000))}元"))
            return
        setup = {
            "bank": ("货币金融服务", "农村商业银行股份有限公司", "吸收公众存款；发放短期、中期和长期贷款；办理国内结算；代理发行、代理兑付、承销政府债券；经国家金融监督管理总局批准的其他业务", 100000),
            "fund": ("资本市场服务", rng.choice(("私募基金管理有限公司", "基金销售有限公司")), "私募股权投资基金管理、创业投资基金管理服务（须在中国证券投资基金业协会完成登记备案后方可从事经营活动）；基金销售", 1000),
            "ecommerce": ("互联网和相关服务", "电子商务有限公司", "互联网销售（除销售需要许可的商品）；食品销售；日用百货销售；网络技术服务", 1000),
            "direct_selling": ("批发业", "（中国）日用品有限公司", "直销（按直销经营许可证核准的产品和区域）；保健食品生产、销售；化妆品生产、销售", 8000),
            "law_firm": ("法律服务", "律师事务所", "承办法律事务", 100),
        }[sub]
        ind, word, scope, capital = setup
        c["industry"], c["scope"] = ind, scope
        c["founded"] = rng.randrange(-7000, -400)
        name = f"{c['city'][:-1]}{c['trade']}{word}" if sub != "direct_selling" else f"{c['trade']}{word}"
        c["names"] = [[day(c["founded"]), name]]
        c["capital"], c["paid"] = capital, capital
        self._base_people(i, rng, c, 0.1)
        c["status"] = [[day(c["founded"]), "存续"]]
        brand = c["trade"] + {"bank": "银行", "fund": "基金", "ecommerce": rng.choice(("优选", "购", "鲜生")),
                              "direct_selling": "健康", "law_firm": "律师"}[sub]
        c["brands"] = [brand]
        if sub == "fund":
            reg = c["founded"] + rng.randrange(100, 900)
            self.w.add("managers", (c["code"], name, f"P10{rng.randrange(10**5):05d}", day(min(reg, -1)), "正常", ""))
        first = max(c["founded"], -500)
        enc = "utf-8" if rng.random() < 0.85 else "gb18030"
        dom = self.w.site(_pinyin(brand), "lookalike", day(first), c["code"], enc, "ok", brand)
        c["websites"].append([dom, day(first)])
        kind = {"law_firm": "other"}.get(sub, "promo")
        n_pages = rng.randrange(4, 10)
        self.w.page(dom, "/", day(first), kind, sub + "_home", c["code"], [c["code"]], {"seed": rng.randrange(10**9)})
        for k in range(1, n_pages):
            when = rng.randrange(max(0, first), SPAN + 1)
            if sub == "law_firm":
                self._law_article(rng, dom, f"/article/{k}.html", when, None)
            else:
                self.w.page(dom, f"/p/{k}.html", day(when), kind, sub + "_product", c["code"], [c["code"]],
                            {"seed": rng.randrange(10**9), "annual": round(rng.uniform(0.018, 0.04), 4)})
        for _ in range(rng.randrange(0, 3) if sub in ("bank", "ecommerce") else 0):
            self._complaint(i, rng, c, rng.randrange(0, SPAN + 1), "service_" + sub, 0)
        if sub == "ecommerce" and rng.random() < 0.5:
            self._forum_thread(i, rng, c, rng.randrange(0, SPAN + 1), "legit_referral", "promo", 0)

    # -------------------------------------------------------------- schemes
    def _scheme(self, i: int, rng: random.Random, c: dict[str, Any], arch: str) -> None:
        launch = rng.randrange(-120, SPAN - 60)
        life = rng.randrange(180, 620)
        collapse = launch + life if launch + life <= SPAN else None
        parent = None
        hr = random.Random(f"{self.seed}:hard:{i}")  # draws of the hard world only: the easy one stays as it was
        quiet = hr.random() < self.level.quiet_scheme
        hidden = hr.random() < self.level.hidden_yield
        # its own stream, so turning disguise on changes no other draw of the world
        dr = random.Random(f"{self.seed}:disguise:{i}")
        disguised = self.level.disguised > 0 and dr.random() < self.level.disguised
        quiet = quiet or disguised  # recruiting offline leaves no complaint or flag before the end either
        if self.collapsed and rng.random() < self.level.rebirth:
            cand = self.collapsed[rng.randrange(len(self.collapsed))]
            if cand["collapse"] + 30 < SPAN - 60:
                parent = cand
                arch = cand["arch"]
                launch = rng.randrange(cand["collapse"] + 20, min(SPAN - 30, cand["collapse"] + 240))
                collapse = launch + life if launch + life <= SPAN else None
        founded = launch - rng.randrange(20, 700)
        c["founded"] = founded
        c["industry"] = {"p2p": "其他金融业", "pyramid": "批发业", "rebate": "互联网和相关服务", "equity": "资本市场服务",
                         "pension": "社会工作", "crypto": "软件和信息技术服务业", "mutual_aid": "互联网和相关服务"}[arch]
        c["scope"] = SCHEME_SCOPES[arch]
        word = rng.choice(SCHEME_WORDS[arch])
        if disguised:  # registered in a cover trade (商贸, 农业科技, 教育咨询 ...) and named after it
            cover = dr.choice(data.ORDINARY_INDUSTRIES)
            c["industry"], c["scope"], word = cover[0], cover[2], cover[1]
        c["names"] = [[day(founded), self._name(rng, c, word)]]
        c["capital"] = rng.choice((1000, 2000, 5000, 10000, 20000, 50000))
        c["paid"] = 0 if rng.random() < 0.8 else rng.choice((10, 50, 100))
        self._base_people(i, rng, c, 0.3, operator=True)
        if rng.random() < 0.2:  # a hotline shared by an operator's schemes
            c["phones"].append(_phone(random.Random(self.seed * 7777 + rng.randrange(40))))
        if parent:
            c["people"].append([parent["rep_pid"], "股东", None])
            c["phones"].append(parent["phone"])
            c["address"] = parent["address"] if rng.random() < 0.5 else c["address"]
        c["status"] = [[day(founded), "存续"]]
        brand = c["trade"] + rng.choice(BRAND_STEMS[arch])
        c["brands"] = [brand] + ([c["trade"][0] + rng.choice(BRAND_STEMS[arch])] if rng.random() < 0.3 else [])
        style = parent["style"] if parent else rng.randrange(10**9)
        annual = {"p2p": rng.uniform(0.12, 0.36), "pyramid": rng.uniform(0.5, 3.0), "rebate": rng.uniform(0.4, 1.5),
                  "equity": rng.uniform(0.3, 2.0), "pension": rng.uniform(0.1, 0.24), "crypto": rng.uniform(1.0, 6.0),
                  "mutual_aid": rng.uniform(0.6, 3.6)}[arch]
        if parent:  # the same plan under a new name: same returns, same entry fee
            annual = parent["annual"]
        evasion = rng.choice(self.level.evasion_levels)
        c["scheme"] = {
            "archetype": arch, "brand": brand, "launch": day(launch), "collapse": day(collapse) if collapse else None,
            "reborn_from": parent["code"] if parent else None, "style": style, "annual": round(annual, 4),
            "entry": parent["entry"] if parent else rng.choice((398, 980, 1980, 3980, 6800, 12800, 39800)), "evasion": evasion,
            "parent_brand": parent["brand"] if parent else None,
        }
        if hidden:
            c["scheme"]["hidden"] = True  # yields only in images without text, or in coded words
        end = collapse if collapse is not None else SPAN
        scale = rng.choice((1, 1, 2, 2, 3, 4))
        c["risk"] = scheme_risk_path(START, founded, launch, life, collapse, scale, SPAN, reborn=parent is not None)
        c["quiet"] = quiet
        c["disguised"] = disguised
        if disguised:
            self._disguised_site(i, dr, c, launch)
        # own sites: main domain at launch, mirrors (备用域名) later
        n_dom = 1 + (rng.random() < 0.4) + (rng.random() < 0.2)
        ctx_codes = [c["code"]]
        doms = []
        for d_i in range(n_dom if not disguised else 0):
            first = launch if d_i == 0 else rng.randrange(launch, end + 1)
            enc = rng.choices(ENCODINGS, _ENC_WEIGHTS)[0]
            header = rng.choices(("ok", "missing", "wrong"), (0.85, 0.12, 0.03))[0]
            dom = self.w.site(_pinyin(brand) + ("" if d_i == 0 else rng.choice(("app", "vip", "888", "hk", "net"))),
                              "scheme", day(first), c["code"], enc, header, brand)
            doms.append((dom, first))
            c["websites"].append([dom, day(first)])
        main = doms[0][0] if doms else ""
        # registry changes shortly before the collapse (换名、换址、换法人)
        if rng.random() < 0.5:
            self._change(rng, c, max(launch, end - rng.randrange(20, 120)), rng.choice(("名称变更", "住所变更", "法定代表人变更")))

        def ramp() -> int:  # promotion grows towards the collapse
            return launch + int((end - launch) * rng.random() ** 0.6)

        pages = [("/", "home", "promo", launch), ("/about.html", "about", "promo", launch + rng.randrange(0, 20)),
                 ("/plan.html", "plan", "promo", launch + rng.randrange(0, 40)),
                 ("/join.html", "join", "recruit", launch + rng.randrange(5, 60))]
        pages += [(f"/news/{k}.html", "news", "promo", ramp()) for k in range(1, 2 + rng.randrange(2, 5) * scale)]
        for path, ptype, kind, when in pages if not disguised else ():
            self.w.page(main, path, day(min(when, end)), kind, "scheme_" + ptype, c["code"], ctx_codes,
                        {"seed": rng.randrange(10**9), "img": rng.random() < 0.3})
        for dom, f in doms[1:]:
            for path, ptype in (("/", "home"), ("/plan.html", "plan")):
                self.w.page(dom, path, day(f), "promo", "scheme_" + ptype, c["code"], ctx_codes,
                            {"seed": rng.randrange(10**9), "mirror": main})
        for _ in range(rng.randrange(1, 4) * scale if not disguised else 0):  # disguised: recruits offline
            self._forum_thread(i, rng, c, ramp(), "scheme", rng.choice(("recruit", "recruit", "promo")), end)
        for _ in range(rng.randrange(1, 3) * scale if not disguised else 0):
            site = rng.choice(self.shared["article"])
            self.w.page(site, f"/a/{i:x}{rng.randrange(16**4):04x}.html", day(ramp()), "promo", "softad", c["code"],
                        ctx_codes, {"seed": rng.randrange(10**9)})
        # complaints rise towards the collapse and spike after it
        n_comp = rng.randrange(3, 10) * scale
        for _ in range(n_comp):
            u = rng.random()
            if collapse is not None and u < 0.45:
                when = collapse + int(rng.random() * 120)
                phase = 2
            else:
                when = launch + 45 + int((end - launch - 45) * rng.random() ** 0.4)
                phase = 1
            if when <= SPAN and not (quiet and phase == 1):
                self._complaint(i, rng, c, when, arch, phase)
        # civil lending disputes start before the collapse (an early signal)
        for _ in range(rng.randrange(0, 3)):
            when = launch + rng.randrange(150, 400)
            if when <= SPAN and (collapse is None or when < collapse + 400) and not (
                    quiet and (collapse is None or when < collapse)):
                self._judgment(i, rng, c, "civil_lending", when, 0)
        if rng.random() < 0.3:  # a late annual report: a weak flag that comes before the end
            listed = (date((START + timedelta(days=max(launch, 0))).year + 1, 7, 1) - START).days + rng.randrange(0, 20)
            if listed < end and listed <= SPAN and not quiet:
                removed = listed + rng.randrange(40, 200)
                c["entries"].append(("abnormal", day(listed), "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
                                     f"{c['city']}{c['district']}市场监督管理局",
                                     day(removed) if removed <= min(end, SPAN) else "", ""))
        if arch in ("pyramid", "rebate") and rng.random() < 0.35 and not quiet:  # penalised before the collapse
            when = rng.randrange(launch + 60, end + 1) if end > launch + 60 else end
            reason = "组织策划传销" if arch == "pyramid" else "虚假宣传"
            c["entries"].append(("penalty", day(when), reason, f"{c['city']}{c['district']}市场监督管理局", "",
                                 f"没收违法所得{rng.randrange(5, 200)}万元，罚款{rng.randrange(10, 200)}万元"))
        if rng.random() < 0.4 and end - 100 > launch and not quiet:  # a regulator names it before the end
            self._warning(rng, rng.randrange(max(launch + 30, end - 120), end), [c], specific=True,
                          bystander=self._bystander(hr))
        if arch == "equity" and rng.random() < 0.3:
            self.w.add("managers", (c["code"], c["names"][0][1], f"P10{rng.randrange(10**5):05d}", day(launch - 30),
                                    "失联机构" if collapse else "正常", day(collapse + 60) if collapse and collapse + 60 <= SPAN else ""))
        if collapse is not None:
            self._after_collapse(i, rng, c, arch, collapse, scale)
            self.collapsed.append({"about": {k: c[k] for k in ("code", "scheme", "names", "city", "region")},"code": c["code"], "arch": arch, "style": style, "collapse": collapse,
                                   "rep_pid": c["rep_pid"], "phone": c["phones"][0], "address": c["address"],
                                   "brand": brand, "annual": c["scheme"]["annual"], "entry": c["scheme"]["entry"]})

    def _disguised_site(self, i: int, dr: random.Random, c: dict[str, Any], launch: int) -> None:
        """A disguised scheme's only web presence: a small firm's site of its cover trade
        (the pitch happens at seminars, on trips and among acquaintances, not online)."""
        first = launch - dr.randrange(0, 60)
        if first > SPAN:
            return
        dom = self.w.site(_pinyin(c["trade"]) + dr.choice(("", "gs", "company", "cn")), "company", day(first), c["code"],
                          dr.choices(ENCODINGS, _ENC_WEIGHTS)[0], "ok", c["names"][0][1])
        c["websites"].append([dom, day(first)])
        for k, (path, ptype) in enumerate((("/", "home"), ("/about.html", "about"), ("/p/1.html", "product"))):
            self.w.page(dom, path, day(min(SPAN, first + k * dr.randrange(1, 90))), "other", "ordinary_" + ptype,
                        c["code"], [c["code"]], {"seed": dr.randrange(10**9), "industry": c["industry"]})

    def _after_collapse(self, i: int, rng: random.Random, c: dict[str, Any], arch: str, collapse: int, scale: int) -> None:
        auth = f"{c['city']}{c['district']}市场监督管理局"
        ab = collapse + rng.randrange(20, 90)
        if ab <= SPAN:
            c["entries"].append(("abnormal", day(ab), "通过登记的住所或者经营场所无法联系", auth, "", ""))
            if ab + 730 <= SPAN:
                c["entries"].append(("serious", day(ab + 730), "被列入经营异常名录届满3年仍未履行相关义务", auth, "", ""))
        if collapse + 3 <= SPAN:
            self._news(rng, collapse + rng.randrange(1, 25), [c], "collapse",
                       bystander=self._bystander(random.Random(f"{self.seed}:bystander:{c['code']}")))
        rev = collapse + rng.randrange(200, 420)
        if rev <= SPAN:
            c["status"].append([day(rev), "吊销，未注销"])
        crim = collapse + rng.randrange(150, 420)
        if crim <= SPAN:
            self._judgment(i, rng, c, "criminal", crim, 0)
            d_when = crim + rng.randrange(30, 120)
            if d_when <= SPAN:
                self._dishonest(rng, c, d_when)
            if rng.random() < 0.3 and crim + 30 <= SPAN:
                self._law_article(rng, rng.choice(self.shared["news"]), f"/law/{i:x}.html", crim + rng.randrange(10, 60) if crim + 70 <= SPAN else SPAN, c)
        for _ in range(rng.randrange(1, 4) * scale):
            when = collapse + rng.randrange(60, 500)
            if when <= SPAN:
                self._judgment(i, rng, c, "civil_lending", when, 0)
        if arch == "pyramid" and collapse + 60 <= SPAN:
            c["entries"].append(("penalty", day(collapse + rng.randrange(30, 60)), "组织策划传销", auth, "",
                                 f"没收违法所得{rng.randrange(50, 900)}万元，罚款{rng.randrange(50, 200)}万元"))
        elif rng.random() < 0.5 and collapse + 90 <= SPAN:
            c["entries"].append(("penalty", day(collapse + rng.randrange(40, 90)),
                                 rng.choice(("虚假宣传", "未经许可从事金融业务活动", "发布虚假广告")), auth, "",
                                 f"罚款{rng.randrange(20, 100)}万元"))

    # -------------------------------------------------------------- documents
    def _forum_thread(self, i: int, rng: random.Random, c: dict[str, Any], when: int, ptype: str, kind: str, end: int) -> None:
        site = rng.choice(self.shared["forum"])
        path = f"/thread/{i:x}{rng.randrange(16**4):04x}.html"
        self.w.page(site, path, day(max(-400, min(when, SPAN))), kind, "thread_" + ptype, c["code"], [c["code"]],
                    {"seed": rng.randrange(10**9), "replies": rng.randrange(2, 9), "end": day(end) if end else None})

    def _complaint(self, i: int, rng: random.Random, c: dict[str, Any], when: int, arch: str, phase: int) -> None:
        cid = f"{self.w.counts.get('complaints', 0) + 100001}"
        brand = (c.get("scheme") or {}).get("brand") or (c["brands"][0] if c["brands"] else "")
        name = c["names"][-1][1] if c["names"] else ""
        typed = rng.choice([x for x in (brand, name, name, name[:-4] if len(name) > 8 else name) if x])
        if rng.random() < 0.1 and len(typed) > 3:  # the complainant mistyped it
            k = rng.randrange(1, len(typed) - 1)
            typed = typed[:k] + typed[k + 1 :]
        if phase == 3:  # an angry customer of a legitimate business (hard worlds)
            amount = rng.randrange(5, 120) * 100
        else:
            amount = {0: rng.choice((0, 0, 59, 199, 899)), 1: rng.randrange(1, 60) * 1000, 2: rng.randrange(1, 300) * 1000}[phase]
        d = {"id": cid, "typed": typed, "arch": arch, "phase": phase, "amount": amount, "seed": rng.randrange(10**9),
             # a user pasted markup (always in the first complaint, then 1 in 200): the UI must escape it
             "script": cid == "100001" or rng.random() < 0.005}
        self.w.add("complaints", (cid, day(when), c["code"], _dumps(d)))
        self.w.document(f"http://complaints.sandbox.test/complaint/{cid}", "complaint", [c["code"]], day(when))

    def _judgment(self, i: int, rng: random.Random, c: dict[str, Any], jtype: str, when: int, _x: int) -> None:
        k = self.w.counts.get("judgments", 0)
        jid = f"{k + 1:07d}{rng.randrange(16**4):04x}"
        region = next(r for r in data.REGIONS if r[0] == c["region"])
        year = (START + timedelta(days=when)).year
        abbr = data.PROVINCE_ABBR[region[1]]
        court = f"{region[2] if region[2] == region[1] else region[2]}{region[3]}人民法院"
        name = _name_at(c, day(when))
        rep = person_name(self.seed, c["rep_pid"])
        arch = (c.get("scheme") or {}).get("archetype")
        if jtype == "criminal":
            cause = {"pyramid": "组织、领导传销活动罪", "crypto": "集资诈骗罪", "mutual_aid": "组织、领导传销活动罪"}.get(
                arch, rng.choice(("非法吸收公众存款罪", "非法吸收公众存款罪", "集资诈骗罪")))
            case_no = f"（{year}）{abbr}{region[0][2:]}刑初{rng.randrange(1, 2000)}号"
            parties = [{"name": f"{region[2]}{region[3]}人民检察院", "role": "plaintiff", "credit_code": ""},
                       {"name": name, "role": "defendant", "credit_code": c["code"] if rng.random() < 0.5 else ""},
                       {"name": rep, "role": "defendant", "credit_code": ""}]
            title = f"{name}、{rep}{cause[:-1]}一审刑事判决书"
            amount = rng.randrange(500, 50000) * 10000
            doc_type = "判决书"
        else:
            cause = {"civil_lending": "民间借贷纠纷", "civil_trade": rng.choice(("买卖合同纠纷", "劳动争议", "租赁合同纠纷", "服务合同纠纷"))}[jtype]
            if jtype == "civil_lending" and rng.random() < 0.3:
                cause = "合同纠纷"
            case_no = f"（{year}）{abbr}{region[0][2:]}民初{rng.randrange(1, 30000)}号"
            plaintiff = person_name(self.seed, 10**9 + i * 16 + rng.randrange(16))
            parties = [{"name": plaintiff, "role": "plaintiff", "credit_code": ""},
                       {"name": name, "role": "defendant", "credit_code": c["code"] if rng.random() < 0.6 else ""}]
            if rng.random() < 0.3:
                parties.append({"name": rep, "role": "third_party", "credit_code": ""})
            title = f"{plaintiff}与{name}{cause}一审民事{'判决书' if rng.random() < 0.8 else '裁定书'}"
            doc_type = title[-3:]
            amount = rng.randrange(1, 200) * 1000 if rng.random() < 0.9 else None
        d = {"id": jid, "case_no": case_no, "court": court, "date": day(when), "cause": cause, "doc_type": doc_type,
             "amount": amount, "parties": parties, "jtype": jtype, "arch": arch, "code": c["code"],
             "seed": rng.randrange(10**9), "brand": (c.get("scheme") or {}).get("brand", "")}
        self.w.add("judgments", (jid, day(when), title, _dumps(d)))
        self.w.document(f"http://court.sandbox.test/judgment/{jid}", "judgment", [c["code"]], day(when))

    def _dishonest(self, rng: random.Random, c: dict[str, Any], when: int) -> None:
        region = next(r for r in data.REGIONS if r[0] == c["region"])
        court = f"{region[2]}{region[3]}人民法院"
        year = (START + timedelta(days=when)).year
        abbr = data.PROVINCE_ABBR[region[1]]
        for who, code in ((_name_at(c, day(when)), c["code"]), (person_name(self.seed, c["rep_pid"]), "")):
            did = f"D{self.w.counts.get('dishonest', 0) + 1:08d}"
            self.w.add("dishonest", (did, day(when), _dumps({
                "id": did, "case_no": f"（{year}）{abbr}{region[0][2:]}执{rng.randrange(1, 9000)}号", "name": who,
                "credit_code": code, "court": court, "publish_date": day(when),
                "duty": f"偿还借款本金{rng.randrange(10, 500)}万元及利息", "performance": "全部未履行",
                "region": region[1]})))

    def _bystander(self, rng: random.Random) -> dict[str, Any] | None:
        """An innocent company a report names in passing (hard worlds), or None."""
        if not self.innocents or rng.random() >= self.level.bystander_news:
            return None
        return self.innocents[rng.randrange(len(self.innocents))]

    def _warning(self, rng: random.Random, when: int, about: list[dict[str, Any]], specific: bool,
                 bystander: dict[str, Any] | None = None) -> None:
        # a scheme is named by a regulator of its own province when there is one
        prov = next((r[1] for r in data.REGIONS if about and r[0] == about[0]["region"]), "")
        site = rng.choice(self.shared.get("regulator:" + prov) or self.shared["regulator"])
        codes = [a["code"] for a in about]
        path = f"/fxts/{when + 400:05d}{rng.randrange(16**5):05x}.html"
        extra = {"seed": rng.randrange(10**9), "brands": [a["scheme"]["brand"] for a in about],
                 "names": [a["names"][-1][1] for a in about], "arch": [a["scheme"]["archetype"] for a in about]}
        if bystander and about:
            extra["bystander"] = bystander["names"][-1][1]
            codes = codes + [bystander["code"]]
        self.w.page(site, path, day(min(max(when, -400), SPAN)), "warning", "warning", codes[0] if codes else None, codes, extra)

    def _news(self, rng: random.Random, when: int, about: list[dict[str, Any]], what: str,
              bystander: dict[str, Any] | None = None) -> None:
        site = rng.choice(self.shared["news"])
        codes = [a["code"] for a in about]
        path = f"/news/{when + 400:05d}{rng.randrange(16**5):05x}.html"
        extra = {"seed": rng.randrange(10**9), "what": what}
        if about:
            extra.update({"brands": [a["scheme"]["brand"] for a in about], "names": [a["names"][-1][1] for a in about],
                          "arch": [a["scheme"]["archetype"] for a in about], "city": about[0]["city"]})
        if bystander and about:
            extra["bystander"] = bystander["names"][-1][1]
            codes = codes + [bystander["code"]]
        self.w.page(site, path, day(min(max(when, -400), SPAN)), "news", "news_" + what, codes[0] if codes else None, codes, extra)

    def _law_article(self, rng: random.Random, site: str, path: str, when: int, about: dict[str, Any] | None) -> None:
        codes = [about["code"]] if about else []
        extra = {"seed": rng.randrange(10**9)}
        if about:
            extra.update({"brands": [about["scheme"]["brand"]], "names": [about["names"][-1][1]],
                          "arch": [about["scheme"]["archetype"]]})
        self.w.page(site, path, day(min(max(when, -400), SPAN)), "other", "law_article", codes[0] if codes else None, codes, extra)

    def _generic_docs(self, i: int, rng: random.Random) -> None:
        """Warnings, news and explainers that quote the jargon without being promotions."""
        r = i % 40
        if r == 0:
            self._warning(rng, rng.randrange(-300, SPAN + 1), [], specific=False)
        elif r == 20:
            self._news(rng, rng.randrange(-300, SPAN + 1), [], "explainer")
        elif r == 30 and i % 120 == 30:
            self._law_article(rng, rng.choice(self.shared["news"]), f"/law/g{i:x}.html", rng.randrange(-300, SPAN + 1), None)

    # -------------------------------------------------------------- write
    def _write_company(self, c: dict[str, Any]) -> None:
        seed = self.seed
        people = [[person_name(seed, pid), role, share] for pid, role, share in c["people"]]
        c["entries"].sort()
        for kind, when, reason, auth, removed, detail in c["entries"]:
            self.w.add("entries", (c["code"], kind, when, reason, auth, removed, detail))
        email_dom = c["websites"][0][0] if c["websites"] else rng_mail(c)
        profile = {
            "names": c["names"], "people": people, "capital": c["capital"], "paid": c["paid"],
            "address": c["address"], "region": c["region"], "city": c["city"], "district": c["district"],
            "industry": c["industry"], "scope": c["scope"], "phones": c["phones"],
            "emails": [f"{'service' if c['websites'] else 'contact'}@{email_dom}"],
            "websites": c["websites"], "brands": c["brands"], "status": c["status"],
            "scheme": c.get("scheme"), "sub": c["sub"],
        }
        self.w.add("companies", (c["code"], c["seq"], "；".join(n for _, n in c["names"]), day(c["founded"]), c["category"],
                                 (c.get("scheme") or {}).get("archetype"), _dumps(profile)))
        s = c.get("scheme") or {}
        self.w.truth_companies.write(_dumps({
            "credit_code": c["code"], "name": c["names"][-1][1], "names": [n for _, n in c["names"]],
            "is_scheme": c["category"] == "scheme", "archetype": s.get("archetype"),
            "lookalike": c["sub"] if c["category"] == "lookalike" else None,
            "launch": s.get("launch"), "collapse": s.get("collapse"), "reborn_from": s.get("reborn_from"),
            "founded": day(c["founded"]), "brands": c["brands"],
            "risk": c.get("risk") or ([[day(c["founded"]), lookalike_risk(c["sub"])]] if c["sub"] else []),
            "quiet": c.get("quiet", False), "hidden_yield": bool(s.get("hidden")),
            "disguised": c.get("disguised", False),
        }) + "\n")

    def finish(self) -> None:
        self.w.flush()


def rng_mail(c: dict[str, Any]) -> str:
    return f"{_pinyin(c['trade'])}{c['seq'] % 1000}.test"


def _name_at(c: dict[str, Any], when: str) -> str:
    name = c["names"][0][1]
    for d, n in c["names"]:
        if d <= when:
            name = n
    return name


def name_at(profile: dict[str, Any], when: str) -> str:
    return _name_at(profile, when)


def iter_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
