"""Connecting to Elasticsearch: one client, checked once, with errors a person can act on.

``connect`` builds the official client from a URL and credentials, then asks the
server who it is (``GET /``) before anything else, so a wrong URL, a closed port,
bad credentials or an unsupported server version fail at open with one
``ElasticStoreError`` that says what to fix, not with a stack trace from the
first bulk write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import elastic_transport
from elasticsearch import Elasticsearch
from elasticsearch import __version__ as CLIENT_VERSION

from indexing.store.base import StoreError

SUPPORTED_MAJORS = (8, 9)

_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,100}$")


class ElasticStoreError(StoreError):
    """Raised by the Elasticsearch store: the message says what went wrong and what to do."""


@dataclass(frozen=True, slots=True)
class ServerInfo:
    version: str
    major: int
    cluster_name: str


def check_prefix(prefix: str) -> str:
    """Index prefixes become index names: lowercase, no wildcards, commas or slashes."""
    if not _PREFIX_RE.match(prefix or ""):
        raise ElasticStoreError(
            f"SMOKE_ES_PREFIX: expected lowercase letters, digits, '-', '_' or '.', "
            f"starting with a letter or digit, got {prefix!r}"
        )
    return prefix


def connect(
    url: str,
    *,
    api_key: str = "",
    user: str = "",
    password: str = "",
    ca_certs: str = "",
    request_timeout: float = 30.0,
) -> tuple[Elasticsearch, ServerInfo]:
    """A checked client for the cluster at ``url`` and what the server said about itself."""
    if not url:
        raise ElasticStoreError(
            "SMOKE_ES_URL is empty: set it to the cluster's address, e.g. https://es1:9200 "
            "(SMOKE_STORE=elasticsearch needs it)"
        )
    kwargs: dict[str, Any] = {
        "request_timeout": request_timeout,
        "max_retries": 3,
        "retry_on_timeout": True,
    }
    if api_key:
        kwargs["api_key"] = api_key
    elif user or password:
        kwargs["basic_auth"] = (user, password)
    if ca_certs:
        kwargs["ca_certs"] = ca_certs
    try:
        client = Elasticsearch(url, **kwargs)
    except (ValueError, TypeError) as exc:
        raise ElasticStoreError(f"SMOKE_ES_URL: cannot use {url!r}: {exc}") from exc
    info = server_info(client, url)
    if info.major not in SUPPORTED_MAJORS:
        raise ElasticStoreError(
            f"Elasticsearch at {url} is version {info.version}; smokewatch supports 8.x and 9.x. "
            "Upgrade the cluster or point SMOKE_ES_URL at a supported one."
        )
    _pin_compatibility(client, info.major)
    return client, info


def server_info(client: Elasticsearch, url: str) -> ServerInfo:
    """``GET /`` sent straight through the transport with a plain JSON Accept header.

    The client's own ``info()`` asks for ``compatible-with=<client major>``, which a
    server of a lower major rejects with a 400 before it has told us its version.
    """
    try:
        meta, body = client.transport.perform_request(
            "GET", "/", headers={"accept": "application/json"}, max_retries=0
        )
    except elastic_transport.TlsError as exc:
        raise ElasticStoreError(
            f"TLS handshake with Elasticsearch at {url} failed ({_first_line(exc)}): set SMOKE_ES_CA_CERTS "
            "to the CA certificate that signed the cluster's certificate, or check the URL's scheme"
        ) from exc
    except elastic_transport.ConnectionTimeout as exc:
        raise ElasticStoreError(
            f"Elasticsearch at {url} did not answer in time: check SMOKE_ES_URL and that the cluster is up"
        ) from exc
    except elastic_transport.ConnectionError as exc:
        raise ElasticStoreError(
            f"cannot connect to Elasticsearch at {url} (connection refused or host unreachable): "
            "check SMOKE_ES_URL and that the cluster is running"
        ) from exc
    status = meta.status
    if status in (404, 405) and meta.headers.get("x-elastic-product", "") == "Elasticsearch":
        # A cluster without the rest-root module (Elastic's minimal test distribution has
        # none) has no GET /: the local node's info carries the same version.
        meta, body = _nodes_info(client)
        status = meta.status
    if status == 401:
        raise ElasticStoreError(
            f"Elasticsearch at {url} rejected the credentials (401): check SMOKE_ES_API_KEY, "
            "or SMOKE_ES_USER and SMOKE_ES_PASSWORD"
        )
    if status == 403:
        raise ElasticStoreError(
            f"Elasticsearch at {url} refused access (403): the user or API key lacks the privileges "
            "smokewatch needs (monitor on the cluster; all on the SMOKE_ES_PREFIX-* indices)"
        )
    if not 200 <= status < 300:
        raise ElasticStoreError(f"Elasticsearch at {url} answered {status} to GET /: {_first_line(body)}")
    version = str((body or {}).get("version", {}).get("number", "")) if isinstance(body, dict) else ""
    if not version or meta.headers.get("x-elastic-product", "") != "Elasticsearch":
        raise ElasticStoreError(
            f"the server at {url} does not say it is Elasticsearch (version {version or 'unknown'}): "
            "check SMOKE_ES_URL (OpenSearch and other look-alikes are not supported)"
        )
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = 0
    return ServerInfo(version=version, major=major, cluster_name=str(body.get("cluster_name", "")))


def _nodes_info(client: Elasticsearch) -> tuple[Any, Any]:
    """``GET /_nodes/_local`` reshaped like ``GET /``'s answer (version.number, cluster_name)."""
    meta, body = client.transport.perform_request(
        "GET", "/_nodes/_local?filter_path=cluster_name,nodes.*.version",
        headers={"accept": "application/json"}, max_retries=0,
    )
    if isinstance(body, dict):
        nodes = list((body.get("nodes") or {}).values())
        number = str(nodes[0].get("version", "")) if nodes and isinstance(nodes[0], dict) else ""
        body = {"cluster_name": body.get("cluster_name", ""), "version": {"number": number}}
    return meta, body


def _pin_compatibility(client: Elasticsearch, server_major: int) -> None:
    """Let a newer client talk to an older supported server.

    The client stamps every request ``compatible-with=<client major>``; a 9.x client
    talking to an 8.x server would get a 400 on every call. Every API we use has the
    same shape in 8.x and 9.x, so on an older server we ask for its own major
    instead. The client object shares this transport with every ``client.options()``
    copy, the bulk helper's included.
    """
    client_major = int(CLIENT_VERSION[0])
    if server_major >= client_major:
        return  # the server understands the client's compatibility mode
    transport = client.transport
    original = transport.perform_request
    wanted = f"compatible-with={server_major}"
    stamped = f"compatible-with={client_major}"

    def perform_request(method: str, target: str, **kwargs: Any) -> Any:
        headers = kwargs.get("headers")
        if headers:
            headers = headers.copy() if hasattr(headers, "copy") else dict(headers)
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and stamped in value:
                    headers[name] = value.replace(stamped, wanted)
            kwargs["headers"] = headers
        return original(method, target, **kwargs)

    transport.perform_request = perform_request  # type: ignore[method-assign]


def _first_line(value: Any) -> str:
    text = str(value).strip().splitlines()
    return text[0][:300] if text else ""


def explain(exc: BaseException, doing: str) -> ElasticStoreError:
    """Turn a client exception met mid-operation into the project error, with what we were doing."""
    if isinstance(exc, elastic_transport.ConnectionError | elastic_transport.ConnectionTimeout):
        return ElasticStoreError(f"{doing}: lost the connection to Elasticsearch ({_first_line(exc)}); "
                                 "every write is idempotent, so re-running is safe")
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
    if status == 401:
        return ElasticStoreError(f"{doing}: Elasticsearch rejected the credentials (401)")
    if status == 403:
        return ElasticStoreError(f"{doing}: Elasticsearch refused access (403): missing index privileges")
    return ElasticStoreError(f"{doing}: Elasticsearch error {status or ''}: {_first_line(exc)}")
