"""Done-when of issue 13: a watchlist of 3 companies yields a daily digest of their changes
on the next cycle, per user, over real SMTP (aiosmtpd)."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.alerts import AlertChannels
from indexing.models import Document, Mention, RegistryEntry
from smoke.accounts import Accounts
from smoke.alerts import deliver_pending, evaluate_rules
from smoke.alerts.digests import deliver_watch_digests, user_folder
from smoke.watchlist import Watchlists
from tests.alerts.conftest import HOSTILE, add_company, add_scores, free_port

PASSWORD = "correct horse 42"


def _doc(doc_id: str, code: str, title: str, day: str) -> Document:
    return Document(id=doc_id, url=f"http://promo.test/{doc_id}", source_kind="promo", site="t", title=title,
                    text=title, fetched=f"{day}T08:00:00+08:00", published=day,
                    mentions=[Mention(credit_code=code, method="credit_code", confidence=1.0)])


def _cycle(store, home: Path, day: str, channels: AlertChannels) -> dict:
    """The alert half of a cycle, in the order smoke.cycle runs it."""
    evaluate_rules(store, day)
    deliver_pending(store, channels, home)
    return deliver_watch_digests(store, home, day, channels)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    acc = Accounts(h / "app.db")
    acc.add_user("wang", PASSWORD, "analyst")
    acc.add_user("li", PASSWORD, "viewer")
    return h


def test_watchlist_of_three_gets_a_digest_of_their_changes_next_cycle(store, home, smtp_plain):
    channels = smtp_plain.channels(recipients=["duty@example.test"])
    a, b, c, d = (add_company(store, n, name) for n, name in
                  ((1, "甲财富管理有限公司"), (2, "乙资产管理有限公司"), (3, HOSTILE), (4, "丁投资有限公司")))
    for code in (a, b, c, d):
        add_scores(store, code, {"2026-03-01": 30.0})
    store.upsert_documents([_doc("old-a", a, "甲公司旧文章", "2026-02-20")])
    assert _cycle(store, home, "2026-03-01", channels)["users"] == 0  # nobody follows anything yet

    wl = Watchlists(home / "app.db")
    for code in (a, b, c):
        wl.add(store, "wang", code)
    wl.set_email("wang", "wang@example.test")
    wl.add(store, "li", d)  # li follows d (which changes) but has no address and no digest file

    # Day 2: a gets new evidence, b crosses into high risk, c's registry changes; d (not wang's) changes too.
    store.upsert_documents([_doc("new-a", a, "甲公司推广：月息8%保本保息", "2026-03-02"),
                            _doc("new-d", d, "丁公司新文章", "2026-03-02")])
    add_scores(store, b, {"2026-03-02": 72.0})
    c_company = store.get_company(c)
    c_company.legal_rep = "赵六"
    c_company.entries = [RegistryEntry(kind="abnormal", date="2026-03-02", reason="通过登记的住所无法联系")]
    store.upsert_companies([c_company])
    add_scores(store, d, {"2026-03-02": 31.0})
    smtp_plain.mailbox.messages.clear()
    smtp_plain.mailbox.envelopes.clear()

    counts = _cycle(store, home, "2026-03-02", channels)

    assert counts == {"users": 2, "sent": 1, "empty": 0, "failed": 0, "no_channel": 1}
    digests = [(m, env) for m, env in zip(smtp_plain.mailbox.messages, smtp_plain.mailbox.envelopes, strict=True)
               if m["X-Smoke-Digest-Id"]]
    assert len(digests) == 1
    msg, (_, rcpts) = digests[0]
    assert rcpts == ["wang@example.test"]  # per-user delivery: only wang's address
    assert "关注日报" in msg["Subject"] and "3 家关注企业" in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert "甲财富管理有限公司" in body and "甲公司推广：月息8%保本保息" in body and "http://promo.test/new-a" in body
    assert "甲公司旧文章" not in body  # known before wang followed
    assert "乙资产管理有限公司" in body and "30.0（蓝） → 72.0（橙）" in body and "升至高风险" in body
    assert "法定代表人" in body and "赵六" in body and "经营异常列入：通过登记的住所无法联系" in body
    assert "丁投资有限公司" not in body and "丁公司新文章" not in body
    html = msg.get_body(("html",)).get_content()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    # the regular alert e-mail still goes to the duty address
    assert any(env[1] == ["duty@example.test"] for m, env in zip(smtp_plain.mailbox.messages,
                                                                 smtp_plain.mailbox.envelopes, strict=True)
               if m["X-Smoke-Alert-Id"])
    audit = Accounts(home / "app.db").list_audit(action="watch_digest")
    assert len(audit) == 1 and audit[0].detail["user"] == "wang" and audit[0].detail["companies"] == 3

    # The same cycle again: nothing new, no second digest.
    assert _cycle(store, home, "2026-03-02", channels)["sent"] == 0
    assert sum(1 for m in smtp_plain.mailbox.messages if m["X-Smoke-Digest-Id"]) == 1


def test_failed_digest_is_sent_with_everything_on_the_next_cycle(store, home, smtp_plain):
    a = add_company(store, 1, "甲财富管理有限公司")
    add_scores(store, a, {"2026-03-01": 30.0})
    wl = Watchlists(home / "app.db")
    wl.add(store, "wang", a)
    wl.set_email("wang", "wang@example.test")
    add_scores(store, a, {"2026-03-02": 50.0})
    down = smtp_plain.channels(port=free_port(), recipients=["duty@example.test"])  # nobody listens there
    assert deliver_watch_digests(store, home, "2026-03-02", down)["failed"] == 1
    store.upsert_documents([_doc("n1", a, "第二天的新文档", "2026-03-03")])
    counts = deliver_watch_digests(store, home, "2026-03-03", smtp_plain.channels(recipients=["d@example.test"]))
    assert counts["sent"] == 1
    body = smtp_plain.mailbox.messages[-1].get_body(("plain",)).get_content()
    assert "30.0（蓝） → 50.0（黄）" in body and "第二天的新文档" in body


def test_digest_file_per_user_when_the_digest_channel_is_on(store, home):
    a = add_company(store, 1, "甲财富管理有限公司")
    add_scores(store, a, {"2026-03-01": 30.0})
    Watchlists(home / "app.db").add(store, "wang", a)
    add_scores(store, a, {"2026-03-02": 65.0})
    channels = AlertChannels.model_validate({"digest": {"enabled": True, "subdir": "alerts"}})
    assert deliver_watch_digests(store, home, "2026-03-02", channels)["sent"] == 1
    page = (user_folder(home, "alerts", "wang") / "digest-2026-03-02.html").read_text(encoding="utf-8")
    assert "甲财富管理有限公司" in page and "65.0" in page
    assert user_folder(home, "alerts", "../x") != user_folder(home, "alerts", "__x")
    assert ".." not in user_folder(home, "alerts", "../x").name
