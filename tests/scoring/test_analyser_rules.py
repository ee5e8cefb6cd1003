"""The analyser's knowledge is data (config/analyser.yaml): a cue added with one YAML line
changes what the analyser reads; a malformed file names the file, the field and what was
expected; the Python of scoring/text/ holds no Chinese vocabulary; verdicts say what a text
establishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import CONFIG_DIR, ConfigError
from scoring.text import analyze, load_rules
from scoring.text.learned import load_text_model

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = CONFIG_DIR / "analyser.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / "analyser.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_scoring_text_holds_no_chinese_vocabulary() -> None:
    files = sorted((ROOT / "scoring" / "text").rglob("*.py"))
    assert len(files) >= 6
    found = [f"{f.relative_to(ROOT)}:{n}" for f in files
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if CJK.search(line)]
    assert not found, f"Chinese in scoring/text/ (cues belong in config/analyser.yaml): {found}"


def test_rules_are_compiled_once() -> None:
    assert load_rules() is load_rules()
    # the analyser's version is the rules' and the statistical model's: "1.0.0+2026.11.29-..."
    assert analyze("text").analyser_version == f"{load_rules().version}+{load_text_model().version}"
    assert analyze("text", text_model=False).analyser_version == load_rules().version


def test_one_yaml_line_adds_a_legitimacy_disclosure(tmp_path: Path) -> None:
    text = "稳健理财，年化收益8%，本产品已在监管平台登记备案，欢迎咨询。"
    before = analyze(text)
    rules = load_rules(_variant(tmp_path, "legitimacy:\n  cues:\n", "legitimacy:\n  cues:\n    - 已在监管平台登记备案\n"))
    after = analyze(text, rules=rules)
    assert before.legit_cues == 0 and after.legit_cues == 1
    assert after.risk < before.risk


def test_one_yaml_line_adds_a_genre_phrase(tmp_path: Path) -> None:
    text = "某某观察：网传的所谓高收益项目，本栏目已多次说明其风险。"
    rules = load_rules(_variant(tmp_path, "  cues:\n    judgment:\n", "  cues:\n    judgment:\n      本栏目: 9\n"))
    assert analyze(text).doc_type != "judgment"
    assert analyze(text, rules=rules).doc_type == "judgment"


def test_risk_weights_are_read_from_the_file(tmp_path: Path) -> None:
    text = "本院认为，被告人构成非法吸收公众存款罪。判决如下：被告人张某犯非法吸收公众存款罪，判处有期徒刑三年。"
    rules = load_rules(_variant(tmp_path, "fundraising_conviction: 85", "fundraising_conviction: 90"))
    assert analyze(text, text_model=False).risk == 85.0 and analyze(text, rules=rules, text_model=False).risk == 90.0


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("      - 判处\n", "      - '判处('\n", r"verdicts\.conviction\.cues\.\d+: .*not a valid regex fragment '判处\('"),
    ("pattern: '{cues}[^,。;!?]{0,3}$'", "pattern: '{cue}[^,。;!?]{0,3}$'", r"context\.denial_before: .*unknown list cue"),
    ("    judgment:\n      人民法院: 3", "    verdict:\n      人民法院: 3", r"doc_types\.cues: .*unknown doc type verdict"),
    ("    daily_payout: 10\n", "", r"risk\.promise\.daily_payout: field required"),
    ("    daily_payout: 10\n", "    daily_payout: lots\n", r"risk\.promise\.daily_payout: .*number.*'lots'"),
])
def test_malformed_rules_name_file_field_and_expectation(tmp_path: Path, old: str, new: str, expected: str) -> None:
    p = _variant(tmp_path, old, new)
    with pytest.raises(ConfigError) as exc:
        load_rules(p)
    assert str(p) in str(exc.value)
    assert re.search(expected, str(exc.value)), str(exc.value)


def test_verdicts_say_what_a_text_establishes() -> None:
    judgment = analyze("本院认为，被告人构成非法吸收公众存款罪。判决如下：被告人张某犯非法吸收公众存款罪，判处有期徒刑三年。")
    assert judgment.doc_type == "judgment" and judgment.is_fundraising_conviction
    assert judgment.verdicts == {"convicted": True, "fundraising_crime": True, "withdrawal_halt": False,
                                 "named_suspect": False}
    halt = analyze("尊敬的投资人：由于借款人大面积逾期，平台现启动良性退出方案，出借人本金将按每月2%的比例分期兑付，"
                   "请大家理解支持，不要参与维权。")
    assert halt.verdicts["withdrawal_halt"] and not halt.is_fundraising_conviction
    bank = analyze("尊敬的客户：我行将于11月20日00:00-04:00进行系统升级，期间暂停网银转账、提现服务，升级完成后恢复正常。")
    assert not any(bank.verdicts.values())
    named = analyze("（记者李某）据报道，上海某某投资管理有限公司涉嫌非法集资，已被警方立案侦查。责任编辑：王某")
    assert named.doc_type == "news" and named.verdicts["named_suspect"]
    assert set(analyze("x").to_json()["verdicts"]) == {"convicted", "fundraising_crime", "withdrawal_halt", "named_suspect"}
