"""Schema of ``config/alerts.yaml``: which score changes raise an alert, and where alerts go.

Two halves, loaded together by ``load_alerts_file``:

* ``rules``: crossing the high-risk line, a fast rise, new critical evidence; each
  with a cooldown so one company does not raise the same alert again and again; and
  ``watch``, what a follower's daily digest counts as a score move.
* ``channels``: the web UI's address that alerts link to (``base_url``), e-mail (SMTP
  with TLS), webhooks (plain JSON, DingTalk and WeCom robots), the daily digest file,
  and the retry policy of the outbox.

Secrets never live in the file: the SMTP password and the webhook signing secret
come from environment variables whose names the file may override.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import config_path, load_yaml


class _Strict(BaseModel):
    # A misspelt key is an error, not a silently ignored setting.
    model_config = ConfigDict(extra="forbid")


# --- rules -------------------------------------------------------------------


class CrossingRule(_Strict):
    enabled: bool = True
    threshold: float | None = Field(
        None, ge=0, le=100,
        description="Alert when the index goes from below this to at or above it; unset (the default): the "
                    "model's high-risk threshold (config/model.yaml, indexing.models.high_risk), so the alert "
                    "line and the high-risk list never disagree.")
    include_first_score: bool = Field(
        True, description="A company whose very first score is already at or above the threshold also alerts."
    )
    cooldown_days: int = Field(14, ge=0, description="No second crossing alert for the same company within this many days.")
    lookback_days: int = Field(
        7, ge=0, description="A crossing found up to this many days late (a missed run) still alerts; older ones do not."
    )


class RiseRule(_Strict):
    enabled: bool = True
    min_rise: float = Field(15.0, gt=0, le=100, description="Points the index must gain within window_days.")
    window_days: int = Field(7, ge=1, description="The window of the rise, in days.")
    cooldown_days: int = Field(7, ge=0)
    lookback_days: int = Field(7, ge=0)


class CriticalRule(_Strict):
    enabled: bool = True
    indicator_patterns: list[str] = Field(
        default_factory=lambda: [
            "compliance.criminal_case",
            "compliance.criminal*",
            "*.criminal_*",
            "complaints.runaway_cluster",
            "complaints.runaway*",
        ],
        description="Shell-style patterns (fnmatch) of indicator ids that count as critical evidence.",
    )
    cooldown_days: int = Field(1, ge=0, description="New critical evidence within this many days of the last alert is folded in.")

    @field_validator("indicator_patterns")
    @classmethod
    def _non_empty(cls, v: list[str]) -> list[str]:
        if any(not p.strip() for p in v):
            raise ValueError("expected non-empty indicator id patterns")
        return v


class WatchRule(_Strict):
    """What a follower's daily digest (smoke.alerts.digests) counts as news about a company."""

    min_score_move: float = Field(
        1.0, gt=0, le=100,
        description="Points the index must move (either way) since the follower last heard, to be reported; smaller "
        "moves are the day-to-day noise of time decay and add up until they reach it. A change of band is always reported.",
    )


class AlertRules(_Strict):
    crossing: CrossingRule = Field(default_factory=CrossingRule)
    rise: RiseRule = Field(default_factory=RiseRule)
    critical: CriticalRule = Field(default_factory=CriticalRule)
    watch: WatchRule = Field(default_factory=WatchRule)


# --- channels ----------------------------------------------------------------


class EmailChannel(_Strict):
    enabled: bool = False
    host: str = "localhost"
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (port 587), tls = implicit TLS (port 465), none (only for a local relay)."
    )
    username: str = ""
    password_env: str = Field("SMOKE_SMTP_PASSWORD", description="Environment variable holding the SMTP password.")
    sender: str = "smokewatch@localhost"
    recipients: list[str] = Field(default_factory=list)
    ca_file: str = Field("", description="CA certificate(s) to trust instead of the system store (a private relay).")
    timeout_s: float = Field(20.0, gt=0)
    subject_prefix: str = "【冒烟指数预警】"

    @model_validator(mode="after")
    def _recipients_when_enabled(self) -> EmailChannel:
        if self.enabled and not self.recipients:
            raise ValueError("expected at least one address in recipients when e-mail is enabled")
        if self.enabled and not self.host.strip():
            raise ValueError("expected an SMTP host in host when e-mail is enabled, got an empty one")
        for r in self.recipients:
            if "@" not in r or any(c in r for c in "\r\n,;<> "):
                raise ValueError(f"expected plain e-mail addresses in recipients, got {r!r}")
        return self


class WebhookChannel(_Strict):
    name: str = Field(..., pattern=r"^[a-z0-9_-]{1,40}$", description="Channel name: delivery state is kept as 'webhook:<name>'.")
    enabled: bool = True
    url: str
    format: Literal["json", "dingtalk", "wecom"] = "json"
    secret_env: str = Field(
        "SMOKE_WEBHOOK_SECRET",
        description="Environment variable with the signing secret (DingTalk 加签; HMAC header for plain JSON).",
    )
    timeout_s: float = Field(10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return v


class DigestChannel(_Strict):
    enabled: bool = True
    subdir: str = Field("alerts", description="Folder under SMOKE_HOME for digest-YYYY-MM-DD.{jsonl,html}.")


class RetryPolicy(_Strict):
    base_s: float = Field(60.0, ge=0, description="Wait after the first failure; doubles per failure.")
    max_s: float = Field(3600.0, ge=0, description="Longest wait between two attempts.")
    lock_timeout_s: float = Field(60.0, ge=0, description="How long a deliverer waits for another one to finish.")
    max_attempts: int = Field(
        30, ge=1,
        description="Failed attempts after which an alert is given up on a channel (state 'abandoned', "
        "reported by `smoke alerts deliver` and shown in the inbox); `smoke alerts retry` queues it again.",
    )


# Characters a link must not carry: they would end it early in plain text, HTML or markdown.
_URL_BREAKERS = set(" \t\r\n\"'<>()[]{}`\\|^")


def check_base_url(value: str) -> str:
    """The web UI's public address as links in alerts need it: '' (not set) or
    ``http(s)://host[:port][/path]`` with no query, fragment or trailing slash."""
    v = (value or "").strip().rstrip("/")
    if not v:
        return ""
    parts = urlsplit(v)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or any(c in _URL_BREAKERS or not c.isprintable() for c in v)):
        raise ValueError("expected the web UI's address as http(s)://host[:port][/path] (no query, no fragment, "
                         "no spaces or quotes), e.g. https://smoke.example.gov.cn, or empty")
    return v


class AlertChannels(_Strict):
    base_url: str = Field(
        "",
        description="Public address of the web UI (https://smoke.example.gov.cn): alerts link to "
        "<base_url>/company/<credit code>. Empty: they give the page's path alone and say the address is not set.",
    )
    email: EmailChannel = Field(default_factory=EmailChannel)
    webhooks: list[WebhookChannel] = Field(default_factory=list)
    digest: DigestChannel = Field(default_factory=DigestChannel)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, v: str) -> str:
        return check_base_url(v)

    @model_validator(mode="after")
    def _unique_names(self) -> AlertChannels:
        names = [w.name for w in self.webhooks]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"expected unique webhook names, got {', '.join(dupes)} more than once")
        return self


class AlertsFile(_Strict):
    rules: AlertRules = Field(default_factory=AlertRules)
    channels: AlertChannels = Field(default_factory=AlertChannels)


def load_alerts_file(path: Path | None = None) -> AlertsFile:
    """Read and validate ``config/alerts.yaml`` (or ``path``); raises ``ConfigError``."""
    return load_yaml(Path(path) if path else config_path("alerts.yaml"), AlertsFile)
