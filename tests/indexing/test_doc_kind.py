"""Document kinds (config/doc_kinds.yaml): a warning or a news report found on the
promotional web is never a promotion; the source kind decides for the other sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError
from config.doc_kinds import load_doc_kinds
from indexing.doc_kind import DOC_KINDS, check_doc_kind, classify, cued_kind


@pytest.mark.parametrize("title,text,kind", [
    ("关于“某某理财”涉嫌非法集资的风险提示", "", "warning"),
    ("谨防打着“养老项目”旗号的非法集资", "", "warning"),
    ("远离非法集资 守护钱袋子", "", "warning"),
    ("某市警方通报：某某公司涉嫌集资诈骗被立案", "", "news"),
    ("公安机关捣毁一特大传销团伙", "", "news"),
    ("社会资讯", "本报讯 记者从市公安局获悉，一家投资公司……", "news"),
    ("月息8% 保本保息 推荐一人奖励500元", "国家支持，稳赚不赔", "promotion"),
    ("新人注册送888元红包，年化15%", "", "promotion"),
    ("深度调查:某平台爆雷始末", "", "news"),  # cue "调查：" matches a half-width colon (NFKC on both sides)
])
def test_promo_web_pages(title: str, text: str, kind: str) -> None:
    assert classify("promo", title, text) == kind


def test_source_kind_decides_for_other_sources() -> None:
    assert classify("court", "关于某某的风险提示") == "judgment"
    assert classify("complaint", "警方通报") == "complaint"
    assert classify("registry", "") == classify("amac", "") == "registry"


def test_cued_kind_is_the_promo_web_rule_alone() -> None:
    assert cued_kind("关于防范非法集资的风险提示") == "warning"
    assert cued_kind("某平台", "本报讯 记者从市公安局获悉") == "news"
    assert cued_kind("月息8% 保本保息") == ""


def test_an_unknown_kind_filter_is_an_error() -> None:
    check_doc_kind("warning")
    with pytest.raises(ValueError, match="doc_kind must be one of"):
        check_doc_kind("promo")  # a source kind, not a document kind
    assert set(DOC_KINDS) == {"promotion", "complaint", "judgment", "registry", "warning", "news"}


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "doc_kinds.yaml"
    bad.write_text("version: '1'\nlabels: {promotion: 推广}\nby_source_kind: {promo: promotion}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="labels: missing"):
        load_doc_kinds(bad)
