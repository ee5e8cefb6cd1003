"""The OpenAPI 3.0 description of /api/v1 (served at /api/v1/openapi.json).

Written by hand, next to the routes it describes; tests/web runs schemathesis
against it, so the description and the code cannot drift apart silently."""

from __future__ import annotations

from typing import Any

from indexing.models import DIMENSIONS, LEVELS

_LEVELS = [level for _, level, _ in LEVELS]


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _score_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "number", "minimum": 0, "maximum": 100}}  # fmt: skip


_AUTH_ERRORS = {"401": _error("No or invalid bearer token"), "403": _error("The role may not do this")}

_FILTERS = [
    {"name": "region", "in": "query", "required": False, "description": "Region code prefix (44 = 广东)",
     "schema": {"type": "string", "pattern": "^[0-9]{0,6}$", "maxLength": 6}},
    {"name": "industry", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 50}},
    # An empty value means "any level", as an HTML filter form sends it; the API accepts
    # it, so the description must say so (schemathesis found the mismatch).
    {"name": "level", "in": "query", "required": False,
     "description": "Colour band; empty: any", "schema": {"type": "string", "enum": ["", *_LEVELS]}},
]  # fmt: skip


def openapi_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "smokewatch API",
            "version": "1",
            "description": "Smoke index (冒烟指数) of companies, with evidence; exports for auditors; audit log and crawl sources for admins.",
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
                    "description": "Who switched the source off, when (ISO time) and why",
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
                        {"name": "limit", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 0, "maximum": 200}},
                        {"name": "offset", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 0, "maximum": 10000}},
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
                        "404": _error("No such company"),
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
                        _score_param("min_score", "Lowest smoke index (default 60)"),
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
