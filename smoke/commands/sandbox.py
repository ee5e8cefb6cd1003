"""`smoke sandbox`: generate a synthetic world and serve it as offline replicas of
every source kind (docs/sandbox-sites.md)."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import click

from smoke.cli_text import t

DEFAULT_COMPANIES = 300
DEFAULT_SEED = 7


def _progress(label: str):
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - start, 1e-6)
        click.echo(f"\r{label}: {done:,}/{total:,} companies ({done * 100 // total}%, {rate:,.0f}/s)", err=True, nl=False)
        if done == total:
            click.echo("", err=True)

    return report


def _generate(out: Path, companies: int, seed: int, prevalence: float, difficulty: str = "easy") -> dict:
    from sandbox.world import generate, read_world_meta

    t0 = time.monotonic()
    generate(out, companies=companies, seed=seed, prevalence=prevalence, progress=_progress("generating"),
             difficulty=difficulty)
    meta = read_world_meta(out)
    meta["_seconds"] = time.monotonic() - t0
    return meta


@click.group("sandbox")
def sandbox_group() -> None:
    """沙盒：合成的企业世界，以本地 HTTP 模拟各类数据源网站。

    The sandbox: a synthetic world (companies, planted schemes, look-alikes) served
    over local HTTP as registry, court, complaint, AMAC and promotional sites."""


@sandbox_group.command("generate")
@click.option("--companies", type=click.IntRange(1, 5_000_000), default=DEFAULT_COMPANIES, show_default=True,
              help="Number of companies in the world.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed: same seed, same bytes.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="World folder to write (world.json, world.db, truth/).")
@click.option("--prevalence", type=click.FloatRange(0.0, 0.5), default=0.08, show_default=True,
              help="Share of companies that are planted schemes.")
@click.option("--difficulty", type=click.Choice(["easy", "hard"]), default="easy", show_default=True,
              help="easy: separable by construction; hard: quiet schemes, hidden yields, angry customers of "
                   "legitimate firms, flagged licensed firms, bystanders in the news (sandbox/difficulty.py).")
def generate_cmd(companies: int, seed: int, out: Path, prevalence: float, difficulty: str) -> None:
    """按随机种子确定性地生成一个沙盒世界。

    Generate a world folder deterministically from a seed (progress on stderr)."""
    meta = _generate(out, companies, seed, prevalence, difficulty)
    c = meta["counts"]
    click.echo(t("sandbox.written", out=out, secs=f"{meta['_seconds']:.1f}", start=meta["start"], today=meta["today"]))
    click.echo(t("sandbox.companies", n=f"{c.get('companies', 0):,}", schemes=f"{c['schemes']:,}",
                 lookalikes=f"{c['lookalikes']:,}"))
    click.echo(t("sandbox.sites", sites=f"{c.get('sites', 0):,}", pages=f"{c.get('pages', 0):,}",
                 complaints=f"{c.get('complaints', 0):,}", judgments=f"{c.get('judgments', 0):,}",
                 dishonest=f"{c.get('dishonest', 0):,}", entries=f"{c.get('entries', 0):,}"))
    click.echo(t("sandbox.documents", n=f"{c.get('documents', 0):,}"))


@sandbox_group.command("serve")
@click.option("--world", "world", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="World folder (default: $SMOKE_HOME/world, generated with 300 companies, seed 7, if missing).")
@click.option("--as-of", "as_of", default=None, help="Serve the world as of this date (YYYY-MM-DD; default its last day).")
@click.option("--hostile", type=click.Choice(["none", "mild", "nasty"]), default="none", show_default=True,
              help="Hostile behaviour profile.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (0: any free port).")
def serve_cmd(world: Path | None, as_of: str | None, hostile: str, host: str, port: int) -> None:
    """以一个 HTTP 服务器（可作代理）提供沙盒世界的各个网站。

    Serve a world as one HTTP server playing every site; use it as an HTTP proxy.

    Prints the proxy URL (set SMOKE_SANDBOX_PROXY to it) and runs until Ctrl-C.
    """
    from sandbox.server import SandboxServer

    if world is None:
        from config.settings import get_settings

        world = get_settings().home / "world"
        if not (world / "world.json").is_file():
            click.echo(t("sandbox.generating", world=world), err=True)
            _generate(world, DEFAULT_COMPANIES, DEFAULT_SEED, 0.08)
    try:
        server = SandboxServer(world, as_of=as_of, hostile=hostile, host=host, port=port)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    # Ctrl-C and SIGTERM stop the server even when this process was started with SIGINT ignored
    # (as a shell's background job is, and its children inherit): a server must stop when asked.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server.start()
    click.echo(server.proxy_url)
    click.echo(t("sandbox.serving", world=world, as_of=server.as_of, hostile=hostile, proxy=server.proxy_url), err=True)
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo(t("sandbox.stopping"), err=True)
    finally:
        server.stop()


COMMANDS = [sandbox_group]
