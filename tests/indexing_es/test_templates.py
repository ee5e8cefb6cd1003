"""`smoke index templates --print` and the rules every mapping keeps."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from indexing.models import (
    Alert,
    Company,
    Document,
    Evidence,
    IndicatorResult,
    Mention,
    Person,
    RegistryEntry,
    Run,
    Score,
    SourceStats,
)
from indexing.store.elastic.mappings import (
    CHINESE_TEXT_FIELDS,
    CJK_SUFFIX,
    ENTITIES,
    SCHEMA_VERSION,
    TOKENS_ANALYZER,
    TOKENS_SUFFIX,
)
from indexing.store.elastic.store import company_body, document_body, score_body
from smoke.cli import cli


@pytest.fixture(scope="module")
def printed() -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["index", "templates", "--print"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _objects(mapping: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every object level of a mapping (the root and each object with properties)."""
    out = [(path or "<root>", mapping)]
    for name, spec in mapping.get("properties", {}).items():
        if "properties" in spec:
            out += _objects(spec, f"{path}.{name}" if path else name)
    return out


def test_prints_every_index_as_valid_json(printed) -> None:
    assert printed["schema_version"] == SCHEMA_VERSION
    assert set(printed["indices"]) == set(ENTITIES) | {"meta"}
    for name, index in printed["indices"].items():
        assert index["mappings"]["_meta"]["schema_version"] == SCHEMA_VERSION, name
        assert index["settings"]["number_of_shards"] >= 1


def test_dynamic_is_strict_everywhere(printed) -> None:
    for name, index in printed["indices"].items():
        assert index["mappings"]["dynamic"] == "strict", name
        for path, obj in _objects(index["mappings"]):
            # nested object levels inherit strict unless they override it
            assert obj.get("dynamic", "strict") == "strict", f"{name}: {path}"
            for field, spec in obj.get("properties", {}).items():
                if spec.get("type") == "object" and "properties" not in spec:
                    # free-form: only allowed as a non-indexed blob
                    assert spec.get("enabled") is False, f"{name}: {path}.{field}"


def test_every_chinese_text_field_has_jieba_and_cjk_fields(printed) -> None:
    for entity, fields in CHINESE_TEXT_FIELDS.items():
        index = printed["indices"][entity]
        props = index["mappings"]["properties"]
        # Only the server's built-in analysers: a minimal cluster has no analysis modules.
        assert "analyzer" not in index["settings"]["analysis"]
        assert TOKENS_ANALYZER == "whitespace"
        for f in fields:
            assert props[f + TOKENS_SUFFIX] == {"type": "text", "analyzer": TOKENS_ANALYZER}, (entity, f)
            assert props[f + CJK_SUFFIX] == {"type": "text", "analyzer": "whitespace"}, (entity, f)
            assert f in props, (entity, f)
    assert set(CHINESE_TEXT_FIELDS["companies"]) >= {"name", "former_names", "aliases", "business_scope"}
    assert set(CHINESE_TEXT_FIELDS["documents"]) == {"title", "text"}


def test_names_and_credit_codes_have_keyword_fields(printed) -> None:
    props = printed["indices"]["companies"]["mappings"]["properties"]
    assert props["credit_code"]["type"] == "keyword"
    for f in ("name", "former_names", "aliases"):
        assert props[f]["fields"]["keyword"]["type"] == "keyword"
    for entity in ("documents", "scores", "alerts"):
        p = printed["indices"][entity]["mappings"]["properties"]
        if "credit_code" in p:
            assert p["credit_code"]["type"] == "keyword"


def test_no_standard_analyser_on_any_text_field(printed) -> None:
    """The standard analyser splits Chinese into single characters: every indexed text
    field must name its analyser."""
    for name, index in printed["indices"].items():
        for path, obj in _objects(index["mappings"]):
            for field, spec in obj.get("properties", {}).items():
                if spec.get("type") == "text" and spec.get("index", True):
                    assert spec.get("analyzer") == TOKENS_ANALYZER, f"{name}: {path}.{field}"


def test_shards_and_replicas_options() -> None:
    result = CliRunner().invoke(cli, ["index", "templates", "--print", "--shards", "6", "--replicas", "2"])
    assert result.exit_code == 0, result.output
    settings = json.loads(result.output)["indices"]["documents"]["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (6, 2)


# --- every body we write fits its strict mapping (no server needed to catch a typo) --


def _unmapped(body: dict[str, Any], mapping: dict[str, Any], path: str = "") -> list[str]:
    props = mapping.get("properties", {})
    missing = []
    for key, value in body.items():
        spec = props.get(key)
        where = f"{path}{key}"
        if spec is None:
            missing.append(where)
            continue
        if spec.get("type") == "object" and spec.get("enabled") is False:
            continue
        if "properties" in spec:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    missing += _unmapped(item, spec, where + ".")
    return missing


def test_written_bodies_fit_the_strict_mappings(printed) -> None:
    m = {e: printed["indices"][e]["mappings"] for e in ENTITIES}
    co = Company(
        credit_code="91440300MA5F00000X", name="深圳市鑫利财富投资管理有限公司", former_names=["旧名"],
        legal_rep="张三", people=[Person("张三", "legal_rep"), Person("李四", "shareholder", 0.4)],
        registered_capital=5000.0, paid_in_capital=100.0, founded="2016-05-01", status="存续", address="深圳",
        region_code="440305", industry="金融业", business_scope="投资管理", phones=["1"], emails=["a@b.test"],
        websites=["x.test"], aliases=["鑫利"], entries=[RegistryEntry("abnormal", "2023-01-02", "无法联系")],
        amac_registered=False, source_url="http://r.test", updated="2024-01-01T00:00:00",
    )
    assert _unmapped(company_body(co, {"smoke_index": 60.0, "level": "orange", "score_as_of": "2024-01-01",
                                       "rise": 3.0}), m["companies"]) == []
    d = Document(id="d1", url="http://x.test/1", source_kind="court", site="s", title="判决", text="传销",
                 fetched="2024-01-01T00:00:00", published="2024-01-01", raw_text="傳銷", content_hash="h",
                 encoding="utf-8", domain="x.test", mentions=[Mention("91440300MA5F00000X", "party", 1.0, "defendant")],
                 fields={"case_no": "1", "parties": [{"name": "x"}]})
    assert _unmapped(document_body(d), m["documents"]) == []
    s = Score("91440300MA5F00000X", "2024-01-01", 61.0, "orange", {"compliance": 1.0},
              [IndicatorResult("c.x", "compliance", 1.0, 2.0, 3.0, "x", [Evidence("u", "s")])], "m1", ["r"])
    assert _unmapped(score_body(s, 1, True, 2.0), m["scores"]) == []
    a = Alert("a1", "91440300MA5F00000X", "2024-01-01T00:00:00", "cross_60", 70.0, None, "msg", {"email": "sent"})
    assert _unmapped(a.to_dict(), m["alerts"]) == []
    r = Run("r1", "2024-01-01T00:00:00", sources={"court": SourceStats(pages=1, errors={"x": 1})})
    assert _unmapped(r.to_dict(), m["runs"]) == []
    assert _unmapped({"key": "k", "value": "v"}, m["state"]) == []
