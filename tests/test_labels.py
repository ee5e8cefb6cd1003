"""The one labels module: every code has a Chinese name, times are shown in Asia/Shanghai,
audit conditions read as Chinese, and no other module defines its own band names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from config import ConfigError
from indexing.models import DIMENSIONS, DOC_TYPES, LEVEL_IDS, SOURCE_KINDS
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


# --- "labels are defined three or four times": exports, alerts, evaluation, screening ----------

_OWN_TABLE_FILES = ("smoke/exports.py", "smoke/screening.py", "smoke/watchlist.py", "smoke/alerts/**/*.py",
                    "smoke/evaluation/*.py")


def test_no_module_keeps_its_own_table_of_bands_sources_or_rules():
    # A dict literal keyed by level ids (band names, fills, colours), source kinds or alert rules
    # is a second copy of config/labels.yaml: the exports' SOURCE_NAMES and BAND_FILLS, the
    # alerts' RULE_TITLES, the charts' _BAND_COLOURS and the screening's BAND_FILL were.
    key_sets = {"levels": set(LEVEL_IDS), "source kinds": set(SOURCE_KINDS), "alert rules": set(labels.ALERT_RULES)}
    offenders = []
    for pattern in _OWN_TABLE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Dict) or not all(
                        isinstance(v, ast.Constant | ast.Dict) and not isinstance(getattr(v, "value", ""), int)
                        for v in node.values):
                    continue  # counters and the like: not names
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                for what, ids in key_sets.items():
                    if len(keys & ids) >= 3:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: a table keyed by {what}")
    assert offenders == []


def test_exports_alerts_and_charts_show_what_labels_yaml_says(tmp_path, monkeypatch):
    # Edit the names and a colour in a copy of labels.yaml: every surface follows it.
    text = (ROOT / "config" / "labels.yaml").read_text(encoding="utf-8")
    edited = (text.replace("promo: 网页文本", "promo: 某网页来源")
                  .replace("crossing: 升至高风险", "crossing: 越过高风险线")
                  .replace('colour: "#e8711a"', 'colour: "#204060"')
                  .replace("short: 橙,", "short: 柑,"))
    assert edited.count("某网页来源") == edited.count("越过高风险线") == edited.count("#204060") == 1
    (tmp_path / "labels.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("SMOKE_CONFIG_DIR", str(tmp_path))

    from indexing.models import Alert
    from smoke.alerts.render import AlertView, band_zh
    from smoke.evaluation.charts import score_distribution_svg
    from smoke.exports import evidence_rows

    row = {"rank": 1, "name": "甲公司", "credit_code": "X", "evidence": [
        {"indicators": [], "points": 1.0, "quote": "q", "date": "", "source_kind": "promo", "url": ""}]}
    assert evidence_rows([row])[0]["source"] == "某网页来源"
    assert evidence_rows([row], lang="en")[0]["source"] == "promo"  # English exports: the id, as in JSONL
    assert labels.level_fill("orange") == "A6B3BF"  # #204060 tinted: 40 % colour, 60 % white
    view = AlertView(Alert(id="a", credit_code="X", created="2026-01-01", rule="crossing", score=65.0,
                           previous_score=None, message="m"), "甲公司")
    assert view.rule_title == "越过高风险线" and "越过高风险线" in view.subject() and band_zh(65.0) == "柑"
    svg = score_distribution_svg({"X": 65.0}, [{"credit_code": "X", "is_scheme": True}])
    assert 'fill="#204060"' in svg and 'stroke="#204060"' in svg  # the orange band and the high-risk line


def test_export_source_names_are_the_labels_source_kinds():
    from smoke.exports import evidence_rows

    for kind in SOURCE_KINDS:
        row = {"rank": 1, "name": "", "credit_code": "X", "evidence": [
            {"indicators": [], "points": 1.0, "quote": "q", "date": "", "source_kind": kind, "url": ""}]}
        assert evidence_rows([row])[0]["source"] == labels.labels().source_kinds[kind]
    assert labels.source_kind_zh("promo") != "推广页面"  # the promotional web holds warnings and news too


# --- "The high-risk threshold is written in five places": one number, in config/model.yaml ------


def _model_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "config" / "model.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (tmp_path / "model.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def test_the_model_bands_move_levels_threshold_pages_exports_and_alerts_together(tmp_path, monkeypatch):
    from jinja2 import Environment

    from indexing import models
    from indexing.store.sqlite import SQLiteStore
    from scoring.model import load_model
    from smoke.exports import write_export
    from smoke.service import threshold

    assert models.level_for(65) == "orange" and models.high_risk() == threshold.high_risk() == 60
    cfg = _model_copy(tmp_path, "orange: 60,", "orange: 70,")
    monkeypatch.setenv("SMOKE_CONFIG_DIR", str(cfg))
    assert models.level_for(65) == "yellow" and models.level_for(70) == "orange"
    assert models.high_risk() == threshold.high_risk() == 70 and threshold.is_high(70) and not threshold.is_high(65)
    assert load_model(cfg / "model.yaml").config.level_for(65) == "yellow"  # what the scorer uses
    assert labels.level_range("yellow") == "40-69" and labels.level_range("orange") == "70-79"
    assert [b["level"] for b in labels.level_bands() if b["high"]] == ["orange", "red"]
    env = Environment(autoescape=True)
    labels.install(env)
    assert env.globals["HIGH_RISK"] == "70"  # the pages' heading line
    store = SQLiteStore(tmp_path / "smoke.db")
    try:
        assert write_export(store, tmp_path / "high.csv")["min_score"] == 70  # the exports' default (web and CLI)
    finally:
        store.close()


def test_the_high_risk_band_names_the_threshold(tmp_path, monkeypatch):
    from indexing import models

    monkeypatch.setenv("SMOKE_CONFIG_DIR", str(_model_copy(tmp_path, "high_risk_band: orange", "high_risk_band: red")))
    assert models.high_risk() == 80 and models.high_levels() == ("red",) and models.level_for(65) == "orange"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("orange: 60,", "orange: 30,", r"bands: .*expected lower bounds rising from 0"),
        ("green: 0,", "green: 5,", r"bands: .*expected lower bounds rising from 0"),
        ("red: 80}", "crimson: 80}", r"bands: .*expected the bands green, blue, yellow, orange, red"),
        ("high_risk_band: orange", "high_risk_band: scarlet", r"high_risk_band: .*'green'"),
    ],
)
def test_bad_bands_are_a_config_error_naming_the_field(tmp_path, monkeypatch, old, new, message):
    from indexing import models

    monkeypatch.setenv("SMOKE_CONFIG_DIR", str(_model_copy(tmp_path, old, new)))
    with pytest.raises(ConfigError, match=r"model.yaml: " + message):
        models.level_for(50)


def test_no_literal_band_bounds_outside_the_model():
    # A score compared with 20 / 40 / 60 / 80 is a band cut-off written out again (HIGH = 60.0 in
    # the evaluation, HIGH_RISK = 60 and LEVELS in indexing.models were).
    scoreish = re.compile(r"index|score|risk|idx|\bv\b")
    offenders = []
    for top in ("smoke", "scoring", "indexing"):
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Compare) and all(isinstance(op, ast.Gt | ast.GtE | ast.Lt | ast.LtE)
                                                         for op in node.ops):
                    sides = [node.left, *node.comparators]
                    cut = any(isinstance(x, ast.Constant) and x.value in (20, 40, 60, 80) for x in sides)
                    if cut and any(scoreish.search(ast.unparse(x)) for x in sides if not isinstance(x, ast.Constant)):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value in (60, 60.0):
                    names = " ".join(ast.unparse(t) for t in node.targets)
                    if re.search(r"HIGH|THRESHOLD", names):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {names} = 60")
    assert offenders == []
