"""`smoke analyze-text` as others script it: a real subprocess, stdin, files, encodings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.scoring.conftest import BANK_PAGE, SCHEME_PROMO

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "smoke", "analyze-text", *args], input=stdin, capture_output=True,
                          env=env, cwd=ROOT, timeout=120)


def check_contract(obj: dict) -> None:
    assert 0 <= obj["risk"] <= 100
    assert obj["doc_type"] in ("promo", "recruit", "complaint", "judgment", "warning", "news", "other")
    for y in obj["yields"]:
        assert isinstance(y["text"], str) and isinstance(y["annual_rate"], float | int)
    for h in obj["hits"]:
        assert isinstance(h["term"], str) and isinstance(h["category"], str) and isinstance(h["count"], int)


def test_stdin_and_dash(tmp_path: Path) -> None:
    for args in ([], ["-"]):
        p = run(args, SCHEME_PROMO.encode("utf-8"))
        assert p.returncode == 0, p.stderr
        lines = p.stdout.decode("utf-8").splitlines()
        assert len(lines) == 1
        obj = json.loads(lines[0])
        check_contract(obj)
        assert obj["risk"] >= 80 and obj["doc_type"] == "promo"
        assert any(y["annual_rate"] == 96.0 for y in obj["yields"])
        assert any(h["term"] == "保本保息" and h["count"] == 1 for h in obj["hits"])


def test_several_files_one_line_each_in_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SCHEME_PROMO, encoding="utf-8")
    b.write_text(BANK_PAGE, encoding="utf-8-sig")
    p = run([str(a), str(b)])
    assert p.returncode == 0, p.stderr
    objs = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    assert [o["source"] for o in objs] == [str(a), str(b)]
    for o in objs:
        check_contract(o)
    assert objs[0]["risk"] >= 80 > 20 > objs[1]["risk"]


def test_gbk_and_big5_files_are_decoded(tmp_path: Path) -> None:
    g = tmp_path / "gbk.txt"
    g.write_bytes("年化收益36%，保本保息，直推奖10%，见点奖，对碰奖日封顶。".encode("gbk"))
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("年化收益36%，保本保息，穩賺不賠，直推獎10%，見點獎，對碰獎日封頂。".encode("big5"))
    p = run([str(g), str(big5)])
    assert p.returncode == 0, p.stderr
    gbk_obj, big5_obj = (json.loads(line) for line in p.stdout.decode("utf-8").splitlines())
    terms = {h["term"] for h in gbk_obj["hits"]}
    assert {"保本保息", "直推奖", "见点奖", "对碰奖", "日封顶"} <= terms
    assert gbk_obj["encoding"] in ("gb18030", "gbk")
    assert {"保本保息", "稳赚不赔", "见点奖"} <= {h["term"] for h in big5_obj["hits"]}
    assert gbk_obj["yields"][0]["annual_rate"] == 36.0


def test_missing_file_is_reported_and_others_still_run(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(BANK_PAGE, encoding="utf-8")
    p = run([str(tmp_path / "nope.txt"), str(a)])
    assert p.returncode == 1
    assert "nope.txt" in p.stderr.decode()
    assert len(p.stdout.decode().splitlines()) == 1
