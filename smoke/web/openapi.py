"""The OpenAPI 3.0 description of /api/v1 (served at /api/v1/openapi.json).

Written by hand, next to the routes it describes; tests/web runs schemathesis
against it, so the description and the code cannot drift apart silently."""

from __future__ import annotations

from typing import Any

from indexing.models import DIMENSIONS, LEVEL_IDS, SOURCE_KINDS
from smoke.service.doc_kinds import DOC_KINDS
from smoke.web.openapi_watch import WATCH_PATHS

_LEVELS = list(LEVEL_IDS)
# What every answer's times look like: one serialiser makes it so (smoke.web.api_json).
TIMES = ("Times: every timestamp in an answer (created, acknowledged_at, ts, expires, added, fetched, started, "
         "at, ...) is ISO 8601 in Asia/Shanghai with its offset, e.g. 2026-01-02T00:30:00+08:00, never UTC or Z. "
         "Data dates (as_of, published, day, date, founded) are YYYY-MM-DD days without a time zone.")


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _score_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "number", "minimum": 0, "maximum": 100}}  # fmt: skip


_AUTH_ERRORS = {"401": _error("No or invalid bearer token"), "403": _error("The role may not do this")}

_FILTERS = [
    {"name": "region", "in": "query", "required": False,
     "description": "Region code prefix (44 = 广东); a province name (广东, 广东省) is also taken. "
                    "Anything else is a 400 saying how to give a region (never 0 silent rows)",
     "schema": {"type": "string", "pattern": "^[0-9]{0,6}$", "maxLength": 6}},
    {"name": "industry", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 50}},
    # An empty value means "any level", as an HTML filter form sends it; the API accepts
    # it, so the description must say so (schemathesis found the mismatch).
    {"name": "level", "in": "query", "required": False,
     "description": "Colour band; empty: any", "schema": {"type": "string", "enum": ["", *_LEVELS]}},
]  # fmt: skip


_PAGING = [
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "maximum": 200}},
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "maximum": 10000}},
]
_DATES = [
    {"name": name, "in": "query", "required": False, "description": f"{what} (YYYY-MM-DD)",
     "schema": {"type": "string", "format": "date"}}
    for name, what in (("date_from", "On or after this date"), ("date_to", "On or before this date"))
]


def _sort(values: list[str], description: str) -> dict[str, Any]:
    return {"name": "sort", "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "enum": ["", *values]}}


def openapi_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "smokewatch API",
            "version": "1",
            "description": "Smoke index (冒烟指数) of companies, with evidence; exports for auditors; audit log and crawl sources "
                           "for admins. " + TIMES,
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                },
                "CompanySummary": {
                    "type": "object",
                    "required": ["credit_code", "name", "smoke_index", "level"],
                    "properties": {
                        "credit_code": {"type": "string"},
                        "name": {"type": "string"},
                        "smoke_index": {"type": "number", "nullable": True},
                        "level": {"type": "string"},
                        "region": {"type": "string"},
                        "industry": {"type": "string"},
                    },
                },
                "Document": {
                    "type": "object",
                    "required": ["id", "title", "url", "kind", "source_kind", "companies"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "kind": {"type": "string", "enum": list(DOC_KINDS),
                                 "description": "Document kind: promotion 推广页面, complaint 投诉, judgment 裁判文书, "
                                                "registry 工商登记, warning 风险提示, news 新闻"},
                        "source_kind": {"type": "string"},
                        "site": {"type": "string"},
                        "published": {"type": "string", "description": "Date the page gives (YYYY-MM-DD), or empty"},
                        "fetched": {"type": "string", "description": "When it was crawled, Asia/Shanghai (+08:00)"},
                        "companies": {"type": "array", "items": {"type": "string"},
                                      "description": "Credit codes of the companies it concerns"},
                        "highlight": {"type": "string", "description": "HTML-escaped snippet with <mark> around matches"},
                        "snippet": {"type": "string"},
                    },
                },
                "Alert": {
                    "type": "object",
                    "required": ["id", "credit_code", "created", "rule", "score", "level"],
                    "properties": {
                        "id": {"type": "string"},
                        "credit_code": {"type": "string"},
                        "company": {"type": "string"},
                        "created": {"type": "string", "description": "Asia/Shanghai (+08:00)"},
                        "rule": {"type": "string"},
                        "rule_zh": {"type": "string"},
                        "score": {"type": "number"},
                        "previous_score": {"type": "number", "nullable": True},
                        "level": {"type": "string", "enum": _LEVELS},
                        "message": {"type": "string"},
                        "delivery": {"type": "object"},
                        "acknowledged_by": {"type": "string"},
                        "acknowledged_at": {"type": "string"},
                        "company_url": {"type": "string"},
                    },
                },
                "Evidence": {
                    "type": "object",
                    "properties": {
                        "url": {"type": "string"}, "snippet": {"type": "string"}, "date": {"type": "string"},
                        "marks": {"type": "array", "description": "[start, end) of the matched words in snippet",
                                  "items": {"type": "array", "items": {"type": "integer"}}},
                        "source_kind": {"type": "string"}, "doc_id": {"type": "string"},
                    },
                },
                "Indicator": {
                    "type": "object",
                    "required": ["id", "dimension", "points"],
                    "properties": {
                        "id": {"type": "string"},
                        "dimension": {"type": "string"},
                        "label": {"type": "string"},
                        "value": {"type": "number"},
                        "points": {"type": "number"},
                        "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                    },
                },
                "CompanyProfile": {
                    "type": "object",
                    "description": "The same object as `smoke company --json`.",
                    "required": ["name", "credit_code", "smoke_index", "level", "dimensions", "indicators"],
                    "properties": {
                        "name": {"type": "string"},
                        "credit_code": {"type": "string"},
                        "smoke_index": {"type": "number", "nullable": True},
                        "level": {"type": "string", "nullable": True},
                        "level_zh": {"type": "string"},
                        "as_of": {"type": "string", "nullable": True},
                        "dimensions": {
                            "type": "object",
                            "properties": {d: {"type": "number"} for d in DIMENSIONS},
                        },
                        "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
                        "model_version": {"type": "string", "nullable": True},
                        "versions": {
                            "type": "object",
                            "description": "The model, lexicon and analyser versions the score was computed with.",
                            "properties": {k: {"type": "string"} for k in ("model", "lexicon", "analyser")},
                        },
                        "region_code": {"type": "string"},
                        "industry": {"type": "string"},
                        "history": {"type": "array"},
                    },
                },
                "SourceSwitch": {
                    "type": "object",
                    "description": "Who switched the source off, when (ISO time, +08:00) and why",
                    "nullable": True,
                    "required": ["by", "at", "reason"],
                    "properties": {"by": {"type": "string"}, "at": {"type": "string"}, "reason": {"type": "string"}},
                },
                "Source": {
                    "type": "object",
                    "description": "A configured crawl source, its operator switch and the health of its last crawl.",
                    "required": ["name", "kind", "start_urls", "enabled_in_config", "switched_off", "crawled", "health"],
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {"type": "string", "enum": ["registry", "court", "complaint", "promo", "amac"]},
                        "description": {"type": "string"},
                        "start_urls": {"type": "array", "items": {"type": "string"}},
                        "delay_s": {"type": "number"},
                        "concurrency_per_domain": {"type": "integer"},
                        "robots": {"type": "string", "enum": ["obey", "ignore"]},
                        "enabled_in_config": {"type": "boolean"},
                        "switched_off": {"$ref": "#/components/schemas/SourceSwitch"},
                        "crawled": {"type": "boolean", "description": "Enabled in config and not switched off"},
                        "health": {
                            "type": "object",
                            "nullable": True,
                            "description": "The newest run that crawled it (null: never crawled)",
                            "properties": {
                                "state": {"type": "string", "enum": ["ok", "degraded", "failing", "blocked"]},
                                "since": {"type": "string"},
                                "last_run": {"type": "string"},
                                "pages": {"type": "integer"},
                                "items": {"type": "integer"},
                                "reason": {"type": "string"},
                            },
                        },
                    },
                },
                "AuditEntry": {
                    "type": "object",
                    "required": ["id", "ts", "username", "action", "detail"],
                    "properties": {
                        "id": {"type": "integer"},
                        "ts": {"type": "string"},
                        "username": {"type": "string"},
                        "action": {"type": "string"},
                        "detail": {"type": "object"},
                        "row_count": {"type": "integer", "nullable": True},
                        "client": {"type": "string"},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            **WATCH_PATHS,
            "/api/v1/auth/token": {
                "post": {
                    "summary": "Exchange a username and password for a bearer token",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["username", "password"],
                                    "properties": {
                                        "username": {"type": "string", "maxLength": 64},
                                        "password": {"type": "string", "maxLength": 1024},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "A token",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["access_token", "token_type"],
                                        "properties": {
                                            "access_token": {"type": "string"},
                                            "token_type": {"type": "string", "enum": ["bearer"]},
                                            "expires": {"type": "string"},
                                            "role": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("Body is not JSON with username and password"),
                        "401": _error("Wrong username or password"),
                        "429": _error("Too many login attempts (per user name, address or overall), "
                                      "or the password checker is busy; see Retry-After"),
                    },
                }
            },
            "/api/v1/auth/tokens": {
                "get": {
                    "summary": "Live API tokens by id: the caller's own (admins: everyone's); never the tokens",
                    "responses": {
                        "200": {
                            "description": "Tokens",
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["tokens"],
                                "properties": {"tokens": {"type": "array", "items": {
                                    "type": "object", "required": ["id", "username", "created", "expires"],
                                    "properties": {k: {"type": "string"} for k in ("id", "username", "created", "expires")},
                                }}},
                            }}},
                        },
                        "400": _error("A parameter is malformed"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/auth/tokens/{token_id}": {
                "delete": {
                    "summary": "Revoke an API token by id (one's own; admins: anyone's)",
                    "parameters": [{"name": "token_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}],
                    "responses": {
                        "200": {"description": "Revoked", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"revoked": {"type": "string"}}}}}},
                        "400": _error("Not a token id"),
                        "404": _error("No such live token"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/companies": {
                "get": {
                    "summary": "Search companies (highest smoke index first when q is empty)",
                    "parameters": [
                        {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200}},
                        _score_param("min_score", "Lowest smoke index"),
                        _score_param("max_score", "Highest smoke index"),
                        *_FILTERS,
                        _sort(["relevance", "index", "rise", "name"],
                              "relevance (a query's default), index (smoke index, risk first; a listing's default), "
                              "rise (7-day rise), name"),
                        *_PAGING,
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "Matching companies; X-Total-Count gives the total",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/CompanySummary"}}
                                }
                            },
                        },
                        "400": _error("A parameter is malformed"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/companies/{credit_code}": {
                "get": {
                    "summary": "One company's smoke index, dimensions, indicators with evidence, history",
                    "parameters": [
                        {"name": "credit_code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
                    ],
                    "responses": {
                        "200": {
                            "description": "The profile",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CompanyProfile"}}},
                        },
                        "404": _error("No company has this credit code or exact name (no fuzzy match)"),
                        "409": _error("Several companies have this name: the answer lists them as candidates"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/documents": {
                "get": {
                    "summary": "Search crawled documents (promotions, complaints, judgments, registry pages, warnings, "
                               "news), each with its kind and the companies it concerns",
                    "parameters": [
                        {"name": "q", "in": "query", "required": False,
                         "description": "Words, \"a phrase\", AND / OR / NOT, -word",
                         "schema": {"type": "string", "maxLength": 200}},
                        {"name": "kind", "in": "query", "required": False, "description": "Document kind; empty: any",
                         "schema": {"type": "string", "enum": ["", *DOC_KINDS]}},
                        {"name": "source_kind", "in": "query", "required": False, "description": "Source kind; empty: any",
                         "schema": {"type": "string", "enum": ["", *SOURCE_KINDS]}},
                        *_DATES,
                        _sort(["relevance", "date"], "relevance (a query's default) or date (newest first)"),
                        *_PAGING,
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "Matching documents; X-Total-Count gives the total",
                            "content": {"application/json": {"schema": {
                                "type": "array", "items": {"$ref": "#/components/schemas/Document"}}}},
                        },
                        "400": _error("A parameter is malformed (the message names it and what it takes)"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/alerts": {
                "get": {
                    "summary": "Alerts, newest first, filtered and paged; times in Asia/Shanghai",
                    "parameters": [
                        {"name": "rule", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 40}},
                        {"name": "state", "in": "query", "required": False, "description": "empty: all",
                         "schema": {"type": "string", "enum": ["", "open", "acknowledged"]}},
                        {"name": "credit_code", "in": "query", "required": False,
                         "schema": {"type": "string", "maxLength": 18}},
                        _FILTERS[0], _FILTERS[2],
                        *_DATES,
                        *_PAGING,
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "Alerts; X-Total-Count gives the total",
                            "content": {"application/json": {"schema": {
                                "type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}},
                        },
                        "400": _error("A parameter is malformed (the message names it and what it takes)"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/export": {
                "post": {
                    "summary": "Export high-risk companies (auditors and admins; a POST: it writes a file and an audit row); the file's SHA-256 is in X-Export-SHA256",
                    "parameters": [
                        {"name": "format", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": ["csv", "xlsx", "jsonl"], "default": "csv"}},
                        _score_param("min_score", "Lowest smoke index (default: the model's high-risk threshold, 60)"),
                        *_FILTERS,
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "The export file",
                            "content": {
                                "text/csv": {"schema": {"type": "string"}},
                                "application/x-ndjson": {"schema": {"type": "string"}},
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                    "schema": {"type": "string", "format": "binary"}
                                },
                            },
                        },
                        "400": _error("A parameter is malformed"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/sources": {
                "get": {
                    "summary": "Every configured crawl source with its switch and health (admins)",
                    "responses": {
                        "200": {
                            "description": "Sources in crawl order",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}}
                            },
                        },
                        "400": _error("A parameter was given (none is expected)"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/sources/{name}": {
                "post": {
                    "summary": "Switch a source off (skipped by crawls until switched on) or on again (admins; audited)",
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["enabled"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "enabled": {"type": "boolean"},
                                        "reason": {"type": "string", "maxLength": 500},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The source after the change",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Source"}}},
                        },
                        "400": _error("Body is not JSON {enabled: boolean, reason?: string}"),
                        "404": _error("No such source"),
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/api/v1/audit": {
                "get": {
                    "summary": "The audit log, newest first (admins)",
                    "parameters": [
                        {"name": "limit", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 0, "maximum": 1000}},
                        {"name": "offset", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
                        {"name": "username", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 64}},
                        {"name": "action", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 40}},
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "Entries",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}}
                            },
                        },
                        "400": _error("A parameter is malformed"),
                        **_AUTH_ERRORS,
                    },
                }
            },
        },
    }
