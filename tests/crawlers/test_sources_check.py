"""`smoke sources check FILE.yaml`: run against every fixture site of both families, through
a real local HTTP server; what it prints is what a crawl extracts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from config import CONFIG_DIR
from smoke.cli import cli
from tests.crawlers.siteserver import SiteServer

OTHER = Path(__file__).parent / "other_sites"


@pytest.fixture(scope="module")
def servers():
    first, other = SiteServer(), SiteServer(root=OTHER / "pages")
    first.start()
    other.start()
    yield {"first": first, "other": other}
    first.stop()
    other.stop()


def check(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["sources", "check", *args])
    return res.exit_code, res.output


# (family, file, lines the report must hold)
CASES = [
    ("first", CONFIG_DIR / "sources" / "amac.yaml", ["feed main (json_api)", "1 entries", "registration_no    P1000001"]),
    ("first", CONFIG_DIR / "sources" / "registry.yaml",
     ["credit_code        91110108MA01000023", "name               北京中科投资有限公司", "missing: former_names, aliases"]),
    ("first", CONFIG_DIR / "sources" / "court.yaml",
     ["case_no            （2024）粤03刑初100号", "feed dishonest (json_api)", "dishonest          True"]),
    ("first", CONFIG_DIR / "sources" / "complaints.yaml", ["demand             退还本金", "amount             50000.0"]),
    ("first", CONFIG_DIR / "sources" / "web.yaml", ["listing http://web.sandbox.test/sites?page=1: 200"]),
    ("other", OTHER / "sources" / "other_registry.yaml",
     ["gb18030, 1 entries", "registered_capital 5000.0", "bad date in change.date: '日期不详'"]),
    ("other", OTHER / "sources" / "other_court.yaml",
     ["amount             12000000.0", "feed dishonest (list_detail)", "published          2024-09-01"]),
    ("other", OTHER / "sources" / "other_complaints.yaml", ["feed main (rss)", "200, big5", "demand             退還本金"]),
    ("other", OTHER / "sources" / "other_web.yaml", ["url                http://licai.other.test/", "missing: content"]),
    ("other", OTHER / "sources" / "other_amac.yaml", ["feed main (sitemap)", "registered_date    2018-01-01"]),
]


@pytest.mark.parametrize(("family", "path", "expected"), CASES, ids=[c[1].stem for c in CASES])
def test_check_every_fixture_site(servers, family, path, expected) -> None:
    code, out = check(str(path), "--proxy", servers[family].proxy_url)
    assert code == 0, out
    for line in expected:
        assert line in out, (line, out)
    assert out.rstrip().endswith("ok")


def test_url_reads_the_page_given(servers) -> None:
    code, out = check(str(OTHER / "sources" / "other_web.yaml"), "--proxy", servers["other"].proxy_url,
                      "--url", "http://licai.other.test/news/1")
    assert code == 0, out
    assert "invite_codes       ['XS8888']" in out and "published          2024-06-01" in out


def test_what_is_wrong_is_said(servers, tmp_path) -> None:
    src = (OTHER / "sources" / "other_registry.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "wrong_registry.yaml"
    wrong.write_text(src.replace("//table[@id='result']", "//table[@id='results']")
                     .replace('label: "span.lbl"', 'label: "span.label"'), encoding="utf-8")
    code, out = check(str(wrong), "--proxy", servers["other"].proxy_url)
    assert code == 1 and "0 entries" in out and "no entries: check list.records" in out
    unread = tmp_path / "unread_registry.yaml"
    unread.write_text(src.replace("    status: {label: 登记状态}\n", ""), encoding="utf-8")
    code, out = check(str(unread), "--proxy", servers["other"].proxy_url)
    assert code == 0 and "labels on the page no field reads: 登记状态" in out
    broken = tmp_path / "broken_registry.yaml"
    broken.write_text(src.replace('label: 企业名称, required: true', 'label: 公司名称, required: true'), encoding="utf-8")
    code, out = check(str(broken), "--proxy", servers["other"].proxy_url)
    assert code == 1 and "missing required: name" in out and "broken page" in out


def test_a_bad_file_names_the_file_the_field_and_what_was_expected(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('kind: court\nstart_urls: ["http://x.test/"]\ndetail:\n  fields:\n    title: {css: "h1[", type: text}\n',
                   encoding="utf-8")
    code, out = check(str(bad))
    assert code != 0
    assert f"{bad}: detail.fields.title" in out and "expected a css selector" in out
