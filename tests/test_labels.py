"""The one labels module: every code has a Chinese name, times are shown in Asia/Shanghai,
audit conditions read as Chinese, and no other module defines its own band names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import ConfigError
from indexing.models import DIMENSIONS, DOC_TYPES, LEVEL_IDS
from smoke import labels

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_has_a_chinese_name():
    for level, zh in zip(LEVEL_IDS, "绿蓝黄橙红", strict=True):
        assert labels.level_zh(level) == zh
        assert labels.level_colour(level).startswith("#")
    assert labels.level_zh("") == labels.level_zh(None) == "未评分"
    assert all(labels.dimension_zh(d) != d for d in DIMENSIONS)
    assert all(labels.doc_type_zh(t) != t for t in DOC_TYPES)
    assert labels.doc_type_zh("warning") == "风险提示" and labels.doc_type_zh("news") == "新闻"
    assert labels.alert_rule_zh("crossing") == "升至高风险" and labels.alert_rule_zh("critical") == "关键证据"
    assert labels.region_name("440305") == "广东" and labels.region_name("") == "未知"
    assert labels.level_range("orange") == "60-79" and labels.level_range("red") == "80-100"
    assert labels.run_kind_zh("crawl:web") == "采集 · web" and labels.run_status_zh("partial") == "部分完成"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-11-29T21:25:56+00:00", "2026-11-30 05:25"),
        ("2026-11-29T21:25:56", "2026-11-30 05:25"),  # the project writes UTC
        ("2026-11-30T05:25:56+08:00", "2026-11-30 05:25"),
        ("2026-11-29T21:25:56Z", "2026-11-30 05:25"),
        ("2024-06-30", "2024-06-30"),  # a data date stays as it is
        ("", ""),
        ("soon", "soon"),
    ],
)
def test_times_are_shown_in_shanghai(stored, shown):
    assert labels.shanghai(stored) == shown


def test_audit_conditions_read_as_chinese():
    text = labels.audit_detail_text('{"q": "北京", "kind": "companies", "region": "110101", "found": true, "level": "red",'
                                    ' "filters": {"industry": "资产管理"}, "via": "api"}')
    assert "{" not in text and '"' not in text
    for part in ("关键词：北京", "类型：企业", "地区：北京（110101）", "是否找到：是", "等级：红", "筛选条件：行业：资产管理", "渠道：API"):
        assert part in text, (part, text)
    assert labels.audit_action_zh("view_company") == "查看企业"


def test_a_labels_file_missing_a_name_is_a_config_error(tmp_path):
    text = (ROOT / "config" / "labels.yaml").read_text(encoding="utf-8").replace("  network: 关联网络\n", "")
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"labels.yaml: dimensions: missing name\(s\) for network"):
        labels._load(path)


def test_band_names_are_defined_once():
    # The band names used to be written out in templates, views, exports and the CLI.
    band_map = re.compile(r"""["']red["']\s*:\s*["']红["']|["']green["']\s*:\s*["']绿["']|>\s*红\s*<""")
    offenders = []
    for path in [*(ROOT / "smoke").rglob("*.py"), *(ROOT / "smoke").rglob("*.html")]:
        if band_map.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_stylesheet_colours_match_the_labels():
    # The stylesheet cannot be written from the labels (style-src 'self'), so it must agree.
    css = (ROOT / "smoke" / "web" / "static" / "app.css").read_text(encoding="utf-8")
    for band in labels.level_bands():
        assert f"--{band['level']}: {band['colour']}" in css, band
    js = (ROOT / "smoke" / "web" / "static" / "charts.js").read_text(encoding="utf-8")
    assert "#d23b32" not in js and '"red"' not in js  # charts read the bands from the page
