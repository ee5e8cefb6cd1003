"""`smoke calibrate` and `smoke lexicon suggest` against a real SQLite store under SMOKE_HOME."""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from click.testing import CliRunner

from indexing.models import Score
from indexing.store.sqlite import SQLiteStore
from scoring.model import load_model
from smoke.cli import cli
from tests.scoring.conftest import doc


def _scored_store(tmp_path: Path) -> list[dict]:
    """A real store of real scores: schemes with promotions (some also with complaints),
    and plain companies; returns the labels."""
    from scoring.context import ScoringContext
    from scoring.scorer import score_company
    from tests.scoring.conftest import AS_OF, RECRUIT_POST, SCHEME_PROMO, company

    model = load_model()
    store = SQLiteStore(tmp_path / "smoke.db")
    labels, scores, companies = [], [], []
    for i in range(40):
        scheme = i % 4 == 0
        c = company(f"91{i:016d}", f"测试{i}号商贸有限公司", founded="2015-01-01", paid_in_capital=10000.0,
                    business_scope="日用百货销售")
        docs = []
        if scheme:
            docs = [doc(SCHEME_PROMO, code=c.credit_code, url=f"http://p{i}.test/")]
            docs += [doc(RECRUIT_POST, code=c.credit_code, url=f"http://bbs.test/{i}/{k}", site="forum")
                     for k in range(i % 3)]
        elif i % 5 == 1:
            docs = [doc("我在该店办了年卡，店突然关门了，要求退款！", kind="complaint", code=c.credit_code,
                        url=f"http://complaints.sandbox.test/complaint/{i}")]
        companies.append(c)
        scores.append(score_company(c, docs, ScoringContext(as_of=AS_OF), model, AS_OF))
        labels.append({"credit_code": c.credit_code, "label": int(scheme)})
    store.upsert_companies(companies)
    store.save_scores(scores)
    store.close()
    return labels


def test_calibrate_writes_a_new_version_and_says_what_changed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    labels = _scored_store(tmp_path)
    lab = tmp_path / "labels.jsonl"
    lab.write_text("\n".join(json.dumps(r) for r in labels), encoding="utf-8")
    out = tmp_path / "model-new.yaml"
    current = load_model()
    res = CliRunner().invoke(cli, ["calibrate", "--labels", str(lab), "--out", str(out), "--version", "1.1.0-test"])
    assert res.exit_code == 0, res.output
    assert "auc" in res.output and "cv after" in res.output and "系数" in res.output
    assert "kept: seen in 0 labelled companies" in res.output  # indicators nobody showed keep their curve
    m = load_model(out)
    assert m.version == "1.1.0-test"
    for iid, spec in m.config.indicators.items():  # no evidence may lower a score
        ys = [y for _, y in spec.curve]
        assert ys == sorted(ys), iid
        old = current.config.indicators[iid].curve
        assert all(y >= 0.5 * y0 - 0.01 for (_, y), (_, y0) in zip(spec.curve, old, strict=True)), iid
    assert load_model().version == current.version  # the current model is untouched
    again = CliRunner().invoke(cli, ["calibrate", "--labels", str(lab), "--out", str(out)])
    assert again.exit_code != 0 and "exists" in again.output


def test_fit_factors_raises_what_ranks_the_riskier_schemes_first() -> None:
    from scoring.model import load_model as _load
    from smoke.calibration import fit_factors

    model = _load()
    from indexing.models import IndicatorResult

    def score(code: str, severity: float, pages: float) -> Score:
        ind = [IndicatorResult("complaints.severity", "complaints", severity, 0.0),
               IndicatorResult("spread.promo_pages", "spread", pages, 0.0)]
        return Score(code, "2024-06-30", 0.0, "green", {}, ind, model.version)

    # graded: the riskier the scheme, the more severe its complaints; pages run the other way
    # (the least risky schemes and the innocent companies have the most)
    scores = [score(f"S{k}", severity=k, pages=10 - k) for k in range(10)]
    scores += [score(f"N{k}", severity=0, pages=10) for k in range(10)]
    labels = {s.credit_code: int(s.credit_code[0] == "S") for s in scores}
    grades = {f"S{k}": k / 10 for k in range(10)}
    factors = {c.indicator: c.factor for c in fit_factors(model, scores, labels, grades)}
    assert factors["complaints.severity"] > 1.0 > factors["spread.promo_pages"] >= 0.5
    assert factors["yield.max_rate_vs_lpr"] == 1.0  # never seen: kept


def test_calibrate_rejects_bad_labels(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    bad.write_text("name,label\nx,1\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["calibrate", "--labels", str(bad)])
    assert res.exit_code != 0 and "row 1" in res.output and "credit_code" in res.output


def test_lexicon_suggest_proposes_unknown_neighbours_and_applies_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    rnd = random.Random(5)
    pieces = ["保本保息", "稳赚不赔", "直推奖", "见点奖", "对碰奖", "日封顶", "静态收益", "动态收益", "复投", "国家支持"]
    novel = ["聚宝盆奖", "金种子分红"]  # not in the lexicon: they occur where the seed terms occur
    store = SQLiteStore(tmp_path / "smoke.db")
    docs = []
    for i in range(80):
        words = rnd.sample(pieces, 4) + [rnd.choice(novel)]
        text = "本项目年化收益36%，" + "，".join(words) + "，名额有限，扫码加微信，邀请码AB12。"
        docs.append(doc(text, url=f"http://p{i}.test/", site=f"p{i}"))
    store.upsert_documents(docs)
    store.close()
    before = Path("config/lexicon.yaml").read_text(encoding="utf-8")
    out = tmp_path / "sugg.yaml"
    res = CliRunner().invoke(cli, ["lexicon", "suggest", "--out", str(out), "--min-similarity", "0.0", "--min-count", "2"])
    assert res.exit_code == 0, res.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    terms = {r["term"] for r in data["suggestions"]}
    assert terms and not terms & set(pieces)
    assert Path("config/lexicon.yaml").read_text(encoding="utf-8") == before
