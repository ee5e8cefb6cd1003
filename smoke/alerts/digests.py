"""Per-user daily digests of the companies each person follows (``smoke.watchlist``).

After the cycle's alerts are raised and delivered, every person with a watchlist gets one
digest of that day: per followed company, the alerts raised for it, its score move, new
evidence and registry changes. Delivery:

* a file ``$SMOKE_HOME/<digest subdir>/watch/<user>/digest-<day>.html`` when the digest
  channel is enabled (the record on the server);
* one e-mail to the person's address (``smoke watch email``) when e-mail is enabled,
  through the SMTP settings of ``config/alerts.yaml`` with the person as the only recipient.

Only after the digest went out are the snapshots moved forward: a digest that failed is
sent again, with what happened since, on the next cycle. Its Message-ID comes from its
content, so a resend after a crash between "sent" and "recorded" is recognisably the same.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from config.alerts import AlertChannels, AlertRules
from indexing.models import Alert
from indexing.store.base import Store
from smoke.alerts.channels import ChannelError
from smoke.alerts.render import band_zh, clean_line, company_path, company_url, rule_title
from smoke.alerts.triage import alert_day
from smoke.watchlist import CHANGE_KIND_ZH, Change, Watchlists, changes

log = logging.getLogger(__name__)
SUBJECT = "【冒烟指数关注日报】"
MAX_TOLD_ALERTS = 200  # alert ids remembered per followed company
_SAFE_USER = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(slots=True)
class CompanyChanges:
    credit_code: str
    name: str
    score: float | None
    changes: list[Change]


@dataclass(slots=True)
class UserDigest:
    username: str
    day: str
    companies: list[CompanyChanges] = field(default_factory=list)
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    base_url: str = ""  # the web UI's address (channels.base_url): company lines link to their page

    @property
    def count(self) -> int:
        return sum(len(c.changes) for c in self.companies)

    @property
    def digest_id(self) -> str:
        h = hashlib.sha256(self.text().encode("utf-8")).hexdigest()[:16]
        return f"watch-{self.day}-{h}"

    def subject(self) -> str:
        return clean_line(f"{SUBJECT}{self.day}：{len(self.companies)} 家关注企业有 {self.count} 项变化", 250)

    def text(self) -> str:
        lines = [f"{self.username}，您关注的企业在 {self.day} 的变化：", ""]
        for c in self.companies:
            idx = "未评分" if c.score is None else f"{c.score:.1f}（{band_zh(c.score)}）"
            lines.append(f"■ {clean_line(c.name, 100)}（{c.credit_code}），冒烟指数 {idx}")
            lines.append(f"  企业页面：{company_url(self.base_url, c.credit_code) or company_path(c.credit_code)}")
            for ch in c.changes:
                url = f" {clean_line(ch.url, 500)}" if ch.url else ""
                lines.append(f"  - [{CHANGE_KIND_ZH.get(ch.kind, ch.kind)}] {clean_line(ch.text, 500)}{url}")
            lines.append("")
        if not self.base_url:
            lines.append("（未配置网址 channels.base_url：企业页面为系统内的路径。）")
        lines.append("管理关注列表：smoke watch list / 企业页面的“关注”按钮。")
        return "\n".join(lines)

    def html(self) -> str:
        e = html.escape
        parts = [f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{e(self.subject())}</title>"
                 f"</head><body><h2>{e(self.subject())}</h2>"]
        for c in self.companies:
            idx = "未评分" if c.score is None else f"{c.score:.1f}（{band_zh(c.score)}）"
            name = e(clean_line(c.name, 100))
            url = company_url(self.base_url, c.credit_code)
            if url:
                name = f'<a href="{e(url, quote=True)}">{name}</a>'
            parts.append(f"<h3>{name} <small>{e(c.credit_code)} · 冒烟指数 {e(idx)}</small></h3><ul>")
            for ch in c.changes:
                link = ""
                if ch.url.lower().startswith(("http://", "https://")):
                    link = f' <a href="{e(ch.url, quote=True)}">原文</a>'
                parts.append(f"<li><b>{e(CHANGE_KIND_ZH.get(ch.kind, ch.kind))}</b> {e(clean_line(ch.text, 500))}{link}</li>")
            parts.append("</ul>")
        parts.append("</body></html>")
        return "".join(parts)


def _alert_change(a: Alert) -> Change:
    return Change("alert", f"{rule_title(a.rule)}：{clean_line(a.message, 300)}")


def build_digest(store: Store, watchlists: Watchlists, username: str, day: str, min_score_move: float,
                 base_url: str = "") -> UserDigest:
    """The digest of ``username`` for ``day`` (empty when nothing changed); score moves
    under ``min_score_move`` are left out. Batch reads: one call for the companies, one
    for the scores, one for the day's alerts."""
    entries = watchlists.entries(username)
    codes = [e.credit_code for e in entries]
    companies = store.get_companies(codes)
    scores = store.latest_scores(codes)
    since = (date.fromisoformat(day) - timedelta(days=1)).isoformat()  # see triage.latest_cycle_alerts
    day_alerts: dict[str, list[Alert]] = {}
    for a in store.list_alerts(since=since, limit=100_000):
        if a.credit_code in companies and alert_day(a) == day:
            day_alerts.setdefault(a.credit_code, []).append(a)
    digest = UserDigest(username, day, base_url=base_url)
    for entry in entries:
        company = companies.get(entry.credit_code)
        if company is None:  # gone from the store: nothing to compare
            continue
        found, snap = changes(store, entry.snapshot, company, scores.get(entry.credit_code),
                              min_score_move=min_score_move)
        told = entry.snapshot.get("alerts", [])
        fresh = sorted((a for a in day_alerts.get(entry.credit_code, []) if a.id not in told), key=lambda a: a.id)
        found = [_alert_change(a) for a in fresh] + found
        snap["alerts"] = [*told, *(a.id for a in fresh)][-MAX_TOLD_ALERTS:]  # a re-run does not repeat them
        if found:
            score = scores.get(entry.credit_code)
            digest.companies.append(CompanyChanges(entry.credit_code, company.name,
                                                   score.smoke_index if score else None, found))
            # Only reported companies move forward: small moves below min_score_move add up
            # against the old snapshot until they are worth a line.
            digest.snapshots[entry.credit_code] = snap
    digest.companies.sort(key=lambda c: (-(c.score or 0.0), c.credit_code))
    return digest


def user_folder(home: Path, subdir: str, username: str) -> Path:
    safe = _SAFE_USER.sub("_", username)
    if safe != username:  # two odd names must not share a folder
        safe += "-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:8]
    return Path(home) / subdir / "watch" / safe


def _email(digest: UserDigest, channels: AlertChannels, address: str) -> None:
    from smoke.alerts.channels.email import EmailChannel

    config = channels.email.model_copy(update={"recipients": [address]})
    msg = EmailMessage()
    msg["Subject"] = digest.subject()
    msg["From"] = config.sender
    msg["To"] = address
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = f"<{digest.digest_id}@smokewatch.watch>"
    msg["X-Smoke-Digest-Id"] = digest.digest_id
    msg.set_content(digest.text(), charset="utf-8")
    msg.add_alternative(digest.html(), subtype="html", charset="utf-8")
    channel = EmailChannel(config)
    try:
        channel.send_message(msg, f"watch digest of {digest.username}")
    finally:
        channel.close()


def deliver_watch_digests(
    store: Store, home: Path, day: str, channels: AlertChannels | None = None, rules: AlertRules | None = None
) -> dict[str, int]:
    """Send each follower's digest of ``day``; returns counts: users, sent, empty (nothing
    changed), failed (tried again next cycle), no_channel (changes but no way to send).
    ``channels`` and ``rules`` not given: ``config/alerts.yaml``, read once for the run."""
    if channels is None or rules is None:
        from smoke.alerts.config import load_alert_config

        loaded_rules, loaded_channels = load_alert_config()
        channels = loaded_channels if channels is None else channels
        rules = loaded_rules if rules is None else rules
    min_score_move = rules.watch.min_score_move
    day = date.fromisoformat(day[:10]).isoformat()
    home = Path(home)
    watchlists = Watchlists(home / "app.db")
    counts = {"users": 0, "sent": 0, "empty": 0, "failed": 0, "no_channel": 0}
    for username in watchlists.users():
        counts["users"] += 1
        digest = build_digest(store, watchlists, username, day, min_score_move, channels.base_url)
        if not digest.companies:
            counts["empty"] += 1
            continue
        delivered = False
        if channels.digest.enabled:
            folder = user_folder(home, channels.digest.subdir, username)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"digest-{day}.html").write_text(digest.html(), encoding="utf-8")
            delivered = True
        address = watchlists.email(username)
        if channels.email.enabled and address:
            try:
                _email(digest, channels, address)
            except ChannelError as exc:
                counts["failed"] += 1
                log.warning("watch digest of %s for %s not sent (%s); it is sent with the next cycle", username, day, exc)
                continue
            delivered = True
        if not delivered:
            counts["no_channel"] += 1
            log.warning("watch digest of %s: %d change(s) but neither the digest file nor e-mail (with an address: "
                        "`smoke watch email`) is enabled", username, digest.count)
            continue
        counts["sent"] += 1
        watchlists.save_snapshots(username, digest.snapshots)
        _audit(home, username, day, digest)
    return counts


def _audit(home: Path, username: str, day: str, digest: UserDigest) -> None:
    from smoke.accounts import Accounts

    Accounts(home / "app.db").audit("system", "watch_digest", {"user": username, "day": day,
                                                               "companies": len(digest.companies),
                                                               "digest": digest.digest_id}, digest.count)
