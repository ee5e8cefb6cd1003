"""Source YAML schema: the bundled files validate; errors name file, field and expectation."""

from __future__ import annotations

import pytest

from config import ConfigError
from config.sources import load_sources

FILE = """kind: court
start_urls: ["http://court2.test/list?page=1"]
rate: {delay_s: fast}
"""


def test_bundled_sources_validate_in_cycle_order():
    sources = load_sources()
    assert list(sources)[:2] == ["amac", "registry"]  # linking needs the company list first
    assert {s.kind for s in sources.values()} == {"registry", "court", "complaint", "promo", "amac"}
    for s in sources.values():
        assert s.proxy == "${SMOKE_SANDBOX_PROXY}"


def test_proxy_comes_from_environment(monkeypatch):
    monkeypatch.setenv("SMOKE_SANDBOX_PROXY", "http://127.0.0.1:9")
    assert load_sources()["court"].resolved_proxy() == "http://127.0.0.1:9"
    monkeypatch.setenv("SMOKE_SANDBOX_PROXY", "")
    assert load_sources()["court"].resolved_proxy() is None


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (FILE, "rate.delay_s", "valid number"),
        ("kind: bank\nstart_urls: ['http://x.test/']\n", "kind", "'registry'"),
        ("kind: court\nstart_urls: ['x.test/list']\n", "start_urls", "absolute http(s) URL"),
        ("kind: court\n", "start_urls", "field required"),
        ("kind: promo\nstart_urls: ['http://x.test/']\nselectorz: {}\n", "selectorz", "extra inputs"),
        ("kind: promo\nstart_urls: ['http://x.test/']\nencoding: [klingon]\n", "encoding", "known charset"),
        ("kind: promo\nstart_urls: ['http://x.test/']\ntraps: {deny_patterns: ['(']}\n", "traps.deny_patterns", "regular expression"),
        ("kind: court\nstart_urls: [http://x.test/\n", "", "not valid YAML"),
        ("kind: court\nstart_urls: ['http://x.test/']\ndetail: {fields: {title: 'h1['}}\n", "detail.fields.title",
         "expected a CSS selector, got 'h1['"),
        ("kind: court\nstart_urls: ['http://x.test/']\nlist: {records: '//li[', fields: {url: 'a::attr(href)'}}\n",
         "list.records", "expected an XPath expression"),
        ("kind: court\nstart_urls: ['http://x.test/']\ndetail: {fields: {title: {css: h1, json: t}}}\n",
         "detail.fields.title", "exactly one of css, xpath, json, label, template or value"),
        ("kind: court\nstart_urls: ['http://x.test/']\ndetail: {fields: {amount: {css: b, type: money}}}\n",
         "detail.fields.amount.type", "'capital_wan'"),
        ("kind: court\nstart_urls: ['http://x.test/']\ndetail: {fields: {name: {css: p, pattern: '(['}}}\n",
         "detail.fields.name.pattern", "regular expression"),
        ("kind: court\nstart_urls: ['http://x.test/']\npagination: {type: infinite}\n", "pagination.type", "'offset'"),
        ("kind: court\nstart_urls: ['http://x.test/']\nfeeds: {dishonest: {access: json_api}}\n",
         "feeds.dishonest.start_urls", "field required"),
        ("kind: court\nstart_urls: ['http://x.test/']\nfeeds: {d: {start_urls: ['http://x.test/'], list: {fields: {n: '//td['}}}}\n",
         "list.fields.n", "expected an XPath expression"),
    ],
)
def test_errors_name_file_field_and_expectation(tmp_path, text, field, expected):
    (tmp_path / "sources").mkdir()
    f = tmp_path / "sources" / "court2.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_sources(tmp_path)
    msg = str(err.value)
    assert str(f) in msg
    assert field in msg
    assert expected.lower() in msg.lower(), msg


def test_name_must_match_file(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "court2.yaml").write_text("name: other\nkind: court\nstart_urls: ['http://x.test/']\n")
    with pytest.raises(ConfigError, match="court2.yaml: name: expected the file name 'court2'"):
        load_sources(tmp_path)


def test_config_dir_adds_and_disables(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "web.yaml").write_text("kind: promo\nenabled: false\nstart_urls: ['http://x.test/']\n")
    (tmp_path / "sources" / "court2.yaml").write_text("kind: court\nstart_urls: ['http://x.test/']\n")
    names = list(load_sources(tmp_path))
    assert "web" not in names and "court2" in names
