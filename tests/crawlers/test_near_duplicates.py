"""Near-copies (a scheme reborn under a new name) are found against the store and
against this crawl's own pages not yet written to it, without reading every stored
promotion at the start of a crawl."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from scrapy.utils.test import get_crawler

from crawlers.context import context
from crawlers.items import DocumentItem
from crawlers.pipelines.dedup import DedupPipeline
from crawlers.processing.dedup import hamming, simhash
from indexing.models import Document, stable_id
from indexing.normalize import normalize_text
from indexing.store.sqlite import SQLiteStore

HTML = {"Content-Type": "text/html; charset=utf-8"}

XINSHENG = ("鑫盛财富是国家支持的扶贫项目，稳赚不赔，年化收益百分之三十六，每天分红，保本保息。推荐一位朋友加入奖励五百元，"
            "直推奖百分之十，层推奖百分之五，团队满一百人升级为钻石会员，享受全国分红。入门只需三千八百元，三个月回本，"
            "之后每月稳定收益，提现秒到账。名额有限，先到先得，本周报名还送价值九百九十九元的健康礼包，联系客服领取邀请码。")
JINSHENG = XINSHENG.replace("鑫盛财富", "金盛财富")  # the same scheme reborn under a new name
HUILI = ("汇利通数字资产平台，区块链技术保障，静态收益每日千分之八，动态收益拉新会员最高奖励百分之二十，投入一万元"
         "一年变三万。平台由海外基金会担保，绝对安全，随时提现。新用户注册即送体验金八百元，邀请好友再送矿机一台，"
         "团队业绩达标晋升节点，共享全网手续费分红。机会难得，错过再等十年，速加客服微信获取内部名额。")
HUIBAO = HUILI.replace("汇利通", "汇利宝")
REPORT = "北京中科投资有限公司发布年度报告，营业收入稳定增长，风险提示见附件。" * 10


def _site(pages: dict[str, str]):
    """reborn.test, the only site in the web directory: its home page links every page."""

    def handler(host: str, key: str, headers: dict[str, str]):
        if host == "web.sandbox.test" and key.startswith("/sites"):
            return 200, HTML, b'<html><body><ul class="sites"><li><a class="site" href="http://reborn.test/">r</a></li></ul></body></html>'
        if host != "reborn.test":
            return None
        if key == "/":
            links = "".join(f'<a href="{path}">{path}</a>' for path in pages)
            return 200, HTML, f"<html><body>{links}</body></html>".encode()
        if key in pages:
            return 200, HTML, (f"<html><head><title>{key}</title></head><body>"
                               f'<div class="content">{pages[key]}</div></body></html>').encode()
        return 404, HTML, b"not here"

    return handler


def _near_of(db: SQLiteStore, path: str) -> str | None:
    doc = db.get_document(stable_id(f"http://reborn.test{path}"))
    assert doc is not None, path
    return doc.fields.get("near_duplicate_of")


def test_near_copies_are_found_across_crawls_and_within_one(crawl, site, open_db):
    # The pipeline hashes the normalised page text.
    for a, b in [(XINSHENG, JINSHENG), (HUILI, HUIBAO)]:
        assert hamming(simhash(normalize_text(a)), simhash(normalize_text(b))) <= 3
    assert hamming(simhash(normalize_text(XINSHENG)), simhash(normalize_text(REPORT))) > 3
    site.handlers.append(_site({"/p/xinsheng": XINSHENG, "/p/report": REPORT}))
    crawl("web")
    db = open_db()
    assert _near_of(db, "/p/xinsheng") is None and _near_of(db, "/p/report") is None
    db.close()

    # The second crawl no longer links the original: it is only in the store. A batch larger
    # than the crawl: nothing of this crawl reaches the store before the crawl ends, so the
    # huili / huibao pair can only be found among the crawl's own pages.
    site.handlers[:] = [_site({"/p/jinsheng": JINSHENG, "/p/huili": HUILI, "/p/huibao": HUIBAO})]
    crawl("web", settings={"SMOKE_STORE_BATCH": "1000"})
    db = open_db()
    assert _near_of(db, "/p/jinsheng") == stable_id("http://reborn.test/p/xinsheng")
    # Which of the pair came first depends on download order; the later one points at the other.
    pair = {_near_of(db, "/p/huili"), _near_of(db, "/p/huibao")}
    ids = {stable_id("http://reborn.test/p/huili"), stable_id("http://reborn.test/p/huibao")}
    assert None in pair and len(pair - {None}) == 1 and (pair - {None}) <= ids, pair
    assert _near_of(db, "/p/xinsheng") is None and _near_of(db, "/p/report") is None


class NoFullScanStore(SQLiteStore):
    """A real store that fails the test if anyone reads every stored document."""

    def iter_documents(self, source_kind: str = ""):
        raise AssertionError(f"iter_documents({source_kind!r}) called: near-duplicates must use band lookups")


def _item(path: str, text: str) -> DocumentItem:
    # As the clean pipeline (which runs before dedup) leaves it.
    return DocumentItem(url=f"http://reborn.test{path}", source="web", source_kind="promo", title=path, text=text,
                        fields={"_normalized": normalize_text(text)})


def test_dedup_pipeline_asks_the_store_and_never_reads_every_document(tmp_path: Path) -> None:
    db = tmp_path / "smoke.db"
    with SQLiteStore(db) as s:  # what an earlier crawl stored
        s.upsert_documents([Document(
            id=stable_id("http://reborn.test/old"), url="http://reborn.test/old", source_kind="promo", site="web",
            title="old", text=XINSHENG, fetched="2024-01-01T00:00:00", fields={"simhash": f"{simhash(normalize_text(XINSHENG)):016x}"})])
    crawler = get_crawler(settings_dict={"SMOKE_STORE_SPEC": f"sqlite:{db}"})
    crawler.spider = SimpleNamespace(kind="promo", name="web")  # the old code preloaded for promo spiders
    context(crawler)._store = NoFullScanStore(db)
    try:
        pipe = DedupPipeline.from_crawler(crawler)
        reborn = pipe.process_item(_item("/new", JINSHENG))
        assert reborn.fields["near_duplicate_of"] == stable_id("http://reborn.test/old")  # from the store
        first = pipe.process_item(_item("/huili", HUILI))
        assert "near_duplicate_of" not in first.fields
        second = pipe.process_item(_item("/huibao", HUIBAO))  # "/huili" is in no store: this crawl's
        assert second.fields["near_duplicate_of"] == stable_id("http://reborn.test/huili")
        again = pipe.process_item(_item("/old", XINSHENG))  # a page is no near-copy of itself
        assert again.fields["near_duplicate_of"] == stable_id("http://reborn.test/new")
        assert crawler.stats.get_value("smoke/near_duplicates") == 3
    finally:
        context(crawler).close()
