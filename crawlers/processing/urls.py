"""URL canonicalisation: one page, one URL.

The sandbox's ``duplicates`` behaviour (and real CMSs) serve the same page under
``?utm_source=...``, ``/index.html``, a trailing slash and reordered queries. The
canonical form is what requests are made to, what the duplicate filter sees and
what a document's stable id is made from.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING = {"spm", "from", "share_token", "fbclid", "gclid", "_hsenc", "_hsmi"}
_INDEX_PAGES = ("index.html", "index.htm", "index.php", "default.html", "default.htm", "index.shtml")


def canonicalize(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path or "/"
    for index in _INDEX_PAGES:
        if path.endswith("/" + index):
            path = path[: -len(index)]
            break
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
