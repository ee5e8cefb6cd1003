"""The Elasticsearch Store backend: the same contract as the embedded SQLite store,
for when one machine is not enough.

Each entity has its own index behind an alias (``es_admin``), mappings come from
``es_mappings``, query bodies from ``es_query``. Behaviour follows
``indexing/store/sqlite.py`` point for point, so the one contract suite
(tests/test_store_contract.py) runs against both:

* writes are idempotent upserts by stable id; upserts report new / changed /
  unchanged with the same fingerprints (``updated`` and ``fetched`` are not content),
  and every record the cluster refused is listed in ``UpsertResult.failed`` as
  ``"<id>: <reason>"``;
* bulk writes go through ``helpers.streaming_bulk`` with retries and exponential
  backoff on 429 / 503;
* reads of single records use the real-time GET; searches see writes once the
  write returned, because writes use ``refresh="wait_for"`` (``for_tests``: an
  immediate refresh);
* highlights come from ``indexing.highlight`` over the stored text, exactly as in
  the embedded store: escaped, with ``<mark>`` around the query words;
* a company's current score (index, level, as_of, rise) is copied onto its
  company document so searches filter and sort on it; which score is current and its
  rise are decided by ``core.current_score`` over the rows this store fetches newest
  first (``seq``, the save order, plays the embedded store's rowid);
* a company's ``name_tokens`` also carry the pinyin forms of its name
  (``core.name_tokens``); companies indexed before they existed get them from
  ``smoke index rebuild`` (or their next change).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import elastic_transport
from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from indexing.doc_kind import classify as classify_doc_kind
from indexing.models import Alert, Company, Document, Run, Score, stable_id
from indexing.normalize import normalize_name
from indexing.store import core
from indexing.store.base import (
    MAX_LINK_VALUE,
    MAX_NEAR_BITS,
    CompanyQuery,
    DocumentQuery,
    Page,
    Store,
    UpsertResult,
    check_link_kind,
    check_near_args,
    check_record_kind,
    fields_simhash,
    link_keys,
    nearest,
)
from indexing.store.elastic import admin as es_admin
from indexing.store.elastic import query as es_query
from indexing.store.elastic.client import ElasticStoreError, ServerInfo, check_prefix, connect, explain
from indexing.store.elastic.mappings import CHINESE_TEXT_FIELDS, CJK_SUFFIX, TOKENS_SUFFIX
from indexing.tokenize import cjk_bigrams, token_string

__all__ = ["ElasticStore", "ElasticStoreError"]

F = TypeVar("F", bound=Callable[..., Any])

BATCH = 500  # records per upsert batch (one mget + one bulk)
PAGE = 1000  # hits per page when iterating
RETRY_ON_STATUS = (429, 503)
# ``retry_on_status`` reached streaming_bulk in 8.16; older 8.x clients retry 429 only.
_BULK_HAS_RETRY_ON_STATUS = "retry_on_status" in inspect.signature(streaming_bulk).parameters
_NO_TOKENS = ["*" + TOKENS_SUFFIX, "*" + CJK_SUFFIX]  # derived: never sent back
_CURRENT_FIELDS = ("smoke_index", "level", "score_as_of", "rise")
_CAS_ATTEMPTS = 20  # compare-and-set retries before giving up (each one lost to a concurrent write)


def _translated(doing: str) -> Callable[[F], F]:
    """Client exceptions leave the store as ElasticStoreError naming what we were doing."""

    def wrap(fn: F) -> F:
        if inspect.isgeneratorfunction(fn):
            # A generator runs when iterated, not when called: translate inside it.
            @functools.wraps(fn)
            def gen(*args: Any, **kwargs: Any) -> Any:
                try:
                    yield from fn(*args, **kwargs)
                except (ApiError, elastic_transport.TransportError) as exc:
                    raise explain(exc, doing) from exc

            return gen  # type: ignore[return-value]

        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except (ApiError, elastic_transport.TransportError) as exc:
                raise explain(exc, doing) from exc

        return inner  # type: ignore[return-value]

    return wrap


_sha1 = core.sha1


def _domain(url_or_domain: str) -> str:
    """Bare lower-case host: 'https://WWW.Example.com:8080/x' -> 'example.com' (as the embedded store)."""
    s = (url_or_domain or "").strip().lower()
    if "://" in s:
        s = s.split("://", 1)[1]
    s = s.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    s = s.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return s[4:] if s.startswith("www.") else s


def _reason(info: dict[str, Any]) -> str:
    err = info.get("error", "")
    if isinstance(err, dict):
        err = f"{err.get('type', '')}: {err.get('reason', '')}"
    return f"status {info.get('status', '?')}: {err}"[:300]


def _fields_of(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


_ALERT_FIELDS = _fields_of(Alert)
_RUN_FIELDS = _fields_of(Run)


# --- document bodies (also used by rebuild and migrate) ----------------------------
company_fingerprint = core.company_fingerprint
document_fingerprint = core.document_fingerprint


def _add_tokens(body: dict[str, Any], entity: str) -> None:
    """The analysed siblings of each Chinese field (es_mappings._chinese); lists stay lists,
    so a phrase never spans two names."""
    for f in CHINESE_TEXT_FIELDS[entity]:
        v = body.get(f)
        texts = [t for t in v if t] if isinstance(v, list) else [v or ""]
        body[f + TOKENS_SUFFIX] = [token_string(t) for t in texts] if isinstance(v, list) else token_string(texts[0])
        body[f + CJK_SUFFIX] = [cjk_bigrams(t) for t in texts] if isinstance(v, list) else cjk_bigrams(texts[0])


def company_body(co: Company, current: dict[str, Any] | None = None) -> dict[str, Any]:
    d = co.to_dict()
    body = dict(d)
    _add_tokens(body, "companies")
    body["name" + TOKENS_SUFFIX] = core.name_tokens(co.name, body["name" + TOKENS_SUFFIX])
    body["name_norm"] = sorted({normalize_name(n) for n in [co.name, *co.former_names, *co.aliases]} - {""})
    body["domains"] = sorted({_domain(w) for w in co.websites} - {""})
    body["links"] = [es_query.link_term(k, v) for k, v in link_keys(co)]
    body["province"] = (co.region_code or "")[:2]
    body["fingerprint"] = company_fingerprint(d)
    for k in _CURRENT_FIELDS:
        body[k] = (current or {}).get(k)
    return body


def document_body(doc: Document) -> dict[str, Any]:
    d = doc.to_dict()
    body = dict(d)
    _add_tokens(body, "documents")
    body["date"] = (doc.published or doc.fetched or "")[:10]
    sh = fields_simhash(doc.fields)
    body["simhash_bands"] = es_query.simhash_band_terms(sh) if sh is not None else []
    body["fingerprint"] = document_fingerprint(d)
    body["doc_kind"] = classify_doc_kind(doc.source_kind, doc.title, doc.text)  # the one rule, whatever the writer said
    return body


def score_id(s: Score) -> str:
    return stable_id(s.credit_code, s.as_of, s.model_version)


def score_body(s: Score, seq: int, is_current: bool = False, rise: float | None = None) -> dict[str, Any]:
    body = s.to_dict()
    body.update(score_id=score_id(s), seq=seq, is_current=is_current, rise=rise)
    return body


def state_id(key: str) -> str:
    # _id is limited to 512 bytes; long keys are addressed by their hash.
    return key if len(key.encode("utf-8")) <= 256 else "sha1:" + _sha1(key)


def _record_from(kind: str, src: dict[str, Any]) -> Any:
    """A record of ``kind`` from its indexed _source (see Store.iter_records)."""
    if kind == "companies":
        return company_from(src)
    if kind == "documents":
        return document_from(src)
    if kind == "scores":
        return Score.from_dict(src)
    if kind == "alerts":
        return alert_from(src)
    if kind == "runs":
        return run_from(src)
    return (src["key"], src["value"])


def company_from(src: dict[str, Any]) -> Company:
    return Company.from_dict(src)


def document_from(src: dict[str, Any]) -> Document:
    return Document.from_dict(src)


def alert_from(src: dict[str, Any]) -> Alert:
    return Alert(**{k: v for k, v in src.items() if k in _ALERT_FIELDS})


def run_from(src: dict[str, Any]) -> Run:
    return Run.from_dict({k: v for k, v in src.items() if k in _RUN_FIELDS})


def rebody(entity: str, src: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(id, body) for a stored _source under the current mappings: derived fields are
    recomputed, stored state (current score, save order) is kept. Used by rebuild."""
    if entity == "companies":
        co = company_from(src)
        return co.credit_code, company_body(co, {k: src.get(k) for k in _CURRENT_FIELDS})
    if entity == "documents":
        doc = document_from(src)
        return doc.id, document_body(doc)
    if entity == "scores":
        s = Score.from_dict(src)
        return score_id(s), score_body(s, int(src.get("seq") or 0), bool(src.get("is_current")), src.get("rise"))
    if entity == "alerts":
        a = alert_from(src)
        return a.id, a.to_dict()
    if entity == "runs":
        r = run_from(src)
        return r.id, r.to_dict()
    if entity == "state":
        return state_id(src["key"]), {"key": src["key"], "value": src["value"]}
    raise ValueError(f"unknown entity {entity!r}")


class ElasticStore(Store):
    """The Elasticsearch Store backend (see module docstring)."""

    def __init__(
        self,
        client: Elasticsearch,
        prefix: str,
        *,
        refresh: bool | str = "wait_for",
        check_schema: bool = True,
        shards: int = 1,
        replicas: int = 1,
        max_retries: int = 5,
        initial_backoff: float = 1.0,
        server: ServerInfo | None = None,
    ) -> None:
        self.client = client
        self.prefix = check_prefix(prefix)
        self.refresh = refresh
        self.shards = shards
        self.replicas = replicas
        self.max_retries = max_retries
        self.initial_backoff = initial_backoff
        self.server = server
        self.indices = es_admin.ensure_indices(
            client, self.prefix, shards=shards, replicas=replicas, check_schema=check_schema
        )

    # --- construction ----------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> ElasticStore:
        """The store ``open_store`` returns for SMOKE_STORE=elasticsearch."""
        client, info = connect(
            settings.es_url,
            api_key=settings.es_api_key,
            user=settings.es_user,
            password=settings.es_password,
            ca_certs=settings.es_ca_certs,
        )
        return cls(client, settings.es_prefix, server=info, **kwargs)

    @classmethod
    def for_tests(cls, url: str, prefix: str) -> ElasticStore:
        """A store in its own prefix on a test cluster: no replicas, immediate refresh.
        Call ``destroy()`` afterwards."""
        from config.settings import get_settings

        s = get_settings()  # a secured test cluster: the same credential variables
        client, info = connect(url, api_key=s.es_api_key, user=s.es_user, password=s.es_password,
                               ca_certs=s.es_ca_certs)
        return cls(client, prefix, refresh=True, replicas=0, server=info)

    def destroy(self) -> None:
        """Delete every index (and so every alias) of this prefix."""
        es_admin.destroy(self.client, self.prefix)

    def close(self) -> None:
        self.client.close()

    def alias(self, entity: str) -> str:
        return es_admin.alias_name(self.prefix, entity)

    # --- plumbing --------------------------------------------------------------
    def bulk(
        self, actions: Iterable[dict[str, Any]], *, refresh: bool | str | None = None,
        ignore_missing: bool = False, chunk_size: int = BATCH,
    ) -> list[tuple[str, str]]:
        """Send actions with streaming_bulk; [(id, reason)] for every action the cluster refused.

        429 / 503 (for one record or a whole request) are retried ``max_retries`` times with
        exponential backoff from ``initial_backoff`` seconds; what still fails is returned,
        never dropped. ``ignore_missing``: a 404 (update of a missing record) is not a failure.
        """
        kwargs: dict[str, Any] = {}
        if _BULK_HAS_RETRY_ON_STATUS:
            kwargs["retry_on_status"] = RETRY_ON_STATUS
        refresh = self.refresh if refresh is None else refresh
        if refresh:
            kwargs["refresh"] = refresh
        failures: list[tuple[str, str]] = []
        for ok, item in streaming_bulk(
            self.client,
            actions,
            chunk_size=chunk_size,
            max_chunk_bytes=50 * 1024 * 1024,
            raise_on_error=False,
            raise_on_exception=False,
            max_retries=self.max_retries,
            initial_backoff=self.initial_backoff,
            max_backoff=60,
            yield_ok=False,
            **kwargs,
        ):
            if ok:
                continue
            _op, info = next(iter(item.items()))
            if ignore_missing and info.get("status") == 404:
                continue
            failures.append((str(info.get("_id", "?")), _reason(info)))
        return failures

    def scan(
        self, entity: str, query: dict[str, Any], sort: list[Any], *, limit: int | None = None,
        source: Any = None, page: int = PAGE, after: list[Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every hit's _source in ``sort`` order (which must end in a unique field), by
        search_after; ``after``: start after this hit's sort values."""
        seen = 0
        while limit is None or seen < limit:
            size = page if limit is None else min(page, limit - seen)
            kwargs: dict[str, Any] = {}
            if source is not None:
                kwargs["source_includes"] = source
            else:
                kwargs["source_excludes"] = _NO_TOKENS
            resp = self.client.search(
                index=self.alias(entity), query=query, sort=sort, size=size, search_after=after,
                track_total_hits=False, **kwargs,
            )
            hits = resp["hits"]["hits"]
            for h in hits:
                yield h["_source"]
            seen += len(hits)
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    def _get(self, entity: str, doc_id: str) -> dict[str, Any] | None:
        resp = self.client.options(ignore_status=404).get(
            index=self.alias(entity), id=doc_id, source_excludes=_NO_TOKENS
        )
        return resp.body["_source"] if resp.body.get("found") else None

    def _mget(self, entity: str, ids: list[str], fields: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        resp = self.client.mget(index=self.alias(entity), ids=sorted(set(ids)), source_includes=fields)
        return {d["_id"]: d.get("_source", {}) for d in resp["docs"] if d.get("found")}

    def _count(self, entity: str, query: dict[str, Any] | None = None) -> int:
        return int(self.client.count(index=self.alias(entity), query=query or {"match_all": {}})["count"])

    # --- companies -------------------------------------------------------------
    @_translated("upserting companies")
    def upsert_companies(self, companies: Iterable[Company]) -> UpsertResult:
        result = UpsertResult()
        for batch in _batches(companies, BATCH):
            self._upsert_company_batch(batch, result)
        return result

    def _upsert_company_batch(self, batch: list[Company], result: UpsertResult) -> None:
        existing = {k: v.get("fingerprint") or "" for k, v in
                    self._mget("companies", [c.credit_code for c in batch if c.credit_code],
                               ["fingerprint"]).items()}
        kinds: dict[str, str] = {}
        todo: list[Company] = []
        for co in batch:
            try:
                core.require_company(co)
                fp = company_fingerprint(co.to_dict())
            except (ValueError, TypeError) as e:  # a bad record is counted, never fatal
                result.failed.append(f"{co.credit_code or '?'}: {e}")
                continue
            kind, write = core.company_change(existing.get(co.credit_code), fp)
            setattr(result, kind, getattr(result, kind) + 1)
            if not write:
                continue
            kinds[co.credit_code] = kind
            existing[co.credit_code] = fp
            todo.append(co)
        if not todo:
            return
        self._mark_changed([c.credit_code for c in todo])
        # A company that arrives after its scores picks up its current score.
        current = self._current_scores([c.credit_code for c in todo])
        actions = (
            {"_op_type": "index", "_index": self.alias("companies"), "_id": co.credit_code,
             "_source": company_body(co, current.get(co.credit_code))}
            for co in todo
        )
        self._count_failures(self.bulk(actions), kinds, result)

    @staticmethod
    def _count_failures(failures: list[tuple[str, str]], kinds: dict[str, str], result: UpsertResult) -> None:
        for doc_id, reason in failures:
            kind = kinds.pop(doc_id, "")
            if kind:
                setattr(result, kind, getattr(result, kind) - 1)
            result.failed.append(f"{doc_id}: {reason}")

    def _current_scores(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        return {c: cs.company_fields() for c, cs in self._current_scores_of(codes).items()}

    @_translated("reading a company")
    def get_company(self, credit_code: str) -> Company | None:
        if not credit_code:
            return None
        src = self._get("companies", credit_code)
        return company_from(src) if src else None

    @_translated("reading companies")
    def iter_companies(self) -> Iterator[Company]:
        for src in self.scan("companies", {"match_all": {}}, [{"credit_code": "asc"}]):
            yield company_from(src)

    @_translated("counting companies")
    def count_companies(self) -> int:
        return self._count("companies")

    def _companies_where(self, field: str, value: str) -> list[Company]:
        return [company_from(s) for s in
                self.scan("companies", {"term": {field: value}}, [{"credit_code": "asc"}])]

    @_translated("looking up companies by name")
    def companies_by_name(self, name: str) -> list[Company]:
        norm = normalize_name(name)
        return self._companies_where("name_norm", norm) if norm else []

    @_translated("looking up companies by domain")
    def companies_by_domain(self, domain: str) -> list[Company]:
        dm = _domain(domain)
        return self._companies_where("domains", dm) if dm else []

    @staticmethod
    def _linkable(kind: str, value: str) -> bool:
        check_link_kind(kind)
        # link_keys never indexes such values: answer without asking the cluster.
        return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_LINK_VALUE

    @_translated("looking up companies sharing a person, address, phone or website")
    def companies_sharing(self, kind: str, value: str, limit: int = 50) -> list[str]:
        if not self._linkable(kind, value):
            return []
        return [s["credit_code"] for s in self.scan("companies", es_query.link_query(kind, value),
                                                    [{"credit_code": "asc"}], limit=max(0, int(limit)),
                                                    source=["credit_code"])]

    @_translated("counting companies sharing a person, address, phone or website")
    def count_companies_sharing(self, kind: str, value: str) -> int:
        if not self._linkable(kind, value):
            return 0
        return self._count("companies", es_query.link_query(kind, value))

    # --- every record ------------------------------------------------------------
    # Sort per record kind: unique, and for scores the save order (seq).
    _RECORD_SORT: dict[str, list[dict[str, str]]] = {
        "companies": [{"credit_code": "asc"}], "documents": [{"id": "asc"}],
        "scores": [{"seq": "asc"}, {"score_id": "asc"}], "alerts": [{"id": "asc"}],
        "runs": [{"id": "asc"}], "state": [{"key": "asc"}],
    }

    @_translated("reading every record")
    def iter_records(self, kind: str, after: str = "") -> Iterator[tuple[str, Any]]:
        check_record_kind(kind)
        try:
            cursor = json.loads(after) if after else None
        except ValueError:
            cursor = ""
        if cursor is not None and not isinstance(cursor, list):
            raise ValueError(f"iter_records: position must be one this store gave, got {after!r}")
        sort = self._RECORD_SORT[kind]
        # Some writes (state) do not wait for a refresh; a copy must see all of them.
        self.client.indices.refresh(index=self.alias(kind))
        while True:
            kwargs: dict[str, Any] = {"search_after": cursor} if cursor else {}
            resp = self.client.search(index=self.alias(kind), query=self._records_query(kind), sort=sort, size=PAGE,
                                      source_excludes=_NO_TOKENS, **kwargs)
            hits = resp["hits"]["hits"]
            for h in hits:
                yield json.dumps(h["sort"]), _record_from(kind, h["_source"])
            if len(hits) < PAGE:
                return
            cursor = hits[-1]["sort"]

    @_translated("counting records")
    def count_records(self, kind: str) -> int:
        check_record_kind(kind)
        self.client.indices.refresh(index=self.alias(kind))
        return self._count(kind, self._records_query(kind))

    def _records_query(self, kind: str) -> dict[str, Any]:
        """Every record of ``kind`` but this store's own change records and id ("changes..." state
        keys): they belong to this store, and a copy starts its own (SQLite keeps them in tables
        of their own)."""
        if kind == "state":
            return {"bool": {"must_not": {"prefix": {"key": "changes"}}}}
        return {"match_all": {}}

    # --- batch reads: one request each ------------------------------------------
    @_translated("reading companies by code")
    def get_companies(self, credit_codes: Iterable[str]) -> dict[str, Company]:
        codes = [c for c in dict.fromkeys(credit_codes) if c]
        if not codes:
            return {}
        resp = self.client.mget(index=self.alias("companies"), ids=codes, source_excludes=_NO_TOKENS)
        return {d["_id"]: company_from(d["_source"]) for d in resp["docs"] if d.get("found")}

    @_translated("reading latest scores by code")
    def latest_scores(self, credit_codes: Iterable[str]) -> dict[str, Score]:
        codes = [c for c in dict.fromkeys(credit_codes) if c]
        queries = {c: {"term": {"credit_code": c}} for c in codes}
        return {c: Score.from_dict(src) for c, src in self._first_each(queries, self._SCORE_ORDER).items()}

    @_translated("reading score histories by code")
    def score_histories(self, credit_codes: Iterable[str]) -> dict[str, list[tuple[str, float, str]]]:
        codes = [c for c in dict.fromkeys(credit_codes) if c]
        out: dict[str, list[tuple[str, float, str]]] = {}
        for chunk in _chunks(codes, 1000):
            for s in self.scan("scores", {"terms": {"credit_code": chunk}},
                               [{"as_of": "asc"}, {"seq": "asc"}, {"score_id": "asc"}],
                               source=["credit_code", "as_of", "smoke_index", "model_version"]):
                out.setdefault(s["credit_code"], []).append((s["as_of"], float(s["smoke_index"]), s["model_version"]))
        return out

    @_translated("looking up companies sharing people, addresses, phones or websites")
    def sharing(self, keys: Iterable[tuple[str, str]], limit: int = 50) -> dict[tuple[str, str], tuple[list[str], int]]:
        wanted = list(dict.fromkeys(keys))
        out: dict[tuple[str, str], tuple[list[str], int]] = {k: ([], 0) for k in wanted if not self._linkable(*k)}
        asked = [k for k in wanted if k not in out]
        for chunk in _chunks(asked, 200):
            searches: list[dict[str, Any]] = []
            for kind, value in chunk:
                searches.append({"index": self.alias("companies")})
                searches.append({"query": es_query.link_query(kind, value), "sort": [{"credit_code": "asc"}],
                                 "size": max(0, int(limit)), "track_total_hits": True, "_source": ["credit_code"]})
            resp = self.client.msearch(searches=searches)
            for k, r in zip(chunk, resp["responses"], strict=True):
                if "error" in r:
                    raise ElasticStoreError(f"companies sharing {k[0]} {k[1]!r}: {r['error']}")
                hits = r["hits"]["hits"]
                out[k] = ([h["_source"]["credit_code"] for h in hits], int(r["hits"]["total"]["value"]))
        return {k: out[k] for k in wanted}

    # --- documents -------------------------------------------------------------
    @_translated("upserting documents")
    def upsert_documents(self, documents: Iterable[Document]) -> UpsertResult:
        result = UpsertResult()
        for batch in _batches(documents, BATCH):
            self._upsert_document_batch(batch, result)
        return result

    def _upsert_document_batch(self, batch: list[Document], result: UpsertResult) -> None:
        found = self._mget("documents", [d.id for d in batch if d.id], ["content_hash", "fingerprint", "mentions"])
        existing = {k: (v.get("content_hash", ""), v.get("fingerprint")) for k, v in found.items()}
        kinds: dict[str, str] = {}
        bodies: list[tuple[str, dict[str, Any]]] = []
        for doc in batch:
            try:
                core.require_document(doc)
                body = document_body(doc)
            except (ValueError, TypeError, AttributeError) as e:
                result.failed.append(f"{doc.id or '?'}: {e}")
                continue
            fp = body["fingerprint"]
            kind, write = core.document_change(existing.get(doc.id), doc.content_hash, fp)
            setattr(result, kind, getattr(result, kind) + 1)
            if not write:
                continue
            kinds[doc.id] = kind
            existing[doc.id] = (doc.content_hash, fp)
            bodies.append((doc.id, body))
        if not bodies:
            return
        # the companies a written document named before and names now: their inputs changed
        changed = {m.get("credit_code") for i, _ in bodies for m in found.get(i, {}).get("mentions") or []}
        changed.update(m.get("credit_code") for _, b in bodies for m in b.get("mentions") or [])
        self._mark_changed(sorted(c for c in changed if c))
        actions = ({"_op_type": "index", "_index": self.alias("documents"), "_id": i, "_source": b}
                   for i, b in bodies)
        self._count_failures(self.bulk(actions), kinds, result)

    @_translated("reading a document")
    def get_document(self, doc_id: str) -> Document | None:
        if not doc_id:
            return None
        src = self._get("documents", doc_id)
        return document_from(src) if src else None

    @staticmethod
    def _kind_filter(credit_code: str = "", source_kind: str = "") -> dict[str, Any]:
        f: list[dict[str, Any]] = []
        if credit_code:
            f.append({"term": {"mentions.credit_code": credit_code}})
        if source_kind:
            f.append({"term": {"source_kind": source_kind}})
        return {"bool": {"filter": f}} if f else {"match_all": {}}

    @_translated("reading a company's documents")
    def documents_for(self, credit_code: str, source_kind: str = "") -> list[Document]:
        if not credit_code:
            return []
        q = self._kind_filter(credit_code, source_kind)
        return [document_from(s) for s in self.scan("documents", q, [{"date": "asc"}, {"id": "asc"}])]

    @_translated("reading documents")
    def iter_documents(self, source_kind: str = "") -> Iterator[Document]:
        for src in self.scan("documents", self._kind_filter(source_kind=source_kind), [{"id": "asc"}]):
            yield document_from(src)

    @_translated("counting documents")
    def count_documents(self, source_kind: str = "") -> int:
        return self._count("documents", self._kind_filter(source_kind=source_kind))

    @_translated("looking up documents by content hash")
    def document_ids_with_hash(self, content_hash: str) -> list[str]:
        if not content_hash:
            return []
        return [s["id"] for s in self.scan("documents", {"term": {"content_hash": content_hash}},
                                           [{"id": "asc"}], source=["id"])]

    @_translated("looking up near-duplicate documents")
    def near_duplicates(self, simhash: int, max_bits: int = MAX_NEAR_BITS, exclude: str = "",
                        limit: int = 1) -> list[tuple[str, int]]:
        check_near_args(simhash, max_bits)
        hits = self.scan("documents", es_query.near_duplicate_query(simhash, exclude), [{"id": "asc"}],
                         source=["id", "fields.simhash"])
        candidates = ((h["id"], fields_simhash(h.get("fields"))) for h in hits)
        return nearest(((d, sh) for d, sh in candidates if sh is not None), simhash, max_bits, exclude, limit)

    # --- search ----------------------------------------------------------------
    def _page(self, entity: str, query: dict[str, Any], sort: list[Any], limit: int, offset: int,
              after: list[Any] | None, cap: int | None = core.COUNT_CAP
              ) -> tuple[list[dict[str, Any]], int, bool, list[Any] | None]:
        """(hits, total, total_is_lower_bound, next cursor): the total counted up to ``cap``
        matches (None: all), as SQLite counts them (core.COUNT_CAP)."""
        limit = max(0, int(limit))
        kwargs: dict[str, Any] = {}
        if after:
            kwargs["search_after"] = after
        else:
            kwargs["from_"] = max(0, int(offset))
        resp = self.client.search(
            index=self.alias(entity), query=query, sort=sort, size=limit + 1,
            track_total_hits=True if cap is None else cap, track_scores=True, source_excludes=_NO_TOKENS, **kwargs,
        )
        hits = resp["hits"]["hits"]
        more = len(hits) > limit
        hits = hits[:limit]
        total, lower_bound = self._total(resp)
        nxt = list(hits[-1]["sort"]) if more and hits else None
        return hits, total, lower_bound, nxt

    @staticmethod
    def _total(resp: Any) -> tuple[int, bool]:
        t = resp["hits"]["total"]
        return int(t["value"]), t.get("relation") == "gte"

    @_translated("searching companies")
    def search_companies(self, query: CompanyQuery) -> Page:
        after = core.check_cursor(query.search_after)
        parsed = core.parse_text(query.text or "")
        q, words, has_text = es_query.company_query(query, parsed)
        cap = None if query.exact_total else core.COUNT_CAP
        sort = core.company_sort(query.sort, has_text)
        if sort == "relevance":
            # Relevance over more than core.RANK_CAP matches is ordered by score, as on SQLite:
            # a count first (its own round trip) says which.
            resp = self.client.search(index=self.alias("companies"), query=q, size=0,
                                      track_total_hits=core.RANK_CAP + 1)
            sort = core.company_sort_for(sort, has_text, self._total(resp)[0] > core.RANK_CAP)
        hits, total, lower_bound, nxt = self._page("companies", q, es_query.company_sort(sort, has_text),
                                                   query.limit, query.offset, after, cap)
        out = [core.company_hit(company_from(h["_source"]), h["_source"].get("smoke_index"),
                               h["_source"].get("level"), words) for h in hits]
        return Page(hits=out, total=total, next_cursor=nxt, notice=parsed.notice,
                    total_is_lower_bound=lower_bound, sort=sort)

    @_translated("searching documents")
    def search_documents(self, query: DocumentQuery) -> Page:
        after = core.check_cursor(query.search_after)
        parsed = core.parse_text(query.text or "")
        q, words = es_query.document_query(query, parsed)
        if q is None:
            return Page(hits=[], total=0, notice=parsed.notice, sort=core.document_sort(query.sort, False))
        sort_name = core.document_sort(query.sort, bool(words))
        if sort_name == "relevance":
            # Relevance over more than core.RANK_CAP matches is ordered newest first, as on SQLite.
            resp = self.client.search(index=self.alias("documents"), query=q, size=0,
                                      track_total_hits=core.RANK_CAP + 1)
            if self._total(resp)[0] > core.RANK_CAP:
                sort_name = "date"
        sort = es_query.document_sort(sort_name, bool(words))
        hits, total, lower_bound, nxt = self._page("documents", q, sort, query.limit, query.offset, after,
                                                   core.COUNT_CAP)
        out = [core.document_hit(document_from(h["_source"]), float(h.get("_score") or 0.0) if words else 0.0, words)
               for h in hits]
        return Page(hits=out, total=total, next_cursor=nxt, notice=parsed.notice,
                    total_is_lower_bound=lower_bound, sort=sort_name)

    @_translated("aggregating companies")
    def aggregate_companies(self, field_name: str, query: CompanyQuery | None = None) -> dict[str, int]:
        agg = es_query.terms_agg(field_name)
        q, _, _ = es_query.company_query(query or CompanyQuery())
        resp = self.client.search(index=self.alias("companies"), query=q, size=0, aggs={"v": agg})
        buckets = resp["aggregations"]["v"]["buckets"]
        return {str(b["key"]): int(b["doc_count"]) for b in buckets if str(b["key"])}

    # --- scores ----------------------------------------------------------------
    @_translated("saving scores")
    def save_scores(self, scores: Iterable[Score]) -> int:
        n = 0
        for batch in _batches(scores, BATCH):
            n += self._save_score_batch(batch)
        return n

    def _save_score_batch(self, batch: list[Score]) -> int:
        base = time.time_ns()
        actions = [
            {"_op_type": "index", "_index": self.alias("scores"), "_id": score_id(s),
             "_source": score_body(s, base + i)}
            for i, s in enumerate(batch)
        ]
        failures = self.bulk(actions, refresh=False)
        # The current score is found by searching: make the new scores visible first.
        self.client.indices.refresh(index=self.alias("scores"))
        self.refresh_current(sorted({s.credit_code for s in batch}))
        if failures:
            raise ElasticStoreError(
                f"saving scores: {len(failures)} of {len(batch)} were refused: "
                + "; ".join(f"{i}: {r}" for i, r in failures[:10])
            )
        return len(batch)

    def refresh_current(self, codes: list[str]) -> None:
        """Write core.current_score's decision for each company: which score is current,
        its rise, and the copy on the company."""
        alias = self.alias("scores")
        current = self._current_scores_of(codes)
        was_current = [
            s["score_id"] for s in self.scan(
                "scores",
                {"bool": {"filter": [{"terms": {"credit_code": codes}}, {"term": {"is_current": True}}]}},
                [{"score_id": "asc"}], source=["score_id"])
        ]
        now_current = {cs.row.key for cs in current.values()}
        actions: list[dict[str, Any]] = [
            {"_op_type": "update", "_index": alias, "_id": sid, "doc": {"is_current": False, "rise": None}}
            for sid in was_current if sid not in now_current
        ]
        for code, cs in current.items():
            actions.append({"_op_type": "update", "_index": alias, "_id": cs.row.key,
                            "doc": {"is_current": True, "rise": cs.rise}})
            actions.append({"_op_type": "update", "_index": self.alias("companies"), "_id": code,
                            "doc": cs.company_fields()})
        # 404: a score for a company not (yet) in the store; it picks the score up on upsert.
        failures = self.bulk(actions, ignore_missing=True)
        if failures:
            raise ElasticStoreError(
                "updating current scores: " + "; ".join(f"{i}: {r}" for i, r in failures[:10])
            )

    # Newest first: the order core.current_score reads lazily. The first _FIRST_ROWS rows of
    # every company come in one msearch; the rest of a history is fetched only if core asks.
    _NEWEST_FIRST = [{"as_of": "desc"}, {"seq": "desc"}, {"score_id": "asc"}]
    _FIRST_ROWS = 4
    _ROW_FIELDS = ["score_id", "smoke_index", "level", "as_of", "seq", "model_version"]

    @staticmethod
    def _score_row(src: dict[str, Any]) -> core.ScoreRow:
        return core.ScoreRow(src["as_of"], int(src.get("seq") or 0), float(src["smoke_index"]), src.get("level") or "",
                             src.get("model_version") or "", src["score_id"])

    def _current_scores_of(self, codes: Iterable[str]) -> dict[str, core.CurrentScore]:
        out: dict[str, core.CurrentScore] = {}
        for chunk in _chunks([c for c in dict.fromkeys(codes) if c], 200):
            searches: list[dict[str, Any]] = []
            for code in chunk:
                searches.append({"index": self.alias("scores")})
                searches.append({"query": {"term": {"credit_code": code}}, "sort": self._NEWEST_FIRST,
                                 "size": self._FIRST_ROWS, "_source": self._ROW_FIELDS})
            resp = self.client.msearch(searches=searches)
            for code, r in zip(chunk, resp["responses"], strict=True):
                if "error" in r:
                    raise ElasticStoreError(f"finding the current score of {code}: {r['error']}")
                cs = core.current_score(self._history_rows(code, r["hits"]["hits"]), newest_first=True)
                if cs is not None:
                    out[code] = cs
        return out

    def _history_rows(self, code: str, first: list[dict[str, Any]]) -> Iterator[core.ScoreRow]:
        for h in first:
            yield self._score_row(h["_source"])
        if len(first) == self._FIRST_ROWS:  # maybe more: read on only as far as core asks
            for src in self.scan("scores", {"term": {"credit_code": code}}, self._NEWEST_FIRST,
                                 source=self._ROW_FIELDS, page=50, after=first[-1]["sort"]):
                yield self._score_row(src)

    @_translated("reading current scores by code")
    def current_scores(self, credit_codes: Iterable[str]) -> dict[str, core.CurrentScore]:
        return self._current_scores_of(credit_codes)

    def _first_each(self, queries: dict[str, dict[str, Any]], sort: list[Any]) -> dict[str, dict[str, Any]]:
        """For each key, the _source of the first score hit of its query (one msearch per 200)."""
        out: dict[str, dict[str, Any]] = {}
        keys = list(queries)
        for chunk in _chunks(keys, 200):
            searches: list[dict[str, Any]] = []
            for k in chunk:
                searches.append({"index": self.alias("scores")})
                searches.append({"query": queries[k], "sort": sort, "size": 1, "_source": True})
            resp = self.client.msearch(searches=searches)
            for k, r in zip(chunk, resp["responses"], strict=True):
                if "error" in r:
                    raise ElasticStoreError(f"reading the latest score of {k}: {r['error']}")
                hits = r["hits"]["hits"]
                if hits:
                    out[k] = hits[0]["_source"]
        return out

    _SCORE_ORDER = [{"as_of": "desc"}, {"seq": "desc"}, {"score_id": "asc"}]

    @_translated("reading the latest score")
    def latest_score(self, credit_code: str) -> Score | None:
        for src in self.scan("scores", {"term": {"credit_code": credit_code}}, self._SCORE_ORDER, limit=1):
            return Score.from_dict(src)
        return None

    @_translated("reading score history")
    def score_history(self, credit_code: str) -> list[tuple[str, float, str]]:
        return [
            (s["as_of"], float(s["smoke_index"]), s["model_version"])
            for s in self.scan("scores", {"term": {"credit_code": credit_code}},
                               [{"as_of": "asc"}, {"seq": "asc"}, {"score_id": "asc"}],
                               source=["as_of", "smoke_index", "model_version"])
        ]

    @_translated("reading current scores")
    def iter_latest_scores(self, min_score: float | None = None) -> Iterator[Score]:
        f: list[dict[str, Any]] = [{"term": {"is_current": True}}]
        if min_score is not None:
            f.append({"range": {"smoke_index": {"gte": float(min_score)}}})
        sort = [{"smoke_index": "desc"}, {"credit_code": "asc"}, {"score_id": "asc"}]
        for src in self.scan("scores", {"bool": {"filter": f}}, sort):
            yield Score.from_dict(src)

    # --- alerts ----------------------------------------------------------------
    @_translated("saving an alert")
    def save_alert(self, alert: Alert) -> bool:
        try:
            # op_type=create: an alert seen again never overwrites its delivery state.
            self.client.index(index=self.alias("alerts"), id=alert.id, document=alert.to_dict(),
                              op_type="create", refresh=self.refresh)
        except ConflictError:
            return False
        return True

    @_translated("updating an alert")
    def update_alert(self, alert: Alert) -> None:
        self.client.index(index=self.alias("alerts"), id=alert.id, document=alert.to_dict(),
                          refresh=self.refresh)

    @_translated("reading an alert")
    def get_alert(self, alert_id: str) -> Alert | None:
        src = self._get("alerts", alert_id)
        return alert_from(src) if src else None

    @_translated("acknowledging an alert")
    def acknowledge_alert(self, alert_id: str, by: str, at: str) -> bool:
        # Compare-and-set on the document's sequence number: read, and write the two
        # acknowledgement fields only if nobody wrote the alert since. A partial update
        # leaves delivery states alone; on a conflict (a delivery round or another
        # acknowledgement wrote meanwhile) read again. The first acknowledgement wins.
        # No script: a cluster may run without the painless module.
        for _ in range(_CAS_ATTEMPTS):
            try:
                got = self.client.get(index=self.alias("alerts"), id=alert_id,
                                      source_includes=["acknowledged_at"])
            except NotFoundError:
                return False
            if (got.body.get("_source") or {}).get("acknowledged_at"):
                return False
            try:
                self.client.update(index=self.alias("alerts"), id=alert_id, refresh=self.refresh,
                                   if_seq_no=got.body["_seq_no"], if_primary_term=got.body["_primary_term"],
                                   doc={"acknowledged_by": by, "acknowledged_at": at})
            except ConflictError:
                continue
            except NotFoundError:
                return False
            return True
        raise ElasticStoreError(f"alert {alert_id!r}: gave up acknowledging after {_CAS_ATTEMPTS} write conflicts")

    @_translated("recording alert delivery")
    def set_alert_delivery(self, alert_id: str, states: dict[str, str]) -> None:
        # A partial update merges objects key by key: other channels and the
        # acknowledgement stay as stored.
        try:
            self.client.update(index=self.alias("alerts"), id=alert_id, doc={"delivery": dict(states)},
                               refresh=self.refresh, retry_on_conflict=5)
        except NotFoundError as exc:
            raise ElasticStoreError(f"no alert {alert_id!r} to record delivery for") from exc

    @_translated("listing alerts")
    def list_alerts(self, since: str = "", unacknowledged_only: bool = False, limit: int = 100) -> list[Alert]:
        f: list[dict[str, Any]] = []
        if since:
            f.append({"range": {"created": {"gte": since}}})
        if unacknowledged_only:
            f.append({"term": {"acknowledged_at": ""}})
        q = {"bool": {"filter": f}} if f else {"match_all": {}}
        return [alert_from(s) for s in self.scan("alerts", q, [{"created": "desc"}, {"id": "asc"}],
                                                 limit=max(0, int(limit)))]

    # --- runs and state ----------------------------------------------------------
    @_translated("saving a run")
    def save_run(self, run: Run) -> None:
        self.client.index(index=self.alias("runs"), id=run.id, document=run.to_dict(), refresh=self.refresh)

    @_translated("listing runs")
    def list_runs(self, limit: int = 20) -> list[Run]:
        return [run_from(s) for s in self.scan("runs", {"match_all": {}}, [{"started": "desc"}, {"id": "desc"}],
                                               limit=max(0, int(limit)))]

    # --- what changed: change records in the state index ---------------------------
    # Each write batch first records the companies it changes under the state key
    # "changes/<epoch ms>/<random>" (a JSON list of credit codes): no mapping of its own. A
    # marker is the time it was taken less CHANGE_LAG_MS, so that a write in flight when it was
    # taken (recorded, not yet searchable) is reported next time too: at worst a company is
    # reported twice, never missed. The clocks of the writing machines must agree within it.
    _CHANGES = "changes/"
    _STORE_ID = "changes.store_id"
    CHANGE_LAG_MS = 60_000

    def _mark_changed(self, codes: list[str]) -> None:
        if codes:
            key = f"{self._CHANGES}{int(time.time() * 1000):015d}/{uuid.uuid4().hex[:12]}"
            self.client.index(index=self.alias("state"), id=state_id(key),
                              document={"key": key, "value": json.dumps(codes)}, refresh=self.refresh)

    def _store_id(self) -> str:
        sid = self.get_state(self._STORE_ID)
        if sid is None:
            self.client.options(ignore_status=409).index(
                index=self.alias("state"), id=state_id(self._STORE_ID), op_type="create",
                document={"key": self._STORE_ID, "value": uuid.uuid4().hex})
            sid = self.get_state(self._STORE_ID) or ""
        return sid

    @_translated("taking a change marker")
    def change_marker(self) -> str:
        return f"{self._store_id()}:es:{max(0, int(time.time() * 1000) - self.CHANGE_LAG_MS)}"

    @_translated("reading what changed")
    def changed_since(self, marker: str) -> Iterator[str] | None:
        sid, _, rest = (marker or "").partition(":")
        tag, _, ms = rest.partition(":")
        if tag != "es" or not ms.isdigit() or sid != self._store_id():
            return None  # another store's marker: anything may have changed
        self.client.indices.refresh(index=self.alias("state"))
        q = {"range": {"key": {"gte": f"{self._CHANGES}{int(ms):015d}", "lt": f"{self._CHANGES}~"}}}
        seen: set[str] = set()  # at most the companies changed since the marker
        out: list[str] = []
        for src in self.scan("state", q, [{"key": "asc"}]):
            for code in json.loads(src.get("value") or "[]"):
                if code not in seen:
                    seen.add(code)
                    out.append(code)
        return iter(sorted(out))

    @_translated("reading state")
    def get_state(self, key: str) -> str | None:
        src = self._get("state", state_id(key))
        return src["value"] if src and src.get("key") == key else None

    @_translated("saving state")
    def set_state(self, key: str, value: str) -> None:
        # No refresh: state is only read back by id, and a GET by id is real-time. Waiting
        # for a refresh here cost the crawler up to a second per page (one ETag per URL).
        self.client.index(index=self.alias("state"), id=state_id(key), document={"key": key, "value": value})


def _batches(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]

