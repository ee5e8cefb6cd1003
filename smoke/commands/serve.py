"""`smoke serve`: the web app and JSON API."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=False,
    help="Trust X-Forwarded-Proto/For from a reverse proxy (so cookies get Secure behind https).",
)
def serve(host: str, port: int, workers: int, proxy_headers: bool) -> None:
    """启动网页应用（中文界面）与 /api/v1 JSON API。

    Serve the web app (Chinese UI) and the JSON API under /api/v1.

    Users come from `smoke users add`; data from the configured store under
    SMOKE_HOME. Pages: dashboard, search, company, high-risk list, alerts, runs,
    exports (auditors) and users / audit log (admins).
    """
    import uvicorn

    from smoke.web.app import create_app_from_settings

    # Fail here, with one line and exit code 3, on a corrupt app.db or store, rather than
    # in uvicorn's worker with a traceback.
    create_app_from_settings().state.web.stores.get()
    from smoke.cli_text import t

    click.echo(t("serve.listening", host=host, port=port), err=True)
    uvicorn.run(
        "smoke.web.app:create_app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        log_level="info",
    )


COMMANDS = [serve]
