"""kill -9 during delivery (issue 12): a DingTalk or WeCom robot posts whatever it gets,
so an alert whose send was cut short is not posted a second time; a plain JSON webhook
(whose receiver drops repeats by idempotency key) gets it again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from smoke.alerts import deliver_pending
from smoke.alerts.outbox import attempts_key
from tests.alerts.conftest import make_alerts

ROOT = Path(__file__).resolve().parents[2]
DELIVER = """
import json, sys
from pathlib import Path
from config.alerts import AlertChannels
from indexing.store.sqlite import SQLiteStore
from smoke.alerts import deliver_pending
store = SQLiteStore(Path(sys.argv[2]))
deliver_pending(store, AlertChannels.model_validate(json.loads(sys.argv[1])), Path(sys.argv[3]))
"""


@pytest.mark.parametrize("fmt", ["dingtalk", "wecom", "json"])
def test_kill_9_during_a_send_never_posts_twice_to_a_robot(fmt: str, store, home: Path, receiver,
                                                           tmp_path: Path) -> None:
    alerts = make_alerts(store, 3)
    channels = receiver.channels(fmt, name="robot")
    receiver.delay_s = 4  # the robot has the message; its answer is still on the way
    proc = subprocess.Popen([sys.executable, "-c", DELIVER, channels.model_dump_json(), str(tmp_path / "smoke.db"),
                             str(home)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})

    def in_flight() -> bool:
        states = (store.get_state(attempts_key(a.id, "webhook:robot")) for a in alerts)
        return any(raw and "sending" in json.loads(raw) for raw in states)

    # No marker for a deduping channel: wait until the receiver has the first POST (a fixed
    # sleep lost the race on a loaded machine, where the sender takes seconds to start).
    # For a robot, also wait for the marker: the kill must come after it and after the POST.
    out = (lambda: receiver.arrived > 0) if fmt == "json" else (lambda: in_flight() and receiver.arrived > 0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not out():
        time.sleep(0.05)
    assert out(), "the sender never got its POST out"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(receiver.delay_s + 0.5)  # the robot posts it anyway
    assert len(receiver.received) == 1

    receiver.delay_s = 0
    counts = deliver_pending(store, channels, home)  # the next round
    posted = Counter(a.id for r in receiver.received for a in alerts if a.id in r.body.decode())
    if fmt == "json":  # the receiver dedupes by key: a repeat is the safe side
        assert counts["webhook:robot"]["sent"] == 3 and set(posted) == {a.id for a in alerts}
        return
    assert counts["webhook:robot"] == {"sent": 2, "failed": 0, "pending": 0, "abandoned": 1}, counts
    assert sorted(posted.values()) == [1, 1, 1], posted  # every alert posted exactly once
    cut = [a for a in store.list_alerts() if a.delivery["webhook:robot"] == "abandoned"]
    assert len(cut) == 1
    assert "may have been posted" in store.get_state(attempts_key(cut[0].id, "webhook:robot"))
    for r in receiver.received:  # the idempotency key travels in the message itself
        text = json.dumps(r.json(), ensure_ascii=False)
        assert "idempotency-key: " in text and r.headers["Idempotency-Key"] in text
