"""The outbox: digest files, several channels failing independently, concurrent deliverers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from config.alerts import AlertChannels
from indexing.store.sqlite import SQLiteStore
from smoke.alerts import deliver_pending
from smoke.locking import delivery_lock_path, file_lock
from tests.alerts.conftest import HOSTILE, make_alerts

REPO = Path(__file__).resolve().parents[2]


def _digest_only() -> AlertChannels:
    return AlertChannels.model_validate({"digest": {"enabled": True}, "retry": {"base_s": 0}})


def test_digest_files_per_day_without_duplicate_lines(store, home: Path) -> None:
    alerts = make_alerts(store, 3)
    make_alerts(store, 1, start=200, name=HOSTILE)
    counts = deliver_pending(store, _digest_only(), home)
    assert counts == {"digest": {"sent": 4, "failed": 0, "pending": 0, "abandoned": 0}}
    day = alerts[0].created[:10]
    jsonl = home / "alerts" / f"digest-{day}.jsonl"
    page = home / "alerts" / f"digest-{day}.html"
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and {json.loads(x)["id"] for x in lines} >= {a.id for a in alerts}
    html = page.read_text(encoding="utf-8")
    assert "共 4 条预警" in html and "<script>alert" not in html and "&lt;script&gt;" in html

    # Re-running the day: nothing new. Even if the store forgot the delivery state
    # (restored from a backup), the file does not get a second copy of a line.
    assert deliver_pending(store, _digest_only(), home)["digest"]["sent"] == 0
    for a in store.list_alerts():
        a.delivery = {}
        store.update_alert(a)
    deliver_pending(store, _digest_only(), home)
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 4
    assert sorted(p.name for p in (home / "alerts").iterdir()) == [f"digest-{day}.html", f"digest-{day}.jsonl"]


def test_digest_survives_a_torn_last_line(store, home: Path) -> None:
    make_alerts(store, 1)
    deliver_pending(store, _digest_only(), home)
    (jsonl,) = (home / "alerts").glob("*.jsonl")
    with jsonl.open("ab") as fh:
        fh.write('{"id": "torn", "message": "半'.encode()[:-1])  # a crash mid-write, mid-character
    make_alerts(store, 1, start=300)
    assert deliver_pending(store, _digest_only(), home)["digest"]["sent"] == 1
    good = [json.loads(x) for x in jsonl.read_text(encoding="utf-8", errors="replace").splitlines() if x.startswith('{"')  and x.endswith("}")]
    assert len(good) == 2


def test_channels_fail_independently(store, home: Path, receiver, smtp_plain) -> None:
    alerts = make_alerts(store, 2)
    cfg = AlertChannels.model_validate(
        {
            "email": smtp_plain.channels().email.model_dump(),
            "webhooks": [{"name": "ops", "url": receiver.url}],
            "digest": {"enabled": True},
            "retry": {"base_s": 0, "max_s": 0},
        }
    )
    receiver.stop()
    counts = deliver_pending(store, cfg, home)
    assert counts["email"]["sent"] == 2 and counts["digest"]["sent"] == 2
    assert counts["webhook:ops"]["sent"] == 0
    for a in store.list_alerts():
        assert a.delivery["email"] == "sent" and a.delivery["digest"] == "sent"
        assert a.delivery["webhook:ops"] in ("failed", "pending")
    receiver.start()
    counts = deliver_pending(store, cfg, home)
    assert counts == {
        "digest": {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0},
        "email": {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0},
        "webhook:ops": {"sent": 2, "failed": 0, "pending": 0, "abandoned": 0},
    }
    assert len(smtp_plain.mailbox.messages) == 2 and len(receiver.received) == 2
    assert {r.json()["idempotency_key"] for r in receiver.received} == {a.id for a in alerts}


DELIVERER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {repo!r})
    from config.alerts import AlertChannels
    from indexing.store.sqlite import SQLiteStore
    from smoke.alerts import deliver_pending
    store = SQLiteStore(sys.argv[1])
    cfg = AlertChannels.model_validate(json.loads(sys.argv[2]))
    print(json.dumps(deliver_pending(store, cfg, sys.argv[3])))
    store.close()
    """
)


def test_concurrent_deliverers_do_not_double_send(store, home: Path, receiver, tmp_path: Path) -> None:
    alerts = make_alerts(store, 6)
    receiver.delay_s = 0.15  # a slow receiver: the two deliverers overlap
    script = tmp_path / "deliver.py"
    script.write_text(DELIVERER.format(repo=str(REPO)), encoding="utf-8")
    cfg = json.dumps(receiver.channels("json").model_dump())
    # each deliverer with its own home: the lock belongs to the store they share
    procs = [
        subprocess.Popen([sys.executable, str(script), str(store.path), cfg, str(home / f"h{i}")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for i in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    sent = sum(json.loads(o)["webhook:ops"]["sent"] for o, _ in outs)
    keys = [r.json()["idempotency_key"] for r in receiver.received]
    assert sorted(keys) == sorted(a.id for a in alerts), "each alert exactly once"
    assert sent == 6


def test_busy_lock_delivers_nothing_and_loses_nothing(store, home: Path, receiver) -> None:
    make_alerts(store, 1)
    cfg = receiver.channels("json", lock_timeout_s=0.2)
    with file_lock(delivery_lock_path(store, home), what="another deliverer"):
        assert deliver_pending(store, cfg, home) == {"webhook:ops": {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0}}
    assert receiver.received == []
    assert deliver_pending(store, cfg, home)["webhook:ops"]["sent"] == 1


def test_no_channels_enabled(store, home: Path) -> None:
    make_alerts(store, 1)
    cfg = AlertChannels.model_validate({"digest": {"enabled": False}})
    assert deliver_pending(store, cfg, home) == {}


def test_old_and_replayed_alerts_are_delivered_new_channels_get_no_backlog(store, home: Path, receiver) -> None:
    from indexing.models import Alert

    old = Alert(id="replayed-day", credit_code="X", created="2024-06-30T00:00:00+08:00", rule="crossing",
                score=70, previous_score=50, message="沙盒世界的一天")
    assert store.save_alert(old)
    assert deliver_pending(store, _digest_only(), home)["digest"]["sent"] == 1  # a past as_of still goes out
    assert (home / "alerts" / "digest-2024-06-30.jsonl").exists()
    # A webhook enabled later starts with the alerts raised after it.
    cfg = AlertChannels.model_validate({"webhooks": [{"name": "ops", "url": receiver.url}], "retry": {"base_s": 0}})
    assert deliver_pending(store, cfg, home)["webhook:ops"]["sent"] == 0
    (new,) = make_alerts(store, 1)
    assert deliver_pending(store, cfg, home)["webhook:ops"]["sent"] == 1
    assert [r.json()["idempotency_key"] for r in receiver.received] == [new.id]


def test_an_acknowledgement_made_during_delivery_is_kept(store, home: Path, receiver) -> None:
    """An analyst acknowledges an alert (from another connection, as the web app does)
    while the deliverer is sending it; the deliverer's record of 'sent' must not undo it."""

    (alert,) = make_alerts(store, 1)
    receiver.delay_s = 1.0
    cfg = receiver.channels("json")
    result: dict = {}
    deliverer = threading.Thread(target=lambda: result.update(deliver_pending(store, cfg, home)))
    deliverer.start()
    deadline = time.monotonic() + 30
    while not store.get_alert(alert.id).delivery:  # the outbox has taken it up
        assert time.monotonic() < deadline
        time.sleep(0.02)
    with SQLiteStore(store.path) as other:
        assert other.acknowledge_alert(alert.id, "analyst1", "2024-05-02T09:00:00")
    deliverer.join(60)
    assert result["webhook:ops"]["sent"] == 1
    got = store.get_alert(alert.id)
    assert got.delivery == {"webhook:ops": "sent"}
    assert got.acknowledged_by == "analyst1"


def test_an_alert_is_given_up_after_max_attempts_and_requeued_by_an_operator(store, home: Path, receiver) -> None:
    from smoke.alerts.outbox import requeue

    (alert,) = make_alerts(store, 1)
    cfg = receiver.channels("json", max_attempts=2)
    receiver.stop()
    first = deliver_pending(store, cfg, home)["webhook:ops"]
    second = deliver_pending(store, cfg, home)["webhook:ops"]
    assert (first["failed"], first["abandoned"]) == (1, 0)
    assert (second["failed"], second["abandoned"]) == (1, 1)
    assert store.get_alert(alert.id).delivery == {"webhook:ops": "abandoned"}
    receiver.start()
    # Given up: no further attempt on its own, even with the receiver back.
    assert deliver_pending(store, cfg, home)["webhook:ops"] == {"sent": 0, "failed": 0, "pending": 0, "abandoned": 0}
    assert receiver.received == []
    assert requeue(store, alert.id) == ["webhook:ops"]
    assert deliver_pending(store, cfg, home)["webhook:ops"]["sent"] == 1
    assert [r.json()["idempotency_key"] for r in receiver.received] == [alert.id]
    assert requeue(store, alert.id) == []  # delivered: nothing to requeue
