"""The CLI speaks Chinese by default and English on request (`smoke --lang en`, SMOKE_LANG=en),
on a real SQLite store in SMOKE_HOME; names of codes come from smoke.labels; times are Asia/Shanghai."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from smoke.accounts import Accounts
from smoke.cli import cli
from smoke.labels import alert_rule_zh, dimension_zh, level_zh, run_status_zh, source_kind_zh

ENGLISH_BANDS = re.compile(r"\b(red|orange|yellow|green|blue|amber)\b|red/")
ENGLISH_HEADERS = ("credit code", "index  band", "companies (", "documents (", "source  ", "health", "alert(s)")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from indexing.store.sqlite import SQLiteStore
    from tests.web.world import build_world

    home = tmp_path_factory.mktemp("lang-home")
    with SQLiteStore(home / "smoke.db") as store:
        codes = build_world(store)
    Accounts(home / "app.db").add_user("wang", "pass-for-wang-1234", "analyst")
    return home, codes


def smoke(home: Path, *args: str, lang: str | None = None) -> tuple[int, str]:
    env = {"SMOKE_HOME": str(home), "SMOKE_STORE": "sqlite", "SMOKE_LANG": lang}
    r = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return r.exit_code, r.output


def chinese_only(out: str) -> None:
    """No English band words (``red/红``, amber) and no English table headers."""
    assert not ENGLISH_BANDS.search(out), ENGLISH_BANDS.search(out)
    for header in ENGLISH_HEADERS:
        assert header not in out, header


def test_search_is_chinese_by_default_and_english_on_request(world) -> None:
    home, codes = world
    rc, out = smoke(home, "search", "投资")
    assert rc == 0, out
    assert "企业（" in out and "统一社会信用代码" in out and "指数" in out and "等级" in out
    assert level_zh("orange") in out and "推广页面" in out
    chinese_only(out)
    rc, en = smoke(home, "--lang", "en", "search", "投资")
    assert rc == 0 and "companies (" in en and "credit code" in en and "orange" in en and "promotion" in en
    assert "企业（" not in en and "推广页面" not in en
    rc, none = smoke(home, "search", "完全不存在的词语")
    assert "没有匹配" in none and "no company or document matches" not in none


def test_company_profile_bands_and_dimensions_are_named_by_the_labels_module(world) -> None:
    home, codes = world
    rc, out = smoke(home, "company", codes["red"])
    assert rc == 0, out
    assert f"冒烟指数 86.5  {level_zh('red')}（数据日期" in out
    assert f"{dimension_zh('compliance')} " in out and "各维度：" in out
    assert not re.search(r"compliance \d", out) and "dimensions:" not in out and "as of" not in out
    chinese_only(out)
    rc, en = smoke(home, "company", codes["red"], lang="en")  # SMOKE_LANG=en
    assert rc == 0 and "smoke index 86.5  red (as of" in en and "dimensions: compliance" in en


def test_ambiguous_and_missing_companies(world) -> None:
    home, _ = world
    rc, out = smoke(home, "company", "有限公司")
    assert rc == 1 and re.search(r"有歧义：没有名为 '有限公司' 的企业，\d+ 家企业与之部分匹配", out), out
    chinese_only(out)
    rc, en = smoke(home, "--lang", "en", "company", "有限公司")
    assert rc == 1 and re.search(r"ambiguous: \d+ matches", en)
    rc, out = smoke(home, "company", "没有这家公司")
    assert rc == 1 and "未找到企业 '没有这家公司'" in out


def test_alerts_list_and_groups(world) -> None:
    home, codes = world
    rc, out = smoke(home, "alerts", "list")
    assert rc == 0, out
    assert alert_rule_zh("crossing") in out and "共 2 条预警（时间为北京时间）" in out
    assert "email=sent" in out  # channel=state stays machine-readable
    # the stored creation time (UTC) is shown in Asia/Shanghai, not as stored
    from indexing.store.sqlite import SQLiteStore
    from smoke.service.timefmt import shanghai_display

    with SQLiteStore(home / "smoke.db") as store:
        created = {a.id: a.created for a in store.list_alerts()}
    assert shanghai_display(created["a1"]) in out and created["a1"][:16].replace("T", " ") not in out
    assert "crossing" not in out
    chinese_only(out)
    rc, out = smoke(home, "alerts", "groups")
    assert rc == 0 and "负责人：未分配" in out and "未确认" in out and "共 2 组预警" in out
    chinese_only(out)
    rc, en = smoke(home, "--lang", "en", "alerts", "list")
    assert rc == 0 and " crossing " in en and "2 alert(s)" in en and alert_rule_zh("crossing") not in en


def test_runs_and_sources(world) -> None:
    home, _ = world
    rc, out = smoke(home, "runs")
    assert rc == 0, out
    assert run_status_zh("ok") in out and "部分完成" in out and "（北京时间）" in out and "页数" in out
    assert "被封锁：" in out and "PARTIAL" not in out and "BLOCKED" not in out
    assert "http_403=3" in out  # error=count pairs stay machine-readable
    chinese_only(out)
    rc, en = smoke(home, "runs", lang="en")
    assert rc == 0 and "PARTIAL: some source" in en and "BLOCKED:" in en and "(Asia/Shanghai)" in en
    rc, out = smoke(home, "sources", "list")
    assert rc == 0 and source_kind_zh("registry") in out and "从未采集" in out and "启用" in out
    chinese_only(out)
    rc, en = smoke(home, "--lang", "en", "sources", "list")
    assert rc == 0 and "never crawled" in en and "registry" in en


def test_export_summary(world, tmp_path: Path) -> None:
    home, _ = world
    rc, out = smoke(home, "export", "-o", str(tmp_path / "a.csv"))
    assert rc == 0, out
    assert "已写出 4 行到" in out and "清单文件" in out and "模型 test-1.0" in out
    chinese_only(out)
    header = (tmp_path / "a.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert "统一社会信用代码" in header  # the file follows the language too
    rc, en = smoke(home, "--lang", "en", "export", "-o", str(tmp_path / "b.csv"))
    assert rc == 0 and "wrote 4 rows to" in en
    assert "credit_code" in (tmp_path / "b.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    rc, mixed = smoke(home, "export", "--lang", "en", "-o", str(tmp_path / "c.csv"))  # the command's own --lang
    assert rc == 0 and "wrote 4 rows to" in mixed


def test_watch(world) -> None:
    home, codes = world
    rc, out = smoke(home, "watch", "add", "--user", "wang", codes["red"])
    assert rc == 0 and f"已关注 {codes['red']}" in out
    rc, out = smoke(home, "watch", "list", "--user", "wang")
    assert rc == 0 and f"86.5 {level_zh('red')}" in out and "关注于" in out and "1 家关注企业" in out
    chinese_only(out)
    rc, en = smoke(home, "--lang", "en", "watch", "list", "--user", "wang")
    assert rc == 0 and "86.5 red" in en and "followed since" in en and "1 companies followed" in en


def test_a_bad_language_is_a_usage_error_and_a_bad_env_falls_back_to_chinese(world) -> None:
    home, _ = world
    r = CliRunner().invoke(cli, ["--lang", "fr", "runs"], env={"SMOKE_HOME": str(home)})
    assert r.exit_code == 2 and "fr" in r.output
    rc, out = smoke(home, "runs", lang="klingon")
    assert rc == 0 and "页数" in out


@pytest.mark.parametrize(("argv", "env", "start"), [
    (["runs"], None, "数据错误："),
    (["--lang", "en", "runs"], None, "data error: "),
    (["runs"], "en", "data error: "),
])
def test_error_lines_follow_the_language(argv, env, start, tmp_path: Path, monkeypatch, capsys) -> None:
    """smoke.cli.main (what `smoke` runs) prints a project error as one line in the chosen language."""
    from smoke.cli import main

    home = tmp_path / "home"
    home.mkdir()
    (home / "smoke.db").write_bytes(b"not a database" * 100)
    monkeypatch.setenv("SMOKE_HOME", str(home))
    monkeypatch.setenv("SMOKE_STORE", "sqlite")
    if env:
        monkeypatch.setenv("SMOKE_LANG", env)
    else:
        monkeypatch.delenv("SMOKE_LANG", raising=False)
    monkeypatch.setattr(sys, "argv", ["smoke", *argv])
    with pytest.raises(SystemExit) as done:
        main()
    err = capsys.readouterr().err.strip().splitlines()
    assert done.value.code == 3 and err[-1].startswith(start), err
    assert str(home / "smoke.db") in err[-1]


def test_help_is_chinese_first() -> None:
    r = CliRunner().invoke(cli, ["--help"], prog_name="smoke")
    assert r.exit_code == 0 and "--lang zh|en" in r.output and "SMOKE_LANG" in r.output
    commands = r.output.split("Commands:")[1]
    for line in commands.strip().splitlines():  # every command's one-line summary is Chinese
        summary = line.split(None, 1)[1]
        assert re.match(r"[\u4e00-\u9fff]", summary) or summary.startswith("Elasticsearch"), line


def test_json_output_carries_shanghai_times_as_the_api_does(world) -> None:
    """``--json`` prints the API's objects, so a stored UTC time comes out with +08:00."""
    import json

    home, _ = world
    rc, out = smoke(home, "alerts", "list", "--json")
    assert rc == 0, out
    created = [json.loads(line)["created"] for line in out.splitlines() if line.strip()]
    assert created and all(c.endswith("+08:00") for c in created), created
    rc, out = smoke(home, "runs", "--json")
    assert rc == 0, out
    started = [r["started"] for r in json.loads(out)]
    assert started and all(s.endswith("+08:00") for s in started), started
