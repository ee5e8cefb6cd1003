"""The README's first look at the web UI shows screenshots that exist and stay small
(scripts/screenshots regenerates them)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_screenshots_exist_and_are_small():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"(?:\]\(|src=\")(docs/img/[\w.-]+\.png)", readme)
    assert {f"docs/img/dashboard-{w}.png" for w in (1440, 390)} <= set(images)
    for rel in images:
        path = ROOT / rel
        assert path.exists(), f"README shows {rel}, which is missing: run ./scripts/screenshots"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", rel
        assert path.stat().st_size < 400_000, f"{rel} is {path.stat().st_size // 1024} KiB"
