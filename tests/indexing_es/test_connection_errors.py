"""Clear errors before anything is written: real closed ports, a real HTTP server that is
not Elasticsearch, bad settings. (No fake Elasticsearch anywhere.)"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from config.settings import get_settings
from indexing.store.elastic import ElasticStore, ElasticStoreError
from indexing.store.elastic.client import check_prefix, connect
from smoke.cli import cli


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more
    return port


def test_connection_refused_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(ElasticStoreError) as err:
        ElasticStore.for_tests(url, "smoketest-x")
    msg = str(err.value)
    assert url in msg and "cannot connect" in msg and "SMOKE_ES_URL" in msg


def test_open_store_with_settings_reports_connection_refused(monkeypatch, tmp_path) -> None:
    from indexing.store import open_store

    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_STORE", "elasticsearch")
    monkeypatch.setenv("SMOKE_ES_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("SMOKE_ES_USER", "elastic")
    monkeypatch.setenv("SMOKE_ES_PASSWORD", "secret")
    with pytest.raises(ElasticStoreError, match="cannot connect"):
        open_store(get_settings())


def test_empty_url_says_what_to_set() -> None:
    with pytest.raises(ElasticStoreError, match="SMOKE_ES_URL is empty"):
        connect("")


class _NotElastic(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b'{"name": "some other service"}'
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotElastic)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_is_not_elasticsearch_is_refused(other_service) -> None:
    with pytest.raises(ElasticStoreError, match="does not say it is Elasticsearch"):
        connect(other_service)


@pytest.mark.parametrize("prefix", ["", "Smoke", "smoke*", "a,b", "-x", "a/b"])
def test_bad_prefix(prefix: str) -> None:
    with pytest.raises(ElasticStoreError, match="SMOKE_ES_PREFIX"):
        check_prefix(prefix)


def test_commands_report_the_error_without_a_traceback(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    monkeypatch.setenv("SMOKE_ES_URL", f"http://127.0.0.1:{closed_port()}")
    result = CliRunner().invoke(cli, ["index", "rebuild"])
    assert result.exit_code == 1
    assert "cannot connect to Elasticsearch" in result.output
    assert "Traceback" not in result.output


def test_migrate_names_a_missing_source_file(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SMOKE_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["index", "migrate", "--to", "elasticsearch",
                                      "--from-sqlite", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "missing.db: no such embedded store file" in result.output
