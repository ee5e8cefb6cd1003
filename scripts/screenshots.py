"""Regenerate the README's screenshots of the web UI (docs/img/*.png) from a sandbox demo.

    ./scripts/screenshots                 # build a demo home in a temporary folder
    ./scripts/screenshots --home var      # reuse (and extend) an existing SMOKE_HOME

Steps: run a few monitoring cycles on the sandbox world (one per ``--as-of`` date, so
the dashboard has a trend), add a throwaway admin, serve the app on 127.0.0.1, open each
main page in Debian's chromium at 1440 px and 390 px and save a PNG of the top of it.
Needs chromium and a Chinese font (``apt-get install chromium fonts-wqy-microhei``);
without a CJK font the pages would show empty boxes, so the script refuses.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
DATES = ("2024-06-09", "2024-06-16", "2024-06-23", "2024-06-30")  # the demo world's last weeks
WIDTHS = {1440: 900, 390: 844}  # viewport (desktop; a phone) -> the picture: the top of the page


def _cjk_font() -> bool:
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(home: Path, dates: list[str]) -> None:
    """One `smoke run` per date into ``home`` (skipped when the home already has scores)."""
    env = {**os.environ, "SMOKE_HOME": str(home)}
    smoke = str(Path(sys.executable).with_name("smoke"))
    for day in dates:
        print(f"[screenshots] smoke run --as-of {day} (SMOKE_HOME={home})", file=sys.stderr)
        # exit 4 (a partial cycle) still gives pages worth showing
        rc = subprocess.run([smoke, "run", "--as-of", day, "--top", "0"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, check=False).returncode
        if rc not in (0, 4):
            raise SystemExit(f"smoke run --as-of {day} failed with exit status {rc}")


def _pages(store_path: Path) -> list[tuple[str, str]]:
    from indexing.store.base import CompanyQuery
    from indexing.store.sqlite import SQLiteStore

    s = SQLiteStore(store_path)
    try:
        top = s.search_companies(CompanyQuery(sort="score", limit=1)).hits
    finally:
        s.close()
    # The main pages only: a dozen PNGs of 50-250 KiB keep the repository small.
    pages = [
        ("dashboard", "/"),
        ("search", "/search?kind=documents&q=%E4%BF%9D%E6%9C%AC"),  # 保本
        ("high-risk", "/high-risk"),
        ("alerts", "/alerts"),
        ("runs", "/runs"),
    ]
    if top:
        pages.insert(3, ("company", f"/company/{top[0].company.credit_code}"))
    return pages


def take(home: Path, out: Path) -> list[Path]:
    import uvicorn
    from playwright.sync_api import sync_playwright

    os.environ["SMOKE_HOME"] = str(home)
    from smoke.accounts import AccountError, Accounts
    from smoke.web.app import create_app_from_settings

    user, password = f"shots-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    accounts = Accounts(home / "app.db")
    accounts.add_user(user, password, "admin")
    app = create_app_from_settings()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the web app did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for width, height in WIDTHS.items():
                ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                          timezone_id="Asia/Shanghai")
                page = ctx.new_page()
                page.goto(base + "/login")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                page.wait_for_url(base + "/")
                for name, url in _pages(home / "smoke.db"):
                    page.goto(base + url)
                    page.wait_for_load_state("load")
                    path = out / f"{name}-{width}.png"
                    # the top of each page (what a reader sees first); the whole dashboard
                    page.screenshot(path=str(path), full_page=name == "dashboard")
                    written.append(path)
                ctx.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        # The throwaway admin cannot log in again (unless it is the home's only admin: its
        # random password is forgotten anyway).
        with contextlib.suppress(AccountError):
            accounts.set_disabled(user, True)
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, help="A SMOKE_HOME to reuse, or to build the demo into and keep "
                    "(default: a temporary one, removed afterwards).")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="Where the PNGs go (default docs/img).")
    ap.add_argument("--dates", default=",".join(DATES), help="Cycle dates for a new demo, comma-separated.")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} missing: apt-get install chromium", file=sys.stderr)
        return 2
    if not _cjk_font():
        print("no Chinese font: apt-get install fonts-wqy-microhei (pages would show empty boxes)", file=sys.stderr)
        return 2
    tmp = None
    home = args.home
    if home is None:
        tmp = Path(tempfile.mkdtemp(prefix="smoke-shots-"))
        home = tmp
    try:
        if not (home / "smoke.db").exists():
            build_demo(home.resolve(), [d.strip() for d in args.dates.split(",") if d.strip()])
        written = take(home.resolve(), args.out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    total = sum(p.stat().st_size for p in written)
    for p in written:
        print(f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}  {p.stat().st_size // 1024} KiB")
    print(f"{len(written)} screenshots, {total // 1024} KiB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
